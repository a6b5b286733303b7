"""Honour `.gitignore` the way git does, as ruff's `respect-gitignore` does.

A configuration repository keeps what git ignores next to its exports: reports a CI
job wrote, editor files, a local virtual environment. s2slint lints what the
repository holds, so a path git ignores is skipped (listed, without a finding).

The patterns are read with `pathspec`'s `GitIgnoreSpec` (git's own wildmatch
semantics, negations included), never with a hand-made matcher. Like git:

- every `.gitignore` from the repository's top folder down to the file's folder
  applies, each pattern relative to the folder of its file, and a deeper file's
  decision (an ignore or a `!negation`) overrides a shallower one's;
- `.git/info/exclude` applies as a `.gitignore` at the top folder would, below every
  `.gitignore`;
- a folder that is ignored is not entered, so nothing below it can be re-included.

Outside a git repository only the `.gitignore` files of the linted folders count.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

GITIGNORE = ".gitignore"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Level:
    """The patterns of one ignore file and the folder they are relative to."""

    folder: Path
    spec: GitIgnoreSpec
    source: Path

    @property
    def prefix(self) -> str:
        """The folder as text ending in `/`: what paths relative to it start with."""
        return _slashed(os.fspath(self.folder))


@dataclass(slots=True, eq=False, repr=False)
class GitIgnore:
    """The ignore files that apply under a top folder, read once each.

    `top` is the repository's top folder (the one holding `.git`), or None outside a
    repository; then only the `.gitignore` files at or below `floor` count.
    """

    top: Path | None
    floor: Path
    _levels: dict[str, tuple[_Level, ...]] = field(default_factory=dict)
    listed: dict[str, bool] = field(default_factory=dict)
    """Whether a resolved folder holds an ignore file, as a walk that listed it saw:
    a folder known to hold none is not asked (most of an estate's thousands hold none)."""

    @classmethod
    def for_folder(cls, folder: Path) -> GitIgnore:
        """Return the ignore rules for a linted folder (resolved, links followed)."""
        real = Path(os.path.realpath(folder))
        return cls(repository_top(real), real)

    def ignored_by(self, path: Path, is_dir: bool) -> Path | None:
        """Return the ignore file that excludes `path` (resolved), or None if none does."""
        return self.ignored_in(os.fspath(path.parent), path.name, is_dir)

    def ignored_in(self, folder: str, name: str, is_dir: bool) -> Path | None:
        """Return the ignore file that excludes the entry `name` of the resolved `folder`.

        Taking the folder as text lets the walk ask about every entry of a folder
        without building a path per entry; a folder no ignore file applies to costs
        one dictionary lookup.
        """
        for level in reversed(self._chain(folder)):
            relative = _slashed(folder)[len(level.prefix) :] + name
            result = level.spec.check_file(relative + "/" if is_dir else relative)
            if result.include is True:
                return level.source
            if result.include is False:
                return None  # re-included by a negation
        return None

    def _chain(self, folder: str) -> tuple[_Level, ...]:
        """Return the levels that apply in the resolved `folder`, shallowest first."""
        known = self._levels.get(folder)
        if known is not None:
            return known
        start = os.fspath(self.top if self.top is not None else self.floor)
        if folder == start or not _within(folder, start):
            chain = self._exclude_file() if folder == start else ()
        else:
            chain = self._chain(os.path.dirname(folder))
        own = _read(folder) if self.listed.get(folder, True) else None
        chain = (*chain, own) if own is not None else chain
        self._levels[folder] = chain
        return chain

    def _exclude_file(self) -> tuple[_Level, ...]:
        """Return `.git/info/exclude` of the repository as a level, if it has patterns."""
        if self.top is None:
            return ()
        level = _read(os.fspath(self.top), os.path.join(".git", "info", "exclude"))
        return (level,) if level is not None else ()


def _read(folder: str, name: str = GITIGNORE) -> _Level | None:
    """Read the ignore file `name` in `folder`; None when it is absent or unreadable.

    Asked of every folder walked, and most have none: no path object is made for a
    file that is not there.
    """
    source = os.path.join(folder, name)
    try:
        with open(source, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    # Imported only when a .gitignore exists: pathspec brings logging and more, which
    # a warm run of a bundle without one must not pay for.
    from pathspec import GitIgnoreSpec

    return _Level(Path(folder), GitIgnoreSpec.from_lines(lines), Path(source))


def _slashed(folder: str) -> str:
    """Return a folder's text ending in one `/` (the root `/` as it is)."""
    return folder if folder.endswith("/") else folder + "/"


def _within(path: str, folder: str) -> bool:
    """Tell whether the resolved `path` lies inside the resolved `folder` (or is it)."""
    return path == folder or path.startswith(_slashed(folder))


def repository_top(folder: Path) -> Path | None:
    """Return the closest folder at or above `folder` that holds `.git`, if any."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None
