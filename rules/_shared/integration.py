"""Who takes part in the integration: partner applications, pools, servers, finding keys.

Exchange's partner applications for Exchange Online, Microsoft Graph or Teams are not
part of the Lync<->Exchange/SharePoint integration and every rule ignores them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from s2slint.findings import Location
from s2slint.model import (
    EXCHANGE_APP_ID,
    LYNC_APP_ID,
    SHAREPOINT_APP_ID,
    CsCertificate,
    ExchangePartnerApplication,
    Located,
    LyncPartnerApplication,
    Model,
    normalize_fqdn,
)

from .urls import url_host

PRODUCT_IDS = {"exchange": EXCHANGE_APP_ID, "sharepoint": SHAREPOINT_APP_ID, "lync": LYNC_APP_ID}
"""The well-known application identifiers (and service names) of the three products."""
PRODUCT_NAMES = {"exchange": "Exchange", "sharepoint": "SharePoint", "lync": "Lync"}


def _lower(located: Located[str] | None) -> str:
    return located.value.strip().lower() if located is not None else ""


def lync_apps_for(model: Model, *products: str) -> list[LyncPartnerApplication]:
    """Return Lync's partner applications for the given products ("exchange", "sharepoint")."""
    return [app for app in model.lync_partner_applications if app.product in products]


def lync_pool_hosts(model: Model) -> set[str]:
    """Return the FQDNs of the topology's Front End pools (where Lync publishes metadata)."""
    return {normalize_fqdn(pool.fqdn.value) for pool in model.pools() if pool.is_front_end}


def is_exchange_app_for_lync(app: ExchangePartnerApplication, pool_hosts: set[str]) -> bool:
    """Tell whether an Exchange partner application is the one for (on-premises) Lync.

    It is when it carries Lync's application identifier or its metadata URL is on a Lync
    pool. Applications for Exchange Online, Graph, Teams or SharePoint are not.
    """
    if _lower(app.application_identifier) == LYNC_APP_ID:
        return True
    url = app.auth_metadata_url.value if app.auth_metadata_url is not None else ""
    host = url_host(url) if url else None
    return host is not None and host in pool_hosts


def exchange_apps_for_lync(model: Model) -> list[ExchangePartnerApplication]:
    """Return Exchange's partner applications for Lync (see `is_exchange_app_for_lync`)."""
    pools = lync_pool_hosts(model)
    return [a for a in model.exchange_partner_applications if is_exchange_app_for_lync(a, pools)]


def exchange_app_name(app: ExchangePartnerApplication) -> str:
    """Return an Exchange partner application's name for messages."""
    return app.name.value if app.name is not None and app.name.value else "(unnamed)"


def has_partner_exports(model: Model) -> bool:
    """Tell whether the bundle has partner applications from either side."""
    return bool(model.lync_partner_applications or model.exchange_partner_applications)


def exchange_integration_configured(model: Model) -> bool:
    """Tell whether Lync<->Exchange integration is set up: an Exchange partner app on either side.

    Lync's partner application for Exchange, or Exchange's partner application for Lync.
    """
    return bool(lync_apps_for(model, "exchange") or exchange_apps_for_lync(model))


# ------------------------------------------- on-premises integration vs Exchange Online

ONPREM_EXCHANGE_NOT_CONFIGURED = "on-premises Exchange integration is not configured"
"""The `not_applicable` reason of every rule about the on-premises Lync<->Exchange trust."""
ONPREM_EXCHANGE_UNKNOWN = (
    "a Get-CsPartnerApplication or Exchange Get-PartnerApplication export "
    "(to tell whether on-premises Exchange integration is configured)"
)
"""The `not_evaluated` words when neither side's partner applications were exported."""


def is_sfb_online_app(app: ExchangePartnerApplication) -> bool:
    """Tell whether an Exchange partner application is Skype for Business *Online*'s.

    The hybrid wizard's `SfBLegacy`: Lync's identifier, `UseAuthServer` True and no
    metadata URL. Exchange trusts the cloud service through Microsoft's token service
    with it; it is no trust for on-premises Lync.
    """
    has_url = app.auth_metadata_url is not None and bool(app.auth_metadata_url.value.strip())
    uses_auth_server = app.use_auth_server is not None and app.use_auth_server.value
    return _lower(app.application_identifier) == LYNC_APP_ID and uses_auth_server and not has_url


def onprem_lync_apps_on_exchange(model: Model) -> list[ExchangePartnerApplication]:
    """Return Exchange's partner applications for *on-premises* Lync.

    A metadata URL on a Lync pool, or Lync's identifier without `UseAuthServer`;
    Skype for Business Online's `SfBLegacy` application is not one.
    """
    return [app for app in exchange_apps_for_lync(model) if not is_sfb_online_app(app)]


def lync_onprem_exchange_apps(model: Model) -> list[LyncPartnerApplication]:
    """Return Lync's partner applications for on-premises Exchange (not through an OAuth server).

    An application whose export does not say how it authenticates counts as
    on-premises: only `AuthToken` = `UseOAuthServer` marks the hybrid/online trust.
    """
    return [app for app in lync_apps_for(model, "exchange") if app.uses_oauth_server is not True]


def lync_online_exchange_apps(model: Model) -> list[LyncPartnerApplication]:
    """Return Lync's partner applications for Exchange that use the OAuth server (Exchange Online)."""
    return [app for app in lync_apps_for(model, "exchange") if app.uses_oauth_server is True]


def onprem_exchange_configured_on_lync(model: Model) -> bool:
    """Tell whether Lync's side of the on-premises Exchange trust exists."""
    return bool(lync_onprem_exchange_apps(model))


def onprem_exchange_integration(model: Model) -> bool:
    """Tell whether on-premises Lync<->Exchange integration is configured (catalogue v2).

    Lync has a partner application for Exchange that does not use the OAuth server, or
    Exchange has one for on-premises Lync. Exchange Online (`UseOAuthServer` on Lync's
    side, `SfBLegacy` on Exchange's) is not.
    """
    return bool(lync_onprem_exchange_apps(model) or onprem_lync_apps_on_exchange(model))


def exchange_online_integration(model: Model) -> bool:
    """Tell whether Lync trusts Exchange Online: its Exchange app uses the OAuth server."""
    return bool(lync_online_exchange_apps(model))


def lync_key(app: LyncPartnerApplication) -> str:
    """Return the finding key of a Lync partner application."""
    return f"partner-application:{app.name.lower()}"


def exchange_key(app: ExchangePartnerApplication) -> str:
    """Return the finding key of an Exchange partner application."""
    return f"exchange-partner-application:{exchange_app_name(app).lower()}"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class MetadataUrl:
    """A partner application metadata URL of either side, with what messages need."""

    who: str
    url: Located[str]
    key: str


def metadata_urls(model: Model) -> Iterator[MetadataUrl]:
    """Yield the metadata URLs of Lync's partner applications and Exchange's one for Lync."""
    for app in model.lync_partner_applications:
        if app.metadata_url is not None and app.metadata_url.value:
            yield MetadataUrl(f'partner application "{app.name}"', app.metadata_url, lync_key(app))
    for exchange_app in exchange_apps_for_lync(model):
        url = exchange_app.auth_metadata_url
        if url is not None and url.value:
            name = exchange_app_name(exchange_app)
            yield MetadataUrl(
                f'Exchange partner application "{name}"', url, exchange_key(exchange_app)
            )


def autodiscover_host(model: Model) -> tuple[str, Location | None] | None:
    """Return the autodiscover host and where it was read.

    From Lync's `ExchangeAutodiscoverUrl`, else `autodiscover.<default SIP domain>`.
    """
    for config in model.oauth_configurations:
        url = config.exchange_autodiscover_url
        host = url_host(url.value) if url is not None and url.value else None
        if host is not None and url is not None:
            return host, url.loc
    domain = model.default_sip_domain
    if domain is not None:
        return f"autodiscover.{normalize_fqdn(domain.value)}", domain.loc
    return None


def oauth_entries_by_server(model: Model) -> dict[str, list[CsCertificate]]:
    """Return every attributed `Get-CsCertificate` export's entries, by server.

    When the bundle has a topology, only Front End servers count: an Edge or SQL
    server's certificates are not OAuth evidence.
    """
    front_ends = model.front_end_servers()
    servers: dict[str, list[CsCertificate]] = {}
    counted: dict[str, bool] = {}  # by server: a server's entries are asked about once
    for entry in model.cs_certificates:
        server = entry.server
        if server is None:
            continue
        if front_ends:
            if server not in counted:
                counted[server] = normalize_fqdn(server) in front_ends
            if not counted[server]:
                continue
        servers.setdefault(server, []).append(entry)
    return servers
