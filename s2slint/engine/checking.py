"""Stages 4 and 5: evaluate the rules over the model, then settle what they found.

`evaluate` runs every enabled rule (a rule whose declared evidence is absent is not
evaluated, without running; one that raises becomes INP005 and the others still run).
`settle` stamps issues into findings (code, name, configured severity, per-path
ignores), applies the suppressions, and reports their own hygiene (SUP001/SUP002).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from s2slint import suppressions
from s2slint.bundle import display_path
from s2slint.corecodes import (
    EVIDENCE_MISSING,
    INTERNAL_ERROR,
    SUPPRESSION_EXPIRED,
    SUPPRESSION_WITHOUT_REASON,
    UNUSED_SUPPRESSION,
)
from s2slint.diagnostics import evidence_missing
from s2slint.errors import debug_traceback
from s2slint.evidence import unmet
from s2slint.findings import Finding, Issue, Location, Suppressed
from s2slint.loaders.base import InputProblem
from s2slint.model import Model
from s2slint.rule import Evaluated, NotApplicable, NotEvaluated, Outcome, Rule, RuleContext
from s2slint.selection import selector_matches

from .plan import RunPlan
from .request import Progress

if TYPE_CHECKING:
    from s2slint.baseline import Baseline


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Evaluation:
    """What the rules said: each issue with the rule that raised it, and each rule's outcome."""

    issues: tuple[tuple[Rule, Issue], ...]
    coverage: Mapping[str, Outcome]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Settled:
    """The findings reports show, those suppressions hid, and the final coverage."""

    findings: tuple[Finding, ...]
    suppressed: tuple[Suppressed, ...]
    coverage: Mapping[str, Outcome]


FILES_NAMED = "files were named one by one: there is no bundle to account for"
"""Why INP006 does not apply when no folder was linted."""


def evaluate(
    plan: RunPlan,
    model: Model,
    now: datetime,
    where: Location,
    progress: Progress,
    *,
    bundle: bool = False,
) -> Evaluation:
    """Run the enabled rules over the model, in registration order.

    A rule without a check (INP, SUP) is reported by the core and counts the files; a
    rule whose `requires` is unmet is not evaluated, with the requirement's words; a
    rule that raises is not evaluated and becomes an INP005 issue at `where`. Then, when
    a folder was linted (`bundle`), INP006 names each absent export those rules need;
    files named one by one say nothing of what else exists, and INP006 does not apply.
    """
    issues: list[tuple[Rule, Issue]] = []
    coverage: dict[str, Outcome] = {}
    internal = plan.rule(INTERNAL_ERROR)
    for number, rule in enumerate(plan.rules, start=1):
        if rule.code not in plan.enabled:
            continue
        progress(f"checking {rule.code} {rule.name} ({number}/{len(plan.rules)})")
        if rule.check is None:
            coverage[rule.code] = Evaluated((), len(model.files))
            continue
        missing = unmet(rule.requires, model)
        if missing is not None:
            coverage[rule.code] = NotEvaluated(missing)
            continue
        context = RuleContext(now=now, options=plan.settings[rule.code].options)
        outcome, failure = run_rule(rule, model, context, where)
        coverage[rule.code] = outcome
        if failure is not None and internal is not None:
            issues.append((internal, failure))
        if isinstance(outcome, Evaluated):
            issues.extend((rule, issue) for issue in outcome.issues)
    accounting = plan.rule(EVIDENCE_MISSING)
    if accounting is not None and EVIDENCE_MISSING in plan.enabled:
        if bundle:
            absent = evidence_missing(plan.rules, coverage, model, where)
            issues.extend((accounting, issue) for issue in absent)
        else:
            coverage[EVIDENCE_MISSING] = NotApplicable(FILES_NAMED)
    return Evaluation(tuple(issues), coverage)


def run_rule(
    rule: Rule, model: Model, context: RuleContext, where: Location
) -> tuple[Outcome, Issue | None]:
    """Run one rule; an exception becomes an INP005 issue (at `where`) and "not evaluated"."""
    assert rule.check is not None
    try:
        outcome = rule.check(model, context)
    except Exception as error:
        debug_traceback()
        issue = Issue(
            f"rule {rule.code} ({rule.name}) failed: {type(error).__name__}: {error}; "
            "the other rules ran",
            where,
            key=f"rule:{rule.code}",
        )
        return NotEvaluated(f"the rule failed ({type(error).__name__})"), issue
    return outcome, None


def settle(
    plan: RunPlan,
    evaluation: Evaluation,
    problems: Sequence[InputProblem],
    comments: Sequence[suppressions.InlineComment],
    baseline: Baseline | None,
    now: datetime,
) -> Settled:
    """Stamp the rules' issues and the input problems, then apply the suppressions.

    An input problem becomes a finding of the rule with its code (if registered). The
    SUP rules look at suppressions, not files: their coverage says how many they saw.
    Expiry dates are judged on the run's evaluation date `now`.
    """
    issues = list(evaluation.issues)
    for problem in problems:
        rule = plan.rule(problem.code)
        if rule is not None:
            location = problem.location
            issues.append((rule, Issue(problem.message, location, key=f"file:{location.path}")))
    coverage = dict(evaluation.coverage)
    applied = _suppress(plan, _stamp(plan, issues), comments, baseline, coverage, now)
    raised = [(plan.rule(code), issue) for code, issue in applied.issues]
    hygiene = [(rule, issue) for rule, issue in raised if rule is not None]
    for code, seen in (
        (UNUSED_SUPPRESSION, applied.considered),
        (SUPPRESSION_WITHOUT_REASON, len(comments)),
        (SUPPRESSION_EXPIRED, applied.dated),
    ):
        if code in coverage:
            coverage[code] = Evaluated((), seen)
    kept = tuple(sorted((*applied.kept, *_stamp(plan, hygiene)), key=Finding.sort_key))
    suppressed = tuple(sorted(applied.suppressed, key=lambda s: Finding.sort_key(s.finding)))
    return Settled(kept, suppressed, coverage)


def _stamp(plan: RunPlan, issues: Iterable[tuple[Rule, Issue]]) -> tuple[Finding, ...]:
    """Turn issues into findings with code, name and configured severity; drop ignored."""
    findings: set[Finding] = set()
    for rule, issue in issues:
        if rule.code not in plan.enabled or plan.ignored_at(issue.location.path, rule):
            continue
        findings.add(
            Finding(
                code=rule.code,
                name=rule.name,
                severity=plan.settings[rule.code].severity,
                message=issue.message,
                location=issue.location,
                related=issue.related,
                key=issue.key,
                fix=issue.fix,
            )
        )
    return tuple(sorted(findings, key=Finding.sort_key))


def _suppress(
    plan: RunPlan,
    findings: Sequence[Finding],
    comments: Sequence[suppressions.InlineComment],
    baseline: Baseline | None,
    coverage: Mapping[str, Outcome],
    now: datetime,
) -> suppressions.Applied:
    """Apply the configuration's, the inline and the baseline suppressions."""
    config = plan.config
    display = display_path(config.path, plan.cwd) if config.path is not None else "configuration"
    candidates = [
        *suppressions.from_config(config, display, plan.relative),
        *suppressions.from_inline(comments),
        *(suppressions.from_baseline(baseline) if baseline is not None else ()),
    ]
    ran = [r for r in plan.rules if isinstance(coverage.get(r.code), Evaluated)]

    def relevant(selector: str) -> bool:
        return any(selector_matches(selector, r.code, r.name) for r in ran)

    def protected(finding: Finding) -> bool:
        return any(selector_matches(s, finding.code, finding.name) for s in config.non_suppressible)

    return suppressions.apply(
        findings, candidates, protected=protected, relevant=relevant, comments=comments, now=now
    )
