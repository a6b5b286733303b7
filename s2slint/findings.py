"""Locations, the issues rules report, and the findings the engine stamps.

Rules never build `Finding` objects: they return `Issue`s and the engine adds the
code, name and configured severity, so a user's configuration is applied in one place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """How serious a finding is; ordered so that thresholds compare naturally."""

    INFO = 1
    """Worth knowing; never breaks the integration on its own."""
    WARNING = 2
    """Likely to cause trouble or hides a problem (the default `--fail-on`)."""
    ERROR = 3
    """Server-to-server authentication is broken or will break."""

    @property
    def label(self) -> str:
        """Return the lower-case name used in every output format."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Return the severity named by `text` (case-insensitive)."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f'unknown severity "{text}" (valid: error, warning, info)') from None


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """Where a value came from: a file and, where known, a position and a pointer.

    `path` is the display path (relative to the working directory where possible,
    forward slashes). `line` and `column` are 1-based; `None` means unknown, as for
    DER certificates. `pointer` names the value inside the file, such as
    `obj[0].ExchangeAutodiscoverUrl` or `/Topology/InternalDomains/@DefaultDomain`.
    """

    path: str
    line: int | None = None
    column: int | None = None
    pointer: str | None = None

    def with_pointer(self, pointer: str) -> Location:
        """Return a copy that names `pointer` inside the same position."""
        return Location(self.path, self.line, self.column, pointer)

    def sort_key(self) -> tuple[str, int, int, str]:
        """Return a key that orders unknown positions before known ones."""
        return (self.path, self.line or 0, self.column or 0, self.pointer or "")


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem a rule found.

    `key` names the logical object the issue is about (for example
    `partner-application:microsoft.exchange`), so that baselines and fingerprints
    survive regenerated exports whose line numbers move. `fix` is the exact
    PowerShell that repairs this instance, with the bundle's real values filled in
    ("" when the rule's documented fix is all there is to say).
    """

    message: str
    location: Location
    related: tuple[Location, ...] = ()
    key: str = ""
    fix: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """An issue stamped by the engine with its rule's code, name and severity."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    related: tuple[Location, ...] = field(default=())
    key: str = ""
    fix: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        """Return the key that makes every output deterministic."""
        loc = self.location
        return (
            loc.path,
            loc.line or 0,
            loc.column or 0,
            self.code,
            self.message,
            loc.pointer or "",
        )


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding hidden by a suppression: shown to auditors, never to CI gates.

    `source` is "configuration", "inline" or "baseline"; `where` the suppression.
    `owner`, `ticket` and `expires` (an ISO date, "" when none) are what the
    suppression recorded about the acceptance, for the audit report.
    """

    finding: Finding
    source: str
    reason: str
    where: Location
    owner: str = ""
    ticket: str = ""
    expires: str = ""
