"""Which Lync OAuthTokenIssuer certificate is in force at the evaluation date.

Catalogue v2: a `Get-CsCertificate` OAuthTokenIssuer entry whose `EffectiveDate` is
after the evaluation date is a *roll* (staged); the entry in force on a server is the
one with the latest `EffectiveDate` not after the evaluation date (an entry without one
took effect when it was assigned, before any dated entry). The partners' trusts
(Exchange's partner application, SharePoint's trusted issuer) are judged against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from s2slint.model import CsCertificate, Model, normalize_thumbprint


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
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

    Entries are grouped by the server they were exported from (else by export file):
    each server has its own entry in force. Entries without a thumbprint are ignored.
    """
    by_source: dict[str, list[CsCertificate]] = {}
    for entry in model.cs_certificates:
        if not entry.is_oauth or entry.thumbprint is None:
            continue
        if not normalize_thumbprint(entry.thumbprint.value):
            continue
        by_source.setdefault(entry.server or entry.loc.path, []).append(entry)
    in_force: dict[str, list[CsCertificate]] = {}
    staged: dict[str, datetime] = {}
    moment = _utc(now)
    for entries in by_source.values():
        effective: list[tuple[datetime | None, CsCertificate]] = []
        for entry in entries:
            assert entry.thumbprint is not None
            thumbprint = normalize_thumbprint(entry.thumbprint.value)
            when = _utc(entry.effective_date.value) if entry.effective_date else None
            if when is not None and when > moment:
                staged[thumbprint] = min(when, staged.get(thumbprint, when))
            else:
                effective.append((when, entry))
        if not effective:
            continue
        dated = [when for when, _ in effective if when is not None]
        latest = max(dated) if dated else None
        for when, entry in effective:
            if when == latest:
                assert entry.thumbprint is not None
                in_force.setdefault(normalize_thumbprint(entry.thumbprint.value), []).append(entry)
    return LyncOAuthCertificates(
        in_force={thumb: tuple(entries) for thumb, entries in in_force.items()},
        staged=staged,
    )
