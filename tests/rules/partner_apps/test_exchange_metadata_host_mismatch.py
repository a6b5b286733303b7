"""PAP007 exchange-metadata-host-mismatch."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome, spec
from pap_bundles import LYNC_APPS, without

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case

CASES = (
    Case("Lync reads Exchange's metadata from the autodiscover host", spec(), checked=1),
    Case(
        "the autodiscover host follows Lync's ExchangeAutodiscoverUrl",
        spec(
            exchange_autodiscover_url="https://mail.litwareinc.com/autodiscover/autodiscover.svc",
            exchange_metadata_url="https://mail.litwareinc.com/autodiscover/metadata/json/1",
        ),
        checked=1,
    ),
    Case(
        "a host that is not the autodiscover host",
        spec(exchange_metadata_url="https://mail.litwareinc.com/autodiscover/metadata/json/1"),
        expect=(LYNC_APPS,),
        contains=('not from the autodiscover host "autodiscover.litwareinc.com"',),
    ),
    Case("no Lync partner applications", without(LYNC_APPS), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_exchange_metadata_host_mismatch(case: Case, tmp_path: Path) -> None:
    check_case(case, "PAP007", tmp_path)


def test_exchange_metadata_from_a_single_server_is_reported(tmp_path: Path) -> None:
    url = "https://atl-exch-001.litwareinc.com/autodiscover/metadata/json/1"
    result = lint_spec(tmp_path, exchange_metadata_url=url)
    (finding,) = findings(result, "PAP007")
    assert finding.message == (
        'partner application "microsoft.exchange" (Exchange) reads metadata from '
        '"atl-exch-001.litwareinc.com", not from the autodiscover host '
        '"autodiscover.litwareinc.com"'
    )
    assert [r.pointer for r in finding.related] == ["obj[0].ExchangeAutodiscoverUrl"]


def test_pap007_without_the_lync_partner_applications_is_not_evaluated(tmp_path: Path) -> None:
    bundle = without(LYNC_APPS)(tmp_path)
    assert outcome(lint_path(bundle), "PAP007") == NotEvaluated("a Get-CsPartnerApplication export")
