"""A compact JSON form of s2slint's frozen dataclasses, decoding only into an allowlist.

The caches store loaded records and run results between runs. pickle would be faster
to write but a cache folder may come from someone else (committed by mistake, shared
in CI), and unpickling runs code; JSON decoded by this codec can only ever build the
types it was given.

A dataclass is written as a one-key object, its type name to the list of its field
values in declaration order (`{"Location": ["a.xml", 3, 1, null]}`): no field names, so
entries stay small and decode with one positional call per object. Tuples and lists
are arrays (and come back as tuples), datetimes `{"$dt": iso}`, enums their value.

Decoding checks every field against its annotation (`str`, `int | None`,
`tuple[Location, ...]`, ...) before building an object, so an entry with a field of
the wrong type fails to decode (a cache miss) instead of building a finding whose
`line` is a list and failing a reporter later.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import math
import types
import typing
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import contains
from typing import Any, TypeVar

_DATETIME = "$dt"

Check = Callable[[Any], bool]
"""Tells whether a decoded value's contents fit a field's annotation."""


class _Anything:
    """A stand-in for the set of every type (fields annotated `object` or `T`)."""

    def __contains__(self, item: object) -> bool:
        return True


_ANYTHING = _Anything()


@dataclass(frozen=True, slots=True)
class FieldType:
    """What a field's annotation allows: the value's own types, then its contents.

    `outer` holds the exact types the value may have (decoding builds exact types, so
    no subclass check is needed), None meaning any; `inner` further checks a tuple's
    items or a generic dataclass's typed field, or is None when `outer` says it all.
    Objects inside are dataclasses the codec checked when it built them.
    """

    outer: frozenset[type] | None
    inner: Check | None = None

    def accepts(self, value: object) -> bool:
        """Tell whether `value` fits (the slow, general form of the check)."""
        if self.outer is not None and type(value) not in self.outer:
            return False
        return self.inner is None or self.inner(value)


def _items(item: FieldType) -> Check:
    """Return a check that every item of a tuple fits `item`."""
    if item.inner is None and item.outer is not None:
        allowed = item.outer
        return lambda value: allowed.issuperset(map(type, value))
    return lambda value: all(item.accepts(v) for v in value)


def _fixed(items: list[FieldType]) -> Check:
    """Return a check of a fixed-length tuple's items."""
    return lambda value: (
        len(value) == len(items)
        and all(kind.accepts(v) for kind, v in zip(items, value, strict=True))
    )


def _when_of(member: FieldType) -> Check:
    """Return a union member's deeper check, applied only to values of its types."""
    outer, inner = member.outer or frozenset(), member.inner
    assert inner is not None
    return lambda value: type(value) not in outer or inner(value)


def _typed_fields(fields: list[tuple[str, FieldType]]) -> Check:
    """Return a check of the typed fields of a generic dataclass (`Located[str].value`)."""
    return lambda value: all(kind.accepts(getattr(value, name)) for name, kind in fields)


def field_type(hint: object) -> FieldType:
    """Return what the annotation `hint` allows (the subset of types the caches use)."""
    if hint is object or hint is Any or isinstance(hint, TypeVar):
        return FieldType(None)
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        parts = [field_type(argument) for argument in arguments]
        deep = [part for part in parts if part.inner is not None]
        if any(part.outer is None for part in parts) or len(deep) > 1:
            return FieldType(None)  # not among the caches' types: not checked
        outer = frozenset(kind for part in parts for kind in part.outer or ())
        return FieldType(outer, _when_of(deep[0]) if deep else None)
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            item = field_type(arguments[0])
            return FieldType(frozenset({tuple}), None if item.outer is None else _items(item))
        return FieldType(frozenset({tuple}), _fixed([field_type(a) for a in arguments]))
    if isinstance(origin, type) and dataclasses.is_dataclass(origin):
        bound = dict(zip(getattr(origin, "__parameters__", ()), arguments, strict=False))
        hints = typing.get_type_hints(origin)
        typed = [
            (f.name, field_type(bound[hints[f.name]]))
            for f in dataclasses.fields(origin)
            if hints[f.name] in bound
        ]
        return FieldType(frozenset({origin}), _typed_fields(typed) if typed else None)
    if hint is float:
        return FieldType(frozenset({float, int}))
    if hint is type(None):
        return FieldType(frozenset({type(None)}))
    if isinstance(hint, type):
        return FieldType(frozenset({hint}))
    return FieldType(None)  # an annotation the caches do not use: not checked


_MAX_SIGNATURES = 1024


@dataclass(frozen=True, slots=True)
class _Signatures:
    """Every allowed tuple of the types of `values[start:stop]` (the other fields: any)."""

    start: int
    stop: int
    allowed: frozenset[tuple[type, ...]]


def _signatures(kinds: list[FieldType]) -> _Signatures | None:
    """Return the allowed type tuples of the checked fields, or None when not few.

    Fields annotated `object` or `T` (anything) may only lead or trail the checked
    ones (as `Located.value` does), so the checked fields are one slice.
    """
    checked = [i for i, kind in enumerate(kinds) if kind.outer is not None]
    if not checked or checked != list(range(checked[0], checked[-1] + 1)):
        return None
    parts = [kinds[index].outer or frozenset() for index in checked]
    if math.prod(len(part) for part in parts) > _MAX_SIGNATURES:
        return None
    return _Signatures(checked[0], checked[-1] + 1, frozenset(itertools.product(*parts)))


class Unsupported(ValueError):
    """A value of a type the codec was not given (a plugin's own record type)."""


@dataclass(frozen=True, slots=True)
class _Spec:
    """How to build and check one dataclass: everything `decode` needs in one lookup."""

    cls: type
    count: int
    outer: tuple[Container[type], ...]
    inner: tuple[tuple[int, Check], ...]
    signatures: _Signatures | None
    whole: bool
    """The signatures cover every field (no slicing needed)."""


class Codec:
    """Encoder and decoder for a fixed set of dataclass and enum types."""

    def __init__(self, classes: Iterable[type]) -> None:
        self._by_name: dict[str, type] = {}
        self._fields: dict[type, tuple[str, ...]] = {}
        self._specs: dict[str, _Spec] = {}
        self._enums: dict[str, type[enum.Enum]] = {}
        for cls in classes:
            self._by_name[cls.__name__] = cls
            if isinstance(cls, type) and issubclass(cls, enum.Enum):
                self._enums[cls.__name__] = cls
            if dataclasses.is_dataclass(cls):
                # Only what the constructor takes: derived fields (init=False) are
                # rebuilt by the class itself on decoding, so the format ignores them.
                fields = tuple(f for f in dataclasses.fields(cls) if f.init)
                self._fields[cls] = tuple(f.name for f in fields)
                hints = typing.get_type_hints(cls)
                kinds = [field_type(hints[f.name]) for f in fields]
                signatures = _signatures(kinds)
                self._specs[cls.__name__] = _Spec(
                    cls=cls,
                    count=len(kinds),
                    outer=tuple(_ANYTHING if k.outer is None else k.outer for k in kinds),
                    inner=tuple((i, k.inner) for i, k in enumerate(kinds) if k.inner),
                    signatures=signatures,
                    whole=signatures is not None
                    and (signatures.start, signatures.stop) == (0, len(kinds)),
                )

    def encode(self, value: object) -> object:
        """Return `value` as JSON-ready data; raise `Unsupported` for a foreign type."""
        if value is None or isinstance(value, bool | str | float):
            return value
        if isinstance(value, enum.Enum):
            if type(value) not in self._by_name.values():
                raise Unsupported(type(value).__name__)
            return {type(value).__name__: value.value}
        if isinstance(value, int):
            return value
        if isinstance(value, tuple | list):
            return [self.encode(item) for item in value]
        if isinstance(value, datetime):
            return {_DATETIME: value.isoformat()}
        names = self._fields.get(type(value))
        if names is None:
            raise Unsupported(type(value).__name__)
        return {type(value).__name__: [self.encode(getattr(value, name)) for name in names]}

    def decode(self, data: Any) -> Any:
        """Rebuild what `encode` wrote; raise KeyError/TypeError/ValueError on anything else."""
        if isinstance(data, list):
            return tuple([self.decode(item) for item in data])
        if isinstance(data, dict):
            if len(data) != 1:
                raise ValueError("not a codec object")
            ((name, payload),) = data.items()
            if name == _DATETIME:
                return datetime.fromisoformat(payload)
            spec = self._specs.get(name)
            if spec is None:
                return self._enums[name](payload)
            if not isinstance(payload, list):
                raise TypeError(f"fields of {name} are not a list")
            values = [self.decode(item) for item in payload]
            if len(values) != spec.count or not _fits(spec, values):
                raise TypeError(f"fields of {name} do not have their types")
            return spec.cls(*values)
        return data


def _fits(spec: _Spec, values: list[Any]) -> bool:
    """Tell whether decoded values have the types of the class's fields.

    The values' own types are checked in one set lookup where the allowed combinations
    are few (Location, DnsRecord, ...), else field by field in one C-level pass; then
    the few deeper checks (tuple items, `Located[str].value`).
    """
    signatures = spec.signatures
    if signatures is None:
        fits = all(map(contains, spec.outer, map(type, values)))
    elif spec.whole:
        fits = tuple(map(type, values)) in signatures.allowed
    else:
        checked = values[signatures.start : signatures.stop]
        fits = tuple(map(type, checked)) in signatures.allowed
    return fits and all(check(values[index]) for index, check in spec.inner)
