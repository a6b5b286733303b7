"""`s2slint check --dns live` end to end, against a real Knot server on loopback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import fixturegen
import pytest
from dnsserver import free_port, knot_available, knot_server
from exports import run_module

pytestmark = pytest.mark.skipif(not knot_available(), reason="knotd is not installed")

HOSTS = """$ORIGIN litwareinc.com.
$TTL 3600
@               IN SOA  atl-dc-001.litwareinc.com. hostmaster.litwareinc.com. ( 1 900 600 86400 3600 )
@               IN NS   atl-dc-001.litwareinc.com.
atl-dc-001      IN A    10.0.0.10
atl-cs-001      IN A    10.0.1.10
atl-exch-001    IN A    10.0.2.21
sharepoint      IN A    10.0.3.10
"""
WITH_AUTODISCOVER = HOSTS + "autodiscover    IN CNAME atl-exch-001.litwareinc.com.\n"


def check(bundle: Path, *args: str) -> tuple[int, dict[str, object], str]:
    """Run the CLI with JSON output; return exit code, report and stderr."""
    argv = ("check", str(bundle), "--as-of", "2026-11-21", "--output-format", "json")
    process = run_module(*argv, "--isolated", *args, cwd=bundle.parent)
    return process.returncode, json.loads(process.stdout), process.stderr


def codes(report: dict[str, object]) -> list[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [f["code"] for f in findings]


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    root = tmp_path / "bundle"
    # The healthy bundle with every export, so that a clean run exits 0 (no INP006).
    fixturegen.write_bundle(fixturegen.SHAREPOINT_INTEGRATED, root)
    return root


@pytest.fixture(scope="module")
def healthy_dns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with knot_server(tmp_path_factory.mktemp("k1"), "litwareinc.com", WITH_AUTODISCOVER) as port:
        yield port


@pytest.fixture(scope="module")
def broken_dns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with knot_server(tmp_path_factory.mktemp("k2"), "litwareinc.com", HOSTS) as port:
        yield port


def live(port: int) -> tuple[str, ...]:
    return ("--dns", "live", "--nameserver", "127.0.0.1", "--dns-port", str(port))


def test_live_answers_agreeing_with_the_export_pass(bundle: Path, healthy_dns: int) -> None:
    code, report, _ = check(bundle, *live(healthy_dns))
    assert code == 0, report["findings"]
    summary = report["summary"]
    assert isinstance(summary, dict)
    assert "DNS004" in summary["evaluated"] and "DNS001" in summary["evaluated"]


def test_live_nxdomain_without_an_export_is_dns001(bundle: Path, broken_dns: int) -> None:
    shutil.rmtree(bundle / "dns")
    code, report, _ = check(bundle, *live(broken_dns))
    assert code == 1
    findings = report["findings"]
    assert isinstance(findings, list)
    dns001 = [f for f in findings if f["code"] == "DNS001"]
    assert len(dns001) == 1
    assert dns001[0]["message"] == (
        'autodiscover host "autodiscover.litwareinc.com" has no A, AAAA or CNAME record: '
        f"live DNS (127.0.0.1:{broken_dns}) answers NXDOMAIN"
    )
    assert dns001[0]["path"].endswith("lync/oauth-configuration.xml")


def test_export_and_live_dns_disagreeing_is_reported_as_stale(
    bundle: Path, broken_dns: int
) -> None:
    # The zone export has the autodiscover record; the live server does not.
    _, report, _ = check(bundle, *live(broken_dns))
    findings = report["findings"]
    assert isinstance(findings, list)
    (stale,) = [f for f in findings if f["code"] == "DNS001"]
    assert "the zone export is stale" in stale["message"]
    assert stale["path"].endswith("dns/litwareinc.com.dns")


def test_a_dead_nameserver_is_dns004_never_missing_and_bounded(bundle: Path) -> None:
    shutil.rmtree(bundle / "dns")
    started = time.monotonic()
    code, report, _ = check(
        bundle,
        "--dns",
        "live",
        "--nameserver",
        "127.0.0.1",
        "--dns-port",
        str(free_port()),
        "--dns-timeout",
        "1",
    )
    elapsed = time.monotonic() - started
    found = codes(report)
    assert "DNS004" in found
    assert "DNS001" not in found and "DNS003" not in found
    summary = report["summary"]
    assert isinstance(summary, dict)
    assert "DNS001" in summary["not_evaluated"]
    assert code == 1  # DNS004 is a warning, and warnings fail by default
    assert elapsed < 30  # a hang guard: the DNS phase is bounded by --dns-timeout


def test_dns_off_skips_the_dns_rules(bundle: Path) -> None:
    _, report, _ = check(bundle, "--dns", "off")
    summary = report["summary"]
    assert isinstance(summary, dict)
    assert not [
        c for c in [*summary["evaluated"], *summary["not_evaluated"]] if c.startswith("DNS")
    ]


def test_nameserver_without_live_mode_is_a_usage_error(bundle: Path) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "s2slint", "check", str(bundle), "--nameserver", "127.0.0.1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 2
    assert process.stderr.strip() == "s2slint: error: --nameserver and --dns-port need --dns live"


def test_live_mode_from_the_configuration(tmp_path: Path, healthy_dns: int) -> None:
    root = tmp_path / "project"
    fixturegen.write_bundle(fixturegen.SHAREPOINT_INTEGRATED, root / "bundle")
    (root / "s2slint.toml").write_text(
        f'dns = "live"\nnameservers = ["127.0.0.1"]\ndns-port = {healthy_dns}\ndns-timeout = 3\n',
        encoding="utf-8",
    )
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "s2slint",
            "check",
            "bundle",
            "--output-format",
            "json",
            "--as-of",
            "2026-11-21",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(process.stdout)
    assert process.returncode == 0, report["findings"]
    assert "DNS004" in report["summary"]["evaluated"]
