"""A zone holds its records as columns and makes `DnsRecord`s on demand.

Lookups answer as a scan of the records would, also after the cache and pickling; the
records made from the columns are exactly those the zone was made of (locations
included); a cache entry whose columns do not make a valid zone is a miss.
"""

from __future__ import annotations

import json
import pickle

import pytest

from s2slint.cache import FORMAT, decode_result, encode_result, result_codec
from s2slint.findings import Location
from s2slint.loaders.base import LoadResult
from s2slint.model import DnsRecord, DnsZone, Model
from s2slint.reporters.values import ValueIndex

PATH = "dns/z.dns"
ZONE_LOC = Location(PATH, 1, 1)


def _at(name: str, rtype: str, line: int | None) -> Location:
    """Where a zone file puts a record: its line, column 1, pointer `name/type`."""
    return Location(PATH, line, None if line is None else 1, f"{name}/{rtype}")


def _zone() -> DnsZone:
    records = (
        DnsRecord("host.example.com", "A", "10.0.0.1", _at("host.example.com", "A", 2)),
        DnsRecord("host.example.com", "TXT", "x", _at("host.example.com", "TXT", 3)),
        DnsRecord(
            "*.wild.example.com", "CNAME", "host.example.com", _at("*.wild.example.com", "CNAME", 4)
        ),
        DnsRecord(
            "txtonly.wild.example.com", "TXT", "y", _at("txtonly.wild.example.com", "TXT", 5)
        ),
    )
    return DnsZone.from_records("example.com", ZONE_LOC, records)


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


def test_zone_survives_the_cache_and_pickling() -> None:
    zone = _zone()
    decoded = decode_result(encode_result(LoadResult("dns-zone", records=(zone,))))
    assert decoded is not None
    (again,) = decoded.records
    assert isinstance(again, DnsZone)
    assert again == zone and _answers(again) == _answers(zone)
    assert again.records == zone.records
    assert pickle.loads(pickle.dumps(zone)) == zone


def test_records_come_back_exactly_with_their_locations() -> None:
    """Zone-file locations are held as lines; any other location is kept whole."""
    conventional = (
        DnsRecord("a.example.com", "A", "10.0.0.1", _at("a.example.com", "A", 7)),
        DnsRecord("b.example.com", "TXT", "t", _at("b.example.com", "TXT", None)),
    )
    zone = DnsZone.from_records("example.com", ZONE_LOC, conventional)
    assert zone.records == conventional and zone.places == ()
    assert zone.lines == (7, None)
    # A PowerShell export's record sits at its HostName element, pointer as written.
    odd = (
        DnsRecord("a.example.com", "CNAME", "x.example.com", Location(PATH, 12, 9, "a/Cname")),
        DnsRecord("b.example.com", "A", "10.0.0.2", Location("other.xml", 3, 1, "b/A")),
    )
    zone = DnsZone.from_records("example.com", ZONE_LOC, odd)
    assert zone.records == odd and len(zone.places) == 2
    assert zone.lookup("a.example.com", ("CNAME",))[0].loc == Location(PATH, 12, 9, "a/Cname")


def test_a_names_records_keep_their_order_when_not_sorted() -> None:
    """Records need not come sorted: a name met again keeps all its records, in order."""
    loc = Location(PATH, 1, 1)
    a1 = DnsRecord("a.example.com", "A", "10.0.0.3", loc)
    b = DnsRecord("b.example.com", "A", "10.0.0.2", loc)
    a2 = DnsRecord("a.example.com", "A", "10.0.0.1", loc)
    a3 = DnsRecord("a.example.com", "AAAA", "::1", loc)
    zone = DnsZone.from_records("example.com", loc, (a1, b, a2, a3))
    assert zone.lookup("a.example.com", ("A", "AAAA")) == (a1, a2, a3)
    assert zone.lookup("b.example.com", ("A",)) == (b,)
    assert zone.records == (a1, a2, a3, b)


@pytest.mark.parametrize(
    ("columns", "places"),
    [
        ((("a", "b"), ("A",), ("1", "2"), (1, 2)), ()),  # a column too short
        ((("a", "b"), ("A", "A"), ("1", "2"), (1, 2, 3)), ()),  # a column too long
        ((("b", "a"), ("A", "A"), ("1", "2"), (1, 2)), ()),  # names out of order
        ((("a",), ("A",), ("1",), (1,)), (ZONE_LOC, ZONE_LOC)),  # a location too many
    ],
)
def test_columns_that_make_no_zone_are_refused(
    columns: tuple[tuple[object, ...], ...], places: tuple[Location, ...]
) -> None:
    with pytest.raises(ValueError):
        DnsZone("example.com", ZONE_LOC, *columns, places=places)  # type: ignore[arg-type]


def _entry_with(**changes: object) -> str:
    """A cache entry body of `_zone()` with some of its fields replaced."""
    written = result_codec().encode(LoadResult("dns-zone", records=(_zone(),)))
    assert isinstance(written, dict)
    zone = written["LoadResult"][1][0]["DnsZone"]
    fields = ("origin", "loc", "names", "rtypes", "data", "lines", "places")
    for name, value in changes.items():
        zone[fields.index(name)] = value
    return json.dumps({"format": FORMAT, "result": written})


@pytest.mark.parametrize(
    "changes",
    [
        {"names": ["*.wild.example.com", "host.example.com"]},  # shorter than the others
        {"lines": [2, 3, 4, 5, 6]},  # longer than the others
        {"names": ["z", "y", "x", "w"]},  # out of order: lookups would miss
        {"names": [1, 2, 3, 4]},  # not strings
        {"lines": [2, 3, True, 5]},  # a boolean is no line
        {"lines": [2, 3, "4", 5]},
        {"data": "10.0.0.1"},  # not a column
        {"places": [1, ["dns/z.dns"], [1], [1], ["a"]]},  # one location for four records
    ],
)
def test_a_damaged_zone_entry_is_a_miss(changes: dict[str, object]) -> None:
    assert decode_result(_entry_with()) is not None  # the undamaged entry decodes
    assert decode_result(_entry_with(**changes)) is None


def test_reports_find_the_value_of_a_record_held_in_columns() -> None:
    """The markdown and HTML reports show the record a finding points at."""
    values = ValueIndex(Model(dns_zones=(_zone(),)))
    assert values.value_at(_at("host.example.com", "TXT", 3)) == "host.example.com TXT x"
