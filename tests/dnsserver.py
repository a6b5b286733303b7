"""A real authoritative DNS server (Knot) on 127.0.0.1 for live-DNS tests.

Started on a free port with a zone written by the test, stopped by its PID. Only
loopback is ever queried.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

KNOTD = shutil.which("knotd") or "/usr/sbin/knotd"


def knot_available() -> bool:
    """Tell whether Knot is installed (`.ci/run` installs it)."""
    return Path(KNOTD).exists()


def free_port() -> int:
    """Return a port free for both UDP and TCP on 127.0.0.1."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = int(udp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
        return port


def _answers(port: int, zone: str) -> bool:
    import dns.message
    import dns.query

    query = dns.message.make_query(zone, "SOA")
    try:
        dns.query.udp(query, "127.0.0.1", port=port, timeout=0.2)
    except Exception:
        return False
    return True


@contextmanager
def knot_server(workdir: Path, zone: str, zone_text: str) -> Iterator[int]:
    """Serve `zone_text` for `zone` on a free loopback port; yield the port."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / f"{zone}.zone").write_text(zone_text, encoding="ascii")
    port = free_port()
    config = f"""server:
    listen: 127.0.0.1@{port}
    rundir: {workdir}
database:
    storage: {workdir}
template:
  - id: default
    storage: {workdir}
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: {zone}
    file: {zone}.zone
"""
    (workdir / "knot.conf").write_text(config, encoding="ascii")
    log = (workdir / "knot.log").open("w")
    process = subprocess.Popen(
        [KNOTD, "-c", str(workdir / "knot.conf")], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 10
        while not _answers(port, zone):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"knotd did not start: {(workdir / 'knot.log').read_text()}")
            time.sleep(0.05)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
