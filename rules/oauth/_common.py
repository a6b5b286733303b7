"""What the OAU rules share: the autodiscover URL, finding keys, doc snippets, the judge loop."""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import urlunsplit

from s2slint.evidence import Export, any_of
from s2slint.model import Located, OAuthConfiguration

from .._shared.urls import split_url

T = TypeVar("T")
V = TypeVar("V")

OAUTH_EXPORT = Export.OAUTH_CONFIGURATION.phrase
CLIENT_ACCESS_EXPORT = Export.CLIENT_ACCESS_SERVICES.phrase
PARTNER_EXPORTS = "a Get-CsPartnerApplication or Exchange Get-PartnerApplication export"
NEEDS_OAUTH = any_of(Export.OAUTH_CONFIGURATION)
NEEDS_CLIENT_ACCESS = any_of(Export.CLIENT_ACCESS_SERVICES)

AUTODISCOVER_KEY = "oauth-configuration:ExchangeAutodiscoverUrl"
"""Every finding about Lync's ExchangeAutodiscoverUrl is about this one setting."""

OAUTH_SETTINGS = "<!-- Get-CsOAuthConfiguration | Export-Clixml -->\n"
"""The head of the doc snippets that show a `Get-CsOAuthConfiguration` export."""

NEEDS_PARTNER_APPS = any_of(
    Export.LYNC_PARTNER_APPLICATIONS,
    Export.EXCHANGE_PARTNER_APPLICATIONS,
    say=PARTNER_EXPORTS,
)

SET_AUTODISCOVER_URL = (
    "# $autodiscoverHost: the host of Exchange's Autodiscover service, for example\n"
    "$autodiscoverHost = 'autodiscover.litwareinc.com'\n"
    "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl "
    '"https://$autodiscoverHost/autodiscover/autodiscover.svc"'
)
"""The docs' fix of every rule about Lync's ExchangeAutodiscoverUrl."""

EXCHANGE_ONLINE_SUFFIXES = (
    "outlook.com",
    "office365.com",
    "office365.us",
    "outlook.cn",
    "office.de",
    "outlook.de",
)
"""Domains of Exchange Online's Autodiscover (`autodiscover-s.outlook.com` and national clouds)."""


def autodiscover_url(config: OAuthConfiguration) -> Located[str] | None:
    """Return Lync's ExchangeAutodiscoverUrl when it is set (None when empty or absent)."""
    url = config.exchange_autodiscover_url
    return url if url is not None and url.value else None


def without_trailing_slash(url: str) -> str:
    """Return the URL with one trailing slash of its path removed: every URL rule tolerates one."""
    parts = split_url(url)
    if parts is None or len(parts.path) < 2 or not parts.path.endswith("/"):
        return url
    return urlunsplit(parts._replace(path=parts.path[:-1]))


def is_exchange_online_host(host: str) -> bool:
    """Tell whether an autodiscover host is Exchange Online's, not an on-premises server's."""
    return any(host == suffix or host.endswith("." + suffix) for suffix in EXCHANGE_ONLINE_SUFFIXES)
