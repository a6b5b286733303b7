"""OAU006 autodiscover-host-mismatch."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.rule import NotApplicable, NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

OAUTH = "lync/oauth-configuration.xml"
CLIENT_ACCESS = "exchange/client-access.xml"
MAIL = "https://mail.litwareinc.com/autodiscover/autodiscover.svc"
EXCHANGE_ONLINE_URL = "https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc"
SHAREPOINT_ONLY = (("microsoft.sharepoint", "Full"),)
EXCHANGE_ONLINE_ONLY = {
    "partner_apps_via_oauth_server": ("microsoft.exchange",),
    "exchange_lync_app": False,
    "exchange_sfb_legacy": True,
}

CASES = (
    Case("the same host on both sides passes", spec(), checked=1),
    Case(
        "host comparison ignores case and path",
        spec(
            exchange_autodiscover_internal_uri="https://AutoDiscover.LitwareInc.com/Autodiscover/Autodiscover.xml"
        ),
        checked=1,
    ),
    Case(
        "a different host is reported at Lync's URL",
        spec(exchange_autodiscover_url=MAIL),
        (OAUTH,),
        contains=(
            'ExchangeAutodiscoverUrl host "mail.litwareinc.com" differs from the host of '
            'Exchange\'s AutoDiscoverServiceInternalUri ("autodiscover.litwareinc.com")',
        ),
        fix_contains=(
            "Set-CsOAuthConfiguration -Identity Global -ExchangeAutodiscoverUrl "
            "'https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc'",
        ),
    ),
    Case(
        "Exchange Online only: Lync's UseOAuthServer application, Exchange's SfBLegacy",
        spec(exchange_autodiscover_url=MAIL, **EXCHANGE_ONLINE_ONLY),
        outcome="not applicable",
    ),
    Case(
        "Lync with only a SharePoint trust",
        spec(
            exchange_autodiscover_url=MAIL,
            partner_trust_levels=SHAREPOINT_ONLY,
            exchange_lync_app=False,
        ),
        outcome="not applicable",
    ),
    Case(
        "an Exchange Online URL",
        spec(exchange_autodiscover_url=EXCHANGE_ONLINE_URL),
        outcome="not applicable",
    ),
    Case(
        "without partner applications it cannot tell",
        without(spec(), "lync/partner-applications.xml", "exchange/partner-applications.xml"),
        outcome="not evaluated",
    ),
    # Nothing to compare the Lync host with: OAU005 reports the empty URI.
    Case("no Exchange URI to compare with", spec(exchange_autodiscover_internal_uri=""), checked=0),
    Case(
        "without the Client Access export", without(spec(), CLIENT_ACCESS), outcome="not evaluated"
    ),
    Case("without the OAuth configuration", without(spec(), OAUTH), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_autodiscover_host_mismatch(case: Case, tmp_path: Path) -> None:
    check_case(case, "OAU006", tmp_path)


def test_exchanges_uri_is_the_related_location(tmp_path: Path) -> None:
    case = Case("mail", spec(exchange_autodiscover_url=MAIL), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU006", tmp_path), "OAU006")
    assert [r.path for r in finding.related] == [CLIENT_ACCESS]


def test_not_evaluated_names_the_client_access_export(tmp_path: Path) -> None:
    case = Case("none", without(spec(), CLIENT_ACCESS), outcome="not evaluated")
    state = check_case(case, "OAU006", tmp_path).coverage["OAU006"]
    assert isinstance(state, NotEvaluated) and "Get-ClientAccessService" in state.missing


def test_the_fix_points_lync_at_exchanges_host(tmp_path: Path) -> None:
    case = Case("mail", spec(exchange_autodiscover_url=MAIL), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU006", tmp_path), "OAU006")
    assert_valid_powershell(finding.fix, "Lync Server 2013")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (EXCHANGE_ONLINE_ONLY, "on-premises Exchange integration is not configured"),
        (
            {"exchange_autodiscover_url": EXCHANGE_ONLINE_URL},
            f"Lync's ExchangeAutodiscoverUrl is Exchange Online's ({EXCHANGE_ONLINE_URL})",
        ),
    ],
    ids=["online-trust", "online-url"],
)
def test_not_applicable_says_why(tmp_path: Path, changes: dict[str, object], reason: str) -> None:
    case = Case("n/a", spec(**changes), outcome="not applicable")
    assert check_case(case, "OAU006", tmp_path).coverage["OAU006"] == NotApplicable(reason)


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("OAU006")
