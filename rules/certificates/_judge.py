"""The loop the certificate rules share: read a value per object, count what could be
read, report what is wrong with it.

An object whose value cannot be read (a property the export does not show, a
certificate the bundle does not hold) is not counted as checked, so "checked 0" tells
the user that nothing could be judged rather than that everything passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from s2slint.findings import Issue, Location
from s2slint.rule import Evaluated

from .._shared.judge import judge_each

T = TypeVar("T")
V = TypeVar("V")
ItemT = TypeVar("ItemT")


class Keyed(Protocol):
    """An object whose findings share one key (a certificate: its thumbprint)."""

    @property
    def finding_key(self) -> str:
        """The key of findings about this object."""
        ...


KeyedT = TypeVar("KeyedT", bound=Keyed)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Seen(Generic[T]):
    """A value read about an object, where it was read, and the other places that say it."""

    value: T
    loc: Location
    related: tuple[Location, ...] = ()


def judge(
    items: Iterable[KeyedT],
    read: Callable[[KeyedT], Seen[V] | None],
    problem: Callable[[KeyedT, V], str | None],
    also: tuple[Location, ...] = (),
    fix: Callable[[KeyedT, V], str] | None = None,
) -> Evaluated:
    """Read one value per object and report, once, each object `problem` finds fault with.

    The issue points at where the value was read, with the other places that say it
    (and `also`) as related locations; `fix` writes the issue's own fix.
    """

    def report(item: KeyedT, seen: Seen[V]) -> Iterable[Issue]:
        message = problem(item, seen.value)
        if message is None:
            return ()
        return (
            Issue(
                message,
                seen.loc,
                related=(*seen.related, *also),
                key=item.finding_key,
                fix=fix(item, seen.value) if fix is not None else "",
            ),
        )

    return judge_each(items, read, report)
