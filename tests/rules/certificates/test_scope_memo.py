"""The in-scope certificates are computed once per model and date, and never served stale."""

from __future__ import annotations

from datetime import UTC, datetime

from s2slint.rules._shared.oauth_certs import export_timelines
from s2slint.rules.certificates._scope import scoped_certificates

from s2slint.findings import Location
from s2slint.model import CsCertificate, ExchangeAuthConfig, Located, Model

LOC = Location("exchange/auth-config.xml", 1, 1)
SWITCH = datetime(2026, 6, 1, tzinfo=UTC)


def _model(current: str) -> Model:
    config = ExchangeAuthConfig(
        LOC,
        current_thumbprint=Located.at(current, LOC),
        previous_thumbprint=None,
        next_thumbprint=Located.at("B" * 40, LOC),
        next_effective_date=Located.at(SWITCH, LOC),
        service_name=None,
        realm=None,
    )
    return Model(exchange_auth_configs=(config,))


def _stages(model: Model, now: datetime) -> list[tuple[str, str]]:
    return [(s.thumbprint[:1], s.stage) for s in scoped_certificates(model, now)]


def test_a_new_model_or_date_is_computed_afresh() -> None:
    before, after = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    first, second = _model("A" * 40), _model("C" * 40)
    assert _stages(first, before) == [("A", "current"), ("B", "next")]
    assert _stages(first, after) == [("A", "previous"), ("B", "current")]
    assert _stages(second, after) == [("B", "current"), ("C", "previous")]
    # Callers may change the list they get without touching the next caller's.
    scoped_certificates(second, after).clear()
    assert len(scoped_certificates(second, after)) == 2


def _lync(thumbprints: dict[str, datetime | None]) -> Model:
    """A model of one server's OAuthTokenIssuer entries, each with its EffectiveDate."""
    loc = Location("servers/fe/certificates.xml", 1, 1)
    entries = tuple(
        CsCertificate(
            loc,
            use=Located.at("OAuthTokenIssuer", loc),
            thumbprint=Located.at(thumb * 40, loc),
            subject=None,
            issuer=None,
            not_before=None,
            not_after=None,
            alternative_names=None,
            effective_date=None if when is None else Located.at(when, loc),
            computer_name=None,
            source_dirs=(),
            server="fe.litwareinc.com",
        )
        for thumb, when in thumbprints.items()
    )
    return Model(cs_certificates=entries)


def _in_force(model: Model, now: datetime) -> list[tuple[str, list[str]]]:
    return [
        (
            line.in_force.thumbprint.value[:1]
            if line.in_force and line.in_force.thumbprint
            else "",
            [e.thumbprint.value[:1] for e in line.staged if e.thumbprint],
        )
        for line in export_timelines(model, now)
    ]


def test_the_timelines_of_the_exports_are_ordered_once_per_model_and_date() -> None:
    before, after = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    rolled = _lync({"A": None, "B": SWITCH})
    assert _in_force(rolled, before) == [("A", ["B"])]
    assert export_timelines(rolled, before) is export_timelines(rolled, before)
    assert _in_force(rolled, after) == [("B", [])]
    assert _in_force(_lync({"C": None}), after) == [("C", [])]
