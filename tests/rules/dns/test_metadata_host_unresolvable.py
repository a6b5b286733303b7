"""DNS003 metadata-host-unresolvable (offline), and the hosts the DNS rules look up."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

ZONE = "dns/litwareinc.com.dns"
EXCHANGE_APPS = "exchange/partner-applications.xml"
LYNC_APPS = "lync/partner-applications.xml"
FABRIKAM_SHAREPOINT = "https://sharepoint.fabrikam.com/_layouts/15/metadata/json/1"

CASES = (
    # autodiscover (Exchange), sharepoint, atl-cs-001 (the Lync pool).
    Case("every metadata host with a record passes", spec(), checked=3),
    Case(
        "a pool without a record",
        spec(dns_omit=("atl-cs-001.litwareinc.com",)),
        (EXCHANGE_APPS,),
        contains=(
            'metadata host "atl-cs-001.litwareinc.com" (Exchange ',
            'has no A, AAAA or CNAME record in zone "litwareinc.com"',
        ),
    ),
    Case(
        "a SharePoint host without a record",
        spec(dns_omit=("sharepoint.litwareinc.com",)),
        (LYNC_APPS,),
        contains=('"sharepoint.litwareinc.com" (partner application "microsoft.sharepoint")',),
    ),
    Case(
        "a host in no zone is not evaluated, not missing",
        spec(sharepoint_metadata_url=FABRIKAM_SHAREPOINT),
        checked=2,
    ),
    Case(
        "no metadata host in any zone of the bundle",
        spec(
            sharepoint_metadata_url=FABRIKAM_SHAREPOINT,
            partner_trust_levels=(("microsoft.sharepoint", "Full"),),
            exchange_lync_app=False,
        ),
        outcome="not evaluated",
    ),
    Case("without zone exports", without(spec(), ZONE), outcome="not evaluated"),
    Case(
        # DNS001 reports the autodiscover host; DNS003 does not repeat it (v2).
        "the autodiscover host DNS001 reports is not repeated",
        spec(autodiscover_dns_record=False),
        checked=2,
    ),
    Case(
        "Lync's Exchange metadata host without a record",
        spec(exchange_metadata_url="https://exch.litwareinc.com/autodiscover/metadata/json/1"),
        (LYNC_APPS,),
        fix_contains=(
            "Set-CsPartnerApplication -Identity microsoft.exchange -MetadataUrl "
            "'https://atl-exch-001.litwareinc.com/autodiscover/metadata/json/1'",
        ),
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_metadata_host_unresolvable(case: Case, tmp_path: Path) -> None:
    check_case(case, "DNS003", tmp_path)


def test_a_pool_without_a_record_is_reported_at_the_metadata_url(tmp_path: Path) -> None:
    case = Case("pool", spec(dns_omit=("atl-cs-001.litwareinc.com",)), (EXCHANGE_APPS,))
    (finding,) = findings_of(check_case(case, "DNS003", tmp_path), "DNS003")
    assert finding.message.startswith('metadata host "atl-cs-001.litwareinc.com" (Exchange ')
    assert finding.message.endswith('has no A, AAAA or CNAME record in zone "litwareinc.com"')
    assert finding.location.pointer == "obj[0].AuthMetadataUrl"
    assert [r.path for r in finding.related] == [ZONE]


@pytest.mark.parametrize(
    ("case", "missing"),
    [
        (
            Case(
                "only sharepoint",
                spec(
                    sharepoint_metadata_url=FABRIKAM_SHAREPOINT,
                    partner_trust_levels=(("microsoft.sharepoint", "Full"),),
                    exchange_lync_app=False,
                ),
                outcome="not evaluated",
            ),
            "a zone export that holds sharepoint.fabrikam.com",
        ),
        (
            Case("no zone", without(spec(), ZONE), outcome="not evaluated"),
            "a zone export (dnscmd /ZoneExport or zone file)",
        ),
    ],
    ids=["host-in-no-zone", "no-zone-export"],
)
def test_not_evaluated_says_which_zone(case: Case, missing: str, tmp_path: Path) -> None:
    assert check_case(case, "DNS003", tmp_path).coverage["DNS003"] == NotEvaluated(missing)


def test_hosts_to_resolve_lists_what_the_dns_rules_look_up(tmp_path: Path) -> None:
    from s2slint.rules.dns import hosts_to_resolve

    result = check_case(Case("healthy", spec(), checked=3), "DNS003", tmp_path)
    assert hosts_to_resolve(result.model) == [
        "autodiscover.litwareinc.com",
        "sharepoint.litwareinc.com",
        "atl-cs-001.litwareinc.com",
        "atl-exch-001.litwareinc.com",
    ]


def test_the_pools_records_come_from_its_servers_addresses(tmp_path: Path) -> None:
    case = Case("pool", spec(dns_omit=("atl-cs-001.litwareinc.com",)), (EXCHANGE_APPS,))
    (finding,) = findings_of(check_case(case, "DNS003", tmp_path), "DNS003")
    assert finding.fix.splitlines() == [
        f"Add-DnsServerResourceRecordA -ZoneName litwareinc.com -Name atl-cs-001 -IPv4Address {a}"
        for a in ("10.0.1.11", "10.0.1.12", "10.0.1.13")
    ]
    assert_valid_powershell(finding.fix, "Windows Server 2016")


def test_a_lync_side_application_is_fixed_with_lyncs_cmdlet(tmp_path: Path) -> None:
    url = "https://exch.litwareinc.com/autodiscover/metadata/json/1"
    case = Case("lync side", spec(exchange_metadata_url=url), (LYNC_APPS,))
    (finding,) = findings_of(check_case(case, "DNS003", tmp_path), "DNS003")
    commands = [line for line in finding.fix.splitlines() if not line.startswith("#")]
    # Exchange's Set-PartnerApplication is not for an application of Lync's.
    assert commands == [
        "Set-CsPartnerApplication -Identity microsoft.exchange -MetadataUrl "
        "'https://atl-exch-001.litwareinc.com/autodiscover/metadata/json/1'"
    ]
    assert_valid_powershell(finding.fix, "Lync Server 2013")


def test_an_unknown_sharepoint_address_gets_no_made_up_fix(tmp_path: Path) -> None:
    case = Case("sharepoint", spec(dns_omit=("sharepoint.litwareinc.com",)), (LYNC_APPS,))
    (finding,) = findings_of(check_case(case, "DNS003", tmp_path), "DNS003")
    assert finding.fix == ""


def test_dns001s_host_is_reported_once(tmp_path: Path) -> None:
    result = check_case(
        Case("once", spec(autodiscover_dns_record=False), checked=2), "DNS003", tmp_path
    )
    (dns001,) = findings_of(result, "DNS001")
    assert dns001.key == "dns:autodiscover.litwareinc.com"


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("DNS003")
