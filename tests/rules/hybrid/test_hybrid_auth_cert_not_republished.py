"""HYB004 hybrid-auth-cert-not-republished."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec, spec, without
from s2slint.rules.hybrid._common import exchange_auth_in_force

from s2slint.findings import Location
from s2slint.model import ExchangeAuthConfig, Located
from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case

CODE = "HYB004"
HYBRID = "exchange/hybrid-configuration.xml"
RENEWED = {
    "exchange_auth_not_before": datetime(2026, 5, 4, 9, 41, 18, tzinfo=UTC),
    "exchange_auth_not_after": datetime(2031, 5, 4, 9, 41, 18, tzinfo=UTC),
}

CASES = (
    Case("the wizard ran after the certificate was issued", sharepoint_spec(), checked=1),
    Case(
        "the certificate was renewed after the wizard last ran",
        sharepoint_spec(**RENEWED),
        expect=(HYBRID,),
        contains=(
            "was issued on 2026-05-04 09:41 UTC, after the Hybrid Configuration Wizard last "
            "ran (2025-09-16 14:09 UTC, WhenChangedUTC)",
        ),
        fix_contains=("Get-HybridConfiguration | Format-List Name, WhenChangedUTC",),
    ),
    Case(
        "the wizard ran again after the renewal",
        sharepoint_spec(
            hybrid_configuration_changed=datetime(2026, 5, 5, 8, 12, 40, tzinfo=UTC), **RENEWED
        ),
        checked=1,
    ),
    Case(
        "the certificate in force is not in the bundle (CRT011's)",
        without(sharepoint_spec(**RENEWED), "exchange/certificates.xml"),
        checked=0,
    ),
    Case(
        "a hybrid organisation without its Get-HybridConfiguration export",
        spec(),
        outcome="not evaluated",
    ),
    Case(
        "no Get-AuthConfig export",
        without(sharepoint_spec(), "exchange/auth-config.xml"),
        outcome="not evaluated",
    ),
    Case(
        "no Exchange Online application and no Microsoft auth server",
        spec(exchange_hybrid=False),
        outcome="not applicable",
    ),
    Case(
        "neither Exchange partner applications nor auth servers: hybrid cannot be ruled out",
        spec(exchange_hybrid=False, exchange_lync_app=False),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_hybrid_auth_cert_not_republished(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_not_evaluated_names_the_hybrid_configuration_export(tmp_path: Path) -> None:
    result = check_case(Case("no export", spec(), outcome="not evaluated"), CODE, tmp_path)
    assert result.coverage[CODE] == NotEvaluated("an Exchange Get-HybridConfiguration export")


def _config(next_effective: datetime | None) -> ExchangeAuthConfig:
    loc = Location("exchange/auth-config.xml")
    return ExchangeAuthConfig(
        loc=loc,
        current_thumbprint=Located.at("AAAA", loc),
        previous_thumbprint=None,
        next_thumbprint=Located.at("BBBB", loc),
        next_effective_date=Located.at(next_effective, loc) if next_effective else None,
        service_name=None,
        realm=None,
    )


@pytest.mark.parametrize(
    ("effective", "expected"),
    [
        (None, "AAAA"),  # a next certificate without a date is not in force
        (datetime(2026, 12, 1, tzinfo=UTC), "AAAA"),  # not yet
        (datetime(2026, 11, 1, tzinfo=UTC), "BBBB"),  # its date has passed
    ],
)
def test_the_next_certificate_is_in_force_from_its_effective_date(
    effective: datetime | None, expected: str
) -> None:
    found = exchange_auth_in_force(_config(effective), datetime(2026, 11, 21, tzinfo=UTC))
    assert found is not None and found.value == expected
