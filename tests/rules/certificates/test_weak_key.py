"""CRT003 weak-key."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec
from cert_bundles import (
    auth_thumbprint,
    bundle,
    exchange_certificates_properties_export,
    unlink,
)

from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "CRT003"
PFX_PASSWORD = "Litware-Pfx-2026!"


def _local_export_1024(folder: Path) -> None:
    """Replace the Exchange export by a local one (no RawData, PublicKeySize 1024).

    Its thumbprint is written in lower case with spaces, as the local shell may show it.
    """
    (folder / "exchange" / "certificates.xml").unlink()
    current = auth_thumbprint(folder)
    spaced = " ".join(current[i : i + 2] for i in range(0, len(current), 2)).lower()
    exchange_certificates_properties_export(
        folder / "exchange" / "certificates-local.xml",
        "ATL-EXCH-001",
        [(spaced, 1024, datetime(2025, 6, 1, tzinfo=UTC), datetime(2030, 6, 1, tzinfo=UTC))],
    )


OAUTH_1024 = Case(
    "a 1024-bit OAuth certificate",
    bundle(oauth_key_bits=1024),
    expect=("certs/oauth-token-issuer.cer",),
    contains=("1024-bit RSA key; at least 2048 bits are required",),
    fix_contains=("-KeySize 2048", "-Roll -EffectiveDate '2026-11-23T00:00:00Z'"),
)
PFX_1024 = Case(
    "a PFX with the password is checked too",
    bundle(include_oauth_cer=False, include_oauth_pfx=True, oauth_key_bits=1024),
    expect=("certs/oauth-token-issuer.pfx",),
)
RAISED_BAR = Case(
    "min-key-bits raises the bar for both certificates",
    bundle(),
    options={"min-key-bits": 3072},
    expect=("certs/oauth-token-issuer.cer", "exchange/certificates.xml"),
)

CASES = (
    # The OAuth certificate (.cer) and the Exchange Auth certificate (RawData) were checked.
    Case("2048-bit keys pass", bundle(), checked=2),
    OAUTH_1024,
    RAISED_BAR,
    # Only the Exchange Auth certificate is left to check; the weak OAuth key is unseen.
    Case(
        "without the certificate file Lync's key is unseen",
        bundle(include_oauth_cer=False, oauth_key_bits=1024),
        checked=1,
    ),
    Case(
        "an export without RawData is judged by its PublicKeySize",
        bundle(_local_export_1024),
        expect=("exchange/certificates-local.xml",),
        contains=("has a 1024-bit key; at least 2048",),
    ),
    Case(
        "nothing names a certificate in scope",
        bundle(unlink("servers", "exchange")),
        outcome="not evaluated",
    ),
    # SharePoint's token-signing certificate is in scope when its export is there.
    Case("SharePoint's 2048-bit STS certificate passes", sharepoint_spec(), checked=3),
    Case(
        "a 1024-bit SharePoint STS certificate",
        sharepoint_spec(sharepoint_sts_key_bits=1024),
        expect=("sharepoint/sts-config.xml",),
        contains=("SharePoint STS signing certificate", "1024-bit RSA key"),
    ),
    Case(
        "without Get-SPSecurityTokenServiceConfig SharePoint's certificate is out of scope",
        bundle(sharepoint_sts_key_bits=1024),
        checked=2,
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_weak_key(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_message_names_the_role(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(OAUTH_1024, CODE, tmp_path), CODE)
    assert finding.message.startswith("OAuthTokenIssuer certificate")
    reported = findings_of(check_case(RAISED_BAR, CODE, tmp_path / "raised"), CODE)
    assert {f.message.split(" certificate")[0] for f in reported} == {
        "OAuthTokenIssuer",
        "Exchange Auth",
    }


def test_a_pfx_with_its_password_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", PFX_PASSWORD)
    check_case(PFX_1024, CODE, tmp_path)


def test_the_canonical_thumbprint_is_named(tmp_path: Path) -> None:
    result = check_case(CASES[4], CODE, tmp_path)
    (finding,) = findings_of(result, CODE)
    current = auth_thumbprint(tmp_path / "bundle")
    assert f"(thumbprint {current}) has a 1024-bit key" in finding.message


def test_the_scope_names_sharepoints_sts_certificate() -> None:
    # Catalogue v2: SharePoint's STS signing certificate is in scope when exported.
    from s2slint.rules.certificates.weak_key import RULE

    assert "SharePoint's STS signing certificate when exported" in RULE.doc.what
