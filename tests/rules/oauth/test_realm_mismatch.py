"""OAU004 realm-mismatch."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without

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
