"""CRT011 thumbprint-not-found."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec
from cert_bundles import (
    FRONT_ENDS,
    auth_config_next,
    auth_thumbprint,
    bundle,
    edit_text,
    make_certificate,
    unlink,
)
from cryptography.hazmat.primitives import serialization

from s2slint.testing import Case, case_id, check_case, findings_of

FE1, FE2, FE3 = FRONT_ENDS
CODE = "CRT011"


def _unrelated_certificate_file(folder: Path) -> None:
    """The bundle holds a certificate file, but another one than the assigned certificate."""
    unrelated, _ = make_certificate("unrelated", subject_cn="atl-cs-001.litwareinc.com")
    (folder / "certs" / "oauth-token-issuer.cer").write_bytes(
        unrelated.public_bytes(serialization.Encoding.DER)
    )


def _unexported_next(folder: Path) -> None:
    auth_config_next(folder, "7D3E9A0C61B24F85A1C9E0D2B3F4A5C6D7E8F901", None)


def _spaced_lower_case(folder: Path) -> None:
    current = auth_thumbprint(folder)
    spaced = " ".join(current[i : i + 2] for i in range(0, len(current), 2)).lower()
    edit_text(folder / "exchange" / "auth-config.xml", lambda text: text.replace(current, spaced))


ODD_FE3 = Case(
    "a Front End with an unexported certificate",
    bundle(odd_front_end=FE3),
    expect=(f"servers/{FE3}/certificates.xml",),
    contains=("(Get-CsCertificate OAuthTokenIssuer assignment) matches no certificate",),
    fix_contains=(f"# on {FE3}: is ",),
)
GLOBAL_MISSING = Case(
    "a missing global certificate lists every assignment",
    bundle(_unrelated_certificate_file),
    expect=(f"servers/{FE1}/certificates.xml",),
)
NEXT_MISSING = Case(
    "a next Exchange thumbprint without certificate",
    bundle(_unexported_next),
    expect=("exchange/auth-config.xml",),
    contains=("next Exchange Auth certificate thumbprint 7D3E9A0C",),
    fix_contains=(
        "Get-ExchangeCertificate -Thumbprint '7D3E9A0C61B24F85A1C9E0D2B3F4A5C6D7E8F901'",
        "Get-ExchangeCertificate | Export-Clixml -Path .\\exchange\\certificates.xml",
    ),
)

CASES = (
    Case("every thumbprint found passes", bundle(), checked=2),
    ODD_FE3,
    GLOBAL_MISSING,
    NEXT_MISSING,
    Case("a thumbprint in lower case with spaces is found", bundle(_spaced_lower_case), checked=2),
    # No password supplied: INP003 reports the PFX; the OAuth thumbprint is unproven.
    Case(
        "an unreadable PFX may hold the certificate",
        bundle(include_oauth_cer=False, include_oauth_pfx=True),
        checked=1,
    ),
    # A certificate file is in the bundle, but the Exchange Auth certificate lives in
    # Exchange's store: without Get-ExchangeCertificate it is not reported missing.
    Case(
        "the Exchange side needs a certificate export",
        bundle(unlink("exchange/certificates.xml"), omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
    # SharePoint's STS certificate is not named by an assignment: out of CRT011's scope.
    Case("SharePoint's STS certificate is not counted", sharepoint_spec(), checked=2),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_thumbprint_not_found(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_odd_thumbprint_is_pointed_at(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(ODD_FE3, CODE, tmp_path), CODE)
    assert finding.location.pointer is not None and finding.location.pointer.endswith(".Thumbprint")


def test_the_other_assignments_are_related(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(GLOBAL_MISSING, CODE, tmp_path), CODE)
    assert [r.path for r in finding.related] == [
        f"servers/{FE2}/certificates.xml",
        f"servers/{FE3}/certificates.xml",
    ]


def test_the_next_thumbprint_is_pointed_at(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(NEXT_MISSING, CODE, tmp_path), CODE)
    assert finding.location.pointer == "obj[0].NextCertificateThumbprint"
    assert finding.message.startswith("next Exchange Auth certificate thumbprint 7D3E9A0C")


def test_the_unreadable_pfx_is_inp003s(tmp_path: Path) -> None:
    result = check_case(CASES[5], CODE, tmp_path)
    assert len(findings_of(result, "INP003")) == 1
