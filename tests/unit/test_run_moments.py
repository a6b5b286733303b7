"""The times of day at which a cached run's outcome may change (`runcache.moments_of`).

A run cache entry is served at another instant of the same day only when no date of
the model has its time of day in between: a date `moments_of` misses would let a stale
outcome be served. Each kind of record field a date can sit in is checked on its own,
the walk is compared with a plain one (every value visited in turn) on the models of
the shipped fixtures, and the dates it converts once per distinct value are checked
to be told apart wherever their times of day differ.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path

import pytest
from bundle_lint import lint_path

from s2slint.findings import Location
from s2slint.model import Located
from s2slint.runcache import _date_fields, moments_of, time_of_day

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HERE = Location("exports/record.xml", 3, 5)
COMMON = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
"""The date every field holds unless a test puts another one there."""
ODD = datetime(2027, 6, 30, 17, 45, 12, 250_000, tzinfo=timezone(timedelta(hours=-5)))
"""A date found only where a test puts it (22:45:12.25 UTC)."""


@dataclass(frozen=True, slots=True)
class Leaf:
    when: datetime | None
    name: str = "leaf"


@dataclass(frozen=True, slots=True)
class Branch:
    leaf: Leaf | None


@dataclass(frozen=True, slots=True)
class Record:
    """A record with every kind of field the model keeps a date in."""

    plain: datetime
    optional: datetime | None
    located: Located[datetime]
    optional_located: Located[datetime] | None
    dates: tuple[datetime, ...]
    leaf: Leaf
    optional_leaf: Leaf | None
    leaves: tuple[Leaf, ...]
    optional_leaves: tuple[Leaf, ...] | None
    branch: Branch
    anything: object
    things: tuple[object, ...]
    listed: list[object]
    label: Located[str]


def common_record() -> Record:
    return Record(
        plain=COMMON,
        optional=None,
        located=Located.at(COMMON, HERE),
        optional_located=None,
        dates=(COMMON,),
        leaf=Leaf(COMMON),
        optional_leaf=None,
        leaves=(Leaf(None), Leaf(COMMON)),
        optional_leaves=None,
        branch=Branch(Leaf(COMMON)),
        anything="text",
        things=(1, "two", None),
        listed=[],
        label=Located.at("label", HERE),
    )


ODD_PLACES = {
    "plain": ODD,
    "optional": ODD,
    "located": Located.at(ODD, HERE),
    "optional_located": Located.at(ODD, HERE),
    "dates": (COMMON, ODD),
    "leaf": Leaf(ODD),
    "optional_leaf": Leaf(ODD),
    "leaves": (Leaf(None), Leaf(COMMON), Leaf(ODD)),
    "optional_leaves": (Leaf(ODD),),
    "branch": Branch(Leaf(ODD)),
    "anything": Leaf(ODD),
    "things": ("text", (Located.at(ODD, HERE),)),
    "listed": [None, [ODD]],
}


@pytest.mark.parametrize("field", sorted(ODD_PLACES))
def test_a_date_is_found_in_every_kind_of_record_field(field: str) -> None:
    common = common_record()
    assert moments_of((common,)) == (time_of_day(COMMON),)
    record = replace(common, **{field: ODD_PLACES[field]})
    records = (common, record, common)  # among records that do not hold it
    assert moments_of(records) == tuple(sorted({time_of_day(COMMON), time_of_day(ODD)}))
    assert time_of_day(ODD) == ((22 * 60 + 45) * 60 + 12) * 1_000_000 + 250_000


def test_every_date_field_of_the_test_record_is_walked() -> None:
    """The record above covers the fields the walk reads (a str-only field it skips)."""
    assert set(_date_fields(Record)) == set(ODD_PLACES)


class Zone(tzinfo):
    """A zone whose offset depends on the date (summer time from April to September)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        assert dt is not None
        return timedelta(hours=2 if 4 <= dt.month <= 9 else 1)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)


class Moment(datetime):
    """A datetime of another type (a library's own)."""


def test_dates_are_told_apart_wherever_their_times_of_day_differ() -> None:
    zone = Zone()
    dates = (
        datetime(2027, 1, 1, 10, 0),  # naive: read as UTC, 10:00
        datetime(2027, 1, 1, 10, 0, tzinfo=timezone(timedelta(hours=1))),  # 09:00
        datetime(2027, 1, 1, 10, 0, tzinfo=timezone(timedelta(hours=1), "CET")),  # 09:00
        datetime(2028, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2))),  # 08:00
        datetime(2027, 1, 1, 10, 0, tzinfo=zone),  # winter: 09:00
        datetime(2027, 7, 1, 10, 0, tzinfo=zone),  # summer: 08:00
        datetime(2027, 7, 1, 10, 0, 0, 1, tzinfo=zone),  # 08:00:00.000001
        Moment(2027, 1, 1, 11, 30, tzinfo=UTC),  # 11:30
        datetime(2027, 1, 1, 23, 30, tzinfo=timezone(timedelta(hours=-1))),  # 00:30
    )
    hour = 3_600_000_000
    assert moments_of(dates) == (
        hour // 2,
        8 * hour,
        8 * hour + 1,
        9 * hour,
        10 * hour,
        23 * hour // 2,
    )
    assert moments_of(dates) == tuple(sorted({time_of_day(d) for d in dates}))


def test_a_date_conversion_that_fails_still_fails() -> None:
    """One of many equal clock readings cannot hide the one whose conversion overflows."""
    ahead = timezone(timedelta(hours=1))
    dates = (datetime(2027, 1, 1, 0, 30, tzinfo=ahead), datetime(1, 1, 1, 0, 30, tzinfo=ahead))
    with pytest.raises(OverflowError):
        time_of_day(dates[1])
    with pytest.raises(OverflowError):
        moments_of(dates)


def visited_one_by_one(value: object, found: set[int]) -> None:
    """The plain walk: every value in turn, into the fields that may hold a date."""
    if isinstance(value, datetime):
        found.add(time_of_day(value))
    elif isinstance(value, tuple | list):
        for item in value:
            visited_one_by_one(item, found)
    elif is_dataclass(value):
        for name in _date_fields(type(value)):
            visited_one_by_one(getattr(value, name), found)


FIXTURE_BUNDLES = sorted(path.name for path in FIXTURES.iterdir() if path.is_dir())


@pytest.mark.parametrize("fixture", FIXTURE_BUNDLES)
def test_the_models_of_the_fixtures_give_what_a_plain_walk_gives(fixture: str) -> None:
    model = lint_path(FIXTURES / fixture).model
    expected: set[int] = set()
    visited_one_by_one(model, expected)
    assert expected, "the fixture holds dates"
    assert moments_of(model) == tuple(sorted(expected))


def date_holders(value: object, holder: str, found: set[str]) -> None:
    """Name the record types whose fields (directly or in a `Located`) hold a date."""
    if isinstance(value, datetime):
        found.add(holder)
    elif isinstance(value, tuple | list):
        for item in value:
            date_holders(item, holder, found)
    elif is_dataclass(value):
        name = holder if isinstance(value, Located) else type(value).__name__
        for field in fields(value):
            date_holders(getattr(value, field.name), name, found)


def test_the_fixtures_hold_dates_in_every_record_type_that_has_them() -> None:
    """The comparison above is worth making: the fixtures' dates sit in all these types."""
    found: set[str] = set()
    for fixture in FIXTURE_BUNDLES:
        date_holders(lint_path(FIXTURES / fixture).model, "Model", found)
    assert found == {"Certificate", "CsCertificate", "EmbeddedCertificate", "HybridConfiguration"}


def test_a_run_s_turning_points_are_its_dates_their_minutes_and_every_whole_hour() -> None:
    from s2slint.runcache import turning_points

    hour, minute = 3_600_000_000, 60_000_000
    points = turning_points((ODD,))
    assert set(points) == {time_of_day(ODD), time_of_day(ODD) // minute * minute} | {
        number * hour for number in range(24)
    }
    assert list(points) == sorted(points)
