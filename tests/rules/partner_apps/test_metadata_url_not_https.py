"""PAP003 metadata-url-not-https."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_spec, spec
from pap_bundles import EXCHANGE_APPS, LYNC_APPS, NO_PARTNER_EXPORTS

from s2slint.testing import Case, case_id, check_case

CASES = (
    Case("the three healthy metadata URLs pass", spec(), checked=3),
    Case(
        "Exchange reads Lync's metadata over http",
        spec(lync_metadata_url="http://atl-cs-001.litwareinc.com/metadata/json/1"),
        expect=(EXCHANGE_APPS,),
        contains=("is not https",),
    ),
    Case(
        "Lync reads Exchange's metadata over http",
        spec(
            exchange_metadata_url="http://autodiscover.litwareinc.com/autodiscover/metadata/json/1"
        ),
        expect=(LYNC_APPS,),
    ),
    Case("no partner application export", NO_PARTNER_EXPORTS, outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_metadata_url_not_https(case: Case, tmp_path: Path) -> None:
    check_case(case, "PAP003", tmp_path)


def test_plain_http_metadata_is_reported_on_either_side(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        lync_metadata_url="http://atl-cs-001.litwareinc.com/metadata/json/1",
        sharepoint_metadata_url="HTTP://sharepoint.litwareinc.com/_layouts/15/metadata/json/1",
    )
    reported = findings(result, "PAP003")
    assert [f.location.path for f in reported] == [
        "exchange/partner-applications.xml",
        "lync/partner-applications.xml",
    ]
    assert reported[0].message.endswith("is not https")
    assert findings(result, "PAP002") == []
