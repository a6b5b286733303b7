"""GitLab Code Quality: the JSON array merge requests show as a widget.

GitLab collapses findings that share a fingerprint (ruff once reported 7 of 120 that
way), so each finding gets the unique, line-independent fingerprint of
`s2slint.fingerprints`. Severities are GitLab's names; the file has no BOM.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from s2slint.findings import Severity
from s2slint.fingerprints import fingerprints
from s2slint.neutral import json_safe, neutralize
from s2slint.reporters.base import ReportOptions

if TYPE_CHECKING:
    from s2slint.results import RunResult

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}
"""error breaks authentication (critical); warning likely will (major); info is info."""


def render_gitlab(result: RunResult, options: ReportOptions) -> str:
    """Render the Code Quality report (a JSON array, one object per finding)."""
    items: list[dict[str, Any]] = []
    for finding, fingerprint in zip(result.findings, fingerprints(result.findings), strict=True):
        items.append(
            {
                "type": "issue",
                "engine_name": "s2slint",
                "check_name": finding.code,
                "description": f"{finding.code} {neutralize(finding.message)} ({finding.name})",
                "categories": ["Security"],
                "fingerprint": fingerprint,
                "severity": SEVERITIES[finding.severity],
                "location": {
                    "path": finding.location.path,
                    # GitLab needs a line; a finding without one is about the file.
                    "lines": {"begin": finding.location.line or 1},
                },
            }
        )
    return json_safe(json.dumps(items, indent=2, ensure_ascii=False)) + "\n"
