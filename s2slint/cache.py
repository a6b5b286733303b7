"""An on-disk cache of what each file loaded into, keyed on the file's content.

A repeated run over unchanged exports (a pre-commit hook, an editor) then skips every
parser: the cache holds each file's `LoadResult`, keyed on the file's bytes, its path
and folders (locations and server attribution depend on them), the tool version and the
set of loaders. Configuration is not part of the key because it acts after loading.

The format is JSON that decodes only into an allowlist of s2slint's own dataclasses,
never pickle: a cache folder committed into a repository by someone else must not be
able to run code. Entries are written to a temporary file and renamed, so concurrent
runs never read half an entry; an unreadable or foreign entry is simply a miss.
Results that may depend on a PFX password are never cached when one is supplied;
whether one is supplied (never the password) is part of the key.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from s2slint import __version__
from s2slint.findings import Location
from s2slint.loaders.base import InputProblem, Loader, LoadResult, Source
from s2slint.model import MODEL_TYPES

FORMAT = 1
_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (*MODEL_TYPES, InputProblem, Location, LoadResult)
}
# The field names of each allowed type, looked up once (encoding runs per record).
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _TYPES.values()
}
# Loaders whose result may depend on the PFX password: not cached when one is supplied.
_SECRET_DEPENDENT = frozenset({"certificate-binary", "certificate-pem"})


class _Unsupported(Exception):
    """A value the cache format cannot hold (a plugin's own record type)."""


def _encode(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    names = _FIELDS.get(type(value))
    if names is None:
        raise _Unsupported(type(value).__name__)
    encoded: dict[str, object] = {"$t": type(value).__name__}
    for name in names:
        encoded[name] = _encode(getattr(value, name))
    return encoded


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(item) for item in value)
    if isinstance(value, dict):
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        cls = _TYPES[value.pop("$t")]
        return cls(**{key: _decode(item) for key, item in value.items()})
    return value


def encode_result(result: LoadResult) -> str:
    """Return a load result as cache JSON (raises `ValueError` if it cannot be held)."""
    try:
        return json.dumps({"format": FORMAT, "result": _encode(result)}, separators=(",", ":"))
    except _Unsupported as error:
        raise ValueError(f"cannot cache a {error}") from None


def decode_result(text: str) -> LoadResult | None:
    """Return the load result of a cache entry, or None if it is not a valid entry."""
    try:
        document = json.loads(text)
        if document.get("format") != FORMAT:
            return None
        result = _decode(document["result"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return result if isinstance(result, LoadResult) else None


class LoadCache:
    """A folder of cache entries, one file per (content, path, loaders, version)."""

    def __init__(
        self, directory: Path, loaders: Sequence[Loader], *, password_supplied: bool = False
    ) -> None:
        self.directory = directory / f"v{FORMAT}"
        self.password_supplied = password_supplied
        from s2slint import limits

        # What loaders refuse depends on the limits in force: they are part of the key.
        digest = hashlib.sha256(
            f"{__version__};password={password_supplied};{limits.active()!r};".encode()
        )
        for loader in loaders:
            origin = getattr(loader.load, "module", None) or loader.load.__module__
            digest.update(f"{loader.kind}:{loader.priority}:{origin};".encode())
        self.salt = digest.hexdigest()

    def _path(self, source: Source) -> Path:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(source.display.encode("utf-8", "surrogateescape") + b"\0")
        digest.update("/".join(source.folders).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(source.data)
        key = digest.hexdigest()
        return self.directory / key[:2] / key

    def get(self, source: Source) -> LoadResult | None:
        """Return the cached result for `source`, if any."""
        try:
            text = self._path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return decode_result(text)

    def put(self, source: Source, result: LoadResult) -> None:
        """Store a result (quietly skipping what must not or cannot be cached)."""
        if self.password_supplied and result.kind in _SECRET_DEPENDENT:
            return
        if any(p.code == "INP005" for p in result.problems):
            return
        try:
            text = encode_result(result)
        except ValueError:
            return
        import tempfile

        path = self._path(source)
        try:
            if not path.parent.is_dir():
                path.parent.mkdir(parents=True, exist_ok=True)
                marker = self.directory.parent / ".gitignore"
                if not marker.exists():
                    marker.write_text("*\n", encoding="utf-8")  # never committed by mistake
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=path.parent, delete=False, prefix=".tmp-"
            ) as handle:
                handle.write(text)
            os.replace(handle.name, path)
        except OSError:
            return  # a read-only or full disk makes the cache useless, never the run
