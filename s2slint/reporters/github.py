"""GitHub Actions workflow commands: one annotation per finding, shown on the diff.

The escaping is the runner's own (actions/toolkit `command.ts`): in the message `%`,
CR and LF; in a property value also `:` and `,`. GitHub shows at most 10 error and
10 warning annotations per step (50 per job), so the command line warns on stderr
when some will be hidden; the log still has every line.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from s2slint.findings import Finding, Severity
from s2slint.neutral import neutralize
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.text import position

if TYPE_CHECKING:
    from s2slint.results import RunResult

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
PER_STEP_LIMIT = 10
"""Annotations of one level GitHub shows per step (errors and warnings alike)."""
PER_JOB_LIMIT = 50


def escape_data(text: str) -> str:
    """Escape a command's message (the part after `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (file, title, ...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """Return the workflow command for one finding."""
    location = finding.location
    properties = [f"file={escape_property(neutralize(location.path))}"]
    if location.line is not None:
        properties.append(f"line={location.line}")
        if location.column is not None:
            properties.append(f"col={location.column}")
        properties.append(f"endLine={location.line}")
    properties.append(f"title={escape_property(f'{finding.code} {finding.name}')}")
    # Values are neutralised first: only the line breaks s2slint adds itself become
    # %0A, so a value can neither end the command nor show control characters.
    message = neutralize(finding.message)
    for related in finding.related:
        message += f"\nrelated: {position(related)}"
        if related.pointer:
            message += f" ({neutralize(related.pointer)})"
    return f"::{COMMANDS[finding.severity]} {','.join(properties)}::{escape_data(message)}"


def render_github(result: RunResult, options: ReportOptions) -> str:
    """Render one workflow command per finding."""
    return "".join(annotation(f) + "\n" for f in result.findings)


def github_notices(result: RunResult) -> tuple[str, ...]:
    """Warn when GitHub's per-step (or per-job) annotation caps will hide findings."""
    counts = Counter(f.severity for f in result.findings)
    notices = []
    for severity in (Severity.ERROR, Severity.WARNING):
        hidden = counts[severity] - PER_STEP_LIMIT
        if hidden > 0:
            notices.append(
                f"GitHub shows at most {PER_STEP_LIMIT} {severity.label} annotations per step: "
                f"{hidden} of {counts[severity]} will be hidden (they stay in the log; upload "
                "SARIF for the complete list)"
            )
    if len(result.findings) > PER_JOB_LIMIT:
        notices.append(
            f"GitHub shows at most {PER_JOB_LIMIT} annotations per job; "
            f"{len(result.findings)} were written"
        )
    return tuple(notices)
