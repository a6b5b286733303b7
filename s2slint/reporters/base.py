"""The reporter contract: turn a finished run into the bytes of one output format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from s2slint.findings import Severity

if TYPE_CHECKING:
    from s2slint.controls import ControlSet
    from s2slint.results import RunResult


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How the user asked for output: statistics instead of findings, colour, controls.

    `controls` is the control mapping of the audit formats (`--controls`); `None`
    means the mapping shipped with s2slint. `config_path` and `baseline_path` are the
    configuration and baseline files the run used (the audit report prints their
    SHA-256); `written_at` is set only by `--report-timestamp`, so that by default a
    rerun on the same bundle writes the same bytes. `quiet` (`-q`) leaves the findings only,
    without the closing summary. `fail_on` is the lowest severity that fails the run:
    formats that say pass or fail per finding (JUnit) follow it.
    """

    statistics: bool = False
    color: bool = False
    controls: ControlSet | None = None
    config_path: Path | None = None
    baseline_path: Path | None = None
    written_at: datetime | None = None
    quiet: bool = False
    fail_on: Severity = Severity.WARNING


def no_notices(result: RunResult) -> tuple[str, ...]:
    """Return nothing: most formats have no limits worth warning about."""
    return ()


@dataclass(frozen=True, slots=True)
class Reporter:
    """A named output format; `render` must be deterministic (no timestamps).

    `notices` returns what the user should know about the rendered output but that
    does not belong in it (a result cap, annotations a CI service will hide); the
    command line prints them on stderr, so `render` stays a pure function.
    """

    description: str
    render: Callable[[RunResult, ReportOptions], str]
    notices: Callable[[RunResult], tuple[str, ...]] = no_notices
