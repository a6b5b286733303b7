"""How the OAU rules write a finding's fix: PowerShell with the bundle's own values."""

from __future__ import annotations

import re

from s2slint.model import OAuthConfiguration, normalize_fqdn

from .._shared.powershell import argument, literal
from .._shared.urls import SVC_PATH, split_url, url_host

_DNS_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


def identity_of(config: OAuthConfiguration) -> str:
    """Return the OAuth configuration's identity as exported (`Global` unless it says)."""
    identity = config.identity.value if config.identity is not None else ""
    return argument(identity or "Global")


def host_in(url: str) -> str | None:
    """Return the host a URL names, also when its scheme is missing (`host/path`)."""
    host = url_host(url)
    if host is not None:
        return host
    parts = split_url(url)
    if parts is None or parts.scheme:
        return None
    first = normalize_fqdn(parts.path.split("/")[0])
    return first if _DNS_NAME.match(first) else None


def set_autodiscover_url(config: OAuthConfiguration, host: str) -> str:
    """Return the command that points Lync's ExchangeAutodiscoverUrl at `host`'s service."""
    return (
        f"Set-CsOAuthConfiguration -Identity {identity_of(config)} "
        f"-ExchangeAutodiscoverUrl {literal(f'https://{host}{SVC_PATH}')}"
    )
