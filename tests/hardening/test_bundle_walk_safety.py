"""The bundle walk reads only what is inside the bundle and lists everything it skips.

Links that leave the bundle and link loops are refused (INP004), FIFOs, sockets,
devices and dangling links are listed (INP002), unreadable files and folders are
reported (INP001), oversized files are refused before they are read (INP004). The
walk-level tests check `SkippedEntry.code`; the end-to-end ones check that the good
file's finding is still reported next to them. (Tests run as root here, so unreadable
entries are simulated.)
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_lint import findings, lint_path
from hostile import (
    CANARY_SECRET,
    GOOD_FILE,
    assert_no_canary,
    make_outside,
    run_check,
    write_good_bundle,
)

from s2slint import limits as input_limits
from s2slint.bundle import SkippedEntry, walk


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A bundle folder holding the good export, beside a folder with the secret."""
    make_outside(tmp_path)
    root = tmp_path / "bundle"
    write_good_bundle(root)
    return root


def _walk(bundle: Path) -> tuple[list[str], dict[str, SkippedEntry]]:
    files, skipped = walk([bundle], [], bundle.parent)
    return [f.display for f in files], {s.display: s for s in skipped}


# ------------------------------------------------------------------- walk level


def test_link_to_a_file_outside_the_bundle_is_refused(bundle: Path) -> None:
    (bundle / "stolen.xml").symlink_to(bundle.parent / "outside" / "secret.txt")
    shown, skipped = _walk(bundle)
    assert skipped["bundle/stolen.xml"].code == "INP004"
    assert "outside the bundle" in skipped["bundle/stolen.xml"].reason
    assert shown == [f"bundle/{GOOD_FILE}"]


def test_link_to_a_folder_outside_the_bundle_is_refused(bundle: Path) -> None:
    (bundle / "etc").symlink_to(bundle.parent / "outside")
    shown, skipped = _walk(bundle)
    assert skipped["bundle/etc"].code == "INP004"
    assert shown == [f"bundle/{GOOD_FILE}"]


def test_absolute_link_to_a_system_file_is_refused(bundle: Path) -> None:
    (bundle / "passwd.xml").symlink_to("/etc/passwd")
    _, skipped = _walk(bundle)
    assert skipped["bundle/passwd.xml"].code == "INP004"


def test_links_inside_the_bundle_are_followed_and_each_file_listed_once(bundle: Path) -> None:
    servers = bundle / "servers" / "atl-fe-01.litwareinc.com"
    servers.mkdir(parents=True)
    (servers / "certificates.xml").write_text("x\n")
    (bundle / "alias").symlink_to("servers")
    (bundle / "a-link.xml").symlink_to("servers/atl-fe-01.litwareinc.com/certificates.xml")
    files, skipped = walk([bundle], [], bundle.parent)
    assert skipped == []
    by_display = {f.display: f for f in files}
    # Listed once, by its real path and real folders (which attribute the server).
    real = "bundle/servers/atl-fe-01.litwareinc.com/certificates.xml"
    assert sorted(by_display) == sorted([f"bundle/{GOOD_FILE}", real])
    assert by_display[real].folders == ("servers", "atl-fe-01.litwareinc.com")


def test_link_to_a_folder_above_is_a_loop(bundle: Path) -> None:
    (bundle / "lync" / "up").symlink_to("..")
    (bundle / "self").symlink_to(".")
    shown, skipped = _walk(bundle)
    assert skipped["bundle/lync/up"].code == "INP004"
    assert "loop" in skipped["bundle/lync/up"].reason
    assert skipped["bundle/self"].code == "INP004"
    assert shown == [f"bundle/{GOOD_FILE}"]


def test_links_between_sibling_folders_end_and_list_each_file_once(bundle: Path) -> None:
    (bundle / "a").mkdir()
    (bundle / "b").mkdir()
    (bundle / "a" / "to-b").symlink_to("../b")
    (bundle / "b" / "to-a").symlink_to("../a")
    (bundle / "b" / "f.txt").write_text("f\n")
    shown, skipped = _walk(bundle)
    assert skipped == {}  # both targets are walked where they are
    assert shown.count("bundle/b/f.txt") == 1


def test_loop_through_two_folders_is_detected(bundle: Path) -> None:
    # a/into -> z/deep is followed first (z/deep is not walked yet); z/deep/back
    # leads to a, which is on the way down: a loop, reported where the link is.
    (bundle / "a").mkdir()
    (bundle / "z" / "deep").mkdir(parents=True)
    (bundle / "a" / "into").symlink_to("../z/deep")
    (bundle / "z" / "deep" / "back").symlink_to("../../a")
    (bundle / "z" / "deep" / "f.txt").write_text("f\n")
    shown, skipped = _walk(bundle)
    assert [(s.display, s.code) for s in skipped.values()] == [("bundle/z/deep/back", "INP004")]
    assert shown.count("bundle/z/deep/f.txt") == 1


def test_chain_of_file_links_that_never_ends_is_a_loop(bundle: Path) -> None:
    (bundle / "one.xml").symlink_to("two.xml")
    (bundle / "two.xml").symlink_to("one.xml")
    _, skipped = _walk(bundle)
    assert skipped["bundle/one.xml"].code == "INP004"
    assert skipped["bundle/two.xml"].code == "INP004"


def test_links_doubling_at_every_level_are_walked_in_linear_time(bundle: Path) -> None:
    # d0 -> two links to d1 -> two links to d2 ...: 2**24 paths if every link were
    # walked; each folder is walked at most twice instead.
    levels = 24
    for level in range(levels):
        (bundle / f"d{level}").mkdir()
        (bundle / f"d{level}" / f"f{level}.txt").write_text("x\n")
    for level in range(levels - 1):
        for name in ("l1", "l2"):
            (bundle / f"d{level}" / name).symlink_to(f"../d{level + 1}")
    shown, skipped = _walk(bundle)
    assert skipped == {}
    assert len(shown) == levels + 1


def test_dangling_link_is_listed(bundle: Path) -> None:
    (bundle / "gone.xml").symlink_to("nowhere.xml")
    _, skipped = _walk(bundle)
    assert skipped["bundle/gone.xml"].code == "INP002"
    assert "nothing" in skipped["bundle/gone.xml"].reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_in_a_folder_and_named_explicitly_is_listed_never_opened(bundle: Path) -> None:
    fifo = bundle / "pipe"
    os.mkfifo(fifo)
    _, skipped = _walk(bundle)
    assert skipped["bundle/pipe"].code == "INP002"
    files, named = walk([fifo], [], bundle.parent)
    assert files == [] and [(s.display, s.code) for s in named] == [("bundle/pipe", "INP002")]


def test_socket_is_listed(bundle: Path) -> None:
    path = bundle / "s.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(os.fspath(path))
        _, skipped = _walk(bundle)
    assert skipped["bundle/s.sock"].code == "INP002"


def test_device_named_explicitly_is_listed(tmp_path: Path) -> None:
    files, skipped = walk([Path("/dev/null")], [], tmp_path)
    assert files == []
    assert [(s.code, s.reason) for s in skipped] == [
        ("INP002", "not a regular file (FIFO, socket or device)")
    ]


def test_file_named_explicitly_may_link_inside_the_project_but_not_out(tmp_path: Path) -> None:
    outside = make_outside(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / "real.xml").write_text("x\n")
    (project / "inside.xml").symlink_to("real.xml")
    (project / "escape.xml").symlink_to(outside / "secret.txt")
    files, skipped = walk([project / "inside.xml", project / "escape.xml"], [], project)
    assert [f.display for f in files] == ["inside.xml"]
    assert [(s.display, s.code) for s in skipped] == [("escape.xml", "INP004")]


def test_dangling_link_or_loop_named_explicitly_is_listed_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "gone.xml").symlink_to("nowhere.xml")
    (tmp_path / "a.xml").symlink_to("b.xml")
    (tmp_path / "b.xml").symlink_to("a.xml")
    named = [tmp_path / "gone.xml", tmp_path / "a.xml"]
    files, skipped = walk(named, [], tmp_path)
    assert files == []
    assert [(s.display, s.code) for s in skipped] == [("a.xml", "INP004"), ("gone.xml", "INP002")]


def test_named_path_that_cannot_be_examined_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "locked.xml"
    target.write_text("x\n")
    real_stat = Path.stat

    def stat(self: Path, *, follow_symlinks: bool = True) -> os.stat_result:
        if self == target:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(self))
        return real_stat(self, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(Path, "stat", stat)
    files, skipped = walk([target], [], tmp_path)
    assert files == []
    assert [(s.display, s.code) for s in skipped] == [("locked.xml", "INP001")]


def test_oversized_file_is_refused_before_it_is_read(bundle: Path) -> None:
    big = bundle / "huge.xml"
    with big.open("wb") as handle:  # sparse: no disk space, no time
        handle.truncate(input_limits.DEFAULT_LIMITS.max_file_bytes + 1)
    _, skipped = _walk(bundle)
    assert skipped["bundle/huge.xml"].code == "INP004"
    assert "bytes, more than the" in skipped["bundle/huge.xml"].reason


def test_a_smaller_size_limit_is_honoured(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(input_limits, "DEFAULT_LIMITS", input_limits.Limits(max_file_bytes=10))
    _, skipped = _walk(bundle)
    assert skipped[f"bundle/{GOOD_FILE}"].code == "INP004"


def _failing_scandir(blocked: Path) -> object:
    real = os.scandir

    def scandir(path: object) -> Iterator[os.DirEntry[str]]:
        if Path(os.fsdecode(path)) == blocked:  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(blocked))
        return real(path)  # type: ignore[call-overload, no-any-return]

    return scandir


def test_unreadable_folder_is_reported_not_silently_skipped(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = bundle / "locked"
    locked.mkdir()
    (locked / "inside.xml").write_text("x\n")
    monkeypatch.setattr(os, "scandir", _failing_scandir(locked))
    shown, skipped = _walk(bundle)
    assert skipped["bundle/locked"].code == "INP001"
    assert "Permission denied" in skipped["bundle/locked"].reason
    assert shown == [f"bundle/{GOOD_FILE}"]


def test_file_that_cannot_be_examined_is_reported(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = bundle / "lync" / "secret.xml"
    target.write_text("x\n")
    real_stat = Path.stat

    def stat(self: Path, *, follow_symlinks: bool = True) -> os.stat_result:
        if self == target:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(self))
        return real_stat(self, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(Path, "stat", stat)
    _, skipped = _walk(bundle)
    assert skipped["bundle/lync/secret.xml"].code == "INP001"


# --------------------------------------------------------------------- end to end


def test_lint_refuses_a_link_out_and_still_reports_the_good_file(bundle: Path) -> None:
    (bundle / "stolen.xml").symlink_to(bundle.parent / "outside" / "secret.txt")
    (bundle / "loop").symlink_to(".")
    run = run_check(bundle.parent, "bundle")
    assert run.codes("bundle/stolen.xml") == ["INP004"]
    assert run.codes("bundle/loop") == ["INP004"]
    assert run.codes(f"bundle/{GOOD_FILE}") == ["OAU001"]
    assert_no_canary(run.stdout, run.stderr)


@pytest.mark.parametrize("globs", [False, True], ids=["no configuration", "path globs"])
def test_a_loop_of_two_links_is_reported_not_a_crash(bundle: Path, globs: bool) -> None:
    # Resolving such a path raises in pathlib; path globs resolve every file's path.
    (bundle / "loop1").symlink_to("loop2")
    (bundle / "loop2").symlink_to("loop1")
    config = bundle.parent / "s2slint.toml"
    config.write_text('[per-path-ignores]\n"bundle/loop*" = ["INP"]\n', encoding="utf-8")
    run = run_check(bundle.parent, "bundle", *(("--config", str(config)) if globs else ()))
    expected = [] if globs else ["INP004"]
    assert run.codes("bundle/loop1") == run.codes("bundle/loop2") == expected
    assert run.codes(f"bundle/{GOOD_FILE}") == ["OAU001"]


def test_lint_never_reads_a_link_out_whatever_code_it_gets(bundle: Path) -> None:
    # Whichever code the engine gives a refused link, the secret is never read.
    (bundle / "stolen.dns").symlink_to(bundle.parent / "outside" / "secret.txt")
    run = run_check(bundle.parent, "bundle", output_format="full")
    assert CANARY_SECRET not in run.stdout
    assert "bundle/stolen.dns" in run.stdout
    assert "OAU001" in run.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_lint_lists_fifo_and_dangling_link_next_to_the_good_file(bundle: Path) -> None:
    os.mkfifo(bundle / "pipe")
    (bundle / "gone.xml").symlink_to("nowhere.xml")
    run = run_check(bundle.parent, "bundle")
    assert run.codes("bundle/pipe") == ["INP002"]
    assert run.codes("bundle/gone.xml") == ["INP002"]
    assert run.codes(f"bundle/{GOOD_FILE}") == ["OAU001"]


def test_lint_reports_a_file_that_cannot_be_read(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = bundle / "lync" / "locked.xml"
    target.write_text("x\n")
    real = os.open

    def refusing_open(path: str | os.PathLike[str], flags: int, *args: int, **kw: object) -> int:
        # Tests run as root, so a permission error is simulated where the engine opens.
        if os.fspath(path).endswith("locked.xml"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, flags, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing_open)
    result = lint_path(bundle)
    (finding,) = [f for f in findings(result, "INP001") if f.location.path == "lync/locked.xml"]
    assert "Permission denied" in finding.message
    assert len(findings(result, "OAU001")) == 1


def test_lint_reports_an_unreadable_folder(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = bundle / "locked"
    locked.mkdir()
    monkeypatch.setattr(os, "scandir", _failing_scandir(locked))
    result = lint_path(bundle)
    assert [f.location.path for f in findings(result, "INP001")] == ["locked"]
    assert len(findings(result, "OAU001")) == 1


def test_lint_refuses_an_oversized_file(bundle: Path) -> None:
    with (bundle / "huge.xml").open("wb") as handle:
        handle.truncate(input_limits.DEFAULT_LIMITS.max_file_bytes + 1)
    run = run_check(bundle.parent, "bundle")
    assert run.codes("bundle/huge.xml") == ["INP004"]
    assert run.codes(f"bundle/{GOOD_FILE}") == ["OAU001"]
