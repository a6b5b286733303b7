"""OAU003 autodiscover-url-malformed."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

OAUTH = "lync/oauth-configuration.xml"
ADV = "use https://{}/autodiscover/autodiscover.svc"

MALFORMED = (
    (
        "http://autodiscover.litwareinc.com/autodiscover/autodiscover.svc",
        'uses "http", not https',
    ),
    (
        "https://atl-exch-001.litwareinc.com/EWS/Exchange.asmx",
        "does not end in /autodiscover/autodiscover.svc",
    ),
    (
        "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc//",
        "does not end in /autodiscover/autodiscover.svc",
    ),
    ("autodiscover.litwareinc.com/autodiscover/autodiscover.svc", "is not an absolute URL"),
    (
        "https://autodiscover.litwareinc.com:44x/autodiscover/autodiscover.svc",
        "cannot be read as a URL",
    ),
    ("https://[autodiscover/autodiscover/autodiscover.svc", "cannot be read as a URL"),
)

CASES = (
    Case("a set .svc URL passes", spec(), checked=1),
    Case(
        "letter case does not matter",
        spec(
            exchange_autodiscover_url="HTTPS://Autodiscover.LitwareInc.com/Autodiscover/Autodiscover.svc"
        ),
    ),
    Case(
        "the .xml URL is left to OAU001",
        spec(
            exchange_autodiscover_url="http://autodiscover.litwareinc.com/autodiscover/autodiscover.xml"
        ),
        checked=1,
    ),
    Case("an empty URL is left to OAU002", spec(exchange_autodiscover_url=""), checked=0),
    Case(
        # One trailing slash is tolerated, as OAU001 and PAP002 tolerate it.
        "one trailing slash is tolerated",
        spec(
            exchange_autodiscover_url="https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc/"
        ),
        checked=1,
    ),
    Case(
        "the .xml URL with a trailing slash is OAU001's, not also OAU003's",
        spec(
            exchange_autodiscover_url="https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml/"
        ),
        checked=1,
    ),
    *(
        Case(f"{url} {problem}", spec(exchange_autodiscover_url=url), (OAUTH,), contains=(problem,))
        for url, problem in MALFORMED
    ),
    Case("without the OAuth configuration", without(spec(), OAUTH), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_autodiscover_url_malformed(case: Case, tmp_path: Path) -> None:
    check_case(case, "OAU003", tmp_path)


@pytest.mark.parametrize(("url", "problem"), MALFORMED)
def test_malformed_urls_are_reported_at_the_property(
    tmp_path: Path, url: str, problem: str
) -> None:
    case = Case("malformed", spec(exchange_autodiscover_url=url), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU003", tmp_path), "OAU003")
    assert finding.message.startswith(f'ExchangeAutodiscoverUrl "{url}" {problem}')
    assert finding.location.pointer == "obj[0].ExchangeAutodiscoverUrl"


def test_malformed_message_names_the_url_to_use(tmp_path: Path) -> None:
    url = "https://atl-exch-001.litwareinc.com/EWS/Exchange.asmx"
    case = Case("ews", spec(exchange_autodiscover_url=url), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU003", tmp_path), "OAU003")
    assert finding.message.endswith(ADV.format("atl-exch-001.litwareinc.com"))


def test_the_fix_keeps_the_host_and_names_the_service(tmp_path: Path) -> None:
    url = "http://atl-exch-001.litwareinc.com/EWS/Exchange.asmx"
    case = Case("ews", spec(exchange_autodiscover_url=url), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU003", tmp_path), "OAU003")
    assert finding.fix == (
        "Set-CsOAuthConfiguration -Identity Global -ExchangeAutodiscoverUrl "
        "'https://atl-exch-001.litwareinc.com/autodiscover/autodiscover.svc'"
    )
    assert_valid_powershell(finding.fix, "Lync Server 2013")


def test_an_unreadable_url_gets_exchanges_autodiscover_host(tmp_path: Path) -> None:
    url = "https://[autodiscover/autodiscover/autodiscover.svc"
    case = Case("unreadable", spec(exchange_autodiscover_url=url), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU003", tmp_path), "OAU003")
    assert "'https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc'" in finding.fix


def test_the_xml_url_is_oau001s_alone(tmp_path: Path) -> None:
    url = "http://autodiscover.litwareinc.com/autodiscover/autodiscover.xml"
    result = check_case(Case("xml", spec(exchange_autodiscover_url=url)), "OAU003", tmp_path)
    assert len(findings_of(result, "OAU001")) == 1


def test_not_evaluated_names_the_oauth_configuration(tmp_path: Path) -> None:
    case = Case("no oauth", without(spec(), OAUTH), outcome="not evaluated")
    state = check_case(case, "OAU003", tmp_path).coverage["OAU003"]
    assert state == NotEvaluated("a Get-CsOAuthConfiguration export")


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("OAU003")
