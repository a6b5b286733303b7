"""Recognising a zone file, apart from reading one (`s2slint.loaders.zone`).

Every run sniffs the files that look like no other export (a zone file is plain text),
and a run the run cache serves does nothing else with them: this module imports no
zone reader, no dnspython and no model, so that sniffing stays as cheap as it looks.
"""

from __future__ import annotations

import re

from s2slint.loaders.base import Source

__all__ = ["sniff"]

# Sniffing patterns. They are anchored at line start and demand the shape of a real
# directive or SOA line, so that PowerShell (`$ttl = 3600`) or prose mentioning an
# "SOA record" is not taken for a zone file.
_SNIFF_DIRECTIVE_RE = re.compile(
    r"^\$(?:ORIGIN[ \t]+[^\s;=\"()]+|TTL[ \t]+\d[0-9wdhms]*)[ \t]*(?:;[^\n]*)?$",
    re.IGNORECASE | re.MULTILINE,
)
_SNIFF_SOA_RE = re.compile(
    r"^(?:@|[^\s;\"()$<]*\.[^\s;\"()]*)"  # owner: "@" or a dotted name
    r"[ \t]+(?:\[AGE:\d+\][ \t]+)?"  # dnscmd's age of a dynamic record
    r"(?:(?:\d[0-9wdhms]*|IN)[ \t]+){0,2}"  # optional TTL and class, either order
    r"SOA[ \t]+(?:\([ \t]*)?[^\s;()]+[ \t(]",  # the type and the primary server name
    re.IGNORECASE | re.MULTILINE,
)


def sniff(source: Source) -> bool:
    """Tell whether `source` looks like a zone file, from its first kilobytes only.

    XML (CLIXML, topology) and PEM files are never claimed, even if they quote a zone.
    """
    head = source.head
    if not head or head.lstrip().startswith("<") or "-----BEGIN" in head:
        return False
    head = head.replace("\r\n", "\n").replace("\r", "\n")
    return bool(_SNIFF_DIRECTIVE_RE.search(head) or _SNIFF_SOA_RE.search(head))
