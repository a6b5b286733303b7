"""A compact JSON form of s2slint's frozen dataclasses, decoding only into an allowlist.

The caches store loaded records and run results between runs. pickle would be faster
to write but a cache folder may come from someone else (committed by mistake, shared
in CI), and unpickling runs code; JSON decoded by this codec can only ever build the
types it was given.

The form follows the annotations. A dataclass is the list of its field values in
declaration order, each written as its field's annotation says: a `Location` field
holds `["a.xml", 3, 1, null]`, a `datetime` field its ISO text, an enum field its
value, a `tuple[str, ...]` field a list. A tuple of one dataclass is written as
columns: its length, then the list of each field's values (`tuple[Location, ...]`
holding two locations is `[2, ["a.xml", "b.xml"], [3, 7], [1, 1], [null, null]]`).
Only where the annotation does not say which type a value has (`object`, a type variable left open, a union of
several dataclasses) is the value tagged: a dataclass as a one-key object, its type
name to its fields (`{"Location": [...]}`), a datetime `{"$dt": iso}`, an enum
`{"Severity": 2}`; the value a cache entry holds at its top is tagged too.

Each annotation is turned once into a decoder that checks what it reads (a `str`
field must hold a string, a `Location` field a list of four fitting values) and builds
the object: an entry with a field of the wrong type fails to decode (a cache miss)
instead of building a finding whose `line` is a list and failing a reporter later.
Deciding per type rather than per value is what makes a large entry (a zone of
40,000 records) quick to read back. Encoding checks the same way: a value of a type
its annotation does not allow is `Unsupported`, never written.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import math
import types
import typing
from collections import deque
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter, contains
from typing import Any

_DATETIME = "$dt"

Build = Callable[[Any], Any]
"""Turns the JSON form of a value into the value; raises on anything else."""


class Unsupported(ValueError):
    """A value of a type the codec was not given (a plugin's own record type)."""


class _Anything:
    """A stand-in for the set of every type (fields annotated `object` or `T`)."""

    def __contains__(self, item: object) -> bool:
        return True


_ANYTHING = _Anything()
_PLAIN = frozenset({str, int, bool, float, type(None)})
"""The types JSON holds as they are."""


@dataclass(frozen=True, slots=True)
class _Form:
    """How one annotation is written and read.

    `outer` holds the exact types the value may have (None: any). A value that JSON
    holds as it is (a string, a number, null) has no `build` and no `write`: it is
    only checked against `outer`. Any other value is read by `build` and written by
    `write`; `raw` holds the JSON types its written form may have, so that a union of
    plain types and one such member can tell them apart.
    """

    outer: frozenset[type] | None
    build: Build | None = None
    write: Callable[[Any], Any] | None = None
    raw: frozenset[type] = frozenset()
    table: _ClassForm | None = None
    """Set when the form is one dataclass: a tuple of them is written as columns."""
    optional: _ClassForm | None = None
    """Set when the form is one dataclass or None: a column of them is written as a
    string of presence flags and the columns of the values present."""


class _ClassForm:
    """The form of a dataclass (with its type variables bound): a list of its fields.

    Made before its fields' forms are worked out, so a type may refer to itself.
    """

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.names: tuple[str, ...] = ()
        self.forms: tuple[_Form, ...] = ()
        self.built: tuple[tuple[int, Build], ...] = ()
        self.writes: tuple[Callable[[Any], Any] | None, ...] = ()
        self.allowed: tuple[Container[type], ...] = ()
        self.signatures: frozenset[tuple[type, ...]] | None = None
        self.setters = _slot_setters(cls)

    def fill(self, forms: list[_Form], names: tuple[str, ...]) -> None:
        """Take the forms of the fields the constructor takes, in order."""
        self.names = names
        self.forms = tuple(forms)
        self.built = tuple((i, form.build) for i, form in enumerate(forms) if form.build)
        self.writes = tuple(form.write for form in forms)
        self.allowed = tuple(_ANYTHING if f.outer is None else f.outer for f in forms)
        outers = [form.outer for form in forms]
        if all(outers) and math.prod(len(o or ()) for o in outers) <= _MAX_SIGNATURES:
            # Few allowed combinations (Location, DnsRecord, ...): one set lookup.
            self.signatures = frozenset(itertools.product(*(o or () for o in outers)))

    def build(self, data: Any) -> Any:
        """Build the object from the list of its fields' JSON forms."""
        if type(data) is not list or len(data) != len(self.names):
            raise TypeError(f"fields of {self.cls.__name__} are not a list of them")
        for index, build in self.built:
            data[index] = build(data[index])  # the list is this entry's own, fresh
        if self.signatures is not None:
            fits = tuple(map(type, data)) in self.signatures
        else:
            fits = all(map(contains, self.allowed, map(type, data)))
        if not fits:
            raise TypeError(f"fields of {self.cls.__name__} do not have their types")
        return self.cls(*data)

    def write(self, value: Any) -> list[Any]:
        """Return the list of the fields' JSON forms (`Unsupported` for another type)."""
        if type(value) is not self.cls:
            raise Unsupported(type(value).__name__)
        written = []
        for name, write, allowed in zip(self.names, self.writes, self.allowed, strict=True):
            field = getattr(value, name)
            if write is not None:
                written.append(write(field))
            elif type(field) in allowed:
                written.append(field)
            else:
                raise Unsupported(f"{type(field).__name__} in {self.cls.__name__}.{name}")
        return written

    def build_columns(self, data: Any) -> list[Any]:
        """Build the objects of a tuple written by `write_columns`."""
        if type(data) is not list or len(data) != len(self.forms) + 1 or type(data[0]) is not int:
            raise TypeError(f"not the columns of a tuple of {self.cls.__name__}")
        count = data[0]
        columns = []
        for form, column in zip(self.forms, data[1:], strict=True):
            if form.table is not None:
                column = form.table.build_columns(column)
            elif form.optional is not None:
                column = _build_optional_column(form.optional, column)
            elif type(column) is dict:
                column = _build_shared_column(form, column)
            elif type(column) is not list:
                raise TypeError(f"a column of {self.cls.__name__} is not a list")
            elif form.build is not None:
                column = list(map(form.build, column))
            elif form.outer is not None and not form.outer.issuperset(map(type, column)):
                raise TypeError(f"a column of {self.cls.__name__} has values of the wrong type")
            if len(column) != count:
                raise TypeError(f"the columns of {self.cls.__name__} differ in length")
            columns.append(column)
        if self.setters is None:
            return list(map(self.cls, *columns))
        # Each field set for all the objects at once (see `_slot_setters`).
        objects: list[Any] = list(map(object.__new__, itertools.repeat(self.cls, count)))
        for setter, column in zip(self.setters, columns, strict=True):
            deque(map(setter, objects, column), maxlen=0)
        return objects

    def write_columns(self, values: Any) -> list[Any]:
        """Write a tuple of this class as its length and one list per field.

        A zone holds tens of thousands of records: read column by column, each field
        is checked in one pass over its column and the objects are made in one `map`,
        instead of a list, a check and a call per record.
        """
        if not isinstance(values, tuple | list):
            raise Unsupported(type(values).__name__)
        if any(type(value) is not self.cls for value in values):
            raise Unsupported(f"an item that is no {self.cls.__name__}")
        written: list[Any] = [len(values)]
        for name, form in zip(self.names, self.forms, strict=True):
            column = list(map(attrgetter(name), values))
            if form.table is not None:
                written.append(form.table.write_columns(column))
            elif form.optional is not None:
                present = [value for value in column if value is not None]
                flags = "".join("0" if value is None else "1" for value in column)
                written.append([flags, form.optional.write_columns(present)])
            elif form.write is not None:
                written.append(_shared(list(map(form.write, column))))
            elif form.outer is None or form.outer.issuperset(map(type, column)):
                written.append(_shared(column))
            else:
                raise Unsupported(f"a value of the wrong type in {self.cls.__name__}.{name}")
        return written


_MAX_SIGNATURES = 1024


def _slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...] | None:
    """Return how to set each field of `cls`, if its objects may be made by setting them.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`, a
    call per field and object: decoding a large estate's columns (tens of thousands of
    located values) spent half its time there. A class whose `__init__` is the one
    `dataclasses` wrote, with no `__post_init__` and only fields it takes, and whose
    fields are its own slots, gets from `__init__` exactly its fields' values: such
    objects are made empty and each field set for all of them at once through its
    slot, as `copy` and `pickle` make objects. Any other class is built by `__init__`.
    """
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__"):
        return None
    fields = dataclasses.fields(cls)
    names = tuple(f.name for f in fields)
    init = cls.__dict__.get("__init__")
    written = getattr(init, "__code__", None)
    if (
        not all(f.init for f in fields)
        or tuple(cls.__dict__.get("__slots__", ())) != names
        or written is None
        or written.co_filename != "<string>"  # written by `dataclasses`, not by hand
    ):
        return None
    return tuple(cls.__dict__[name].__set__ for name in names)


class Codec:
    """Encoder and decoder for a fixed set of dataclass and enum types."""

    def __init__(self, classes: Iterable[type]) -> None:
        self._by_name: dict[str, type] = {}
        self._enums: dict[str, type[enum.Enum]] = {}
        self._classes: dict[tuple[type, tuple[object, ...]], _ClassForm] = {}
        self._forms: dict[object, _Form] = {}
        for cls in classes:
            self._by_name[cls.__name__] = cls
            if isinstance(cls, type) and issubclass(cls, enum.Enum):
                self._enums[cls.__name__] = cls
        self._tagged = _Form(None, self._build_tagged, self._write_tagged)

    def encode(self, value: object) -> object:
        """Return `value` as JSON-ready data; raise `Unsupported` for a foreign type."""
        return self._write_tagged(value)

    def decode(self, data: Any) -> Any:
        """Rebuild what `encode` wrote; raise KeyError/TypeError/ValueError on anything else."""
        return self._build_tagged(data)

    def holds(self, cls: type) -> bool:
        """Tell whether `cls` is one of the dataclasses this codec writes and reads."""
        return self._by_name.get(cls.__name__) is cls and dataclasses.is_dataclass(cls)

    def class_named(self, name: str) -> type | None:
        """Return the dataclass of this codec called `name`, if there is one."""
        cls = self._by_name.get(name)
        return cls if cls is not None and self.holds(cls) else None

    def encode_as(self, hint: object, value: object) -> object:
        """Return `value` as JSON-ready data, written as annotation `hint` says.

        Untagged: only `decode_as` with the same annotation reads it back. A tuple of
        one dataclass so becomes columns, whatever holds it.
        """
        return _written(self._form(hint), value)

    def decode_as(self, hint: object, data: Any) -> Any:
        """Rebuild what `encode_as` wrote for `hint`; raise on anything else."""
        return _read(self._form(hint), data)

    # ------------------------------------------------------------ tagged values

    def _write_tagged(self, value: Any) -> Any:
        """Write a value whose type its annotation does not say (see the module)."""
        if value is None or isinstance(value, bool | str | float):
            return value
        if isinstance(value, enum.Enum):
            if self._enums.get(type(value).__name__) is not type(value):
                raise Unsupported(type(value).__name__)
            return {type(value).__name__: value.value}
        if isinstance(value, int):
            return value
        if isinstance(value, tuple | list):
            return [self._write_tagged(item) for item in value]
        if isinstance(value, datetime):
            return {_DATETIME: value.isoformat()}
        cls = self._by_name.get(type(value).__name__)
        if cls is not type(value) or not dataclasses.is_dataclass(cls):
            raise Unsupported(type(value).__name__)
        return {cls.__name__: self._class(cls, ()).write(value)}

    def _build_tagged(self, data: Any) -> Any:
        """Read a value written by `_write_tagged`."""
        if isinstance(data, list):
            return tuple([self._build_tagged(item) for item in data])
        if isinstance(data, dict):
            if len(data) != 1:
                raise ValueError("not a codec object")
            ((name, payload),) = data.items()
            if name == _DATETIME:
                return _datetime(payload)
            enumeration = self._enums.get(name)
            if enumeration is not None:
                return enumeration(payload)
            cls = self._by_name[name]
            if not dataclasses.is_dataclass(cls):
                raise TypeError(f"{name} is no dataclass")
            return self._class(cls, ()).build(payload)
        return data

    # -------------------------------------------------------------- annotations

    def _class(self, cls: type, arguments: tuple[object, ...]) -> _ClassForm:
        """Return the form of dataclass `cls` with its type variables bound to `arguments`."""
        key = (cls, arguments)
        known = self._classes.get(key)
        if known is not None:
            return known
        made = self._classes[key] = _ClassForm(cls)
        bound = dict(zip(getattr(cls, "__parameters__", ()), arguments, strict=False))
        hints = typing.get_type_hints(cls)
        # Only what the constructor takes: derived fields (init=False) are rebuilt by
        # the class itself on decoding, so the format ignores them.
        fields = [f for f in dataclasses.fields(cls) if f.init]
        forms = [self._form(bound.get(hints[f.name], hints[f.name])) for f in fields]
        made.fill(forms, tuple(f.name for f in fields))
        return made

    def _form(self, hint: object) -> _Form:
        """Return how a value annotated `hint` is written and read (worked out once)."""
        known = self._forms.get(hint)
        if known is None:
            known = self._forms[hint] = self._make_form(hint)
        return known

    def _make_form(self, hint: object) -> _Form:
        if hint is float:
            return _Form(frozenset({float, int}))
        if hint in _PLAIN:
            return _Form(frozenset({typing.cast(type, hint)}))
        if hint is datetime:
            return _Form(frozenset({datetime}), _datetime, _write_datetime, frozenset({str}))
        origin = typing.get_origin(hint)
        arguments = typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            return self._union([self._form(argument) for argument in arguments])
        if origin is tuple:
            if len(arguments) == 2 and arguments[1] is Ellipsis:
                return _items(self._form(arguments[0]))
            return _fixed([self._form(argument) for argument in arguments])
        cls = origin if isinstance(origin, type) else hint
        if not isinstance(cls, type) or self._by_name.get(cls.__name__) is not cls:
            return self._tagged  # object, Any, an open type variable, a foreign type
        if issubclass(cls, enum.Enum):
            return _Form(frozenset({cls}), cls, _enum_value(cls), frozenset({str, int}))
        if dataclasses.is_dataclass(cls):
            form = self._class(cls, arguments if origin is not None else ())
            # A class without fields has no columns to tell how many there are.
            table = form if any(f.init for f in dataclasses.fields(cls)) else None
            return _Form(frozenset({cls}), form.build, form.write, frozenset({list}), table)
        return self._tagged

    def _union(self, members: list[_Form]) -> _Form:
        """Return the form of a union: plain members as they are, and at most one other.

        The other member's JSON form must not be one of the plain members' types
        (`datetime | None` is fine, `str | datetime` is not); a union that cannot be
        told apart so is written tagged.
        """
        plain = [m for m in members if m.build is None and m.outer is not None]
        other = [m for m in members if m not in plain]
        outer = frozenset(kind for m in plain for kind in m.outer or ())
        if not other:
            return _Form(outer)
        (member,) = other if len(other) == 1 else (self._tagged,)
        if member is self._tagged or member.outer is None or member.raw & outer:
            return self._tagged
        build, write = member.build, member.write
        assert build is not None and write is not None

        def build_either(data: Any) -> Any:
            return data if type(data) in outer else build(data)

        def write_either(value: Any) -> Any:
            return value if type(value) in outer else write(value)

        optional = member.table if outer == {type(None)} else None
        return _Form(
            outer | member.outer, build_either, write_either, member.raw | outer, optional=optional
        )


def _shared(column: list[Any]) -> list[Any] | dict[str, list[Any]]:
    """Return a column whose values repeat as its distinct values and, per row, an index.

    Only text and lists of text are shared so. The same path, pointer, issuer, dates
    and folders recur in a certificate's records on every server: read back, each
    distinct value is parsed (a date, a tuple built) once and the rows share it,
    instead of one object per row.
    """
    if len(column) < 4:
        return column
    index: dict[object, int] = {}
    rows = []
    for value in column:
        if type(value) is str:
            key: object = value
        elif type(value) is list and all(type(item) is str for item in value):
            key = tuple(value)
        else:
            return column
        rows.append(index.setdefault(key, len(index)))
    if len(index) * 2 > len(column):
        return column
    distinct = [
        key if isinstance(key, str) else list(typing.cast(tuple[str, ...], key)) for key in index
    ]
    return {"distinct": distinct, "rows": rows}


def _build_shared_column(form: _Form, data: dict[str, Any]) -> list[Any]:
    """Build a column written by `_shared`: its distinct values, then one per row."""
    distinct, rows = data.get("distinct"), data.get("rows")
    if len(data) != 2 or type(distinct) is not list or type(rows) is not list:
        raise TypeError("not a column of distinct values and rows")
    if rows and (
        not _INTEGER.issuperset(map(type, rows)) or min(rows) < 0 or max(rows) >= len(distinct)
    ):
        raise TypeError("rows that name no distinct value")
    if form.build is not None:
        values = list(map(form.build, distinct))  # each checks what it reads
    elif form.outer is None or form.outer.issuperset(map(type, distinct)):
        values = distinct
    else:
        raise TypeError("distinct values of the wrong type")
    return list(map(values.__getitem__, rows))


_INTEGER = frozenset({int})


def _build_optional_column(table: _ClassForm, data: Any) -> list[Any]:
    """Build a column of one dataclass or None written as flags and columns.

    Most optional fields of a record are set (a certificate's subject, issuer, dates):
    their values are built column by column like a tuple's, and the flags put the
    Nones back in their rows.
    """
    if type(data) is not list or len(data) != 2 or type(data[0]) is not str:
        raise TypeError(f"not an optional column of {table.cls.__name__}")
    flags = data[0]
    values = table.build_columns(data[1])
    if flags.count("1") != len(values) or flags.count("0") != len(flags) - len(values):
        raise TypeError(f"presence flags that do not fit a column of {table.cls.__name__}")
    present = iter(values)
    return [next(present) if flag == "1" else None for flag in flags]


def _items(item: _Form) -> _Form:
    """Return the form of `tuple[X, ...]`: a list of the items' forms, or columns.

    A tuple of one dataclass is written as columns (`_ClassForm.write_columns`).
    """
    if item.table is not None:
        table = item.table

        def build_rows(data: Any) -> tuple[Any, ...]:
            return tuple(table.build_columns(data))

        return _Form(frozenset({tuple}), build_rows, table.write_columns, frozenset({list}))
    build, write, allowed = item.build, item.write, item.outer

    def build_items(data: Any) -> tuple[Any, ...]:
        if type(data) is not list:
            raise TypeError("not a list of items")
        if build is not None:
            return tuple([build(value) for value in data])
        if allowed is not None and not allowed.issuperset(map(type, data)):
            raise TypeError("items of the wrong type")
        return tuple(data)

    def write_items(value: Any) -> list[Any]:
        if not isinstance(value, tuple | list):
            raise Unsupported(type(value).__name__)
        if write is not None:
            return [write(item) for item in value]
        if allowed is not None and not allowed.issuperset(map(type, value)):
            raise Unsupported("items of a type their annotation does not allow")
        return list(value)

    return _Form(frozenset({tuple}), build_items, write_items, frozenset({list}))


def _fixed(items: list[_Form]) -> _Form:
    """Return the form of a fixed-length tuple (`tuple[str, int]`)."""

    def build_fixed(data: Any) -> tuple[Any, ...]:
        if type(data) is not list or len(data) != len(items):
            raise TypeError("not a list of the tuple's items")
        return tuple(_read(form, value) for form, value in zip(items, data, strict=True))

    def write_fixed(value: Any) -> list[Any]:
        if not isinstance(value, tuple | list) or len(value) != len(items):
            raise Unsupported(type(value).__name__)
        return [_written(form, item) for form, item in zip(items, value, strict=True)]

    return _Form(frozenset({tuple}), build_fixed, write_fixed, frozenset({list}))


def _read(form: _Form, data: Any) -> Any:
    """Read one value of `form` (the slow, general path, for fixed tuples)."""
    if form.build is not None:
        return form.build(data)
    if form.outer is not None and type(data) not in form.outer:
        raise TypeError("a value of the wrong type")
    return data


def _written(form: _Form, value: Any) -> Any:
    """Write one value of `form` (the slow, general path, for fixed tuples)."""
    if form.write is not None:
        return form.write(value)
    if form.outer is not None and type(value) not in form.outer:
        raise Unsupported(type(value).__name__)
    return value


def _datetime(data: Any) -> datetime:
    if type(data) is not str:
        raise TypeError("a date is not a string")
    return datetime.fromisoformat(data)


def _write_datetime(value: Any) -> str:
    if type(value) is not datetime:
        raise Unsupported(type(value).__name__)
    return value.isoformat()


def _enum_value(cls: type[enum.Enum]) -> Callable[[Any], Any]:
    def write(value: Any) -> Any:
        if type(value) is not cls:
            raise Unsupported(type(value).__name__)
        return value.value

    return write
