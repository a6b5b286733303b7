"""What exactly was examined: each input file's SHA-256 and size, and one bundle digest.

An auditor files the report as evidence; months later someone must be able to tell
whether the exports in an archive are the ones the report judged. The report lists
every file with its digest and gives one digest for the whole bundle: the SHA-256 of
the lines `<sha256>  <path>\n` (what `sha256sum` prints) for every file hashed, sorted
by path in byte order, where a path is relative to the deepest folder that holds every
such file. It does not depend on where s2slint was started from, and can be checked
without s2slint, from that folder:

    sha256sum FILE... | LC_ALL=C sort -k 2 | sha256sum

with FILE... the files the report lists as hashed.

Files are read again here, after the run: the engine does not keep their bytes. They
are opened the way the engine opens them (no blocking, no following a final symbolic
link, regular files only, within the size limit), and a file the run refused as
unsafe is not opened at all.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class FileDigest:
    """One input file as examined: its SHA-256 and size, or why neither is known."""

    path: str
    sha256: str | None
    size: int | None
    note: str = ""


def digest_file(path: Path, display: str, limit: int) -> FileDigest:
    """Hash one file safely; a file that cannot be hashed says why instead."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        return FileDigest(display, None, None, f"not hashed: {error.strerror or error}")
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            return FileDigest(display, None, None, "not hashed: not a regular file")
        if status.st_size > limit:
            return FileDigest(display, None, status.st_size, "not hashed: over the size limit")
        digest = hashlib.sha256()
        size = 0
        while chunk := handle.read(_CHUNK):
            size += len(chunk)
            digest.update(chunk)
    return FileDigest(display, digest.hexdigest(), size)


def digest_inputs(
    paths: Iterable[str], base: Path, refused: Collection[str], limit: int
) -> tuple[FileDigest, ...]:
    """Hash every listed file (display paths, relative to `base` unless absolute).

    Files in `refused` (the run refused them as unsafe) are listed without being
    opened.
    """
    digests = []
    for display in paths:
        if display in refused:
            digests.append(FileDigest(display, None, None, "refused by the run: not read"))
        else:
            digests.append(digest_file(base / display, display, limit))
    return tuple(digests)


def common_folder(paths: Iterable[str]) -> str:
    """Return the deepest folder (POSIX form, "" for none) holding every path."""
    parents = [PurePosixPath(p).parent.parts for p in paths]
    if not parents:
        return ""
    shared: list[str] = []
    for parts in zip(*parents, strict=False):
        if len(set(parts)) != 1:
            break
        shared.append(parts[0])
    return str(PurePosixPath(*shared)) if shared else ""


def relative_to(path: str, folder: str) -> str:
    """Return `path` relative to `folder` (as `common_folder` returned it)."""
    if not folder or folder == ".":
        return path
    return str(PurePosixPath(path).relative_to(folder))


def bundle_digest(digests: Iterable[FileDigest]) -> tuple[str, int]:
    """Return the SHA-256 over the hashed files (see the module) and how many there were."""
    hashed = [d for d in digests if d.sha256 is not None]
    folder = common_folder(d.path for d in hashed)
    lines = sorted(
        (relative_to(d.path, folder).encode("utf-8", "surrogateescape"), d.sha256 or "")
        for d in hashed
    )
    digest = hashlib.sha256()
    for path, sha in lines:
        digest.update(sha.encode("ascii") + b"  " + path + b"\n")
    return digest.hexdigest(), len(hashed)
