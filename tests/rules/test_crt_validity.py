"""CRT006 cert-expired, CRT007 cert-not-yet-valid, CRT008 cert-expiring-soon."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bundle_lint import AS_OF, findings, lint_path, lint_spec, outcome
from cert_bundles import (
    FRONT_ENDS,
    append_objects,
    auth_config_next,
    cs_certificate_entry,
    days_after,
    exchange_certificates_export,
    make_certificate,
    thumbprint,
    write_spec,
)
from conftest import SAMPLES

from s2slint.config import Config
from s2slint.rule import Evaluated, NotEvaluated

PAST = datetime(2024, 1, 15, 14, tzinfo=UTC)
EXPIRED = {"oauth_not_before": PAST, "oauth_not_after": datetime(2026, 11, 20, 14, tzinfo=UTC)}


def test_valid_certificates_pass(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    for code in ("CRT006", "CRT007", "CRT008"):
        assert findings(result, code) == []
        # The OAuth certificate and the Exchange Auth certificate were checked.
        assert outcome(result, code) == Evaluated((), 2)


# ------------------------------------------------------------------------- CRT006


def test_an_expired_oauth_certificate_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, **EXPIRED)
    (finding,) = findings(result, "CRT006")
    assert finding.location.path == "certs/oauth-token-issuer.cer"
    assert finding.message.startswith('OAuthTokenIssuer certificate "CN=litwareinc.com,')
    assert finding.message.endswith("expired on 2026-11-20 14:00 UTC")
    assert findings(result, "CRT008") == []  # expired is not "expiring soon"


def test_an_expired_exchange_auth_certificate_is_reported(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        exchange_auth_not_before=datetime(2021, 6, 1, tzinfo=UTC),
        exchange_auth_not_after=datetime(2026, 6, 1, tzinfo=UTC),
    )
    (finding,) = findings(result, "CRT006")
    assert finding.location.path == "exchange/certificates.xml"
    assert finding.message.startswith('Exchange Auth certificate "CN=Microsoft Exchange Server')


def test_a_pfx_and_a_cer_of_the_same_certificate_are_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", "Litware-Pfx-2026!")
    result = lint_spec(tmp_path, include_oauth_pfx=True, **EXPIRED)
    (finding,) = findings(result, "CRT006")
    assert finding.location.path == "certs/oauth-token-issuer.cer"
    assert [r.path for r in finding.related] == ["certs/oauth-token-issuer.pfx"]


def test_without_the_certificate_file_get_cscertificate_dates_are_read(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, include_oauth_cer=False, **EXPIRED)
    (finding,) = findings(result, "CRT006")
    assert finding.location.path == f"servers/{FRONT_ENDS[0]}/certificates.xml"
    assert finding.location.pointer is not None and finding.location.pointer.endswith(".NotAfter")
    assert len(finding.related) == 2  # the other Front Ends print the same date


def test_nothing_in_scope_is_not_evaluated(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path, omit_server_exports=FRONT_ENDS)
    (bundle / "exchange" / "auth-config.xml").unlink()
    result = lint_path(bundle)
    for code in ("CRT006", "CRT007", "CRT008"):
        assert isinstance(outcome(result, code), NotEvaluated)


def test_genuine_exchange_2019_files_report_the_expired_sha1_auth_certificate() -> None:
    if not SAMPLES.is_dir():
        pytest.skip("the genuine samples are not beside the project")
    result = lint_path(SAMPLES)
    auth = "C3EDCF181EF4F9B53D01768ECA99564014BCA6E7"
    (expired,) = findings(result, "CRT006")
    (sha1,) = findings(result, "CRT009")
    for finding in (expired, sha1):
        assert finding.location.path == "exchange2019-GetExchangeCertificate.xml"
        assert finding.location.pointer == "obj[0].RawData"
        assert "Exchange Auth certificate " in finding.message and auth in finding.message
    assert "expired on 2024-11-06 22:47 UTC" in expired.message
    assert "signed with SHA-1" in sha1.message
    # Nothing configured to take over: CRT016 says so; the certificate is on its server.
    assert len(findings(result, "CRT016")) == 1
    assert findings(result, "CRT015") == [] and findings(result, "CRT011") == []


# ------------------------------------------------------------------------- CRT007


def test_a_certificate_not_yet_valid_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_not_before=datetime(2026, 12, 1, tzinfo=UTC))
    (finding,) = findings(result, "CRT007")
    assert finding.location.path == "certs/oauth-token-issuer.cer"
    assert "is not valid before 2026-12-01 00:00 UTC" in finding.message


def test_a_certificate_valid_from_the_evaluation_date_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_not_before=AS_OF)
    assert findings(result, "CRT007") == []


# ------------------------------------------------------------------------- CRT008


def test_a_current_certificate_expiring_within_warn_days_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_not_after=days_after(60))
    (finding,) = findings(result, "CRT008")
    assert finding.location.path == "certs/oauth-token-issuer.cer"
    assert "expires on 2027-01-20 00:00 UTC, in 60 days (within 60 days" in finding.message


def test_one_second_beyond_warn_days_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_not_after=days_after(60) + timedelta(seconds=1))
    assert findings(result, "CRT008") == []
    assert outcome(result, "CRT008") == Evaluated((), 2)


def test_warn_days_is_an_option(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path, oauth_not_after=days_after(90))
    assert findings(lint_path(bundle), "CRT008") == []
    config = Config(root=bundle, rule_settings={"CRT008": {"warn-days": 90}})
    assert len(findings(lint_path(bundle, config), "CRT008")) == 1


def _next_exchange_certificate(bundle: Path, not_after: datetime) -> str:
    """Stage a next Exchange Auth certificate (in AuthConfig and the certificate export)."""
    certificate, _ = make_certificate(
        "exchange-auth-next",
        subject_cn="Microsoft Exchange Server Auth Certificate",
        dns_names=(),
        not_before=datetime(2026, 11, 1, tzinfo=UTC),
        not_after=not_after,
    )
    exchange_certificates_export(
        bundle / "exchange" / "certificates-next.xml", [certificate], "atl-exch-001.litwareinc.com"
    )
    auth_config_next(bundle, thumbprint(certificate), days_after(5))
    return thumbprint(certificate)


def test_a_next_exchange_certificate_uses_next_warn_days(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    print_ = _next_exchange_certificate(bundle, days_after(120))
    (finding,) = findings(lint_path(bundle), "CRT008")
    assert finding.message.startswith('next Exchange Auth certificate "CN=Microsoft')
    assert print_ in finding.message and "within 120 days" in finding.message


def test_a_next_exchange_certificate_beyond_next_warn_days_passes(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    _next_exchange_certificate(bundle, days_after(121))
    result = lint_path(bundle)
    assert findings(result, "CRT008") == []
    assert outcome(result, "CRT008") == Evaluated((), 3)


def test_a_rolled_lync_certificate_uses_next_warn_days(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    rolled, _ = make_certificate("oauth-rolled", not_after=days_after(100))
    entry = cs_certificate_entry(
        thumbprint(rolled),
        not_before=datetime(2026, 11, 1, tzinfo=UTC),
        not_after=days_after(100),
        effective=days_after(10),
    )
    append_objects(bundle / "servers" / FRONT_ENDS[0] / "certificates.xml", entry)
    (finding,) = findings(lint_path(bundle), "CRT008")
    assert finding.message.startswith("rolled OAuthTokenIssuer certificate")
    assert "within 120 days" in finding.message
    config = Config(root=bundle, rule_settings={"CRT008": {"next-warn-days": 99}})
    assert findings(lint_path(bundle, config), "CRT008") == []
