"""PAP004 exchange-partner-app-missing: Lync must trust Exchange when they are integrated."""

from __future__ import annotations

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location, Severity
from s2slint.messages import bounded_list, clip
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated

from .._shared import references as ref
from .._shared.integration import onprem_lync_apps_on_exchange
from ._common import (
    DOC_METADATA_URL,
    EXCHANGE_METADATA,
    LYNC_APPS,
    LYNC_SIDE,
    stands_for,
)
from ._fixes import (
    LYNC_SHELL,
    create_or_point_lync_app,
    exchange_host,
    exchange_metadata_url,
    lines,
)

DOC = RuleDoc(
    what=(
        "Reports a `Get-CsPartnerApplication` export without a partner application for "
        "Exchange (recognised by the identifier `00000002-0000-0ff1-ce00-000000000000`, "
        "an identity naming Exchange, or an Exchange metadata URL) when Exchange "
        "integration is configured: Lync's `ExchangeAutodiscoverUrl` is set, or "
        "Exchange has a partner application for on-premises Lync (Skype for Business "
        "Online's `SfBLegacy` is not one). When neither is the case the "
        "rule is evaluated with nothing to check. (An export of no partner "
        "application at all is an empty file that cannot be told from other empty "
        "exports; the rule is then not evaluated.)"
    ),
    why=(
        "Server-to-server authentication needs trust both ways. Without a partner "
        "application for Exchange, Lync rejects the tokens Exchange sends when it "
        "calls Lync (archiving, the unified contact store, Outlook Web App IM and "
        "presence): the features fail although Exchange trusts Lync."
    ),
    bad=LYNC_APPS + '<S N="Identity">microsoft.sharepoint</S>  <!-- and nothing for Exchange -->',
    good=LYNC_APPS
    + '<S N="Identity">microsoft.exchange</S>\n'
    + f'<S N="AuthToken">Value={EXCHANGE_METADATA}</S>',
    fix=(
        "# Skype for Business Server Management Shell: $metadataUrl is Exchange's metadata on\n"
        "# the autodiscover host (a finding's own fix says Set-CsPartnerApplication instead\n"
        "# when the export shows an application named microsoft.exchange already)\n"
        f"{DOC_METADATA_URL}\n"
        "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full "
        "-MetadataUrl $metadataUrl"
    ),
    references=(
        ref.CONFIGURE_PARTNER_APPS_SFB,
        ref.PARTNER_APPS_LYNC,
        ref.PARTNER_APP_ONPREM_SFB,
    ),
)


def _signs_of_integration(model: Model) -> list[Location]:
    """Where the bundle shows Exchange integration: Lync's autodiscover URL, Exchange's app.

    Exchange's application for on-premises Lync only: Skype for Business Online's
    `SfBLegacy` says nothing about the on-premises pool.
    """
    signs: list[Location] = []
    for config in model.oauth_configurations:
        url = config.exchange_autodiscover_url
        if url is not None and url.value.strip():
            signs.append(url.loc)
    signs += [app.loc for app in onprem_lync_apps_on_exchange(model)]
    return signs


def _fix(model: Model) -> str:
    """Create `microsoft.exchange` from Exchange's metadata (or repoint one that exists)."""
    host = exchange_host(model)
    if host is None:
        return ""
    url = exchange_metadata_url(host)
    return lines(LYNC_SHELL, create_or_point_lync_app(model, "microsoft.exchange", url))


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Exchange integration configured without a Lync partner application for Exchange.

    Configured means: Lync's ExchangeAutodiscoverUrl is set, or Exchange has a partner
    application for Lync.
    """
    signs = _signs_of_integration(model)
    if not signs:
        return evaluated((), 0)
    if any("exchange" in (stands_for(app), app.product) for app in model.lync_partner_applications):
        return evaluated((), 1)  # one with a wrong identifier is PAP011's
    first = model.lync_partner_applications[0]
    names = bounded_list(f'"{clip(app.name)}"' for app in model.lync_partner_applications)
    issue = Issue(
        "Exchange integration is configured, but Lync has no partner application for "
        f"Exchange (Get-CsPartnerApplication has {names})",
        first.loc,
        related=tuple(signs[:2]),
        key="partner-application:exchange",
        fix=_fix(model),
    )
    return evaluated((issue,), 1)


RULE = Rule(
    code="PAP004",
    name="exchange-partner-app-missing",
    severity=Severity.ERROR,
    summary="Exchange integration is configured but Lync has no partner application for Exchange",
    doc=DOC,
    check=check,
    requires=(
        LYNC_SIDE,
        any_of(
            Export.OAUTH_CONFIGURATION,
            Export.EXCHANGE_PARTNER_APPLICATIONS,
            say=(
                "a Get-CsOAuthConfiguration export or an Exchange Get-PartnerApplication "
                "export (to know whether Exchange integration is configured)"
            ),
        ),
    ),
)
