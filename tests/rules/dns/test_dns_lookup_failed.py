"""DNS004 dns-lookup-failed: live lookups that prove nothing are reported as such."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_lint import spec
from dnsserver import free_port, knot_available, knot_server
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.config import Config
from s2slint.rule import Evaluated, NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of, lint_bundle

CASES = (Case("offline, nothing was looked up", spec(), outcome="not evaluated"),)

ZONE = """$ORIGIN litwareinc.com.
$TTL 3600
@               IN SOA  atl-dc-001.litwareinc.com. hostmaster.litwareinc.com. ( 1 900 600 86400 3600 )
@               IN NS   atl-dc-001.litwareinc.com.
atl-dc-001      IN A    10.0.0.10
atl-cs-001      IN A    10.0.1.10
atl-exch-001    IN A    10.0.2.21
sharepoint      IN A    10.0.3.10
autodiscover    IN CNAME atl-exch-001.litwareinc.com.
"""


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_dns_lookup_failed(case: Case, tmp_path: Path) -> None:
    check_case(case, "DNS004", tmp_path)


def test_offline_names_live_lookups_as_the_missing_evidence(tmp_path: Path) -> None:
    state = check_case(CASES[0], "DNS004", tmp_path).coverage["DNS004"]
    assert state == NotEvaluated("live DNS lookups (--dns live)")


def _live(bundle: Path, port: int) -> Config:
    return Config(
        root=bundle, dns_mode="live", nameservers=("127.0.0.1",), dns_port=port, dns_timeout=1
    )


def test_a_dead_nameserver_is_reported_for_every_host(tmp_path: Path) -> None:
    bundle = spec()(tmp_path)
    result = lint_bundle(bundle, config=_live(bundle, free_port()))
    found = findings_of(result, "DNS004")
    assert sorted(f.key for f in found) == [
        "dns-lookup:atl-cs-001.litwareinc.com",
        "dns-lookup:atl-exch-001.litwareinc.com",
        "dns-lookup:autodiscover.litwareinc.com",
        "dns-lookup:sharepoint.litwareinc.com",
    ]
    assert all("the record is unproven, not reported missing" in f.message for f in found)
    # The fix asks the same nameserver again, from PowerShell (no port parameter there).
    assert all(f.fix.endswith(" -Server 127.0.0.1 -DnsOnly") for f in found), found[0].fix
    assert_valid_powershell("\n".join(f.fix for f in found), "Windows Server 2016")
    # The autodiscover host's failure points at where the bundle names it.
    (autodiscover,) = [f for f in found if f.key.endswith("autodiscover.litwareinc.com")]
    assert autodiscover.location.path == "lync/oauth-configuration.xml"


@pytest.fixture(scope="module")
def answering_dns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    if not knot_available():
        pytest.skip("knotd is not installed")
    with knot_server(tmp_path_factory.mktemp("knot"), "litwareinc.com", ZONE) as port:
        yield port


def test_a_nameserver_that_answers_passes(tmp_path: Path, answering_dns: int) -> None:
    bundle = spec()(tmp_path)
    result = lint_bundle(bundle, config=_live(bundle, answering_dns))
    assert findings_of(result, "DNS004") == []
    assert result.coverage["DNS004"] == Evaluated((), 4)


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("DNS004")
