"""Stage 2, gather: walk the bundle, read every file, find inline comments and manifest entries.

Nothing is parsed yet. What cannot be read (a skipped entry, a file swapped for a
FIFO, a file grown past the limit) becomes an input problem here, so that the load
stage only ever sees bytes. What is not an export at all (notes, Markdown, s2slint's
own reports and baselines, what `.gitignore` ignores) is listed as skipped, without
a finding, and never reaches the loaders nor the inline-comment scan (a report that
quotes a suppression comment must not count as one).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from s2slint.bundle import BundleFile, walk
from s2slint.config import BundleEntry, Config, read_pfx_password
from s2slint.fileread import Unread, read_file_and_status, stamp_of
from s2slint.findings import Location
from s2slint.inputfiles import InputFile
from s2slint.loaders.base import InputProblem, LoadContext, Loader, Secret, Source, StoredSource
from s2slint.loaders.text import is_blank
from s2slint.nonexports import looks_like_export, not_an_export, own_output
from s2slint.suppressions import InlineComment, scan_inline

from .learned import Learned, now_ns
from .plan import config_relative, placed_at
from .request import Progress, RunRequest

if TYPE_CHECKING:
    from .unchanged import Unchanged


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Bundle:
    """The files of a run, read but not parsed.

    `sources[i]` is read with `contexts[i]` (a manifest may give one file its own PFX
    password), is described by `manifest[i]` (or None), and may be cached only if
    `cacheable[i]`. `problems` and `inputs` are what could not be read; `comments` the
    inline suppressions of every file read. `password_matters`: a password is supplied
    and some file may read differently with another one (a PFX, an encrypted key).
    """

    sources: tuple[Source, ...]
    contexts: tuple[LoadContext, ...]
    manifest: tuple[BundleEntry | None, ...]
    cacheable: tuple[bool, ...]
    problems: tuple[InputProblem, ...]
    inputs: tuple[InputFile, ...]
    comments: tuple[InlineComment, ...]
    password_supplied: bool
    password_origin: str = "no password was supplied"
    excluded: tuple[InputFile, ...] = ()
    """What the `exclude` globs left out: no input of the run, shown by `--show-files`."""
    password_matters: bool = False
    placed: tuple[str, ...] = ()
    """Where each source, then each other input, is relative to the configuration's
    folder with links resolved (`config_relative`; for a source, from where the walk
    resolved it), when the configuration has path globs: re-pointing a link changes
    which globs match without changing a file's content or display path."""

    @property
    def stale(self) -> bool:
        """Tell whether a file turned out changed during the run (`StoredSource.stale`)."""
        return any(source.stale for source in self.sources)

    def fingerprint(self) -> tuple[str, ...]:
        """Return the texts of what could not be read (for the run cache; files key apart)."""
        return (repr(list(self.problems)), repr(list(self.inputs)), repr(list(self.placed)))


def gather(request: RunRequest, loaders: Sequence[Loader], progress: Progress) -> Bundle:
    """Walk the paths, read each file (checking again what was opened), scan its comments."""
    config = request.config
    password, origin = read_pfx_password(config)
    context = LoadContext(Secret(password) if password else None, origin, tuple(loaders))
    skip = [config.pfx_password_file] if config.pfx_password_file else []
    if config.path is not None:
        skip.append(config.path)
    files, skipped = walk(
        request.paths,
        config.exclude,
        request.cwd,
        skip,
        config.root,
        respect_gitignore=config.respect_gitignore,
    )

    problems: list[InputProblem] = []
    inputs: list[InputFile] = []
    comments: list[InlineComment] = []
    excluded: list[InputFile] = []
    for entry in skipped:
        if entry.excluded:
            # The user's exclude globs: out of the run (shown by --show-files).
            excluded.append(InputFile(entry.display, None, entry.reason))
            continue
        if not entry.code:
            inputs.append(InputFile(entry.display, None, entry.reason))
            continue
        # The walk says which code a skip deserves: INP002 for what is merely not a file,
        # INP004 for what is refused for safety (a link out of the bundle, a huge file).
        problems.append(
            InputProblem(entry.code, f"skipped: {entry.reason}", Location(entry.display))
        )
        inputs.append(InputFile(entry.display, None))
    baseline = _real(config.baseline) if config.baseline is not None else None
    unchanged = _open_unchanged(request, loaders)
    sources: list[Source] = []
    reals: list[str] = []  # where each source really is (the walk resolved it)
    matters: list[bool] = []
    for number, file in enumerate(files, start=1):
        progress(f"reading {file.display} ({number}/{len(files)})")
        if baseline is not None and _real(file.path) == baseline:
            inputs.append(InputFile(file.display, None, BASELINE))
            continue
        learned = unchanged.recall(file) if unchanged is not None else None
        source: Source
        if learned is not None:
            source = StoredSource(file.path, file.display, file.folders, learned.digest)
        else:
            read = read_file(
                file,
                loaders,
                recorded=unchanged is not None,
                password=context.pfx_password is not None,
            )
            if isinstance(read, InputProblem):
                problems.append(read)
                inputs.append(InputFile(file.display, None))
                continue
            source, learned = read
            if unchanged is not None:
                unchanged.learn(file, learned)
        if learned.skip:
            inputs.append(InputFile(file.display, None, learned.skip))
            continue
        comments.extend(learned.comments)
        sources.append(source)
        reals.append(file.real)
        matters.append(learned.password_may_matter)
    if unchanged is not None:
        unchanged.save()
    placed: tuple[str, ...] = ()
    if _has_path_globs(config):
        files_at = (
            placed_at(real, config) or source.display
            for real, source in zip(reals, sources, strict=True)
        )
        others_at = (config_relative(entry.path, config, request.cwd) for entry in inputs)
        placed = (*files_at, *others_at)
    # A manifest is a path glob, so `placed` lists every source when there is one.
    if config.bundle:
        manifest = tuple(_manifest_entry(relative, config) for relative in placed[: len(sources)])
    else:
        manifest = (None,) * len(sources)
    return Bundle(
        sources=tuple(sources),
        contexts=tuple(_manifest_context(described, context) for described in manifest),
        manifest=manifest,
        cacheable=tuple(d is None or d.pfx_password_env is None for d in manifest),
        problems=tuple(problems),
        inputs=tuple(inputs),
        comments=tuple(comments),
        password_supplied=context.pfx_password is not None,
        password_origin=context.pfx_password_origin,
        excluded=tuple(excluded),
        password_matters=context.pfx_password is not None and any(matters),
        placed=placed,
    )


def skip_reason(source: Source, loaders: Sequence[Loader]) -> str:
    """Say why a file that was read is not an export, or "" when it is one to load.

    s2slint's own reports and baselines are recognised first, by content (a SARIF or
    JSON report would otherwise look like a JSON export); the baseline the
    configuration names is recognised by its path, whatever it holds (`gather`). A
    file no loader claims is skipped when it does not even look like an export (notes,
    Markdown); one that does is left to the loaders, which report it as INP002. A
    loader whose sniff fails is left to report that itself (INP005).
    """
    own = own_output(source.data)
    if own is not None:
        return own
    if is_blank(source.data):
        return ""  # an empty file is INP002: an export that failed to be written
    if looks_like_export(source.data):
        return ""  # loaded: a kind s2slint reads, or INP002
    # Only text that looks like no export is sniffed here (zone files and a plugin's
    # kinds are text too): sniffing every file twice would cost a large estate dearly.
    # Any loader's claim decides, so the order is free: the last in priority go first,
    # as the plain-text kinds are the ones asked last when loading (a zone file is then
    # claimed by the light zone sniff, and a run the run cache serves imports no other
    # loader).
    for loader in sorted(loaders, key=lambda loader: -loader.priority):
        try:
            if loader.sniff(source):
                return ""
        except Exception:
            return ""
    return not_an_export(source.data) or ""


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


BASELINE = "the baseline the configuration names"


def _open_unchanged(request: RunRequest, loaders: Sequence[Loader]) -> Unchanged | None:
    """Return the record of unchanged files of the run's cache, if it has one."""
    if request.cache_dir is None:
        return None
    from .unchanged import Unchanged  # its cache-file code: not for `--no-cache` runs

    return Unchanged.open(request.cache_dir, loaders, request.paths)


def read_file(
    file: BundleFile, loaders: Sequence[Loader], *, recorded: bool = False, password: bool = False
) -> tuple[Source, Learned] | InputProblem:
    """Read a file the walk listed, checking again what was opened, and learn its facts.

    The file is opened without blocking and examined through its descriptor: a file
    swapped for a FIFO or a device after the walk looked at it is refused, never waited
    on, and one grown past the size limit is refused rather than read. What is learned
    (`unchanged.Learned`) is kept with the status of what was read, taken as it was;
    the bytes are hashed only if it is to be `recorded` (the caches know them by it),
    and peeked at for what a PFX password opens only then or if a `password` is supplied.
    """
    from s2slint import limits
    from s2slint.loaders.derpeek import password_may_matter

    started = now_ns()  # before the read: a write after it has a later time stamp
    read = read_file_and_status(file.path, limits.active().max_file_bytes)
    if isinstance(read, Unread):
        return InputProblem(read.code, read.message, Location(file.display))
    data, status = read
    source = Source(path=file.path, display=file.display, data=data, folders=file.folders)
    skip = skip_reason(source, loaders)
    learned = Learned(
        stamp=stamp_of(status),
        read_ns=started,
        digest=source.digest if recorded else "",
        skip=skip,
        password_may_matter=(recorded or password) and password_may_matter(data),
        # A file that is no export is never scanned: a report quoting a directive is none.
        comments=() if skip else scan_inline(file.display, data),
    )
    return source, learned


def _has_path_globs(config: Config) -> bool:
    """Tell whether anything of the configuration applies by path (ignores, suppressions, manifest)."""
    return bool(
        config.per_path_ignores
        or config.bundle
        or any(entry.path is not None for entry in config.suppressions)
    )


def _manifest_entry(relative: str, config: Config) -> BundleEntry | None:
    """Return the first bundle-manifest entry describing the file at `relative`, if any."""
    return next((entry for entry in config.bundle if entry.matches(relative)), None)


def _manifest_context(entry: BundleEntry | None, default: LoadContext) -> LoadContext:
    """Return the load context of a file: its own PFX password variable if the manifest names one."""
    if entry is None or entry.pfx_password_env is None:
        return default
    value = os.environ.get(entry.pfx_password_env)
    if value:
        return replace(
            default,
            pfx_password=Secret(value),
            pfx_password_origin=f"environment variable {entry.pfx_password_env}",
        )
    return replace(
        default,
        pfx_password=None,
        pfx_password_origin=(
            f"the environment variable {entry.pfx_password_env} that the bundle manifest "
            "names for this file is not set"
        ),
    )
