"""One file of a bundle as a run lists it: its path and the kind it was recognised as.

Kept apart from `s2slint.model` (which re-exports it) because a run the run cache
serves whole lists its files but builds no model: importing the model's two dozen
dataclasses is a fifth of such a run's startup.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InputFile"]


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file of the bundle and the kind it was recognised as (`None` if unknown).

    `skipped` says why a file was not read as an export without being a finding
    ("" when it was read): it is not an export at all (notes, Markdown, s2slint's own
    reports and baselines), or `.gitignore` ignores it (catalogue v2, INP002).
    """

    path: str
    kind: str | None
    skipped: str = ""
