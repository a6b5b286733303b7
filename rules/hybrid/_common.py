"""What the HYB rules share: OAuth server identities, doc snippets and the judge loop."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from s2slint.findings import Issue
from s2slint.model import Located
from s2slint.rule import Evaluated

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


def judge(
    items: Iterable[T],
    read: Callable[[T], V | None],
    problem: Callable[[T, V], Issue | None],
) -> Evaluated:
    """Judge every item whose value could be read; one that is not in scope is not counted.

    `read` returns the value to judge, or None when the item is not this rule's business
    (or its value was not exported); `problem` returns the issue for a wrong value.
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
