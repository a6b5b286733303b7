"""OAU005 exchange-autodiscover-uri-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

CLIENT_ACCESS = "exchange/client-access.xml"

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
