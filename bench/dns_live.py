"""Benchmark live DNS lookups: 1,000 names against Knot on loopback, and a dead server.

Run: `python bench/dns_live.py` (needs knotd). Prints median/min/max of several runs.
Targets (issue: live DNS): 1,000 names under 2 s; a dead server with a 2 s timeout
finishes the DNS phase in under 3 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from dnsserver import free_port, knot_server

from s2slint.dnslive import LiveSettings, resolve

NAMES = 1000
RUNS = 5


def zone_text(count: int) -> str:
    """Return a litwareinc.com zone with `count` hosts (every tenth a CNAME)."""
    lines = [
        "$ORIGIN litwareinc.com.",
        "$TTL 3600",
        "@ IN SOA ns.litwareinc.com. hostmaster.litwareinc.com. ( 1 900 600 86400 3600 )",
        "@ IN NS ns.litwareinc.com.",
        "ns IN A 10.0.0.1",
    ]
    for i in range(count):
        if i % 10 == 0:
            lines.append(f"host{i} IN CNAME ns.litwareinc.com.")
        else:
            lines.append(f"host{i} IN A 10.1.{i // 250}.{i % 250 + 1}")
    return "\n".join(lines) + "\n"


def timed(hosts: list[str], settings: LiveSettings) -> list[float]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        answers = resolve(hosts, settings)
        times.append(time.perf_counter() - started)
        assert len(answers) == len(set(hosts))
    return times


def show(label: str, times: list[float]) -> None:
    print(
        f"{label:40s} median {statistics.median(times):6.3f} s  "
        f"min {min(times):6.3f}  max {max(times):6.3f}  (runs {len(times)})"
    )


def main() -> None:
    hosts = [f"host{i}.litwareinc.com" for i in range(NAMES)]
    with (
        tempfile.TemporaryDirectory() as work,
        knot_server(Path(work), "litwareinc.com", zone_text(NAMES)) as port,
    ):
        show(f"{NAMES} names, Knot on 127.0.0.1", timed(hosts, LiveSettings(("127.0.0.1",), port)))
    dead = LiveSettings(("127.0.0.1",), free_port(), timeout=2.0)
    show(f"{NAMES} names, dead server, timeout 2 s", timed(hosts, dead)[:RUNS])


if __name__ == "__main__":
    main()
