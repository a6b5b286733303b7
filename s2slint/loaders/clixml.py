"""A generic reader for PowerShell `Export-Clixml` files (MS-PSRP serialization).

It turns the XML into `PSObject`s whose every property keeps its location; what the
objects *mean* is decided in `loaders.powershell`. It understands type-name lists and
their `TNRef` back-references, `Ref` object back-references, adapted (`Props`) and
extended (`MS`) properties, the primitive tags, lists, dictionaries, enums and the
`_xHHHH_` escapes PowerShell uses for characters XML cannot carry.

Hostile documents cannot make it loop or blow up: a `Ref` or `TNRef` resolves only to
an object or type list completed *before* it (a reference to itself, to a later one or
to nothing is an INP001 problem), so values form no cycle; an object referred to again
in the same list is listed once (and `loaders.powershell` reads a top-level object
once), so references cannot multiply what the file holds; lists and dictionaries are
bounded by `s2slint.limits`, and so is the number of problems one file reports. Tags
it does not know are kept as text.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple, TypeVar, Union

from s2slint import limits as input_limits
from s2slint.findings import Location
from s2slint.loaders.base import InputProblem
from s2slint.loaders.xmldoc import ElementPosition, XmlDocument, XmlRejected, local_name
from s2slint.model import Located

if TYPE_CHECKING:
    from lxml import etree

CLIXML_NAMESPACE = "http://schemas.microsoft.com/powershell/2004/04"
DESERIALIZED = "Deserialized."

T = TypeVar("T")

PSValue = Union[str, int, float, bool, datetime, bytes, None, "PSObject"]

_ESCAPE_RUN = re.compile(r"(?:_x[0-9A-Fa-f]{4}_)+")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_FRACTION = re.compile(r"(\.\d{6})\d+")
_STRING_TAGS = frozenset({"S", "C", "G", "URI", "Version", "TS", "XD", "SBK", "SS", "PR", "D"})
_INT_TAGS = frozenset({"I16", "I32", "I64", "U16", "U32", "U64", "By", "SB"})
_FLOAT_TAGS = frozenset({"Db", "Sg"})
_LIST_TAGS = frozenset({"LST", "IE", "STK", "QUE"})


def unescape(text: str) -> str:
    """Undo PowerShell's `_xHHHH_` escapes, joining UTF-16 surrogate pairs."""

    def join(match: re.Match[str]) -> str:
        # One join, not `+=` per escape: a run of a million escapes stays linear.
        units = b"".join(
            int(hex_digits, 16).to_bytes(2, "little")
            for hex_digits in _ESCAPE.findall(match.group(0))
        )
        return units.decode("utf-16-le", errors="replace")

    return _ESCAPE_RUN.sub(join, text) if "_x" in text else text


def parse_datetime(text: str) -> datetime:
    """Parse a CLIXML `DT` value (ISO 8601 with up to 7 fractional digits).

    .NET writes ticks to 7 digits and Python reads 6; a value without an offset
    ("Unspecified" kind) is taken as UTC so that comparisons never fail.
    """
    value = text.strip()
    if "." in value:  # most dates have no fraction of a second
        value = _FRACTION.sub(r"\1", value)
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _base64(text: str) -> bytes:
    """Decode a `BA` value (characters outside the base64 alphabet are skipped)."""
    return base64.b64decode(text, validate=False)


# Tags whose text is converted and may be invalid (an INP001 then, and no value).
_CONVERTERS: dict[str, Callable[[str], PSValue]] = {
    **dict.fromkeys(_INT_TAGS, int),
    **dict.fromkeys(_FLOAT_TAGS, float),
    "DT": parse_datetime,
    "BA": _base64,
}


def _location(position: Location | ElementPosition) -> Location:
    """Return where `position` is (a CLIXML element is located only now)."""
    return position if isinstance(position, Location) else position.location()


def _located(value: T, position: Location | ElementPosition) -> Located[T]:
    """Return `value` at `position`; a CLIXML element is located without a `Location`."""
    if isinstance(position, Location):
        return Located.at(value, position)
    return position.located(value)


class PSProperty(NamedTuple):
    """A named value of an object, or an item of a list (`name` is then None).

    `position` is a `Location`, or for CLIXML the element the value was read from,
    located only if a record keeps the value (`loc`): most values never need one. A
    named tuple, as `PSObject` is: one is made for every value a file holds, and a
    frozen dataclass cost three times as much to make (see `tests/unit/test_holders.py`).
    """

    name: str | None
    value: PSValue
    tag: str
    position: Location | ElementPosition

    @property
    def loc(self) -> Location:
        """Return where the value is written."""
        return _location(self.position)

    def located(self, value: T) -> Located[T]:
        """Return `value` (what a record keeps of this property) located where it is written."""
        return _located(value, self.position)

    @property
    def text(self) -> str | None:
        """Return the value as PowerShell would print it (enums by name)."""
        value = self.value
        if value is None:
            return None
        if isinstance(value, PSObject):
            return value.to_string
        if isinstance(value, bool):
            return "True" if value else "False"
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")
        if isinstance(value, datetime):
            return value.isoformat()
        return str(value)


class PSObject(NamedTuple):
    """A deserialized object: type names (without `Deserialized.`), text and properties."""

    type_names: tuple[str, ...]
    to_string: str | None
    properties: dict[str, PSProperty]
    items: tuple[PSProperty, ...] | None
    position: Location | ElementPosition
    deserialized: bool = False
    extended: frozenset[str] = frozenset()

    @property
    def loc(self) -> Location:
        """Return where the object is written (see `PSProperty.position`)."""
        return _location(self.position)

    def located(self, value: T) -> Located[T]:
        """Return `value` located where the object is written."""
        return _located(value, self.position)

    def get(self, name: str) -> PSProperty | None:
        """Return a property by name, matching case-insensitively as PowerShell does."""
        found = self.properties.get(name)
        if found is not None:
            return found
        lowered = name.lower()
        for key, prop in self.properties.items():
            if key.lower() == lowered:
                return prop
        return None

    def has_type(self, type_name: str) -> bool:
        """Tell whether `type_name` is among the object's types (ignoring `#Decorated`)."""
        return any(name.partition("#")[0] == type_name for name in self.type_names)

    @property
    def is_enum(self) -> bool:
        """Tell whether this object is an enum value (its name is in `ToString`)."""
        return "System.Enum" in self.type_names


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ClixmlDocument:
    """The top-level objects of a CLIXML file and what was wrong inside it."""

    objects: tuple[PSProperty, ...]
    problems: tuple[InputProblem, ...]


class _Reader:
    """Walks one CLIXML tree, resolving `TNRef`/`Ref` against what it has seen."""

    def __init__(self, document: XmlDocument) -> None:
        self.document = document
        self.limits = input_limits.active()
        self.type_lists: dict[str, tuple[str, ...]] = {}
        self.objects: dict[str, PSObject] = {}
        self.problems: list[InputProblem] = []
        self.unlisted = 0
        self.first_unlisted: Location | None = None

    def read(self) -> ClixmlDocument:
        values: list[PSProperty] = []
        for index, element in enumerate(_children(self.document.root)):
            values.append(self.value(element, f"obj[{index}]", _name(element)))
        problems = list(self.problems)
        if self.first_unlisted is not None:
            problems.append(
                InputProblem(
                    "INP001",
                    f"malformed CLIXML: {self.unlisted:,} more problems in this file are not "
                    f"listed (at most {self.limits.max_problems_per_file:,} are); the first "
                    "is here",
                    self.first_unlisted,
                )
            )
        return ClixmlDocument(tuple(values), tuple(problems))

    def value(self, element: etree._Element, pointer: str, name: str | None) -> PSProperty:
        """Read one value element (`name` is its unescaped `N`, None without one).

        The tests run from the most to the least common tag of real exports.
        """
        tag = element.tag.rpartition("}")[2]  # the name without its namespace
        position = ElementPosition(self.document, element, pointer)
        text = element.text
        value: PSValue
        if tag in _STRING_TAGS:
            value = unescape(text) if text else ""
        elif tag == "Obj":
            value = self.object(element, pointer, position)
        elif tag in _CONVERTERS:
            value = self.convert(_CONVERTERS[tag], text or "", tag, position)
        elif tag == "Nil":
            value = None
        elif tag == "B":
            value = (text or "").strip().lower() == "true"
        elif tag == "Ref":
            ref = element.get("RefId", "")
            value = self.objects.get(ref)
            if value is None:
                self.problem(
                    f'reference to an object that was not defined before (RefId "{ref}")',
                    position,
                )
        else:
            # Unknown tags are kept as text: newer PowerShell versions may add some.
            value = unescape(text) if text and text.strip() else None
        return PSProperty(name, value, tag, position)

    def object(self, element: etree._Element, pointer: str, position: ElementPosition) -> PSObject:
        type_names: tuple[str, ...] = ()
        to_string: str | None = None
        properties: dict[str, PSProperty] = {}
        extended: set[str] = set()
        items: list[PSProperty] | None = None
        deserialized = False
        for child in _children(element):
            tag = child.tag.rpartition("}")[2]
            if tag == "TNRef":
                ref_id = child.get("RefId", "")
                if ref_id in self.type_lists:
                    type_names = self.type_lists[ref_id]
                else:
                    self.problem(
                        f'reference to a type list that was not defined (RefId "{ref_id}")',
                        ElementPosition(self.document, child, pointer),
                    )
            elif tag == "ToString":
                to_string = unescape(child.text or "")
            elif tag == "Props" or tag == "MS":
                for prop in _children(child):
                    name = _name(prop)
                    value = self.value(prop, f"{pointer}.{name}" if name else pointer, name)
                    # Adapted properties win over extended ones of the same name.
                    if name is not None and name not in properties:
                        properties[name] = value
                        if tag == "MS":
                            extended.add(name)
            elif tag == "TN":
                raw = tuple(
                    unescape(t.text or "")
                    for t in _children(child)
                    if t.tag.rpartition("}")[2] == "T"
                )
                deserialized = any(t.startswith(DESERIALIZED) for t in raw)
                type_names = tuple(t.removeprefix(DESERIALIZED) for t in raw)
                list_id = child.get("RefId")
                if list_id is not None:
                    self.type_lists[list_id] = type_names
            elif tag in _LIST_TAGS:
                self.check_length(child, pointer)
                items = self.list_items(child, pointer)
            elif tag == "DCT":
                self.check_length(child, pointer)
                items = self.dictionary_items(child, pointer)
            elif tag != "Obj" and to_string is None and child.text is not None:
                # A primitive directly inside Obj is the value of an enum or a boxed primitive.
                to_string = unescape(child.text)
        obj = PSObject(
            type_names=type_names,
            to_string=to_string,
            properties=properties,
            items=tuple(items) if items is not None else None,
            position=position,
            deserialized=deserialized,
            extended=frozenset(extended),
        )
        object_id = element.get("RefId")
        if object_id is not None:
            self.objects[object_id] = obj
        return obj

    def list_items(self, collection: etree._Element, pointer: str) -> list[PSProperty]:
        """Return the items of a list, an object referred to again (`Ref`) only once.

        A list holding the same object twice names it twice; s2slint reads lists as
        sets of names, and ten thousand `Ref`s to one object with a long name must not
        become ten thousand copies of it in every rule's output.
        """
        items: list[PSProperty] = []
        listed: set[int] = set()
        for index, element in enumerate(_children(collection)):
            item = self.value(element, f"{pointer}[{index}]", _name(element))
            if isinstance(item.value, PSObject):
                if id(item.value) in listed:
                    continue
                listed.add(id(item.value))
            items.append(item)
        return items

    def dictionary_items(self, dictionary: etree._Element, pointer: str) -> list[PSProperty]:
        """Return a dictionary's entries as items named by their keys (keyless ones left out)."""
        items: list[PSProperty] = []
        for index, entry in enumerate(_children(dictionary)):
            key = value = None
            for part in _children(entry):
                role = part.get("N")
                if role == "Key":
                    key = self.value(part, f"{pointer}[{index}].Key", role)
                elif role == "Value":
                    value = self.value(part, f"{pointer}[{index}].Value", role)
            if key is not None and key.text is not None:
                items.append(
                    PSProperty(key.text, value.value if value else None, "En", key.position)
                )
        return items

    def convert(
        self, function: Callable[[str], PSValue], text: str, tag: str, position: ElementPosition
    ) -> PSValue:
        try:
            return function(text.strip())
        except (ValueError, TypeError, OverflowError):
            self.problem(f'value "{text.strip()[:40]}" is not a valid {tag}', position)
            return None

    def check_length(self, collection: etree._Element, pointer: str) -> None:
        """Refuse the document if a list or dictionary is longer than the limit allows.

        The whole file is refused rather than the list cut short: a shortened list
        would look complete to the rules and could make them report wrongly.
        """
        length = len(collection)
        limit = self.limits.max_clixml_list_items
        if length > limit:
            raise XmlRejected(
                InputProblem(
                    "INP004",
                    f"CLIXML {local_name(collection)} with {length:,} items refused (more "
                    f"than {limit:,})",
                    self.document.element_location(collection, pointer),
                )
            )

    def problem(self, message: str, position: ElementPosition) -> None:
        """Record an INP001; beyond the per-file limit only count it.

        A file with a million damaged values must not become a million findings; the
        count of those left out is reported once, at the first of them.
        """
        if len(self.problems) < self.limits.max_problems_per_file:
            self.problems.append(
                InputProblem("INP001", f"malformed CLIXML: {message}", position.location())
            )
            return
        self.unlisted += 1
        if self.first_unlisted is None:
            self.first_unlisted = position.location()


def _children(element: etree._Element) -> Iterator[etree._Element]:
    """Return the element children (comments and processing instructions skipped).

    lxml's "*" matches elements only, of any namespace, and filters in C.
    """
    return element.iterchildren("*")


def _name(element: etree._Element) -> str | None:
    """Return a value's name (its `N` attribute, unescaped), None when it has none."""
    name = element.get("N")
    return unescape(name) if name is not None else None


def read_clixml(document: XmlDocument) -> ClixmlDocument:
    """Read every top-level object of a parsed CLIXML document.

    Raises:
        XmlRejected: INP004 when a list or dictionary is longer than the limit allows.
    """
    return _Reader(document).read()
