"""HYB001 acs-metadata-url-malformed, HYB002 exchange-online-realm-not-empty and
HYB003 hma-oauth-server-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome
from fixturegen import ACS_METADATA_URL, TENANT_ID

from s2slint.rule import Evaluated, NotEvaluated

ACS = "https://accounts.accesscontrol.windows.net"


def test_healthy_hybrid_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    for code in ("HYB001", "HYB002", "HYB003"):
        assert findings(result, code) == []
        assert outcome(result, code) == Evaluated((), 1)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (f"{ACS}/metadata/json/1", "does not have the path /<tenant>/metadata/json/1"),
        (f"{ACS}/<tenant>/metadata/json/1", 'names "<tenant>", which is neither a tenant ID'),
        (f"http://accounts.accesscontrol.windows.net/{TENANT_ID}/metadata/json/1", 'uses "http"'),
        (
            f"https://login.windows.net/{TENANT_ID}/metadata/json/1",
            'is on "login.windows.net", not accounts.accesscontrol.windows.net',
        ),
        ("", "is empty"),
    ],
)
def test_a_malformed_acs_metadata_url_is_reported(tmp_path: Path, url: str, problem: str) -> None:
    result = lint_spec(tmp_path, acs_metadata_url=url)
    (finding,) = findings(result, "HYB001")
    assert finding.message.startswith(f'OAuth server "microsoft.sts" MetadataUrl "{url}" {problem}')
    assert finding.location.path == "lync/oauth-servers.xml"
    assert finding.location.pointer == "obj[0].MetadataUrl"
    assert finding.key == "oauth-server:microsoft.sts"


def test_a_tenant_domain_name_is_accepted(tmp_path: Path) -> None:
    url = f"{ACS}/litwareinc.onmicrosoft.com/metadata/json/1"
    assert findings(lint_spec(tmp_path, acs_metadata_url=url), "HYB001") == []


def test_evosts_alone_is_not_an_acs_server(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_servers=("evoSTS",))
    assert outcome(result, "HYB001") == Evaluated((), 0)


def test_an_oauth_server_on_acs_under_another_name_is_checked(tmp_path: Path) -> None:
    url = ACS_METADATA_URL.replace("/json/1", "/json")
    result = lint_spec(tmp_path, oauth_servers=("Office 365", "evoSTS"), acs_metadata_url=url)
    (finding,) = findings(result, "HYB001")
    assert finding.message.startswith('OAuth server "Office 365"')


def test_hyb001_without_oauth_servers_is_not_evaluated(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_servers=(), client_authorization_oauth_server_identity="")
    assert outcome(result, "HYB001") == NotEvaluated("a Get-CsOAuthServer export")


def test_exchange_online_with_a_realm_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_online_realm="litwareinc.com")
    (finding,) = findings(result, "HYB002")
    assert finding.message == (
        'Exchange partner application "Exchange Online" (Exchange Online) has Realm '
        '"litwareinc.com"; it must be empty'
    )
    assert finding.location.path == "exchange/partner-applications.xml"
    assert finding.location.pointer == "obj[1].Realm"


def test_on_premises_only_exchange_has_no_exchange_online_application(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_hybrid=False)
    assert outcome(result, "HYB002") == Evaluated((), 0)


def test_hyb002_without_exchange_partner_applications_is_not_evaluated(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_hybrid=False, exchange_lync_app=False)
    assert outcome(result, "HYB002") == NotEvaluated("an Exchange Get-PartnerApplication export")


def test_modern_authentication_naming_a_missing_oauth_server_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_servers=("microsoft.sts",))
    (finding,) = findings(result, "HYB003")
    assert finding.message == (
        'ClientAuthorizationOAuthServerIdentity names "evoSTS", but no OAuth server of that '
        'identity is defined (Get-CsOAuthServer has "microsoft.sts")'
    )
    assert finding.location.pointer == "obj[0].ClientAuthorizationOAuthServerIdentity"
    assert [r.path for r in finding.related] == ["lync/oauth-servers.xml"]


def test_identities_are_compared_without_case(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, client_authorization_oauth_server_identity="EVOSTS")
    assert findings(result, "HYB003") == []


def test_modern_authentication_off_has_nothing_to_check(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_servers=(), client_authorization_oauth_server_identity="")
    assert outcome(result, "HYB003") == Evaluated((), 0)


def test_hyb003_needs_the_oauth_servers_when_one_is_named(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_servers=())
    state = outcome(result, "HYB003")
    assert isinstance(state, NotEvaluated) and "Get-CsOAuthServer" in state.missing
    lint_spec(tmp_path)
    (tmp_path / "bundle" / "lync" / "oauth-configuration.xml").unlink()
    state = outcome(lint_path(tmp_path / "bundle"), "HYB003")
    assert state == NotEvaluated("a Get-CsOAuthConfiguration export")
