"""The hook that registers the built-in output formats (`reporters.builtin_reporters`).

Apart from the package so that a run served from the cache, which renders with the
built-in formats but registers no plugin, does not import pluggy.
"""

from __future__ import annotations

from s2slint.hooks import hookimpl
from s2slint.reporters import builtin_reporters
from s2slint.reporters.base import Reporter


@hookimpl
def s2slint_reporters() -> dict[str, Reporter]:
    """Provide the built-in formats."""
    return builtin_reporters()
