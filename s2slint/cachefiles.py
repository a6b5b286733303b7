"""The files of the caches: a private key, authenticated entries, bounded reads, pruning.

Both caches (per-file results and whole runs) keep their entries under one folder that
may be shared, restored by CI, or even committed into the repository being linted, and
their keys are computable from public inputs (file contents, the configuration). So an
entry is trusted only when it proves it was written by this user's s2slint:

- the cache root must be a folder of this user that no one else may write to; any
  other root is refused (the run goes on without a cache, after one notice);
- the root holds a random key (`cache.key`, mode 0600, made on first use); every entry
  carries an HMAC-SHA256 of its kind, its name and its body under that key, and an
  entry whose HMAC does not verify is a miss. A checked-out key file (git writes 0644)
  or one of another user is refused like a bad folder;
- an entry is opened without following a link and without blocking, must be a regular
  file no larger than `limits.CACHE_MAX_ENTRY_BYTES`, and is read in one bounded read;
  whatever is wrong with it (a FIFO, a link to `/dev/zero`, a directory) is a miss;
- folders of entries are pruned to the bounds of `s2slint.limits` when entries are
  written, oldest first, so the cache cannot grow without end.

Nothing here raises: a cache that cannot be used makes the run slower, never fail.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from contextlib import suppress
from pathlib import Path
from typing import Any

KEY_NAME = "cache.key"
KEY_BYTES = 32
MAGIC = b"s2slint-cache-entry "
"""The first bytes of every entry, before its HMAC in hex and a newline."""
_MAC_HEX = 64
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_POSIX = os.name == "posix"
"""Owners and permission bits mean something (on Windows, ACLs decide instead)."""


def _mine(status: os.stat_result) -> bool:
    """Tell whether this process's user owns what `status` describes."""
    return not _POSIX or status.st_uid == os.geteuid()


def _private(status: os.stat_result, others: int) -> bool:
    """Tell whether none of the permission bits `others` is set (always on Windows)."""
    return not _POSIX or not status.st_mode & others


_KEYS: dict[str, bytes | None] = {}
"""The key of each cache root this process opened (None: the root is refused)."""


def refusal(root: Path) -> str | None:
    """Return why the cache folder `root` must not be used, or None if it may.

    A missing root is created (mode 0700), and so is its key. The reason is one
    sentence that names the folder, for a one-line notice.
    """
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.stat(root)
    except OSError as error:
        return f"the cache folder {root} cannot be created: {error.strerror or error}"
    if not stat.S_ISDIR(status.st_mode):
        return f"the cache folder {root} is not a folder"
    if not _mine(status):
        return f"the cache folder {root} belongs to another user"
    if not _private(status, 0o022):
        return (
            f"the cache folder {root} may be written by other users "
            f"(mode {stat.S_IMODE(status.st_mode):04o}); make it private with chmod go-w"
        )
    if key_of(root) is None:
        return (
            f"the cache key {root / KEY_NAME} is not a private file of this user "
            "(mode 0600), or cannot be made"
        )
    return None


def key_of(root: Path) -> bytes | None:
    """Return the HMAC key of the cache at `root`, making it on first use; None if refused.

    A missing root is made (mode 0700). The checks (`refusal`) are made once per
    process and root; a refused root has no key, so every lookup is a miss and nothing
    is written.
    """
    name = os.path.abspath(root)
    if name not in _KEYS:
        _KEYS[name] = None  # until proven usable (and if anything below raises)
        with suppress(OSError):
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _root_is_private(root):
            _KEYS[name] = _read_key(root / KEY_NAME) or _make_key(root / KEY_NAME)
    return _KEYS[name]


def _root_is_private(root: Path) -> bool:
    """Tell whether `root` is a folder of this user that others cannot write to."""
    try:
        status = os.stat(root)
    except OSError:
        return False
    return stat.S_ISDIR(status.st_mode) and _mine(status) and _private(status, 0o022)


def _read_key(path: Path) -> bytes | None:
    """Return the key in `path` if it is a private regular file of this user."""
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if (
            not stat.S_ISREG(status.st_mode)
            or not _mine(status)
            or not _private(status, 0o077)
            or status.st_size != KEY_BYTES
        ):
            return None
        key = handle.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else None


def _make_key(path: Path) -> bytes | None:
    """Make a random key at `path` unless one appears meanwhile; return the key in force.

    The key is written to a private temporary file and linked into place, so a
    concurrent run never reads half a key, and a key another run made first wins.
    """
    if os.path.lexists(path):
        return None  # something is there that `_read_key` refused: never replace it
    temporary = path.with_name(f".{KEY_NAME}.{os.getpid()}.{os.urandom(4).hex()}")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            if _POSIX:
                os.fchmod(handle.fileno(), 0o600)  # whatever the umask
            handle.write(os.urandom(KEY_BYTES))
        with suppress(FileExistsError):
            os.link(temporary, path)
    except OSError:
        return None
    finally:
        with suppress(OSError):
            os.unlink(temporary)
    return _read_key(path)


def _mac(key: bytes, kind: str, name: str, body: bytes) -> bytes:
    """Return the hex HMAC that binds an entry's body to its kind and name."""
    tag = hmac.new(key, digestmod=hashlib.sha256)
    tag.update(f"{kind}\0{name}\0".encode("utf-8", "surrogateescape"))
    tag.update(body)
    return tag.hexdigest().encode("ascii")


def seal(key: bytes, kind: str, name: str, body: bytes) -> bytes:
    """Return the bytes of an entry: the magic, the HMAC, a newline, the body."""
    return MAGIC + _mac(key, kind, name, body) + b"\n" + body


def unseal(key: bytes, kind: str, name: str, data: bytes) -> bytes | None:
    """Return an entry's body if its HMAC verifies for this kind and name, else None."""
    start = len(MAGIC)
    if not data.startswith(MAGIC) or data[start + _MAC_HEX : start + _MAC_HEX + 1] != b"\n":
        return None
    body = data[start + _MAC_HEX + 1 :]
    expected = _mac(key, kind, name, body)
    return body if hmac.compare_digest(data[start : start + _MAC_HEX], expected) else None


def read_entry(path: Path, limit: int) -> bytes | None:
    """Return the bytes of the entry at `path`, or None for anything but a small file.

    Opened without following a link and without blocking; a FIFO, a device, a folder
    or a file larger than `limit` bytes is never read.
    """
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
                return None
            data = handle.read(status.st_size + 1)
    except OSError:
        return None
    return data if len(data) <= limit else None


def read_document(
    path: Path, secret: bytes, kind: str, name: str, limit: int, version: int
) -> dict[str, Any] | None:
    """Return the JSON object an authentic entry holds, if it is of format `version`.

    Whatever is wrong is None, never an exception: a missing, oversized or planted
    entry, a body that is not JSON (or nests too deep to read), another format.
    """
    data = read_entry(path, limit)
    body = None if data is None else unseal(secret, kind, name, data)
    if body is None:
        return None
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or document.get("format") != version:
        return None
    return document


def store(
    path: Path,
    secret: bytes,
    kind: str,
    name: str,
    body: bytes,
    root: Path,
    *,
    limit: int,
    entries: int,
    total: int,
) -> bool:
    """Seal `body` and write it at `path`, then prune its folder to `entries` and `total` bytes.

    An entry over `limit` bytes, sealed, is not written: `read_entry` would never read it
    back. What every cache of s2slint does to keep an entry, in one place. Returns
    whether it was written.
    """
    sealed = seal(secret, kind, name, body)
    if len(sealed) > limit:
        return False
    if not write_entry(path, sealed, root):
        return False
    prune(path.parent, entries, total)
    return True


def write_entry(path: Path, data: bytes, root: Path) -> bool:
    """Write an entry through a temporary file and a rename; never raise.

    Concurrent runs then never read half an entry, and a failed write leaves no
    temporary file. The first entry also writes a `.gitignore` of `*` into the cache's
    `root`, so a cache kept inside a repository is never committed by mistake. Returns
    whether the entry was written.
    """
    import tempfile

    temporary: str | None = None
    try:
        if not path.parent.is_dir():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            marker = root / ".gitignore"
            if not marker.exists():
                marker.write_text("*\n", encoding="utf-8")
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
        temporary = None
    except OSError:
        return False
    finally:
        if temporary is not None:
            with suppress(OSError):
                os.unlink(temporary)
    return True


def prune(folder: Path, max_entries: int, max_bytes: int) -> None:
    """Delete the oldest entries of `folder` until it holds at most the bounds.

    The newest entry is always kept, even alone above `max_bytes`. Temporary files of
    other runs, and anything that is not a regular file, are left alone.
    """
    entries: list[tuple[float, int, str]] = []
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                if item.name.startswith(".") or not item.is_file(follow_symlinks=False):
                    continue
                info = item.stat(follow_symlinks=False)
                entries.append((info.st_mtime, info.st_size, item.path))
    except OSError:
        return
    entries.sort(reverse=True)  # newest first
    total = 0
    for number, (_, size, path) in enumerate(entries):
        total += size
        if number and (number >= max_entries or total > max_bytes):
            with suppress(OSError):
                os.unlink(path)
