"""The loop every rule family shares: read a value per object, count what could be
read, report what is wrong with it.

An object whose value cannot be read (a property the export does not show, a
certificate the bundle does not hold, an item that is not the rule's business) is not
counted as checked, so "checked 0" tells the user that nothing could be judged rather
than that everything passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from s2slint.findings import Issue
from s2slint.rule import Evaluated, evaluated

T = TypeVar("T")
V = TypeVar("V")


def judge_each(
    items: Iterable[T],
    read: Callable[[T], V | None],
    report: Callable[[T, V], Iterable[Issue]],
) -> Evaluated:
    """Read a value per item; keep every issue `report` finds in each value read.

    Items whose value is `None` (unknown) are skipped and not counted as checked.
    """
    issues: list[Issue] = []
    checked = 0
    for item in items:
        value = read(item)
        if value is None:
            continue
        checked += 1
        issues.extend(report(item, value))
    return evaluated(issues, checked)


def judge(
    items: Iterable[T],
    read: Callable[[T], V | None],
    problem: Callable[[T, V], Issue | None],
) -> Evaluated:
    """Like `judge_each`, for rules that find at most one issue per item."""

    def report(item: T, value: V) -> Iterable[Issue]:
        issue = problem(item, value)
        return () if issue is None else (issue,)

    return judge_each(items, read, report)


def merged(*outcomes: Evaluated) -> Evaluated:
    """Join the outcomes of several judged groups (Lync's side, then Exchange's) into one."""
    issues = [issue for outcome in outcomes for issue in outcome.issues]
    return evaluated(issues, sum(outcome.checked for outcome in outcomes))
