"""What the HYB rules share: OAuth server identities, Exchange hybrid, doc snippets, the judge loop."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeVar

from s2slint.model import (
    EXCHANGE_APP_ID,
    ExchangeAuthConfig,
    ExchangeAuthServer,
    ExchangePartnerApplication,
    Located,
    Model,
)

from .._shared.urls import url_host

T = TypeVar("T")
V = TypeVar("V")

ACS_HOST = "accounts.accesscontrol.windows.net"
"""Where Microsoft 365's access control service (ACS) publishes each tenant's metadata."""
ACS_IDENTITY = "microsoft.sts"
"""The identity Microsoft's hybrid instructions give Lync's OAuth server for ACS."""

OAUTH_SERVERS = "<!-- Get-CsOAuthServer | Export-Clixml -->\n"
"""The head of the doc snippets that show a `Get-CsOAuthServer` export."""


def server_identity(located: Located[str] | None) -> str:
    """Return an OAuth server identity as compared: lower case, without a scope prefix."""
    if located is None:
        return ""
    value = located.value.strip().lower()
    if value.startswith("identity="):
        value = value[len("identity=") :]
    return value.rsplit("/", 1)[-1].strip()


# ------------------------------------------------------------------ Exchange hybrid

MICROSOFT_TOKEN_HOSTS = (
    "accounts.accesscontrol.windows.net",
    "login.windows.net",
    "login.microsoftonline.com",
    "sts.windows.net",
)
"""Where Microsoft 365's token services (ACS, Azure AD) issue tokens and publish metadata."""
ACS_ISSUER = "00000001-0000-0000-c000-000000000000"
"""The issuer identifier of Microsoft's access control service (ACS)."""
MICROSOFT_AUTH_SERVER_TYPES = frozenset({"microsoftacs", "azuread"})


def is_exchange_online_app(app: ExchangePartnerApplication) -> bool:
    """Tell whether an Exchange partner application is the wizard's `Exchange Online` one."""
    app_id = app.application_identifier
    online = app.use_auth_server is not None and app.use_auth_server.value
    return app_id is not None and app_id.value.strip().lower() == EXCHANGE_APP_ID and online


def is_microsoft_auth_server(server: ExchangeAuthServer) -> bool:
    """Tell whether an Exchange auth server is Microsoft 365's token service (ACS or Azure AD)."""
    kind = server.type.value.strip().lower() if server.type is not None else ""
    if kind in MICROSOFT_AUTH_SERVER_TYPES:
        return True
    issuer = server.issuer_identifier.value.strip().lower() if server.issuer_identifier else ""
    if issuer == ACS_ISSUER:
        return True
    for url in (server.token_issuing_endpoint, server.auth_metadata_url):
        host = url_host(url.value) if url is not None and url.value else None
        if host is not None and host in MICROSOFT_TOKEN_HOSTS:
            return True
    return False


def exchange_hybrid_ruled_out(model: Model) -> bool:
    """Tell whether the exports show that Exchange is not in a hybrid with Microsoft 365.

    They do when Exchange's partner applications or auth servers were exported, none of
    them is Exchange Online's or Microsoft's token service, and no
    `Get-HybridConfiguration` is in the bundle. With neither export it cannot be told.
    """
    if model.hybrid_configurations:
        return False
    if not model.exchange_partner_applications and not model.exchange_auth_servers:
        return False
    return not any(is_exchange_online_app(a) for a in model.exchange_partner_applications) and (
        not any(is_microsoft_auth_server(s) for s in model.exchange_auth_servers)
    )


def exchange_hybrid_possible(model: Model) -> bool:
    """The opposite of `exchange_hybrid_ruled_out`: a hybrid rule may apply."""
    return not exchange_hybrid_ruled_out(model)


def exchange_auth_in_force(config: ExchangeAuthConfig, now: datetime) -> Located[str] | None:
    """Return the thumbprint of Exchange's Auth certificate in force at `now` (catalogue v2).

    `CurrentCertificateThumbprint` until `NewCertificateEffectiveDate`, then
    `NextCertificateThumbprint`.
    """
    following = config.next_thumbprint
    effective = config.next_effective_date
    if following is not None and following.value.strip() and effective is not None:
        moment = effective.value if effective.value.tzinfo else effective.value.replace(tzinfo=UTC)
        reference = now if now.tzinfo else now.replace(tzinfo=UTC)
        if moment <= reference:
            return following
    current = config.current_thumbprint
    return current if current is not None and current.value.strip() else None
