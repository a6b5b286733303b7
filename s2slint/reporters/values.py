"""The value an export holds at a finding's location, so a report can show what was found.

A finding points at a place (`servers/atl-fe-03/certificates.xml:137:7`,
`obj[3].Thumbprint`); an auditor wants the value there (the thumbprint itself) without
opening the file. Every value the model read carries its location (`Located`), so the
report looks the finding's location up in an index of the model instead of asking
the rules or re-reading files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime

from s2slint.findings import Location
from s2slint.model import Certificate, DnsRecord, DnsZone, Located, Model


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return text if text else "(empty)"


def _walk(item: object) -> Iterator[tuple[Location, str]]:
    """Yield (location, value as text) for every located value inside `item`."""
    if isinstance(item, Located):
        yield item.loc, _shown(item.value)
        return
    if isinstance(item, DnsRecord):
        yield item.loc, f"{item.name} {item.rtype} {item.data}"
        return
    if isinstance(item, DnsZone):  # its records are held as columns, made on demand
        yield from _walk(item.records)
        return
    if isinstance(item, Certificate):
        yield item.loc, f"certificate {item.thumbprint} ({item.subject})"
    if isinstance(item, tuple):
        for element in item:
            yield from _walk(element)
        return
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        for field in dataclasses.fields(item):
            value = getattr(item, field.name)
            if isinstance(value, Located | tuple | DnsRecord | Certificate) or (
                dataclasses.is_dataclass(value) and not isinstance(value, type)
            ):
                yield from _walk(value)


class ValueIndex:
    """Look up what an export says at a location: exactly, else by pointer, else by line."""

    def __init__(self, model: Model) -> None:
        self._exact: dict[Location, str] = {}
        self._pointer: dict[tuple[str, str], str] = {}
        self._line: dict[tuple[str, int | None], str] = {}
        for name in (f.name for f in dataclasses.fields(model)):
            if name in ("files", "extras", "live_dns", "dns_mode"):
                continue
            for location, value in _walk(getattr(model, name)):
                self._exact.setdefault(location, value)
                if location.pointer:
                    self._pointer.setdefault((location.path, location.pointer), value)
                self._line.setdefault((location.path, location.line), value)

    def value_at(self, location: Location) -> str | None:
        """Return the value read at `location`, or None when no value was read there."""
        found = self._exact.get(location)
        if found is None and location.pointer:
            found = self._pointer.get((location.path, location.pointer))
        if found is None and location.pointer is None:
            found = self._line.get((location.path, location.line))
        return found
