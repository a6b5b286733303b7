"""PAP003 metadata-url-not-https."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_spec, spec
from pap_bundles import (
    EXCHANGE_APPS,
    LYNC_APPS,
    NO_PARTNER_EXPORTS,
    assert_documented_fix_valid,
    check_with_fixes,
)

from s2slint.testing import Case, case_id

MICROSOFTS_SHAREPOINT_EXAMPLE = "http://atl-sharepoint-001.litwareinc.com/jsonmetadata.ashx"

CASES = (
    # Lync's Exchange application and Exchange's application for Lync; SharePoint's
    # metadata is the SPS rules' matter.
    Case("the healthy Lync and Exchange metadata URLs pass", spec(), checked=2),
    Case(
        "Exchange reads Lync's metadata over http",
        spec(lync_metadata_url="http://atl-cs-001.litwareinc.com/metadata/json/1"),
        expect=(EXCHANGE_APPS,),
        contains=("is not https",),
        fix_contains=(
            "Set-PartnerApplication -Identity 'LyncEnterprise-",
            "-AuthMetadataUrl 'https://atl-cs-001.litwareinc.com/metadata/json/1'",
            "-RefreshAuthMetadata",
        ),
    ),
    Case(
        "Lync reads Exchange's metadata over http",
        spec(
            exchange_metadata_url="http://autodiscover.litwareinc.com/autodiscover/metadata/json/1"
        ),
        expect=(LYNC_APPS,),
        fix_contains=(
            "Set-CsPartnerApplication -Identity 'microsoft.exchange' -MetadataUrl "
            "'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'",
        ),
    ),
    Case(
        "Microsoft's own SharePoint example over http is not this rule's",
        spec(sharepoint_metadata_url=MICROSOFTS_SHAREPOINT_EXAMPLE),
        checked=2,
    ),
    Case("no partner application export", NO_PARTNER_EXPORTS, outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_metadata_url_not_https(case: Case, tmp_path: Path) -> None:
    check_with_fixes(case, "PAP003", tmp_path)


def test_plain_http_metadata_is_reported_on_lyncs_and_exchanges_side_only(
    tmp_path: Path,
) -> None:
    result = lint_spec(
        tmp_path,
        lync_metadata_url="http://atl-cs-001.litwareinc.com/metadata/json/1",
        exchange_metadata_url="HTTP://autodiscover.litwareinc.com/autodiscover/metadata/json/1",
        sharepoint_metadata_url="HTTP://sharepoint.litwareinc.com/_layouts/15/metadata/json/1",
    )
    reported = findings(result, "PAP003")
    assert [f.location.path for f in reported] == [
        "exchange/partner-applications.xml",
        "lync/partner-applications.xml",
    ]
    assert all(f.message.endswith("is not https") for f in reported)
    assert '"microsoft.exchange"' in reported[1].message
    assert findings(result, "PAP002") == []


def test_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_valid("PAP003")
