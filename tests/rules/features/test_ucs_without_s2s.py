"""FEA001 ucs-without-s2s."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.rule import NotApplicable, NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

POLICIES = "lync/user-services-policies.xml"
SHAREPOINT_ONLY = (("microsoft.sharepoint", "Full"),)
NOT_CONFIGURED = "server-to-server authentication with Exchange is not fully configured: "
EXCHANGE_ONLINE_ONLY = {
    "partner_apps_via_oauth_server": ("microsoft.exchange",),
    "exchange_lync_app": False,
    "exchange_sfb_legacy": True,
}
LYNC_WITH_SHAREPOINT_ONLY = spec(partner_trust_levels=SHAREPOINT_ONLY, exchange_exports=False)

CASES = (
    Case("S2S with Exchange configured passes", spec(), checked=1),
    Case(
        "no partner application for Exchange",
        spec(partner_trust_levels=SHAREPOINT_ONLY),
        (POLICIES,),
        contains=(
            'user services policy "Global" allows the unified contact store, but '
            + NOT_CONFIGURED
            + "Lync has no partner application for on-premises Exchange",
        ),
    ),
    Case(
        "every missing piece is listed",
        spec(exchange_autodiscover_url="", exchange_lync_app=False),
        (POLICIES,),
        contains=(
            NOT_CONFIGURED
            + "ExchangeAutodiscoverUrl is empty; Exchange has no partner application for "
            "on-premises Lync",
        ),
    ),
    Case(
        "a disabled partner application is a missing piece",
        spec(exchange_lync_app_enabled=False),
        (POLICIES,),
        contains=(NOT_CONFIGURED + 'Exchange partner application "LyncEnterprise-',),
    ),
    # The pieces are there; OAU001 and PAP001 say what is wrong with them.
    Case(
        "an .xml autodiscover URL is OAU001's",
        spec(
            exchange_autodiscover_url="https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml"
        ),
    ),
    Case(
        "an Application trust level is PAP001's",
        spec(partner_trust_levels=(("microsoft.exchange", "Application"), *SHAREPOINT_ONLY)),
    ),
    Case(
        "policies that do not allow the contact store need no S2S",
        spec(
            partner_trust_levels=SHAREPOINT_ONLY,
            user_services_policies=(("Global", False), ("Tag:UcsPilot", False)),
        ),
        checked=2,
    ),
    Case(
        "each enabling policy is reported",
        spec(
            partner_trust_levels=SHAREPOINT_ONLY,
            user_services_policies=(
                ("Global", False),
                ("Tag:UcsPilot", True),
                ("Site:Atlanta", True),
            ),
        ),
        (POLICIES, POLICIES),
        checked=3,
    ),
    Case(
        # The default global UcsAllowed=True with no Exchange anywhere is no finding (v2).
        "Lync with only a SharePoint trust",
        LYNC_WITH_SHAREPOINT_ONLY,
        outcome="not applicable",
    ),
    Case(
        "Exchange Online only: UseOAuthServer on Lync, SfBLegacy on Exchange",
        spec(**EXCHANGE_ONLINE_ONLY),
        outcome="not applicable",
    ),
    Case(
        # SfBLegacy trusts Skype for Business Online, not the on-premises pool (v2).
        "Exchange has only SfBLegacy beside Lync's on-premises application",
        spec(exchange_lync_app=False, exchange_sfb_legacy=True),
        (POLICIES,),
        contains=(
            NOT_CONFIGURED + "Exchange has no partner application for on-premises Lync "
            '("SfBLegacy" is Skype for Business Online\'s)',
        ),
        fix_contains=("Configure-EnterprisePartnerApplication.ps1", "iisreset"),
    ),
    Case(
        "Lync trusts Exchange Online only while Exchange trusts the on-premises pool",
        spec(partner_apps_via_oauth_server=("microsoft.exchange",)),
        (POLICIES,),
        contains=(
            NOT_CONFIGURED + "Lync has no partner application for on-premises Exchange "
            '("microsoft.exchange" uses the OAuth server: Exchange Online)',
        ),
        fix_contains=("New-CsPartnerApplication -Identity microsoft.exchange.onpremises ",),
    ),
    Case("without the policies", spec(user_services_policies=()), outcome="not evaluated"),
    Case(
        "without the S2S evidence",
        without(spec(), "lync/oauth-configuration.xml"),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_ucs_without_s2s(case: Case, tmp_path: Path) -> None:
    check_case(case, "FEA001", tmp_path)


def test_the_finding_points_at_ucs_allowed_with_the_gap_related(tmp_path: Path) -> None:
    case = Case("no exchange app", spec(partner_trust_levels=SHAREPOINT_ONLY), (POLICIES,))
    (finding,) = findings_of(check_case(case, "FEA001", tmp_path), "FEA001")
    assert finding.location.pointer == "obj[0].UcsAllowed"
    assert [r.path for r in finding.related] == ["lync/partner-applications.xml"]


def test_every_gap_is_a_related_location(tmp_path: Path) -> None:
    case = Case(
        "two gaps", spec(exchange_autodiscover_url="", exchange_lync_app=False), (POLICIES,)
    )
    (finding,) = findings_of(check_case(case, "FEA001", tmp_path), "FEA001")
    assert finding.message.endswith(
        NOT_CONFIGURED
        + "ExchangeAutodiscoverUrl is empty; Exchange has no partner application for "
        "on-premises Lync"
    )
    assert [r.path for r in finding.related] == [
        "lync/oauth-configuration.xml",
        "exchange/partner-applications.xml",
    ]


def test_a_disabled_application_ends_the_message(tmp_path: Path) -> None:
    case = Case("disabled", spec(exchange_lync_app_enabled=False), (POLICIES,))
    (finding,) = findings_of(check_case(case, "FEA001", tmp_path), "FEA001")
    assert finding.message.endswith('" is disabled')


def test_each_enabling_policy_has_its_own_key(tmp_path: Path) -> None:
    policies = (("Global", False), ("Tag:UcsPilot", True), ("Site:Atlanta", True))
    case = Case(
        "keys",
        spec(partner_trust_levels=SHAREPOINT_ONLY, user_services_policies=policies),
        (POLICIES, POLICIES),
    )
    keys = [f.key for f in findings_of(check_case(case, "FEA001", tmp_path), "FEA001")]
    assert keys == ["user-services-policy:tag:ucspilot", "user-services-policy:site:atlanta"]


@pytest.mark.parametrize(
    ("case", "missing"),
    [
        (
            Case("no policies", spec(user_services_policies=()), outcome="not evaluated"),
            "a Get-CsUserServicesPolicy export",
        ),
        (
            Case(
                "no oauth",
                without(spec(), "lync/oauth-configuration.xml"),
                outcome="not evaluated",
            ),
            "a Get-CsOAuthConfiguration export and a Get-CsPartnerApplication export (to tell "
            "whether server-to-server authentication with Exchange is configured)",
        ),
    ],
    ids=["policies", "s2s-evidence"],
)
def test_not_evaluated_names_what_is_missing(case: Case, missing: str, tmp_path: Path) -> None:
    state = check_case(case, "FEA001", tmp_path).coverage["FEA001"]
    assert state == NotEvaluated(missing)


def _fix_of(case: Case, tmp_path: Path) -> str:
    (finding,) = findings_of(check_case(case, "FEA001", tmp_path), "FEA001")
    return finding.fix


def test_the_fix_closes_only_the_gaps_found(tmp_path: Path) -> None:
    # Lync's application for Exchange exists: it is not created again (New would fail).
    fix = _fix_of(Case("exchange side", spec(exchange_lync_app=False), (POLICIES,)), tmp_path)
    assert "New-CsPartnerApplication" not in fix
    assert (
        '& "$env:ExchangeInstallPath\\Scripts\\Configure-EnterprisePartnerApplication.ps1" '
        "-AuthMetadataUrl 'https://atl-cs-001.litwareinc.com/metadata/json/1' "
        "-ApplicationType Lync\niisreset"
    ) in fix
    assert_valid_powershell(fix)


def test_a_missing_lync_application_is_created_from_exchanges_metadata(tmp_path: Path) -> None:
    case = Case("lync side", spec(partner_trust_levels=SHAREPOINT_ONLY), (POLICIES,))
    fix = _fix_of(case, tmp_path)
    assert (
        "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full "
        "-MetadataUrl 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'"
    ) in fix
    assert_valid_powershell(fix, "Lync Server 2013")


def test_keeping_contacts_in_lync_rolls_back_the_migrated_users(tmp_path: Path) -> None:
    # UcsAllowed $False alone does not move contacts back: Invoke-CsUcsRollback does.
    fix = _fix_of(Case("global", spec(exchange_lync_app=False), (POLICIES,)), tmp_path)
    assert fix.splitlines()[-2:] == [
        "Set-CsUserServicesPolicy -Identity Global -UcsAllowed $False",
        "Get-CsUser -Filter {UserServicesPolicy -eq $Null} | Invoke-CsUcsRollback",
    ]


def test_a_tag_policys_users_are_found_by_its_name(tmp_path: Path) -> None:
    case = Case(
        "tag",
        spec(exchange_lync_app=False, user_services_policies=(("Tag:UcsPilot", True),)),
        (POLICIES,),
    )
    fix = _fix_of(case, tmp_path)
    assert fix.splitlines()[-2:] == [
        "Set-CsUserServicesPolicy -Identity 'Tag:UcsPilot' -UcsAllowed $False",
        "Get-CsUser -Filter {UserServicesPolicy -eq 'UcsPilot'} | Invoke-CsUcsRollback",
    ]
    assert_valid_powershell(fix)


def test_disabled_applications_are_enabled(tmp_path: Path) -> None:
    case = Case("disabled", spec(exchange_lync_app_enabled=False), (POLICIES,))
    fix = _fix_of(case, tmp_path)
    assert "# Exchange Management Shell\nSet-PartnerApplication -Identity LyncEnterprise-" in fix
    assert " -Enabled $True" in fix
    assert_valid_powershell(fix)


def test_not_applicable_says_why(tmp_path: Path) -> None:
    case = Case("sharepoint only", LYNC_WITH_SHAREPOINT_ONLY, outcome="not applicable")
    state = check_case(case, "FEA001", tmp_path).coverage["FEA001"]
    assert state == NotApplicable("on-premises Exchange integration is not configured")


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("FEA001")
