"""CRT007 cert-not-yet-valid: an in-scope certificate is before its NotBefore."""

from __future__ import annotations

from datetime import datetime

from s2slint.findings import Severity
from s2slint.model import Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._dates import utc, when
from ._docs import DATED_EVIDENCE, SCOPE_TEXT
from ._judge import judge
from ._scope import ScopedCertificate, in_scope, not_before

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
    fix=(
        "# keep the certificate in force until the new one is valid, then roll it in\n"
        "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
        "-Thumbprint <new thumbprint> -Roll -EffectiveDate <a date after its NotBefore>\n"
        "# Exchange: make it the next certificate, effective once it is valid\n"
        "Set-AuthConfig -NewCertificateThumbprint <new thumbprint> "
        "-NewCertificateEffectiveDate <a date after its NotBefore>"
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

    return judge(items, not_before, problem)


RULE = Rule(
    code="CRT007",
    name="cert-not-yet-valid",
    severity=Severity.ERROR,
    summary="A certificate in scope is before its NotBefore at the evaluation date",
    check=check,
    doc=DOC,
)
