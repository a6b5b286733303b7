"""Walk the paths a user names and list the files of the bundle, deterministically.

Kinds are decided later from content; here only excluded names (hidden files, the
configuration itself, prose) are skipped, and paths that do not exist are an error.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from s2slint.errors import UsageError


@dataclass(frozen=True, slots=True)
class BundleFile:
    """A file to read: where it is, how to show it, and the folders above it."""

    path: Path
    display: str
    folders: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """Something in the bundle that is not a regular file (a FIFO, socket, device)."""

    display: str
    reason: str


def display_path(path: Path, cwd: Path) -> str:
    """Return `path` relative to the working directory when inside it, with `/`."""
    try:
        shown = path.resolve().relative_to(cwd.resolve())
    except ValueError:
        shown = path
    return shown.as_posix()


def _excluded(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def walk(
    paths: Iterable[Path], exclude: Sequence[str], cwd: Path, skip: Iterable[Path] = ()
) -> tuple[list[BundleFile], list[SkippedEntry]]:
    """List the files under `paths`, sorted, each once.

    Raises `UsageError` when a named path does not exist. A file named explicitly
    is read even if an exclude pattern matches it (as ruff does without
    `--force-exclude`).
    """
    skipped_paths = {p.resolve() for p in skip}
    files: dict[Path, BundleFile] = {}
    skipped: list[SkippedEntry] = []
    for root in paths:
        if not root.exists():
            raise UsageError(f"{root}: no such file or directory")
        if root.is_file():
            resolved = root.resolve()
            # The configuration and the password file are never inputs, even when a
            # shell glob or pre-commit names them.
            if resolved not in skipped_paths:
                files.setdefault(resolved, BundleFile(root, display_path(root, cwd), ()))
            continue
        for path, folders in _walk_dir(root, exclude, skipped, cwd):
            resolved = path.resolve()
            if resolved in skipped_paths:
                continue
            files.setdefault(resolved, BundleFile(path, display_path(path, cwd), folders))
    ordered = sorted(files.values(), key=lambda f: f.display)
    return ordered, sorted(skipped, key=lambda s: s.display)


def _walk_dir(
    root: Path, exclude: Sequence[str], skipped: list[SkippedEntry], cwd: Path
) -> Iterator[tuple[Path, tuple[str, ...]]]:
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(directory)
        dirnames[:] = sorted(d for d in dirnames if not _excluded(d, exclude))
        relative = base.relative_to(root).parts
        for name in sorted(filenames):
            if _excluded(name, exclude):
                continue
            path = base / name
            try:
                mode = path.stat().st_mode
            except OSError as error:
                skipped.append(
                    SkippedEntry(display_path(path, cwd), f"cannot be read: {error.strerror}")
                )
                continue
            if not stat.S_ISREG(mode):
                skipped.append(
                    SkippedEntry(
                        display_path(path, cwd), "not a regular file (FIFO, socket or device)"
                    )
                )
                continue
            yield path, relative
