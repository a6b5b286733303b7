"""The fixed limits that keep hostile or broken inputs from exhausting s2slint.

s2slint runs in pre-commit hooks and CI on files from many hands, so every input that
can grow without bound has a ceiling here. Each default is far above what a genuine
export of a large deployment needs (the margins are given per field), and far below
what would make a run take minutes or gigabytes. An input beyond a limit is refused
with INP004 (`unsafe-input-rejected`) naming the limit; the rest of the bundle is
still linted.

Loaders read the limits through `active()`. A configuration's `[limits]` table
(kebab-case field names: `max-zone-records = 500000`) replaces any of them for one run
(`Limits.from_table`, put in force by the engine with `in_force`), e.g. for a zone of an
estate of 20,000 Front Ends (about 420,000 records). This module imports nothing from
s2slint so that any layer can depend on it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace

__all__ = [
    "CACHE_MAX_ENTRY_BYTES",
    "CACHE_MAX_FILE_BYTES",
    "CACHE_MAX_FILE_ENTRIES",
    "CACHE_MAX_RUN_ENTRIES",
    "DEFAULT_LIMITS",
    "LIBXML2_MAX_DEPTH",
    "MESSAGE_LIST_ITEMS",
    "MESSAGE_VALUE_CHARS",
    "Limits",
    "active",
    "in_force",
]

LIBXML2_MAX_DEPTH = 256
"""The nesting depth libxml2 refuses beyond unless XML_PARSE_HUGE is set.

s2slint never sets it (it also lifts libxml2's text-node and name-length ceilings), so
no configured XML depth can exceed this.
"""


@dataclass(frozen=True, slots=True)
class Limits:
    """Ceilings on input size and shape; every field is a positive integer.

    Attributes:
        max_file_bytes: Largest file read at all (checked before reading, by size).
            64 MiB: the largest genuine export seen is a `Get-ExchangeServer` CLIXML of
            about 110 KB per server (UTF-8), so this fits hundreds of servers in UTF-16.
        max_lines: Most lines in a text file (XML, zone). Two million: a zone of
            `max_zone_records` records, or an XML export of `max_xml_elements`
            elements, needs well under that; an unbounded count of tiny lines only
            costs memory and time in the per-line scans.
        max_line_chars: Longest line in a text file, in characters. 4 Mi: genuine
            exports put a whole `SerializationData` blob on one line (91,353
            characters in the largest sample), so this is a 45-fold margin.
        max_xml_depth: Deepest element nesting in an XML file. 100: topologies and
            CLIXML exports nest about 10 levels; it also bounds the recursion of the
            CLIXML reader. Never above `LIBXML2_MAX_DEPTH`.
        max_xml_elements: Most elements in an XML file. 500,000: a 100-server
            `Get-ExchangeServer` export has about 30,000; parsing stays within seconds
            and a few hundred MB.
        max_xml_attributes: Most attributes on one element. 1,000: genuine elements
            carry fewer than 20.
        max_clixml_list_items: Most items in one CLIXML list or dictionary (`LST`,
            `IE`, `STK`, `QUE`, `DCT`). 100,000: the longest genuine lists (server
            components, certificate names) have dozens.
        max_pem_blocks: Most `-----BEGIN` blocks in one PEM file. 10,000: a full
            public CA bundle has about 150.
        max_zone_records: Most records a zone file may hold, counting what each
            `$GENERATE` expands to. 200,000: dnspython reads about 15,000 records a
            second here, so this bounds a zone to seconds; large AD-integrated zones
            have tens of thousands.
        max_zone_generate: Most records one `$GENERATE` directive may expand to.
        max_problems_per_file: Most INP findings one file reports; beyond it one
            more finding says how many were left out. 200: enough to fix a file by;
            a file with a million broken values must not make a million findings.
        max_folder_depth: Deepest folder below a folder named on the command line
            that is walked; a deeper one is refused (INP004) and not entered. 32:
            bundles nest 2 to 4 levels (`servers/<fqdn>/`), a repository of many
            environments perhaps 8; a thousand nested folders must not exhaust the
            walk.
        max_pfx_iterations: Most key-derivation iterations one PFX may ask for, its
            MAC and every encrypted part together, checked before any key is derived
            (INP004 beyond it). 1,000,000: Windows and OpenSSL ask 2,000 or 2,048 per
            part, Java keytool 10,000, so a PFX of three parts needs at most 30,000;
            a million bounds the derivations to about a second per password tried.
    """

    max_file_bytes: int = 64 * 1024 * 1024
    max_lines: int = 2_000_000
    max_line_chars: int = 4 * 1024 * 1024
    max_xml_depth: int = 100
    max_xml_elements: int = 500_000
    max_xml_attributes: int = 1_000
    max_clixml_list_items: int = 100_000
    max_pem_blocks: int = 10_000
    max_zone_records: int = 200_000
    max_zone_generate: int = 10_000
    max_problems_per_file: int = 200
    max_folder_depth: int = 32
    max_pfx_iterations: int = 1_000_000

    def __post_init__(self) -> None:
        """Refuse limits that would switch a protection off or cannot be honoured."""
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"limit {item.name} must be a positive integer, not {value!r}")
        if self.max_xml_depth > LIBXML2_MAX_DEPTH:
            raise ValueError(
                f"limit max_xml_depth must be at most {LIBXML2_MAX_DEPTH}: libxml2 refuses "
                "deeper documents unless XML_PARSE_HUGE is set, which s2slint never does"
            )

    @classmethod
    def from_table(cls, table: Mapping[str, int]) -> Limits:
        """Return the defaults with the limits a `[limits]` table names replaced.

        Raises:
            ValueError: for an unknown name or a value `Limits` refuses.
        """
        names = {item.name.replace("_", "-"): item.name for item in fields(cls)}
        unknown = sorted(set(table) - set(names))
        if unknown:
            raise ValueError(f'unknown limit "{unknown[0]}" (valid: {", ".join(sorted(names))})')
        return replace(DEFAULT_LIMITS, **{names[key]: value for key, value in table.items()})


CACHE_MAX_ENTRY_BYTES = 256 * 1024 * 1024
"""Largest cache entry read (bytes); a larger one is a miss, never read.

Four times `Limits.max_file_bytes`: the JSON of what the largest file allowed loads
into stays below it. Anything at a cache key that is not a regular file of at most
this size (a FIFO, a link to `/dev/zero`) is a miss too.
"""

CACHE_MAX_FILE_ENTRIES = 65_536
"""Most per-file cache entries kept; beyond it the oldest are deleted as new ones come.

The entries live in 256 folders (by the first two hex digits of their key), each
pruned to 1/256 of this when an entry is written into it, so a write costs one small
folder listing. A 2,000-server estate has about 2,200 files: 30 times fewer.
"""

CACHE_MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
"""Most bytes of per-file cache entries kept (2 GiB), pruned like the entry count.

Each of the 256 folders keeps at most 1/256 of it (8 MiB), except that the newest
entry of a folder is always kept whatever its size.
"""

CACHE_MAX_RUN_ENTRIES = 32
"""Most whole-run outcomes the run cache keeps (the least recently used are deleted).

A run is keyed on its evaluation date, not its time, so a daily CI job of one
configuration adds one entry a day; 32 covers a month of them, or a handful of
configurations and selections used side by side.
"""

MESSAGE_LIST_ITEMS = 10
"""Most values a finding's message lists; the rest are counted ("... and 4,990 more").

A message names the objects it is about; 10 is enough to find them, and a bundle
with thousands of look-alike objects must not make a message of megabytes. Used
through `s2slint.messages.bounded_list`.
"""

MESSAGE_VALUE_CHARS = 200
"""Most characters of one value a message quotes; longer ones are cut and measured.

Genuine identities, URLs and host names are far shorter (a URL of 200 characters is
already unusual); used through `s2slint.messages.clip`.
"""


DEFAULT_LIMITS = Limits()
"""The limits in force unless the configuration replaces them."""


def active() -> Limits:
    """Return the limits loaders must apply now (read at call time, never cached).

    Loaders call this instead of binding `DEFAULT_LIMITS` at import, so replacing the
    module attribute (configuration, tests) takes effect for the next file read.
    """
    return _configured if _configured is not None else DEFAULT_LIMITS


_configured: Limits | None = None


@contextmanager
def in_force(limits: Limits | None) -> Iterator[None]:
    """Make `limits` (None: the defaults) what `active()` returns inside the block.

    A run's worker processes are forked inside it, so they read the same limits.
    """
    global _configured
    before = _configured
    _configured = limits
    try:
        yield
    finally:
        _configured = before
