"""Built-in output formats, registered through the same hook plugins use (`reporters.plugin`).

Each format's module is imported only when that format renders (see `s2slint.lazy`);
pluggy only by the plugin host (the hook lives in `reporters.plugin`): a run served from
the cache renders with these and registers no plugin.
"""

from __future__ import annotations

from s2slint.lazy import LazyFunction
from s2slint.reporters.base import Reporter, no_notices


def _lazy(module: str, name: str) -> LazyFunction:
    return LazyFunction(f"s2slint.reporters.{module}", name)


def builtin_reporters() -> dict[str, Reporter]:
    """Return the built-in formats."""
    return {
        "full": Reporter(
            "findings with related locations and a summary", _lazy("text", "render_full")
        ),
        "concise": Reporter("one line per finding", _lazy("text", "render_concise")),
        "json": Reporter("one JSON object: findings and summary", _lazy("jsonfmt", "render_json")),
        "sarif": Reporter(
            "SARIF 2.1.0 for GitHub code scanning",
            _lazy("sarif", "render_sarif"),
            _lazy("sarif", "sarif_notices"),
        ),
        "github": Reporter(
            "GitHub Actions workflow annotations",
            _lazy("github", "render_github"),
            _lazy("github", "github_notices"),
        ),
        "gitlab": Reporter(
            "GitLab Code Quality JSON", _lazy("gitlab", "render_gitlab"), no_notices
        ),
        "junit": Reporter(
            "JUnit XML: a suite per file, a case per finding", _lazy("junit", "render_junit")
        ),
        "markdown": Reporter(
            "Markdown for tickets and merge requests", _lazy("markdown", "render_markdown")
        ),
        "html": Reporter("self-contained HTML audit report", _lazy("html", "render_html")),
        "powershell": Reporter(
            "a PowerShell runbook of the fixes: ordered, guarded, -WhatIf",
            _lazy("powershell", "render_powershell"),
        ),
    }
