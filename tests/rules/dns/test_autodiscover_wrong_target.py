"""DNS002 autodiscover-wrong-target (offline)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import appended, spec, without

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

ZONE = "dns/litwareinc.com.dns"
WEB_SERVER = spec(
    autodiscover_dns_target="atl-web-001.litwareinc.com",
    extra_dns_records=(("atl-web-001.litwareinc.com", "A", "10.0.2.40"),),
)

CASES = (
    Case("a CNAME to the Exchange server passes", spec(), checked=1),
    Case(
        "pointing at a web server",
        WEB_SERVER,
        (ZONE,),
        contains=(
            'autodiscover host "autodiscover.litwareinc.com" resolves to '
            "atl-web-001.litwareinc.com -> 10.0.2.40, not to an Exchange server "
            "(atl-exch-001.litwareinc.com)",
        ),
    ),
    Case(
        "an A record with the Exchange server's address passes",
        appended(spec(autodiscover_dns_record=False), ZONE, "autodiscover\t\tA\t10.0.2.10\r\n"),
        checked=1,
    ),
    Case(
        "an A record with another address",
        appended(spec(autodiscover_dns_record=False), ZONE, "autodiscover\t\tA\t10.0.2.99\r\n"),
        (ZONE,),
        contains=("resolves to 10.0.2.99, not to an Exchange server",),
    ),
    Case(
        "a CNAME leaving the zones of the bundle",
        spec(autodiscover_dns_target="mail.contoso.net"),
        outcome="not evaluated",
    ),
    Case("no record at all is DNS001's business", spec(autodiscover_dns_record=False), checked=0),
    Case(
        "without the Exchange server list",
        without(spec(), "exchange/exchange-servers.xml"),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_autodiscover_wrong_target(case: Case, tmp_path: Path) -> None:
    check_case(case, "DNS002", tmp_path)


def test_the_finding_points_at_the_autodiscover_record(tmp_path: Path) -> None:
    (finding,) = findings_of(
        check_case(Case("web", WEB_SERVER, (ZONE,)), "DNS002", tmp_path), "DNS002"
    )
    text = (tmp_path / "bundle" / ZONE).read_text("ascii").splitlines()
    assert text[finding.location.line - 1].startswith("autodiscover")  # type: ignore[operator]
    assert [r.path for r in finding.related] == [
        "lync/oauth-configuration.xml",
        "exchange/exchange-servers.xml",
    ]


def test_a_cname_leaving_the_zones_names_its_target(tmp_path: Path) -> None:
    case = Case("out", spec(autodiscover_dns_target="mail.contoso.net"), outcome="not evaluated")
    state = check_case(case, "DNS002", tmp_path).coverage["DNS002"]
    assert isinstance(state, NotEvaluated) and "mail.contoso.net" in state.missing


def test_not_evaluated_names_the_exchange_server_export(tmp_path: Path) -> None:
    case = Case("none", without(spec(), "exchange/exchange-servers.xml"), outcome="not evaluated")
    state = check_case(case, "DNS002", tmp_path).coverage["DNS002"]
    assert state == NotEvaluated("a Get-ExchangeServer export (the Exchange servers)")
