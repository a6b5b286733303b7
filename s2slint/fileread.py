"""Read one file of the bundle safely: never blocking, never past a size, never oversized.

The engine reads every file the walk listed. A file may have been swapped for a FIFO
or a device since, or have grown; and a read must not ask for more memory than the
file needs: a buffer of the 64 MiB limit for each of 70,000 small files made glibc
keep a mapping per read until the run died of MemoryError. So the read is sized to
the file, one byte more than it says it holds (to notice growth), and never beyond
the limit plus one.
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Stamp", "Unread", "read_file", "read_file_and_status", "stamp_of"]

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
"""Open for reading without blocking (a FIFO swapped in is refused, never waited on)."""
_CHUNK = 1024 * 1024
"""How much more is read at a time from a file that grew after it was measured."""


Stamp = tuple[int, int, int, int, int]
"""A file's size, modification and change times (ns), inode and device: what a write changes."""


def stamp_of(status: os.stat_result) -> Stamp:
    """Return the stamp of a file's status (see `Stamp`)."""
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Unread:
    """Why a file was not read: the INP code and the message of its finding."""

    code: str
    message: str


def read_file(path: Path, maximum: int) -> bytes | Unread:
    """Return the bytes of the regular file at `path`, or why they were not read.

    The file is opened without blocking and examined through its descriptor: one that
    is no longer a regular file is refused (INP004), one larger than `maximum` bytes
    too; an error of the operating system is INP001.
    """
    read = read_file_and_status(path, maximum)
    return read if isinstance(read, Unread) else read[0]


def read_file_and_status(path: Path, maximum: int) -> tuple[bytes, os.stat_result] | Unread:
    """`read_file`, with the status of the file that was read (taken through its descriptor).

    The status is the one of what was opened, not of the path examined earlier: what
    is recorded with the bytes (`s2slint.engine.unchanged`) then describes those bytes.
    """
    try:
        descriptor = os.open(path, _FLAGS)
        with io.FileIO(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                return Unread("INP004", "refused: no longer a regular file when opened")
            data = _read_sized(handle, status.st_size, maximum)
    except OSError as error:
        return Unread("INP001", f"cannot read file: {error.strerror or error}")
    if len(data) > maximum:
        return Unread("INP004", f"refused: larger than the {maximum}-byte limit")
    return data, status


def _read_sized(handle: io.FileIO, size: int, maximum: int) -> bytes:
    """Read what the file holds, asking for its size plus one, then for more if it grew."""

    def read(count: int) -> bytes:
        return handle.read(count) or b""

    wanted = min(size, maximum) + 1
    chunks = [read(wanted)]
    total = len(chunks[0])
    # A file that grew since it was measured (or that says 0, as /proc files do) is
    # read on in bounded steps, up to one byte past the limit.
    while total == wanted and total <= maximum:
        step = min(_CHUNK, maximum + 1 - total)
        chunk = read(step)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        wanted = total
    return b"".join(chunks)
