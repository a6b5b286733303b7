"""Read cmdlet output saved with `Export-Csv` (`#TYPE` line, `,` or `;` delimiters).

`Export-Csv` writes each property with `ToString()`: enums by name, booleans as
`True`/`False`, lists as their type name (`System.String[]`, unknown), and dates in
the exporting machine's culture. Only ISO 8601 and the en-US form
(`1/15/2028 2:00:00 PM`) are read as dates; any other culture's date is unknown
rather than misread (is `03/04` March or April?).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from s2slint.findings import Location
from s2slint.loaders.base import InputProblem, LoadContext, LoadResult, Source
from s2slint.loaders.clixml import DESERIALIZED, PSObject, PSProperty, PSValue
from s2slint.loaders.exportsniff import TYPE_LINE
from s2slint.loaders.exportsniff import sniff_csv as sniff_csv  # its loader's sniff
from s2slint.loaders.powershell import records_from_objects

_US_DATE = "%m/%d/%Y %I:%M:%S %p"
_LIST_PLACEHOLDER = re.compile(r"^System\.[\w.`\[\]]+(\[\])$|^System\.Collections\.")


def parse_csv_value(text: str) -> PSValue:
    """Return a cell as PowerShell meant it: booleans, dates, or the text itself."""
    if text in ("True", "False"):
        return text == "True"
    if _LIST_PLACEHOLDER.match(text):
        return None  # a list written as its type name: the values are lost
    for parse in (_iso_date, _us_date):
        moment = parse(text)
        if moment is not None:
            return moment
    return text


def _iso_date(text: str) -> datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", text):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _us_date(text: str) -> datetime | None:
    if not re.match(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M$", text):
        return None
    try:
        return datetime.strptime(text, _US_DATE).replace(tzinfo=UTC)
    except ValueError:
        return None


def _field_columns(line: str, delimiter: str) -> list[int]:
    """Return the 1-based column where each field of a one-line record starts."""
    columns = [1]
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            columns.append(index + 2)
    return columns


def _split_type_line(lines: list[str]) -> tuple[tuple[str, ...], int]:
    """Return the type names of a `#TYPE` line and how many lines precede the header."""
    if lines and (match := TYPE_LINE.match(lines[0].strip())):
        name = match.group(1).strip()
        return (name.removeprefix(DESERIALIZED),), 1
    return (), 0


def _delimiter(header: str) -> str:
    """Tell `,` from `;` (`Export-Csv -UseCulture` in much of Europe)."""
    return ";" if header.count('";"') > header.count('","') else ","


def load_csv(source: Source, ctx: LoadContext) -> LoadResult:
    """Read an `Export-Csv` file: one object per row, typed by the `#TYPE` line."""
    lines = source.text.splitlines()
    type_names, skip = _split_type_line(lines)
    if len(lines) <= skip:
        return LoadResult(
            "csv",
            problems=(InputProblem("INP002", "CSV export holds no header", source.location(1, 1)),),
        )
    delimiter = _delimiter(lines[skip])
    reader = csv.reader(io.StringIO("\n".join(lines[skip:])), delimiter=delimiter, strict=True)
    objects: list[PSObject] = []
    try:
        header = next(reader, None)
        if header is None:
            return LoadResult(
                "csv",
                problems=(
                    InputProblem("INP002", "CSV export holds no header", source.location(1, 1)),
                ),
            )
        for row in reader:
            if not row or row == [""]:
                continue
            line = reader.line_num + skip
            columns = _field_columns(lines[line - 1], delimiter) if line <= len(lines) else []
            index = len(objects)
            properties: dict[str, PSProperty] = {}
            for position, (name, cell) in enumerate(zip(header, row, strict=False)):
                column = columns[position] if position < len(columns) else None
                loc = source.location(line, column, f"row[{index}].{name}")
                properties.setdefault(name, PSProperty(name, parse_csv_value(cell), "csv", loc))
            objects.append(
                PSObject(
                    type_names, None, properties, None, source.location(line, 1, f"row[{index}]")
                )
            )
    except csv.Error as error:
        where: Location = source.location(reader.line_num + skip or None)
        return LoadResult(
            "csv", problems=(InputProblem("INP001", f"malformed CSV: {error}", where),)
        )
    return records_from_objects("csv", objects, source)
