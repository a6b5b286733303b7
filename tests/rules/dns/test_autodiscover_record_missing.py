"""DNS001 autodiscover-record-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import appended, spec, without

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

ZONE = "dns/litwareinc.com.dns"
OAUTH = "lync/oauth-configuration.xml"
MISSING = (
    'autodiscover host "autodiscover.litwareinc.com" has no A, AAAA or CNAME record in '
    'zone "litwareinc.com"'
)

CASES = (
    Case("the autodiscover CNAME passes", spec(), checked=1),
    Case(
        "no record for the autodiscover host",
        spec(autodiscover_dns_record=False),
        (ZONE,),
        contains=(MISSING,),
    ),
    Case(
        "the host comes from the URL, not the SIP domain",
        spec(exchange_autodiscover_url="https://ews.litwareinc.com/autodiscover/autodiscover.svc"),
        (ZONE,),
        contains=('"ews.litwareinc.com"',),
    ),
    Case(
        "without the OAuth configuration the default SIP domain names the host",
        without(spec(autodiscover_dns_record=False), OAUTH),
        (ZONE,),
        contains=('"autodiscover.litwareinc.com"',),
    ),
    Case(
        "a wildcard record answers for the host",
        appended(
            spec(autodiscover_dns_record=False),
            ZONE,
            "*\t\tCNAME\tatl-exch-001.litwareinc.com.\r\n",
        ),
        checked=1,
    ),
    Case(
        "no zone holds the host",
        spec(
            exchange_autodiscover_url="https://autodiscover.contoso.com/autodiscover/autodiscover.svc"
        ),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_autodiscover_record_missing(case: Case, tmp_path: Path) -> None:
    check_case(case, "DNS001", tmp_path)


def test_missing_record_is_reported_at_the_zone_with_the_url_related(tmp_path: Path) -> None:
    case = Case("missing", spec(autodiscover_dns_record=False), (ZONE,))
    (finding,) = findings_of(check_case(case, "DNS001", tmp_path), "DNS001")
    assert finding.message == MISSING
    assert [r.path for r in finding.related] == [OAUTH]


def test_the_topology_is_related_when_it_names_the_host(tmp_path: Path) -> None:
    case = Case("topology", without(spec(autodiscover_dns_record=False), OAUTH), (ZONE,))
    (finding,) = findings_of(check_case(case, "DNS001", tmp_path), "DNS001")
    assert [r.path for r in finding.related] == ["lync/topology.xml"]


def test_not_evaluated_names_the_host(tmp_path: Path) -> None:
    url = "https://autodiscover.contoso.com/autodiscover/autodiscover.svc"
    case = Case("contoso", spec(exchange_autodiscover_url=url), outcome="not evaluated")
    state = check_case(case, "DNS001", tmp_path).coverage["DNS001"]
    assert isinstance(state, NotEvaluated) and "autodiscover.contoso.com" in state.missing
