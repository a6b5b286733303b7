"""What a run is asked to do: the one value every stage of the engine starts from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from s2slint.bundle import display_path
from s2slint.config import Config
from s2slint.findings import Location
from s2slint.selection import Selection

if TYPE_CHECKING:
    from s2slint.baseline import Baseline

Progress = Callable[[str], None]
"""Told what the run is doing (for a terminal status line); must be cheap."""


def quiet(_: str) -> None:
    """Ignore progress reports (the default: no terminal to show them on)."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class RunRequest:
    """Everything that decides a run's outcome, apart from the plugins.

    `paths` are what the user named; `now` the evaluation date; `selection` the
    command line's selectors (the configuration's are in `config`); `baseline` hides
    the findings it lists. `cache_dir` keeps each file's load result and each run's
    outcome between runs, and `jobs` > 1 parses files in that many processes: neither
    may change the output.
    """

    paths: tuple[Path, ...]
    config: Config
    now: datetime
    selection: Selection = field(default_factory=Selection)
    cwd: Path = field(default_factory=Path.cwd)
    baseline: Baseline | None = None
    cache_dir: Path | None = None
    jobs: int = 1

    @property
    def location(self) -> Location:
        """Where a finding about the whole bundle points: the first path the user named."""
        return Location(display_path(self.paths[0], self.cwd) if self.paths else ".")

    def fingerprint(self) -> tuple[str, ...]:
        """Return the texts of the request that decide the outcome (for the run cache)."""
        from s2slint.runcache import run_date

        return (
            run_date(self.now),  # the date: `CachedRun.holds_at` checks the time of day
            repr(self.baseline),
            str(self.cwd),
            repr([str(path) for path in self.paths]),
            # A folder named makes the bundle findings (INP006) count: a path that was a
            # folder and is now a file must not be served the folder's outcome.
            repr([path.is_dir() for path in self.paths]),
        )
