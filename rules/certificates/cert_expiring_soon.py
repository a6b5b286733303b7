"""CRT008 cert-expiring-soon: an in-scope certificate expires within warn-days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from s2slint.findings import Severity
from s2slint.model import Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._dates import utc, when
from ._docs import DATED_EVIDENCE, SCOPE_TEXT
from ._fixes import RENEW_OAUTH
from ._judge import judge
from ._scope import CURRENT, ScopedCertificate, in_scope, not_after

DOC = RuleDoc(
    what=(
        "Reports a current OAuthTokenIssuer or Exchange Auth certificate that expires "
        "within `warn-days` (60) of the evaluation date, and a next (Exchange) or "
        "rolled (Lync) certificate that expires within `next-warn-days` (120). An "
        "expired certificate is CRT006's. " + SCOPE_TEXT
    ),
    why=(
        "Replacing a signing certificate takes lead time: a new certificate must be "
        "requested, deployed to every server, rolled in at least a day ahead and "
        "published in the metadata the partners read. Microsoft's Exchange Auth "
        "certificate monitoring renews when the current certificate has less than 60 "
        "days left or the next one less than 120; waiting longer risks the outage of "
        "an expired certificate."
    ),
    bad="certs/oauth-token-issuer.cer:\n"
    "  Not After : Jan 15 14:00:00 2027 GMT      (evaluated on 2026-11-21: 55 days)",
    good="  Not After : Jan 15 14:00:00 2028 GMT",
    fix=(
        "# Lync OAuthTokenIssuer certificate\n" + RENEW_OAUTH + "\n"
        "# Exchange Auth certificate: stage the next one ahead of time\n"
        "$cert = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true "
        '-SubjectName "cn=Microsoft Exchange Server Auth Certificate" '
        '-FriendlyName "Microsoft Exchange Server Auth Certificate" -DomainName @()\n'
        "Set-AuthConfig -NewCertificateThumbprint $cert.Thumbprint "
        "-NewCertificateEffectiveDate (Get-Date).AddDays(2)"
    ),
    evidence=DATED_EVIDENCE,
    references=(ref.MONITOR_AUTH_CERT, ref.SET_AUTHCONFIG, ref.STAGE_CERTS_SFB),
    snippet_language="text",
)


@dataclass(frozen=True)
class Options:
    """Options of CRT008."""

    warn_days: int = field(
        default=60,
        metadata={"doc": "warn when a current certificate expires within this many days"},
    )
    next_warn_days: int = field(
        default=120,
        metadata={
            "doc": "warn when a next (Exchange) or rolled (Lync) certificate expires within "
            "this many days"
        },
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope certificates that expire within the configured number of days.

    An already expired certificate is CRT006's, not this rule's.
    """
    options = ctx.options_as(Options)
    items = in_scope(model, ctx, assignment_evidence=True)
    if isinstance(items, NotEvaluated):
        return items
    now = utc(ctx.now)

    def problem(item: ScopedCertificate, expiry: datetime) -> str | None:
        limit = options.warn_days if item.stage == CURRENT else options.next_warn_days
        expiry = utc(expiry)
        if not now <= expiry <= now + timedelta(days=limit):
            return None
        days = (expiry - now).days
        return (
            f"{item.describe()} expires on {when(expiry)}, in {days} days "
            f"(within {limit} days of the evaluation date)"
        )

    return judge(items, not_after, problem)


RULE = Rule(
    code="CRT008",
    name="cert-expiring-soon",
    severity=Severity.WARNING,
    summary="A certificate in scope expires within warn-days (next/rolled: next-warn-days)",
    check=check,
    options=Options,
    doc=DOC,
)
