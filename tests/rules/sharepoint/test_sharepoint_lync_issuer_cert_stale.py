"""SPS003 sharepoint-lync-issuer-cert-stale."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec, spec
from cert_bundles import FRONT_ENDS, integrated_thumbprint, staged_oauth_roll

from s2slint.testing import BundleWriter, Case, case_id, check_case

CODE = "SPS003"
ISSUERS = "sharepoint/trusted-issuers.xml"
PREVIOUS = integrated_thumbprint("previous-oauth")
CURRENT = integrated_thumbprint("oauth")
ROLL_DATE = datetime(2026, 12, 1, 14, tzinfo=UTC)


def rolled_to_previous(**changes: object) -> BundleWriter:
    """Lync stages a roll (effective 2026-12-01) to the certificate SharePoint holds.

    The rolled certificate is the fixture's "previous" one: what matters here is only
    that its thumbprint is staged, then in force after the roll date.
    """
    writer = sharepoint_spec(**changes)

    def write(tmp_path: Path) -> Path:
        folder = writer(tmp_path)
        staged_oauth_roll(PREVIOUS, ROLL_DATE)(folder)
        return folder

    return write


CASES = (
    Case("SharePoint holds Lync's certificate in force", sharepoint_spec(), checked=1),
    Case(
        "SharePoint holds the certificate Lync replaced",
        sharepoint_spec(sharepoint_lync_issuer_certificate="previous"),
        expect=(ISSUERS,),
        contains=(f"trusts the signing certificate {PREVIOUS}", f"in force ({CURRENT})"),
        fix_contains=(
            "Set-SPTrustedSecurityTokenIssuer -Identity 'Skype for Business Server' "
            "-MetadataEndPoint 'https://atl-cs-001.litwareinc.com/metadata/json/1'",
        ),
    ),
    Case(
        "SharePoint already holds Lync's staged roll",
        rolled_to_previous(sharepoint_lync_issuer_certificate="previous"),
        checked=1,
    ),
    Case(
        "after the roll date SharePoint still holds the certificate rolled away from",
        rolled_to_previous(),
        as_of=datetime(2026, 12, 2, tzinfo=UTC),
        expect=(ISSUERS,),
        contains=(f"in force ({PREVIOUS})",),
    ),
    Case(
        "before the roll date the certificate in force is still fine",
        rolled_to_previous(),
        checked=1,
    ),
    Case(
        "an issuer made from a certificate file is refreshed from a file",
        sharepoint_spec(
            sharepoint_lync_issuer_certificate="previous", sharepoint_lync_issuer_metadata_url=""
        ),
        expect=(ISSUERS,),
        fix_contains=("$certificate = Get-PfxCertificate -FilePath $file",),
    ),
    Case(
        "the export does not show the signing certificate",
        sharepoint_spec(sharepoint_lync_issuer_certificate="none"),
        checked=0,
    ),
    Case("no SharePoint exports", spec(), outcome="not evaluated"),
    Case(
        "no Get-CsCertificate export",
        sharepoint_spec(omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
    Case(
        "Lync trusts no SharePoint farm",
        sharepoint_spec(partner_trust_levels=(("microsoft.exchange", "Full"),)),
        outcome="not applicable",
    ),
    Case(
        "no Get-CsCertificate export, and Lync trusts no SharePoint farm",
        spec(
            partner_trust_levels=(("microsoft.exchange", "Full"),), omit_server_exports=FRONT_ENDS
        ),
        outcome="not applicable",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_sharepoint_lync_issuer_cert_stale(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)
