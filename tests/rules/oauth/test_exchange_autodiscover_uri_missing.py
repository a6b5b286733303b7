"""OAU005 exchange-autodiscover-uri-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

CLIENT_ACCESS = "exchange/client-access.xml"

URI = "'https://autodiscover.litwareinc.com/Autodiscover/Autodiscover.xml'"
EXCHANGE_2013 = (15, 0, 1497, 2)

CASES = (
    Case("the .xml internal URI is right on the Exchange side", spec(), checked=1),
    Case(
        "an unset internal URI",
        spec(exchange_autodiscover_internal_uri=""),
        (CLIENT_ACCESS,),
        contains=(
            'Exchange Client Access service "ATL-EXCH-001" has an empty '
            "AutoDiscoverServiceInternalUri",
        ),
        fix_contains=(
            f"Set-ClientAccessService -Identity ATL-EXCH-001 -AutoDiscoverServiceInternalUri {URI}",
        ),
    ),
    Case(
        "Exchange 2013 gets Set-ClientAccessServer",
        spec(exchange_autodiscover_internal_uri="", exchange_build=EXCHANGE_2013),
        (CLIENT_ACCESS,),
        fix_contains=(
            f"Set-ClientAccessServer -Identity ATL-EXCH-001 -AutoDiscoverServiceInternalUri {URI}",
        ),
    ),
    Case(
        "without the Client Access export",
        without(spec(), CLIENT_ACCESS),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_exchange_autodiscover_uri_missing(case: Case, tmp_path: Path) -> None:
    check_case(case, "OAU005", tmp_path)


def test_an_unset_uri_points_at_the_servers_object(tmp_path: Path) -> None:
    case = Case("unset", spec(exchange_autodiscover_internal_uri=""), (CLIENT_ACCESS,))
    (finding,) = findings_of(check_case(case, "OAU005", tmp_path), "OAU005")
    assert finding.message == (
        'Exchange Client Access service "ATL-EXCH-001" has an empty AutoDiscoverServiceInternalUri'
    )
    # `<Nil>` reads as "not there": the finding points at the server's object.
    assert finding.location.pointer == "obj[0]"
    assert finding.key == "client-access:atl-exch-001"


def test_not_evaluated_names_the_client_access_export(tmp_path: Path) -> None:
    case = Case("none", without(spec(), CLIENT_ACCESS), outcome="not evaluated")
    state = check_case(case, "OAU005", tmp_path).coverage["OAU005"]
    assert isinstance(state, NotEvaluated) and "Get-ClientAccessService" in state.missing


@pytest.mark.parametrize(
    ("build", "product"),
    [(EXCHANGE_2013, "Exchange Server 2013"), ((15, 1, 2507, 6), "Exchange Server 2016")],
    ids=["2013", "2016"],
)
def test_the_fix_runs_on_the_servers_exchange_version(
    tmp_path: Path, build: tuple[int, int, int, int], product: str
) -> None:
    case = Case(
        "version",
        spec(exchange_autodiscover_internal_uri="", exchange_build=build),
        (CLIENT_ACCESS,),
    )
    (finding,) = findings_of(check_case(case, "OAU005", tmp_path), "OAU005")
    assert_valid_powershell(finding.fix, product)


def test_without_the_server_list_the_fix_uses_the_cmdlet_every_version_has(
    tmp_path: Path,
) -> None:
    case = Case(
        "no servers",
        without(spec(exchange_autodiscover_internal_uri=""), "exchange/exchange-servers.xml"),
        (CLIENT_ACCESS,),
    )
    (finding,) = findings_of(check_case(case, "OAU005", tmp_path), "OAU005")
    assert finding.fix.startswith("Set-ClientAccessServer -Identity ATL-EXCH-001 ")
    assert_valid_powershell(finding.fix, "Exchange Server 2013", "Exchange Server 2019")


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("OAU005")
