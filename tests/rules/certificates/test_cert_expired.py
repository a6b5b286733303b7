"""CRT006 cert-expired."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import fixturegen
import pytest
from bundle_lint import sharepoint_spec
from cert_bundles import FRONT_ENDS, bundle, days_after, edit_text, unlink
from conftest import SAMPLES

from s2slint.testing import Case, case_id, check_case, findings_of, lint_bundle

CODE = "CRT006"
PAST = datetime(2024, 1, 15, 14, tzinfo=UTC)
EXPIRED = {"oauth_not_before": PAST, "oauth_not_after": datetime(2026, 11, 20, 14, tzinfo=UTC)}
AUTH_EXPIRED = {
    "exchange_auth_not_before": datetime(2021, 6, 1, tzinfo=UTC),
    "exchange_auth_not_after": datetime(2026, 6, 1, tzinfo=UTC),
}

OAUTH_EXPIRED = Case(
    "an expired OAuth certificate",
    bundle(**EXPIRED),
    expect=("certs/oauth-token-issuer.cer",),
    contains=(
        'OAuthTokenIssuer certificate "CN=litwareinc.com,',
        "expired on 2026-11-20 14:00 UTC",
    ),
    # Replaced at once, then Exchange reads Lync's metadata again.
    fix_contains=(
        "Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $cert.Thumbprint",
        "Set-PartnerApplication -Identity 'LyncEnterprise-",
        "-RefreshAuthMetadata",
    ),
)
AUTH_EXPIRED_CASE = Case(
    "an expired Exchange Auth certificate",
    bundle(**AUTH_EXPIRED),
    expect=("exchange/certificates.xml",),
    contains=('Exchange Auth certificate "CN=Microsoft Exchange Server',),
    # The emergency sequence, on the hybrid fixture's one Exchange server.
    fix_contains=(
        "Set-AuthConfig -NewCertificateThumbprint $cert.Thumbprint "
        "-NewCertificateEffectiveDate (Get-Date)",
        "Set-AuthConfig -PublishCertificate",
        "Set-AuthConfig -ClearPreviousCertificate",
        "Invoke-Command -ComputerName 'atl-exch-001.litwareinc.com' -ScriptBlock "
        "{ Restart-Service MSExchangeServiceHost; Restart-WebAppPool MSExchangeOWAAppPool; "
        "Restart-WebAppPool MSExchangeECPAppPool }",
        "Hybrid Configuration Wizard",
    ),
)
FROM_ASSIGNMENT = Case(
    "without the certificate file the Get-CsCertificate dates are read",
    bundle(include_oauth_cer=False, **EXPIRED),
    expect=(f"servers/{FRONT_ENDS[0]}/certificates.xml",),
)

STS_EXPIRED = {
    "sharepoint_sts_not_before": datetime(2016, 3, 10, tzinfo=UTC),
    "sharepoint_sts_not_after": datetime(2026, 3, 10, tzinfo=UTC),
}


def _sts_without_rawdata(tmp_path: Path) -> Path:
    """SharePoint's STS export with the certificate's properties but not its RawData."""
    folder = sharepoint_spec(**STS_EXPIRED)(tmp_path)
    edit_text(
        folder / "sharepoint" / "sts-config.xml",
        lambda text: re.sub(r'\s*<BA N="RawData">[^<]*</BA>', "", text),
    )
    return folder


CASES = (
    # The OAuth certificate and the Exchange Auth certificate were checked.
    Case("valid certificates pass", bundle(), checked=2),
    OAUTH_EXPIRED,
    AUTH_EXPIRED_CASE,
    FROM_ASSIGNMENT,
    # Catalogue v2: a certificate a roll replaced is no longer in force.
    Case(
        "a certificate a roll replaced expired after the roll took effect",
        bundle(oauth_not_after=days_after(-1), oauth_roll_effective=days_after(-2)),
        checked=2,  # the roll now in force and the Exchange Auth certificate
    ),
    Case(
        "nothing in scope",
        bundle(unlink("exchange/auth-config.xml"), omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
    Case(
        "SharePoint's STS certificate expired",
        sharepoint_spec(**STS_EXPIRED),
        expect=("sharepoint/sts-config.xml",),
        contains=("SharePoint STS signing certificate",),
    ),
    Case(
        "SharePoint's STS certificate expired, read from its properties (no RawData)",
        _sts_without_rawdata,
        expect=("sharepoint/sts-config.xml",),
        contains=("expired on 2026-03-10",),
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_cert_expired(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_expired_is_not_expiring_soon(tmp_path: Path) -> None:
    result = check_case(OAUTH_EXPIRED, CODE, tmp_path)
    (finding,) = findings_of(result, CODE)
    assert finding.message.endswith("expired on 2026-11-20 14:00 UTC")
    assert findings_of(result, "CRT008") == []


def test_a_pfx_and_a_cer_of_the_same_certificate_are_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", "Litware-Pfx-2026!")
    case = Case(
        "a .cer and a .pfx",
        bundle(include_oauth_pfx=True, **EXPIRED),
        expect=("certs/oauth-token-issuer.cer",),
    )
    (finding,) = findings_of(check_case(case, CODE, tmp_path), CODE)
    assert [r.path for r in finding.related] == ["certs/oauth-token-issuer.pfx"]


def test_the_assignment_dates_of_every_front_end_are_related(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(FROM_ASSIGNMENT, CODE, tmp_path), CODE)
    assert finding.location.pointer is not None and finding.location.pointer.endswith(".NotAfter")
    assert len(finding.related) == 2  # the other Front Ends print the same date


def test_genuine_exchange_2019_files_report_the_expired_sha1_auth_certificate() -> None:
    if not SAMPLES.is_dir():
        pytest.skip("the genuine samples are not beside the project")
    result = lint_bundle(SAMPLES)
    auth = "C3EDCF181EF4F9B53D01768ECA99564014BCA6E7"
    (expired,) = findings_of(result, CODE)
    (sha1,) = findings_of(result, "CRT009")
    for finding in (expired, sha1):
        assert finding.location.path == "exchange2019-GetExchangeCertificate.xml"
        assert finding.location.pointer == "obj[0].RawData"
        assert "Exchange Auth certificate " in finding.message and auth in finding.message
    assert "expired on 2024-11-06 22:47 UTC" in expired.message
    assert "signed with SHA-1" in sha1.message
    # Expired: CRT006's alone (one cause, one finding); the certificate is on its server.
    assert findings_of(result, "CRT016") == []
    assert findings_of(result, "CRT015") == [] and findings_of(result, "CRT011") == []


def test_an_expired_lync_certificate_is_never_rolled_in_later(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(OAUTH_EXPIRED, CODE, tmp_path), CODE)
    assert "-Roll" not in finding.fix and "AddDays" not in finding.fix


def test_a_valid_staged_roll_is_put_in_force_at_once(tmp_path: Path) -> None:
    spec_changes: dict[str, object] = {**EXPIRED, "oauth_roll_effective": days_after(3)}
    roll = fixturegen.oauth_roll_thumbprint(replace(fixturegen.BundleSpec(), **spec_changes))  # type: ignore[arg-type]
    case = Case(
        "expired, with a renewed certificate staged",
        bundle(**spec_changes),
        expect=("certs/oauth-token-issuer.cer",),
        fix_contains=(
            f"Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint {roll}",
        ),
    )
    (finding,) = findings_of(check_case(case, CODE, tmp_path), CODE)
    assert "Request-CsCertificate" not in finding.fix


def test_without_hybrid_the_wizard_is_not_run(tmp_path: Path) -> None:
    case = Case(
        "expired, Exchange not hybrid",
        bundle(exchange_hybrid=False, **AUTH_EXPIRED),
        expect=("exchange/certificates.xml",),
        fix_contains=("Set-AuthConfig -PublishCertificate",),
    )
    (finding,) = findings_of(check_case(case, CODE, tmp_path), CODE)
    assert "Hybrid Configuration Wizard" not in finding.fix
