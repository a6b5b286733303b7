"""Suppressions: accepted findings, from the configuration, inline comments or a baseline.

A suppression hides a finding from every report but is never silent: the audit
report lists what was accepted and why, a suppression that matches nothing is
reported (SUP001, so stale exceptions do not pile up), an inline comment without a
reason is reported (SUP002), a configuration or baseline entry past its `expires`
date hides nothing any more and is reported (SUP003), and rules named
`non-suppressible` in the configuration cannot be hidden at all.

Inline comments are for hand-kept files. In XML, the comment covers the element that
follows it (its whole line range); in zone files, a `;` comment covers the next record
line, or its own line when it trails a record:

    <!-- s2slint: ignore[CRT003] reason: lab pool, retired in June -->
    autodiscover  IN CNAME  mail.litwareinc.com.  ; s2slint: ignore[DNS002] reason: ...
"""

from __future__ import annotations

import bisect
import fnmatch
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from s2slint.config import Config, SuppressEntry
from s2slint.corecodes import (
    SUPPRESSION_EXPIRED,
    SUPPRESSION_WITHOUT_REASON,
    UNUSED_SUPPRESSION,
)
from s2slint.findings import Finding, Issue, Location, Suppressed
from s2slint.fingerprints import identity, logical_key
from s2slint.loaders.text import decode, may_contain
from s2slint.selection import selector_matches

if TYPE_CHECKING:
    from s2slint.baseline import Baseline

UNUSED = UNUSED_SUPPRESSION
NO_REASON = SUPPRESSION_WITHOUT_REASON
EXPIRED = SUPPRESSION_EXPIRED


# The directive syntax. Most runs meet no directive, so the patterns are compiled (and
# kept by `re`'s cache) only when a file may hold one, never on import.
_XML_COMMENT = r"(?s)<!--(?P<body>.*?)-->"
_DIRECTIVE = r"(?s)^\s*s2slint\s*:\s*ignore\s*\[(?P<codes>[^\]]*)\](?P<rest>.*)$"
_LINE_DIRECTIVE = r"[;#]\s*s2slint\s*:\s*ignore\s*\[(?P<codes>[^\]]*)\](?P<rest>.*)$"
_REASON = r"(?si)^[\s:;,.\-\u2013\u2014]*(?:reason\s*[:=])?\s*(?P<reason>.*)$"
_TAG = (
    r"(?s)<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![^>]*>"
    r"|<(?P<close>/)?(?P<name>[A-Za-z_][\w.:-]*)(?:\"[^\"]*\"|'[^']*'|[^'\">])*?(?P<empty>/)?>"
)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class InlineComment:
    """An `s2slint: ignore[...]` comment and the lines it covers (None: covers nothing)."""

    path: str
    line: int
    column: int
    selectors: tuple[str, ...]
    reason: str
    first_line: int | None
    last_line: int | None

    @property
    def label(self) -> str:
        """Return the comment as users wrote it, for messages."""
        return f"ignore[{', '.join(self.selectors)}]"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Suppression:
    """One rule selector accepted on some findings, and where that was written."""

    source: str  # "configuration", "inline" or "baseline"
    selector: str
    reason: str
    where: Location
    label: str
    key: str
    matches: Callable[[Finding], bool]
    owner: str = ""
    ticket: str = ""
    expires: date | None = None

    def expired(self, today: date) -> bool:
        """Tell whether the acceptance ran out: its last day is before `today`."""
        return self.expires is not None and self.expires < today


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Applied:
    """Findings after suppressions, what they hid, and the SUP issues they raise."""

    kept: tuple[Finding, ...]
    suppressed: tuple[Suppressed, ...]
    issues: tuple[tuple[str, Issue], ...]
    considered: int
    dated: int = 0
    """How many suppressions carry an `expires` date (what SUP003 checked)."""


# ---------------------------------------------------------------- inline comments


def might_have_comments(data: bytes) -> bool:
    """Tell cheaply whether a file can hold a directive (most files do not)."""
    return may_contain(data, "s2slint")


def _line_index(text: str) -> Callable[[int], tuple[int, int]]:
    starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    return position


def _selectors(codes: str) -> tuple[str, ...]:
    return tuple(part for part in re.split(r"[\s,]+", codes) if part)


def _reason(rest: str) -> str:
    match = re.match(_REASON, rest)
    return " ".join((match["reason"] if match else rest).split())


def _element_lines(
    text: str, offset: int, position: Callable[[int], tuple[int, int]]
) -> tuple[int, int] | None:
    """Return the line range of the element that starts after `offset` (None if none)."""
    depth = 0
    first = 0
    for match in re.compile(_TAG).finditer(text, offset):
        if match["name"] is None:
            continue  # comments, CDATA, processing instructions
        if depth == 0:
            if match["close"]:
                return None  # the comment ends its parent: there is no next element
            first = position(match.start())[0]
            if match["empty"]:
                return first, position(match.end() - 1)[0]
            depth = 1
            continue
        if match["close"]:
            depth -= 1
            if depth == 0:
                return first, position(match.end() - 1)[0]
        elif not match["empty"]:
            depth += 1
    return (first, position(len(text))[0]) if depth else None


def scan_inline(display: str, data: bytes) -> tuple[InlineComment, ...]:
    """Return the inline suppression comments of one file (XML or line-based text)."""
    if not might_have_comments(data):
        return ()
    text = decode(data)
    position = _line_index(text)
    found: list[InlineComment] = []
    if text.lstrip().startswith("<"):
        for match in re.finditer(_XML_COMMENT, text):
            directive = re.match(_DIRECTIVE, match["body"])
            if directive is None:
                continue
            line, column = position(match.start())
            span = _element_lines(text, match.end(), position)
            found.append(
                InlineComment(
                    display,
                    line,
                    column,
                    _selectors(directive["codes"]),
                    _reason(directive["rest"]),
                    span[0] if span else None,
                    span[1] if span else None,
                )
            )
        return tuple(found)
    lines = text.splitlines()
    line_directive = re.compile(_LINE_DIRECTIVE)
    for number, content in enumerate(lines, start=1):
        directive = line_directive.search(content)
        if directive is None:
            continue
        target: int | None = number
        if not content[: directive.start()].strip():  # an own-line comment: the next record
            target = next(
                (
                    n
                    for n in range(number + 1, len(lines) + 1)
                    if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith((";", "#"))
                ),
                None,
            )
        found.append(
            InlineComment(
                display,
                number,
                directive.start() + 1,
                _selectors(directive["codes"]),
                _reason(directive["rest"]),
                target,
                target,
            )
        )
    return tuple(found)


# ------------------------------------------------------------- building suppressions


def from_inline(comments: Iterable[InlineComment]) -> list[Suppression]:
    """Return one suppression per selector of each inline comment."""
    suppressions = []
    seen: dict[tuple[str, str], int] = {}
    for comment in comments:
        for selector in comment.selectors:
            ordinal = seen.get((comment.path, selector), 0)
            seen[(comment.path, selector)] = ordinal + 1

            def matches(finding: Finding, c: InlineComment = comment, s: str = selector) -> bool:
                line = finding.location.line
                return (
                    c.first_line is not None
                    and c.last_line is not None
                    and finding.location.path == c.path
                    and line is not None
                    and c.first_line <= line <= c.last_line
                    and selector_matches(s, finding.code, finding.name)
                )

            suppressions.append(
                Suppression(
                    "inline",
                    selector,
                    comment.reason,
                    Location(comment.path, comment.line, comment.column),
                    f"inline suppression ignore[{selector}]",
                    f"suppression:inline:{comment.path}:{selector}:{ordinal}",
                    matches,
                )
            )
    return suppressions


def _glob(value: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(value.lower(), pattern.lower())


def from_config(config: Config, display: str, relative: Callable[[str], str]) -> list[Suppression]:
    """Return the `[[suppress]]` entries of the configuration shown at `display`.

    `relative` turns a finding's display path into a path relative to the
    configuration's folder, which `path` globs are written against.
    """
    suppressions = []
    for entry in config.suppressions:

        def matches(finding: Finding, item: SuppressEntry = entry) -> bool:
            if not selector_matches(item.code, finding.code, finding.name):
                return False
            if item.key is not None and not _glob(logical_key(finding), item.key):
                return False
            if item.path is not None:
                path = relative(finding.location.path)
                return _glob(path, item.path) or _glob(path, "*/" + item.path)
            return True

        target = " and ".join(
            part
            for part in (
                f'key "{entry.key}"' if entry.key else "",
                f'path "{entry.path}"' if entry.path else "",
            )
            if part
        )
        suppressions.append(
            Suppression(
                "configuration",
                entry.code,
                entry.reason,
                Location(display, entry.line, 1 if entry.line else None),
                f"suppression of {entry.code} for {target}",
                f"suppression:configuration:{entry.code}:{entry.key or ''}:{entry.path or ''}",
                matches,
                owner=entry.owner,
                ticket=entry.ticket,
                expires=entry.expires,
            )
        )
    return suppressions


def from_baseline(baseline: Baseline) -> list[Suppression]:
    """Return one suppression per baseline entry (exact code and logical key)."""
    suppressions = []
    for entry in baseline.entries:

        def matches(finding: Finding, wanted: tuple[str, str] = (entry.code, entry.key)) -> bool:
            return identity(finding) == wanted

        suppressions.append(
            Suppression(
                "baseline",
                entry.code,
                entry.reason or "accepted in the baseline",
                Location(baseline.display, entry.line, 5 if entry.line else None),
                f'baseline entry {entry.code} "{entry.key}"',
                f"suppression:baseline:{entry.code}:{entry.key}",
                matches,
                owner=entry.owner,
                ticket=entry.ticket,
                expires=entry.expires,
            )
        )
    return suppressions


# ---------------------------------------------------------------------- applying


def evaluation_day(now: datetime | None = None) -> date:
    """Return the day expiry is judged on: `now` (the run's evaluation date), else today (UTC).

    Falling back to today keeps an expired acceptance from hiding findings when a
    caller gave no date at all; the engine always passes its evaluation date.
    """
    moment = now or datetime.now(UTC)
    return moment.astimezone(UTC).date() if moment.tzinfo else moment.date()


def _suppressed(finding: Finding, by: Suppression) -> Suppressed:
    expires = by.expires.isoformat() if by.expires else ""
    return Suppressed(finding, by.source, by.reason, by.where, by.owner, by.ticket, expires)


def _expired_issue(suppression: Suppression, reported_again: int) -> Issue:
    """Return the SUP003 issue of an entry whose acceptance ran out."""
    assert suppression.expires is not None
    recorded = ", ".join(
        part
        for part in (
            f"owner {suppression.owner}" if suppression.owner else "",
            f"ticket {suppression.ticket}" if suppression.ticket else "",
        )
        if part
    )
    again = (
        f"its {reported_again} finding{'s are' if reported_again != 1 else ' is'} reported again"
        if reported_again
        else "it hides nothing any more"
    )
    return Issue(
        f"{suppression.label} expired on {suppression.expires.isoformat()}"
        + (f" ({recorded})" if recorded else "")
        + f"; {again}: fix the finding, or renew the acceptance with a later expires date",
        suppression.where,
        key=f"{suppression.key}:expired",
    )


def apply(
    findings: Sequence[Finding],
    suppressions: Sequence[Suppression],
    *,
    protected: Callable[[Finding], bool],
    relevant: Callable[[str], bool],
    comments: Iterable[InlineComment] = (),
    now: datetime | None = None,
) -> Applied:
    """Hide the findings suppressions match; report unused, expired and reasonless ones.

    Every suppression matching a finding counts as used (an inline comment and a
    baseline entry may both cover it). A protected (non-suppressible) finding stays,
    and suppressions that would have hidden it are reported as having no effect.
    `relevant(selector)` tells whether the selector names a rule that was enabled and
    evaluated: a suppression of a rule that did not run is not reported as unused.
    A suppression whose `expires` day is before the evaluation day (see
    `evaluation_day`) hides nothing and is reported once (SUP003), never as unused.
    Inline `comments` without a reason are reported (SUP002) whether or not they matched.
    """
    today = evaluation_day(now)
    expired = [s.expired(today) for s in suppressions]
    reported_again = [0] * len(suppressions)
    used = [False] * len(suppressions)
    blocked: dict[int, str] = {}
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    for finding in findings:
        hits = [i for i, s in enumerate(suppressions) if s.matches(finding)]
        matching = [i for i in hits if not expired[i]]
        if not matching or protected(finding):
            for index in matching:
                blocked.setdefault(index, finding.code)
            for index in hits:
                reported_again[index] += expired[index]
            kept.append(finding)
            continue
        for index in matching:
            used[index] = True
        suppressed.append(_suppressed(finding, suppressions[matching[0]]))
    issues: list[tuple[str, Issue]] = []
    for index, suppression in enumerate(suppressions):
        if expired[index]:
            issues.append((EXPIRED, _expired_issue(suppression, reported_again[index])))
            continue
        if used[index]:
            continue
        if index in blocked:
            message = (
                f"{suppression.label} has no effect: {blocked[index]} is non-suppressible "
                "(see non-suppressible in the configuration); fix the finding instead"
            )
        elif relevant(suppression.selector):
            message = f"{suppression.label} matches no finding; remove it"
            if suppression.source == "baseline":
                message += " (regenerate the baseline with --generate-baseline)"
        else:
            continue
        issues.append((UNUSED, Issue(message, suppression.where, key=suppression.key)))
    counts: dict[tuple[str, str], int] = {}
    for comment in comments:
        if comment.reason:
            continue
        ordinal = counts.get((comment.path, comment.label), 0)
        counts[(comment.path, comment.label)] = ordinal + 1
        issues.append(
            (
                NO_REASON,
                Issue(
                    f"inline suppression {comment.label} gives no reason; add "
                    '"reason: ..." saying why the finding is accepted',
                    Location(comment.path, comment.line, comment.column),
                    key=f"suppression:inline:{comment.path}:{comment.label}:{ordinal}:reason",
                ),
            )
        )
    dated = sum(1 for s in suppressions if s.expires is not None)
    return Applied(tuple(kept), tuple(suppressed), tuple(issues), len(suppressions), dated)
