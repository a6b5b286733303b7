"""Built-in output formats, registered through the same hook plugins use."""

from __future__ import annotations

from s2slint.hookspecs import hookimpl
from s2slint.reporters.base import Reporter


@hookimpl
def s2slint_reporters() -> dict[str, Reporter]:
    """Provide `full`, `concise` and `json`."""
    from s2slint.reporters.jsonfmt import render_json
    from s2slint.reporters.text import render_concise, render_full

    return {
        "full": Reporter("findings with related locations and a summary", render_full),
        "concise": Reporter("one line per finding", render_concise),
        "json": Reporter("one JSON object: findings and summary", render_json),
    }
