"""The commands that close each S2S gap, with the bundle's own values.

A partner application is created only where none exists (`New-CsPartnerApplication`
fails on an identity in use); Exchange's application for Lync is created with
Microsoft's script, followed by the `iisreset` it needs. Nothing is written for a
value the bundle does not hold.
"""

from __future__ import annotations

from collections.abc import Sequence

from s2slint.model import (
    ExchangePartnerApplication,
    LyncPartnerApplication,
    Model,
    OAuthConfiguration,
    normalize_fqdn,
)

from .._shared.autodiscover import exchange_autodiscover_host
from .._shared.integration import exchange_app_name
from .._shared.powershell import argument, literal
from .._shared.urls import SVC_PATH

SHELLS = {"lync": "# Lync Server Management Shell", "exchange": "# Exchange Management Shell"}
"""The comment that says where the next commands run, when a fix needs both shells."""
LYNC_IDENTITY = "microsoft.exchange"
"""The identity Microsoft's instructions give Lync's partner application for Exchange."""
ONPREM_IDENTITY = "microsoft.exchange.onpremises"
"""The identity used when `microsoft.exchange` already trusts Exchange Online."""


def set_autodiscover_url(model: Model, config: OAuthConfiguration) -> tuple[str, ...]:
    """Point Lync at Exchange's Autodiscover service."""
    host = exchange_autodiscover_host(model)
    if host is None:
        return ()
    identity = config.identity.value if config.identity is not None else ""
    return (
        f"Set-CsOAuthConfiguration -Identity {argument(identity or 'Global')} "
        f"-ExchangeAutodiscoverUrl {literal(f'https://{host}{SVC_PATH}')}",
    )


def create_exchange_app(model: Model) -> tuple[str, ...]:
    """Create Lync's partner application for on-premises Exchange from Exchange's metadata."""
    host = exchange_autodiscover_host(model)
    if host is None:
        return ()
    taken = {app.name.lower() for app in model.lync_partner_applications}
    identity = LYNC_IDENTITY if LYNC_IDENTITY not in taken else ONPREM_IDENTITY
    note = (
        (f"# {LYNC_IDENTITY} trusts Exchange Online: the on-premises trust needs its own identity",)
        if identity != LYNC_IDENTITY
        else ()
    )
    url = f"https://{host}/autodiscover/metadata/json/1"
    return (
        *note,
        f"New-CsPartnerApplication -Identity {identity} -ApplicationTrustLevel Full "
        f"-MetadataUrl {literal(url)}",
    )


def enable_lync_app(app: LyncPartnerApplication) -> tuple[str, ...]:
    """Enable Lync's partner application for Exchange."""
    return (f"Set-CsPartnerApplication -Identity {argument(app.name)} -Enabled $True",)


def _metadata_pool(model: Model) -> str | None:
    """Return the Front End pool whose metadata Exchange should read (the first of the topology)."""
    pools = [pool for pool in model.pools() if "UserServices" in pool.roles]
    return normalize_fqdn(pools[0].fqdn.value) if pools else None


def create_lync_app_on_exchange(model: Model) -> tuple[str, ...]:
    """Create Exchange's partner application for Lync with Microsoft's script, then iisreset."""
    pool = _metadata_pool(model)
    if pool is None:
        return ()
    script = "$env:ExchangeInstallPath\\Scripts\\Configure-EnterprisePartnerApplication.ps1"
    return (
        f'& "{script}" -AuthMetadataUrl {literal(f"https://{pool}/metadata/json/1")} '
        "-ApplicationType Lync",
        "iisreset",
    )


def enable_exchange_app(app: ExchangePartnerApplication) -> tuple[str, ...]:
    """Enable Exchange's partner application for Lync."""
    return (f"Set-PartnerApplication -Identity {argument(exchange_app_name(app))} -Enabled $True",)


def in_shells(sections: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """Join (shell, lines) sections, saying which shell runs them when both are needed."""
    mixed = len({shell for shell, lines in sections if lines}) > 1
    joined: list[str] = []
    current = ""
    for shell, lines in sections:
        if not lines:
            continue
        if mixed and shell != current:
            joined.append(SHELLS[shell])
            current = shell
        joined.extend(lines)
    return joined
