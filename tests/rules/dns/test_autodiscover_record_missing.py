"""DNS001 autodiscover-record-missing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_lint import appended, spec, without
from dnsserver import knot_available, knot_server
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.config import Config
from s2slint.rule import NotApplicable, NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of, lint_bundle

ZONE = "dns/litwareinc.com.dns"
OAUTH = "lync/oauth-configuration.xml"
MISSING = (
    'autodiscover host "autodiscover.litwareinc.com" has no A, AAAA or CNAME record in '
    'zone "litwareinc.com"'
)

SHAREPOINT_ONLY = (("microsoft.sharepoint", "Full"),)
ADD_CNAME = (
    "Add-DnsServerResourceRecordCName -ZoneName litwareinc.com -Name autodiscover "
    "-HostNameAlias atl-exch-001.litwareinc.com"
)
# Lync trusts SharePoint alone: no Exchange anywhere, no ExchangeAutodiscoverUrl.
LYNC_WITH_SHAREPOINT_ONLY = spec(
    exchange_autodiscover_url="",
    autodiscover_dns_record=False,
    partner_trust_levels=SHAREPOINT_ONLY,
    exchange_exports=False,
)

CASES = (
    Case("the autodiscover CNAME passes", spec(), checked=1),
    Case(
        "no record for the autodiscover host",
        spec(autodiscover_dns_record=False),
        (ZONE,),
        contains=(MISSING,),
        fix_contains=(ADD_CNAME,),
    ),
    Case(
        "Lync with only a SharePoint trust: no autodiscover host is guessed",
        LYNC_WITH_SHAREPOINT_ONLY,
        outcome="not applicable",
    ),
    Case(
        "Exchange Online only: no autodiscover host is guessed",
        spec(
            exchange_autodiscover_url="",
            autodiscover_dns_record=False,
            partner_apps_via_oauth_server=("microsoft.exchange",),
            exchange_lync_app=False,
            exchange_sfb_legacy=True,
        ),
        outcome="not applicable",
    ),
    Case(
        "a URL is looked up whatever the trusts",
        spec(
            autodiscover_dns_record=False,
            partner_trust_levels=SHAREPOINT_ONLY,
            exchange_lync_app=False,
        ),
        (ZONE,),
    ),
    Case(
        "an empty URL without partner applications cannot tell",
        without(
            spec(exchange_autodiscover_url="", autodiscover_dns_record=False),
            "lync/partner-applications.xml",
            "exchange/partner-applications.xml",
        ),
        outcome="not evaluated",
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


def test_the_fix_adds_a_cname_to_the_exchange_server(tmp_path: Path) -> None:
    case = Case("missing", spec(autodiscover_dns_record=False), (ZONE,))
    (finding,) = findings_of(check_case(case, "DNS001", tmp_path), "DNS001")
    assert finding.fix == ADD_CNAME
    assert_valid_powershell(finding.fix, "Windows Server 2016")


def test_without_an_exchange_server_list_there_is_no_target_to_name(tmp_path: Path) -> None:
    case = Case(
        "no servers",
        without(spec(autodiscover_dns_record=False), "exchange/exchange-servers.xml"),
        (ZONE,),
    )
    (finding,) = findings_of(check_case(case, "DNS001", tmp_path), "DNS001")
    assert finding.fix == ""


def test_not_applicable_says_why(tmp_path: Path) -> None:
    case = Case("sharepoint only", LYNC_WITH_SHAREPOINT_ONLY, outcome="not applicable")
    state = check_case(case, "DNS001", tmp_path).coverage["DNS001"]
    assert state == NotApplicable("on-premises Exchange integration is not configured")


LIVE_ZONE = """$ORIGIN litwareinc.com.
$TTL 3600
@               IN SOA  atl-dc-001.litwareinc.com. hostmaster.litwareinc.com. ( 1 900 600 86400 3600 )
@               IN NS   atl-dc-001.litwareinc.com.
atl-exch-001    IN A    10.0.2.10
autodiscover    IN CNAME atl-exch-001.litwareinc.com.
"""


@pytest.fixture(scope="module")
def live_dns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    if not knot_available():
        pytest.skip("knotd is not installed")
    with knot_server(tmp_path_factory.mktemp("knot"), "litwareinc.com", LIVE_ZONE) as port:
        yield port


def test_a_stale_zone_export_is_exported_again(tmp_path: Path, live_dns: int) -> None:
    # Live DNS answers the record the zone export lacks: the export is older than it.
    bundle = spec(autodiscover_dns_record=False)(tmp_path)
    config = Config(
        root=bundle, dns_mode="live", nameservers=("127.0.0.1",), dns_port=live_dns, dns_timeout=2
    )
    (finding,) = findings_of(lint_bundle(bundle, config=config), "DNS001")
    assert "the zone export is stale" in finding.message
    assert finding.fix.splitlines()[-1] == (
        "Export-DnsServerZone -Name litwareinc.com -FileName litwareinc.com.dns"
    )
    assert_valid_powershell(finding.fix, "Windows Server 2016")


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("DNS001")
