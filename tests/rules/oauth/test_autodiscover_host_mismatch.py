"""OAU006 autodiscover-host-mismatch."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

OAUTH = "lync/oauth-configuration.xml"
CLIENT_ACCESS = "exchange/client-access.xml"
MAIL = "https://mail.litwareinc.com/autodiscover/autodiscover.svc"

CASES = (
    Case("the same host on both sides passes", spec(), checked=1),
    Case(
        "host comparison ignores case and path",
        spec(
            exchange_autodiscover_internal_uri="https://AutoDiscover.LitwareInc.com/Autodiscover/Autodiscover.xml"
        ),
        checked=1,
    ),
    Case(
        "a different host is reported at Lync's URL",
        spec(exchange_autodiscover_url=MAIL),
        (OAUTH,),
        contains=(
            'ExchangeAutodiscoverUrl host "mail.litwareinc.com" differs from the host of '
            'Exchange\'s AutoDiscoverServiceInternalUri ("autodiscover.litwareinc.com")',
        ),
    ),
    # Nothing to compare the Lync host with: OAU005 reports the empty URI.
    Case("no Exchange URI to compare with", spec(exchange_autodiscover_internal_uri=""), checked=0),
    Case(
        "without the Client Access export", without(spec(), CLIENT_ACCESS), outcome="not evaluated"
    ),
    Case("without the OAuth configuration", without(spec(), OAUTH), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_autodiscover_host_mismatch(case: Case, tmp_path: Path) -> None:
    check_case(case, "OAU006", tmp_path)


def test_exchanges_uri_is_the_related_location(tmp_path: Path) -> None:
    case = Case("mail", spec(exchange_autodiscover_url=MAIL), (OAUTH,))
    (finding,) = findings_of(check_case(case, "OAU006", tmp_path), "OAU006")
    assert [r.path for r in finding.related] == [CLIENT_ACCESS]


def test_not_evaluated_names_the_client_access_export(tmp_path: Path) -> None:
    case = Case("none", without(spec(), CLIENT_ACCESS), outcome="not evaluated")
    state = check_case(case, "OAU006", tmp_path).coverage["OAU006"]
    assert isinstance(state, NotEvaluated) and "Get-ClientAccessService" in state.missing
