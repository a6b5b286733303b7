"""OAU007 service-name-mismatch."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.testing import Case, case_id, check_case, findings_of

LYNC_ID = "00000004-0000-0ff1-ce00-000000000000"
EXCHANGE_ID = "00000002-0000-0ff1-ce00-000000000000"
OAUTH = "lync/oauth-configuration.xml"
AUTH_CONFIG = "exchange/auth-config.xml"

CASES = (
    Case("well-known service names pass", spec(), checked=2),
    Case(
        "Lync's service name is Exchange's",
        spec(oauth_service_name=EXCHANGE_ID),
        (OAUTH,),
        contains=(f'Lync OAuth ServiceName is "{EXCHANGE_ID}"; Lync must use {LYNC_ID}',),
        fix_contains=(f"Set-CsOAuthConfiguration -Identity Global -ServiceName {LYNC_ID}",),
    ),
    Case(
        "Exchange's empty, and letter case ignored on Lync's",
        spec(exchange_auth_service_name="", oauth_service_name=LYNC_ID.upper()),
        (AUTH_CONFIG,),
        contains=(f"Exchange AuthConfig ServiceName is empty; Exchange must use {EXCHANGE_ID}",),
        fix_contains=(f"Set-AuthConfig -ServiceName {EXCHANGE_ID}",),
    ),
    Case("Exchange's AuthConfig alone", without(spec(), OAUTH), checked=1),
    Case("neither export", without(spec(), OAUTH, AUTH_CONFIG), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_service_name_mismatch(case: Case, tmp_path: Path) -> None:
    check_case(case, "OAU007", tmp_path)


def test_lyncs_finding_points_at_the_service_name(tmp_path: Path) -> None:
    case = Case("lync", spec(oauth_service_name=EXCHANGE_ID), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU007", tmp_path), "OAU007")
    assert finding.message == f'Lync OAuth ServiceName is "{EXCHANGE_ID}"; Lync must use {LYNC_ID}'
    assert finding.location.pointer == "obj[0].ServiceName"


@pytest.mark.parametrize(
    ("changes", "path", "product"),
    [
        ({"oauth_service_name": EXCHANGE_ID}, OAUTH, "Lync Server 2013"),
        ({"exchange_auth_service_name": ""}, AUTH_CONFIG, "Exchange Server 2013"),
    ],
    ids=["lync", "exchange"],
)
def test_the_fixes_are_valid_powershell(
    tmp_path: Path, changes: dict[str, object], path: str, product: str
) -> None:
    result = check_case(Case("fix", spec(**changes), (path,)), "OAU007", tmp_path)
    (finding,) = findings_of(result, "OAU007")
    assert_valid_powershell(finding.fix, product)


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("OAU007")
