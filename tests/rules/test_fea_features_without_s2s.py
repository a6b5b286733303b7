"""FEA001 ucs-without-s2s and FEA002 exchange-archiving-without-s2s."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome

from s2slint.rule import Evaluated, NotEvaluated

BOTH = ("FEA001", "FEA002")


def test_features_with_s2s_configured_pass(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    for code in BOTH:
        assert findings(result, code) == []
        assert outcome(result, code) == Evaluated((), 1)


def test_ucs_without_an_exchange_partner_application_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, partner_trust_levels=(("microsoft.sharepoint", "Full"),))
    (finding,) = findings(result, "FEA001")
    assert finding.message == (
        'user services policy "Global" allows the unified contact store, but '
        "server-to-server authentication with Exchange is not fully configured: "
        "Lync has no partner application for Exchange"
    )
    assert finding.location.path == "lync/user-services-policies.xml"
    assert finding.location.pointer == "obj[0].UcsAllowed"
    assert [r.path for r in finding.related] == ["lync/partner-applications.xml"]
    (archiving,) = findings(result, "FEA002")
    assert archiving.message.startswith(
        'archiving configuration "Global" enables Exchange archiving, but'
    )
    assert archiving.location.pointer == "obj[0].EnableExchangeArchiving"


def test_every_missing_piece_is_listed(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_autodiscover_url="", exchange_lync_app=False)
    (finding,) = findings(result, "FEA001")
    assert finding.message.endswith(
        "not fully configured: ExchangeAutodiscoverUrl is empty; "
        "Exchange has no partner application for Lync"
    )
    assert [r.path for r in finding.related] == [
        "lync/oauth-configuration.xml",
        "exchange/partner-applications.xml",
    ]


def test_no_oauth_certificate_assigned_is_a_missing_piece(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        omit_server_exports=("atl-fe-02.litwareinc.com", "atl-fe-03.litwareinc.com"),
        missing_oauth_on="atl-fe-01.litwareinc.com",
    )
    (finding,) = findings(result, "FEA002")
    assert finding.message.endswith(
        "not fully configured: no OAuthTokenIssuer certificate is assigned (Get-CsCertificate)"
    )


def test_disabled_partner_applications_are_missing_pieces(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_lync_app_enabled=False)
    (finding,) = findings(result, "FEA001")
    assert 'not fully configured: Exchange partner application "LyncEnterprise-' in (
        finding.message
    )
    assert finding.message.endswith('" is disabled')


@pytest.mark.parametrize(
    "changes",
    [
        {
            "exchange_autodiscover_url": "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml"
        },
        {
            "partner_trust_levels": (
                ("microsoft.exchange", "Application"),
                ("microsoft.sharepoint", "Full"),
            )
        },
    ],
    ids=["xml-url", "application-trust"],
)
def test_misconfigured_pieces_are_left_to_their_own_rules(
    tmp_path: Path, changes: dict[str, object]
) -> None:
    # The pieces are there; OAU001 and PAP001 say what is wrong with them.
    result = lint_spec(tmp_path, **changes)
    for code in BOTH:
        assert findings(result, code) == []


def test_features_turned_off_need_no_s2s(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        partner_trust_levels=(("microsoft.sharepoint", "Full"),),
        user_services_policies=(("Global", False), ("Tag:UcsPilot", False)),
        exchange_archiving=False,
    )
    assert outcome(result, "FEA001") == Evaluated((), 2)
    assert outcome(result, "FEA002") == Evaluated((), 1)


def test_each_enabling_policy_is_reported(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        partner_trust_levels=(("microsoft.sharepoint", "Full"),),
        user_services_policies=(("Global", False), ("Tag:UcsPilot", True), ("Site:Atlanta", True)),
    )
    keys = [f.key for f in findings(result, "FEA001")]
    assert keys == ["user-services-policy:tag:ucspilot", "user-services-policy:site:atlanta"]


def test_without_the_feature_exports_they_are_not_evaluated(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, user_services_policies=(), exchange_archiving=None)
    assert outcome(result, "FEA001") == NotEvaluated("a Get-CsUserServicesPolicy export")
    assert outcome(result, "FEA002") == NotEvaluated("a Get-CsArchivingConfiguration export")


def test_without_the_s2s_evidence_an_enabled_feature_is_not_evaluated(tmp_path: Path) -> None:
    lint_spec(tmp_path)
    bundle = tmp_path / "bundle"
    (bundle / "lync" / "oauth-configuration.xml").unlink()
    result = lint_path(bundle)
    for code in BOTH:
        state = outcome(result, code)
        assert isinstance(state, NotEvaluated) and "Get-CsOAuthConfiguration" in state.missing
