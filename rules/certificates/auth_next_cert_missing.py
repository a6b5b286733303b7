"""CRT016 auth-next-cert-missing: the Exchange Auth certificate nears expiry with no successor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from s2slint.findings import Issue, Severity
from s2slint.model import ExchangeAuthConfig, Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared.judge import judge_each
from ._dates import utc, when
from ._docs import EXCHANGE_REFERENCES
from ._examples import AUTH_CONFIG
from ._fixes import DOC_EXCHANGE_STAGED, fix_context, renewal
from ._judge import Seen
from ._scope import CURRENT, EXCHANGE_AUTH, in_scope, not_after, thumbprint_of

DOC = RuleDoc(
    what=(
        "Reports a `Get-AuthConfig` whose current Auth certificate expires within "
        "`warn-days` (60) of the evaluation date while `NextCertificateThumbprint` is "
        "empty. A certificate that has already expired is CRT006's finding, not this "
        "rule's (one cause, one finding). The expiry is read from the "
        "`Get-ExchangeCertificate` export (or a certificate file) of that thumbprint. The "
        "fix stages a next certificate, effective two days ahead and at least 24 hours "
        "before the current one expires (Exchange 2013 to Exchange SE)."
    ),
    why=(
        "Exchange switches to the next Auth certificate by itself (the AuthAdmin "
        "servicelet publishes it on its effective date) only if one is configured. "
        "Without it, the current certificate simply expires and server-to-server "
        "authentication with Lync, SharePoint and Exchange Online stops, with Outlook, "
        "OWA and ECP symptoms."
    ),
    bad=AUTH_CONFIG.format(next_thumbprint="", next_date='<Nil N="NextCertificateEffectiveDate" />')
    + "\n<!-- the current certificate expires in 30 days -->",
    good=AUTH_CONFIG.format(
        next_thumbprint="7D3E9A0C61B24F85A1C9E0D2B3F4A5C6D7E8F901",
        next_date='<DT N="NextCertificateEffectiveDate">2026-12-01T00:00:00Z</DT>',
    ),
    fix=DOC_EXCHANGE_STAGED,
    evidence="Get-AuthConfig and the Get-ExchangeCertificate export of its current certificate",
    references=EXCHANGE_REFERENCES,
)


@dataclass(frozen=True, eq=False, repr=False)
class Options:
    """Options of CRT016."""

    warn_days: int = field(
        default=60,
        metadata={
            "doc": "report when the current Exchange Auth certificate expires within this "
            "many days and no next certificate is configured"
        },
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an Exchange Auth certificate close to expiry with no next certificate set."""
    options = ctx.options_as(Options)
    items = in_scope(model, ctx, (EXCHANGE_AUTH,))
    if isinstance(items, NotEvaluated):
        return items
    scope = {item.thumbprint: item for item in items}
    now = utc(ctx.now)
    context = fix_context(model, ctx)

    def expiry(config: ExchangeAuthConfig) -> Seen[datetime] | None:
        item = scope.get(thumbprint_of(config.current_thumbprint))
        return not_after(item) if item is not None and item.stage == CURRENT else None

    def report(config: ExchangeAuthConfig, seen: Seen[datetime]) -> tuple[Issue, ...]:
        end = utc(seen.value)
        if thumbprint_of(config.next_thumbprint) or end > now + timedelta(days=options.warn_days):
            return ()
        if end < now:
            return ()  # expired: CRT006 reports it
        current = thumbprint_of(config.current_thumbprint)
        reason = f"the Exchange Auth certificate expires on {when(end)}: stage the next one"
        return (
            Issue(
                f"the current Exchange Auth certificate {current} expires on "
                f"{when(end)} and no next certificate is configured "
                "(Get-AuthConfig NextCertificateThumbprint is empty)",
                config.next_thumbprint.loc if config.next_thumbprint is not None else config.loc,
                related=(seen.loc, *seen.related),
                key=f"exchange-auth-certificate:next:{current}",
                fix=renewal(scope[current], context, reason),
            ),
        )

    return judge_each(model.exchange_auth_configs, expiry, report)


RULE = Rule(
    code="CRT016",
    name="auth-next-cert-missing",
    severity=Severity.WARNING,
    summary="The Exchange Auth certificate expires within warn-days and no next one is set",
    check=check,
    options=Options,
    doc=DOC,
)
