"""Which host Exchange's Autodiscover service answers on, as the exports name it.

Fixes that write an autodiscover URL take the host in the order an Exchange
administrator would trust it: Exchange's own `AutoDiscoverServiceInternalUri`, then the
host of Lync's on-premises Exchange partner application metadata URL, then
`autodiscover.<default SIP domain>`.
"""

from __future__ import annotations

from s2slint.model import Model, normalize_fqdn

from .integration import lync_onprem_exchange_apps
from .urls import url_host


def _preferred(hosts: list[str]) -> str | None:
    """Prefer a host named autodiscover.*, else the first in name order."""
    ordered = sorted(dict.fromkeys(hosts))
    named = [host for host in ordered if host.startswith("autodiscover.")]
    preferred = named or ordered
    return preferred[0] if preferred else None


def exchange_uri_hosts(model: Model) -> list[str]:
    """Return the hosts of Exchange's AutoDiscoverServiceInternalUri values."""
    hosts = []
    for service in model.client_access_services:
        uri = service.autodiscover_internal_uri
        host = url_host(uri.value) if uri is not None and uri.value else None
        if host is not None:
            hosts.append(host)
    return hosts


def exchange_autodiscover_host(model: Model) -> str | None:
    """Return the Exchange autodiscover host the bundle names, or None (see the module doc)."""
    from_exchange = _preferred(exchange_uri_hosts(model))
    if from_exchange is not None:
        return from_exchange
    from_lync = [
        host
        for app in lync_onprem_exchange_apps(model)
        if app.metadata_url is not None and (host := url_host(app.metadata_url.value))
    ]
    if from_lync:
        return _preferred(from_lync)
    domain = model.default_sip_domain
    return f"autodiscover.{normalize_fqdn(domain.value)}" if domain is not None else None
