"""SPS005 sharepoint-metadata-http-refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec, spec
from cert_bundles import edit_text

from s2slint.testing import Case, case_id, check_case

CODE = "SPS005"
HTTP_URL = "http://sharepoint.litwareinc.com/_layouts/15/metadata/json/1"


def setting_not_exported(tmp_path: Path) -> Path:
    bundle = sharepoint_spec(sharepoint_metadata_url=HTTP_URL)(tmp_path)
    edit_text(
        bundle / "sharepoint" / "sts-config.xml",
        lambda text: text.replace('<B N="AllowMetadataOverHttp">false</B>', ""),
    )
    return bundle


CASES = (
    Case("https metadata", sharepoint_spec(), checked=1),
    Case(
        "http metadata that SharePoint refuses to serve",
        sharepoint_spec(sharepoint_metadata_url=HTTP_URL),
        expect=("lync/partner-applications.xml",),
        contains=("AllowMetadataOverHttp False", "the trust never forms"),
        fix_contains=(
            "Set-CsPartnerApplication -Identity 'microsoft.sharepoint' -MetadataUrl "
            "'https://sharepoint.litwareinc.com/_layouts/15/metadata/json/1'",
        ),
    ),
    Case(
        "http metadata that SharePoint serves is SPS004's",
        sharepoint_spec(sharepoint_metadata_url=HTTP_URL, sharepoint_allow_metadata_over_http=True),
        checked=1,
    ),
    Case("the export does not show the setting", setting_not_exported, checked=0),
    Case("no SharePoint exports", spec(sharepoint_metadata_url=HTTP_URL), outcome="not evaluated"),
    Case(
        "Lync trusts no SharePoint farm",
        sharepoint_spec(partner_trust_levels=(("microsoft.exchange", "Full"),)),
        outcome="not applicable",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_sharepoint_metadata_http_refused(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)
