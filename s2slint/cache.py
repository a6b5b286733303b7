"""An on-disk cache of what each file loaded into, keyed on the file's content.

A repeated run over unchanged exports (a pre-commit hook, an editor) then skips every
parser: the cache holds each file's `LoadResult`, keyed on the file's bytes, its path
and folders (locations and server attribution depend on them), the tool version and the
set of loaders. Configuration is not part of the key because it acts after loading.

The format is JSON that decodes only into an allowlist of s2slint's own dataclasses,
never pickle: a cache folder committed into a repository by someone else must not be
able to run code. Each entry carries an HMAC under a private key of the cache root, and
is read only if it is a small regular file (see `s2slint.cachefiles`): an entry planted
by someone else, damaged, or of a foreign type is simply a miss, never a finding less.
Entries are written to a temporary file and renamed, so concurrent runs never read half
an entry. A run that writes its request's pack (`s2slint.cachepack`) files each result
there only: entries of their own are for the files a kept pack does not hold. Results
that may depend on a PFX password are never cached when one is supplied; whether one
is supplied (never the password), and how the loaders were told to find it (the text
INP003 quotes), are part of the key.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from contextlib import suppress
from functools import cache, cached_property
from pathlib import Path

from s2slint import __version__, cachefiles, cachepack
from s2slint import limits as input_limits
from s2slint.codec import Codec, Unsupported
from s2slint.findings import Location
from s2slint.loaders.base import InputProblem, Loader, LoadResult, Source

# 2: the positional form of `s2slint.codec` (1 wrote field names); 3: entries carry
# an HMAC and their field types are checked; 6: ExchangeServer carries
# AdminDisplayVersion, the model gained the catalogue v2 fields, the SharePoint, hybrid
# and certificate-store kinds, and partner applications' CertificateStrings. 7: values
# are written as their annotations say, tagged only where they do not, and tuples of
# one dataclass as columns (`s2slint.codec`). 8: a DNS zone holds its records as
# columns of names, types, data and lines (`s2slint.model.DnsZone`). 9: a `Located`
# holds its position inline (one flat list `[value, path, line, column, pointer]`).
# 10: a column of one dataclass or None is written as presence flags and the columns of
# the values present, a column of text that repeats as its distinct values and an index
# per row (`s2slint.codec`); the request's pack (`s2slint.cachepack`).
FORMAT = 10
_BUCKETS = 256
"""Entries are spread over folders named by the first two hex digits of their key."""


@cache
def result_codec() -> Codec:
    """The codec of load results, built on first use.

    Building it walks every model dataclass's annotations and imports the model: a run
    the run cache serves whole never encodes or decodes a per-file entry, and should
    not pay for either (several milliseconds of every pre-commit run).
    """
    from s2slint.model import MODEL_TYPES

    return Codec((*MODEL_TYPES, InputProblem, Location, LoadResult))


# Loaders whose result may depend on the PFX password: not cached when one is supplied.
_SECRET_DEPENDENT = frozenset({"certificate-binary", "certificate-pem", "zip"})
"""An archive counts: its members may be a PFX or an encrypted key (`loaders.archive`)."""


def encode_result(result: LoadResult) -> str:
    """Return a load result as cache JSON (raises `ValueError` if it cannot be held)."""
    try:
        encoded = result_codec().encode(result)
    except Unsupported as error:
        raise ValueError(f"cannot cache a {error}") from None
    return json.dumps({"format": FORMAT, "result": encoded}, separators=(",", ":"))


def decode_result(text: str | bytes) -> LoadResult | None:
    """Return the load result of a cache entry's body, or None if it is not a valid one.

    Any failure is a miss: damaged JSON, 200,000 nested arrays (RecursionError), a
    foreign type, a field of the wrong type.
    """
    try:
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            return None
        result = result_codec().decode(document["result"])
    except (Exception, RecursionError):
        return None
    return result if isinstance(result, LoadResult) else None


def store_document(
    path: Path, secret: bytes, kind: str, name: str, document: object, root: Path
) -> bool:
    """Store a JSON document as an entry kept one per request or run; tell whether it was.

    The counterpart of `cachefiles.read_document` for a request's pack and its record of
    unchanged files, a run's outcome and its replay key: at most
    `limits.CACHE_MAX_RUN_ENTRIES` of each kind are kept. A document JSON cannot hold is
    not written.
    """
    try:
        text = json.dumps(document, separators=(",", ":"))
        body = text.encode("utf-8", "surrogateescape")
    except (TypeError, ValueError, UnicodeEncodeError):
        return False
    return cachefiles.store(
        path,
        secret,
        kind,
        name,
        body,
        root,
        limit=input_limits.CACHE_MAX_ENTRY_BYTES,
        entries=input_limits.CACHE_MAX_RUN_ENTRIES,
        total=input_limits.CACHE_MAX_FILE_BYTES,
    )


def loaders_identity(loaders: Sequence[Loader]) -> str:
    """Name the loaders in use, in order: what each file loads into (or is sniffed as) depends on them."""
    return "".join(
        f"{loader.kind}:{loader.priority}:"
        f"{getattr(loader.load, 'module', None) or loader.load.__module__};"
        for loader in loaders
    )


class LoadCache:
    """A folder of cache entries, one file per (content, path, loaders, version)."""

    def __init__(
        self,
        directory: Path,
        loaders: Sequence[Loader],
        *,
        password_supplied: bool = False,
        password_origin: str = "",
        request: Sequence[Path] = (),
    ) -> None:
        """Keep entries under `directory` (the cache root the user named).

        `password_origin` is how the PFX password was (or was not) supplied, which
        INP003 quotes: a changed variable name must not be served from the cache.
        A root that is not private to this user gives a cache that never hits and
        never writes (`cachefiles.refusal` says why, for the notice). `request` is the
        paths the run was asked to check: the request's pack (`s2slint.cachepack`) is
        kept under them; without them there is none.
        """
        self.root = directory
        self.directory = directory / f"v{FORMAT}"
        self.password_supplied = password_supplied
        self.secret = cachefiles.key_of(directory)
        # What loaders refuse depends on the limits in force: they are part of the key.
        digest = hashlib.sha256(
            f"{__version__};password={password_supplied};{input_limits.active()!r};".encode()
        )
        digest.update(f"origin={password_origin}\0".encode("utf-8", "surrogateescape"))
        digest.update(loaders_identity(loaders).encode())
        self.salt = digest.hexdigest()
        self._keys: dict[int, tuple[Source, str]] = {}
        self._request = tuple(sorted(os.path.abspath(path) for path in request))
        self._packed: dict[str, LoadResult] = {}
        self._pack_served = 0

    @cached_property
    def pack_name(self) -> str | None:
        """Return the name of the request's pack (None without the paths of a request)."""
        if not self._request:
            return None
        named = "\0".join([self.salt, *self._request])
        return hashlib.sha256(named.encode("utf-8", "surrogateescape")).hexdigest()

    def key(self, source: Source) -> str:
        """Return the key of `source`'s entry: its bytes, path and folders, and the salt.

        The content counts by its SHA-256 (`Source.digest`), which a file found unchanged
        brings from an earlier run (`engine.unchanged`) without being read. A run needs
        the key up to three times (looked up, stored, and part of the run cache's key):
        it is computed once per file.
        """
        known = self._keys.get(id(source))
        if known is not None and known[0] is source:
            return known[1]
        digest = hashlib.sha256(self.salt.encode())
        digest.update(source.display.encode("utf-8", "surrogateescape") + b"\0")
        digest.update("/".join(source.folders).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(source.digest.encode("ascii"))
        key = digest.hexdigest()
        self._keys[id(source)] = (source, key)  # holding `source` keeps its id unique
        return key

    def _path(self, source: Source) -> Path:
        key = self.key(source)
        return self.directory / key[:2] / key

    def get(self, source: Source) -> LoadResult | None:
        """Return the cached result for `source`, if an authentic entry holds one."""
        if self.secret is None:
            return None
        data = cachefiles.read_entry(self._path(source), input_limits.CACHE_MAX_ENTRY_BYTES)
        if data is None:
            return None
        body = cachefiles.unseal(self.secret, "file", self.key(source), data)
        return None if body is None else decode_result(body)

    def get_many(self, sources: Sequence[Source]) -> list[LoadResult | None]:
        """Return the cached result of each source: from the request's pack, else its entry."""
        if self.secret is None:
            return [None] * len(sources)
        self._packed = self._read_pack()
        self._pack_served = 0
        results: list[LoadResult | None] = []
        for source in sources:
            found = self._packed.get(self.key(source))
            if found is None:
                found = self.get(source)
            else:
                self._pack_served += 1
            results.append(found)
        return results

    def put_many(
        self, sources: Sequence[Source], results: Sequence[LoadResult], fresh: Sequence[int]
    ) -> None:
        """Store the pack if it is due, else the results loaded afresh (`fresh`: their indices).

        `sources` and `results` are every cacheable file of the run, served or loaded,
        as `get_many` was asked for them. A pack written anew holds every file it may, so
        the files loaded afresh get no entry of their own then: written twice, they cost
        a run that fills the cache (the first run on a fresh CI runner) a third of its
        time. Otherwise each file loaded afresh gets its own entry, which serves it until
        the pack is written again; so does every such file when the pack cannot be
        written (a plugin's record type, more than an entry may hold).
        """
        if self._write_pack(sources, results):
            return
        for index in fresh:
            self.put(sources[index], results[index])

    def _write_pack(self, sources: Sequence[Source], results: Sequence[LoadResult]) -> bool:
        """Write the request's pack anew if it is due (`worth_rewriting`); tell whether it was."""
        if self.secret is None or self.pack_name is None:
            return False
        held = [
            (source, result)
            for source, result in zip(sources, results, strict=True)
            if self._may_hold(source, result)
        ]
        if not cachepack.worth_rewriting(self._pack_served, len(held), len(self._packed)):
            return False
        crowded = self._packs_crowded()
        try:
            document = cachepack.encode_pack(
                result_codec(),
                [self.key(source) for source, _ in held],
                [result for _, result in held],
            )
        except ValueError:  # `Unsupported`: a record type of a plugin's own
            return False
        pack = self._pack_path(self.pack_name)
        written = store_document(pack, self.secret, "pack", self.pack_name, document, self.root)
        return written and not crowded

    def _packs_crowded(self) -> bool:
        """Tell whether the packs' folder is full: a pack written now pushes another out.

        Then the files get their own entries as well: more requests sharing one cache
        than it keeps packs for (a repository's many bundles, linted in turn) would
        otherwise push each other's packs out forever and never be served again.
        """
        assert self.pack_name is not None
        others = 0
        try:
            with os.scandir(self._pack_path(self.pack_name).parent) as listing:
                for item in listing:
                    if not item.name.startswith(".") and item.name != self.pack_name:
                        others += 1
        except OSError:
            return False
        return others >= input_limits.CACHE_MAX_RUN_ENTRIES

    def _pack_path(self, name: str) -> Path:
        return self.directory / "packs" / name

    def _read_pack(self) -> dict[str, LoadResult]:
        """Return the results the request's pack holds by key (nothing if it is not usable)."""
        if self.secret is None or self.pack_name is None:
            return {}
        document = cachefiles.read_document(
            self._pack_path(self.pack_name),
            self.secret,
            "pack",
            self.pack_name,
            input_limits.CACHE_MAX_ENTRY_BYTES,
            cachepack.FORMAT,
        )
        if document is None:
            return {}
        try:
            found = cachepack.decode_pack(result_codec(), document)
        except (Exception, RecursionError):
            return {}  # damaged, planted or of another format: a miss, never an error
        # A pack that serves is rarely written again: marked as used, it is not the one
        # pruned first (`cachefiles.prune` keeps the newest) while others fall idle.
        with suppress(OSError):
            os.utime(self._pack_path(self.pack_name))
        return found

    def _may_hold(self, source: Source, result: LoadResult) -> bool:
        """Tell whether `result` may be cached for `source` (what `put` keeps out)."""
        if source.stale:
            return False  # its result would be filed under content it no longer has
        if self.password_supplied and result.kind in _SECRET_DEPENDENT:
            return False
        return not any(p.code == "INP005" for p in result.problems)

    def put(self, source: Source, result: LoadResult) -> None:
        """Store a result (quietly skipping what must not or cannot be cached)."""
        if self.secret is None or not self._may_hold(source, result):
            return
        try:
            body = encode_result(result).encode("utf-8", "surrogateescape")
        except (ValueError, UnicodeEncodeError):
            return
        cachefiles.store(
            self._path(source),
            self.secret,
            "file",
            self.key(source),
            body,
            self.root,
            limit=input_limits.CACHE_MAX_ENTRY_BYTES,
            entries=input_limits.CACHE_MAX_FILE_ENTRIES // _BUCKETS,
            total=input_limits.CACHE_MAX_FILE_BYTES // _BUCKETS,
        )
