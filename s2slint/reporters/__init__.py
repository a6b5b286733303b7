"""Built-in output formats, registered through the same hook plugins use."""

from __future__ import annotations

from s2slint.hookspecs import hookimpl
from s2slint.reporters.base import Reporter


@hookimpl
def s2slint_reporters() -> dict[str, Reporter]:
    """Provide the built-in formats (imported here, when the registry is built)."""
    from s2slint.reporters.github import github_notices, render_github
    from s2slint.reporters.gitlab import render_gitlab
    from s2slint.reporters.html import render_html
    from s2slint.reporters.jsonfmt import render_json
    from s2slint.reporters.junit import render_junit
    from s2slint.reporters.markdown import render_markdown
    from s2slint.reporters.sarif import render_sarif, sarif_notices
    from s2slint.reporters.text import render_concise, render_full

    return {
        "full": Reporter("findings with related locations and a summary", render_full),
        "concise": Reporter("one line per finding", render_concise),
        "json": Reporter("one JSON object: findings and summary", render_json),
        "sarif": Reporter("SARIF 2.1.0 for GitHub code scanning", render_sarif, sarif_notices),
        "github": Reporter("GitHub Actions workflow annotations", render_github, github_notices),
        "gitlab": Reporter("GitLab Code Quality JSON", render_gitlab),
        "junit": Reporter("JUnit XML: a suite per file, a case per finding", render_junit),
        "markdown": Reporter("Markdown for tickets and merge requests", render_markdown),
        "html": Reporter("self-contained HTML audit report", render_html),
    }
