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
from s2slint.fileread import Stamp, stamp_of
from s2slint.gitignore import GITIGNORE, GitIgnore

NOT_REGULAR = "not a regular file (FIFO, socket or device)"
LEAVES_BUNDLE = (
    "symbolic link leading outside the bundle refused: s2slint reads only files inside "
    "the folders and files it is given"
)
LINK_LOOP = "symbolic link loop refused: following it would never end"
DANGLING = "symbolic link to nothing (its target does not exist)"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class BundleFile:
    """A file to read: where it is, how to show it, and the folders above it."""

    path: Path
    display: str
    folders: tuple[str, ...]
    stamp: Stamp | None = None
    """The file's status when the walk looked at it (`fileread.Stamp`), for `engine.unchanged`."""
    real: str = ""
    """Where the file really is, links resolved (the walk knows it); "" when not told."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
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


def _real(path: Path) -> Path:
    """Return the fully resolved path; never raises (loops are left unresolved)."""
    return Path(os.path.realpath(path))


def _direct(path: Path, resolved: str) -> bool:
    """Tell whether `path` reaches `resolved` without passing through any link."""
    return os.path.abspath(path) == resolved


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
    return _escaped(shown.as_posix())


_SURROGATE = re.compile("[\ud800-\udfff]")


def _byte_escape(match: re.Match[str]) -> str:
    """Show the byte a surrogate stands for (`os.fsdecode`'s surrogateescape)."""
    point = ord(match.group(0))
    return f"\\x{point - 0xDC00:02x}" if 0xDC80 <= point <= 0xDCFF else f"\\u{point:04x}"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Exclude:
    """The `exclude` globs of a walk, each compiled once.

    A pattern without `/` matches names anywhere (`*.md`); one with `/` matches the
    path relative to the configuration's folder or to the working directory. The
    first pattern that matches is the one the skipped entry quotes.
    """

    rules: tuple[tuple[str, Callable[[str], object], bool], ...]
    """Each pattern as given, its matcher, and whether it matches relative paths."""
    any_name: Callable[[str], object] | None = None
    """All the patterns in one matcher when none matches relative paths: most entries
    match none, and one match tells so (which one matched is looked up after)."""

    @classmethod
    def of(cls, patterns: Sequence[str]) -> _Exclude:
        rules = []
        for pattern in patterns:
            glob = pattern.strip("/")
            # What `fnmatch.fnmatch` does per call, done once per pattern.
            matches = re.compile(fnmatch.translate(os.path.normcase(glob))).match
            rules.append((pattern, matches, "/" in glob))
        any_name = None
        if rules and not any(by_path for _, _, by_path in rules):
            either = "|".join(
                f"(?:{fnmatch.translate(os.path.normcase(pattern.strip('/')))})"
                for pattern, _, _ in rules
            )
            any_name = re.compile(either).match
        return cls(tuple(rules), any_name)

    @property
    def by_path(self) -> bool:
        """Tell whether any pattern matches relative paths (has a `/`), not bare names."""
        return any(by_path for _, _, by_path in self.rules)

    def match(self, name: str, relatives: Callable[[], Sequence[str]]) -> str | None:
        """Return the pattern that matches `name` or one of its `relatives()`, if any.

        The relative paths are asked for only when a pattern needs them.
        """
        name = os.path.normcase(name)
        if self.any_name is not None and not self.any_name(name):
            return None
        paths: Sequence[str] | None = None
        for pattern, matches, by_path in self.rules:
            if not by_path:
                if matches(name):
                    return pattern
                continue
            if paths is None:
                paths = [os.path.normcase(path) for path in relatives()]
            if any(matches(path) for path in paths):
                return pattern
        return None


def under(path: str, folder: str) -> str | None:
    """Return the resolved `path` relative to the resolved `folder` ("." for itself).

    None when `path` lies outside `folder`. Plain text, as `Path.relative_to` would
    give it for resolved paths, without building a path object per file.
    """
    if path == folder:
        return "."
    prefix = folder if folder.endswith("/") else folder + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def _inside(path: str, boundaries: Iterable[str]) -> bool:
    """Tell whether a resolved path lies in (or is) one of the resolved boundaries."""
    return any(under(path, boundary) is not None for boundary in boundaries)


def _escaped(text: str) -> str:
    """Return `text` with each byte of a non-UTF-8 name shown as `\\xNN`."""
    return _SURROGATE.sub(_byte_escape, text) if _SURROGATE.search(text) else text


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Folder:
    """A folder the walk entered, and what every entry in it shares, worked out once.

    Walking a large bundle is mostly walking its files: anything that depends only on
    the folder (where it really is, how it is shown, which ignore files apply) is
    decided here, so each file costs a few string operations, not several path objects
    and resolutions.
    """

    path: Path
    """The folder as walked (through links, as the user sees it)."""
    real: str
    """The folder fully resolved."""
    parts: tuple[str, ...]
    """The folders between the walk's root and this one."""
    chain: frozenset[str]
    """The resolved folders from the root down to this one, both included."""
    shown: str | None
    """What the display path of each entry starts with; None: each is worked out alone."""

    def located(self, name: str) -> str:
        """Return where the entry `name` sits, its folder resolved but not itself."""
        return (self.real if self.real.endswith("/") else self.real + "/") + name


@dataclass(slots=True, eq=False, repr=False)
class _Walk:
    """The state of one walk: what was found, what was skipped, and the limits."""

    cwd: Path
    limits: input_limits.Limits
    skip: frozenset[str]
    files: dict[str, BundleFile]
    skipped: list[SkippedEntry]
    respect_gitignore: bool = True

    # Resolved folders, by path as walked, for what is shown one by one (a skipped
    # entry, a file named on the command line). Folders do not change during a walk.
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

    def folder(
        self, path: Path, real: str, parts: tuple[str, ...], chain: frozenset[str]
    ) -> _Folder:
        """Return the walk's view of a folder it enters (see `_Folder`)."""
        return _Folder(path, real, parts, chain, self._shown_prefix(path, real))

    def _shown_prefix(self, path: Path, real: str) -> str | None:
        """Return what `display_path` of every entry of a folder starts with.

        An entry is shown relative to the working directory when it sits inside it,
        else as walked. Whether it sits inside is the folder's question, except in the
        working directory's own parent, where one entry is the working directory
        itself: there each entry is worked out alone (None).
        """
        cwd = os.fspath(self.real_folder(self.cwd))
        relative = under(real, cwd)
        if relative is not None:
            return "" if relative == "." else _escaped(relative) + "/"
        if real == os.path.dirname(cwd):
            return None
        text = path.as_posix()
        if text == ".":
            return ""
        return _escaped(text) if text.endswith("/") else _escaped(text) + "/"

    def entry_display(self, folder: _Folder, name: str, path: Path) -> str:
        """`display_path` of the entry `name` of `folder` (`path` as walked)."""
        if folder.shown is None:
            return self.display(path)
        return folder.shown + _escaped(name)

    def skip_entry(self, path: Path, reason: str, code: str, display: str | None = None) -> None:
        shown = self.display(path) if display is None else display
        self.skipped.append(SkippedEntry(shown, reason, code))

    def left_out(
        self,
        folder: _Folder,
        name: str,
        exclude: _Exclude,
        anchors: Sequence[str],
        ignore: GitIgnore | None,
        *,
        is_dir: bool,
    ) -> bool:
        """Tell whether an entry of `folder` is excluded or ignored, recording why (no finding).

        A folder is recorded with a trailing `/`, once: it is not entered. How the
        entry is shown is worked out only when it is left out.
        """

        def relatives() -> list[str]:
            located = folder.located(name)
            return [
                relative
                for relative in (under(located, anchor) for anchor in anchors)
                if relative is not None
            ]

        pattern = exclude.match(name, relatives)
        if pattern is not None:
            reason = f'excluded by the pattern "{pattern}"'
        else:
            source = None if ignore is None else ignore.ignored_in(folder.real, name, is_dir)
            if source is None:
                return False
            reason = f"ignored by {display_path(source, self.cwd)}"
        display = self.entry_display(folder, name, folder.path / name) + ("/" if is_dir else "")
        self.skipped.append(SkippedEntry(display, reason, "", excluded=pattern is not None))
        return True

    def add_file(
        self,
        path: Path,
        folders: tuple[str, ...],
        boundaries: Sequence[str],
        located: str | None = None,
        display: str | None = None,
    ) -> None:
        """Check one file (links, kind, size) and list it, or record why it is skipped.

        `located` is where the file sits (its folder resolved, not itself) and
        `display` how it is shown, when the walk knows them already.
        """
        shown = self.display(path) if display is None else display
        link = False
        try:
            info = path.lstat()
            link = stat.S_ISLNK(info.st_mode)
            if link:
                info = path.stat()
        except OSError as error:
            if link and error.errno == errno.ELOOP:
                self.skip_entry(path, LINK_LOOP, "INP004", shown)
            elif link and error.errno == errno.ENOENT:
                self.skip_entry(path, DANGLING, "INP002", shown)
            else:
                reason = f"cannot be read: {error.strerror or error}"
                self.skip_entry(path, reason, "INP001", shown)
            return
        # A file that is no link resolves to where it sits: its folder, resolved once.
        if link:
            resolved = os.fspath(_real(path))
        else:
            resolved = os.fspath(self.unfollowed(path)) if located is None else located
        if link and not _inside(resolved, boundaries):
            self.skip_entry(path, LEAVES_BUNDLE, "INP004", shown)
            return
        if resolved in self.skip:
            # The configuration and the password file are never inputs, even when a
            # shell glob or pre-commit names them.
            return
        if not stat.S_ISREG(info.st_mode):
            self.skip_entry(path, NOT_REGULAR, "INP002", shown)
            return
        if info.st_size > self.limits.max_file_bytes:
            self.skip_entry(
                path,
                f"file is {info.st_size:,} bytes, more than the "
                f"{self.limits.max_file_bytes:,} s2slint reads",
                "INP004",
                shown,
            )
            return
        found = BundleFile(path, shown, folders, stamp_of(info), resolved)
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
        skip=frozenset(os.fspath(_real(p)) for p in skip),
        files={},
        skipped=[],
        respect_gitignore=respect_gitignore,
    )
    patterns = _Exclude.of(exclude)
    for root in paths:
        kind = _kind(root)
        if kind is None:
            raise UsageError(f"{root}: no such file or directory")
        if kind == "folder":
            _walk_dir(root, patterns, state, base or cwd)
            continue
        # Anything else named on the command line: a file, a FIFO, socket or device, a
        # dangling link or a loop (add_file lists those). A link is followed within the
        # project or the link's own folder.
        state.add_file(root, (), (os.fspath(_real(cwd)), os.fspath(_real(root.parent))))
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


def _walk_dir(root: Path, exclude: _Exclude, state: _Walk, base: Path) -> None:
    """List the files under `root` (`add_file`), with the folders between `root` and each.

    Links to folders are followed when they stay inside `root`, so a bundle may be
    assembled from links. A link to a folder walked already is not followed again, so
    each folder is walked at most twice (through the first link to it, and where it
    really is); `add_file` lists each file once. The resolved folders on the way down
    to each folder are kept, so a link back to any of them is a loop, however many
    links it takes.

    Each folder is resolved once: a subfolder that is no link resolves to its
    parent's resolution and its name, so only links cost a `realpath`.
    """
    # Relative paths are only matched by patterns with a "/" (none of the defaults).
    anchors = [os.fspath(_real(base)), os.fspath(_real(state.cwd))] if exclude.by_path else []
    boundary = os.fspath(_real(root))
    ignore = GitIgnore.for_folder(root) if state.respect_gitignore else None
    entered = {os.fspath(root): state.folder(root, boundary, (), frozenset({boundary}))}
    walked: set[str] = {boundary}
    deepest = state.limits.max_folder_depth

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        reason = f"folder cannot be read: {error.strerror or error}"
        state.skip_entry(where, reason, "INP001")

    for directory, dirnames, links, filenames in _tree(os.fspath(root), unreadable):
        here = entered.pop(directory)
        if ignore is not None:
            ignore.listed[here.real] = GITIGNORE in filenames
        depth = len(here.chain)  # the folders from the root down to `here`, both included
        kept = []
        for name in sorted(dirnames):
            if state.left_out(here, name, exclude, anchors, ignore, is_dir=True):
                continue
            path = here.path / name
            if depth >= deepest + 1:
                state.skip_entry(
                    path,
                    f"folder nested more than {deepest} levels deep refused (limit "
                    "max_folder_depth)",
                    "INP004",
                )
                continue
            if name in links:
                resolved = os.fspath(state.real_folder(path))
                if not _inside(resolved, (boundary,)):
                    state.skip_entry(path, LEAVES_BUNDLE, "INP004")
                    continue
                if resolved in here.chain:
                    state.skip_entry(path, LINK_LOOP, "INP004")
                    continue
                if resolved in walked:
                    continue  # walked already; its files are listed
            else:
                resolved = here.located(name)
            walked.add(resolved)
            child = state.folder(path, resolved, (*here.parts, name), here.chain | {resolved})
            entered[os.path.join(directory, name)] = child
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if state.left_out(here, name, exclude, anchors, ignore, is_dir=False):
                continue
            path = here.path / name
            display = state.entry_display(here, name, path)
            state.add_file(path, here.parts, (boundary,), here.located(name), display)


def _tree(
    top: str, onerror: Callable[[OSError], None]
) -> Iterator[tuple[str, list[str], frozenset[str], list[str]]]:
    """Walk the folders under `top` like `os.walk(top, followlinks=True)`, without recursion.

    Python 3.11's `os.walk` recurses once per level, so a bundle of a thousand nested
    folders raised RecursionError. This walk keeps a stack instead and yields in the
    same order (each folder, then its subfolders in the order the caller leaves in
    `dirnames`, depth first). Links to folders are listed as folders, and named again
    among the links; whether to enter them is the caller's choice, made by pruning
    `dirnames`.
    """
    stack = [top]
    while stack:
        directory = stack.pop()
        dirnames: list[str] = []
        links: set[str] = set()
        filenames: list[str] = []
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    try:
                        is_folder = entry.is_dir()
                    except OSError:
                        is_folder = False
                    if not is_folder:
                        filenames.append(entry.name)
                        continue
                    dirnames.append(entry.name)
                    if _is_link(entry):
                        links.add(entry.name)
        except OSError as error:
            onerror(error)
            continue
        yield directory, dirnames, frozenset(links), filenames
        stack.extend(os.path.join(directory, name) for name in reversed(dirnames))


def _is_link(entry: os.DirEntry[str]) -> bool:
    """Tell whether a folder entry is a symbolic link; one that cannot be examined is not."""
    try:
        return entry.is_symlink()
    except OSError:
        return False
