"""HYB001 acs-metadata-url-malformed."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec
from fixturegen import ACS_METADATA_URL, TENANT_ID
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

ACS = "https://accounts.accesscontrol.windows.net"
SERVERS = "lync/oauth-servers.xml"

MALFORMED = (
    (f"{ACS}/metadata/json/1", "does not have the path /<tenant>/metadata/json/1"),
    (f"{ACS}/<tenant>/metadata/json/1", 'names "<tenant>", which is neither a tenant ID'),
    (f"http://accounts.accesscontrol.windows.net/{TENANT_ID}/metadata/json/1", 'uses "http"'),
    (
        f"https://login.windows.net/{TENANT_ID}/metadata/json/1",
        'is on "login.windows.net", not accounts.accesscontrol.windows.net',
    ),
    ("", "is empty"),
)

CASES = (
    Case("the tenant's ACS URL passes", spec(), checked=1),
    Case(
        "a tenant domain name is accepted",
        spec(acs_metadata_url=f"{ACS}/litwareinc.onmicrosoft.com/metadata/json/1"),
        checked=1,
    ),
    Case("evoSTS alone is not an ACS server", spec(oauth_servers=("evoSTS",)), checked=0),
    *(
        Case(
            f"{url or 'empty'}: {problem}",
            spec(acs_metadata_url=url),
            (SERVERS,),
            contains=(f'OAuth server "microsoft.sts" MetadataUrl "{url}" {problem}',),
        )
        for url, problem in MALFORMED
    ),
    Case(
        "an OAuth server on ACS under another name is checked",
        spec(
            oauth_servers=("Office 365", "evoSTS"),
            acs_metadata_url=ACS_METADATA_URL.replace("/json/1", "/json"),
        ),
        (SERVERS,),
        contains=('OAuth server "Office 365"',),
    ),
    Case(
        "without OAuth servers",
        spec(oauth_servers=(), client_authorization_oauth_server_identity=""),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_acs_metadata_url_malformed(case: Case, tmp_path: Path) -> None:
    check_case(case, "HYB001", tmp_path)


def test_the_finding_points_at_the_metadata_url(tmp_path: Path) -> None:
    case = Case("no tenant", spec(acs_metadata_url=f"{ACS}/metadata/json/1"), (SERVERS,))
    (finding,) = findings_of(check_case(case, "HYB001", tmp_path), "HYB001")
    assert finding.location.pointer == "obj[0].MetadataUrl"
    assert finding.key == "oauth-server:microsoft.sts"


def test_not_evaluated_names_the_oauth_server_export(tmp_path: Path) -> None:
    case = Case(
        "none",
        spec(oauth_servers=(), client_authorization_oauth_server_identity=""),
        outcome="not evaluated",
    )
    state = check_case(case, "HYB001", tmp_path).coverage["HYB001"]
    assert state == NotEvaluated("a Get-CsOAuthServer export")


@pytest.mark.parametrize(("url", "problem"), MALFORMED, ids=[p for _, p in MALFORMED])
def test_the_fix_names_the_tenant_the_bundle_knows(tmp_path: Path, url: str, problem: str) -> None:
    # The OAuth server's Realm (read from the tenant's metadata) is the tenant ID.
    case = Case("fix", spec(acs_metadata_url=url), (SERVERS,))
    (finding,) = findings_of(check_case(case, "HYB001", tmp_path), "HYB001")
    assert finding.fix == (
        f"Set-CsOAuthServer -Identity microsoft.sts -MetadataUrl '{ACS}/{TENANT_ID}/metadata/json/1'"
    )
    assert_valid_powershell(finding.fix, "Lync Server 2013")


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("HYB001")
