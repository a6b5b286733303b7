"""What the audit formats (html, markdown) share: ordering, dates, controls, digests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from s2slint.controls import ControlSet, ControlVerdict, evaluate, load_controls
from s2slint.findings import Finding
from s2slint.integrity import FileDigest, digest_file, digest_inputs
from s2slint.rule import Rule

if TYPE_CHECKING:
    from s2slint.reporters.base import ReportOptions
    from s2slint.results import RunResult


def worst_first(findings: Iterable[Finding]) -> list[Finding]:
    """Order findings for people: errors first, then by rule, then by place."""
    return sorted(findings, key=lambda f: (-f.severity, f.code, *f.sort_key()))


def as_of(now: datetime | None) -> str:
    """Return the evaluation date as reports print it (a date, or date and time, UTC)."""
    if now is None:
        return "unknown"
    moment = now.astimezone(UTC)
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def control_set(options: ReportOptions) -> ControlSet:
    """Return the control mapping asked for, else the one shipped with s2slint."""
    return options.controls if options.controls is not None else load_controls()


def verdicts(result: RunResult, options: ReportOptions) -> tuple[ControlVerdict, ...]:
    """Judge every control of the mapping against the run."""
    return evaluate(control_set(options), result)


def rules_by_code(result: RunResult) -> dict[str, Rule]:
    """Return the selected rules by code (every finding's rule is among them)."""
    return {rule.code: rule for rule in result.rules}


def plural(count: int, word: str) -> str:
    """Return "1 finding" / "2 findings"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def code_ranges(codes: Iterable[str]) -> str:
    """Write rule codes compactly: a run of consecutive codes of a family as one range."""
    runs: list[list[str]] = []
    for code in sorted(codes):
        last = runs[-1][-1] if runs else ""
        if last and last[:-3] == code[:-3] and int(code[-3:]) == int(last[-3:]) + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}\u2013{run[-1]}" for run in runs)


REFUSED = "INP004"
"""Files refused as unsafe by the run are listed, never opened again for hashing."""
SETTINGS_LIMIT = 1 << 24
"""Largest configuration or baseline file hashed for the report header."""


def input_digests(result: RunResult) -> tuple[FileDigest, ...]:
    """Hash every file the run listed (refused ones are listed, not opened)."""
    from s2slint import limits

    refused = {
        f.location.path
        for f in (*result.findings, *(s.finding for s in result.suppressed))
        if f.code == REFUSED
    }
    paths = [f.path for f in result.files]
    return digest_inputs(paths, Path.cwd(), refused, limits.active().max_file_bytes)


def file_digest(path: Path) -> FileDigest:
    """Hash a configuration or baseline file named in the report header."""
    return digest_file(Path.cwd() / path, str(path), SETTINGS_LIMIT)
