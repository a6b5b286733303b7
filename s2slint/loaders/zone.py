"""Read DNS zone exports: RFC 1035 zone files and `dnscmd /ZoneExport` output.

Autodiscover, lyncdiscover and the SIP SRV records decide whether Lync finds Exchange,
so a bundle may carry the zone they live in. Two text shapes occur:

- RFC 1035 master files, as BIND and most tools write them;
- what `dnscmd <server> /ZoneExport <zone> <file>` writes on Windows: no `$ORIGIN`
  (the zone is named only in a header comment), tab-separated columns, and an
  `[AGE:n]` token before the TTL of every dynamically registered record.

Plain zones, nearly all real ones, are read by `zoneplain` without dnspython (importing
`dns.zone` costs about 60 ms and its parser is slow); anything else goes to dnspython,
which keeps no line numbers, so this module also scans the text itself to say on which
line each record was written.

Safety: a zone file never makes s2slint read another file. `$INCLUDE` is removed before
parsing and reported (INP004), and `$GENERATE` ranges that would expand a few bytes into
a huge number of records are refused the same way. Files beyond the size, line and
record limits of `s2slint.limits` are refused whole (INP004) before dnspython sees them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from s2slint import limits as input_limits
from s2slint.loaders.base import InputProblem, LoadContext, LoadResult, Source
from s2slint.loaders.text import exceeds_text_limits
from s2slint.loaders.zoneplain import join_plain_name, read_plain
from s2slint.model import DnsRecord, DnsZone, normalize_fqdn

if TYPE_CHECKING:
    import dns.name

KIND = "dns-zone"

# Windows writes the time a dynamic record was last refreshed as `[AGE:3702112]`
# between the owner and the TTL; no RFC 1035 parser knows the token.
_AGE_RE = re.compile(r"\[AGE:\d+\]", re.IGNORECASE)

# `;  Database file litwareinc.com.dns for litwareinc.com zone.`
_DNSCMD_HEADER_RE = re.compile(
    r"^[ \t]*;[ \t]*Database file\b[^\n]*?\bfor[ \t]+(\S+?)[ \t]+zone\.?[ \t]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)

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

# dnspython's own error messages start with "<filename>:<line>: "; a fixed file name
# makes that prefix easy to take apart.
_PARSE_FILENAME = "s2slint-zone"
_WHERE_RE = re.compile(r"^" + re.escape(_PARSE_FILENAME) + r":(\d+):[ \t]*(.*)$", re.DOTALL)
_CAUGHT_RE = re.compile(r"^caught exception <class '[^']*'>:[ \t]*(.*)$", re.DOTALL)
# "got 3" is the number of dnspython's internal token type.
_EXTRA_RE = re.compile(r'^expected EOL or EOF, got \d+ "(.*)"$', re.DOTALL)

# dnspython splits lines the same way (a CR alone also ends a line), so line numbers
# computed here agree with the ones in its error messages.
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_PARENS_RE = re.compile(r"[()]")
_TOKEN_SPLIT_RE = re.compile(r"[ \t]+")

# `$GENERATE 1-4294967295 ...` is one line that would become four billion records; the
# ceiling is `limits.max_zone_generate`.
_GENERATE_RANGE_RE = re.compile(r"^(\d+)-(\d+)(?:/(\d+))?$")

# Types that may share a name with a CNAME (DNSSEC material), as dnspython counts them.
_CNAME_COMPATIBLE = frozenset({"CNAME", "RRSIG", "NSEC", "NSEC3", "KEY"})
# Types whose names need no lookup in dnspython's table (each is its own canonical name).
_COMMON_TYPES = frozenset({"A", "AAAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT"})
# dnspython's largest TTL.
_MAX_TTL = 0xFFFFFFFF
# Record types whose whole rdata is one domain name.
_NAME_TYPES = frozenset({"CNAME", "NS", "PTR", "DNAME"})


@dataclass(frozen=True, slots=True)
class ZoneEntry:
    """One logical line of a zone file (parentheses may make it span several lines).

    `indented` means the first line starts with white space: the record has no owner
    of its own and belongs to the previous one.
    """

    line: int
    end_line: int
    indented: bool
    tokens: tuple[str, ...]

    @property
    def directive(self) -> str | None:
        """Return the upper-case directive (`$ORIGIN`, ...) this entry is, if any."""
        if not self.indented and self.tokens and self.tokens[0].startswith("$"):
            return self.tokens[0].upper()
        return None


@dataclass(frozen=True, slots=True)
class _Scan:
    """The logical lines of a zone and where a parenthesis was left open, if one was."""

    entries: tuple[ZoneEntry, ...]
    unclosed_line: int | None


# ----------------------------------------------------------------------------- sniff


def sniff(source: Source) -> bool:
    """Tell whether `source` looks like a zone file, from its first kilobytes only.

    XML (CLIXML, topology) and PEM files are never claimed, even if they quote a zone.
    """
    head = source.head
    if not head or head.lstrip().startswith("<") or "-----BEGIN" in head:
        return False
    head = head.replace("\r\n", "\n").replace("\r", "\n")
    return bool(_SNIFF_DIRECTIVE_RE.search(head) or _SNIFF_SOA_RE.search(head))


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
    lines = _split_lines(source.text)
    lines = [_strip_age(line) for line in lines]
    scan = _scan(lines)
    problems: list[InputProblem] = []
    lines, entries = _remove_unsafe_directives(source, lines, scan.entries, problems, limits)
    too_many = _too_many_records(source, entries, limits)
    if too_many is not None:
        return LoadResult(KIND, problems=(*problems, too_many))
    scan = _Scan(entries, scan.unclosed_line)

    origin, origin_problem = _find_origin(source, scan.entries)
    if origin is None:
        problems.append(origin_problem or _problem(source, "cannot tell the zone's origin", None))
        return LoadResult(KIND, records=(), problems=tuple(problems))

    plain = None if scan.unclosed_line is not None else read_plain(scan.entries, origin)
    if plain is not None:
        rows, placed = plain.rows, list(plain.placed)
    else:
        placed = _place_records(scan.entries, origin)
        parsed = _parse("\n".join(lines), lines, origin, scan, placed)
        if isinstance(parsed, _ParseFailure):
            problems.append(_problem(source, parsed.message, parsed.line))
            return LoadResult(KIND, records=(), problems=tuple(problems))
        rows = parsed.rows

    first_seen: dict[tuple[str, str], int] = {}
    for name, rtype, line in placed:
        first_seen.setdefault((name, rtype), line)

    records: list[DnsRecord] = []
    for owner, rtype, data in rows:
        line_number = first_seen.get((owner, rtype))
        loc = source.location(
            line_number, 1 if line_number is not None else None, pointer=f"{owner}/{rtype}"
        )
        records.append(DnsRecord(owner, rtype, data, loc))
    records.sort(key=lambda r: (r.name, r.rtype, r.data))

    soa_line = first_seen.get((origin, "SOA"))
    if soa_line is None:
        soa_line = next((line for _, rtype, line in placed if rtype == "SOA"), 1)
    zone = DnsZone(origin=origin, loc=source.location(soa_line, 1), records=tuple(records))
    return LoadResult(KIND, records=(zone,), problems=tuple(problems))


# ------------------------------------------------------------------- text scanning


def _split_lines(text: str) -> list[str]:
    """Split `text` into lines exactly where dnspython counts them."""
    return _LINE_BREAK_RE.split(text)


def _strip_age(line: str) -> str:
    """Blank out dnscmd `[AGE:n]` tokens, keeping every other column where it was.

    Only the part before a quoted string is touched, so TXT data stays as written.
    """
    if "[" not in line:
        return line
    quote = line.find('"')
    head, tail = (line, "") if quote < 0 else (line[:quote], line[quote:])
    return _AGE_RE.sub(lambda match: " " * len(match.group(0)), head) + tail


def _tokenize(line: str, depth: int) -> tuple[list[str], int]:
    """Return the tokens of one line and the parenthesis depth after it.

    Mirrors dnspython's tokenizer: `;` starts a comment, `(`/`)` only nest, quoted
    strings and backslash escapes keep their delimiters literal.
    """
    if '"' not in line and "\\" not in line:
        # The common case, with no quoting to respect: cut the comment, count parentheses.
        code = line.partition(";")[0]
        for paren in _PARENS_RE.findall(code):
            depth = depth + 1 if paren == "(" else max(depth - 1, 0)
        code = _PARENS_RE.sub(" ", code).strip(" \t")
        return (_TOKEN_SPLIT_RE.split(code) if code else []), depth
    tokens: list[str] = []
    current: list[str] = []
    index = 0
    length = len(line)
    while index < length:
        char = line[index]
        if char == "\\" and index + 1 < length:
            current.append(line[index : index + 2])
            index += 2
            continue
        if char == '"':
            end = index + 1
            while end < length and line[end] != '"':
                end += 2 if line[end] == "\\" else 1
            current.append(line[index : end + 1])
            index = end + 1
            continue
        if char in " \t;()":
            if current:
                tokens.append("".join(current))
                current = []
            if char == ";":
                break
            if char == "(":
                depth += 1
            elif char == ")":
                depth = max(depth - 1, 0)
        else:
            current.append(char)
        index += 1
    if current:
        tokens.append("".join(current))
    return tokens, depth


def _scan(lines: list[str]) -> _Scan:
    """Group the lines into logical entries; skip blank lines and comments."""
    entries: list[ZoneEntry] = []
    depth = 0
    start = 0
    indented = False
    tokens: list[str] = []
    for number, line in enumerate(lines, start=1):
        line_tokens, new_depth = _tokenize(line, depth)
        if depth == 0:
            if not line_tokens and new_depth == 0:
                continue
            start, indented, tokens = number, line[:1] in (" ", "\t"), []
        tokens.extend(line_tokens)
        depth = new_depth
        if depth == 0:
            entries.append(ZoneEntry(start, number, indented, tuple(tokens)))
    if depth:
        entries.append(ZoneEntry(start, len(lines), indented, tuple(tokens)))
        return _Scan(tuple(entries), start)
    return _Scan(tuple(entries), None)


def _too_many_records(
    source: Source, entries: tuple[ZoneEntry, ...], limits: input_limits.Limits
) -> InputProblem | None:
    """Refuse a zone with more records than the limit, counting `$GENERATE` expansions.

    dnspython reads about 15,000 records a second; without a ceiling a zone file of
    many small records, or of many `$GENERATE` lines each under the per-directive
    limit, would keep a run busy for minutes. Located at the record that crosses it.
    """
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

    The lines become comments, so every other line keeps its number.
    """
    kept: list[ZoneEntry] = []
    lines = list(lines)
    for entry in entries:
        directive = entry.directive
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
        if reason is None and _is_windows_only_record(entry):
            # WINS and WINS-R lookups exist only in Windows DNS; dnscmd exports them but
            # no other parser knows them, and they say nothing about OAuth. Drop them
            # quietly (keeping line numbers) instead of failing the whole zone.
            for index in range(entry.line - 1, entry.end_line):
                lines[index] = ";"
            continue
        if reason is None:
            kept.append(entry)
            continue
        problems.append(InputProblem("INP004", reason, source.location(entry.line, 1)))
        for index in range(entry.line - 1, entry.end_line):
            lines[index] = ";"
    return lines, tuple(kept)


_WINDOWS_ONLY_TYPES = frozenset({"WINS", "WINSR", "WINS-R"})


def _is_windows_only_record(entry: ZoneEntry) -> bool:
    """Tell whether an entry is a Windows-only WINS/WINS-R record."""
    if entry.directive is not None:
        return False
    tokens = entry.tokens if entry.indented else entry.tokens[1:]
    return any(token.upper() in _WINDOWS_ONLY_TYPES for token in tokens[:4])


def _generate_count(text: str) -> int | None:
    """Return how many records a `$GENERATE` range makes (None if not a range)."""
    match = _GENERATE_RANGE_RE.match(text)
    if match is None:
        return None
    start, stop = int(match.group(1)), int(match.group(2))
    step = int(match.group(3) or "1")
    if stop < start or step <= 0:
        return 0
    return (stop - start) // step + 1


# --------------------------------------------------------------------------- origin


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
    header_origin = _to_name(header.group(1).rstrip(".") + ".", None) if header else None
    current = header_origin
    first_directive: str | None = None
    relative_line: int | None = None
    # The owner is resolved only for the SOA line: most files never need dnspython's
    # name parser here.
    last_owner: tuple[str, str | None] = ("@", current)
    soa_line: int | None = None
    for entry in entries:
        directive = entry.directive
        if directive == "$ORIGIN":
            value = entry.tokens[1] if len(entry.tokens) > 1 else ""
            if not value.endswith(".") and current is None:
                relative_line = relative_line or entry.line
            current = _to_name(value, current)
            if first_directive is None:
                first_directive = current
            continue
        if directive is not None or not entry.tokens:
            continue
        if entry.indented:
            rest = entry.tokens
        else:
            last_owner, rest = (entry.tokens[0], current), entry.tokens[1:]
        if _record_type(rest) == "SOA":
            soa_line = entry.line
            owner = _to_name(*last_owner)
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


def _to_name(text: str, origin: str | None) -> str | None:
    """Return `text` as a normalised absolute name ("" is the root), or None.

    None means the name is invalid or stays relative (`origin` None is unknown).
    Plain host names are joined as strings; only escapes, international names and odd
    cases go through dnspython.
    """
    if not text or (origin is None and not text.endswith(".")):
        return None  # relative to nothing (or "@" with no origin)
    plain = join_plain_name(text, origin)
    if plain is not None:
        return plain
    import dns.exception
    import dns.name

    try:
        name = dns.name.from_text(text, None if origin is None else _dns_name(origin))
    except (dns.exception.DNSException, ValueError, UnicodeError):
        return None
    return normalize_fqdn(name.to_text()) if name.is_absolute() else None


def _dns_name(name: str) -> dns.name.Name:
    """Return dnspython's form of a normalised absolute name ("" is the root)."""
    import dns.name

    return dns.name.from_text(f"{name}.")


def _record_type(tokens: tuple[str, ...]) -> str | None:
    """Return the canonical type of a record from the tokens after its owner.

    Follows dnspython's order: optional TTL, optional class, a TTL if none came yet,
    then the type.
    """
    index = 0
    ttl_seen = index < len(tokens) and _is_ttl(tokens[index])
    if ttl_seen:
        index += 1
    if index < len(tokens) and _is_class(tokens[index]):
        index += 1
    if not ttl_seen and index < len(tokens) and _is_ttl(tokens[index]):
        index += 1
    return _canonical_type(tokens[index]) if index < len(tokens) else None


@functools.lru_cache(maxsize=256)
def _is_ttl(token: str) -> bool:
    """Tell whether dnspython reads `token` as a TTL (`3600`, `1h30m`)."""
    if not (token[:1].isascii() and token[:1].isdigit()):
        return False  # dnspython's TTLs start with an ASCII digit
    if token.isascii() and token.isdigit():
        return int(token) <= _MAX_TTL
    import dns.ttl

    return _parses(dns.ttl.from_text, token)


@functools.lru_cache(maxsize=256)
def _is_class(token: str) -> bool:
    """Tell whether dnspython reads `token` as a class (`IN`, `CH`, `CLASS1`)."""
    if token.upper() == "IN":
        return True
    if token.upper() in _COMMON_TYPES:
        return False  # a type name is never a class
    import dns.rdataclass

    return _parses(dns.rdataclass.from_text, token)


def _parses(parse: Callable[[str], object], token: str) -> bool:
    """Tell whether a dnspython text parser accepts `token`.

    dnspython raises several unrelated exception types for text it does not accept.
    """
    try:
        parse(token)
    except Exception:
        return False
    return True


@functools.lru_cache(maxsize=256)
def _canonical_type(token: str) -> str | None:
    """Return the type name dnspython gives `token` (`srv` and `TYPE33` are "SRV")."""
    if token.upper() in _COMMON_TYPES:
        return token.upper()
    import dns.rdatatype

    try:
        return str(dns.rdatatype.to_text(dns.rdatatype.from_text(token)))
    except Exception:  # an unknown type: dnspython will report it
        return None


def _place_records(entries: tuple[ZoneEntry, ...], origin: str) -> list[tuple[str, str, int]]:
    """Return (owner, type, line) for every record line, in file order.

    Resolves owners as dnspython does: `$ORIGIN` may be relative to the previous one,
    an indented line repeats the previous owner, and the first owner is the origin.
    """
    placed: list[tuple[str, str, int]] = []
    current: str | None = origin
    last_owner: str | None = origin
    for entry in entries:
        directive = entry.directive
        if directive == "$ORIGIN":
            current = _to_name(entry.tokens[1], current) if len(entry.tokens) > 1 else None
            continue
        if directive is not None or not entry.tokens:
            continue
        if entry.indented:
            rest = entry.tokens
        else:
            last_owner = _to_name(entry.tokens[0], current)
            rest = entry.tokens[1:]
        rtype = _record_type(rest)
        if last_owner is not None and rtype is not None:
            placed.append((last_owner, rtype, entry.line))
    return placed


# ---------------------------------------------------------------------------- parse


@dataclass(frozen=True, slots=True)
class _ParseFailure:
    """Why dnspython refused the zone, and on which line (None if unknown)."""

    message: str
    line: int | None


@dataclass(frozen=True, slots=True)
class _Parsed:
    """The records dnspython read, as (owner, type, data) rows."""

    rows: tuple[tuple[str, str, str], ...]


def _parse(
    text: str,
    lines: list[str],
    origin: str,
    scan: _Scan,
    placed: list[tuple[str, str, int]],
) -> _Parsed | _ParseFailure:
    """Parse the cleaned text with dnspython; turn any failure into a message and line."""
    import dns.exception
    import dns.rdatatype
    import dns.zone
    import dns.zonefile

    try:
        zone = _from_text(text, origin)
    except dns.exception.SyntaxError as exc:
        line, detail = _split_where(str(exc))
        if detail == "unbalanced parentheses" and scan.unclosed_line is not None:
            return _ParseFailure(
                "cannot parse zone file: a parenthesis opened here is never closed",
                scan.unclosed_line,
            )
        if line is not None:
            line = _confirm_line(lines, origin, line, detail)
        message = f"cannot parse zone file: {detail}"
        if scan.unclosed_line is not None and (line is None or line > scan.unclosed_line):
            message += f" (the parenthesis opened on line {scan.unclosed_line} is never closed)"
        return _ParseFailure(message, line)
    except dns.zonefile.CNAMEAndOtherData:
        conflict, line = _cname_conflict(placed)
        what = f'"{conflict}"' if conflict else "a name"
        return _ParseFailure(
            f"cannot parse zone file: {what} has a CNAME record and other records; "
            "a name with a CNAME can have no other data",
            line,
        )
    except dns.exception.DNSException as exc:
        return _ParseFailure(f"cannot parse zone file: {_clean(str(exc))}", None)
    except (ValueError, UnicodeError, OverflowError) as exc:
        return _ParseFailure(f"cannot parse zone file: {_clean(str(exc))}", None)

    rows: list[tuple[str, str, str]] = []
    for name, node in zone.nodes.items():
        owner = normalize_fqdn(name.to_text())
        for rdataset in node:
            rtype = str(dns.rdatatype.to_text(rdataset.rdtype))
            for rdata in rdataset:
                rows.append((owner, rtype, _record_data(rtype, str(rdata.to_text()))))
    return _Parsed(tuple(rows))


def _from_text(text: str, origin: str) -> dns.zone.Zone:
    """Call dnspython with the only settings s2slint accepts.

    `allow_include=False` is the second lock on `$INCLUDE` (the first is removing the
    line); `check_origin=False` because an export may lack the apex NS records.
    """
    import dns.zone

    return dns.zone.from_text(
        text,
        origin=_dns_name(origin),
        relativize=False,
        check_origin=False,
        allow_include=False,
        filename=_PARSE_FILENAME,
    )


def _split_where(message: str) -> tuple[int | None, str]:
    """Take dnspython's "<file>:<line>: detail" apart into a line and a clean detail."""
    match = _WHERE_RE.match(message)
    if match is None:
        return None, _clean(message)
    return int(match.group(1)), _clean(match.group(2))


def _clean(detail: str) -> str:
    """Drop dnspython's wrapping of Python exceptions; never return an empty message."""
    match = _CAUGHT_RE.match(detail)
    if match is not None:
        detail = match.group(1)
    detail = detail.strip()
    match = _EXTRA_RE.match(detail)
    if match is not None:
        detail = f'unexpected "{match.group(1)}" after the end of the record'
    if not detail or detail == "None":
        return "syntax error"
    return detail


def _confirm_line(lines: list[str], origin: str, line: int, detail: str) -> int:
    """Return the line an error is really on.

    dnspython checks some rdata (an IPv4 address, for one) only after it has read the
    end of the line, and then names the next line. Parsing the text up to the end of
    the previous line, without its line break, tells the two cases apart: if the same
    error shows up there, it belongs to that earlier line.
    """
    import dns.exception

    if line <= 1:
        return line
    if detail == "newline in quoted string":  # raised once the line break is counted
        return line - 1
    try:
        _from_text("\n".join(lines[: line - 1]), origin)
    except dns.exception.SyntaxError as exc:
        earlier, earlier_detail = _split_where(str(exc))
        if earlier is not None and earlier < line and earlier_detail == detail:
            return earlier
    except Exception:  # any other failure says nothing about this error's line
        return line
    return line


def _cname_conflict(placed: list[tuple[str, str, int]]) -> tuple[str | None, int | None]:
    """Find the first record line that gives a CNAME name other data, or vice versa."""
    kinds: dict[str, set[bool]] = {}
    for name, rtype, line in placed:
        if rtype in _CNAME_COMPATIBLE and rtype != "CNAME":
            continue
        seen = kinds.setdefault(name, set())
        seen.add(rtype == "CNAME")
        if len(seen) == 2:
            return name, line
    return None, None


def _record_data(rtype: str, text: str) -> str:
    """Return the rdata text with domain names lower case and without the final dot.

    Rules compare these names with FQDNs from other exports, which never end in a dot.
    """
    if rtype in _NAME_TYPES:
        return _name(text)
    fields = text.split()
    if rtype == "MX" and len(fields) == 2:
        return f"{fields[0]} {_name(fields[1])}"
    if rtype == "SRV" and len(fields) == 4:
        return " ".join([*fields[:3], _name(fields[3])])
    if rtype == "SOA" and len(fields) == 7:
        return " ".join([_name(fields[0]), _name(fields[1]), *fields[2:]])
    return text


def _name(text: str) -> str:
    """Normalise one domain name of rdata; the root stays "." (SRV's "no service")."""
    return normalize_fqdn(text) or "."


def _problem(source: Source, message: str, line: int | None) -> InputProblem:
    """Return an INP001 for this file at `line` (unknown if None)."""
    return InputProblem("INP001", message, source.location(line))
