"""Issue 15, items 9 and 12: reading and parsing cost what the bundle needs, no more.

Item 9: each file was read with a buffer of the whole 64 MiB limit; with 70,000 small
files glibc kept a mapping per read and the run died of MemoryError. A read now asks
for the file's size plus one byte. Item 12: `--jobs N` workers waited forever on a
pipe after their parent was killed; they now end with it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import tracemalloc
from pathlib import Path

import pytest
from bundle_lint import lint_path
from exports import oauth_xml
from round2 import assert_cache_neutral, environment, write_files

from s2slint import limits

# ------------------------------------------------------------------------- item 9


def test_reading_a_file_asks_for_its_size_not_the_limit(tmp_path: Path) -> None:
    bundle = write_files(
        tmp_path / "bundle",
        {
            "lync/oauth.xml": oauth_xml(),
            **{f"notes/{n}.txt": f"note {n}\n" for n in range(50)},
        },
    )
    lint_path(bundle)  # imports and first-use caches are not what is measured
    tracemalloc.start()
    try:
        result = lint_path(bundle)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert any(f.code == "OAU001" for f in result.findings)
    assert limits.DEFAULT_LIMITS.max_file_bytes == 64 * 1024 * 1024
    assert peak < 16 * 1024 * 1024  # was over 64 MiB: a buffer of the limit per read


def test_a_file_that_grows_is_still_bounded(tmp_path: Path) -> None:
    from s2slint.fileread import Unread, read_file

    # /proc files say they hold 0 bytes and yet hold more: the read is sized from the
    # file's size, goes on while there is more, and stops one byte past the limit.
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("needs /proc (Linux)")
    assert status.stat().st_size == 0
    whole = read_file(status, 1_000_000)
    assert isinstance(whole, bytes) and b"VmRSS" in whole
    refused = read_file(status, 10)
    assert isinstance(refused, Unread) and refused.code == "INP004"
    path = tmp_path / "sized.xml"
    path.write_bytes(b"x" * 5_000)
    assert read_file(path, 5_000) == b"x" * 5_000
    refused = read_file(path, 4_999)
    assert isinstance(refused, Unread) and "4999-byte limit" in refused.message


def test_reading_prints_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    bundle = write_files(tmp_path / "bundle", {"lync/oauth.xml": oauth_xml()})
    assert_cache_neutral(bundle, tmp_path / "cache", ".", "--output-format", "full")


# ------------------------------------------------------------------------ item 12

PARENT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import s2slint.engine.loading as engine
    from s2slint.loaders.base import LoadContext, Source

    def stuck(source, loaders, context):
        time.sleep(600)  # a parser busy on a huge file when the parent is killed

    engine.load_file = stuck
    sources = [Source(Path(f"f{n}"), f"f{n}", b"x" * (n + 1)) for n in range(20)]
    print("ready", flush=True)
    engine.load_all(sources, [], [LoadContext()] * 20, None, 3, lambda text: None)
    """
)


def _children_of(parent: int) -> list[int]:
    """Return the processes whose parent is `parent` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Tell whether `pid` still runs (a zombie waiting to be reaped does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_jobs_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        cwd=tmp_path,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 30
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            workers = _children_of(parent.pid)
        assert len(workers) == 2, workers  # --jobs 3: this process and two workers
        time.sleep(0.5)  # the workers are busy in their share
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in workers if _alive(pid)], "workers outlived their parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid in workers:  # only the workers this test started
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if parent.stdout is not None:
            parent.stdout.close()
