"""The walk shows every entry as `display_path` would, from wherever it is run.

The walk works out how the entries of a folder are shown once per folder (and how
an excluded or ignored entry is shown only when it is left out), so these tests pin
its output against `display_path`, entry by entry, for a bundle with links, a
non-UTF-8 name, exclude globs by name and by path and a `.gitignore`, walked from
inside the bundle, from above it, from a folder beside it, and from below it (where
one entry of the walked folder is the working directory itself).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from s2slint.bundle import display_path, walk

EXCLUDE = (".*", "*.md", "bundle/servers/fe2/skip-by-path.xml", "skipped-folder")


def _make(top: Path) -> Path:
    bundle = top / "bundle"
    for folder in ("lync", "servers/fe1", "servers/fe2", "skipped-folder", "build", "deep/a/b"):
        (bundle / folder).mkdir(parents=True)
    for name in (
        "lync/topology.xml",
        "servers/fe1/certificates.xml",
        "servers/fe2/certificates.xml",
        "servers/fe2/skip-by-path.xml",
        "skipped-folder/x.xml",
        "build/out.xml",
        "ignored.xml",
        "notes.md",
        "deep/a/b/c.xml",
    ):
        (bundle / name).write_text("x\n")
    (bundle / ".gitignore").write_text("ignored.xml\nbuild/\n")
    (bundle / "alias").symlink_to("servers/fe1")
    (bundle / "file-link.xml").symlink_to("lync/topology.xml")
    with open(os.fsencode(bundle / "lync") + b"/caf\xe9-\xff.xml", "wb") as handle:
        handle.write(b"x\n")
    return bundle


def _walk(root: Path, cwd: Path) -> tuple[list[tuple[str, tuple[str, ...]]], list[tuple[str, str]]]:
    files, skipped = walk([root], EXCLUDE, cwd, respect_gitignore=True)
    for file in files:
        assert file.display == display_path(file.path, cwd)
    return [(f.display, f.folders) for f in files], [(s.display, s.reason) for s in skipped]


# file-link.xml leads to lync/topology.xml: listed once, where it really is.
FILES = [
    ("bundle/deep/a/b/c.xml", ("deep", "a", "b")),
    ("bundle/lync/caf\\xe9-\\xff.xml", ("lync",)),
    ("bundle/lync/topology.xml", ("lync",)),
    ("bundle/servers/fe1/certificates.xml", ("servers", "fe1")),
    ("bundle/servers/fe2/certificates.xml", ("servers", "fe2")),
]
SKIPPED = [
    ("bundle/.gitignore", 'excluded by the pattern ".*"'),
    ("bundle/build/", "ignored by bundle/.gitignore"),
    ("bundle/ignored.xml", "ignored by bundle/.gitignore"),
    ("bundle/notes.md", 'excluded by the pattern "*.md"'),
    (
        "bundle/servers/fe2/skip-by-path.xml",
        'excluded by the pattern "bundle/servers/fe2/skip-by-path.xml"',
    ),
    ("bundle/skipped-folder/", 'excluded by the pattern "skipped-folder"'),
]


def test_walked_from_above_the_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = _make(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _walk(Path("bundle"), tmp_path) == (FILES, SKIPPED)
    assert _walk(bundle, tmp_path) == (FILES, SKIPPED)


def test_walked_from_inside_the_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = _make(tmp_path)
    monkeypatch.chdir(bundle)
    files, skipped = _walk(Path("."), bundle)
    # The path pattern names the file relative to the folder above: it no longer matches.
    assert files == [
        *[(shown.removeprefix("bundle/"), folders) for shown, folders in FILES],
        ("servers/fe2/skip-by-path.xml", ("servers", "fe2")),
    ]
    assert skipped == [
        (".gitignore", 'excluded by the pattern ".*"'),
        ("build/", "ignored by .gitignore"),
        ("ignored.xml", "ignored by .gitignore"),
        ("notes.md", 'excluded by the pattern "*.md"'),
        ("skipped-folder/", 'excluded by the pattern "skipped-folder"'),
    ]


def test_walked_from_a_folder_beside_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = _make(tmp_path)
    beside = tmp_path / "elsewhere"
    beside.mkdir()
    monkeypatch.chdir(beside)
    # Outside the working directory, entries are shown as walked.
    files, skipped = _walk(Path("../bundle"), beside)
    assert files == [
        *[(f"../{shown}", folders) for shown, folders in FILES],
        ("../bundle/servers/fe2/skip-by-path.xml", ("servers", "fe2")),
    ]
    ignore_file = tmp_path.resolve() / "bundle" / ".gitignore"
    assert skipped == [
        ("../bundle/.gitignore", 'excluded by the pattern ".*"'),
        ("../bundle/build/", f"ignored by {ignore_file}"),
        ("../bundle/ignored.xml", f"ignored by {ignore_file}"),
        ("../bundle/notes.md", 'excluded by the pattern "*.md"'),
        ("../bundle/skipped-folder/", 'excluded by the pattern "skipped-folder"'),
    ]
    files, _ = _walk(bundle, beside)
    assert files[0] == (f"{tmp_path.resolve()}/bundle/deep/a/b/c.xml", ("deep", "a", "b"))


def test_walked_from_below_the_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = _make(tmp_path)
    below = bundle / "lync"
    monkeypatch.chdir(below)
    files, skipped = _walk(Path(".."), below)
    # The working directory's own files are shown relative to it, the others as walked.
    assert files == [
        ("../deep/a/b/c.xml", ("deep", "a", "b")),
        ("../servers/fe1/certificates.xml", ("servers", "fe1")),
        ("../servers/fe2/certificates.xml", ("servers", "fe2")),
        ("../servers/fe2/skip-by-path.xml", ("servers", "fe2")),
        ("caf\\xe9-\\xff.xml", ("lync",)),
        ("topology.xml", ("lync",)),
    ]
    assert skipped[0] == ("../.gitignore", 'excluded by the pattern ".*"')


def test_the_working_directory_itself_left_out_is_shown_as_dot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = _make(tmp_path)
    below = bundle / "skipped-folder"
    monkeypatch.chdir(below)
    _, skipped = _walk(Path(".."), below)
    assert ("./", 'excluded by the pattern "skipped-folder"') in skipped


def test_a_link_named_on_the_command_line_is_shown_where_it_sits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = _make(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _walk(bundle / "alias", tmp_path)[0] == [("bundle/servers/fe1/certificates.xml", ())]
    assert _walk(bundle / "file-link.xml", tmp_path)[0] == [("bundle/file-link.xml", ())]
