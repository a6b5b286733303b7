"""CRT008 cert-expiring-soon: an in-scope certificate expires within warn-days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from s2slint.findings import Severity
from s2slint.model import Model, normalize_thumbprint
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.oauth_certs import export_timelines
from ._dates import utc, when
from ._docs import DATED_EVIDENCE, SCOPE_TEXT, VERSIONS_TEXT
from ._exchange import exchange_certificates_by_server
from ._fixes import DOC_RENEW_ANY, ROLL_MARGIN, fix_context, renewal
from ._judge import judge
from ._scope import (
    CURRENT,
    OAUTH,
    ScopedCertificate,
    exchange_in_force,
    in_scope,
    not_after,
    not_before,
    scoped_certificates,
    thumbprint_of,
)

DOC = RuleDoc(
    what=(
        "Reports a certificate in force (OAuthTokenIssuer or Exchange Auth) that expires "
        "within `warn-days` (60) of the evaluation date when no valid successor is staged, "
        "and a staged next (Exchange) or rolled (Lync) certificate that expires within "
        "`next-warn-days` (120). A valid successor is a Lync roll or an Exchange next "
        "certificate that is valid when it takes effect, outlives the certificate it "
        "replaces, takes effect at least 24 hours before that one expires, and is on every "
        "server that needs it: staged in every `Get-CsCertificate` export that has the "
        "expiring certificate in force, or in every Exchange server's "
        "`Get-ExchangeCertificate` export. An expired certificate is CRT006's. "
        + SCOPE_TEXT
        + " "
        + VERSIONS_TEXT
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
    fix=DOC_RENEW_ANY,
    evidence=DATED_EVIDENCE,
    references=(ref.MONITOR_AUTH_CERT, ref.SET_AUTHCONFIG, ref.STAGE_CERTS_SFB),
    snippet_language="text",
)


@dataclass(frozen=True, eq=False, repr=False)
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


def _takes_over(successor: ScopedCertificate | None, effective: datetime, expiry: datetime) -> bool:
    """Tell whether `successor`, effective at `effective`, validly replaces a certificate.

    It is valid when it takes effect, outlives the certificate it replaces, and takes
    effect at least 24 hours before that one expires.
    """
    if successor is None:
        return False
    start, end = not_before(successor), not_after(successor)
    return (
        start is not None
        and end is not None
        and utc(start.value) <= effective
        and utc(end.value) > expiry
        and effective <= expiry - ROLL_MARGIN
    )


def _lync_successor(
    item: ScopedCertificate,
    model: Model,
    now: datetime,
    scope: dict[str, ScopedCertificate],
    expiry: datetime,
) -> bool:
    """Tell whether every export with `item` in force stages a valid roll to replace it."""
    holding = [
        line
        for line in export_timelines(model, now)
        if line.in_force is not None and thumbprint_of(line.in_force.thumbprint) == item.thumbprint
    ]
    return bool(holding) and all(
        any(
            entry.effective_date is not None
            and _takes_over(
                scope.get(thumbprint_of(entry.thumbprint)),
                utc(entry.effective_date.value),
                expiry,
            )
            for entry in line.staged
        )
        for line in holding
    )


def _exchange_successor(
    item: ScopedCertificate,
    model: Model,
    now: datetime,
    scope: dict[str, ScopedCertificate],
    expiry: datetime,
) -> bool:
    """Tell whether Exchange's next certificate validly replaces `item` on every server."""
    configs = [
        c
        for c in model.exchange_auth_configs
        if not exchange_in_force(c, now) and thumbprint_of(c.current_thumbprint) == item.thumbprint
    ]
    groups = exchange_certificates_by_server(model)
    for config in configs:
        successor = thumbprint_of(config.next_thumbprint)
        date = config.next_effective_date
        if not successor or date is None:
            return False
        if not _takes_over(scope.get(successor), utc(date.value), expiry):
            return False
        for _server, certificates in groups.values():
            if successor not in {normalize_thumbprint(c.thumbprint) for c in certificates}:
                return False
    return bool(configs)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope certificates that expire within the configured number of days.

    A certificate in force with a valid successor staged is fine; an already expired
    certificate is CRT006's, not this rule's.
    """
    options = ctx.options_as(Options)
    items = in_scope(model, ctx, assignment_evidence=True)
    if isinstance(items, NotEvaluated):
        return items
    now = utc(ctx.now)
    scope = {item.thumbprint: item for item in scoped_certificates(model, ctx.now)}
    context = fix_context(model, ctx)

    def succeeded(item: ScopedCertificate, expiry: datetime) -> bool:
        find = _lync_successor if item.role == OAUTH else _exchange_successor
        return find(item, model, now, scope, expiry)

    def problem(item: ScopedCertificate, expiry: datetime) -> str | None:
        limit = options.warn_days if item.stage == CURRENT else options.next_warn_days
        expiry = utc(expiry)
        if not now <= expiry <= now + timedelta(days=limit):
            return None
        if item.stage == CURRENT and succeeded(item, expiry):
            return None
        days = (expiry - now).days
        return (
            f"{item.describe()} expires on {when(expiry)}, in {days} days "
            f"(within {limit} days of the evaluation date)"
        )

    def fix(item: ScopedCertificate, expiry: datetime) -> str:
        if item.stage == CURRENT:
            reason = f"the {item.title} expires on {when(expiry)}: stage its successor now"
        else:
            reason = f"the {item.title} expires on {when(expiry)}: stage a longer-lived one"
        return renewal(item, context, reason)

    return judge(items, not_after, problem, fix=fix)


RULE = Rule(
    code="CRT008",
    name="cert-expiring-soon",
    severity=Severity.WARNING,
    summary="A certificate in scope expires within warn-days (next/rolled: next-warn-days)",
    check=check,
    options=Options,
    doc=DOC,
)
