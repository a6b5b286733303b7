"""The outcome of a whole run, reused when nothing that decides it has changed.

s2slint's rules join files (the same certificate on every Front End, a partner
application against the Exchange side), so a per-file cache alone still leaves every
repeated run decoding every record and running every rule. Most repeated runs (a
pre-commit hook, a CI job on an unchanged bundle) change nothing at all. This cache
keys the run's findings, coverage, file list and suppressed findings on everything
that decides them: the tool version, the rules and loaders, the configuration, the
selection, the evaluation date, the baseline, and the path and content of every file.

It is never used when the run depends on something the key cannot see: live DNS
answers, or a PFX password that some file of the bundle may need (the password must
not become key material on disk). A password merely set in the environment for a
bundle with no PFX or encrypted key is read by nothing; only whether one is supplied is
in the key.

The evaluation instant enters the key as its date only, so runs without `--as-of`
share one entry a day instead of adding one per run. Rules compare the instant with
the dates in the exports (a certificate's NotAfter, a roll's EffectiveDate, whole
days before or after them), and fixes name moments worked out from the instant on the
hour or from a date to the minute, so their outcome can only change when the time of
day passes a whole hour or the time of day of one of those dates (or its minute): each
entry keeps those times, and the instant it was evaluated at, and is served only when
no such time lies between that instant and the new one. Entries are authenticated and
bounded like the per-file ones (`s2slint.cachefiles`), and at most
`limits.CACHE_MAX_RUN_ENTRIES` are kept (the least recently used go first).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import types
import typing
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timezone, tzinfo
from pathlib import Path

from s2slint import cachefiles
from s2slint import limits as input_limits
from s2slint.cache import store_document
from s2slint.codec import Codec, Unsupported
from s2slint.findings import Finding, Issue, Location, Severity, Suppressed
from s2slint.inputfiles import InputFile
from s2slint.rule import Evaluated, NotApplicable, NotEvaluated, Outcome

# 2: entries carry an HMAC, the instant they were evaluated at and the times of day
# that matter; keys hold the evaluation date. 3: findings carry their fix and outcomes
# may be "not applicable". 4: values are written as their annotations say, tagged only
# where they do not, and tuples of one dataclass as columns (`s2slint.codec`). 5: a
# column of text that repeats is written as its distinct values and an index per row.
# 6: the moments hold every whole hour and each date's minute (`turning_points`).
FORMAT = 6
_DAY_MICROSECONDS = 86_400_000_000
_MINUTE_MICROSECONDS = 60_000_000
_WHOLE_HOURS = tuple(hour * 3_600_000_000 for hour in range(24))


@dataclass(frozen=True, slots=True)
class CachedRun:
    """What a run produced, apart from the model (rebuilt on demand from the file cache).

    `evaluated_at` is the instant the rules were run at and `moments` the times of day
    (microseconds after midnight UTC) of every date in the model, each date's minute and
    every whole hour (`turning_points`); an entry without them is served only for the
    instant it was made at.
    """

    findings: tuple[Finding, ...]
    coverage: tuple[tuple[str, Outcome], ...]
    files: tuple[InputFile, ...]
    enabled: tuple[str, ...]
    suppressed: tuple[Suppressed, ...]
    evaluated_at: datetime | None = None
    moments: tuple[int, ...] = ()

    def holds_at(self, now: datetime) -> bool:
        """Tell whether a run at `now` (of the same date) would have this outcome."""
        if self.evaluated_at is None:
            return False
        if now == self.evaluated_at:
            return True
        low, high = sorted((time_of_day(self.evaluated_at), time_of_day(now)))
        return not any(low <= moment <= high for moment in self.moments)


_CODEC = Codec(
    (
        CachedRun,
        Finding,
        Issue,
        Location,
        Severity,
        InputFile,
        Evaluated,
        NotEvaluated,
        NotApplicable,
        Suppressed,
    )
)


def run_date(now: datetime) -> str:
    """Return what of the evaluation instant enters the run key: its UTC date."""
    return _utc(now).date().isoformat()


def _utc(moment: datetime) -> datetime:
    """Return `moment` in UTC (a naive value is taken as UTC, as the rules do)."""
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def time_of_day(moment: datetime) -> int:
    """Return the microseconds since midnight UTC of `moment`."""
    moment = _utc(moment)
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return seconds * 1_000_000 + moment.microsecond


def moments_of(model: object) -> tuple[int, ...]:
    """Return the sorted times of day of every date held anywhere in `model`.

    The model is walked through its dataclass fields and tuples; a type whose
    annotations can hold no date (DNS records, zones) is not walked into. A
    2,000-server estate holds some 50,000 values to look at, nearly all records of a
    few types in long tuples: the values met at one place are taken a type at a time,
    and each date field of a record type read for all its records at once, instead of
    one value after another. The dates themselves are many but mostly equal (the same
    certificate on every server), and converting one to UTC costs more than finding
    it: each distinct one is converted once (see `_Dates`).
    """
    dates = _Dates()
    _collect((model,), dates)
    return dates.times_of_day()


def turning_points(model: object) -> tuple[int, ...]:
    """Return the times of day at which a run's outcome may change (`CachedRun.moments`).

    Those of every date in `model` (`moments_of`), and more: fixes name moments worked
    out on the hour from the instant (a roll two days ahead) and to the minute from a
    date (24 hours before an expiry), so every whole hour and each date's minute count.
    """
    times = moments_of(model)
    to_the_minute = {moment - moment % _MINUTE_MICROSECONDS for moment in times}
    return tuple(sorted({*times, *to_the_minute, *_WHOLE_HOURS}))


_DATE_FIELDS: dict[type, tuple[str, ...]] = {}
_NO_DATE = frozenset({str, int, float, bool, bytes, type(None)})
"""Types of the leaves met most often, which hold no date (a shortcut, not a decision)."""


def _collect(values: Sequence[object], dates: _Dates) -> None:
    """Collect the dates in `values` (of any types): what is a date, or holds one."""
    for kind in {type(value) for value in values}:
        if kind in _NO_DATE:
            continue
        group = [value for value in values if type(value) is kind]
        if issubclass(kind, datetime):
            dates.add(typing.cast(list[datetime], group))
        elif issubclass(kind, tuple | list):
            _collect(
                [item for items in typing.cast(list[Sequence[object]], group) for item in items],
                dates,
            )
        elif dataclasses.is_dataclass(kind):
            for name in _date_fields(kind):
                _collect([getattr(value, name) for value in group], dates)


class _Dates:
    """The dates met in a model, each distinct one converted to its time of day once.

    Dates are kept by their date, clock time and zone when the zone is a fixed offset
    (`datetime.timezone`) or none: equal keys then mean the same instant, so the same
    time of day (or the same error). Comparing the dates themselves would not do: two
    dates of different zone objects are compared by converting both, the very cost
    avoided here. Dates of any other zone (or type) are converted at once.
    """

    __slots__ = ("_distinct", "_times")

    def __init__(self) -> None:
        self._distinct: dict[tuple[date, time, tzinfo | None], datetime] = {}
        self._times: set[int] = set()

    def add(self, dates: list[datetime]) -> None:
        """Take in dates, all of one type."""
        zones = {type(moment.tzinfo) for moment in dates}
        if type(dates[0]) is datetime and zones <= _FIXED_ZONES:
            self._distinct.update({(m.date(), m.time(), m.tzinfo): m for m in dates})
        else:
            self._times.update(time_of_day(moment) for moment in dates)

    def times_of_day(self) -> tuple[int, ...]:
        """Return the sorted distinct times of day of every date taken in."""
        times = self._times | {time_of_day(moment) for moment in self._distinct.values()}
        return tuple(sorted(times))


_FIXED_ZONES = frozenset({timezone, type(None)})
"""Time zone types whose offset does not depend on the date (none: UTC, as the rules read it)."""


def _date_fields(cls: type) -> tuple[str, ...]:
    """Return the fields of `cls` whose annotations may hold a date (decided once).

    `Certificate.not_after` and `Located[datetime]` may; a `Location`, a `str`, a
    tuple of DNS records may not, and are never walked into.
    """
    known = _DATE_FIELDS.get(cls)
    if known is None:
        # Until decided (a type that refers to itself): every field may hold one.
        _DATE_FIELDS[cls] = tuple(field.name for field in dataclasses.fields(cls))
        try:
            hints = typing.get_type_hints(cls)
            known = tuple(
                field.name
                for field in dataclasses.fields(cls)
                if not _dateless_hint(hints[field.name])
            )
        except Exception:
            known = tuple(field.name for field in dataclasses.fields(cls))
        _DATE_FIELDS[cls] = known
    return known


def _dateless(cls: type) -> bool:
    """Tell whether no value of `cls` can hold a date (decided from its annotations)."""
    return not _date_fields(cls)


def _dateless_hint(hint: object) -> bool:
    if hint in (str, int, bool, float, type(None)):
        return True
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return all(_dateless_hint(argument) for argument in typing.get_args(hint))
    if origin is tuple:
        return all(_dateless_hint(a) for a in typing.get_args(hint) if a is not Ellipsis)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dateless(hint)
    if isinstance(origin, type) and dataclasses.is_dataclass(origin):
        # A generic dataclass such as Located[str]: its type variables are the arguments.
        hints = typing.get_type_hints(origin)
        return all(_dateless_hint(a) for a in typing.get_args(hint)) and all(
            isinstance(h, typing.TypeVar) or _dateless_hint(h) for h in hints.values()
        )
    return False  # datetime, object, a type variable: may hold a date


def run_key(settings: Iterable[str], file_keys: Iterable[str]) -> str:
    """Return the key of a run from its settings and the cache keys of its files.

    `settings` are texts that decide the outcome (version, rules, configuration, ...),
    each written in full; a file's cache key covers its path, folders and content.
    """
    digest = hashlib.sha256(f"run-format={FORMAT}\0".encode())
    for text in (*settings, *file_keys):
        digest.update(text.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


class RunCache:
    """A folder of run outcomes, one file per run key (next to the per-file entries)."""

    def __init__(self, directory: Path, root: Path) -> None:
        """Keep entries in `directory`/runs; `root` is the cache folder the user named."""
        self.directory = directory / "runs"
        self.root = root
        self.secret = cachefiles.key_of(root)

    def get(self, key: str, now: datetime | None = None) -> CachedRun | None:
        """Return the cached outcome for `key` (if it holds at `now`); else a miss."""
        if self.secret is None:
            return None
        path = self.directory / key
        document = cachefiles.read_document(
            path, self.secret, "run", key, input_limits.CACHE_MAX_ENTRY_BYTES, FORMAT
        )
        if document is None:
            return None
        try:
            run = _CODEC.decode(document["run"])
        except (Exception, RecursionError):
            return None
        if not isinstance(run, CachedRun) or (now is not None and not run.holds_at(now)):
            return None
        with suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return run

    def put(self, key: str, run: CachedRun) -> None:
        """Store an outcome (quietly skipping one the format cannot hold), then prune."""
        if self.secret is None:
            return
        try:
            document = {"format": FORMAT, "run": _CODEC.encode(run)}
        except Unsupported:
            return
        store_document(self.directory / key, self.secret, "run", key, document, self.root)
