"""Walk the paths a user names and list the files of the bundle, deterministically.

Kinds are decided later from content; here only what the user excluded (the
`exclude` globs, and what `.gitignore` ignores when `respect-gitignore` is on) is
skipped, and paths that do not exist are an error. Both are recorded, never a
finding: an excluded entry only for `--show-files`, an ignored one also in the run's
list of inputs (catalogue v2, INP002). A folder excluded or ignored is not entered
and is recorded once, as itself.

Bundles arrive from many hands, so the walk reads only what lies inside them and
never lists anything silently:

- a symbolic link is followed only when its target stays inside the bundle (the folder
  named, or for a file named on the command line the working directory or the link's
  own folder); one that leaves it is refused (INP004), so a bundle cannot make s2slint
  read `/etc/shadow` or a home directory and quote it in a CI log;
- a link that leads back to a folder above it, or a chain of links that never ends,
  is refused as a loop (INP004) instead of being walked forever;
- a link to nothing, a FIFO, socket or device is listed (INP002) and never opened (a
  FIFO would block the run); a file or folder that cannot be read is listed (INP001);
- a file larger than `limits.max_file_bytes` is refused (INP004) before it is read.

Each of these becomes a `SkippedEntry` whose `code` says which INP finding it is.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from s2slint import limits as input_limits
from s2slint.errors import UsageError
from s2slint.gitignore import GitIgnore

NOT_REGULAR = "not a regular file (FIFO, socket or device)"
LEAVES_BUNDLE = (
    "symbolic link leading outside the bundle refused: s2slint reads only files inside "
    "the folders and files it is given"
)
LINK_LOOP = "symbolic link loop refused: following it would never end"
DANGLING = "symbolic link to nothing (its target does not exist)"


@dataclass(frozen=True, slots=True)
class BundleFile:
    """A file to read: where it is, how to show it, and the folders above it."""

    path: Path
    display: str
    folders: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """Something in the bundle that is not read, and the INP finding it becomes.

    `code` is "INP002" for what is merely not a readable regular file (FIFO, socket,
    device, dangling link), "INP004" for what is refused for safety (a link leaving the
    bundle, a link loop, a file beyond the size limit) and "INP001" for what could not
    be read (permissions, I/O errors). `code` "" is no finding: what `.gitignore`
    ignores, and (with `excluded`) what an `exclude` glob names, which is left out of
    the run's inputs and shown only by `--show-files`.
    """

    display: str
    reason: str
    code: str = "INP002"
    excluded: bool = False


def _unfollowed(path: Path) -> Path:
    """Return `path` absolute with its folders resolved but its last part not followed.

    A link is shown, excluded and compared as itself, where it sits in the bundle,
    never as its target (which may be outside, or a loop that `resolve` cannot end).
    """
    if path.name in ("", ".", ".."):
        return Path(os.path.realpath(path))
    return Path(os.path.realpath(path.parent)) / path.name


def _is_link(path: Path) -> bool:
    """Tell whether `path` is a symbolic link; one that cannot be examined is not."""
    try:
        return path.is_symlink()
    except OSError:
        return False


def _real(path: Path) -> Path:
    """Return the fully resolved path; never raises (loops are left unresolved)."""
    return Path(os.path.realpath(path))


def _direct(path: Path, resolved: Path) -> bool:
    """Tell whether `path` reaches `resolved` without passing through any link."""
    return Path(os.path.abspath(path)) == resolved


def display_path(path: Path, cwd: Path) -> str:
    """Return `path` relative to the working directory when inside it, with `/`.

    A name that is not valid UTF-8 reaches Python with its odd bytes as lone
    surrogates, which no UTF-8 report can encode; each such byte is shown as `\\xNN`.
    """
    return _shown(path, _unfollowed(path), _real(cwd))


def _shown(path: Path, located: Path, real_cwd: Path) -> str:
    """Return `display_path`'s text for `path`, `located` where it sits (`_unfollowed`)."""
    try:
        shown = located.relative_to(real_cwd)
    except ValueError:
        shown = path
    text = shown.as_posix()
    return _SURROGATE.sub(_byte_escape, text) if _SURROGATE.search(text) else text


_SURROGATE = re.compile("[\ud800-\udfff]")


def _byte_escape(match: re.Match[str]) -> str:
    """Show the byte a surrogate stands for (`os.fsdecode`'s surrogateescape)."""
    point = ord(match.group(0))
    return f"\\x{point - 0xDC00:02x}" if 0xDC80 <= point <= 0xDCFF else f"\\u{point:04x}"


def _excluded(name: str, relatives: Sequence[str], patterns: Sequence[str]) -> str | None:
    """Return the exclude glob that matches the bare name or a relative path, if any.

    A pattern without `/` matches names anywhere (`*.md`); one with `/` matches the
    path relative to the configuration's folder or to the working directory.
    """
    for pattern in patterns:
        if "/" not in pattern.strip("/"):
            if fnmatch.fnmatch(name, pattern.strip("/")):
                return pattern
        elif any(fnmatch.fnmatch(rel, pattern.strip("/")) for rel in relatives):
            return pattern
    return None


def _by_path(patterns: Sequence[str]) -> bool:
    """Tell whether any exclude glob matches relative paths (has a `/`), not bare names."""
    return any("/" in pattern.strip("/") for pattern in patterns)


def _inside(path: Path, boundaries: Iterable[Path]) -> bool:
    """Tell whether a resolved path lies in (or is) one of the resolved boundaries."""
    return any(path.is_relative_to(boundary) for boundary in boundaries)


@dataclass(slots=True)
class _Walk:
    """The state of one walk: what was found, what was skipped, and the limits."""

    cwd: Path
    limits: input_limits.Limits
    skip: frozenset[Path]
    files: dict[Path, BundleFile]
    skipped: list[SkippedEntry]
    respect_gitignore: bool = True

    # Resolved folders, by path as walked: every file of a folder shares its parent's
    # resolution, so the walk resolves each folder once instead of each file three
    # times (a tenth of a 2,000-Front-End run). Folders do not change during a walk.
    folders: dict[str, Path] = field(default_factory=dict)

    def real_folder(self, folder: Path) -> Path:
        """Return `folder` fully resolved, once per walk."""
        key = os.fspath(folder)
        found = self.folders.get(key)
        if found is None:
            found = self.folders[key] = _real(folder)
        return found

    def unfollowed(self, path: Path) -> Path:
        """`_unfollowed`, with the parent folder resolved once per walk."""
        if path.name in ("", ".", ".."):
            return self.real_folder(path)
        return self.real_folder(path.parent) / path.name

    def display(self, path: Path) -> str:
        """`display_path` relative to the walk's working directory."""
        return _shown(path, self.unfollowed(path), self.real_folder(self.cwd))

    def relatives(self, path: Path, anchors: Sequence[Path]) -> list[str]:
        """The path relative to each anchor it lies under (`_relative_to`), folders resolved once."""
        return _relative_to(self.unfollowed(path), anchors)

    def skip_entry(self, path: Path, reason: str, code: str) -> None:
        self.skipped.append(SkippedEntry(self.display(path), reason, code))

    def left_out(
        self,
        path: Path,
        relatives: Sequence[str],
        exclude: Sequence[str],
        ignore: GitIgnore | None,
        *,
        is_dir: bool,
    ) -> bool:
        """Tell whether an entry is excluded or ignored, recording why (no finding).

        A folder is recorded with a trailing `/`, once: it is not entered.
        """
        display = self.display(path) + ("/" if is_dir else "")
        pattern = _excluded(path.name, relatives, exclude)
        if pattern is not None:
            reason = f'excluded by the pattern "{pattern}"'
            self.skipped.append(SkippedEntry(display, reason, "", excluded=True))
            return True
        if ignore is None:
            return False
        source = ignore.ignored_by(self.unfollowed(path), is_dir)
        if source is None:
            return False
        reason = f"ignored by {display_path(source, self.cwd)}"
        self.skipped.append(SkippedEntry(display, reason, ""))
        return True

    def add_file(self, path: Path, folders: tuple[str, ...], boundaries: Sequence[Path]) -> None:
        """Check one file (links, kind, size) and list it, or record why it is skipped."""
        link = False
        try:
            link = path.is_symlink()
            info = path.stat()
        except OSError as error:
            if link and error.errno == errno.ELOOP:
                self.skip_entry(path, LINK_LOOP, "INP004")
            elif link and error.errno == errno.ENOENT:
                self.skip_entry(path, DANGLING, "INP002")
            else:
                self.skip_entry(path, f"cannot be read: {error.strerror or error}", "INP001")
            return
        # A file that is no link resolves to where it sits: its folder, resolved once.
        resolved = _real(path) if link else self.unfollowed(path)
        if link and not _inside(resolved, boundaries):
            self.skip_entry(path, LEAVES_BUNDLE, "INP004")
            return
        if resolved in self.skip:
            # The configuration and the password file are never inputs, even when a
            # shell glob or pre-commit names them.
            return
        if not stat.S_ISREG(info.st_mode):
            self.skip_entry(path, NOT_REGULAR, "INP002")
            return
        if info.st_size > self.limits.max_file_bytes:
            self.skip_entry(
                path,
                f"file is {info.st_size:,} bytes, more than the "
                f"{self.limits.max_file_bytes:,} s2slint reads",
                "INP004",
            )
            return
        found = BundleFile(path, self.display(path), folders)
        earlier = self.files.get(resolved)
        # A file reached both through a link and directly is listed once, by its own
        # path: its folders (which attribute per-server exports) are the real ones.
        if earlier is None or (_direct(path, resolved) and not _direct(earlier.path, resolved)):
            self.files[resolved] = found


def walk(
    paths: Iterable[Path],
    exclude: Sequence[str],
    cwd: Path,
    skip: Iterable[Path] = (),
    base: Path | None = None,
    *,
    limits: input_limits.Limits | None = None,
    respect_gitignore: bool = False,
) -> tuple[list[BundleFile], list[SkippedEntry]]:
    """List the files under `paths`, sorted, each once, and what was not read.

    Raises `UsageError` when a named path does not exist. A file named explicitly
    is read even if an exclude pattern or `.gitignore` matches it (as ruff does
    without `--force-exclude`). A folder named explicitly is the bundle even if it is
    itself a link; links inside it are followed only within it (see the module
    docstring). With `respect_gitignore`, what git ignores below a named folder is
    recorded as skipped instead of read.
    """
    state = _Walk(
        cwd=cwd,
        limits=limits or input_limits.active(),
        skip=frozenset(_real(p) for p in skip),
        files={},
        skipped=[],
        respect_gitignore=respect_gitignore,
    )
    for root in paths:
        kind = _kind(root)
        if kind is None:
            raise UsageError(f"{root}: no such file or directory")
        if kind == "folder":
            boundary = (_real(root),)
            for path, folders in _walk_dir(root, exclude, state, base or cwd):
                state.add_file(path, folders, boundary)
            continue
        # Anything else named on the command line: a file, a FIFO, socket or device, a
        # dangling link or a loop (add_file lists those). A link is followed within the
        # project or the link's own folder.
        state.add_file(root, (), (_real(cwd), _real(root.parent)))
    ordered = sorted(state.files.values(), key=lambda f: f.display)
    return ordered, sorted(state.skipped, key=lambda s: (s.display, s.code, s.reason))


def _kind(root: Path) -> str | None:
    """Return "folder" or "other" for a named path, None if nothing is there at all.

    A link to nothing or a loop is "other" (listed, not an error), and so is a path
    that cannot even be examined: `add_file` reports why.
    """
    try:
        if root.is_dir():
            return "folder"
        return "other" if root.exists() or root.is_symlink() else None
    except OSError:
        return "other"


def _relative_to(located: Path, anchors: Sequence[Path]) -> list[str]:
    """Return `located` relative to each anchor it lies under, with forward slashes."""
    found = []
    for anchor in anchors:
        try:
            found.append(located.relative_to(anchor).as_posix())
        except ValueError:
            continue
    return found


def _walk_dir(
    root: Path, exclude: Sequence[str], state: _Walk, base: Path
) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """Yield the files under `root` with the folders between `root` and each.

    Links to folders are followed when they stay inside `root`, so a bundle may be
    assembled from links. A link to a folder walked already is not followed again, so
    each folder is walked at most twice (through the first link to it, and where it
    really is); `add_file` lists each file once. The resolved folders on the way down
    to each folder are kept, so a link back to any of them is a loop, however many
    links it takes.
    """
    # Relative paths are only matched by patterns with a "/" (none of the defaults).
    anchors = [_real(base), _real(state.cwd)] if _by_path(exclude) else []
    boundary = _real(root)
    ignore = GitIgnore.for_folder(root) if state.respect_gitignore else None
    chains: dict[str, frozenset[Path]] = {os.fspath(root): frozenset({boundary})}
    walked: set[Path] = {boundary}
    deepest = state.limits.max_folder_depth

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        reason = f"folder cannot be read: {error.strerror or error}"
        state.skip_entry(where, reason, "INP001")

    for directory, dirnames, filenames in _tree(os.fspath(root), unreadable):
        here = Path(directory)
        chain = chains.get(directory, frozenset())
        depth = len(chain)  # the folders from the root down to `here`, both included
        kept = []
        for name in sorted(dirnames):
            path = here / name
            if state.left_out(path, state.relatives(path, anchors), exclude, ignore, is_dir=True):
                continue
            if depth >= deepest + 1:
                state.skip_entry(
                    path,
                    f"folder nested more than {deepest} levels deep refused (limit "
                    "max_folder_depth)",
                    "INP004",
                )
                continue
            resolved = state.real_folder(path)
            if _is_link(path):
                if not _inside(resolved, (boundary,)):
                    state.skip_entry(path, LEAVES_BUNDLE, "INP004")
                    continue
                if resolved in chain:
                    state.skip_entry(path, LINK_LOOP, "INP004")
                    continue
                if resolved in walked:
                    continue  # walked already; its files are listed
            walked.add(resolved)
            chains[os.fspath(path)] = chain | {resolved}
            kept.append(name)
        dirnames[:] = kept
        relative = here.relative_to(root).parts
        for name in sorted(filenames):
            path = here / name
            if state.left_out(path, state.relatives(path, anchors), exclude, ignore, is_dir=False):
                continue
            yield path, relative


def _tree(
    top: str, onerror: Callable[[OSError], None]
) -> Iterator[tuple[str, list[str], list[str]]]:
    """Walk the folders under `top` like `os.walk(top, followlinks=True)`, without recursion.

    Python 3.11's `os.walk` recurses once per level, so a bundle of a thousand nested
    folders raised RecursionError. This walk keeps a stack instead and yields in the
    same order (each folder, then its subfolders in the order the caller leaves in
    `dirnames`, depth first). Links to folders are listed as folders; whether to enter
    them is the caller's choice, made by pruning `dirnames`.
    """
    stack = [top]
    while stack:
        directory = stack.pop()
        dirnames: list[str] = []
        filenames: list[str] = []
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    try:
                        is_folder = entry.is_dir()
                    except OSError:
                        is_folder = False
                    (dirnames if is_folder else filenames).append(entry.name)
        except OSError as error:
            onerror(error)
            continue
        yield directory, dirnames, filenames
        stack.extend(os.path.join(directory, name) for name in reversed(dirnames))
