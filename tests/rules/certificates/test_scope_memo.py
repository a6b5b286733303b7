"""The in-scope certificates are computed once per model and date, and never served stale."""

from __future__ import annotations

from datetime import UTC, datetime

from s2slint.rules.certificates._scope import scoped_certificates

from s2slint.findings import Location
from s2slint.model import ExchangeAuthConfig, Located, Model

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
