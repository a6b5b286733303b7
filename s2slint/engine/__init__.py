"""Run a lint: a short list of named stages, each handing a frozen value to the next.

    plan      RunPlan.build   which rules run, how; ConfigError before any I/O
    gather    gather          walk, read, inline comments, manifest      -> Bundle
    recall    Caches.recall   an identical earlier run, served whole      -> RunResult
    load      load            parse (cache, fork pool), build the model  -> Loaded
    enrich    resolve_live    live DNS answers (`--dns live` only)        -> Model
    evaluate  evaluate        run the rules                              -> Evaluation
    settle    settle          stamp and suppress                         -> Settled
    keep      Caches.keep     store the outcome for the next run

Every failure is contained where it happens: an unreadable file, a loader that
raises, a rule that raises each becomes a finding (INP001/INP005) and the run goes on,
so one broken file never hides the findings of the others. Suppressions are applied
last, once it is known what every rule found; what they hide is kept for the audit
report, and their own hygiene is reported as SUP001/SUP002.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from s2slint import limits as input_limits
from s2slint.config import Config
from s2slint.lazy import Lazy
from s2slint.results import RunResult
from s2slint.selection import Selection

from .inputs import Bundle, gather
from .loading import Caches, gc_paused, load
from .plan import RunPlan
from .request import Progress, RunRequest, quiet

if TYPE_CHECKING:
    from s2slint.baseline import Baseline
    from s2slint.loaders.base import Loader
    from s2slint.model import Model
    from s2slint.registry import Registry
    from s2slint.rule import Rule

    from .checking import Settled
    from .replay import Replay

__all__ = [
    "Prepared",
    "Progress",
    "RunPlan",
    "RunRequest",
    "RunResult",
    "lint",
    "quiet",
    "replay",
    "run",
]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Prepared:
    """What an attempt to replay a run gathered: the full run goes on from it."""

    bundle: Bundle
    replay: Replay | None


def replay(
    request: RunRequest,
    loaders: Sequence[Loader],
    identity: str,
    rules: Callable[[], Sequence[Rule]],
    progress: Progress = quiet,
) -> tuple[RunResult | None, Prepared]:
    """Gather the files and serve an identical earlier run without loading the plugins.

    `loaders` must be the ones the plugins would provide and `identity` the installed
    code's (`installed.builtin_identity`); `rules` loads the rules if a reporter reads
    them. On a miss, pass what this returns to `run` as `prepared`: the files are not
    read twice, and the run remembers its outcome under the replay key.
    """
    from .replay import Replay  # with the caches it reads: only runs with a cache

    with input_limits.in_force(request.config.limits):
        bundle = gather(request, loaders, progress)
        found = Replay.open(request, bundle, loaders, identity)
        result = found.recall(request, bundle, loaders, rules, progress) if found else None
    return result, Prepared(bundle, found)


def run(
    request: RunRequest,
    registry: Registry,
    progress: Progress = quiet,
    *,
    prepared: Prepared | None = None,
) -> RunResult:
    """Lint what `request` names with the registry's rules and loaders.

    The configuration's limits (if it sets any) are in force for the whole run.
    `prepared` is what a missed `replay` gathered (with the registry's loaders).
    """
    with input_limits.in_force(request.config.limits):
        return _run(request, registry, progress, prepared)


def _run(
    request: RunRequest, registry: Registry, progress: Progress, prepared: Prepared | None
) -> RunResult:
    """`run`, with the run's limits in force."""
    # Imported here: a run the run cache serves (`replay`) evaluates nothing.
    from .checking import evaluate, settle

    plan = RunPlan.build(registry.rules, request)
    bundle = prepared.bundle if prepared else gather(request, registry.loaders, progress)
    known = prepared.replay.files if prepared and prepared.replay else None
    caches = Caches.open(request, plan, bundle, registry.loaders, known)
    recalled = caches.recall(plan, request, bundle, registry.loaders, progress)
    if recalled is not None:
        _remember(prepared, caches, plan, registry)
        return recalled
    with gc_paused():
        loaded = load(bundle, registry.loaders, caches.files, request.jobs, progress)
        model = loaded.model
        if request.config.dns_mode == "live":
            from s2slint.dnslive import resolve_live  # only live DNS needs the module

            model = resolve_live(model, registry.dns_host_providers, request.config, progress)
        folder = any(path.is_dir() for path in request.paths)
        evaluation = evaluate(plan, model, request.now, request.location, progress, bundle=folder)
        settled = settle(
            plan, evaluation, loaded.problems, bundle.comments, request.baseline, request.now
        )
    result = caches.keep(_result(plan, model, settled, request.now), bundle)
    _remember(prepared, caches, plan, registry)
    return result


def _remember(prepared: Prepared | None, caches: Caches, plan: RunPlan, registry: Registry) -> None:
    """Store the replay key of a run that used the run cache (see `replay`).

    Not when a plugin failed: a replayed run would not report the failure.
    """
    if prepared is None or prepared.replay is None or caches.runs is None:
        return
    if prepared.bundle.stale:
        return  # nothing was kept under the run key (`Caches.keep`)
    if not registry.failures:
        prepared.replay.remember(caches.key, plan.codes)


def _result(plan: RunPlan, model: Model, settled: Settled, now: datetime) -> RunResult:
    """Assemble what reporters read from the plan, the model and the settled findings."""
    return RunResult(
        findings=settled.findings,
        coverage=dict(settled.coverage),
        files=model.files,
        lazy_rules=Lazy.ready(plan.selected),
        lazy_model=Lazy.ready(model),
        suppressed=settled.suppressed,
        available=plan.codes,
        now=now,
    )


def lint(
    paths: Sequence[Path],
    registry: Registry,
    config: Config,
    now: datetime,
    *,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    cwd: Path | None = None,
    baseline: Baseline | None = None,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    jobs: int = 1,
) -> RunResult:
    """Lint the bundle at `paths`: `run` with a `RunRequest` made of these arguments.

    The keyword form most callers (tests, plugin authors' scripts) already use.
    """
    request = RunRequest(
        paths=tuple(paths),
        config=config,
        now=now,
        selection=Selection(
            tuple(select) if select is not None else None, tuple(extend_select), tuple(ignore)
        ),
        cwd=cwd or Path.cwd(),
        baseline=baseline,
        cache_dir=cache_dir,
        jobs=jobs,
    )
    return run(request, registry, progress or quiet)
