"""CRT015 auth-cert-missing-on-server and CRT016 auth-next-cert-missing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome
from cert_bundles import (
    auth_config_next,
    auth_thumbprint,
    days_after,
    exchange_certificates_export,
    exchange_certificates_properties_export,
    exchange_servers_export,
    make_certificate,
    write_spec,
)
from cryptography import x509

from s2slint.config import Config
from s2slint.findings import Issue
from s2slint.rule import Evaluated, NotEvaluated

EXCH2 = "atl-exch-002.litwareinc.com"


def _second_server(bundle: Path, role: str = "Mailbox") -> None:
    """Add ATL-EXCH-002 to the organisation (a second Get-ExchangeServer export)."""
    exchange_servers_export(
        bundle / "exchange" / "exchange-servers-2.xml", [("ATL-EXCH-002", EXCH2, role)]
    )


def _iis_only(label: str) -> list[x509.Certificate]:
    certificate, _ = make_certificate(label, subject_cn="mail.litwareinc.com")
    return [certificate]


# ------------------------------------------------------------------------- CRT015


def test_the_auth_certificate_on_every_server_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "CRT015") == []
    assert outcome(result, "CRT015") == Evaluated((), 1)


def test_a_server_without_the_auth_certificate_is_named(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    _second_server(bundle)
    exchange_certificates_export(
        bundle / "exchange" / "atl-exch-002-certificates.xml", _iis_only("iis-2"), EXCH2
    )
    result = lint_path(bundle)
    (finding,) = findings(result, "CRT015")
    assert finding.location.path == "exchange/atl-exch-002-certificates.xml"
    assert finding.message.startswith(
        f"Exchange server ATL-EXCH-002 ({EXCH2}) lacks the Exchange Auth certificate "
        f"{auth_thumbprint(bundle)}"
    )
    # Get-AuthConfig names the certificate; Get-ExchangeServer names the server.
    assert [(r.path, r.pointer) for r in finding.related] == [
        ("exchange/auth-config.xml", "obj[0].CurrentCertificateThumbprint"),
        ("exchange/exchange-servers-2.xml", "obj[0].Name"),
    ]
    issue = Issue(finding.message, finding.location, finding.related, finding.key)
    assert outcome(result, "CRT015") == Evaluated((issue,), 2)


def test_a_short_computer_name_and_a_local_export_are_attributed(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    _second_server(bundle)
    # A local export: no PSComputerName, the server is in Identity (SERVER\thumbprint).
    exchange_certificates_properties_export(
        bundle / "exchange" / "local.xml",
        "ATL-EXCH-002",
        [("5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C0D1E2F3A4B", 2048, days_after(-100), days_after(400))],
    )
    (finding,) = findings(lint_path(bundle), "CRT015")
    assert "ATL-EXCH-002" in finding.message


def test_a_server_without_an_export_is_not_assumed_to_lack_it(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    _second_server(bundle)
    result = lint_path(bundle)
    assert findings(result, "CRT015") == []
    assert outcome(result, "CRT015") == Evaluated((), 1)


def test_an_edge_server_needs_no_auth_certificate(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    _second_server(bundle, role="Edge")
    exchange_certificates_export(
        bundle / "exchange" / "edge-certificates.xml", _iis_only("edge"), EXCH2
    )
    assert findings(lint_path(bundle), "CRT015") == []


def test_without_a_certificate_export_crt015_is_not_evaluated(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    (bundle / "exchange" / "certificates.xml").unlink()
    result = lint_path(bundle)
    assert isinstance(outcome(result, "CRT015"), NotEvaluated)


def test_without_auth_config_crt015_and_crt016_are_not_evaluated(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    (bundle / "exchange" / "auth-config.xml").unlink()
    result = lint_path(bundle)
    assert isinstance(outcome(result, "CRT015"), NotEvaluated)
    assert isinstance(outcome(result, "CRT016"), NotEvaluated)


# ------------------------------------------------------------------------- CRT016


def test_a_certificate_far_from_expiry_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "CRT016") == []
    assert outcome(result, "CRT016") == Evaluated((), 1)


def test_expiry_within_warn_days_without_next_certificate_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_auth_not_after=days_after(60))
    (finding,) = findings(result, "CRT016")
    assert finding.location.path == "exchange/auth-config.xml"
    assert finding.location.pointer == "obj[0].NextCertificateThumbprint"
    assert "expires on 2027-01-20 00:00 UTC and no next certificate is configured" in (
        finding.message
    )
    assert [r.path for r in finding.related] == ["exchange/certificates.xml"]


def test_one_second_beyond_warn_days_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_auth_not_after=days_after(60) + timedelta(seconds=1))
    assert findings(result, "CRT016") == []


def test_a_configured_next_certificate_passes(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path, exchange_auth_not_after=days_after(30))
    auth_config_next(bundle, "7D3E9A0C61B24F85A1C9E0D2B3F4A5C6D7E8F901", days_after(20))
    assert findings(lint_path(bundle), "CRT016") == []


def test_crt016_warn_days_is_an_option(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path, exchange_auth_not_after=days_after(30))
    config = Config(root=bundle, rule_settings={"CRT016": {"warn-days": 29}})
    assert findings(lint_path(bundle, config), "CRT016") == []
    assert len(findings(lint_path(bundle), "CRT016")) == 1


def test_an_expired_certificate_without_next_is_reported_too(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        exchange_auth_not_before=datetime(2021, 6, 1, tzinfo=UTC),
        exchange_auth_not_after=datetime(2026, 6, 1, tzinfo=UTC),
    )
    (finding,) = findings(result, "CRT016")
    assert "expired on 2026-06-01" in finding.message
