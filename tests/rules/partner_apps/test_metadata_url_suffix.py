"""PAP002 metadata-url-suffix."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_spec, spec
from pap_bundles import EXCHANGE_APPS, LYNC_APPS, NO_PARTNER_EXPORTS

from s2slint.testing import Case, case_id, check_case

EXCHANGE_SVC = "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc"

CASES = (
    # Lync's Exchange and SharePoint applications and Exchange's application for Lync.
    Case("the three healthy metadata URLs pass", spec(), checked=3),
    Case(
        "Lync's Exchange application points at the Autodiscover service",
        spec(exchange_metadata_url=EXCHANGE_SVC),
        expect=(LYNC_APPS,),
        contains=("does not end in /metadata/json/1",),
    ),
    Case(
        "Exchange reads Lync's metadata from the pool's root",
        spec(lync_metadata_url="https://atl-cs-001.litwareinc.com/"),
        expect=(EXCHANGE_APPS,),
    ),
    Case(
        "plain http is PAP003's, not this rule's",
        spec(lync_metadata_url="http://atl-cs-001.litwareinc.com/metadata/json/1"),
    ),
    Case("no partner application export", NO_PARTNER_EXPORTS, outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_metadata_url_suffix(case: Case, tmp_path: Path) -> None:
    check_case(case, "PAP002", tmp_path)


@pytest.mark.parametrize(
    "url",
    [
        EXCHANGE_SVC,
        "https://autodiscover.litwareinc.com/autodiscover/metadata/json",
        "https://autodiscover.litwareinc.com/",
    ],
)
def test_lync_metadata_url_without_the_suffix_is_reported(tmp_path: Path, url: str) -> None:
    result = lint_spec(tmp_path, exchange_metadata_url=url)
    (finding,) = findings(result, "PAP002")
    assert finding.message == (
        f'metadata URL "{url}" of partner application "microsoft.exchange" does not end in '
        "/metadata/json/1"
    )
    assert finding.location.path == "lync/partner-applications.xml"
    assert finding.location.pointer == "obj[0].AuthToken"


def test_exchange_metadata_url_without_the_suffix_is_reported(tmp_path: Path) -> None:
    url = "https://atl-cs-001.litwareinc.com/"
    result = lint_spec(tmp_path, lync_metadata_url=url)
    (finding,) = findings(result, "PAP002")
    assert finding.location.path == "exchange/partner-applications.xml"
    assert finding.message.startswith(f'metadata URL "{url}" of Exchange partner application "Lync')


def test_sharepoint_legacy_handler_is_reported(tmp_path: Path) -> None:
    url = "https://sharepoint.litwareinc.com/_layouts/15/jsonmetadata.ashx"
    result = lint_spec(tmp_path, sharepoint_metadata_url=url)
    (finding,) = findings(result, "PAP002")
    assert '"microsoft.sharepoint"' in finding.message
    assert finding.location.pointer == "obj[1].MetadataUrl"
