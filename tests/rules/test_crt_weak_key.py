"""CRT003 weak-key."""

from __future__ import annotations

from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome

from s2slint.config import Config
from s2slint.rule import Evaluated, NotEvaluated


def test_2048_bit_keys_pass(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "CRT003") == []
    # The OAuth certificate (.cer) and the Exchange Auth certificate (RawData) were checked.
    assert outcome(result, "CRT003") == Evaluated((), 2)


def test_a_1024_bit_oauth_certificate_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_key_bits=1024)
    (finding,) = findings(result, "CRT003")
    assert finding.location.path == "certs/oauth-token-issuer.cer"
    assert "1024-bit RSA key; at least 2048 bits are required" in finding.message
    assert finding.message.startswith("OAuthTokenIssuer certificate")


def test_min_key_bits_option_raises_the_bar(tmp_path: Path) -> None:
    bundle = tmp_path / "b"
    import fixturegen

    fixturegen.write_bundle(fixturegen.BundleSpec(), bundle)
    config = Config(root=bundle, rule_settings={"CRT003": {"min-key-bits": 3072}})
    result = lint_path(bundle, config)
    reported = findings(result, "CRT003")
    assert len(reported) == 2  # both the OAuth and the Exchange Auth certificate
    assert {f.message.split(" certificate")[0] for f in reported} == {
        "OAuthTokenIssuer",
        "Exchange Auth",
    }


def test_a_pfx_with_the_password_is_checked_too(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", "Litware-Pfx-2026!")
    result = lint_spec(
        tmp_path, include_oauth_cer=False, include_oauth_pfx=True, oauth_key_bits=1024
    )
    (finding,) = findings(result, "CRT003")
    assert finding.location.path == "certs/oauth-token-issuer.pfx"


def test_without_the_certificate_file_the_rule_is_not_evaluated_for_lync(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, include_oauth_cer=False, oauth_key_bits=1024)
    # Only the Exchange Auth certificate is left to check; the weak OAuth key is unseen.
    assert outcome(result, "CRT003") == Evaluated((), 1)


def test_nothing_names_a_certificate_in_scope(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    bundle = tmp_path / "bundle"
    for folder in ("servers", "exchange"):
        for path in sorted((bundle / folder).rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    result = lint_path(bundle)
    assert isinstance(outcome(result, "CRT003"), NotEvaluated)


def test_an_exchange_export_without_rawdata_is_judged_by_public_key_size(tmp_path: Path) -> None:
    # A local Get-ExchangeCertificate export has no RawData: the key type is unknown but
    # PublicKeySize is there. Its thumbprint is written in lower case with spaces.
    from datetime import UTC, datetime

    from cert_bundles import auth_thumbprint, exchange_certificates_properties_export, write_spec

    bundle = write_spec(tmp_path)
    (bundle / "exchange" / "certificates.xml").unlink()
    current = auth_thumbprint(bundle)
    spaced = " ".join(current[i : i + 2] for i in range(0, len(current), 2)).lower()
    exchange_certificates_properties_export(
        bundle / "exchange" / "certificates-local.xml",
        "ATL-EXCH-001",
        [(spaced, 1024, datetime(2025, 6, 1, tzinfo=UTC), datetime(2030, 6, 1, tzinfo=UTC))],
    )
    result = lint_path(bundle)
    (finding,) = findings(result, "CRT003")
    assert finding.location.path == "exchange/certificates-local.xml"
    assert f"(thumbprint {current}) has a 1024-bit key; at least 2048" in finding.message
