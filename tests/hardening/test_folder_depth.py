"""Issue 15, item 8: a thousand nested folders are refused at a depth limit, not a crash.

Python 3.11's `os.walk` recurses once per folder level, so 1,000 nested folders raised
RecursionError and the run ended with exit code 2 and no report. The walk now keeps a
stack, and a folder deeper than `limits.max_folder_depth` (32) is refused as INP004.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from exports import oauth_xml
from round2 import assert_cache_neutral, check, write_files

from s2slint import limits


@pytest.fixture
def outside_tmp() -> Iterator[Path]:
    """A folder outside pytest's own temporary folders, removed without recursion.

    pytest deletes old temporary folders with `shutil.rmtree`, which recurses once per
    level in Python 3.11: a thousand nested folders left there would make a later
    pytest session fail when it tidies up. So they live here, and go here.
    """
    top = Path(tempfile.mkdtemp(prefix="s2slint-deep-"))
    try:
        yield top
    finally:
        remove_tree(top)


def remove_tree(top: Path) -> None:
    """Delete `top` and everything under it, deepest first, with an explicit stack."""
    stack: list[tuple[str, bool]] = [(os.fspath(top), False)]
    while stack:
        path, emptied = stack.pop()
        if emptied:
            os.rmdir(path)
            continue
        stack.append((path, True))
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, False))
                else:
                    os.unlink(entry.path)


def nest(root: Path, levels: int, name: str = "d") -> Path:
    """Make `levels` nested folders under `root` (without recursion); return the deepest."""
    root.mkdir(parents=True, exist_ok=True)
    path = os.fspath(root)
    for _ in range(levels):
        path = os.path.join(path, name)
        os.mkdir(path)
    return Path(path)


def test_a_thousand_nested_folders_are_refused_at_the_limit(outside_tmp: Path) -> None:
    tmp_path = outside_tmp
    deepest = limits.DEFAULT_LIMITS.max_folder_depth
    assert deepest == 32
    bundle = write_files(tmp_path / "bundle", {"lync/oauth.xml": oauth_xml()})
    bottom = nest(bundle / "deep", 1_000)
    (bottom / "oauth.xml").write_text(oauth_xml(), encoding="utf-8")
    # The deepest folder still walked: `deep` is level 1, so level 32 holds this file.
    allowed = bundle.joinpath("deep", *["d"] * (deepest - 1))
    (allowed / "oauth.xml").write_text(oauth_xml(), encoding="utf-8")

    ran = check(tmp_path, "bundle", "--output-format", "concise")
    assert ran.returncode == 1, ran.stderr
    assert ran.stderr == b""
    lines = ran.text.splitlines()
    refused = [line for line in lines if "INP004" in line]
    assert len(refused) == 1
    too_deep = "bundle/deep/" + "/".join(["d"] * deepest)
    assert refused[0].startswith(f"{too_deep}: INP004 [error] skipped: folder nested more than 32")
    oau = sorted(line.partition(":")[0] for line in lines if "OAU001" in line)
    assert oau == [f"{allowed.relative_to(tmp_path).as_posix()}/oauth.xml", "bundle/lync/oauth.xml"]


def test_deep_folders_print_the_same_with_and_without_the_cache(outside_tmp: Path) -> None:
    tmp_path = outside_tmp
    bundle = write_files(tmp_path / "bundle", {"lync/oauth.xml": oauth_xml()})
    nest(bundle / "deep", 200)
    assert_cache_neutral(tmp_path, tmp_path / "cache", "bundle", "--output-format", "full")
