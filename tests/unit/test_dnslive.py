"""Live DNS lookups against a real Knot server on loopback (issue: live DNS)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dnsserver import free_port, knot_available, knot_server

from s2slint.dnslive import NODATA, NXDOMAIN, OK, TIMEOUT, LiveSettings, resolve

pytestmark = pytest.mark.skipif(not knot_available(), reason="knotd is not installed")

ZONE = """$ORIGIN litwareinc.com.
$TTL 3600
@               IN SOA  atl-dc-001.litwareinc.com. hostmaster.litwareinc.com. ( 1 900 600 86400 3600 )
@               IN NS   atl-dc-001.litwareinc.com.
atl-dc-001      IN A    10.0.0.10
atl-cs-001      IN A    10.0.1.10
atl-exch-001    IN A    10.0.2.21
atl-exch-001    IN AAAA fd00::2:21
autodiscover    IN CNAME atl-exch-001.litwareinc.com.
textonly        IN TXT  "no address here"
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with knot_server(tmp_path_factory.mktemp("knot"), "litwareinc.com", ZONE) as port:
        yield port


def test_cname_chain_is_followed_and_the_answering_server_named(server: int) -> None:
    answers = resolve(["AutoDiscover.litwareinc.com."], LiveSettings(("127.0.0.1",), server))
    answer = answers["autodiscover.litwareinc.com"]
    assert answer.status == OK and answer.exists
    assert answer.chain == (
        "autodiscover.litwareinc.com CNAME atl-exch-001.litwareinc.com",
        "atl-exch-001.litwareinc.com A 10.0.2.21",
    )
    assert answer.addresses == ("10.0.2.21",)
    assert answer.server == f"127.0.0.1:{server}"


def test_nxdomain_and_nodata_are_real_answers(server: int) -> None:
    answers = resolve(
        ["missing.litwareinc.com", "textonly.litwareinc.com"], LiveSettings(("127.0.0.1",), server)
    )
    assert answers["missing.litwareinc.com"].status == NXDOMAIN
    assert answers["textonly.litwareinc.com"].status == NODATA
    assert not answers["missing.litwareinc.com"].unproven
    assert list(answers) == sorted(answers)


def test_a_dead_nameserver_costs_the_timeout_once_not_per_name() -> None:
    port = free_port()  # nothing listens here
    hosts = [f"host{i}.litwareinc.com" for i in range(200)]
    started = time.monotonic()
    answers = resolve(hosts, LiveSettings(("127.0.0.1",), port, timeout=1.0, workers=16))
    elapsed = time.monotonic() - started
    assert {a.status for a in answers.values()} == {TIMEOUT}
    assert all(a.unproven for a in answers.values())
    # A hang guard, not a benchmark: 200 names x 1 s would take minutes if unbounded.
    assert elapsed < 30


def test_no_hosts_no_queries() -> None:
    assert resolve([], LiveSettings(("127.0.0.1",), 9)) == {}


def test_answers_are_deterministic(server: int, tmp_path: Path) -> None:
    settings = LiveSettings(("127.0.0.1",), server)
    hosts = ["atl-cs-001.litwareinc.com", "autodiscover.litwareinc.com", "missing.litwareinc.com"]
    assert resolve(hosts, settings) == resolve(list(reversed(hosts)), settings)
