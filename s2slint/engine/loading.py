"""Stage 3, load: parse every file into records and build the model, as fast as it can be done.

The performance machinery lives together here because its correctness depends on it
staying together: the per-file cache (parsed results keyed on content), the fork pool
(workers inherit the files, only indices and results cross), the pause of the cycle
collector while hundreds of thousands of immutable records are built, and the run
cache that serves an unchanged run whole (`Caches`: recall before loading, keep after
settling). None of them may change the output.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from s2slint import limits as input_limits
from s2slint.findings import Location
from s2slint.inputfiles import InputFile
from s2slint.lazy import Lazy
from s2slint.loaders.base import InputProblem, LoadContext, Loader, LoadResult, Source
from s2slint.loaders.dispatch import load_file
from s2slint.results import RunResult

from .inputs import Bundle
from .plan import RunPlan
from .request import Progress, RunRequest

if TYPE_CHECKING:
    from s2slint.cache import LoadCache
    from s2slint.model import Model
    from s2slint.rule import Rule
    from s2slint.runcache import CachedRun, RunCache


@dataclass(frozen=True, slots=True)
class Loaded:
    """The model the rules will see, and every input problem met on the way to it."""

    model: Model
    problems: tuple[InputProblem, ...]


def load(
    bundle: Bundle,
    loaders: Sequence[Loader],
    cache: LoadCache | None,
    jobs: int,
    progress: Progress,
) -> Loaded:
    """Load every file (from the cache where it can) and build the model.

    The manifest's server is given to per-server records that do not name one; the
    problems of reading (from the gather stage) come first, then each file's.
    """
    records: list[object] = []
    inputs = list(bundle.inputs)
    problems = list(bundle.problems)
    results = load_all(
        bundle.sources, loaders, bundle.contexts, cache, jobs, progress, bundle.cacheable
    )
    for source, described, result in zip(bundle.sources, bundle.manifest, results, strict=True):
        inputs.append(InputFile(source.display, result.kind or None))
        found = list(result.records)
        if described is not None and described.server:
            where = source.location(pointer=f"bundle manifest: {described.path}")
            found = _attribute_to_server(found, described.server, where)
        records.extend(found)
        problems.extend(result.problems)
    from s2slint.model import Model  # not imported by a run the run cache serves

    model = Model.build(sorted(inputs, key=lambda f: f.path), records)
    return Loaded(model, tuple(problems))


# Below this many files to parse, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 16


# What the worker processes parse: set just before they are forked, so each inherits
# it and only indices and results cross between processes (never the files' bytes).
_FORKED_WORK: tuple[Sequence[Source], Sequence[Loader], Sequence[LoadContext]] | None = None


def _load_in_worker(indices: list[int]) -> Shipped:
    """Load some of the forked work in a worker process (module level, so pools find it)."""
    import gc

    gc.disable()  # as in the parent: the results are acyclic, the collector only costs
    return _shipped(_load_forked(indices))


Shipped = tuple[bool, object]
"""What a worker sends back: (True, a pack of its results) or (False, the results)."""


def _shipped(results: list[LoadResult]) -> Shipped:
    """Return a worker's results in the form that crosses to the parent fastest.

    Pickling records one by one (a frozen dataclass's state, then `__setstate__` setting
    each field) cost the parent more than parsing its share itself: `--jobs 2` saved
    about a tenth of a 2,000-server run. A pack (`s2slint.cachepack`) writes each record
    type as a few columns of plain values, which pickle as a handful of lists; the
    parent builds the records back as fast as a cached run does. Records of a type the
    codec does not hold (a plugin's own) cross as they are.
    """
    from s2slint.cache import result_codec
    from s2slint.cachepack import encode_pack
    from s2slint.codec import Unsupported

    try:
        return True, encode_pack(result_codec(), [str(n) for n in range(len(results))], results)
    except Unsupported:
        return False, results


def _received(shipped: Shipped, count: int) -> list[LoadResult]:
    """Return the `count` results a worker sent (see `_shipped`)."""
    packed, body = shipped
    if not packed:
        assert isinstance(body, list) and len(body) == count
        return body
    from s2slint.cache import result_codec
    from s2slint.cachepack import decode_pack

    found = decode_pack(result_codec(), body)
    return [found[str(n)] for n in range(count)]


def _load_forked(indices: list[int]) -> list[LoadResult]:
    """Load the files of the forked work at `indices`."""
    assert _FORKED_WORK is not None
    sources, loaders, contexts = _FORKED_WORK
    return [load_file(sources[index], loaders, contexts[index]) for index in indices]


def _chunks(sizes: dict[int, int], count: int) -> list[list[int]]:
    """Split indices into `count` chunks of about equal bytes, biggest files first.

    Dealing the biggest files first, each to the lightest chunk so far, keeps one huge
    zone export from landing in a chunk that is already full.
    """
    chunks: list[list[int]] = [[] for _ in range(count)]
    weights = [0] * count
    for index in sorted(sizes, key=lambda i: (-sizes[i], i)):
        lightest = weights.index(min(weights))
        chunks[lightest].append(index)
        weights[lightest] += sizes[index]
    return [chunk for chunk in chunks if chunk]


def _load_in_processes(
    pending: Sequence[int],
    sources: Sequence[Source],
    loaders: Sequence[Loader],
    contexts: Sequence[LoadContext],
    jobs: int,
    report: Callable[[str], None],
) -> dict[int, LoadResult]:
    """Load the files at `pending` in `jobs` processes; return what was loaded, by index.

    This process takes a share itself: it would only wait otherwise, and what it loads
    need not be sent back. Where processes cannot be started (no `fork` on Windows, no
    POSIX semaphores in some containers), a worker dies (killed for its memory) or its
    results cannot be sent (a plugin's record holding a lock), what is missing is left to
    the caller, which parses it here: `--jobs` is for speed only and never costs a run
    its findings. A genuine error of a loader shows there as it would without `--jobs`.
    """
    global _FORKED_WORK
    report(f"parsing {len(pending)} files in {jobs} processes")
    own, *shares = _chunks({index: len(sources[index].data) for index in pending}, jobs)
    by_index: dict[int, LoadResult] = {}
    _FORKED_WORK = (sources, loaders, contexts)
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from s2slint.workers import die_with_parent

        with ProcessPoolExecutor(
            max(1, len(shares)),
            mp_context=multiprocessing.get_context("fork"),
            initializer=die_with_parent,  # workers must not outlive a killed parent
            initargs=(os.getpid(),),
        ) as pool:
            futures = [pool.submit(_load_in_worker, share) for share in shares]
            by_index.update(zip(own, _load_forked(own), strict=True))
            for share, future in zip(shares, futures, strict=True):
                try:
                    received = _received(future.result(), len(share))
                except Exception as error:  # a result that cannot be sent (a plugin's record)
                    report(f"a worker's share failed ({type(error).__name__}): parsed here")
                    continue
                by_index.update(zip(share, received, strict=True))
    except Exception as error:  # no processes here (no fork, no semaphores): all parsed here
        report(
            f"parsing in {jobs} processes failed ({type(error).__name__}): parsing the rest here"
        )
    finally:
        _FORKED_WORK = None
    return by_index


def load_all(
    sources: Sequence[Source],
    loaders: Sequence[Loader],
    contexts: Sequence[LoadContext],
    cache: LoadCache | None,
    jobs: int,
    report: Callable[[str], None],
    cacheable: Sequence[bool] | None = None,
) -> list[LoadResult]:
    """Load every source, from the cache where it has them, in parallel when asked.

    `contexts[i]` is the load context of `sources[i]` (a manifest may give one file its
    own PFX password); `cacheable[i]` False keeps a file out of the cache. Results come
    back in the order of `sources` whatever the number of processes, so parallelism
    never changes the output.
    """
    allowed = list(cacheable) if cacheable is not None else [True] * len(sources)
    kept = [index for index, ok in enumerate(allowed) if ok] if cache is not None else []
    results: list[LoadResult | None] = [None] * len(sources)
    if cache is not None:
        for index, found in zip(kept, cache.get_many([sources[i] for i in kept]), strict=True):
            results[index] = found
    pending = [index for index, result in enumerate(results) if result is None]
    parallel: dict[int, LoadResult] = {}
    if jobs > 1 and len(pending) >= PARALLEL_THRESHOLD:
        parallel = _load_in_processes(pending, sources, loaders, contexts, jobs, report)
    loaded = []
    for number, index in enumerate(pending, start=1):
        found = parallel.get(index)
        if found is None:
            report(f"parsing {sources[index].display} ({number}/{len(pending)})")
            found = load_file(sources[index], loaders, contexts[index])
        loaded.append(found)
    for index, result in zip(pending, loaded, strict=True):
        results[index] = result
    done: list[LoadResult] = []
    for found in results:
        assert found is not None  # every file was served from the cache or loaded
        done.append(found)
    if cache is not None:
        position = {index: number for number, index in enumerate(kept)}
        cache.put_many(
            [sources[index] for index in kept],
            [done[index] for index in kept],
            [position[index] for index in pending if index in position],
        )
    return done


def _attribute_to_server(records: Iterable[object], server: str, where: Location) -> list[object]:
    """Give per-server records the server the manifest names, where content did not say."""
    from s2slint.model import Certificate, CsCertificate, Located

    attributed: list[object] = []
    for record in records:
        if isinstance(record, CsCertificate) and record.computer_name is None:
            record = replace(record, computer_name=Located.at(server, where))
        elif isinstance(record, Certificate) and record.server is None:
            record = replace(record, server=server.lower())
        attributed.append(record)
    return attributed


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a run builds its objects.

    Loading a large estate creates hundreds of thousands of small immutable records
    that never form cycles; the collector would walk them over and over as they
    accumulate (about 15% of a 2,000-server run). Reference counting still frees
    everything; the collector comes back afterwards.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def gc_paused_call(build: Callable[[], Model]) -> Callable[[], Model]:
    """Return `build` wrapped to run with the collector paused."""

    def call() -> Model:
        with gc_paused():
            return build()

    return call


def file_cache(request: RunRequest, bundle: Bundle, loaders: Sequence[Loader]) -> LoadCache:
    """Open the per-file cache of a run in `request.cache_dir` (which must be set)."""
    from s2slint.cache import LoadCache

    assert request.cache_dir is not None
    return LoadCache(
        request.cache_dir,
        loaders,
        password_supplied=bundle.password_supplied,
        password_origin=bundle.password_origin,
        request=request.paths,
    )


def keyed_run_cache(
    request: RunRequest, files: LoadCache, bundle: Bundle, settings: Sequence[str]
) -> tuple[RunCache, str]:
    """Open the run cache beside `files` and key a run by `settings` and every file's key."""
    from s2slint.runcache import RunCache, run_key

    key = run_key(settings, [files.key(source) for source in bundle.sources])
    assert request.cache_dir is not None
    return RunCache(files.directory, request.cache_dir), key


def run_cache_allowed(request: RunRequest, bundle: Bundle) -> bool:
    """Tell whether a run's whole outcome may be cached (and served from the cache).

    Not when it depends on what no key may hold: a PFX password some file may need (a
    password merely set in the environment for a bundle with no PFX or encrypted key is
    used by nothing), a file with a password of its own, or live DNS answers.
    """
    return not (
        bundle.password_matters or not all(bundle.cacheable) or request.config.dns_mode == "live"
    )


def served(
    cached: CachedRun,
    request: RunRequest,
    bundle: Bundle,
    loaders: Sequence[Loader],
    files: LoadCache | None,
    rules: Lazy[tuple[Rule, ...]],
    available: tuple[str, ...],
    progress: Progress,
) -> RunResult:
    """Return the outcome of an earlier identical run as this run's result.

    Its model is built only if a reporter asks for it, from the per-file cache, after
    `run` returned: with the run's limits in force again.
    """

    def build() -> Model:
        with input_limits.in_force(request.config.limits):
            return load(bundle, loaders, files, request.jobs, progress).model

    return RunResult(
        findings=cached.findings,
        coverage=dict(cached.coverage),
        files=cached.files,
        lazy_rules=rules,
        lazy_model=Lazy(gc_paused_call(build)),
        suppressed=cached.suppressed,
        available=available,
        now=request.now,
    )


@dataclass(frozen=True, slots=True)
class Caches:
    """The per-file cache and the run cache of one run (either may be absent).

    `key` is the run's key in the run cache; the run cache is absent when the outcome
    depends on what no key may hold (a PFX password some file may need, live DNS answers).
    """

    files: LoadCache | None = None
    runs: RunCache | None = None
    key: str = ""

    @classmethod
    def open(
        cls,
        request: RunRequest,
        plan: RunPlan,
        bundle: Bundle,
        loaders: Sequence[Loader],
        known: LoadCache | None = None,
    ) -> Caches:
        """Open the caches in `request.cache_dir` (none when it is None).

        `known` is the per-file cache a missed replay already opened over the same
        files: taken over when its salt is this run's, so that no file is hashed twice.
        """
        if request.cache_dir is None:
            return cls()
        files = file_cache(request, bundle, loaders)
        if known is not None and known.root == files.root and known.salt == files.salt:
            files = known
        if not run_cache_allowed(request, bundle):
            return cls(files)
        settings = (files.salt, *plan.fingerprint(), *request.fingerprint(), *bundle.fingerprint())
        return cls(files, *keyed_run_cache(request, files, bundle, settings))

    def recall(
        self,
        plan: RunPlan,
        request: RunRequest,
        bundle: Bundle,
        loaders: Sequence[Loader],
        progress: Progress,
    ) -> RunResult | None:
        """Return the stored outcome of an identical run, or None (see `served`)."""
        cached = self.runs.get(self.key, request.now) if self.runs is not None else None
        if cached is None:
            return None
        selected = set(cached.enabled)
        rules = Lazy.ready(tuple(r for r in plan.rules if r.code in selected))
        return served(cached, request, bundle, loaders, self.files, rules, plan.codes, progress)

    def keep(self, result: RunResult, bundle: Bundle) -> RunResult:
        """Store a run's outcome for the next identical run; return the result.

        Not when a file changed during the run: the key names the content it had.
        """
        if self.runs is not None and not bundle.stale:
            from s2slint.runcache import CachedRun, turning_points

            self.runs.put(
                self.key,
                CachedRun(
                    findings=result.findings,
                    coverage=tuple(sorted(result.coverage.items())),
                    files=result.files,
                    enabled=tuple(sorted(rule.code for rule in result.rules)),
                    suppressed=result.suppressed,
                    evaluated_at=result.now,
                    moments=turning_points(result.model),
                ),
            )
        return result
