"""A zone's lookups go through its by-name index: same answers as a scan, also after the cache."""

from __future__ import annotations

import pickle

from s2slint.cache import decode_result, encode_result
from s2slint.findings import Location
from s2slint.loaders.base import LoadResult
from s2slint.model import DnsRecord, DnsZone


def _zone() -> DnsZone:
    loc = Location("dns/z.dns", 1, 1)
    records = (
        DnsRecord("host.example.com", "A", "10.0.0.1", loc),
        DnsRecord("host.example.com", "TXT", "x", loc),
        DnsRecord("*.wild.example.com", "CNAME", "host.example.com", loc),
        DnsRecord("txtonly.wild.example.com", "TXT", "y", loc),
    )
    return DnsZone("example.com", loc, records)


def _answers(zone: DnsZone) -> list[tuple[str, ...]]:
    hosts = (
        "HOST.example.com.",
        "a.wild.example.com",
        "txtonly.wild.example.com",
        "none.example.com",
    )
    return [tuple(r.data for r in zone.lookup(h, ("A", "AAAA", "CNAME"))) for h in hosts]


def test_lookup_exact_wildcard_and_names_without_the_wanted_types() -> None:
    # A name with records (even none of the wanted types) hides the wildcard, as in DNS.
    assert _answers(_zone()) == [("10.0.0.1",), ("host.example.com",), (), ()]


def test_index_survives_the_cache_and_pickling_and_is_not_part_of_equality() -> None:
    zone = _zone()
    decoded = decode_result(encode_result(LoadResult("dns-zone", records=(zone,))))
    assert decoded is not None
    (again,) = decoded.records
    assert isinstance(again, DnsZone)
    assert again == zone and _answers(again) == _answers(zone)
    assert _answers(pickle.loads(pickle.dumps(zone))) == _answers(zone)
    assert "_by_name" not in repr(zone)


def test_index_joins_the_runs_of_a_name_in_record_order() -> None:
    """Records need not come sorted: a name met again keeps all its records, in order."""
    loc = Location("dns/z.dns", 1, 1)
    a1 = DnsRecord("a.example.com", "A", "10.0.0.1", loc)
    b = DnsRecord("b.example.com", "A", "10.0.0.2", loc)
    a2 = DnsRecord("a.example.com", "A", "10.0.0.3", loc)
    a3 = DnsRecord("a.example.com", "AAAA", "::1", loc)
    zone = DnsZone("example.com", loc, (a1, b, a2, a3))
    assert zone.lookup("a.example.com", ("A", "AAAA")) == (a1, a2, a3)
    assert zone.lookup("b.example.com", ("A",)) == (b,)
