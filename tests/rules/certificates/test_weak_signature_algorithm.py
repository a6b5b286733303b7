"""CRT009 weak-signature-algorithm."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec
from cert_bundles import auth_thumbprint, bundle, exchange_certificates_properties_export, unlink

from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "CRT009"


def local_auth_export(folder: Path) -> None:
    """Replace the Exchange export by a local one: properties only, no RawData."""
    (folder / "exchange" / "certificates.xml").unlink()
    exchange_certificates_properties_export(
        folder / "exchange" / "certificates-local.xml",
        "ATL-EXCH-001",
        [
            (
                auth_thumbprint(folder),
                2048,
                datetime(2025, 6, 1, tzinfo=UTC),
                datetime(2030, 6, 1, tzinfo=UTC),
            )
        ],
    )


SHA1_AUTH = Case(
    "a SHA-1 Exchange Auth certificate",
    bundle(exchange_auth_signature_hash="sha1"),
    expect=("exchange/certificates.xml",),
)

CASES = (
    Case("SHA-256 certificates pass", bundle(), checked=2),
    Case(
        "a SHA-1 OAuth certificate",
        bundle(oauth_signature_hash="sha1"),
        expect=("certs/oauth-token-issuer.cer",),
        contains=(
            "OAuthTokenIssuer certificate",
            "is signed with SHA-1; use a certificate signed with SHA-256",
        ),
    ),
    SHA1_AUTH,
    # Only the OAuth certificate's signature could be seen.
    Case("an export without RawData does not show it", bundle(local_auth_export), checked=1),
    Case(
        "without any certificate",
        bundle(unlink("exchange/certificates.xml"), include_oauth_cer=False),
        outcome="not evaluated",
    ),
    Case(
        "a SHA-1 signed SharePoint STS certificate",
        sharepoint_spec(sharepoint_sts_signature_hash="sha1"),
        expect=("sharepoint/sts-config.xml",),
        contains=("SharePoint STS signing certificate",),
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_weak_signature_algorithm(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_raw_data_is_pointed_at(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(SHA1_AUTH, CODE, tmp_path), CODE)
    assert finding.location.pointer == "obj[0].RawData"


def test_a_valid_sha1_certificate_gets_the_staged_rotation(tmp_path: Path) -> None:
    case = Case(
        "a valid SHA-1 Exchange Auth certificate",
        bundle(exchange_auth_signature_hash="sha1"),
        expect=("exchange/certificates.xml",),
        fix_contains=(
            "Set-AuthConfig -NewCertificateThumbprint $cert.Thumbprint "
            "-NewCertificateEffectiveDate '2026-11-23T00:00:00Z'",
        ),
    )
    (finding,) = findings_of(check_case(case, CODE, tmp_path), CODE)
    # The emergency sequence belongs to an expired certificate only.
    assert "PublishCertificate" not in finding.fix and "(Get-Date)" not in finding.fix


def test_a_sha1_lync_certificate_is_renewed_with_a_roll(tmp_path: Path) -> None:
    case = Case(
        "a SHA-1 OAuth certificate",
        bundle(oauth_signature_hash="sha1"),
        expect=("certs/oauth-token-issuer.cer",),
        fix_contains=(
            "Request-CsCertificate -New -Type OAuthTokenIssuer",
            "-Roll -EffectiveDate '2026-11-23T00:00:00Z'",
        ),
    )
    check_case(case, CODE, tmp_path)
