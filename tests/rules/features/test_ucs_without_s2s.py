"""FEA001 ucs-without-s2s."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

POLICIES = "lync/user-services-policies.xml"
SHAREPOINT_ONLY = (("microsoft.sharepoint", "Full"),)
NOT_CONFIGURED = "server-to-server authentication with Exchange is not fully configured: "

CASES = (
    Case("S2S with Exchange configured passes", spec(), checked=1),
    Case(
        "no partner application for Exchange",
        spec(partner_trust_levels=SHAREPOINT_ONLY),
        (POLICIES,),
        contains=(
            'user services policy "Global" allows the unified contact store, but '
            + NOT_CONFIGURED
            + "Lync has no partner application for Exchange",
        ),
    ),
    Case(
        "every missing piece is listed",
        spec(exchange_autodiscover_url="", exchange_lync_app=False),
        (POLICIES,),
        contains=(
            NOT_CONFIGURED
            + "ExchangeAutodiscoverUrl is empty; Exchange has no partner application for Lync",
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
        + "ExchangeAutodiscoverUrl is empty; Exchange has no partner application for Lync"
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
