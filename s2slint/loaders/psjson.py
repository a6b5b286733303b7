"""Read cmdlet output saved with `ConvertTo-Json` (Windows PowerShell 5.1 and 7).

Windows PowerShell writes dates as `"\\/Date(<ms since 1970>)\\/"` and enums as
integers whose names are not documented; an integer where an enum belongs is
therefore "unknown", never guessed. The JSON module keeps no positions, so key
positions are found by a scan of the text in document order, which is also the
order in which the parsed objects are walked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from s2slint.findings import Location
from s2slint.loaders.base import InputProblem, LoadContext, LoadResult, Source
from s2slint.loaders.clixml import PSObject, PSProperty, PSValue
from s2slint.loaders.exportsniff import sniff_json as sniff_json  # its loader's sniff
from s2slint.loaders.powershell import records_from_objects

_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:')
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_json_date(text: str) -> datetime | None:
    """Return the date of a `/Date(ms)/` string (the offset only says how it was shown)."""
    match = _DATE.match(text)
    if match is None:
        return None
    return _EPOCH + timedelta(milliseconds=int(match.group(1)))


def _key_positions(text: str) -> Iterator[tuple[int, int]]:
    """Yield (line, column) of every object key, in document order.

    Strings are skipped whole, so a `":` inside a value is never taken for a key.
    """
    line, line_start, index = 1, 0, 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\n":
            line, line_start = line + 1, index + 1
        elif char == '"':
            match = _KEY.match(text, index)
            end = text.find('"', index + 1)
            while end != -1 and _escaped(text, end):
                end = text.find('"', end + 1)
            if end == -1:
                return
            if match is not None and match.end() > end:
                yield line, index - line_start + 1
            index = end
        index += 1


def _escaped(text: str, quote: int) -> bool:
    """Tell whether the quote at `quote` is escaped by an odd run of backslashes."""
    count = 0
    position = quote - 1
    while position >= 0 and text[position] == "\\":
        count += 1
        position -= 1
    return count % 2 == 1


class _Converter:
    """Turns parsed JSON into `PSObject`s, pairing each key with its position."""

    def __init__(self, source: Source, positions: Iterator[tuple[int, int]]) -> None:
        self.source = source
        self.positions = positions

    def location(self, pointer: str) -> Location:
        line, column = next(self.positions, (None, None))
        return self.source.location(line, column, pointer)

    def value(self, value: object, pointer: str, loc: Location) -> PSValue:
        if isinstance(value, dict):
            return self.object(value, pointer, loc)
        if isinstance(value, list):
            items = tuple(
                PSProperty(None, self.value(item, f"{pointer}[{i}]", loc), "json", loc)
                for i, item in enumerate(value)
            )
            return PSObject((), None, {}, items, loc)
        if isinstance(value, str):
            moment = parse_json_date(value)
            return moment if moment is not None else value
        if isinstance(value, bool | int | float) or value is None:
            return value
        return str(value)

    def object(self, data: dict[str, object], pointer: str, loc: Location) -> PSObject:
        properties: dict[str, PSProperty] = {}
        for key, item in data.items():
            where = self.location(f"{pointer}.{key}")
            properties.setdefault(
                key, PSProperty(key, self.value(item, f"{pointer}.{key}", where), "json", where)
            )
        return PSObject((), None, properties, None, loc)


def load_json(source: Source, ctx: LoadContext) -> LoadResult:
    """Read a `ConvertTo-Json` export into model records."""
    text = source.text
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        return LoadResult(
            "json",
            problems=(
                InputProblem(
                    "INP001",
                    f"malformed JSON: {error.msg}",
                    source.location(error.lineno, error.colno),
                ),
            ),
        )
    except RecursionError:
        return LoadResult(
            "json",
            problems=(InputProblem("INP004", "JSON nested too deeply", source.location()),),
        )
    converter = _Converter(source, _key_positions(text))
    items = parsed if isinstance(parsed, list) else [parsed]
    objects: list[PSObject] = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            loc = source.location(pointer=f"obj[{index}]")
            objects.append(converter.object(item, f"obj[{index}]", loc))
    first = [o for o in objects if o.properties]
    objects = [
        PSObject(o.type_names, o.to_string, o.properties, o.items, _first_key(o) or o.loc)
        for o in first
    ]
    return records_from_objects("json", objects, source)


def _first_key(obj: PSObject) -> Location | None:
    """Return where an object's first key is written (objects point at their start)."""
    for prop in obj.properties.values():
        return Location(prop.loc.path, prop.loc.line, prop.loc.column, obj.loc.pointer)
    return None
