"""The reporter contract: turn a finished run into the bytes of one output format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from s2slint.engine import RunResult


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How the user asked for output: statistics instead of findings, colour."""

    statistics: bool = False
    color: bool = False


@dataclass(frozen=True, slots=True)
class Reporter:
    """A named output format; `render` must be deterministic (no timestamps)."""

    description: str
    render: Callable[[RunResult, ReportOptions], str]
