"""OAU004 realm-mismatch."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.testing import Case, case_id, check_case, findings_of

OAUTH = "lync/oauth-configuration.xml"
LYNC_APPS = "lync/partner-applications.xml"
EXCHANGE_APPS = "exchange/partner-applications.xml"

CASES = (
    # The OAuth configuration, Exchange's application for Lync, Lync's for Exchange.
    Case("empty realms pass", spec(), checked=3),
    Case(
        "the default SIP domain written out passes",
        spec(oauth_realm="LitwareInc.com", exchange_lync_app_realm="litwareinc.com"),
    ),
    Case(
        "a Lync realm other than the default SIP domain",
        spec(oauth_realm="contoso.com"),
        (OAUTH,),
        contains=(
            'Lync OAuth Realm "contoso.com" differs from the default SIP domain "litwareinc.com"',
        ),
    ),
    Case(
        "Exchange's application for Lync with another realm",
        spec(exchange_lync_app_realm="fabrikam.com"),
        (EXCHANGE_APPS,),
        contains=('has Realm "fabrikam.com", but Lync\'s realm is "litwareinc.com"',),
    ),
    Case(
        "Lync's application for Exchange must carry Exchange's realm when set",
        spec(
            exchange_auth_realm="litwareinc.com",
            partner_app_realms=(("microsoft.exchange", "exchange.litwareinc.com"),),
        ),
        (LYNC_APPS,),
        contains=(
            'partner application "microsoft.exchange" (Exchange) has Realm '
            '"exchange.litwareinc.com", but Exchange\'s realm (Get-AuthConfig) is "litwareinc.com"',
        ),
    ),
    Case(
        "Exchange Online's and SharePoint's realms are not compared",
        spec(
            exchange_online_realm="litwareinc.onmicrosoft.com",
            partner_app_realms=(("microsoft.sharepoint", "3f1d2c4b-5a69-4e7d-8c0b-1a2b3c4d5e6f"),),
        ),
    ),
    Case(
        "no realm evidence at all",
        without(spec(), OAUTH, LYNC_APPS, EXCHANGE_APPS),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_realm_mismatch(case: Case, tmp_path: Path) -> None:
    check_case(case, "OAU004", tmp_path)


def test_a_lync_realm_finding_points_at_the_realm_with_the_topology(tmp_path: Path) -> None:
    case = Case("contoso", spec(oauth_realm="contoso.com"), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU004", tmp_path), "OAU004")
    assert finding.location.pointer == "obj[0].Realm"
    assert [r.path for r in finding.related] == ["lync/topology.xml"]


def test_the_exchange_side_finding_is_keyed_by_the_application(tmp_path: Path) -> None:
    case = Case("fabrikam", spec(exchange_lync_app_realm="fabrikam.com"), (EXCHANGE_APPS,))
    (finding,) = findings_of(check_case(case, "OAU004", tmp_path), "OAU004")
    assert finding.key.startswith("exchange-partner-application:lyncenterprise-")


def test_the_lync_side_finding_relates_exchanges_auth_config(tmp_path: Path) -> None:
    case = Case(
        "exchange realm",
        spec(
            exchange_auth_realm="litwareinc.com",
            partner_app_realms=(("microsoft.exchange", "exchange.litwareinc.com"),),
        ),
        (LYNC_APPS,),
    )
    (finding,) = findings_of(check_case(case, "OAU004", tmp_path), "OAU004")
    assert [r.path for r in finding.related] == ["exchange/auth-config.xml"]


def test_lyncs_realm_fix_sets_the_sip_domain_and_refreshes_exchange(tmp_path: Path) -> None:
    case = Case("contoso", spec(oauth_realm="contoso.com"), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU004", tmp_path), "OAU004")
    lines = finding.fix.splitlines()
    assert lines[0] == "Set-CsOAuthConfiguration -Identity Global -Realm litwareinc.com"
    assert lines[-1].startswith("Set-PartnerApplication -Identity LyncEnterprise-")
    assert lines[-1].endswith(" -RefreshAuthMetadata")
    assert_valid_powershell(finding.fix)


def test_exchanges_application_is_given_lyncs_realm(tmp_path: Path) -> None:
    case = Case("fabrikam", spec(exchange_lync_app_realm="fabrikam.com"), (EXCHANGE_APPS,))
    (finding,) = findings_of(check_case(case, "OAU004", tmp_path), "OAU004")
    assert finding.fix.startswith("Set-PartnerApplication -Identity LyncEnterprise-")
    assert finding.fix.endswith(" -Realm litwareinc.com")
    assert_valid_powershell(finding.fix, "Exchange Server 2013")


def test_lyncs_application_is_re_created_not_set_realm(tmp_path: Path) -> None:
    # Set-CsPartnerApplication has no -Realm: Remove and New with the real metadata URL.
    case = Case(
        "lync side",
        spec(
            exchange_auth_realm="litwareinc.com",
            partner_app_realms=(("microsoft.exchange", "exchange.litwareinc.com"),),
        ),
        (LYNC_APPS,),
    )
    (finding,) = findings_of(check_case(case, "OAU004", tmp_path), "OAU004")
    commands = [line for line in finding.fix.splitlines() if not line.startswith("#")]
    assert commands == [
        "Remove-CsPartnerApplication -Identity microsoft.exchange",
        "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full "
        "-MetadataUrl 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'",
    ]
    assert not any("-Realm" in command for command in commands)
    assert_valid_powershell(finding.fix, "Lync Server 2013")


def test_online_applications_are_not_compared(tmp_path: Path) -> None:
    # Lync's Exchange Online application and Exchange's SfBLegacy trust the cloud.
    case = Case(
        "online",
        spec(
            partner_apps_via_oauth_server=("microsoft.exchange",),
            exchange_lync_app=False,
            exchange_sfb_legacy=True,
            exchange_auth_realm="litwareinc.com",
            partner_app_realms=(("microsoft.exchange", "litwareinc.onmicrosoft.com"),),
        ),
        checked=1,
    )
    check_case(case, "OAU004", tmp_path)


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("OAU004")
