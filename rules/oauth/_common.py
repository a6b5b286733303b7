"""What the OAU rules share: the autodiscover URL, finding keys, doc snippets, the judge loop."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue
from s2slint.model import Located, OAuthConfiguration
from s2slint.rule import Evaluated

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

SET_AUTODISCOVER_URL = (
    "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl "
    '"https://autodiscover.<domain>/autodiscover/autodiscover.svc"'
)


def autodiscover_url(config: OAuthConfiguration) -> Located[str] | None:
    """Return Lync's ExchangeAutodiscoverUrl when it is set (None when empty or absent)."""
    url = config.exchange_autodiscover_url
    return url if url is not None and url.value else None


def judge(
    items: Iterable[T],
    read: Callable[[T], V | None],
    problem: Callable[[T, V], Issue | None],
) -> Evaluated:
    """Judge every item whose value could be read; an unreadable one is not counted as checked.

    `read` returns the value to judge, or None when the exports do not say (unknown is
    neither passed nor failed); `problem` returns the issue for a wrong value, or None.
    """
    issues: list[Issue] = []
    checked = 0
    for item in items:
        value = read(item)
        if value is None:
            continue
        checked += 1
        issue = problem(item, value)
        if issue is not None:
            issues.append(issue)
    return Evaluated(tuple(issues), checked)
