"""CRT010 private-key-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from cert_bundles import (
    assign_oauth,
    bundle,
    make_certificate,
    oauth_certificate,
    unkeyed_pfx,
)
from cryptography.hazmat.primitives import serialization

from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "CRT010"


def _unkeyed_pfx(folder: Path) -> None:
    """Add a PFX of the OAuth certificate without its private key."""
    (folder / "certs" / "oauth-token-issuer.pfx").write_bytes(
        unkeyed_pfx(oauth_certificate(folder))
    )


def _pem_with_another_key(folder: Path) -> None:
    """Assign a new certificate, given as a PEM bundle with someone else's key."""
    certificate, _ = make_certificate("oauth-pem")
    assign_oauth(folder, certificate)
    (folder / "certs" / "oauth-token-issuer.cer").unlink()
    _, other_key = make_certificate("someone-else")
    pem = certificate.public_bytes(serialization.Encoding.PEM) + other_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (folder / "certs" / "oauth-token-issuer.pem").write_bytes(pem)


UNKEYED = Case(
    "a PFX without the private key",
    bundle(_unkeyed_pfx),
    expect=("certs/oauth-token-issuer.pfx",),
    contains=("OAuthTokenIssuer certificate", "is in a PFX file without its private key"),
    fix_contains=("| Export-PfxCertificate -FilePath '.\\certs\\oauth-token-issuer.pfx'",),
)

CASES = (
    Case("a .cer file carries no key by design", bundle(), checked=0),
    UNKEYED,
    Case(
        "a key of another certificate",
        bundle(_pem_with_another_key),
        expect=("certs/oauth-token-issuer.pem",),
        contains=("does not belong to the certificate",),
        fix_contains=(
            "-FilePath '.\\certs\\oauth-token-issuer.pfx'",
            "Remove-Item -Path '.\\certs\\oauth-token-issuer.pem'",
        ),
    ),
    Case(
        "without certificate files",
        bundle(include_oauth_cer=False),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_private_key_missing(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_a_pfx_with_its_key_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", "Litware-Pfx-2026!")
    case = Case(
        "a PFX with its key",
        bundle(include_oauth_cer=False, include_oauth_pfx=True),
        checked=1,
    )
    check_case(case, CODE, tmp_path)


def test_the_cer_of_the_same_certificate_is_related(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(UNKEYED, CODE, tmp_path), CODE)
    assert finding.message.startswith("OAuthTokenIssuer certificate")
    assert [r.path for r in finding.related] == ["certs/oauth-token-issuer.cer"]
