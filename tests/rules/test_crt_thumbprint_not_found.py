"""CRT011 thumbprint-not-found."""

from __future__ import annotations

from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome
from cert_bundles import (
    FRONT_ENDS,
    auth_config_next,
    auth_thumbprint,
    edit_text,
    make_certificate,
    write_spec,
)
from cryptography.hazmat.primitives import serialization

from s2slint.rule import Evaluated, NotEvaluated

FE1, FE2, FE3 = FRONT_ENDS


def test_every_thumbprint_found_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "CRT011") == []
    assert outcome(result, "CRT011") == Evaluated((), 2)


def test_a_front_end_with_an_unexported_certificate_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, odd_front_end=FE3)
    (finding,) = findings(result, "CRT011")
    assert finding.location.path == f"servers/{FE3}/certificates.xml"
    assert finding.location.pointer is not None and finding.location.pointer.endswith(".Thumbprint")
    assert "(Get-CsCertificate OAuthTokenIssuer assignment) matches no certificate" in (
        finding.message
    )


def test_a_missing_global_certificate_lists_every_assignment(tmp_path: Path) -> None:
    # The bundle holds a certificate file, but another one than the assigned certificate.
    bundle = write_spec(tmp_path)
    unrelated, _ = make_certificate("unrelated", subject_cn="atl-cs-001.litwareinc.com")
    (bundle / "certs" / "oauth-token-issuer.cer").write_bytes(
        unrelated.public_bytes(serialization.Encoding.DER)
    )
    (finding,) = findings(lint_path(bundle), "CRT011")
    assert finding.location.path == f"servers/{FE1}/certificates.xml"
    assert [r.path for r in finding.related] == [
        f"servers/{FE2}/certificates.xml",
        f"servers/{FE3}/certificates.xml",
    ]


def test_a_next_exchange_thumbprint_without_certificate_is_reported(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    auth_config_next(bundle, "7D3E9A0C61B24F85A1C9E0D2B3F4A5C6D7E8F901", None)
    (finding,) = findings(lint_path(bundle), "CRT011")
    assert finding.location.path == "exchange/auth-config.xml"
    assert finding.location.pointer == "obj[0].NextCertificateThumbprint"
    assert finding.message.startswith("next Exchange Auth certificate thumbprint 7D3E9A0C")


def test_a_thumbprint_in_lower_case_with_spaces_is_found(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    current = auth_thumbprint(bundle)
    spaced = " ".join(current[i : i + 2] for i in range(0, len(current), 2)).lower()
    edit_text(bundle / "exchange" / "auth-config.xml", lambda text: text.replace(current, spaced))
    result = lint_path(bundle)
    assert findings(result, "CRT011") == []
    assert outcome(result, "CRT011") == Evaluated((), 2)


def test_an_unreadable_pfx_may_hold_the_certificate(tmp_path: Path) -> None:
    # No password supplied: INP003 reports the PFX; the OAuth thumbprint is unproven.
    result = lint_spec(tmp_path, include_oauth_cer=False, include_oauth_pfx=True)
    assert findings(result, "CRT011") == []
    assert len(findings(result, "INP003")) == 1
    assert outcome(result, "CRT011") == Evaluated((), 1)  # the Exchange one was checked


def test_the_exchange_side_needs_a_certificate_export(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path, omit_server_exports=FRONT_ENDS)
    (bundle / "exchange" / "certificates.xml").unlink()
    # A certificate file is in the bundle, but the Exchange Auth certificate lives in
    # Exchange's store: without Get-ExchangeCertificate it is not reported missing.
    assert isinstance(outcome(lint_path(bundle), "CRT011"), NotEvaluated)
