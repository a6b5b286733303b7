"""The PowerShell the PAP findings print, with the bundle's own names, URLs and servers.

Every command here exists in Lync Server 2013 and Skype for Business Server 2015/2019
(`*-CsPartnerApplication`) and in Exchange 2013 to Subscription Edition
(`*-PartnerApplication`, `Configure-EnterprisePartnerApplication.ps1`), so no choice by
product version is needed. Two rules of thumb:

- Lync's `Set-CsPartnerApplication` changes a metadata URL, trust level or state but
  never the identifier (nor the realm: it has no `-Realm`): an application with the
  wrong identifier is removed and created again, and it re-reads the identifier from
  the metadata.
- After Exchange's `Configure-EnterprisePartnerApplication.ps1`, IIS on the Exchange
  servers is restarted (`iisreset`), as Microsoft's procedure says; after an
  `AuthMetadataUrl` change Exchange is asked to read the metadata at once
  (`-RefreshAuthMetadata`).

A fix is empty when the bundle does not tell a value it needs (a `<placeholder>` would
not run).
"""

from __future__ import annotations

from collections.abc import Iterable

from s2slint.model import ExchangePartnerApplication, LyncPartnerApplication, Model, normalize_fqdn

from .._shared.integration import autodiscover_host, exchange_app_name, lync_pool_hosts
from .._shared.urls import url_host

LYNC_SHELL = "# Skype for Business Server Management Shell (Lync Server Management Shell)"
EXCHANGE_SHELL = "# Exchange Management Shell"


def quoted(value: str) -> str:
    """Return `value` as a PowerShell single-quoted string (a name may hold spaces)."""
    return "'" + value.replace("'", "''") + "'"


def lines(*parts: str | Iterable[str]) -> str:
    """Join commands and groups of commands into one fix, one command per line."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            out.extend(part)
    return "\n".join(out)


# -------------------------------------------------------------------------------- URLs


def exchange_metadata_url(host: str) -> str:
    """Exchange's metadata document on `host` (the autodiscover host or a server)."""
    return f"https://{host}/autodiscover/metadata/json/1"


def lync_metadata_url(pool: str) -> str:
    """Lync's metadata document on a pool."""
    return f"https://{pool}/metadata/json/1"


def sharepoint_metadata_url(host: str) -> str:
    """SharePoint's metadata document on a web application's host."""
    return f"https://{host}/_layouts/15/metadata/json/1"


def exchange_host(model: Model) -> str | None:
    """The host Lync should read Exchange's metadata from.

    The autodiscover host, else (no OAuth configuration, no topology) the first Exchange
    server of the exports.
    """
    found = autodiscover_host(model)
    if found is not None:
        return found[0]
    servers = sorted(
        normalize_fqdn(server.fqdn.value)
        for server in model.exchange_servers
        if server.fqdn is not None and server.fqdn.value.strip()
    )
    return servers[0] if servers else None


def lync_pool_for(model: Model, host: str | None) -> str | None:
    """The Lync pool Exchange should read Lync's metadata from.

    The host itself when it is a pool; the pool of a Front End server named instead;
    else the first Front End pool of the topology (None without a topology).
    """
    pools = lync_pool_hosts(model)
    if host is not None and host in pools:
        return host
    for pool in model.pools():
        fqdn = normalize_fqdn(pool.fqdn.value)
        if fqdn in pools and any(normalize_fqdn(m.fqdn.value) == host for m in pool.machines):
            return fqdn
    return min(pools) if pools else None


# ------------------------------------------------------------------------ Lync's side


def lync_identity(app: LyncPartnerApplication) -> str | None:
    """The identity Lync's cmdlets take for an application (None when not exported)."""
    if app.identity is None or not app.identity.value.strip():
        return None
    return app.identity.value.strip()


def lync_app_exists(model: Model, identity: str) -> bool:
    """Tell whether Lync already has a partner application with this identity."""
    wanted = identity.strip().lower()
    return any(
        app.identity is not None and app.identity.value.strip().lower() == wanted
        for app in model.lync_partner_applications
    )


def new_lync_app(identity: str, url: str) -> str:
    """Create a Lync partner application from its partner's metadata, fully trusted."""
    return (
        f"New-CsPartnerApplication -Identity {quoted(identity)} -ApplicationTrustLevel Full "
        f"-MetadataUrl {quoted(url)}"
    )


def rebuild_lync_app(identity: str, url: str) -> list[str]:
    """Remove a Lync partner application and create it again from the right metadata."""
    return [
        f"Remove-CsPartnerApplication -Identity {quoted(identity)}",
        new_lync_app(identity, url),
    ]


def create_or_point_lync_app(model: Model, identity: str, url: str) -> str:
    """Point an existing application at `url`, or create it: the command must not fail."""
    if lync_app_exists(model, identity):
        return (
            f"Set-CsPartnerApplication -Identity {quoted(identity)} -ApplicationTrustLevel Full "
            f"-MetadataUrl {quoted(url)}"
        )
    return new_lync_app(identity, url)


# -------------------------------------------------------------------- Exchange's side


def iisreset(model: Model) -> list[str]:
    """Restart IIS on every Exchange server of the exports (Edge Transport excluded)."""
    servers = sorted(
        {
            normalize_fqdn(server.fqdn.value if server.fqdn is not None else server.name.value)
            for server in model.exchange_servers
            if not any(role.lower().startswith("edge") for role in server.roles)
        }
    )
    if not servers:
        return ["iisreset  # on every Exchange Mailbox / Client Access server"]
    return [f"iisreset {server}" for server in servers]


def exchange_trusts_lync(model: Model, pool: str) -> list[str]:
    """Create Exchange's partner application for the Lync pool, then restart IIS."""
    return [
        EXCHANGE_SHELL,
        "cd $exscripts",
        ".\\Configure-EnterprisePartnerApplication.ps1 "
        f"-AuthMetadataUrl {quoted(lync_metadata_url(pool))} -ApplicationType Lync",
        *iisreset(model),
    ]


def repoint_exchange_app(app: ExchangePartnerApplication, url: str) -> list[str]:
    """Give an Exchange partner application another metadata URL and read it at once."""
    name = quoted(exchange_app_name(app))
    return [
        EXCHANGE_SHELL,
        f"Set-PartnerApplication -Identity {name} -AuthMetadataUrl {quoted(url)}",
        f"Set-PartnerApplication -Identity {name} -RefreshAuthMetadata",
    ]


def rebuild_exchange_app_for_lync(
    model: Model, app: ExchangePartnerApplication, pool: str
) -> list[str]:
    """Remove Exchange's application for Lync and create it again from the pool's metadata."""
    return [
        EXCHANGE_SHELL,
        f"Remove-PartnerApplication -Identity {quoted(exchange_app_name(app))}",
        *exchange_trusts_lync(model, pool)[1:],
    ]


def host_of(url: str | None) -> str | None:
    """The host of a URL, or None (no URL, or none to read)."""
    return url_host(url) if url else None
