"""PAP002 metadata-url-suffix."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_spec, spec
from pap_bundles import (
    EXCHANGE_APPS,
    LYNC_APPS,
    NO_PARTNER_EXPORTS,
    SHAREPOINT_ID,
    assert_documented_fix_valid,
    check_with_fixes,
)

from s2slint.testing import Case, case_id

EXCHANGE_SVC = "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc"
EXCHANGE_METADATA = "https://autodiscover.litwareinc.com/autodiscover/metadata/json/1"
MICROSOFTS_SHAREPOINT_EXAMPLE = "http://atl-sharepoint-001.litwareinc.com/jsonmetadata.ashx"
"""Microsoft's own example of Lync's SharePoint partner application (catalogue v2)."""

CASES = (
    # Lync's Exchange and SharePoint applications and Exchange's application for Lync.
    Case("the three healthy metadata URLs pass", spec(), checked=3),
    Case(
        "Microsoft's own SharePoint example (jsonmetadata.ashx) passes",
        spec(sharepoint_metadata_url=MICROSOFTS_SHAREPOINT_EXAMPLE),
        checked=3,
    ),
    Case(
        "SharePoint's handler under _layouts passes",
        spec(
            sharepoint_metadata_url="https://sharepoint.litwareinc.com/_layouts/15/jsonmetadata.ashx"
        ),
    ),
    Case(
        "a SharePoint site collection's metadata passes",
        spec(
            sharepoint_metadata_url="https://sharepoint.litwareinc.com/sites/ucs/_layouts/15/metadata/json/1"
        ),
    ),
    Case(
        "letter case and one trailing slash are tolerated",
        spec(
            exchange_metadata_url="https://autodiscover.litwareinc.com/AutoDiscover/Metadata/JSON/1/",
            lync_metadata_url="https://atl-cs-001.litwareinc.com/Metadata/Json/1/",
        ),
    ),
    Case(
        "two trailing slashes are not",
        spec(exchange_metadata_url=EXCHANGE_METADATA + "//"),
        expect=(LYNC_APPS,),
    ),
    Case(
        "Lync's Exchange application points at the Autodiscover service",
        spec(exchange_metadata_url=EXCHANGE_SVC),
        expect=(LYNC_APPS,),
        contains=("is not Exchange's metadata document (/autodiscover/metadata/json/1)",),
        fix_contains=(
            "Remove-CsPartnerApplication -Identity 'microsoft.exchange'\n"
            "New-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full "
            f"-MetadataUrl '{EXCHANGE_METADATA}'",
        ),
    ),
    Case(
        "Lync's Exchange application reads a pool-style path from Exchange",
        spec(exchange_metadata_url="https://autodiscover.litwareinc.com/metadata/json/1"),
        expect=(LYNC_APPS,),
    ),
    Case(
        # The application that is wrong is rebuilt, not always microsoft.exchange.
        "Lync's SharePoint application points at the site root",
        spec(sharepoint_metadata_url="https://sharepoint.litwareinc.com/"),
        expect=(LYNC_APPS,),
        contains=('"microsoft.sharepoint" is not SharePoint\'s metadata document',),
        fix_contains=(
            "Remove-CsPartnerApplication -Identity 'microsoft.sharepoint'\n"
            "New-CsPartnerApplication -Identity 'microsoft.sharepoint' -ApplicationTrustLevel "
            "Full -MetadataUrl 'https://sharepoint.litwareinc.com/_layouts/15/metadata/json/1'",
        ),
    ),
    Case(
        "Exchange reads Lync's metadata from the pool's root",
        spec(lync_metadata_url="https://atl-cs-001.litwareinc.com/"),
        expect=(EXCHANGE_APPS,),
        contains=("is not Lync's metadata document (/metadata/json/1)",),
        fix_contains=(
            "-AuthMetadataUrl 'https://atl-cs-001.litwareinc.com/metadata/json/1'",
            "-RefreshAuthMetadata",
        ),
    ),
    Case(
        "Exchange reads Exchange's path from the pool",
        spec(lync_metadata_url="https://atl-cs-001.litwareinc.com/autodiscover/metadata/json/1"),
        expect=(EXCHANGE_APPS,),
    ),
    Case(
        "plain http is PAP003's, not this rule's",
        spec(lync_metadata_url="http://atl-cs-001.litwareinc.com/metadata/json/1"),
    ),
    Case(
        # microsoft.exchange with SharePoint's identifier still reads Exchange's document.
        "a wrong identifier is PAP011's, not a reason to judge the path as SharePoint's",
        spec(partner_app_ids=(("microsoft.exchange", SHAREPOINT_ID),)),
    ),
    Case("no partner application export", NO_PARTNER_EXPORTS, outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_metadata_url_suffix(case: Case, tmp_path: Path) -> None:
    check_with_fixes(case, "PAP002", tmp_path)


@pytest.mark.parametrize(
    "url",
    [
        EXCHANGE_SVC,
        "https://autodiscover.litwareinc.com/autodiscover/metadata/json",
        "https://autodiscover.litwareinc.com/",
    ],
)
def test_lync_metadata_url_without_the_document_is_reported(tmp_path: Path, url: str) -> None:
    result = lint_spec(tmp_path, exchange_metadata_url=url)
    (finding,) = findings(result, "PAP002")
    assert finding.message == (
        f'metadata URL "{url}" of partner application "microsoft.exchange" is not Exchange\'s '
        "metadata document (/autodiscover/metadata/json/1)"
    )
    assert finding.location.path == "lync/partner-applications.xml"
    assert finding.location.pointer == "obj[0].AuthToken"


def test_exchange_metadata_url_without_the_document_is_reported(tmp_path: Path) -> None:
    url = "https://atl-cs-001.litwareinc.com/"
    result = lint_spec(tmp_path, lync_metadata_url=url)
    (finding,) = findings(result, "PAP002")
    assert finding.location.path == "exchange/partner-applications.xml"
    assert finding.message.startswith(f'metadata URL "{url}" of Exchange partner application "Lync')


def test_a_sharepoint_path_that_is_no_document_is_reported(tmp_path: Path) -> None:
    url = "https://sharepoint.litwareinc.com/_layouts/15/start.aspx"
    result = lint_spec(tmp_path, sharepoint_metadata_url=url)
    (finding,) = findings(result, "PAP002")
    assert '"microsoft.sharepoint"' in finding.message
    assert "…/_layouts/15/metadata/json/1 or …/jsonmetadata.ashx" in finding.message
    assert finding.location.pointer == "obj[1].MetadataUrl"


def test_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_valid("PAP002")
