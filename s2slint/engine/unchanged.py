"""What earlier runs learned of each file, so that a file found unchanged is not read again.

A warm run that changes nothing (a pre-commit hook, an editor) spent most of its time
reading, hashing and sniffing every file of the bundle, only to find that the caches
already held the outcome. git tells an unchanged file from its status; so does this.
Each file read with a cache is recorded with its status when it was read (size,
modification and change times, inode, device: `fileread.Stamp`) and what was learned
of its bytes: their SHA-256, why it is no export (if it is not one), its inline
suppression comments, whether a PFX password may matter to it. A later run whose walk
finds the same status takes those facts and reads the file only if a loader needs it
(`loaders.base.StoredSource`).

The trade-off, and its bounds:
- Time stamps are coarse on some file systems (2 s on FAT, 1 s on ext3 and HFS+): a
  file written twice within one tick keeps its status. As git does with "racily clean"
  entries, a status is trusted only when the file was last modified and changed more
  than `learned.MARGIN_NS` (3 s) before it was read; a file written just before a run
  is read again by the next one too, until it has aged.
- No tool can set a change time: a file rewritten with its old size and modification
  time (`cp -p`, `rsync -t`, `tar x`, `touch -d`) still reads as changed. (On Windows
  Python reports the creation time there instead: such a rewrite in place, keeping size
  and modification time, is the one change the record cannot see.)
- The margin is measured against this machine's clock: a network file system whose
  server clock runs behind by more than the margin narrows it by as much.
- A file changed during the run has bytes that no longer match: the source says it is
  stale and nothing of the run is cached (see `StoredSource`).
- `--no-cache` reads everything, as before.

Each request (the paths named, as pre-commit names the same ones every time) has its
own record, an entry of the cache folder authenticated like every other and pruned like
the run entries; it holds the files the request's last run walked. A damaged, planted
or foreign record is ignored (every file is then read), never trusted, and an entry of
the wrong shape is no knowledge of its file.
Facts that depend on the run rather than the bytes (the baseline the configuration
names, the manifest, the password) are worked out anew on every run.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from s2slint import __version__, cachefiles
from s2slint import limits as input_limits
from s2slint.bundle import BundleFile
from s2slint.cache import FORMAT as CACHE_FORMAT
from s2slint.cache import loaders_identity, store_document
from s2slint.loaders.base import Loader
from s2slint.suppressions import InlineComment

from .learned import Learned

FORMAT = 1


class Unchanged:
    """The record of one request (its paths) in one cache folder (see the module).

    Each request has its own record, holding the files its last run walked: a run reads
    no entry of another bundle sharing the cache. Entries are checked (and rebuilt) only
    for the files this run walks.
    """

    def __init__(self, path: Path, root: Path, secret: bytes, name: str) -> None:
        self.path = path
        self.root = root
        self.secret = secret
        self.name = name
        self.known: dict[str, Any] = {}
        """The record's entries as written, by file: each rebuilt only when asked for."""
        self.walked: set[str] = set()
        self.seen: dict[str, Learned] = {}
        self.changed = False

    @classmethod
    def open(
        cls, cache_dir: Path, loaders: Sequence[Loader], paths: Sequence[Path]
    ) -> Unchanged | None:
        """Return the record of a request for `paths` under `cache_dir` (None: refused)."""
        secret = cachefiles.key_of(cache_dir)
        if secret is None:
            return None

        named = sorted(os.path.abspath(path) for path in paths)
        digest = hashlib.sha256(
            f"{__version__};{FORMAT};{input_limits.active()!r};{loaders_identity(loaders)}".encode()
        )
        digest.update("\0".join(named).encode("utf-8", "surrogateescape"))
        name = digest.hexdigest()
        path = cache_dir / f"v{CACHE_FORMAT}" / "unchanged" / name
        found = cls(path, cache_dir, secret, name)
        found.known = found._read()
        return found

    def recall(self, file: BundleFile) -> Learned | None:
        """Return what was learned of `file`'s bytes, if the file is unchanged since."""
        key = _key(file)
        self.walked.add(key)
        row = self.known.get(key)
        if file.stamp is None or row is None:
            return None
        try:
            learned = _learned(key, row)
        except (Exception, RecursionError):
            return None  # an entry of the wrong shape is no knowledge
        if not learned.trusted_for(file.stamp):
            return None
        self.seen[key] = learned
        return learned

    def learn(self, file: BundleFile, learned: Learned) -> None:
        """Record what reading `file` found, if a later run could ever trust it.

        A file read within the margin of its last write (the export just edited) would
        never be trusted under this reading: recording it would only cost a write of the
        record on every run. The next run reads it again, and records it then.
        """
        key = _key(file)
        self.walked.add(key)
        if not learned.trusted_for(learned.stamp):
            return
        self.seen[key] = learned
        self.changed = True

    def save(self) -> None:
        """Write the record if this run learned anything or walked fewer files (quietly).

        The record keeps the files this run walked: what it learned, else what the
        record knew (an entry left untrusted is harmless: its status no longer matches).
        """
        if not self.changed and self.walked.issuperset(self.known):
            return
        rows = {key: row for key, row in self.known.items() if key in self.walked}
        rows.update((key, _row(learned)) for key, learned in self.seen.items())
        if len(rows) > input_limits.CACHE_MAX_FILE_ENTRIES:
            return
        document = {"format": FORMAT, "files": [[key, *rows[key]] for key in sorted(rows)]}
        store_document(self.path, self.secret, "unchanged", self.name, document, self.root)

    def _read(self) -> dict[str, Any]:
        """Return the record's entries as written; nothing if it is missing or not authentic."""
        limit = input_limits.CACHE_MAX_ENTRY_BYTES
        found = cachefiles.read_document(
            self.path, self.secret, "unchanged", self.name, limit, FORMAT
        )
        if found is None:
            return {}
        rows = found.get("files")
        if not isinstance(rows, list):
            return {}
        known: dict[str, Any] = {}
        for row in rows:
            if isinstance(row, list) and row and isinstance(row[0], str):
                known[row[0]] = row[1:]
        return known


def _key(file: BundleFile) -> str:
    """Name a file as the facts depend on it: how it is shown, its folders, its path.

    The path as walked is enough: the same name from another working folder is another
    file only if its status (inode, device) differs, and then it is read.
    """
    return "\0".join((file.display, "/".join(file.folders), os.fspath(file.path)))


def _row(learned: Learned) -> list[Any]:
    comments = [
        [c.line, c.column, list(c.selectors), c.reason, c.first_line, c.last_line]
        for c in learned.comments
    ]
    return [
        *learned.stamp,
        learned.read_ns,
        learned.digest,
        learned.skip,
        learned.password_may_matter,
        comments,
    ]


_SHA256 = re.compile(r"[0-9a-f]{64}")
"""A SHA-256 in hex, as `Source.digest` writes it."""


def _learned(key: str, row: Any) -> Learned:
    """Rebuild one entry, checking every type (raises on anything else)."""
    size, modified, changed, inode, device, read_ns, digest, skip, matters, comments = row
    if not all(type(number) is int for number in (size, modified, changed, inode, device, read_ns)):
        raise TypeError("status")
    if not (isinstance(digest, str) and isinstance(skip, str) and type(matters) is bool):
        raise TypeError("facts")
    if _SHA256.fullmatch(digest) is None:
        raise TypeError("digest")  # a cache key is made of it: hex digits only
    if not isinstance(comments, list):
        raise TypeError("comments")
    display = key.split("\0")[0]
    return Learned(
        (size, modified, changed, inode, device),
        read_ns,
        digest,
        skip,
        matters,
        tuple(_comment(display, item) for item in comments),
    )


def _comment(display: str, item: Any) -> InlineComment:
    line, column, selectors, reason, first, last = item
    if not (type(line) is int and type(column) is int and isinstance(reason, str)):
        raise TypeError("comment")
    if not (isinstance(selectors, list) and all(isinstance(s, str) for s in selectors)):
        raise TypeError("selectors")
    if not all(value is None or type(value) is int for value in (first, last)):
        raise TypeError("lines")
    return InlineComment(display, line, column, tuple(selectors), reason, first, last)
