"""Writing the bundle's values into the PowerShell a finding's fix prints.

Every value goes through one of these two, so that nothing in an export (a quote, a
`$`, a space) can change what the printed command does.
"""

from __future__ import annotations

import re

_BARE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def literal(value: str) -> str:
    """Return `value` as a single-quoted PowerShell string: nothing in it is expanded."""
    return "'" + value.replace("'", "''") + "'"


def argument(value: str) -> str:
    """Return `value` as a command argument: bare when it is a plain name, else quoted.

    Plain names (`Global`, `microsoft.exchange`, `ATL-EXCH-001`, `litwareinc.com`) read
    as administrators type them; anything else is a single-quoted literal.
    """
    return value if _BARE.match(value) else literal(value)
