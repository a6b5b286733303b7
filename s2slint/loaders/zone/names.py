"""dnspython's rules for the names and types of a zone's records, without dnspython if it can.

Every zone is scanned with these rules (which owner and type each record line has, and
the zone's origin); only a name or token out of the ordinary asks dnspython. They are
kept apart from `full`, dnspython's reader, which only the zones `plain` declines need:
a plain zone imports neither dnspython nor that reader.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from s2slint.loaders.zone.plain import join_plain_name
from s2slint.model import normalize_fqdn

if TYPE_CHECKING:
    import dns.name

# Types whose names need no lookup in dnspython's table (each is its own canonical name).
_COMMON_TYPES = frozenset({"A", "AAAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT"})
# dnspython's largest TTL.
_MAX_TTL = 0xFFFFFFFF


def resolve_name(text: str, origin: str | None) -> str | None:
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
        name = dns.name.from_text(text, None if origin is None else dns_name(origin))
    except (dns.exception.DNSException, ValueError, UnicodeError):
        return None
    return normalize_fqdn(name.to_text()) if name.is_absolute() else None


def dns_name(name: str) -> dns.name.Name:
    """Return dnspython's form of a normalised absolute name ("" is the root)."""
    import dns.name

    return dns.name.from_text(f"{name}.")


def record_type(tokens: tuple[str, ...]) -> str | None:
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
