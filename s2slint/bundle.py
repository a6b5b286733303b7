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


def _excluded(name: str, relatives: Sequence[str], patterns: Sequence[str]) -> bool:
    """Tell whether an exclude glob matches the bare name or a relative path.

    A pattern without `/` matches names anywhere (`*.md`); one with `/` matches the
    path relative to the configuration's folder or to the working directory.
    """
    for pattern in patterns:
        if "/" not in pattern.strip("/"):
            if fnmatch.fnmatch(name, pattern.strip("/")):
                return True
        elif any(fnmatch.fnmatch(rel, pattern.strip("/")) for rel in relatives):
            return True
    return False


def walk(
    paths: Iterable[Path],
    exclude: Sequence[str],
    cwd: Path,
    skip: Iterable[Path] = (),
    base: Path | None = None,
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
        if not root.is_file() and not root.is_dir():
            skipped.append(
                SkippedEntry(display_path(root, cwd), "not a regular file (FIFO, socket or device)")
            )
            continue
        if root.is_file():
            resolved = root.resolve()
            # The configuration and the password file are never inputs, even when a
            # shell glob or pre-commit names them.
            if resolved not in skipped_paths:
                files.setdefault(resolved, BundleFile(root, display_path(root, cwd), ()))
            continue
        for path, folders in _walk_dir(root, exclude, skipped, cwd, base or cwd):
            resolved = path.resolve()
            if resolved in skipped_paths:
                continue
            files.setdefault(resolved, BundleFile(path, display_path(path, cwd), folders))
    ordered = sorted(files.values(), key=lambda f: f.display)
    return ordered, sorted(skipped, key=lambda s: s.display)


def _relatives(path: Path, anchors: Sequence[Path]) -> list[str]:
    """Return `path` relative to each anchor it lies under, with forward slashes."""
    resolved = path.resolve()
    found = []
    for anchor in anchors:
        try:
            found.append(resolved.relative_to(anchor).as_posix())
        except ValueError:
            continue
    return found


def _walk_dir(
    root: Path, exclude: Sequence[str], skipped: list[SkippedEntry], cwd: Path, base: Path
) -> Iterator[tuple[Path, tuple[str, ...]]]:
    anchors = [base.resolve(), cwd.resolve()]
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(directory)
        dirnames[:] = sorted(
            d for d in dirnames if not _excluded(d, _relatives(here / d, anchors), exclude)
        )
        relative = here.relative_to(root).parts
        for name in sorted(filenames):
            path = here / name
            if _excluded(name, _relatives(path, anchors), exclude):
                continue
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
