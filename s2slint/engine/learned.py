"""What reading a file taught: the entry of the unchanged-file record (`engine.unchanged`).

Every run learns it of each file it reads; only a run with a cache records it. Kept
apart from the record so that a `--no-cache` run does not import the record's code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from s2slint.fileread import Stamp
from s2slint.suppressions import InlineComment

MARGIN_NS = 3_000_000_000
"""How much older than its reading a file's status must be to be trusted (> FAT's 2 s)."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Learned:
    """What one reading of a file found: its status then, and the facts of its bytes."""

    stamp: Stamp
    read_ns: int
    digest: str
    skip: str
    password_may_matter: bool
    comments: tuple[InlineComment, ...]

    def trusted_for(self, stamp: Stamp) -> bool:
        """Tell whether a file now of status `stamp` still holds the bytes this describes."""
        _, modified, changed, _, _ = self.stamp
        return stamp == self.stamp and max(modified, changed) + MARGIN_NS < self.read_ns


def now_ns() -> int:
    """Return the wall clock, as file systems stamp files (for `Learned.read_ns`)."""
    return time.time_ns()
