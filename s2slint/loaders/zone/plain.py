"""Read plain zone files without dnspython.

Nearly every zone an administrator exports is plain: host names of letters, digits,
hyphens and underscores; A, AAAA, CNAME, MX, SRV, TXT, NS and SOA records; numeric TTLs.
dnspython reads such a file at about 15,000 records a second, most of it spent in its
general tokenizer and its zone transaction, and importing it costs a cold run about
60 ms. This module reads the plain subset itself, giving exactly the rows dnspython
would give (a differential test feeds both random zones to prove it).

Whatever it does not fully understand (escapes, `$GENERATE`, other types or classes,
unit TTLs such as `1h`, a CNAME beside other data, a value dnspython would refuse) makes
`read_plain` answer None, and the caller hands the whole file to dnspython, so errors
are always reported by the one parser that knows every corner of the format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from s2slint.loaders.zone.scan import ZoneEntry, owners

# Host names that need no escape, IDNA or special-character handling.
_PLAIN_NAME_RE = re.compile(r"[A-Za-z0-9_*-]+(?:\.[A-Za-z0-9_*-]+)*\.?")
# Dotted quads exactly as dnspython accepts them: four parts, 0-255, no leading zero.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4_RE = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
_IPV6_TEXT_RE = re.compile(r"[0-9A-Fa-f:]+")
# The bytes dnspython writes inside a TXT string without escaping them.
_PRINTABLE_RE = re.compile(r"[ !#-\[\]-~]*")

_MAX_UINT16 = 0xFFFF
_MAX_UINT32 = 0xFFFFFFFF  # also the largest TTL dnspython accepts
_MAX_LABEL = 63
_MAX_WIRE_NAME = 255
_MAX_TXT_STRING = 255

# Types dnspython lets hold a single record: a second one replaces the first.
_SINGLETON_TYPES = frozenset({"SOA", "CNAME", "DNAME"})


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class PlainZone:
    """What a plain zone file holds.

    `rows` are (owner, type, data) as dnspython's zone would list them, duplicates
    removed; `first_lines` gives the line of the first record of each (owner, type),
    in file order, including lines dnspython drops because their owner lies outside
    the zone.
    """

    rows: tuple[tuple[str, str, str], ...]
    first_lines: dict[tuple[str, str], int]


def join_plain_name(token: str, current: str | None) -> str | None:
    """Return the absolute, normalised name a plain `token` stands for, or None.

    `current` is the origin in effect ("" is the root, None unknown). None means the
    token is not plain, is too long for DNS, or is relative to an unknown origin:
    dnspython must decide.
    """
    if token == "@":
        return current
    if _PLAIN_NAME_RE.fullmatch(token) is None:
        return None
    if token.endswith("."):
        name = token[:-1].lower()
    elif current is None:
        return None
    else:
        name = f"{token}.{current}".lower() if current else token.lower()
    return name if len(name) <= _MAX_LABEL or _fits_dns(name) else None


def _fits_dns(name: str) -> bool:
    """Tell whether a dotted name keeps DNS's limits of 63 per label and 255 in all.

    `name` has no empty label, so its wire form (a length byte per label, the root's
    byte) is `len(name) + 2` bytes long; a name of at most 63 characters fits at once.
    """
    if len(name) <= _MAX_LABEL:
        return True
    if len(name) + 2 > _MAX_WIRE_NAME:
        return False
    return max(map(len, name.split("."))) <= _MAX_LABEL


def read_plain(entries: Sequence[ZoneEntry], origin: str) -> PlainZone | None:
    """Read every record of a plain zone, or return None to ask for dnspython.

    Follows dnspython's reader: `$ORIGIN` may be relative to the previous one; an
    indented line repeats the previous owner; a record needs a TTL from itself, `$TTL`,
    an earlier record or an earlier SOA; records outside the zone are dropped.
    """
    ttl_known = False
    seen: dict[tuple[str, str, str], None] = {}
    first_lines: dict[tuple[str, str], int] = {}
    inside = "." + origin
    for entry, current, owner, rest in owners(entries, origin, join_plain_name):
        if entry.directive is not None:
            if len(entry.tokens) != 2:
                return None
            if entry.directive == "$ORIGIN":
                if current is None:
                    return None
            elif entry.directive == "$TTL" and _number(rest[0], _MAX_UINT32) is not None:
                ttl_known = True
            else:
                return None
            continue
        if owner is None or current is None:
            return None
        parsed = _record(rest, current)
        if parsed is None:
            return None
        rtype, data, ttl_stated = parsed
        first_lines.setdefault((owner, rtype), entry.line)
        if owner != origin and origin and not owner.endswith(inside):
            continue  # outside the zone: dnspython skips the line (its place is kept)
        if rtype == "SOA" and owner != origin:
            return None  # dnspython: "non-origin SOA"
        if not (ttl_stated or ttl_known or rtype == "SOA"):
            return None  # dnspython: "Missing default TTL value"
        ttl_known = True
        seen[owner, rtype, data] = None
    rows = tuple(seen)
    if not _consistent(rows):
        return None
    return PlainZone(rows, first_lines)


def _record(tokens: Sequence[str], current: str) -> tuple[str, str, bool] | None:
    """Return (type, data, whether a TTL was stated) of one record's tokens, or None.

    The order is dnspython's: an optional TTL, an optional class, a TTL if none came
    yet, then the type and its data. (A TTL after no class is the first TTL again.)
    """
    count = len(tokens)
    index = 0
    ttl_stated = False
    if count and tokens[0][:1].isdigit():
        if _number(tokens[0], _MAX_UINT32) is None:
            return None  # `1h`, or too large: dnspython's TTL rules decide
        ttl_stated = True
        index = 1
    word = tokens[index].upper() if index < count else ""
    if word == "IN":
        index += 1
        if not ttl_stated and index < count and tokens[index][:1].isdigit():
            if _number(tokens[index], _MAX_UINT32) is None:
                return None
            ttl_stated = True
            index += 1
        word = tokens[index].upper() if index < count else ""
    reader = _RDATA_READERS.get(word)
    if reader is None:
        return None
    data = reader(tokens[index + 1 :], current)
    return None if data is None else (word, data, ttl_stated)


def _consistent(rows: Sequence[tuple[str, str, str]]) -> bool:
    """Tell whether dnspython would keep every row as it is.

    It refuses a CNAME beside other data, and keeps only the last of several records
    of a single-record type; both cases are left to it. Only owners with a record of
    such a type are looked at: they are a few of a large zone's owners.
    """
    special = {owner for owner, rtype, _ in rows if rtype in _SINGLETON_TYPES}
    if not special:
        return True
    types: dict[str, list[str]] = {}
    for owner, rtype, _ in rows:
        if owner in special:
            types.setdefault(owner, []).append(rtype)
    for owner_types in types.values():
        if "CNAME" in owner_types and len(owner_types) > 1:
            return False
        if any(owner_types.count(rtype) > 1 for rtype in _SINGLETON_TYPES):
            return False
    return True


# ---------------------------------------------------------------------------- rdata


def _number(token: str, maximum: int) -> int | None:
    """Return a decimal number of ASCII digits up to `maximum`, else None."""
    if not (token.isascii() and token.isdigit()):
        return None
    value = int(token)
    return value if value <= maximum else None


def _numbers(tokens: Sequence[str], maximum: int) -> list[str] | None:
    """Return the numbers as dnspython writes them (no leading zeros), or None."""
    values = [_number(token, maximum) for token in tokens]
    if any(value is None for value in values):
        return None
    return [str(value) for value in values]


def _name_data(name: str | None) -> str | None:
    """Return a domain name of rdata as the loader stores it; the root stays "."."""
    if name is None:
        return None
    return name or "."


def _a(tokens: Sequence[str], current: str) -> str | None:
    del current
    if len(tokens) != 1 or _IPV4_RE.fullmatch(tokens[0]) is None:
        return None
    return tokens[0]


def _aaaa(tokens: Sequence[str], current: str) -> str | None:
    """Normalise an IPv6 address with dnspython's own small address module.

    Its text form (which zero run becomes "::") is what rules compare, so the same
    function makes it; the module is light, unlike the zone parser.
    """
    del current
    if len(tokens) != 1 or _IPV6_TEXT_RE.fullmatch(tokens[0]) is None:
        return None
    import dns.exception
    import dns.ipv6

    try:
        return str(dns.ipv6.inet_ntoa(dns.ipv6.inet_aton(tokens[0])))
    except (dns.exception.DNSException, ValueError):
        return None


def _target(tokens: Sequence[str], current: str) -> str | None:
    """Rdata that is one domain name: CNAME, NS, PTR, DNAME."""
    if len(tokens) != 1:
        return None
    return _name_data(join_plain_name(tokens[0], current))


def _numbers_then_name(count: int) -> Callable[[Sequence[str], str], str | None]:
    """Return the reader of rdata made of `count` 16-bit numbers and a domain name.

    MX is a preference and an exchange; SRV a priority, weight and port, and a target.
    """

    def read(tokens: Sequence[str], current: str) -> str | None:
        if len(tokens) != count + 1:
            return None
        numbers = _numbers(tokens[:count], _MAX_UINT16)
        name = _name_data(join_plain_name(tokens[count], current))
        if numbers is None or name is None:
            return None
        return " ".join([*numbers, name])

    return read


def _soa(tokens: Sequence[str], current: str) -> str | None:
    """SOA: two names, the serial, then four TTL-like numbers (digits only here)."""
    if len(tokens) != 7:
        return None
    names = [_name_data(join_plain_name(token, current)) for token in tokens[:2]]
    numbers = _numbers(tokens[2:], _MAX_UINT32)
    if numbers is None or names[0] is None or names[1] is None:
        return None
    return " ".join([names[0], names[1], *numbers])


def _txt(tokens: Sequence[str], current: str) -> str | None:
    """TXT: quoted or bare strings of printable ASCII without quotes or backslashes."""
    del current
    if not tokens:
        return None
    strings = []
    for token in tokens:
        text = token[1:-1] if len(token) >= 2 and token[0] == token[-1] == '"' else token
        if len(text) > _MAX_TXT_STRING or _PRINTABLE_RE.fullmatch(text) is None:
            return None
        strings.append(f'"{text}"')
    return " ".join(strings)


_RDATA_READERS: dict[str, Callable[[Sequence[str], str], str | None]] = {
    "A": _a,
    "AAAA": _aaaa,
    "CNAME": _target,
    "NS": _target,
    "PTR": _target,
    "DNAME": _target,
    "MX": _numbers_then_name(1),
    "SRV": _numbers_then_name(3),
    "SOA": _soa,
    "TXT": _txt,
}
