"""The certificates in scope on a time line, for the audit picture.

Every certificate the bundle names for server-to-server authentication gets a row:
Lync's OAuthTokenIssuer assignments (in force, staged by a roll with a later
`EffectiveDate`, or previous), Exchange's Auth certificates (current, next, previous;
the next one is in force from `NewCertificateEffectiveDate`, catalogue v2), then the
other certificates of the bundle. A thumbprint the exports assign but no certificate
in the bundle matches still gets its row, without dates unless `Get-CsCertificate`
carried them, so the gap is visible. Roles are read from the model as of the
evaluation date; nothing here asks the rules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from s2slint.model import Certificate, CsCertificate, Model, normalize_thumbprint

CURRENT = "current"
STAGED = "staged"
PREVIOUS = "previous"
OTHER = "other"
_KIND_ORDER = {CURRENT: 0, STAGED: 1, PREVIOUS: 2, OTHER: 3}


@dataclass(frozen=True, slots=True)
class Marker:
    """A date marked on a bar (a roll's effective date)."""

    when: datetime
    text: str


@dataclass(frozen=True, slots=True)
class Bar:
    """One certificate: its roles in words, validity and the dates marked on it."""

    thumbprint: str
    kind: str
    roles: tuple[str, ...]
    subject: str
    not_before: datetime | None
    not_after: datetime | None
    markers: tuple[Marker, ...]
    state: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Timeline:
    """The bars, the evaluation date and the warning window before expiry."""

    bars: tuple[Bar, ...]
    now: datetime
    warn_days: int


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def _short(server: str | None) -> str:
    return server.split(".")[0] if server else "a server not named in the export"


def state(not_before: datetime | None, not_after: datetime | None, now: datetime, warn: int) -> str:
    """Return how a validity period reads on the evaluation date, in words."""
    if not_after is None or not_before is None:
        return "not in the bundle: dates unknown"
    if not_after <= now:
        return f"expired {_day(not_after)}"
    if not_before > now:
        return f"not yet valid (from {_day(not_before)})"
    days = (not_after - now).days
    if days < warn:
        return f"expires {_day(not_after)}, in {days} days"
    return f"valid until {_day(not_after)} ({days} days)"


class _Roles:
    """Collect, per thumbprint, its roles, kind and markers."""

    def __init__(self) -> None:
        self.kind: dict[str, str] = {}
        self.roles: defaultdict[str, list[str]] = defaultdict(list)
        self.markers: defaultdict[str, list[Marker]] = defaultdict(list)
        self.dates: dict[str, tuple[datetime, datetime, str]] = {}

    def add(self, thumbprint: str, kind: str, role: str, marker: Marker | None = None) -> None:
        key = normalize_thumbprint(thumbprint)
        if not key:
            return
        old = self.kind.get(key, OTHER)
        self.kind[key] = kind if _KIND_ORDER[kind] < _KIND_ORDER[old] else old
        if role not in self.roles[key]:
            self.roles[key].append(role)
        if marker is not None and marker not in self.markers[key]:
            self.markers[key].append(marker)


def _effective(entry: CsCertificate) -> datetime | None:
    return entry.effective_date.value if entry.effective_date else None


def _lync(model: Model, now: datetime, roles: _Roles) -> None:
    """Sort each server's OAuthTokenIssuer entries into in force, staged and previous."""
    by_server: defaultdict[str | None, list[CsCertificate]] = defaultdict(list)
    for entry in model.cs_certificates:
        if entry.is_oauth and entry.thumbprint is not None and entry.thumbprint.value:
            by_server[entry.server].append(entry)
            if entry.not_before is not None and entry.not_after is not None:
                roles.dates.setdefault(
                    normalize_thumbprint(entry.thumbprint.value),
                    (entry.not_before.value, entry.not_after.value, "Get-CsCertificate"),
                )
    grouped: defaultdict[tuple[str, str, str], list[str]] = defaultdict(list)
    for server, entries in sorted(by_server.items(), key=lambda item: item[0] or ""):
        in_force = [e for e in entries if (_effective(e) or now) <= now]
        current = max(
            in_force,
            key=lambda e: _effective(e) or datetime.min.replace(tzinfo=now.tzinfo),
            default=None,
        )
        for entry in entries:
            assert entry.thumbprint is not None
            when = _effective(entry)
            if entry is current:
                grouped[(entry.thumbprint.value, CURRENT, "")].append(_short(server))
            elif when is not None and when > now:
                grouped[(entry.thumbprint.value, STAGED, _day(when))].append(_short(server))
                roles.add(
                    entry.thumbprint.value, STAGED, "", Marker(when, f"effective {_day(when)}")
                )
            else:
                grouped[(entry.thumbprint.value, PREVIOUS, "")].append(_short(server))
    for (thumbprint, kind, when_text), servers in grouped.items():
        on = ", ".join(dict.fromkeys(servers))
        text = {
            CURRENT: f"Lync OAuthTokenIssuer in force on {on}",
            STAGED: f"Lync OAuthTokenIssuer staged on {on}, effective {when_text}",
            PREVIOUS: f"Lync OAuthTokenIssuer, previous on {on}",
        }[kind]
        roles.add(thumbprint, kind, text)


def _exchange(model: Model, now: datetime, roles: _Roles) -> None:
    """Place Exchange's current, next and previous Auth certificates (catalogue v2)."""
    for auth in model.exchange_auth_configs:
        current = auth.current_thumbprint.value if auth.current_thumbprint else ""
        following = auth.next_thumbprint.value if auth.next_thumbprint else ""
        previous = auth.previous_thumbprint.value if auth.previous_thumbprint else ""
        when = auth.next_effective_date.value if auth.next_effective_date else None
        rolled = bool(following and when is not None and when <= now)
        marker = Marker(when, f"effective {_day(when)}") if when is not None else None
        if current:
            if rolled and when is not None:
                roles.add(current, PREVIOUS, f"Exchange Auth, replaced on {_day(when)}")
            else:
                roles.add(current, CURRENT, "Exchange Auth, current")
        if following:
            if rolled and when is not None:
                roles.add(following, CURRENT, f"Exchange Auth, in force since {_day(when)}", marker)
            elif when is not None:
                roles.add(following, STAGED, f"Exchange Auth, next, effective {_day(when)}", marker)
            else:
                roles.add(following, STAGED, "Exchange Auth, next (no effective date)")
        if previous:
            roles.add(previous, PREVIOUS, "Exchange Auth, previous")


def build(model: Model, now: datetime, warn_days: int) -> Timeline:
    """Return a bar for every certificate in scope, in-force ones first."""
    roles = _Roles()
    _lync(model, now, roles)
    _exchange(model, now, roles)
    certificates: dict[str, Certificate] = {}
    for each in sorted(model.certificates, key=lambda c: (c.thumbprint, c.loc.sort_key())):
        certificates.setdefault(normalize_thumbprint(each.thumbprint), each)
    for thumbprint in certificates:
        if thumbprint not in roles.kind:
            roles.add(thumbprint, OTHER, "other certificate in the bundle")
    bars = []
    start: datetime | None
    end: datetime | None
    for thumbprint, kind in roles.kind.items():
        cert: Certificate | None = certificates.get(thumbprint)
        if cert is not None:
            start, end, source = cert.not_before, cert.not_after, cert.loc.path
            subject = cert.subject
        elif thumbprint in roles.dates:
            start, end, source = roles.dates[thumbprint]
            subject = "no certificate in the bundle"
        else:
            start = end = None
            source, subject = "", "no certificate in the bundle"
        bars.append(
            Bar(
                thumbprint,
                kind,
                tuple(r for r in roles.roles[thumbprint] if r),
                subject,
                start,
                end,
                tuple(sorted(roles.markers[thumbprint], key=lambda m: m.when)),
                state(start, end, now, warn_days),
                source,
            )
        )
    bars.sort(key=lambda b: (_KIND_ORDER[b.kind], b.thumbprint))
    return Timeline(tuple(bars), now, warn_days)
