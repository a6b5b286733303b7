"""What a loader receives and returns; the contract built-in and plugin loaders share.

A loader claims a file by its content (`sniff`), never by its name, and turns it into
model records. Whatever is wrong with the input comes back as `InputProblem`s
(INP codes), so one bad file never stops the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from s2slint.findings import Location
from s2slint.loaders.text import decode, looks_binary


@dataclass(frozen=True)
class Source:
    """One file of the bundle: its bytes, the path to show, and its folders.

    `folders` are the directory names between the bundle root and the file; per-server
    exports are attributed through them (`servers/atl-fe-01.litwareinc.com/...`).
    """

    path: Path
    display: str
    data: bytes
    folders: tuple[str, ...] = ()

    @cached_property
    def text(self) -> str:
        """Return the decoded text (BOM-aware; see `loaders.text`)."""
        return decode(self.data)

    @cached_property
    def head(self) -> str:
        """Return the first few kilobytes of text, or "" for binary files, for sniffing."""
        if looks_binary(self.data):
            return ""
        return decode(self.data[:8192])

    def location(
        self, line: int | None = None, column: int | None = None, pointer: str | None = None
    ) -> Location:
        """Return a location in this file."""
        return Location(self.display, line, column, pointer)

    @cached_property
    def digest(self) -> str:
        """Return the SHA-256 of the bytes in hex: what the caches know the content by."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def stale(self) -> bool:
        """Tell whether the bytes differ from what the run took them for (`StoredSource`)."""
        return False


class StoredSource(Source):
    """A file an earlier run read and the walk finds unchanged: read again only if needed.

    The run goes on from what was recorded of it (its `digest`; see
    `s2slint.engine.unchanged`): a run the caches serve never reads it. A loader that
    needs the bytes (a miss of the per-file cache) has them read then. Bytes that no
    longer have the recorded digest (the file was changed during the run, or cannot
    be read any more) are what is loaded, and make the source `stale`: nothing the
    run learns is cached, since the caches would file it under the old content.
    """

    def __init__(self, path: Path, display: str, folders: tuple[str, ...], digest: str) -> None:
        # Not the dataclass's __init__: `data` is left unset, for the property below.
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "display", display)
        object.__setattr__(self, "folders", folders)
        self.__dict__["digest"] = digest  # what `Source.digest` would compute, known

    @cached_property
    def data(self) -> bytes:
        """Read the bytes now (within the limits in force), noting whether they changed."""
        from s2slint import limits
        from s2slint.fileread import Unread, read_file

        read = read_file(self.path, limits.active().max_file_bytes)
        data = b"" if isinstance(read, Unread) else read
        if isinstance(read, Unread) or hashlib.sha256(data).hexdigest() != self.digest:
            self.__dict__["_stale"] = True
        return data

    @property
    def stale(self) -> bool:
        """Tell whether the bytes read differ from the recorded ones (see the class)."""
        return bool(self.__dict__.get("_stale"))


class Secret:
    """A password that never shows itself in a repr, a log or an exception."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the password, for the one call that needs it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class LoadContext:
    """Settings loaders need: the PFX password (if any) and how it was supplied.

    `loaders` are the run's loaders, in the order they are tried: a loader that holds
    other files (an archive) reads its members with them, so a plugin's input kind is
    read the same inside an archive as beside it. Empty means the built-in loaders.
    """

    pfx_password: Secret | None = None
    pfx_password_origin: str = "no password was supplied"
    loaders: tuple[Loader, ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Something wrong with an input, reported under an INP code."""

    code: str
    message: str
    location: Location


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What a loader read from one file: its kind, records and problems."""

    kind: str
    records: tuple[object, ...] = ()
    problems: tuple[InputProblem, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Loader:
    """A kind of input: how to recognise it and how to read it.

    Loaders are tried by ascending `priority`; the first whose `sniff` accepts the file
    reads it.
    """

    kind: str
    sniff: Callable[[Source], bool]
    load: Callable[[Source, LoadContext], LoadResult]
    priority: int = 100
    description: str = ""
