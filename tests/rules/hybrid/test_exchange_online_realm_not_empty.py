"""HYB002 exchange-online-realm-not-empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

EXCHANGE_APPS = "exchange/partner-applications.xml"
MESSAGE = (
    'Exchange partner application "Exchange Online" (Exchange Online) has Realm '
    '"litwareinc.com"; it must be empty'
)

CASES = (
    Case("an empty Exchange Online realm passes", spec(), checked=1),
    Case(
        "Exchange Online with a realm",
        spec(exchange_online_realm="litwareinc.com"),
        (EXCHANGE_APPS,),
        contains=(MESSAGE,),
    ),
    Case(
        "on-premises only Exchange has no Exchange Online application",
        spec(exchange_hybrid=False),
        checked=0,
    ),
    Case(
        "without Exchange partner applications",
        spec(exchange_hybrid=False, exchange_lync_app=False),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_exchange_online_realm_not_empty(case: Case, tmp_path: Path) -> None:
    check_case(case, "HYB002", tmp_path)


def test_the_finding_points_at_the_realm(tmp_path: Path) -> None:
    case = Case("realm", spec(exchange_online_realm="litwareinc.com"), (EXCHANGE_APPS,))
    (finding,) = findings_of(check_case(case, "HYB002", tmp_path), "HYB002")
    assert finding.message == MESSAGE
    assert finding.location.pointer == "obj[1].Realm"
    assert finding.fix == "Set-PartnerApplication -Identity 'Exchange Online' -Realm ''"
    assert_valid_powershell(finding.fix, "Exchange Server 2013")


def test_not_evaluated_names_the_exchange_export(tmp_path: Path) -> None:
    case = Case(
        "none", spec(exchange_hybrid=False, exchange_lync_app=False), outcome="not evaluated"
    )
    state = check_case(case, "HYB002", tmp_path).coverage["HYB002"]
    assert state == NotEvaluated("an Exchange Get-PartnerApplication export")


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("HYB002")
