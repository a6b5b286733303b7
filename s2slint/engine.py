"""Run a lint: read every file, build the model, run the selected rules, stamp findings.

Every failure is contained where it happens: an unreadable file, a loader that
raises, a rule that raises — each becomes a finding (INP001/INP005) and the run goes
on, so one broken file never hides the findings of the others.

Suppressions (configuration, inline comments, a baseline) are applied last, once it
is known what every rule found; what they hide is kept in `RunResult.suppressed` for
the audit report, and their own hygiene is reported as SUP001/SUP002.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from s2slint import config as configuration
from s2slint import suppressions as suppressing
from s2slint.bundle import BundleFile, display_path, walk
from s2slint.findings import Finding, Issue, Location
from s2slint.loaders.base import InputProblem, LoadContext, Loader, LoadResult, Secret, Source
from s2slint.model import InputFile, Model
from s2slint.rule import Evaluated, NotEvaluated, Outcome, Rule, RuleContext

if TYPE_CHECKING:
    from s2slint.baseline import Baseline
    from s2slint.cache import LoadCache
    from s2slint.plugins import Registry
    from s2slint.runcache import RunCache

ENGINE_RULES = ("INP001", "INP002", "INP003", "INP004", "INP005")


@dataclass(frozen=True, slots=True)
class RunResult:
    """What a run produced: sorted findings, per-rule coverage, the files read.

    `rules` are the rules that were selected; `available` the codes of every rule
    registered (so a report can tell "not selected" from "not in this version");
    `suppressed` the findings suppressions hid; `now` the evaluation date.
    """

    findings: tuple[Finding, ...]
    coverage: dict[str, Outcome]
    files: tuple[InputFile, ...]
    rules: tuple[Rule, ...]
    build_model: Callable[[], Model]
    suppressed: tuple[suppressing.Suppressed, ...] = ()
    available: tuple[str, ...] = ()
    now: datetime | None = None
    # The model once built: a run served from the run cache builds it only when a
    # reporter asks (the HTML report's deployment tables), from the per-file cache.
    _built: list[Model] = field(default_factory=list, repr=False, compare=False)

    @property
    def model(self) -> Model:
        """Return the model the rules saw, building it on first use if need be."""
        if not self._built:
            self._built.append(self.build_model())
        return self._built[0]


def _read(file: BundleFile) -> Source | InputProblem:
    """Read a file the walk listed, checking again what was opened.

    The file is opened without blocking and examined through its descriptor: a file
    swapped for a FIFO or a device after the walk looked at it is refused, never waited
    on, and one grown past the size limit is refused rather than read.
    """
    from s2slint import limits
    from s2slint.fileread import Unread, read_file

    data = read_file(file.path, limits.active().max_file_bytes)  # sized to the file
    if isinstance(data, Unread):
        return InputProblem(data.code, data.message, Location(file.display))
    return Source(path=file.path, display=file.display, data=data, folders=file.folders)


def load_file(source: Source, loaders: Sequence[Loader], context: LoadContext) -> LoadResult:
    """Find the loader that claims `source` and read it; contain any exception."""
    if not source.data.strip(b"\x00\t\r\n \xef\xbb\xbf\xff\xfe"):
        return LoadResult("", problems=(InputProblem("INP002", "empty file", source.location()),))
    for loader in loaders:
        try:
            claimed = loader.sniff(source)
        except Exception as error:  # a plugin's sniff must not stop the run
            return _internal(source, f"loader {loader.kind} failed to sniff", error)
        if not claimed:
            continue
        try:
            return loader.load(source, context)
        except Exception as error:
            return _internal(source, f"loader {loader.kind} failed", error)
    return LoadResult(
        "",
        problems=(
            InputProblem(
                "INP002",
                "file of no kind s2slint reads (not a topology, CLIXML export, certificate "
                "or zone file)",
                source.location(),
            ),
        ),
    )


def _internal(source: Source, what: str, error: Exception) -> LoadResult:
    _debug_traceback()
    return LoadResult(
        "",
        problems=(
            InputProblem("INP005", f"{what}: {type(error).__name__}: {error}", source.location()),
        ),
    )


def _debug_traceback() -> None:
    """Show the traceback of a contained failure only when asked (S2SLINT_DEBUG=1)."""
    if os.environ.get("S2SLINT_DEBUG"):
        import logging
        import traceback

        logging.getLogger(__name__).error("%s", traceback.format_exc())


# Below this many files to parse, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 16


# What the worker processes parse: set just before they are forked, so each inherits
# it and only indices and results cross between processes (never the files' bytes).
_FORKED_WORK: tuple[Sequence[Source], Sequence[Loader], Sequence[LoadContext]] | None = None


def _load_in_worker(indices: list[int]) -> list[LoadResult]:
    """Load some of the forked work in a worker process (module level, so pools find it)."""
    import gc

    gc.disable()  # as in the parent: the results are acyclic, the collector only costs
    return _load_forked(indices)


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
    results: list[LoadResult | None] = [
        cache.get(source) if cache and ok else None
        for source, ok in zip(sources, allowed, strict=True)
    ]
    pending = [index for index, result in enumerate(results) if result is None]
    if jobs > 1 and len(pending) >= PARALLEL_THRESHOLD:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _FORKED_WORK
        report(f"parsing {len(pending)} files in {jobs} processes")
        # This process takes a share itself: it would only wait otherwise, and what it
        # loads need not be sent back.
        own, *shares = _chunks({index: len(sources[index].data) for index in pending}, jobs)
        _FORKED_WORK = (sources, loaders, contexts)
        try:
            from s2slint.workers import die_with_parent

            with ProcessPoolExecutor(
                max(1, len(shares)),
                mp_context=multiprocessing.get_context("fork"),
                initializer=die_with_parent,  # workers must not outlive a killed parent
                initargs=(os.getpid(),),
            ) as pool:
                futures = [pool.submit(_load_in_worker, share) for share in shares]
                by_index = dict(zip(own, _load_forked(own), strict=True))
                for share, future in zip(shares, futures, strict=True):
                    by_index.update(zip(share, future.result(), strict=True))
        finally:
            _FORKED_WORK = None
        loaded = [by_index[index] for index in pending]
    else:
        loaded = []
        for number, index in enumerate(pending, start=1):
            report(f"parsing {sources[index].display} ({number}/{len(pending)})")
            loaded.append(load_file(sources[index], loaders, contexts[index]))
    for index, result in zip(pending, loaded, strict=True):
        results[index] = result
        if cache is not None and allowed[index]:
            cache.put(sources[index], result)
    return [result for result in results if result is not None]


def _manifest_entry(
    source: Source, config: configuration.Config, cwd: Path
) -> configuration.BundleEntry | None:
    """Return the first bundle-manifest entry describing `source`, if any."""
    if not config.bundle:
        return None
    relative = _config_relative(source.display, config, cwd)
    return next((entry for entry in config.bundle if entry.matches(relative)), None)


def _manifest_context(entry: configuration.BundleEntry | None, default: LoadContext) -> LoadContext:
    """Return the load context of a file: its own PFX password variable if the manifest names one."""
    if entry is None or entry.pfx_password_env is None:
        return default
    value = os.environ.get(entry.pfx_password_env)
    if value:
        return LoadContext(Secret(value), f"environment variable {entry.pfx_password_env}")
    return LoadContext(
        None,
        f"the environment variable {entry.pfx_password_env} that the bundle manifest names "
        "for this file is not set",
    )


def _attribute_to_server(records: Iterable[object], server: str, where: Location) -> list[object]:
    """Give per-server records the server the manifest names, where content did not say."""
    from s2slint.model import Certificate, CsCertificate, Located

    attributed: list[object] = []
    for record in records:
        if isinstance(record, CsCertificate) and record.computer_name is None:
            record = replace(record, computer_name=Located(server, where))
        elif isinstance(record, Certificate) and record.server is None:
            record = replace(record, server=server.lower())
        attributed.append(record)
    return attributed


def run_rule(
    rule: Rule, model: Model, context: RuleContext, where: Location
) -> tuple[Outcome, Issue | None]:
    """Run one rule; an exception becomes an INP005 issue (at `where`) and "not evaluated"."""
    assert rule.check is not None
    try:
        outcome = rule.check(model, context)
    except Exception as error:
        _debug_traceback()
        issue = Issue(
            f"rule {rule.code} ({rule.name}) failed: {type(error).__name__}: {error}; "
            "the other rules ran",
            where,
            key=f"rule:{rule.code}",
        )
        return NotEvaluated(f"the rule failed ({type(error).__name__})"), issue
    return outcome, None


def lint(
    paths: Sequence[Path],
    registry: Registry,
    config: configuration.Config,
    now: datetime,
    *,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    cwd: Path | None = None,
    baseline: Baseline | None = None,
    progress: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
    jobs: int = 1,
) -> RunResult:
    """Lint the bundle at `paths` with the registry's rules under `config`.

    `baseline` hides the findings it lists; `progress` is told what the run is doing
    (for a terminal status line) and must be cheap. `cache_dir` keeps each file's load
    result, and each run's outcome, between runs; `jobs` > 1 parses files in that many
    processes. Neither may change the output.
    """
    cwd = cwd or Path.cwd()
    report = progress or _quiet
    rules = registry.rules
    _check_all_selectors(rules, config, select, extend_select, ignore)
    selectors = list(select if select is not None else config.select)
    selectors += list(config.extend_select) + list(extend_select)
    ignores = list(config.ignore) + list(ignore)
    settings = configuration.resolve_rule_settings(rules, config)
    enabled = {r.code for r in rules if configuration.is_selected(r, selectors, ignores)}
    if config.dns_mode == "off":
        enabled = {code for code in enabled if not code.startswith("DNS")}

    password, origin = configuration.read_pfx_password(config)
    context = LoadContext(Secret(password) if password else None, origin)
    skip = [config.pfx_password_file] if config.pfx_password_file else []
    if config.path is not None:
        skip.append(config.path)
    files, skipped = walk(paths, config.exclude, cwd, skip, config.root)

    problems: list[InputProblem] = []
    inputs: list[InputFile] = []
    comments: list[suppressing.InlineComment] = []
    for entry in skipped:
        # The walk says which code a skip deserves: INP002 for what is merely not a file,
        # INP004 for what is refused for safety (a link out of the bundle, a huge file).
        problems.append(
            InputProblem(entry.code, f"skipped: {entry.reason}", Location(entry.display))
        )
        inputs.append(InputFile(entry.display, None))
    sources: list[Source] = []
    for number, file in enumerate(files, start=1):
        report(f"reading {file.display} ({number}/{len(files)})")
        source = _read(file)
        if isinstance(source, InputProblem):
            problems.append(source)
            inputs.append(InputFile(file.display, None))
            continue
        comments.extend(suppressing.scan_inline(source.display, source.data))
        sources.append(source)
    manifest = [_manifest_entry(source, config, cwd) for source in sources]
    contexts = [_manifest_context(described, context) for described in manifest]
    cacheable = [d is None or d.pfx_password_env is None for d in manifest]
    cache: LoadCache | None = None
    runs: RunCache | None = None
    key = ""
    if cache_dir is not None:
        from s2slint.cache import LoadCache
        from s2slint.runcache import RunCache, run_date, run_key

        cache = LoadCache(
            cache_dir,
            registry.loaders,
            password_supplied=context.pfx_password is not None,
            password_origin=context.pfx_password_origin,
        )
        # A run that used a password or live DNS depends on what no key may hold.
        if context.pfx_password is None and all(cacheable) and config.dns_mode != "live":
            runs = RunCache(cache.directory, cache_dir)
            described = (
                cache.salt,
                *(f"{r.code}:{r.name}:{r.severity}:{_origin(r.check)}" for r in rules),
                repr(config),
                repr((sorted(enabled), select, extend_select, ignore)),
                run_date(now),  # the date: `CachedRun.holds_at` checks the time of day
                repr(baseline),
                str(cwd),
                repr([str(path) for path in paths]),
                repr(problems),
                repr(inputs),
            )
            key = run_key(described, [cache.key(source) for source in sources])

    def build_model() -> Model:
        """Load every file (from the cache where it can) and build the model."""
        records: list[object] = []
        found_inputs = list(inputs)
        loaded = load_all(sources, registry.loaders, contexts, cache, jobs, report, cacheable)
        for source, described, result in zip(sources, manifest, loaded, strict=True):
            found_inputs.append(InputFile(source.display, result.kind or None))
            found = list(result.records)
            if described is not None and described.server:
                where = source.location(pointer=f"bundle manifest: {described.path}")
                found = _attribute_to_server(found, described.server, where)
            records.extend(found)
            problems.extend(result.problems)
        return Model.build(sorted(found_inputs, key=lambda f: f.path), records)

    cached = runs.get(key, now) if runs is not None else None
    if cached is not None:
        selected = set(cached.enabled)
        return RunResult(
            findings=cached.findings,
            coverage=dict(cached.coverage),
            files=cached.files,
            rules=tuple(r for r in rules if r.code in selected),
            build_model=_gc_paused_call(build_model),
            suppressed=cached.suppressed,
            available=tuple(r.code for r in rules),
            now=now,
        )

    with _gc_paused():
        model = build_model()
        if config.dns_mode == "live":
            report("resolving DNS names")
            model = _resolve_live(model, registry, config)
        findings, coverage, suppressed = _check(
            rules,
            enabled,
            settings,
            model,
            problems,
            comments,
            baseline,
            config,
            now,
            paths,
            cwd,
            report,
        )
    result = RunResult(
        findings=findings,
        coverage=coverage,
        files=model.files,
        rules=tuple(r for r in rules if r.code in enabled),
        build_model=lambda: model,
        suppressed=suppressed,
        available=tuple(r.code for r in rules),
        now=now,
        _built=[model],
    )
    if runs is not None:
        from s2slint.runcache import CachedRun, moments_of

        runs.put(
            key,
            CachedRun(
                findings=result.findings,
                coverage=tuple(sorted(result.coverage.items())),
                files=result.files,
                enabled=tuple(sorted(enabled)),
                suppressed=result.suppressed,
                evaluated_at=now,
                moments=moments_of(model),
            ),
        )
    return result


def _check(
    rules: Sequence[Rule],
    enabled: set[str],
    settings: dict[str, configuration.RuleSettings],
    model: Model,
    problems: Sequence[InputProblem],
    comments: Sequence[suppressing.InlineComment],
    baseline: Baseline | None,
    config: configuration.Config,
    now: datetime,
    paths: Sequence[Path],
    cwd: Path,
    report: Callable[[str], None],
) -> tuple[tuple[Finding, ...], dict[str, Outcome], tuple[suppressing.Suppressed, ...]]:
    """Run the enabled rules over the model, then stamp and suppress what they found."""
    # A rule that fails is about the whole bundle: point at what the user named.
    bundle_location = Location(display_path(paths[0], cwd) if paths else ".")
    issues: list[tuple[Rule, Issue]] = []
    coverage: dict[str, Outcome] = {}
    by_code = {rule.code: rule for rule in rules}
    for number, rule in enumerate(rules, start=1):
        if rule.code not in enabled:
            continue
        report(f"checking {rule.code} {rule.name} ({number}/{len(rules)})")
        if rule.check is None:
            coverage[rule.code] = Evaluated((), len(model.files))
            continue
        rule_context = RuleContext(now=now, options=settings[rule.code].options)
        outcome, failure = run_rule(rule, model, rule_context, bundle_location)
        coverage[rule.code] = outcome
        if failure is not None and "INP005" in by_code:
            issues.append((by_code["INP005"], failure))
        if isinstance(outcome, Evaluated):
            issues.extend((rule, issue) for issue in outcome.issues)
    for problem in problems:
        rule_for = by_code.get(problem.code)
        if rule_for is not None:
            issues.append(
                (
                    rule_for,
                    Issue(problem.message, problem.location, key=f"file:{problem.location.path}"),
                )
            )

    findings = _stamp(issues, enabled, settings, config, cwd)
    applied = _suppress(findings, comments, baseline, rules, coverage, config, cwd)
    sup_issues = [(by_code[code], issue) for code, issue in applied.issues if code in by_code]
    # The SUP rules look at suppressions, not files: say how many they saw.
    for code, seen in (
        (suppressing.UNUSED, applied.considered),
        (suppressing.NO_REASON, len(comments)),
    ):
        if code in coverage:
            coverage[code] = Evaluated((), seen)
    kept = tuple(
        sorted(
            (*applied.kept, *_stamp(sup_issues, enabled, settings, config, cwd)),
            key=Finding.sort_key,
        )
    )
    suppressed = tuple(sorted(applied.suppressed, key=lambda s: Finding.sort_key(s.finding)))
    return kept, coverage, suppressed


def _origin(check: object) -> str:
    """Name where a rule's check function lives (part of the run cache's key)."""
    module = getattr(check, "__module__", "")
    return f"{module}.{getattr(check, '__qualname__', '')}"


@contextmanager
def _gc_paused() -> Iterator[None]:
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


def _gc_paused_call(build: Callable[[], Model]) -> Callable[[], Model]:
    """Return `build` wrapped to run with the collector paused."""

    def call() -> Model:
        with _gc_paused():
            return build()

    return call


def _quiet(_: str) -> None:
    """Ignore progress reports (the default: no terminal to show them on)."""


def _suppress(
    findings: Sequence[Finding],
    comments: Sequence[suppressing.InlineComment],
    baseline: Baseline | None,
    rules: Sequence[Rule],
    coverage: dict[str, Outcome],
    config: configuration.Config,
    cwd: Path,
) -> suppressing.Applied:
    """Apply the configuration's, the inline and the baseline suppressions."""
    display = display_path(config.path, cwd) if config.path is not None else "configuration"
    candidates = [
        *suppressing.from_config(config, display, lambda p: _config_relative(p, config, cwd)),
        *suppressing.from_inline(comments),
        *(suppressing.from_baseline(baseline) if baseline is not None else ()),
    ]
    ran = [r for r in rules if isinstance(coverage.get(r.code), Evaluated)]

    def relevant(selector: str) -> bool:
        return any(configuration.selector_matches(selector, r.code, r.name) for r in ran)

    def protected(finding: Finding) -> bool:
        return any(
            configuration.selector_matches(s, finding.code, finding.name)
            for s in config.non_suppressible
        )

    return suppressing.apply(
        findings, candidates, protected=protected, relevant=relevant, comments=comments
    )


def _resolve_live(model: Model, registry: Registry, config: configuration.Config) -> Model:
    """Ask live DNS about every host a plugin names; the answers join the model.

    A provider that raises is skipped (its hosts are then simply not asked about):
    the lookups of the others must still happen within the one deadline.
    """
    from s2slint.dnslive import LiveSettings, resolve

    hosts: set[str] = set()
    for provider in registry.dns_host_providers:
        try:
            hosts.update(provider(model))
        except Exception:
            _debug_traceback()
    settings = LiveSettings(
        nameservers=config.nameservers,
        port=config.dns_port,
        timeout=config.dns_timeout,
        retries=config.dns_retries,
    )
    answers = resolve(hosts, settings)
    return replace(
        model, live_dns=tuple(answers[host] for host in sorted(answers)), dns_mode="live"
    )


def _check_all_selectors(
    rules: Sequence[Rule],
    config: configuration.Config,
    select: Sequence[str] | None,
    extend_select: Sequence[str],
    ignore: Sequence[str],
) -> None:
    """Reject every selector that names no rule, saying where it was written."""
    where = configuration.describe(config)
    if select is None:
        configuration.check_selectors(config.select, rules, f"{where}: select")
    else:
        configuration.check_selectors(select, rules, "--select")
    configuration.check_selectors(config.extend_select, rules, f"{where}: extend-select")
    configuration.check_selectors(config.ignore, rules, f"{where}: ignore")
    configuration.check_selectors(extend_select, rules, "--extend-select")
    configuration.check_selectors(ignore, rules, "--ignore")
    for pattern, path_selectors in config.per_path_ignores:
        configuration.check_selectors(
            path_selectors, rules, f'{where}: per-path-ignores."{pattern}"'
        )
    configuration.check_selectors(config.non_suppressible, rules, f"{where}: non-suppressible")
    for entry in config.suppressions:
        configuration.check_selectors([entry.code], rules, f"{where}: suppress.code")


def _stamp(
    issues: Iterable[tuple[Rule, Issue]],
    enabled: set[str],
    settings: dict[str, configuration.RuleSettings],
    config: configuration.Config,
    cwd: Path,
) -> tuple[Finding, ...]:
    """Turn issues into findings with code, name and configured severity; drop ignored."""
    findings: set[Finding] = set()
    for rule, issue in issues:
        if rule.code not in enabled:
            continue
        relative = _config_relative(issue.location.path, config, cwd)
        if configuration.ignored_at(relative, rule.code, rule.name, config):
            continue
        findings.add(
            Finding(
                code=rule.code,
                name=rule.name,
                severity=settings[rule.code].severity,
                message=issue.message,
                location=issue.location,
                related=issue.related,
                key=issue.key,
            )
        )
    return tuple(sorted(findings, key=Finding.sort_key))


def _config_relative(display: str, config: configuration.Config, cwd: Path) -> str:
    """Return a display path relative to the configuration's folder (for path ignores)."""
    try:
        return (cwd / display).resolve().relative_to(config.root).as_posix()
    except ValueError:
        return display
