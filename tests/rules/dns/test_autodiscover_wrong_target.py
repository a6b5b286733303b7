"""DNS002 autodiscover-wrong-target (offline)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import appended, spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

ZONE = "dns/litwareinc.com.dns"
POOL = "atl-cs-001.litwareinc.com"
TO_POOL = spec(autodiscover_dns_target=POOL)
A_RECORD_TO_A_FRONT_END = appended(
    spec(autodiscover_dns_record=False), ZONE, "autodiscover\t\tA\t10.0.1.11\r\n"
)
ADD_CNAME = (
    "Add-DnsServerResourceRecordCName -ZoneName litwareinc.com -Name autodiscover "
    "-HostNameAlias atl-exch-001.litwareinc.com"
)

CASES = (
    Case("a CNAME to the Exchange server passes", spec(), checked=1),
    Case(
        # A load balancer's name is unknown to the exports: not reported (v2).
        "a CNAME to a load balancer the exports do not know passes",
        spec(
            autodiscover_dns_target="lb-mail.litwareinc.com",
            extra_dns_records=(("lb-mail.litwareinc.com", "A", "10.0.2.50"),),
        ),
        checked=1,
    ),
    Case(
        "a CNAME to the Lync Front End pool",
        TO_POOL,
        (ZONE,),
        contains=(
            'autodiscover host "autodiscover.litwareinc.com" resolves to '
            f"{POOL} -> 10.0.1.11 -> 10.0.1.12 -> 10.0.1.13: the Lync Front End pool {POOL}, "
            "not an Exchange server (atl-exch-001.litwareinc.com)",
        ),
        fix_contains=(
            "Remove-DnsServerResourceRecord -ZoneName litwareinc.com -Name autodiscover "
            "-RRType CName",
            ADD_CNAME,
        ),
    ),
    Case(
        "an A record with a Front End's address",
        A_RECORD_TO_A_FRONT_END,
        (ZONE,),
        contains=(
            f"resolves to 10.0.1.11: the Lync Front End pool {POOL}, not an Exchange server",
        ),
        fix_contains=(
            # An A record is removed as an A record, not with -RRType CName.
            "Remove-DnsServerResourceRecord -ZoneName litwareinc.com -Name autodiscover -RRType A",
        ),
    ),
    Case(
        "a CNAME to the SharePoint host",
        spec(autodiscover_dns_target="sharepoint.litwareinc.com"),
        (ZONE,),
        contains=("the SharePoint host sharepoint.litwareinc.com, not an Exchange server",),
    ),
    Case(
        "an A record with the Exchange server's address passes",
        appended(spec(autodiscover_dns_record=False), ZONE, "autodiscover\t\tA\t10.0.2.10\r\n"),
        checked=1,
    ),
    Case(
        "an A record with an address the exports do not know passes",
        appended(spec(autodiscover_dns_record=False), ZONE, "autodiscover\t\tA\t10.0.2.99\r\n"),
        checked=1,
    ),
    Case(
        "a CNAME leaving the zones of the bundle passes (unknown target)",
        spec(autodiscover_dns_target="mail.contoso.net"),
        checked=1,
    ),
    Case(
        "a wildcard that leads to the pool",
        appended(spec(autodiscover_dns_record=False), ZONE, f"*\t\tCNAME\t{POOL}.\r\n"),
        (ZONE,),
        fix_contains=("answers through a wildcard", ADD_CNAME),
    ),
    Case("no record at all is DNS001's business", spec(autodiscover_dns_record=False), checked=0),
    Case(
        "Lync with only a SharePoint trust has no autodiscover host to guess",
        spec(
            exchange_autodiscover_url="",
            partner_trust_levels=(("microsoft.sharepoint", "Full"),),
            exchange_exports=False,
        ),
        outcome="not applicable",
    ),
    Case("without the topology", without(spec(), "lync/topology.xml"), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_autodiscover_wrong_target(case: Case, tmp_path: Path) -> None:
    check_case(case, "DNS002", tmp_path)


def test_the_finding_points_at_the_autodiscover_record(tmp_path: Path) -> None:
    (finding,) = findings_of(
        check_case(Case("pool", TO_POOL, (ZONE,)), "DNS002", tmp_path), "DNS002"
    )
    text = (tmp_path / "bundle" / ZONE).read_text("ascii").splitlines()
    assert text[finding.location.line - 1].startswith("autodiscover")  # type: ignore[operator]
    assert [r.path for r in finding.related] == [
        "lync/oauth-configuration.xml",
        "lync/topology.xml",
        "exchange/exchange-servers.xml",
    ]


@pytest.mark.parametrize("bundle", [TO_POOL, A_RECORD_TO_A_FRONT_END], ids=["cname", "a"])
def test_the_fix_removes_the_record_type_there_then_adds_the_cname(
    tmp_path: Path, bundle: object
) -> None:
    case = Case("fix", bundle, (ZONE,))  # type: ignore[arg-type]
    (finding,) = findings_of(check_case(case, "DNS002", tmp_path), "DNS002")
    first, second = finding.fix.splitlines()
    assert first.startswith("Remove-DnsServerResourceRecord ") and second == ADD_CNAME
    assert_valid_powershell(finding.fix, "Windows Server 2016")


def test_not_evaluated_names_the_zone_to_export(tmp_path: Path) -> None:
    url = "https://autodiscover.contoso.com/autodiscover/autodiscover.svc"
    case = Case("contoso", spec(exchange_autodiscover_url=url), outcome="not evaluated")
    state = check_case(case, "DNS002", tmp_path).coverage["DNS002"]
    assert state == NotEvaluated(
        "a zone export (dnscmd /ZoneExport or zone file) that holds autodiscover.contoso.com"
    )


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("DNS002")
