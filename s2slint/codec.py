"""A compact JSON form of s2slint's frozen dataclasses, decoding only into an allowlist.

The caches store loaded records and run results between runs. pickle would be faster
to write but a cache folder may come from someone else (committed by mistake, shared
in CI), and unpickling runs code; JSON decoded by this codec can only ever build the
types it was given.

A dataclass is written as a one-key object, its type name to the list of its field
values in declaration order (`{"Location": ["a.xml", 3, 1, null]}`): no field names, so
entries stay small and decode with one positional call per object. Tuples and lists
are arrays (and come back as tuples), datetimes `{"$dt": iso}`, enums their value.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any

_DATETIME = "$dt"


class Unsupported(ValueError):
    """A value of a type the codec was not given (a plugin's own record type)."""


class Codec:
    """Encoder and decoder for a fixed set of dataclass and enum types."""

    def __init__(self, types: Iterable[type]) -> None:
        self._by_name: dict[str, type] = {}
        self._fields: dict[type, tuple[str, ...]] = {}
        for cls in types:
            self._by_name[cls.__name__] = cls
            if dataclasses.is_dataclass(cls):
                self._fields[cls] = tuple(f.name for f in dataclasses.fields(cls))

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
            cls = self._by_name[name]
            if issubclass(cls, enum.Enum):
                return cls(payload)
            if not isinstance(payload, list):
                raise TypeError(f"fields of {name} are not a list")
            return cls(*[self.decode(item) for item in payload])
        return data
