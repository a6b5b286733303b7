"""Read a zone file with dnspython: every corner of the format, and its errors.

Zones the plain reader declines (escapes, `$GENERATE`, unit TTLs, other types) come
here. dnspython keeps no line numbers, so the records are placed on their lines by
walking the scanned entries (`scan.owners`) with dnspython's own name rules (`names`),
and its error messages are taken apart to say on which line the problem is.

dnspython is imported only inside these functions: importing `dns.zone` costs about
60 ms, which plain zones never pay; nor do they import this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from s2slint.loaders.zone.names import dns_name, record_type, resolve_name
from s2slint.loaders.zone.scan import Scan, ZoneEntry, owners
from s2slint.model import normalize_fqdn

if TYPE_CHECKING:
    import dns.name
    import dns.zone

# dnspython's own error messages start with "<filename>:<line>: "; a fixed file name
# makes that prefix easy to take apart. Only a zone dnspython rejects needs these
# patterns: they are compiled then (and kept by `re`'s cache), not on import.
_PARSE_FILENAME = "s2slint-zone"
_WHERE_RE = r"(?s)^" + re.escape(_PARSE_FILENAME) + r":(\d+):[ \t]*(.*)$"
_CAUGHT_RE = r"(?s)^caught exception <class '[^']*'>:[ \t]*(.*)$"
# "got 3" is the number of dnspython's internal token type.
_EXTRA_RE = r'(?s)^expected EOL or EOF, got \d+ "(.*)"$'

# Types that may share a name with a CNAME (DNSSEC material), as dnspython counts them.
_CNAME_COMPATIBLE = frozenset({"CNAME", "RRSIG", "NSEC", "NSEC3", "KEY"})
# Record types whose whole rdata is one domain name.
_NAME_TYPES = frozenset({"CNAME", "NS", "PTR", "DNAME"})


def place_records(entries: tuple[ZoneEntry, ...], origin: str) -> list[tuple[str, str, int]]:
    """Return (owner, type, line) for every record line, in file order.

    Owners are resolved with dnspython's name rules (`resolve_name`); a record whose
    owner or type cannot be told is left out, and dnspython reports it.
    """
    placed: list[tuple[str, str, int]] = []
    for entry, _, owner, rest in owners(entries, origin, resolve_name):
        if entry.directive is not None or not entry.tokens:
            continue
        rtype = record_type(rest)
        if owner is not None and rtype is not None:
            placed.append((owner, rtype, entry.line))
    return placed


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ParseFailure:
    """Why dnspython refused the zone, and on which line (None if unknown)."""

    message: str
    line: int | None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Parsed:
    """The records dnspython read, as (owner, type, data) rows."""

    rows: tuple[tuple[str, str, str], ...]


def parse(
    text: str,
    lines: list[str],
    origin: str,
    scan: Scan,
    placed: list[tuple[str, str, int]],
) -> Parsed | ParseFailure:
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
            return ParseFailure(
                "cannot parse zone file: a parenthesis opened here is never closed",
                scan.unclosed_line,
            )
        if line is not None:
            line = _confirm_line(lines, origin, line, detail)
        message = f"cannot parse zone file: {detail}"
        if scan.unclosed_line is not None and (line is None or line > scan.unclosed_line):
            message += f" (the parenthesis opened on line {scan.unclosed_line} is never closed)"
        return ParseFailure(message, line)
    except dns.zonefile.CNAMEAndOtherData:
        conflict, line = _cname_conflict(placed)
        what = f'"{conflict}"' if conflict else "a name"
        return ParseFailure(
            f"cannot parse zone file: {what} has a CNAME record and other records; "
            "a name with a CNAME can have no other data",
            line,
        )
    except dns.exception.DNSException as exc:
        return ParseFailure(f"cannot parse zone file: {_clean(str(exc))}", None)
    except (ValueError, UnicodeError, OverflowError) as exc:
        return ParseFailure(f"cannot parse zone file: {_clean(str(exc))}", None)

    rows: list[tuple[str, str, str]] = []
    for name, node in zone.nodes.items():
        owner = normalize_fqdn(name.to_text())
        for rdataset in node:
            rtype = str(dns.rdatatype.to_text(rdataset.rdtype))
            for rdata in rdataset:
                rows.append((owner, rtype, _record_data(rtype, str(rdata.to_text()))))
    return Parsed(tuple(rows))


def _from_text(text: str, origin: str) -> dns.zone.Zone:
    """Call dnspython with the only settings s2slint accepts.

    `allow_include=False` is the second lock on `$INCLUDE` (the first is removing the
    line); `check_origin=False` because an export may lack the apex NS records.
    """
    import dns.zone

    return dns.zone.from_text(
        text,
        origin=dns_name(origin),
        relativize=False,
        check_origin=False,
        allow_include=False,
        filename=_PARSE_FILENAME,
    )


def _split_where(message: str) -> tuple[int | None, str]:
    """Take dnspython's "<file>:<line>: detail" apart into a line and a clean detail."""
    match = re.match(_WHERE_RE, message)
    if match is None:
        return None, _clean(message)
    return int(match.group(1)), _clean(match.group(2))


def _clean(detail: str) -> str:
    """Drop dnspython's wrapping of Python exceptions; never return an empty message."""
    match = re.match(_CAUGHT_RE, detail)
    if match is not None:
        detail = match.group(1)
    detail = detail.strip()
    match = re.match(_EXTRA_RE, detail)
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
