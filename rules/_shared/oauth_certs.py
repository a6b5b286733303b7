"""Which Lync OAuthTokenIssuer certificate is in force at the evaluation date.

Catalogue v2: a `Get-CsCertificate` OAuthTokenIssuer entry whose `EffectiveDate` is
after the evaluation date is a *roll* (staged); the entry in force on a server is the
one with the latest `EffectiveDate` not after the evaluation date (an entry without one
took effect when it was assigned, before any dated entry). The partners' trusts
(Exchange's partner application, SharePoint's trusted issuer) are judged against it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from s2slint.model import CsCertificate, Located, Model, normalize_thumbprint

from .memo import last_answer


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _thumbprint(located: Located[str] | None) -> str:
    return normalize_thumbprint(located.value) if located is not None else ""


def _effective(entry: CsCertificate) -> datetime | None:
    return _utc(entry.effective_date.value) if entry.effective_date is not None else None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Timeline:
    """One export's OAuthTokenIssuer entries as the evaluation date sees them.

    `in_force` is the entry with the latest `EffectiveDate` not after the evaluation date
    (an entry without one took effect when it was assigned, before any roll); `staged` are
    the entries that take effect later, in the order they do. An export lists them in any
    order: a roll may come first.
    """

    in_force: CsCertificate | None
    staged: tuple[CsCertificate, ...]
    superseded: tuple[CsCertificate, ...]

    @property
    def chain(self) -> tuple[CsCertificate, ...]:
        """The entry in force, then each staged roll: every one replaces the one before."""
        return (self.in_force, *self.staged) if self.in_force is not None else self.staged


def timeline(entries: Iterable[CsCertificate], now: datetime) -> Timeline:
    """Order one export's OAuthTokenIssuer entries around the evaluation date `now`."""
    oauth = [e for e in entries if e.is_oauth and _thumbprint(e.thumbprint)]
    now = _utc(now)
    started: list[CsCertificate] = []
    pending: list[CsCertificate] = []
    for entry in oauth:  # one pass: `not in started` compared whole records, pairwise
        (started if (_effective(entry) or now) <= now else pending).append(entry)
    staged = sorted(pending, key=lambda e: _effective(e) or now)
    in_force = None
    if started:
        # Latest effective date wins; an entry without one is the oldest; list order breaks ties.
        in_force = max(
            enumerate(started),
            key=lambda pair: (
                _effective(pair[1]) is not None,
                _effective(pair[1]) or now,
                -pair[0],
            ),
        )[1]
    superseded = tuple(e for e in started if e is not in_force)
    return Timeline(in_force, tuple(staged), superseded)


@last_answer
def export_timelines(model: Model, now: datetime) -> tuple[Timeline, ...]:
    """Return `timeline` of every export of `oauth_exports`, in its order.

    Four rules read them: they are ordered once per model and date (`last_answer`).
    """
    return tuple(timeline(entries, now) for entries in oauth_exports(model).values())


def oauth_exports(model: Model) -> dict[str, list[CsCertificate]]:
    """Return the OAuthTokenIssuer entries by export: the server it came from, else its file."""
    exports: dict[str, list[CsCertificate]] = {}
    for entry in model.cs_certificates:
        if entry.is_oauth and _thumbprint(entry.thumbprint):
            exports.setdefault(entry.server or entry.loc.path, []).append(entry)
    return exports


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class LyncOAuthCertificates:
    """Lync's OAuthTokenIssuer certificates as of one date, by thumbprint.

    `in_force` maps each thumbprint in force on some server (or export) to its entries;
    `staged` maps each rolled thumbprint to the earliest date it takes effect.
    """

    in_force: dict[str, tuple[CsCertificate, ...]]
    staged: dict[str, datetime]

    def __bool__(self) -> bool:
        return bool(self.in_force or self.staged)

    def staged_before(self, deadline: datetime) -> set[str]:
        """Return the rolled thumbprints that take effect no later than `deadline`."""
        limit = _utc(deadline)
        return {thumb for thumb, when in self.staged.items() if _utc(when) <= limit}

    def describe_in_force(self) -> str:
        """Name the thumbprints in force for messages ("7054C1..." or "A, B")."""
        return ", ".join(sorted(self.in_force)) or "none"


def lync_oauth_certificates(model: Model, now: datetime) -> LyncOAuthCertificates:
    """Return the OAuthTokenIssuer certificates in force at `now`, and the staged rolls.

    Each export (each server's, else each file) has its own entry in force, chosen by
    `timeline`, the same reading the CRT rules use.
    """
    in_force: dict[str, list[CsCertificate]] = {}
    staged: dict[str, datetime] = {}
    for line in export_timelines(model, now):
        if line.in_force is not None:
            in_force.setdefault(_thumbprint(line.in_force.thumbprint), []).append(line.in_force)
        for entry in line.staged:
            when = _effective(entry)
            assert when is not None  # staged entries take effect after `now`
            thumbprint = _thumbprint(entry.thumbprint)
            staged[thumbprint] = min(when, staged.get(thumbprint, when))
    return LyncOAuthCertificates(
        in_force={thumb: tuple(entries) for thumb, entries in in_force.items()},
        staged=staged,
    )
