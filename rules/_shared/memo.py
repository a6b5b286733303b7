"""The last answer of a function of the model and the evaluation date, kept for the next caller.

Several rules ask the same question of the same model at the same date in one run (the
certificates in scope, each export's OAuth timeline); on an estate of thousands of
exports answering it once per rule was a fifth of the run. The model is immutable, so
the last answer holds until another model (by identity) or date is asked about.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from s2slint.model import Model

T = TypeVar("T")


def last_answer(compute: Callable[[Model, datetime], T]) -> Callable[[Model, datetime], T]:
    """Wrap `compute` so that asking again about the same model and date reuses its answer."""
    last: list[tuple[Model, datetime, T]] = []

    def answer(model: Model, now: datetime) -> T:
        if not (last and last[0][0] is model and last[0][1] == now):
            last[:] = [(model, now, compute(model, now))]
        return last[0][2]

    answer.__doc__ = compute.__doc__
    return answer
