"""What the HYB rules share: OAuth server identities, doc snippets and the judge loop."""

from __future__ import annotations

from typing import TypeVar

from s2slint.model import Located

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
