"""Issue 15, items 6 and 14: where `-o` points, and what is left behind when writing fails.

Item 6: a FIFO or a device named by `-o` (or a link to one) is written to, never
replaced by a regular file; a folder or a socket is refused with exit code 2. Item 14:
the temporary file is removed in every path, on a full disk as when a folder is in
the way.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from exports import PARTIAL, oauth_xml
from round2 import AS_OF, check, environment, temporary_files, write_files


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A bundle with one OAU001 finding."""
    return write_files(tmp_path / "bundle", {"lync/oauth.xml": oauth_xml()})


def test_a_fifo_named_by_o_is_written_to_and_stays_a_fifo(bundle: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received = tmp_path / "received.json"
    with received.open("wb") as sink:
        reader = subprocess.Popen(["cat", str(fifo)], stdout=sink)
        try:
            ran = check(bundle, ".", "--output-format", "json", "-o", str(fifo), *PARTIAL)
            reader.wait(timeout=30)
        finally:
            if reader.poll() is None:
                reader.kill()
                reader.wait()
    assert ran.returncode == 1, ran.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    findings = json.loads(received.read_text(encoding="utf-8"))["findings"]
    assert [f["code"] for f in findings] == ["OAU001"]
    assert temporary_files(tmp_path) == []


def test_a_link_to_a_device_is_written_through_and_kept(bundle: Path, tmp_path: Path) -> None:
    # As /dev/stdout is: a link to a character device. Renaming over it would replace
    # the link (as root, the system's) with a regular file.
    link = tmp_path / "stdout-like"
    link.symlink_to("/dev/null")
    ran = check(bundle, ".", "--output-format", "json", "-o", str(link))
    assert ran.returncode == 1, ran.stderr
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert temporary_files(tmp_path) == []


@pytest.mark.parametrize("kind", ["folder", "socket"])
def test_a_folder_or_socket_is_refused_and_nothing_is_left(
    bundle: Path, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / "target"
    keep: socket.socket | None = None
    if kind == "folder":
        target.mkdir()
    else:
        keep = socket.socket(socket.AF_UNIX)
        keep.bind(str(target))
    try:
        ran = check(bundle, ".", "-o", str(target))
    finally:
        if keep is not None:
            keep.close()
    assert ran.returncode == 2
    assert b"not a regular file" in ran.stderr
    assert ran.stderr.count(b"\n") == 1
    assert temporary_files(tmp_path) == [] and list(target.parent.glob(".target.*")) == []
    if kind == "folder":
        assert list(target.iterdir()) == []


def _limit_file_size() -> None:
    """Make every write beyond 2,000 bytes fail with EFBIG, as a full disk would."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2_000, 2_000))


def test_a_full_disk_leaves_no_temporary_file(bundle: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    process = subprocess.run(
        [
            *(sys.executable, "-m", "s2slint", "check", ".", "--isolated", "--no-cache"),
            *("--as-of", AS_OF, "--output-format", "json", "-o", str(reports / "r.json")),
        ],
        cwd=bundle,
        env=environment({"PYTHONDONTWRITEBYTECODE": "1"}),
        capture_output=True,
        check=False,
        timeout=120,
        preexec_fn=_limit_file_size,
    )
    assert b"Traceback" not in process.stderr
    assert process.returncode == 2
    assert b"cannot write the report" in process.stderr
    assert list(reports.iterdir()) == []


def test_a_report_file_is_the_same_with_and_without_the_cache(bundle: Path, tmp_path: Path) -> None:
    reports = []
    for cache in (None, tmp_path / "cache", tmp_path / "cache"):
        target = tmp_path / f"report-{len(reports)}.json"
        ran = check(bundle, ".", "--output-format", "json", "-o", str(target), cache=cache)
        assert ran.returncode == 1, ran.stderr
        reports.append(target.read_bytes())
    assert reports[0] == reports[1] == reports[2]
    assert temporary_files(tmp_path) == []
