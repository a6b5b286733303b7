"""CRT007 cert-not-yet-valid: an in-scope certificate is before its NotBefore."""

from __future__ import annotations

from datetime import datetime, timedelta

from s2slint.findings import Severity
from s2slint.model import Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._dates import utc, when
from ._docs import DATED_EVIDENCE, SCOPE_TEXT
from ._fixes import exchange_stage_line, lync_assign_line, lync_roll_line, ps_date, quote
from ._judge import judge
from ._scope import CURRENT, OAUTH, ScopedCertificate, in_scope, not_before, thumbprint_of

DOC = RuleDoc(
    what=(
        "Reports an OAuthTokenIssuer or Exchange Auth certificate whose NotBefore is "
        "after the evaluation date (`--as-of`, default now). " + SCOPE_TEXT
    ),
    why=(
        "A certificate that is not yet valid cannot sign tokens anyone accepts: the "
        "partner rejects them until the date is reached. It happens when a "
        "certificate is issued with a future start date, or when the clock of the CA "
        "or of the server that created it was wrong, and it was assigned at once "
        "instead of rolled in with an effective date."
    ),
    bad="certs/oauth-token-issuer.cer:\n"
    "  Not Before: Dec  1 14:00:00 2026 GMT      (evaluated on 2026-11-21)",
    good="  Not Before: Jan 15 14:00:00 2026 GMT",
    fix="\n".join(
        [
            "# keep a valid certificate in force and let this one take effect once it is valid.",
            "# $thumbprint: the certificate; $notBefore: its NotBefore",
            "$thumbprint = '9F8E7D6C5B4A39281706F5E4D3C2B1A09F8E7D6C'",
            "$notBefore = [datetime]'2026-12-01T14:00:00Z'",
            "# Lync: roll it in after its NotBefore",
            lync_roll_line("$thumbprint", "$notBefore.AddHours(1)"),
            "# Exchange: make it the next certificate, effective once it is valid",
            exchange_stage_line("$thumbprint", "$notBefore.AddHours(1)"),
            "# when it is already in force, first put the certificate it replaced back:",
            "$previous = (Get-AuthConfig).PreviousCertificateThumbprint",
            "Set-AuthConfig -CertificateThumbprint $previous",
        ]
    ),
    evidence=DATED_EVIDENCE,
    references=(ref.STAGE_CERTS_SFB, ref.SET_AUTHCONFIG, ref.ASSIGN_CERT_SFB),
    snippet_language="text",
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope certificates before their NotBefore at the evaluation date."""
    items = in_scope(model, ctx, assignment_evidence=True)
    if isinstance(items, NotEvaluated):
        return items
    now = utc(ctx.now)

    def problem(item: ScopedCertificate, start: datetime) -> str | None:
        if now >= utc(start):
            return None
        return f"{item.describe()} is not valid before {when(start)}"

    def fix(item: ScopedCertificate, start: datetime) -> str:
        return _fix(model, item, utc(start))

    return judge(items, not_before, problem, fix=fix)


def _fix(model: Model, item: ScopedCertificate, start: datetime) -> str:
    """Let the certificate take effect on the hour at or after its NotBefore.

    One already in force is taken out of force first: the certificate it replaced goes back.
    """
    valid = (start + timedelta(minutes=59)).replace(minute=0, second=0, microsecond=0)
    thumbprint = quote(item.thumbprint)
    lines = [f"# the {item.title} is not valid before {when(start)}: partners reject it until then"]
    if item.role == OAUTH:
        if item.stage == CURRENT:
            lines += [
                "# put the certificate it replaced back in force (Get-CsCertificate shows it as",
                "# PreviousThumbprint), then roll this one in once it is valid",
                "$previous = (Get-CsCertificate -Identity global -Type OAuthTokenIssuer | "
                "Select-Object -First 1).PreviousThumbprint",
                lync_assign_line("$previous"),
            ]
        lines.append(lync_roll_line(thumbprint, ps_date(valid)))
        return "\n".join(lines)
    if item.stage == CURRENT:
        previous = next(
            (
                thumbprint_of(c.previous_thumbprint)
                for c in model.exchange_auth_configs
                if thumbprint_of(c.current_thumbprint) == item.thumbprint
                and thumbprint_of(c.previous_thumbprint)
            ),
            None,
        )
        lines.append("# put the certificate it replaced back in force, then stage this one")
        if previous is None:
            lines.append("$previous = (Get-AuthConfig).PreviousCertificateThumbprint")
        lines.append(
            f"Set-AuthConfig -CertificateThumbprint {quote(previous) if previous else '$previous'}"
        )
    lines.append(exchange_stage_line(thumbprint, ps_date(valid)))
    return "\n".join(lines)


RULE = Rule(
    code="CRT007",
    name="cert-not-yet-valid",
    severity=Severity.ERROR,
    summary="A certificate in scope is before its NotBefore at the evaluation date",
    check=check,
    doc=DOC,
)
