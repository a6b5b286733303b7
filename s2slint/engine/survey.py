"""`--show-files`: every file a run would consider, with its kind or why it is skipped.

The gather and load stages decide what is read, what is skipped and what each file
is; nothing else runs (no rule, no cache), so the listing says exactly what a run
would do with each file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from s2slint.loaders.base import Loader

from .inputs import gather
from .loading import load
from .request import Progress, RunRequest, quiet


@dataclass(frozen=True, slots=True)
class Listing:
    """One file (or folder left out whole) and what the run does with it."""

    path: str
    status: str


def survey(
    request: RunRequest, loaders: Sequence[Loader], progress: Progress = quiet
) -> tuple[Listing, ...]:
    """List every file considered under the request's paths, sorted by path.

    A file read shows the kind it was recognised as, else the first input finding it
    gave (INP001-INP005); one skipped shows why (no finding).
    """
    bundle = gather(request, loaders, progress)
    loaded = load(bundle, loaders, None, 1, progress)
    status: dict[str, str] = {}
    for problem in loaded.problems:
        status.setdefault(problem.location.path, f"{problem.code}: {problem.message}")
    for entry in (*bundle.excluded, *loaded.model.files):
        if entry.skipped:
            status[entry.path] = f"skipped: {entry.skipped}"
        elif entry.kind:
            status[entry.path] = entry.kind
    return tuple(Listing(path, status[path]) for path in sorted(status))
