"""PAP011 wrong-application-identifier."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_spec, spec
from pap_bundles import (
    EXCHANGE_APPS,
    EXCHANGE_ID,
    LYNC_APPS,
    NO_PARTNER_EXPORTS,
    SHAREPOINT_ID,
    assert_documented_fix_valid,
    check_with_fixes,
)

from s2slint.testing import Case, case_id

CASES = (
    Case("well-known identifiers on the right products pass", spec(), checked=3),
    Case(
        "microsoft.exchange with SharePoint's identifier",
        spec(partner_app_ids=(("microsoft.exchange", SHAREPOINT_ID),)),
        expect=(LYNC_APPS,),
        fix_contains=(
            "Remove-CsPartnerApplication -Identity 'microsoft.exchange'\n"
            "New-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full "
            "-MetadataUrl 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'",
        ),
    ),
    Case(
        # The application that is wrong is rebuilt, not microsoft.exchange.
        "microsoft.sharepoint with Exchange's identifier",
        spec(partner_app_ids=(("microsoft.sharepoint", EXCHANGE_ID),)),
        expect=(LYNC_APPS,),
        contains=('"microsoft.sharepoint" is for SharePoint',),
        fix_contains=(
            "Remove-CsPartnerApplication -Identity 'microsoft.sharepoint'\n"
            "New-CsPartnerApplication -Identity 'microsoft.sharepoint' -ApplicationTrustLevel "
            "Full -MetadataUrl 'https://sharepoint.litwareinc.com/_layouts/15/metadata/json/1'",
        ),
    ),
    Case(
        "Exchange's application for Lync with Exchange's identifier",
        spec(exchange_lync_app_id=EXCHANGE_ID),
        expect=(EXCHANGE_APPS,),
        contains=("is for Lync but carries Exchange's ApplicationIdentifier",),
        fix_contains=(
            "Remove-PartnerApplication -Identity 'LyncEnterprise-",
            "-AuthMetadataUrl 'https://atl-cs-001.litwareinc.com/metadata/json/1' "
            "-ApplicationType Lync\niisreset atl-exch-001.litwareinc.com",
        ),
    ),
    Case(
        "SfBLegacy carries Lync's identifier rightly",
        spec(exchange_sfb_legacy=True),
        checked=3,
    ),
    Case("no partner application export", NO_PARTNER_EXPORTS, outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_wrong_application_identifier(case: Case, tmp_path: Path) -> None:
    check_with_fixes(case, "PAP011", tmp_path)


def test_exchange_application_with_sharepoints_identifier_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, partner_app_ids=(("microsoft.exchange", SHAREPOINT_ID),))
    (finding,) = findings(result, "PAP011")
    assert finding.message == (
        'partner application "microsoft.exchange" is for Exchange but carries SharePoint\'s '
        f"ApplicationIdentifier {SHAREPOINT_ID} (expected {EXCHANGE_ID})"
    )
    assert finding.location.pointer == "obj[0].ApplicationIdentifier"
    # PAP001's product detection trusts the identifier: it is SharePoint's app there.
    assert findings(result, "PAP001") == []


def test_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_valid("PAP011")
