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

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from s2slint import __version__
from s2slint.codec import Codec, Unsupported
from s2slint.findings import Location
from s2slint.loaders.base import InputProblem, Loader, LoadResult, Source
from s2slint.model import MODEL_TYPES

# 2: the positional form of `s2slint.codec` (1 wrote field names). 4: ExchangeServer
# carries AdminDisplayVersion (a positional entry of 3 would decode without it).
# 5: SharePoint, hybrid and certificate-store kinds; partner applications'
# CertificateStrings decoded.
FORMAT = 5
_CODEC = Codec((*MODEL_TYPES, InputProblem, Location, LoadResult))
# Loaders whose result may depend on the PFX password: not cached when one is supplied.
_SECRET_DEPENDENT = frozenset({"certificate-binary", "certificate-pem"})


def encode_result(result: LoadResult) -> str:
    """Return a load result as cache JSON (raises `ValueError` if it cannot be held)."""
    try:
        encoded = _CODEC.encode(result)
    except Unsupported as error:
        raise ValueError(f"cannot cache a {error}") from None
    return json.dumps({"format": FORMAT, "result": encoded}, separators=(",", ":"))


def decode_result(text: str) -> LoadResult | None:
    """Return the load result of a cache entry, or None if it is not a valid entry."""
    try:
        document = json.loads(text)
        if document.get("format") != FORMAT:
            return None
        result = _CODEC.decode(document["result"])
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
        self._keys: dict[int, tuple[Source, str]] = {}

    def key(self, source: Source) -> str:
        """Return the key of `source`'s entry: its bytes, path and folders, and the salt.

        Hashing the bytes is the costly part, and a run needs the key up to three times
        (looked up, stored, and part of the run cache's key): it is computed once per file.
        """
        known = self._keys.get(id(source))
        if known is not None and known[0] is source:
            return known[1]
        digest = hashlib.sha256(self.salt.encode())
        digest.update(source.display.encode("utf-8", "surrogateescape") + b"\0")
        digest.update("/".join(source.folders).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(source.data)
        key = digest.hexdigest()
        self._keys[id(source)] = (source, key)  # holding `source` keeps its id unique
        return key

    def _path(self, source: Source) -> Path:
        key = self.key(source)
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
        write_atomically(self._path(source), text, self.directory.parent)


def write_atomically(path: Path, text: str, root: Path) -> None:
    """Write a cache entry through a temporary file and a rename; never raise.

    Concurrent runs then never read half an entry. The first entry also writes a
    `.gitignore` of `*` into the cache's `root`, so a cache kept inside a repository is
    never committed by mistake. A read-only or full disk makes the cache useless, never
    the run.
    """
    import tempfile

    try:
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
            marker = root / ".gitignore"
            if not marker.exists():
                marker.write_text("*\n", encoding="utf-8")
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, delete=False, prefix=".tmp-"
        ) as handle:
            handle.write(text)
        os.replace(handle.name, path)
    except OSError:
        return
