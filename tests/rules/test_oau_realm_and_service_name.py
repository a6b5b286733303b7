"""OAU004 realm-mismatch and OAU007 service-name-mismatch."""

from __future__ import annotations

from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome

from s2slint.rule import Evaluated, NotEvaluated

LYNC_ID = "00000004-0000-0ff1-ce00-000000000000"
EXCHANGE_ID = "00000002-0000-0ff1-ce00-000000000000"


def test_empty_realms_pass(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "OAU004") == []
    # The OAuth configuration, Exchange's application for Lync, Lync's for Exchange.
    assert outcome(result, "OAU004") == Evaluated((), 3)


def test_the_default_sip_domain_written_out_passes(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path, oauth_realm="LitwareInc.com", exchange_lync_app_realm="litwareinc.com"
    )
    assert findings(result, "OAU004") == []


def test_a_realm_other_than_the_default_sip_domain_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_realm="contoso.com")
    (finding,) = findings(result, "OAU004")
    assert finding.message == (
        'Lync OAuth Realm "contoso.com" differs from the default SIP domain "litwareinc.com"'
    )
    assert finding.location.pointer == "obj[0].Realm"
    assert [r.path for r in finding.related] == ["lync/topology.xml"]


def test_exchange_app_for_lync_with_another_realm_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_lync_app_realm="fabrikam.com")
    (finding,) = findings(result, "OAU004")
    assert finding.location.path == "exchange/partner-applications.xml"
    assert finding.message.endswith(
        'has Realm "fabrikam.com", but Lync\'s realm is "litwareinc.com"'
    )
    assert finding.key.startswith("exchange-partner-application:lyncenterprise-")


def test_lync_app_for_exchange_must_carry_exchanges_realm_when_set(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        exchange_auth_realm="litwareinc.com",
        partner_app_realms=(("microsoft.exchange", "exchange.litwareinc.com"),),
    )
    (finding,) = findings(result, "OAU004")
    assert finding.message == (
        'partner application "microsoft.exchange" (Exchange) has Realm '
        '"exchange.litwareinc.com", but Exchange\'s realm (Get-AuthConfig) is "litwareinc.com"'
    )
    assert [r.path for r in finding.related] == ["exchange/auth-config.xml"]


def test_exchange_online_and_sharepoint_realms_are_not_compared(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        exchange_online_realm="litwareinc.onmicrosoft.com",
        partner_app_realms=(("microsoft.sharepoint", "3f1d2c4b-5a69-4e7d-8c0b-1a2b3c4d5e6f"),),
    )
    assert findings(result, "OAU004") == []


def test_realm_without_any_evidence_is_not_evaluated(tmp_path: Path) -> None:
    lint_spec(tmp_path)
    bundle = tmp_path / "bundle"
    for path in (
        "lync/oauth-configuration.xml",
        "lync/partner-applications.xml",
        "exchange/partner-applications.xml",
    ):
        (bundle / path).unlink()
    assert isinstance(outcome(lint_path(bundle), "OAU004"), NotEvaluated)


def test_well_known_service_names_pass(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "OAU007") == []
    assert outcome(result, "OAU007") == Evaluated((), 2)


def test_lync_service_name_of_exchange_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_service_name=EXCHANGE_ID)
    (finding,) = findings(result, "OAU007")
    assert finding.message == (
        f'Lync OAuth ServiceName is "{EXCHANGE_ID}"; Lync must use {LYNC_ID}'
    )
    assert finding.location.path == "lync/oauth-configuration.xml"
    assert finding.location.pointer == "obj[0].ServiceName"


def test_exchange_service_name_empty_is_reported_and_case_is_ignored(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_auth_service_name="", oauth_service_name=LYNC_ID.upper())
    (finding,) = findings(result, "OAU007")
    assert (
        finding.message
        == f"Exchange AuthConfig ServiceName is empty; Exchange must use {EXCHANGE_ID}"
    )
    assert finding.location.path == "exchange/auth-config.xml"


def test_service_name_without_either_export_is_not_evaluated(tmp_path: Path) -> None:
    lint_spec(tmp_path)
    bundle = tmp_path / "bundle"
    (bundle / "lync" / "oauth-configuration.xml").unlink()
    assert outcome(lint_path(bundle), "OAU007") == Evaluated((), 1)
    (bundle / "exchange" / "auth-config.xml").unlink()
    assert isinstance(outcome(lint_path(bundle), "OAU007"), NotEvaluated)
