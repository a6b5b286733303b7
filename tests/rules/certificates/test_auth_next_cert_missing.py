"""CRT016 auth-next-cert-missing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cert_bundles import auth_config_next, bundle, days_after, unlink

from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "CRT016"


def _next_configured(folder: Path) -> None:
    auth_config_next(folder, "7D3E9A0C61B24F85A1C9E0D2B3F4A5C6D7E8F901", days_after(20))


WITHIN_60 = Case(
    "expiry within warn-days without a next certificate",
    bundle(exchange_auth_not_after=days_after(60)),
    expect=("exchange/auth-config.xml",),
    contains=("expires on 2027-01-20 00:00 UTC and no next certificate is configured",),
    # The staged rotation, two days ahead: the certificate is still valid.
    fix_contains=(
        "New-ExchangeCertificate -KeySize 2048",
        "Set-AuthConfig -NewCertificateThumbprint $cert.Thumbprint "
        "-NewCertificateEffectiveDate '2026-11-23T00:00:00Z'",
    ),
)

CASES = (
    Case("a certificate far from expiry passes", bundle(), checked=1),
    WITHIN_60,
    Case(
        "one second beyond warn-days passes",
        bundle(exchange_auth_not_after=days_after(60) + timedelta(seconds=1)),
    ),
    Case(
        "a configured next certificate passes",
        bundle(_next_configured, exchange_auth_not_after=days_after(30)),
    ),
    Case(
        "warn-days is an option",
        bundle(exchange_auth_not_after=days_after(30)),
        options={"warn-days": 29},
    ),
    Case(
        "30 days left are within the default",
        bundle(exchange_auth_not_after=days_after(30)),
        expect=("exchange/auth-config.xml",),
    ),
    # Catalogue v2, one cause, one finding: an expired certificate is CRT006's.
    Case(
        "an expired certificate without next is CRT006's alone",
        bundle(
            exchange_auth_not_before=datetime(2021, 6, 1, tzinfo=UTC),
            exchange_auth_not_after=datetime(2026, 6, 1, tzinfo=UTC),
        ),
        checked=1,
    ),
    Case(
        "without Get-AuthConfig",
        bundle(unlink("exchange/auth-config.xml")),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_auth_next_cert_missing(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_empty_next_thumbprint_is_pointed_at(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(WITHIN_60, CODE, tmp_path), CODE)
    assert finding.location.pointer == "obj[0].NextCertificateThumbprint"
    assert [r.path for r in finding.related] == ["exchange/certificates.xml"]


def test_the_expired_certificate_is_reported_by_crt006(tmp_path: Path) -> None:
    result = check_case(CASES[6], CODE, tmp_path)
    assert len(findings_of(result, "CRT006")) == 1


def test_the_staged_rotation_does_not_publish_at_once(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(WITHIN_60, CODE, tmp_path), CODE)
    assert "PublishCertificate" not in finding.fix
