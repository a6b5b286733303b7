"""PAP005 lync-partner-app-missing: Exchange must trust Lync when Lync trusts Exchange."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.integration import (
    PRODUCT_IDS,
    exchange_app_name,
    exchange_apps_for_lync,
    lync_apps_for,
)
from ._common import (
    DOC_EXCHANGE_TRUSTS_LYNC,
    DOC_POOL_METADATA_URL,
    EXCHANGE_APPS,
    EXCHANGE_EXPORT,
    LYNC_EXPORT,
    LYNC_METADATA,
)
from ._fixes import exchange_trusts_lync, lines, lync_pool_for

DOC = RuleDoc(
    what=(
        "Reports a Lync partner application for Exchange when Exchange's "
        "`Get-PartnerApplication` has none for Lync: no application with Lync's "
        "identifier `00000004-0000-0ff1-ce00-000000000000` and none whose "
        "`AuthMetadataUrl` is on a Lync pool of the topology. Exchange's applications "
        "for Exchange Online, Graph, Teams or cloud voicemail do not count."
    ),
    why=(
        "Exchange must trust Lync's tokens too: without the partner application "
        "Exchange answers Lync's calls with 401. `Test-CsExStorageConnectivity` "
        "fails, contacts never move to the unified contact store, and conversations "
        "are not archived in Exchange."
    ),
    bad=EXCHANGE_APPS + '<S N="Name">Exchange Online</S>\n'
    '<S N="ApplicationIdentifier">00000002-0000-0ff1-ce00-000000000000</S>  '
    "<!-- nothing for Lync -->",
    good=EXCHANGE_APPS
    + '<S N="ApplicationIdentifier">00000004-0000-0ff1-ce00-000000000000</S>\n'
    + f'<S N="AuthMetadataUrl">{LYNC_METADATA}</S>',
    fix=(
        "# Exchange Management Shell, on an Exchange server: $poolMetadataUrl is a Lync pool's\n"
        "# metadata document; then restart IIS on every Exchange server ($server)\n"
        f"{DOC_POOL_METADATA_URL}\n{DOC_EXCHANGE_TRUSTS_LYNC}"
    ),
    evidence="a Get-CsPartnerApplication export and an Exchange Get-PartnerApplication export",
    references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.PARTNER_APPS_LYNC),
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Lync trusting Exchange while Exchange has no partner application for Lync."""
    if not model.lync_partner_applications:
        return not_evaluated(LYNC_EXPORT)
    if not model.exchange_partner_applications:
        return not_evaluated(EXCHANGE_EXPORT)
    lync_side = lync_apps_for(model, "exchange")
    if not lync_side:
        return evaluated((), 0)
    if exchange_apps_for_lync(model):
        return evaluated((), 1)
    names = ", ".join(f'"{exchange_app_name(a)}"' for a in model.exchange_partner_applications)
    pool = lync_pool_for(model, None)
    issue = Issue(
        f'Lync trusts Exchange (partner application "{lync_side[0].name}"), but Exchange has '
        f"no partner application for Lync (identifier {PRODUCT_IDS['lync']} or a metadata URL "
        f"on a Lync pool); Get-PartnerApplication has {names}",
        model.exchange_partner_applications[0].loc,
        related=(lync_side[0].loc,),
        key="exchange-partner-application:lync",
        fix=lines(exchange_trusts_lync(model, pool)) if pool is not None else "",
    )
    return evaluated((issue,), 1)


RULE = Rule(
    code="PAP005",
    name="lync-partner-app-missing",
    severity=Severity.ERROR,
    summary="Lync trusts Exchange but Exchange has no partner application for Lync",
    doc=DOC,
    check=check,
)
