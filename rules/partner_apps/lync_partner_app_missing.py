"""PAP005 lync-partner-app-missing: Exchange must trust on-premises Lync when Lync trusts it."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.messages import bounded_list
from s2slint.model import ExchangePartnerApplication, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_applicable

from .._shared import references as ref
from .._shared.integration import (
    ONPREM_EXCHANGE_NOT_CONFIGURED,
    PRODUCT_IDS,
    exchange_app_name,
    is_sfb_online_app,
    lync_onprem_exchange_apps,
    onprem_exchange_integration,
    onprem_lync_apps_on_exchange,
)
from ._common import (
    DOC_EXCHANGE_TRUSTS_LYNC,
    DOC_POOL_METADATA_URL,
    EXCHANGE_APPS,
    EXCHANGE_SIDE,
    LYNC_METADATA,
    LYNC_SIDE,
)
from ._fixes import exchange_trusts_lync, lines, lync_pool_for

DOC = RuleDoc(
    what=(
        "Reports Lync's partner application for on-premises Exchange (one that does not "
        "use the OAuth server: a metadata URL or a certificate) when Exchange's "
        "`Get-PartnerApplication` has none for on-premises Lync: none whose "
        "`AuthMetadataUrl` is on a Lync pool of the topology, and none with Lync's "
        "identifier `00000004-0000-0ff1-ce00-000000000000` that does not use the "
        "authorization server. Skype for Business Online's `SfBLegacy` application "
        "(Lync's identifier, `UseAuthServer`, no metadata URL), made by the Hybrid "
        "Configuration Wizard, does not count, nor do Exchange's applications for Exchange "
        "Online, Graph, Teams or cloud voicemail. Not applicable when on-premises Exchange "
        "integration is not configured (for example Lync trusting Exchange Online only, "
        "`AuthToken` `UseOAuthServer`)."
    ),
    why=(
        "Exchange must trust Lync's tokens too: without the partner application "
        "Exchange answers Lync's calls with 401. `Test-CsExStorageConnectivity` "
        "fails, contacts never move to the unified contact store, and conversations "
        "are not archived in Exchange. `SfBLegacy` trusts tokens that Microsoft's token "
        "service issues for Skype for Business Online, never those an on-premises pool "
        "signs."
    ),
    bad=EXCHANGE_APPS + '<S N="Name">SfBLegacy</S>\n'
    '<S N="ApplicationIdentifier">00000004-0000-0ff1-ce00-000000000000</S>\n'
    '<S N="AuthMetadataUrl"></S> <B N="UseAuthServer">true</B>  '
    "<!-- Skype for Business Online's: nothing for the on-premises pool -->",
    good=EXCHANGE_APPS
    + '<S N="ApplicationIdentifier">00000004-0000-0ff1-ce00-000000000000</S>\n'
    + f'<S N="AuthMetadataUrl">{LYNC_METADATA}</S>',
    fix=(
        "# Exchange Management Shell, on an Exchange server: $poolMetadataUrl is a Lync pool's\n"
        "# metadata document; then restart IIS on every Exchange server ($server)\n"
        f"{DOC_POOL_METADATA_URL}\n{DOC_EXCHANGE_TRUSTS_LYNC}"
    ),
    references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.PARTNER_APPS_LYNC),
)


def _listed(app: ExchangePartnerApplication) -> str:
    """An Exchange application as the message lists it (SfBLegacy said to be online's)."""
    online = " (Skype for Business Online's)" if is_sfb_online_app(app) else ""
    return f'"{exchange_app_name(app)}"{online}'


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Lync trusting on-premises Exchange while Exchange does not trust on-premises Lync.

    Not applicable without on-premises integration on either side; evaluated with
    nothing to check when only Exchange's side exists (PAP004 reports Lync's side).
    """
    if not onprem_exchange_integration(model):
        return not_applicable(ONPREM_EXCHANGE_NOT_CONFIGURED)
    lync_side = lync_onprem_exchange_apps(model)
    if not lync_side:
        return evaluated((), 0)
    if onprem_lync_apps_on_exchange(model):
        return evaluated((), 1)
    names = bounded_list(_listed(a) for a in model.exchange_partner_applications)
    pool = lync_pool_for(model, None)
    issue = Issue(
        f'Lync trusts on-premises Exchange (partner application "{lync_side[0].name}"), but '
        "Exchange has no partner application for on-premises Lync (a metadata URL on a Lync "
        f"pool, or identifier {PRODUCT_IDS['lync']} without UseAuthServer); "
        f"Get-PartnerApplication has {names}",
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
    summary="Lync trusts on-premises Exchange but Exchange has no partner application for it",
    doc=DOC,
    check=check,
    requires=(
        LYNC_SIDE,
        EXCHANGE_SIDE,
    ),
)
