"""OAU001 autodiscover-xml-not-svc."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.testing import Case, case_id, check_case, findings_of

OAUTH = "lync/oauth-configuration.xml"
SVC = "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc"
MESSAGE = f"ExchangeAutodiscoverUrl points to autodiscover.xml; use {SVC}"

XML_URLS = (
    "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml",
    "https://autodiscover.litwareinc.com/Autodiscover/Autodiscover.XML",
    "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml/",
)

CASES = (
    Case("the .svc URL passes", spec(), checked=1),
    *(
        Case(
            f"{url} is reported", spec(exchange_autodiscover_url=url), (OAUTH,), contains=(MESSAGE,)
        )
        for url in XML_URLS
    ),
    Case(
        "without the OAuth configuration",
        without(spec(), OAUTH),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_autodiscover_xml_not_svc(case: Case, tmp_path: Path) -> None:
    check_case(case, "OAU001", tmp_path)


@pytest.mark.parametrize("url", XML_URLS)
def test_xml_url_is_reported_at_the_property_with_the_svc_url(tmp_path: Path, url: str) -> None:
    case = Case("xml", spec(exchange_autodiscover_url=url), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU001", tmp_path), "OAU001")
    assert finding.message == MESSAGE
    assert finding.location.pointer == "obj[0].ExchangeAutodiscoverUrl"
    text = (tmp_path / "bundle" / OAUTH).read_bytes().decode("utf-16")
    line = text.splitlines()[finding.location.line - 1]  # type: ignore[operator]
    assert line[finding.location.column - 1 :].startswith('<S N="ExchangeAutodiscoverUrl">')  # type: ignore[operator]


def test_exchange_side_xml_uri_is_not_this_rules_business(tmp_path: Path) -> None:
    # Exchange's AutoDiscoverServiceInternalUri rightly ends in autodiscover.xml.
    result = check_case(Case("healthy", spec()), "OAU001", tmp_path)
    assert any(
        s.autodiscover_internal_uri and s.autodiscover_internal_uri.value.endswith(".xml")
        for s in result.model.client_access_services
    )


def test_the_fix_keeps_the_host_of_a_url_without_scheme(tmp_path: Path) -> None:
    url = "mail.litwareinc.com/autodiscover/autodiscover.xml"
    case = Case("no scheme", spec(exchange_autodiscover_url=url), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU001", tmp_path), "OAU001")
    assert finding.fix == (
        "Set-CsOAuthConfiguration -Identity Global -ExchangeAutodiscoverUrl "
        "'https://mail.litwareinc.com/autodiscover/autodiscover.svc'"
    )
    assert_valid_powershell(finding.fix, "Lync Server 2013")


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("OAU001")
