"""Read DNS zone exports: RFC 1035 zone files and `dnscmd /ZoneExport` output.

Autodiscover, lyncdiscover and the SIP SRV records decide whether Lync finds Exchange,
so a bundle may carry the zone they live in. Two text shapes occur:

- RFC 1035 master files, as BIND and most tools write them;
- what `dnscmd <server> /ZoneExport <zone> <file>` writes on Windows: no `$ORIGIN`
  (the zone is named only in a header comment), tab-separated columns, and an
  `[AGE:n]` token before the TTL of every dynamically registered record.

The text is scanned once (`scan`: logical entries and their owners). Plain zones,
nearly all real ones, are then read by `plain` without dnspython (importing `dns.zone`
costs about 60 ms and its parser is slow); anything else goes to dnspython (`full`),
which keeps no line numbers, so the scan says on which line each record was written.
This module sniffs, applies the safety rules below, decides the zone's origin and
hands the entries to one reader or the other.

Safety: a zone file never makes s2slint read another file. `$INCLUDE` is removed before
parsing and reported (INP004), and `$GENERATE` ranges that would expand a few bytes into
a huge number of records are refused the same way. Files beyond the size, line and
record limits of `s2slint.limits` are refused whole (INP004) before dnspython sees them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from operator import itemgetter

from s2slint import limits as input_limits
from s2slint.findings import Location
from s2slint.loaders.base import InputProblem, LoadContext, LoadResult, Source
from s2slint.loaders.text import exceeds_text_limits
from s2slint.loaders.zone import names, plain
from s2slint.loaders.zone.scan import Scan, ZoneEntry, owners, scan_lines, split_lines, strip_age
from s2slint.loaders.zonesniff import sniff as sniff  # the loader kind's sniff, re-exported
from s2slint.model import DnsZone

KIND = "dns-zone"

# `;  Database file litwareinc.com.dns for litwareinc.com zone.`
_DNSCMD_HEADER_RE = re.compile(
    r"^[ \t]*;[ \t]*Database file\b[^\n]*?\bfor[ \t]+(\S+?)[ \t]+zone\.?[ \t]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)

# `$GENERATE 1-4294967295 ...` is one line that would become four billion records; the
# ceiling is `limits.max_zone_generate`.
_GENERATE_RANGE_RE = r"^(\d+)-(\d+)(?:/(\d+))?$"
"""Compiled when a zone holds `$GENERATE` (and kept by `re`'s cache), not on import."""


# ------------------------------------------------------------------------------ load


def load(source: Source, ctx: LoadContext) -> LoadResult:
    """Read one zone file into a `DnsZone`; problems come back as INP001/INP004.

    Never raises on bad input: a file dnspython cannot parse gives one INP001 with the
    line of the error and no records.
    """
    del ctx  # zone files need no password
    limits = input_limits.active()
    too_big = exceeds_text_limits(source.data, source.text, limits)
    if too_big is not None:
        reason, line = too_big
        refused = InputProblem(
            "INP004", f"zone file refused: {reason}", source.location(line, 1 if line else None)
        )
        return LoadResult(KIND, problems=(refused,))
    lines = [strip_age(line) if "[" in line else line for line in split_lines(source.text)]
    scanned = scan_lines(lines)
    problems: list[InputProblem] = []
    lines, entries = _remove_unsafe_directives(source, lines, scanned.entries, problems, limits)
    too_many = _too_many_records(source, entries, limits)
    if too_many is not None:
        return LoadResult(KIND, problems=(*problems, too_many))
    scanned = Scan(entries, scanned.unclosed_line)

    origin, origin_problem = _find_origin(source, scanned.entries)
    if origin is None:
        problems.append(origin_problem or _problem(source, "cannot tell the zone's origin", None))
        return LoadResult(KIND, records=(), problems=tuple(problems))

    read = None if scanned.unclosed_line is not None else plain.read_plain(scanned.entries, origin)
    if read is not None:
        rows, first_seen = read.rows, read.first_lines
    else:
        from s2slint.loaders.zone import full  # dnspython's reader: only for what `plain` declines

        placed = full.place_records(scanned.entries, origin)
        parsed = full.parse("\n".join(lines), lines, origin, scanned, placed)
        if isinstance(parsed, full.ParseFailure):
            problems.append(_problem(source, parsed.message, parsed.line))
            return LoadResult(KIND, records=(), problems=tuple(problems))
        rows = parsed.rows
        first_seen = {}
        for name, rtype, line in placed:
            first_seen.setdefault((name, rtype), line)

    zone = _zone(origin, _zone_location(source, origin, first_seen), rows, first_seen)
    return LoadResult(KIND, records=(zone,), problems=tuple(problems))


def _zone(
    origin: str,
    loc: Location,
    rows: Iterable[tuple[str, str, str]],
    first_seen: dict[tuple[str, str], int],
) -> DnsZone:
    """Return the zone of `rows`: its records sorted by name, type and data.

    A record is located at the first line of its owner and type: dnspython merges the
    records of a name and type into one set, and the rules report the set. The zone's
    columns are made whole (an estate's zone has tens of thousands of records; a
    `DnsRecord` and a `Location` each were a fifth of the loader's time).
    """
    ordered = sorted(rows)  # (name, type, data): the records' order
    names, rtypes, data = (tuple(map(itemgetter(i), ordered)) for i in range(3))
    lines = tuple(map(first_seen.get, zip(names, rtypes, strict=True)))
    return DnsZone(origin, loc, names, rtypes, data, lines)


def _zone_location(source: Source, origin: str, first_seen: dict[tuple[str, str], int]) -> Location:
    """Locate the zone at its SOA record, else at the first SOA line, else at line 1."""
    soa_line = first_seen.get((origin, "SOA"))
    if soa_line is None:
        soa_line = next((line for (_, rtype), line in first_seen.items() if rtype == "SOA"), 1)
    return source.location(soa_line, 1)


def _too_many_records(
    source: Source, entries: tuple[ZoneEntry, ...], limits: input_limits.Limits
) -> InputProblem | None:
    """Refuse a zone with more records than the limit, counting `$GENERATE` expansions.

    dnspython reads about 15,000 records a second; without a ceiling a zone file of
    many small records, or of many `$GENERATE` lines each under the per-directive
    limit, would keep a run busy for minutes. Located at the record that crosses it.
    """
    if len(entries) <= limits.max_zone_records and not any(
        entry.directive == "$GENERATE" for entry in entries
    ):
        return None  # each entry is one record at most: the limit cannot be crossed
    total = 0
    for entry in entries:
        directive = entry.directive
        if directive == "$GENERATE":
            total += _generate_count(entry.tokens[1] if len(entry.tokens) > 1 else "") or 0
        elif directive is None and entry.tokens:
            total += 1
        if total > limits.max_zone_records:
            return InputProblem(
                "INP004",
                f"zone file refused: it has more than {limits.max_zone_records:,} records "
                "(counting what $GENERATE expands to); the limit is crossed here",
                source.location(entry.line, 1),
            )
    return None


def _remove_unsafe_directives(
    source: Source,
    lines: list[str],
    entries: tuple[ZoneEntry, ...],
    problems: list[InputProblem],
    limits: input_limits.Limits,
) -> tuple[list[str], tuple[ZoneEntry, ...]]:
    """Blank out `$INCLUDE` and oversized `$GENERATE` lines, reporting each (INP004).

    The lines become comments, so every other line keeps its number. Only directives
    and, when the text names WINS at all, records are looked at: a large zone is
    nearly all records and has no WINS record.
    """
    # A record's type is upper-cased (`_is_windows_only_record`); where the upper-cased
    # text never says WINS, no record is one.
    wins = "WINS" in source.text.upper()
    removed: set[int] = set()
    for index, entry in enumerate(entries):
        directive = entry.directive
        if directive is None and not wins:
            continue
        reason: str | None = None
        if directive == "$INCLUDE":
            reason = (
                'zone file directive "$INCLUDE" not followed: s2slint never reads files a '
                "zone file names; records it would add are not checked"
            )
        elif directive == "$GENERATE":
            count = _generate_count(entry.tokens[1] if len(entry.tokens) > 1 else "")
            if count is not None and count > limits.max_zone_generate:
                reason = (
                    f'zone file directive "$GENERATE" not followed: it would create {count} '
                    f"records, more than the {limits.max_zone_generate} s2slint expands; "
                    "the records it would add are not checked"
                )
        if reason is None and not _is_windows_only_record(entry):
            continue
        if reason is not None:
            problems.append(InputProblem("INP004", reason, source.location(entry.line, 1)))
        # WINS and WINS-R lookups exist only in Windows DNS; dnscmd exports them but
        # no other parser knows them, and they say nothing about OAuth. They are dropped
        # quietly (keeping line numbers) instead of failing the whole zone.
        removed.add(index)
    if not removed:
        return lines, entries
    lines = list(lines)
    for index in removed:
        entry = entries[index]
        for number in range(entry.line - 1, entry.end_line):
            lines[number] = ";"
    return lines, tuple(entry for index, entry in enumerate(entries) if index not in removed)


_WINDOWS_ONLY_TYPES = frozenset({"WINS", "WINSR", "WINS-R"})


def _is_windows_only_record(entry: ZoneEntry) -> bool:
    """Tell whether an entry is a Windows-only WINS/WINS-R record."""
    if entry.directive is not None:
        return False
    tokens = entry.tokens[:4] if entry.indented else entry.tokens[1:5]
    return not _WINDOWS_ONLY_TYPES.isdisjoint(map(str.upper, tokens))


def _generate_count(text: str) -> int | None:
    """Return how many records a `$GENERATE` range makes (None if not a range)."""
    match = re.match(_GENERATE_RANGE_RE, text)
    if match is None:
        return None
    start, stop = int(match.group(1)), int(match.group(2))
    step = int(match.group(3) or "1")
    if stop < start or step <= 0:
        return 0
    return (stop - start) // step + 1


def _find_origin(
    source: Source, entries: tuple[ZoneEntry, ...]
) -> tuple[str | None, InputProblem | None]:
    """Decide the zone's origin, or say why it cannot be told.

    The owner of the SOA record is the apex when it can be resolved (absolute, or
    relative to a `$ORIGIN` or to the zone the dnscmd header names); then the first
    `$ORIGIN`; then the dnscmd header. BIND's dumps begin with `$ORIGIN .`, so the
    first `$ORIGIN` alone would make the root the zone.
    """
    header = _DNSCMD_HEADER_RE.search(source.text[:4096])
    header_origin = names.resolve_name(header.group(1).rstrip(".") + ".", None) if header else None
    before = header_origin
    first_directive: str | None = None
    relative_line: int | None = None
    soa_line: int | None = None
    for entry, current, owner, rest in owners(entries, header_origin, names.resolve_name):
        if entry.directive == "$ORIGIN":
            value = entry.tokens[1] if len(entry.tokens) > 1 else ""
            if not value.endswith(".") and before is None:
                relative_line = relative_line or entry.line
            if first_directive is None:
                first_directive = current
        before = current
        if entry.directive is not None or not entry.tokens:
            continue
        if names.record_type(rest) == "SOA":
            soa_line = entry.line
            if owner is not None:
                return owner, None
            break
    origin = first_directive if first_directive is not None else header_origin
    if origin is not None:
        return origin, None
    if relative_line is not None:
        message = (
            "cannot tell the zone's origin: the first $ORIGIN has no trailing dot, so it is "
            "relative to a zone name the file does not give"
        )
        return None, _problem(source, message, relative_line)
    message = (
        "cannot tell the zone's origin: the file has no $ORIGIN directive, no dnscmd header "
        'naming the zone (";  Database file ... for <zone> zone.") and no absolute SOA owner'
    )
    return None, _problem(source, message, soa_line)


def _problem(source: Source, message: str, line: int | None) -> InputProblem:
    """Return an INP001 for this file at `line` (unknown if None)."""
    return InputProblem("INP001", message, source.location(line))
