"""Helpers that keep a finding's message readable whatever the export holds.

A message names the objects it is about. An export may hold thousands of them, or one
with a name of megabytes (a hostile file, or a script gone wrong), and a message that
lists them all becomes megabytes in every output format and in memory. Rules list
values through `bounded_list` (the first few and a count of the rest) and quote long
values through `clip`. The bounds are `limits.MESSAGE_LIST_ITEMS` and
`limits.MESSAGE_VALUE_CHARS`.

This module imports only `s2slint.limits`, so that rules and plugins can use it freely.
"""

from __future__ import annotations

from collections.abc import Iterable

from s2slint.limits import MESSAGE_LIST_ITEMS, MESSAGE_VALUE_CHARS

__all__ = ["bounded_list", "clip"]


def bounded_list(items: Iterable[str], limit: int = MESSAGE_LIST_ITEMS) -> str:
    """Join `items` with ", ", listing at most `limit` of them and counting the rest.

    `bounded_list(["a", "b", "c"], 2)` is "a, b, … and 1 more". The items are read
    once and only the first `limit` are kept, so a generator of any length costs
    memory for `limit` items only.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    shown: list[str] = []
    rest = 0
    for item in items:
        if len(shown) < limit:
            shown.append(item)
        else:
            rest += 1
    text = ", ".join(shown)
    return f"{text}, \u2026 and {rest:,} more" if rest else text


def clip(value: str, limit: int = MESSAGE_VALUE_CHARS) -> str:
    """Return `value`, or its first `limit` characters and how long it really is.

    `clip("x" * 5000, 10)` is "xxxxxxxxxx… (5,000 characters)": enough to recognise
    the value, never the megabytes of it.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    if len(value) <= limit:
        return value
    return f"{value[:limit]}\u2026 ({len(value):,} characters)"
