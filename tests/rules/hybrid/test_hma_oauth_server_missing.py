"""HYB003 hma-oauth-server-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell, pscheck

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

OAUTH = "lync/oauth-configuration.xml"
MESSAGE = (
    'ClientAuthorizationOAuthServerIdentity names "evoSTS", but no OAuth server of that '
    'identity is defined (Get-CsOAuthServer has "microsoft.sts")'
)

CASES = (
    Case("evoSTS defined passes", spec(), checked=1),
    Case(
        "identities are compared without case",
        spec(client_authorization_oauth_server_identity="EVOSTS"),
        checked=1,
    ),
    Case(
        "modern authentication naming a missing OAuth server",
        spec(oauth_servers=("microsoft.sts",)),
        (OAUTH,),
        contains=(MESSAGE,),
    ),
    Case(
        "modern authentication off has nothing to check",
        spec(oauth_servers=(), client_authorization_oauth_server_identity=""),
        checked=0,
    ),
    Case(
        "a named server without the OAuth servers", spec(oauth_servers=()), outcome="not evaluated"
    ),
    Case("without the OAuth configuration", without(spec(), OAUTH), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_hma_oauth_server_missing(case: Case, tmp_path: Path) -> None:
    check_case(case, "HYB003", tmp_path)


def test_the_finding_points_at_the_setting_with_the_servers_related(tmp_path: Path) -> None:
    case = Case("missing", spec(oauth_servers=("microsoft.sts",)), (OAUTH,))
    (finding,) = findings_of(check_case(case, "HYB003", tmp_path), "HYB003")
    assert finding.message == MESSAGE
    assert finding.location.pointer == "obj[0].ClientAuthorizationOAuthServerIdentity"
    assert [r.path for r in finding.related] == ["lync/oauth-servers.xml"]


def test_not_evaluated_names_what_is_missing(tmp_path: Path) -> None:
    case = Case("no servers", spec(oauth_servers=()), outcome="not evaluated")
    state = check_case(case, "HYB003", tmp_path / "servers").coverage["HYB003"]
    assert isinstance(state, NotEvaluated) and "Get-CsOAuthServer" in state.missing
    case = Case("no oauth", without(spec(), OAUTH), outcome="not evaluated")
    state = check_case(case, "HYB003", tmp_path / "oauth").coverage["HYB003"]
    assert state == NotEvaluated("a Get-CsOAuthConfiguration export")


def test_the_fix_creates_the_named_server_for_skype_for_business_2015(tmp_path: Path) -> None:
    case = Case("missing", spec(oauth_servers=("microsoft.sts",)), (OAUTH,))
    (finding,) = findings_of(check_case(case, "HYB003", tmp_path), "HYB003")
    assert finding.fix.splitlines()[0] == (
        "New-CsOAuthServer -Identity evoSTS -MetadataUrl "
        "'https://login.windows.net/common/FederationMetadata/2007-06/FederationMetadata.xml' "
        "-AcceptSecurityIdentifierInformation $True -Type AzureAD"
    )
    assert_valid_powershell(finding.fix, "Skype for Business Server 2015")
    # As the rule's documentation says, Lync Server 2013 has neither -Type nor the setting.
    assert pscheck(finding.fix, "Lync Server 2013")


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("HYB003")
