"""CRT010 private-key-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome
from cert_bundles import assign_oauth, make_certificate, oauth_certificate, unkeyed_pfx, write_spec
from cryptography.hazmat.primitives import serialization

from s2slint.rule import Evaluated, NotEvaluated


def test_a_pfx_with_its_key_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", "Litware-Pfx-2026!")
    result = lint_spec(tmp_path, include_oauth_cer=False, include_oauth_pfx=True)
    assert findings(result, "CRT010") == []
    assert outcome(result, "CRT010") == Evaluated((), 1)


def test_a_cer_file_carries_no_key_by_design(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "CRT010") == []
    assert outcome(result, "CRT010") == Evaluated((), 0)


def test_a_pfx_without_the_private_key_is_reported(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    (bundle / "certs" / "oauth-token-issuer.pfx").write_bytes(
        unkeyed_pfx(oauth_certificate(bundle))
    )
    result = lint_path(bundle)
    (finding,) = findings(result, "CRT010")
    assert finding.location.path == "certs/oauth-token-issuer.pfx"
    assert finding.message.startswith("OAuthTokenIssuer certificate")
    assert finding.message.endswith("is in a PFX file without its private key")
    assert [r.path for r in finding.related] == ["certs/oauth-token-issuer.cer"]


def test_a_key_of_another_certificate_is_reported(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    certificate, _ = make_certificate("oauth-pem")
    assign_oauth(bundle, certificate)
    (bundle / "certs" / "oauth-token-issuer.cer").unlink()
    _, other_key = make_certificate("someone-else")
    pem = certificate.public_bytes(serialization.Encoding.PEM) + other_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (bundle / "certs" / "oauth-token-issuer.pem").write_bytes(pem)
    (finding,) = findings(lint_path(bundle), "CRT010")
    assert finding.location.path == "certs/oauth-token-issuer.pem"
    assert "does not belong to the certificate" in finding.message


def test_without_certificate_files_the_rule_is_not_evaluated(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, include_oauth_cer=False)
    assert isinstance(outcome(result, "CRT010"), NotEvaluated)
