"""Human-readable output: `concise` (one line per finding) and `full` (with context).

The line format is ruff's: `path:line:col: CODE [severity] message (name)`, which
editors and CI log viewers already turn into links.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from s2slint.findings import Finding, Location, Severity
from s2slint.neutral import neutralize, safe_path
from s2slint.reporters.base import ReportOptions
from s2slint.rule import (
    Evaluated,
    NotApplicable,
    NotEvaluated,
    not_applicable_rules,
    not_evaluated_rules,
)

if TYPE_CHECKING:
    from s2slint.results import RunResult

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_RESET = "\033[0m"


def position(location: Location) -> str:
    """Return `path:line:col` with the parts that are known (the path neutralised)."""
    text = safe_path(location.path)
    if location.line is not None:
        text += f":{location.line}"
        if location.column is not None:
            text += f":{location.column}"
    return text


def finding_line(finding: Finding, color: bool = False) -> str:
    """Return the one-line form of a finding."""
    severity = f"[{finding.severity.label}]"
    if color:
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
    message = neutralize(finding.message)
    return f"{position(finding.location)}: {finding.code} {severity} {message} ({finding.name})"


def statistics(result: RunResult) -> str:
    """Return the count of findings per code, most frequent first (`--statistics`)."""
    counts = Counter(f.code for f in result.findings)
    names = {f.code: (f.name, f.severity) for f in result.findings}
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        name, severity = names[code]
        lines.append(f"{count:5d}\t{code}\t[{severity.label}]\t{name}")
    return "\n".join(lines) + ("\n" if lines else "")


def summary(result: RunResult) -> str:
    """Return the closing lines: counts by severity and what could not be checked."""
    counts = Counter(f.severity for f in result.findings)
    total = len(result.findings)
    parts = [
        f"{counts[s]} {s.label}{'s' if counts[s] != 1 else ''}"
        for s in sorted(counts, reverse=True)
    ]
    lines = []
    read = sum(1 for f in result.files if not f.skipped)
    skipped = len(result.files) - read
    files = f"{read} file{'s' if read != 1 else ''}"
    if skipped:
        files += f", {skipped} skipped"
    if total:
        lines.append(
            f"Found {total} finding{'s' if total != 1 else ''} ({', '.join(parts)}) in {files}."
        )
    else:
        lines.append(f"All checks passed on {files}.")
    if result.suppressed:
        hidden = Counter(s.source for s in result.suppressed)
        how = ", ".join(f"{n} by {neutralize(source)}" for source, n in sorted(hidden.items()))
        count = len(result.suppressed)
        lines.append(f"Suppressed {count} accepted finding{'s' if count != 1 else ''} ({how}).")
    not_evaluated = not_evaluated_rules(result.coverage)
    if not_evaluated:
        lines.append(f"Not evaluated ({len(not_evaluated)} rules: evidence missing):")
        lines.extend(f"  {code}: {neutralize(missing)}" for code, missing in not_evaluated)
    not_applicable = not_applicable_rules(result.coverage)
    if not_applicable:
        lines.append(f"Not applicable ({len(not_applicable)} rules: nothing to judge):")
        lines.extend(f"  {code}: {neutralize(reason)}" for code, reason in not_applicable)
    return "\n".join(lines) + "\n"


def fix_lines(fix: str) -> list[str]:
    """Return a finding's fix as an indented `fix:` block (nothing when it has none)."""
    steps = [line for line in fix.strip("\n").splitlines()]
    if not any(step.strip() for step in steps):
        return []
    return ["    fix:", *(f"        {neutralize(step)}".rstrip() for step in steps)]


def render_concise(result: RunResult, options: ReportOptions) -> str:
    """Render one line per finding and nothing else (for scripts and pre-commit)."""
    if options.statistics:
        return statistics(result)
    return "".join(finding_line(f, options.color) + "\n" for f in result.findings)


def render_full(result: RunResult, options: ReportOptions) -> str:
    """Render each finding with its related locations, then a summary."""
    if options.statistics:
        return statistics(result) + ("" if options.quiet else summary(result))
    blocks = []
    for finding in result.findings:
        lines = [finding_line(finding, options.color)]
        for related in finding.related:
            where = position(related)
            pointer = f" ({neutralize(related.pointer)})" if related.pointer else ""
            lines.append(f"    related: {where}{pointer}")
        lines.extend(fix_lines(finding.fix))
        blocks.append("\n".join(lines))
    if options.quiet:
        return "".join(block + "\n" for block in blocks)
    body = "\n".join(blocks) + ("\n\n" if blocks else "")
    return body + summary(result)


def explain_coverage(result: RunResult) -> str:
    """Return, for every selected rule, whether it ran and on what (`--explain-coverage`).

    A rule that is not evaluated names the input that would let it run, so "no
    findings" can be told apart from "nothing was checked".
    """
    rules = sorted(result.rules, key=lambda r: r.code)
    width = max((len(r.name) for r in rules), default=4)
    lines = []
    evaluated = 0
    not_applicable = 0
    for rule in rules:
        outcome = result.coverage.get(rule.code)
        if isinstance(outcome, Evaluated):
            evaluated += 1
            noun = "object" if outcome.checked == 1 else "objects"
            state = f"evaluated on {outcome.checked} {noun}"
        elif isinstance(outcome, NotEvaluated):
            state = f"not evaluated: missing {neutralize(outcome.missing)}"
        elif isinstance(outcome, NotApplicable):
            not_applicable += 1
            state = f"not applicable: {neutralize(outcome.reason)}"
        else:
            state = "not evaluated"
        lines.append(f"{rule.code}  {rule.name:<{width}}  {state}")
    others = len(rules) - evaluated - not_applicable
    applicable = f", {not_applicable} not applicable" if not_applicable else ""
    lines.append(
        f"{evaluated} of {len(rules)} selected rules evaluated{applicable}, {others} not evaluated."
    )
    return "\n".join(lines) + "\n"
