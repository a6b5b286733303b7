"""SPS004 sharepoint-oauth-over-http."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec, spec

from s2slint.testing import Case, case_id, check_case

CODE = "SPS004"
HTTP_URL = "http://sharepoint.litwareinc.com/_layouts/15/metadata/json/1"
HTTPS_FIX = (
    "Set-CsPartnerApplication -Identity 'microsoft.sharepoint' "
    "-MetadataUrl 'https://sharepoint.litwareinc.com/_layouts/15/metadata/json/1'"
)

CASES = (
    Case("https only", sharepoint_spec(), checked=2),
    Case(
        "the token service allows OAuth over http",
        sharepoint_spec(sharepoint_allow_oauth_over_http=True),
        expect=("sharepoint/sts-config.xml",),
        contains=("AllowOAuthOverHttp True",),
        fix_contains=("$config.AllowOAuthOverHttp = $false\n$config.Update()",),
    ),
    Case(
        "Lync reads metadata over http, which SharePoint serves",
        sharepoint_spec(sharepoint_metadata_url=HTTP_URL, sharepoint_allow_metadata_over_http=True),
        expect=("lync/partner-applications.xml",),
        contains=(f'reads SharePoint\'s metadata over http ("{HTTP_URL}")',),
        fix_contains=(HTTPS_FIX,),
    ),
    Case(
        "an http URL SharePoint refuses is SPS005's",
        sharepoint_spec(sharepoint_metadata_url=HTTP_URL),
        checked=2,
    ),
    Case(
        "both",
        sharepoint_spec(
            sharepoint_metadata_url=HTTP_URL,
            sharepoint_allow_metadata_over_http=True,
            sharepoint_allow_oauth_over_http=True,
        ),
        expect=("lync/partner-applications.xml", "sharepoint/sts-config.xml"),
    ),
    Case("no SharePoint exports", spec(), outcome="not evaluated"),
    Case(
        "Lync trusts no SharePoint farm",
        sharepoint_spec(
            partner_trust_levels=(("microsoft.exchange", "Full"),),
            sharepoint_allow_oauth_over_http=True,
        ),
        outcome="not applicable",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_sharepoint_oauth_over_http(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)
