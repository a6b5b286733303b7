"""CRT009 weak-signature-algorithm, CRT012 unsupported-key-type, CRT013 missing-digital-signature-usage."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome
from cert_bundles import (
    auth_thumbprint,
    exchange_certificates_properties_export,
    make_certificate,
    replace_oauth_certificate,
    write_spec,
)

from s2slint.rule import Evaluated, NotEvaluated

FAR = datetime(2030, 6, 1, tzinfo=UTC)


def test_healthy_certificates_pass(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert outcome(result, "CRT009") == Evaluated((), 2)
    assert outcome(result, "CRT012") == Evaluated((), 1)  # the OAuth certificate only
    assert outcome(result, "CRT013") == Evaluated((), 2)


# ------------------------------------------------------------------------- CRT009


def test_a_sha1_oauth_certificate_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_signature_hash="sha1")
    (finding,) = findings(result, "CRT009")
    assert finding.location.path == "certs/oauth-token-issuer.cer"
    assert finding.message.startswith("OAuthTokenIssuer certificate")
    assert finding.message.endswith("is signed with SHA-1; use a certificate signed with SHA-256")


def test_a_sha1_exchange_auth_certificate_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_auth_signature_hash="sha1")
    (finding,) = findings(result, "CRT009")
    assert finding.location.path == "exchange/certificates.xml"
    assert finding.location.pointer == "obj[0].RawData"


def test_without_any_certificate_the_signature_rules_are_not_evaluated(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path, include_oauth_cer=False)
    (bundle / "exchange" / "certificates.xml").unlink()
    result = lint_path(bundle)
    for code in ("CRT009", "CRT012", "CRT013"):
        assert isinstance(outcome(result, code), NotEvaluated), code


# ------------------------------------------------------------------------- CRT012


def test_an_elliptic_curve_oauth_certificate_is_reported(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    certificate, _ = make_certificate("oauth-ec", key_type="ec")
    replace_oauth_certificate(bundle, certificate)
    result = lint_path(bundle)
    (finding,) = findings(result, "CRT012")
    assert finding.location.path == "certs/oauth-token-issuer.cer"
    assert "has an EC key; Lync signs OAuth tokens with RSA keys only" in finding.message
    # An EC key has no RSA size to judge: CRT003 does not report it.
    assert findings(result, "CRT003") == []


def test_without_certificate_files_crt012_is_not_evaluated(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, include_oauth_cer=False)
    assert isinstance(outcome(result, "CRT012"), NotEvaluated)


# ------------------------------------------------------------------------- CRT013


def test_a_key_usage_without_digital_signature_is_reported(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    certificate, _ = make_certificate("oauth-encipher-only", digital_signature=False)
    replace_oauth_certificate(bundle, certificate)
    (finding,) = findings(lint_path(bundle), "CRT013")
    assert finding.location.path == "certs/oauth-token-issuer.cer"
    assert "KeyUsage extension without digitalSignature" in finding.message


def test_a_property_export_does_not_show_the_key_usage(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    (bundle / "exchange" / "certificates.xml").unlink()
    exchange_certificates_properties_export(
        bundle / "exchange" / "certificates-local.xml",
        "ATL-EXCH-001",
        [(auth_thumbprint(bundle), 2048, datetime(2025, 6, 1, tzinfo=UTC), FAR)],
    )
    result = lint_path(bundle)
    assert findings(result, "CRT013") == [] and findings(result, "CRT009") == []
    # Only the OAuth certificate's extension and signature could be seen.
    assert outcome(result, "CRT013") == Evaluated((), 1)
    assert outcome(result, "CRT009") == Evaluated((), 1)
