"""OAU002 autodiscover-url-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.rule import NotApplicable, NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

OAUTH = "lync/oauth-configuration.xml"
LYNC_APPS = "lync/partner-applications.xml"
EXCHANGE_APPS = "exchange/partner-applications.xml"
SHAREPOINT_ONLY = (("microsoft.sharepoint", "Full"),)
SET_SVC = (
    "Set-CsOAuthConfiguration -Identity Global -ExchangeAutodiscoverUrl "
    "'https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc'"
)
# Lync trusts Exchange Online through the OAuth server; Exchange (hybrid) has only the
# wizard's Exchange Online and SfBLegacy applications: no on-premises trust at all.
EXCHANGE_ONLINE_ONLY = {
    "partner_apps_via_oauth_server": ("microsoft.exchange",),
    "exchange_lync_app": False,
    "exchange_sfb_legacy": True,
}

CASES = (
    Case("a set URL passes", spec(), checked=1),
    Case(
        "an empty URL with on-premises Exchange integration configured",
        spec(exchange_autodiscover_url=""),
        (OAUTH,),
        contains=(
            "ExchangeAutodiscoverUrl is empty although on-premises Exchange integration is "
            "configured",
            "set it to https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc",
        ),
        fix_contains=(SET_SVC,),
    ),
    Case(
        "Exchange's partner application for Lync alone shows the integration",
        spec(exchange_autodiscover_url="", partner_trust_levels=SHAREPOINT_ONLY),
        (OAUTH,),
    ),
    Case(
        # Exchange Online's partner application is not part of the Lync integration.
        "no Exchange partner application: not applicable",
        spec(
            exchange_autodiscover_url="",
            partner_trust_levels=SHAREPOINT_ONLY,
            exchange_lync_app=False,
        ),
        outcome="not applicable",
    ),
    Case(
        "Lync with only a SharePoint trust and no Exchange at all",
        spec(
            exchange_autodiscover_url="",
            partner_trust_levels=SHAREPOINT_ONLY,
            exchange_exports=False,
        ),
        outcome="not applicable",
    ),
    Case(
        "Exchange Online only (UseOAuthServer, SfBLegacy)",
        spec(exchange_autodiscover_url="", **EXCHANGE_ONLINE_ONLY),
        outcome="not applicable",
    ),
    Case(
        "without partner application exports",
        without(spec(exchange_autodiscover_url=""), LYNC_APPS, EXCHANGE_APPS),
        outcome="not evaluated",
    ),
    Case(
        "without the OAuth configuration",
        without(spec(exchange_autodiscover_url=""), LYNC_APPS, EXCHANGE_APPS, OAUTH),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_autodiscover_url_missing(case: Case, tmp_path: Path) -> None:
    check_case(case, "OAU002", tmp_path)


def test_the_finding_points_at_the_url_with_both_sides_related(tmp_path: Path) -> None:
    case = Case("empty", spec(exchange_autodiscover_url=""), (OAUTH,))
    result = check_case(case, "OAU002", tmp_path)
    (finding,) = findings_of(result, "OAU002")
    assert finding.location.pointer == "obj[0].ExchangeAutodiscoverUrl"
    # Both sides' partner applications show that the integration is configured.
    assert [r.path for r in finding.related] == [LYNC_APPS, EXCHANGE_APPS]
    assert findings_of(result, "OAU003") == []  # empty is OAU002's business, not malformed
    # The URL is built on the host Exchange's own AutoDiscoverServiceInternalUri names.
    assert finding.fix == SET_SVC
    assert_valid_powershell(finding.fix, "Lync Server 2013")


def test_the_exchange_side_alone_is_the_related_location(tmp_path: Path) -> None:
    case = Case(
        "exchange side",
        spec(exchange_autodiscover_url="", partner_trust_levels=SHAREPOINT_ONLY),
        (OAUTH,),
    )
    (finding,) = findings_of(check_case(case, "OAU002", tmp_path), "OAU002")
    assert [r.path for r in finding.related] == [EXCHANGE_APPS]


def test_without_exchanges_uri_the_fix_uses_lyncs_exchange_metadata_host(tmp_path: Path) -> None:
    case = Case(
        "no client access",
        without(
            spec(
                exchange_autodiscover_url="",
                exchange_metadata_url="https://mail.litwareinc.com/autodiscover/metadata/json/1",
            ),
            "exchange/client-access.xml",
        ),
        (OAUTH,),
    )
    (finding,) = findings_of(check_case(case, "OAU002", tmp_path), "OAU002")
    assert "'https://mail.litwareinc.com/autodiscover/autodiscover.svc'" in finding.fix


@pytest.mark.parametrize(
    ("dropped", "named"),
    [
        ((LYNC_APPS, EXCHANGE_APPS), "Get-PartnerApplication"),
        ((LYNC_APPS, EXCHANGE_APPS, OAUTH), "Get-CsOAuthConfiguration"),
    ],
)
def test_not_evaluated_names_the_missing_export(
    tmp_path: Path, dropped: tuple[str, ...], named: str
) -> None:
    case = Case(
        "missing", without(spec(exchange_autodiscover_url=""), *dropped), outcome="not evaluated"
    )
    state = check_case(case, "OAU002", tmp_path).coverage["OAU002"]
    assert isinstance(state, NotEvaluated) and named in state.missing


def test_not_applicable_says_why(tmp_path: Path) -> None:
    case = Case(
        "online",
        spec(exchange_autodiscover_url="", **EXCHANGE_ONLINE_ONLY),
        outcome="not applicable",
    )
    state = check_case(case, "OAU002", tmp_path).coverage["OAU002"]
    assert state == NotApplicable("on-premises Exchange integration is not configured")


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("OAU002")
