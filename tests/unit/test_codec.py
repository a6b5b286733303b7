"""The cache codec writes values as their annotations say and reads back only what fits.

Values are tagged with their type only where the annotation does not say it; every
value read back is checked against its annotation, so a damaged or forged entry is
an error (a cache miss), never an object with a field of the wrong type.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import pytest

from s2slint.codec import Codec, Unsupported

T = TypeVar("T")


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True, slots=True)
class Spot:
    path: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Tagged(Generic[T]):
    value: T
    spot: Spot


@dataclass(frozen=True, slots=True)
class Thing:
    name: str
    spot: Spot
    spots: tuple[Spot, ...] = ()
    names: tuple[str, ...] = ()
    when: datetime | None = None
    colour: Colour = Colour.RED
    label: Tagged[str] | None = None
    pair: tuple[str, int] = ("a", 1)
    ratio: float = 0.5
    anything: object = None
    derived: int = field(init=False, default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Holder:
    items: tuple[object, ...]


CODEC = Codec((Spot, Tagged, Thing, Holder, Colour))

THING = Thing(
    "a",
    Spot("x.xml", 3),
    (Spot("y.xml"), Spot("z.xml", 9)),
    ("p", "q"),
    datetime(2026, 11, 21, 12, 30, tzinfo=UTC),
    Colour.BLUE,
    Tagged("v", Spot("w.xml", 1)),
    ("b", 2),
    2,
    (Spot("any.xml", 4), Colour.RED, datetime(2026, 1, 1), 7, None),
)


def round_trip(value: object) -> Any:
    return CODEC.decode(json.loads(json.dumps(CODEC.encode(value))))


def test_values_come_back_equal_and_of_their_types() -> None:
    back = round_trip(Holder((THING, Spot("s.xml"), Tagged(5, Spot("t.xml")))))
    assert back == Holder((THING, Spot("s.xml"), Tagged(5, Spot("t.xml"))))
    assert type(back.items[0].spots) is tuple and type(back.items[0].anything) is tuple


def test_only_what_the_annotation_does_not_say_is_tagged() -> None:
    written = CODEC.encode(Thing("a", Spot("x.xml", 3), when=datetime(2026, 1, 1)))
    assert written == {
        "Thing": [
            "a",
            ["x.xml", 3],
            [0, [], []],  # a tuple of one dataclass: its length, then its columns
            [],
            "2026-01-01T00:00:00",
            "red",
            None,
            ["a", 1],
            0.5,
            None,
        ]
    }
    spots = CODEC.encode(Thing("a", Spot("x"), spots=(Spot("y.xml"), Spot("z.xml", 9))))
    assert spots["Thing"][2] == [2, ["y.xml", "z.xml"], [None, 9]]  # type: ignore[index]
    assert CODEC.encode(Holder((Spot("x"), Colour.RED))) == {
        "Holder": [[{"Spot": ["x", None]}, {"Colour": "red"}]]
    }


@pytest.mark.parametrize(
    "value",
    [
        Thing(1, Spot("x")),  # type: ignore[arg-type]
        Thing("a", Spot("x", "3")),  # type: ignore[arg-type]
        Thing("a", Tagged("x", Spot("x"))),  # type: ignore[arg-type]
        Thing("a", Spot("x"), names=(1,)),  # type: ignore[arg-type]
        Thing("a", Spot("x"), label=Tagged(3, Spot("y"))),  # type: ignore[arg-type]
        Thing("a", Spot("x"), colour="red"),  # type: ignore[arg-type]
        Thing("a", Spot("x"), when="2026-01-01"),  # type: ignore[arg-type]
        Holder(({"a": 1},)),
        Holder((object(),)),
    ],
)
def test_a_value_its_annotation_does_not_allow_is_never_written(value: object) -> None:
    with pytest.raises(Unsupported):
        CODEC.encode(value)


GOOD = CODEC.encode(THING)


def _damaged(index: int, replacement: object) -> object:
    fields = list(json.loads(json.dumps(GOOD))["Thing"])
    fields[index] = replacement
    return {"Thing": fields}


@pytest.mark.parametrize(
    "data",
    [
        _damaged(0, 1),  # name: a number
        _damaged(1, ["x.xml", "3"]),  # spot.line: text
        _damaged(1, ["x.xml"]),  # spot: too few fields
        _damaged(1, {"Spot": ["x.xml", 3]}),  # spot: tagged where it must not be
        _damaged(2, [["x.xml", [3]]]),  # spots written as rows, not columns
        _damaged(2, [2, ["y.xml", "z.xml"], [None, "9"]]),  # a line that is text
        _damaged(2, [2, ["y.xml", "z.xml"], [None]]),  # columns of different lengths
        _damaged(2, [3, ["y.xml", "z.xml"], [None, 9]]),  # a count that is not theirs
        _damaged(2, [True, ["y.xml"], [None]]),  # a count that is no number
        _damaged(2, [1, ["y.xml"]]),  # a column missing
        _damaged(3, ["p", 2]),  # names: a number among them
        _damaged(4, 20261121),  # when: a number
        _damaged(5, "green"),  # colour: no such colour
        _damaged(6, [3, ["w.xml", 1]]),  # label: Tagged[str] holding a number
        _damaged(7, ["b"]),  # pair: one item short
        _damaged(8, "0.5"),  # ratio: text
        _damaged(9, {"Popen": [["sh"]]}),  # anything: a type outside the allowlist
        {"Thing": "not a list"},
        {"Spot": ["x"], "extra": 1},
    ],
)
def test_a_value_that_does_not_fit_its_annotation_is_never_read(data: object) -> None:
    assert CODEC.decode(json.loads(json.dumps(GOOD))) == THING
    with pytest.raises((KeyError, TypeError, ValueError)):
        CODEC.decode(data)


@dataclass(frozen=True, slots=True)
class Visit:
    place: str
    when: datetime
    folders: tuple[str, ...]


VISITS = tuple(
    Visit(
        "a.xml" if number % 3 else "b.xml",
        datetime(2026, 1, 1 + number % 2, tzinfo=UTC),
        ("servers", "fe-1") if number % 2 else ("servers",),
    )
    for number in range(6)
)
VISIT_CODEC = Codec((Visit,))


def test_a_column_of_repeated_values_is_written_once_per_distinct_value() -> None:
    written = VISIT_CODEC.encode_as(tuple[Visit, ...], VISITS)
    assert written == [
        6,
        {"distinct": ["b.xml", "a.xml"], "rows": [0, 1, 1, 0, 1, 1]},
        {
            "distinct": ["2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00"],
            "rows": [0, 1, 0, 1, 0, 1],
        },
        {"distinct": [["servers"], ["servers", "fe-1"]], "rows": [0, 1, 0, 1, 0, 1]},
    ]
    back = VISIT_CODEC.decode_as(tuple[Visit, ...], json.loads(json.dumps(written)))
    assert back == VISITS
    assert back[0].when is back[2].when  # each distinct value is built once, then shared


@pytest.mark.parametrize(
    "column",
    [
        {"distinct": ["a.xml"], "rows": [0, 1, 0, 0, 0, 0]},  # a row beyond the values
        {"distinct": ["a.xml"], "rows": [0, -1, 0, 0, 0, 0]},
        {"distinct": ["a.xml"], "rows": [0, True, 0, 0, 0, 0]},
        {"distinct": ["a.xml"], "rows": [0, "0", 0, 0, 0, 0]},
        {"distinct": [3], "rows": [0, 0, 0, 0, 0, 0]},  # a place is text
        {"distinct": ["a.xml"], "rows": [0, 0, 0, 0, 0, 0], "more": []},
        {"distinct": "a.xml", "rows": [0, 0, 0, 0, 0, 0]},
        {"distinct": ["a.xml"], "rows": [0, 0]},  # fewer rows than the table has
    ],
)
def test_a_column_of_distinct_values_that_does_not_fit_is_never_read(
    column: dict[str, Any],
) -> None:
    written = VISIT_CODEC.encode_as(tuple[Visit, ...], VISITS)
    assert isinstance(written, list)
    written[1] = column
    with pytest.raises((TypeError, ValueError)):
        VISIT_CODEC.decode_as(tuple[Visit, ...], json.loads(json.dumps(written)))


@dataclass(frozen=True, slots=True)
class Derived:
    name: str
    upper: str = field(init=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "upper", self.name.upper())


@dataclass(frozen=True, slots=True)
class HandMade:
    name: str

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "name", name.strip())


def test_columns_build_objects_equal_to_what_their_constructor_builds() -> None:
    """Plain frozen records are made by setting their slots; the rest through `__init__`."""
    import dataclasses

    from s2slint.codec import _slot_setters

    assert _slot_setters(Visit) is not None and _slot_setters(Spot) is not None
    assert _slot_setters(Derived) is None and _slot_setters(HandMade) is None
    codec = Codec((Visit, Derived, HandMade))
    back = codec.decode_as(
        tuple[Visit, ...], json.loads(json.dumps(codec.encode_as(tuple[Visit, ...], VISITS)))
    )
    assert back == VISITS and [hash(v) for v in back] == [hash(v) for v in VISITS]
    with pytest.raises(dataclasses.FrozenInstanceError):
        back[0].place = "c.xml"  # type: ignore[misc]
    derived = tuple(Derived(name) for name in ("a", "b", "c", "d"))
    written = codec.encode_as(tuple[Derived, ...], derived)
    assert codec.decode_as(tuple[Derived, ...], written)[2].upper == "C"
    made = codec.decode_as(tuple[HandMade, ...], [1, [" x "]])
    assert made == (HandMade("x"),)
