"""Issue 18: a request's per-file results come back from one pack, and change nothing.

The pack holds the results of every file of the request's last full run, record
types written together as columns. A run after one export was edited reads the pack
for the other files; its output is the uncached run's, byte for byte. A pack that is
damaged, planted or does not fit together serves nothing.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from exports import run_module

from s2slint import cachefiles, cachepack
from s2slint.cache import LoadCache, result_codec
from s2slint.codec import Codec
from s2slint.limits import CACHE_MAX_RUN_ENTRIES
from s2slint.loaders.base import LoadContext, LoadResult, Source
from s2slint.loaders.dispatch import load_file
from s2slint.plugins import load_registry

LOADERS = load_registry(entry_points=False).loaders


@dataclass(frozen=True, slots=True)
class Spot:
    path: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    spot: Spot | None


CODEC = Codec((Spot, Row))


def test_a_column_of_optional_records_keeps_its_nones_in_their_rows() -> None:
    rows = (Row("a", Spot("x", 1)), Row("b", None), Row("c", Spot("y")), Row("d", None))
    written = CODEC.encode_as(tuple[Row, ...], rows)
    assert written == [4, ["a", "b", "c", "d"], ["1010", [2, ["x", "y"], [1, None]]]]
    assert CODEC.decode_as(tuple[Row, ...], json.loads(json.dumps(written))) == rows


@pytest.mark.parametrize(
    "column",
    [
        ["1210", [2, ["x", "y"], [1, None]]],  # a flag that is neither 0 nor 1
        ["1110", [2, ["x", "y"], [1, None]]],  # more rows flagged than values
        ["1000", [2, ["x", "y"], [1, None]]],  # more values than rows flagged
        ["10", [2, ["x", "y"], [1, None]]],  # flags for another number of rows
        [1010, [2, ["x", "y"], [1, None]]],
        ["1010"],
    ],
)
def test_an_optional_column_that_does_not_fit_is_never_read(column: list[Any]) -> None:
    with pytest.raises((TypeError, ValueError)):
        CODEC.decode_as(tuple[Row, ...], [4, ["a", "b", "c", "d"], column])


@pytest.fixture
def bundle(flawed_bundle: Path) -> Path:
    return flawed_bundle


def loaded(bundle: Path) -> tuple[list[str], list[LoadResult]]:
    """Load every file of `bundle`; return made-up keys and the results."""
    paths = sorted(p for p in bundle.rglob("*") if p.is_file())
    results = [
        load_file(
            Source(path, path.name, path.read_bytes(), ("servers", "x")), LOADERS, LoadContext()
        )
        for path in paths
    ]
    return [f"key-{number}" for number in range(len(paths))], results


def test_a_pack_gives_back_every_file_s_records_and_problems_in_order(bundle: Path) -> None:
    keys, results = loaded(bundle)
    assert sum(len(result.records) for result in results) > 10
    document = json.loads(json.dumps(cachepack.encode_pack(result_codec(), keys, results)))
    assert len(document["types"]) > 3  # several record types, each a table
    assert cachepack.decode_pack(result_codec(), document) == dict(zip(keys, results, strict=True))


def broken(document: dict[str, Any], how: str) -> dict[str, Any]:
    if how == "a record more":
        document["files"][0][2].append(document["files"][0][2][0] if document["files"][0][2] else 0)
    elif how == "a record less":
        donor = next(row for row in document["files"] if row[2])
        donor[2].pop()
    elif how == "a table of no type":
        document["types"][0] = "PSObject"
    elif how == "a problem more":
        document["problem_counts"][0] += 1
    elif how == "a problem less":
        number = next(i for i, count in enumerate(document["problem_counts"]) if count)
        document["problem_counts"][number] -= 1
    elif how == "another format":
        document["format"] = cachepack.FORMAT + 1
    elif how == "a key that is no string":
        document["files"][0][0] = 7
    return document


@pytest.mark.parametrize(
    "how",
    [
        "a record more",
        "a record less",
        "a table of no type",
        "a problem more",
        "a problem less",
        "another format",
        "a key that is no string",
    ],
)
def test_a_pack_whose_parts_do_not_fit_is_never_read(bundle: Path, how: str) -> None:
    (bundle / "broken.xml").write_text("<Objs><Obj>", encoding="utf-8")  # a problem to hold
    more_keys, more = loaded(bundle)
    assert any(result.problems for result in more)
    document = json.loads(json.dumps(cachepack.encode_pack(result_codec(), more_keys, more)))
    with pytest.raises((TypeError, ValueError, KeyError, StopIteration)):
        cachepack.decode_pack(result_codec(), broken(document, how))


@pytest.mark.parametrize(
    ("served", "loaded_files", "held", "rewrite"),
    [
        (0, 100, 0, True),  # no pack yet
        (99, 100, 100, False),  # one file edited
        (87, 100, 100, True),  # 13 files edited since the pack was written
        (88, 100, 88, False),
        (100, 100, 120, True),  # the pack holds 20 files no longer loaded
        (100, 100, 112, False),
    ],
)
def test_a_pack_is_rewritten_only_when_it_serves_too_little(
    served: int, loaded_files: int, held: int, rewrite: bool
) -> None:
    assert cachepack.worth_rewriting(served, loaded_files, held) is rewrite


def run(bundle: Path, *args: str, cwd: Path) -> str:
    check = ("check", str(bundle), "--as-of", "2026-11-21", "--output-format", "json")
    return run_module(*check, "--isolated", *args, cwd=cwd).stdout


def packs(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("packs/*") if not p.name.startswith("."))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_after_an_edit_is_served_by_the_pack_and_reports_the_edit(
    bundle: Path, tmp_path: Path, jobs: str
) -> None:
    """The pack a run fills (its files parsed in one process or two) serves the next."""
    cache = tmp_path / "cache"
    assert sum(1 for p in bundle.rglob("*") if p.is_file()) >= 16  # enough for two processes
    run(bundle, "--cache-dir", str(cache), "--jobs", jobs, cwd=tmp_path)
    (pack,) = packs(cache)
    written = pack.read_bytes()
    oauth = bundle / "lync" / "oauth-configuration.xml"
    data = oauth.read_bytes()
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    text = data.decode(encoding)
    assert "autodiscover.xml" in text
    oauth.write_bytes(text.replace("autodiscover.xml", "autodiscover.svc").encode(encoding))
    # Every file but the edited one is read from the pack: drop their own entries.
    for entry in cache.rglob("*"):
        if entry.is_file() and len(entry.parent.name) == 2:
            entry.unlink()
    edited = run(bundle, "--cache-dir", str(cache), cwd=tmp_path)
    assert edited == run(bundle, "--no-cache", cwd=tmp_path)
    assert "autodiscover.xml" not in json.dumps(json.loads(edited)["findings"])
    assert pack.read_bytes() == written  # one file in many: the pack is kept as it was
    # Only the edited file was parsed (and so filed under its own entry).
    assert len([e for e in cache.rglob("*") if e.is_file() and len(e.parent.name) == 2]) == 1


def file_entries(cache: Path) -> list[Path]:
    return sorted(e for e in cache.rglob("*") if e.is_file() and len(e.parent.name) == 2)


def forget_outcomes(cache: Path) -> None:
    for entry in cache.rglob("*"):
        if entry.is_file() and entry.parent.name in ("runs", "replays"):
            entry.unlink()


def test_a_run_that_writes_the_pack_files_no_result_twice(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(bundle, "--cache-dir", str(cache), cwd=tmp_path)
    (pack,) = packs(cache)
    assert not file_entries(cache)  # the pack holds every file's result
    # Where no pack can be written, every file parsed gets its own entry instead ...
    shutil.rmtree(pack.parent)
    pack.parent.write_bytes(b"")
    forget_outcomes(cache)
    assert run(bundle, "--cache-dir", str(cache), cwd=tmp_path) == first
    written = {entry: entry.stat().st_mtime_ns for entry in file_entries(cache)}
    assert len(written) >= 16
    # ... and those entries serve the next run: none is written again.
    forget_outcomes(cache)
    assert run(bundle, "--cache-dir", str(cache), cwd=tmp_path) == first
    assert {entry: entry.stat().st_mtime_ns for entry in file_entries(cache)} == written


def test_a_cache_full_of_other_requests_packs_gives_the_files_their_own_entries(
    bundle: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = run(bundle, "--cache-dir", str(cache), cwd=tmp_path)
    (pack,) = packs(cache)
    # As many other requests' packs as the cache keeps, all used since this one was.
    for number in range(CACHE_MAX_RUN_ENTRIES):
        pack.parent.joinpath(f"{number:064x}").write_bytes(b"another request's pack")
    pack.unlink()
    forget_outcomes(cache)
    assert run(bundle, "--cache-dir", str(cache), cwd=tmp_path) == first
    # Its pack, written anew, pushed another request's out: taking turns, requests would
    # push each other's out forever. The files' own entries serve it whatever happens.
    assert len(packs(cache)) == CACHE_MAX_RUN_ENTRIES and pack.exists()
    assert len(file_entries(cache)) >= 16


def test_a_pack_that_serves_a_run_is_marked_as_used(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(bundle, "--cache-dir", str(cache), cwd=tmp_path)
    (pack,) = packs(cache)
    os.utime(pack, (1_000_000_000, 1_000_000_000))  # written in 2001
    forget_outcomes(cache)  # so that the next run reads the pack
    run(bundle, "--cache-dir", str(cache), cwd=tmp_path)
    assert pack.stat().st_mtime > 1_700_000_000  # pruning takes the least recently used


def test_an_entry_too_large_to_be_read_back_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "v1" / "entry"
    body = b"x" * 1000
    sealed = len(cachefiles.seal(b"k" * 32, "pack", "entry", body))
    for limit, kept in ((sealed - 1, False), (sealed, True)):
        written = cachefiles.store(
            path,
            b"k" * 32,
            "pack",
            "entry",
            body,
            tmp_path / "cache",
            limit=limit,
            entries=4,
            total=10**6,
        )
        assert written is kept and path.exists() is kept
        assert not kept or cachefiles.read_entry(path, limit) is not None


def test_a_damaged_or_planted_pack_serves_nothing(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = run(bundle, "--no-cache", cwd=tmp_path)
    run(bundle, "--cache-dir", str(cache), cwd=tmp_path)
    (pack,) = packs(cache)
    # A pack that says the partner application export holds nothing, sealed with
    # another key, and a pack cut short: both are misses.
    key_path = cache / cachefiles.KEY_NAME
    forged = json.dumps(cachepack.encode_pack(result_codec(), [], [])).encode()
    for body in (
        cachefiles.seal(b"k" * len(key_path.read_bytes()), "pack", pack.name, forged),
        pack.read_bytes()[: len(pack.read_bytes()) // 2],
    ):
        pack.write_bytes(body)
        for entry in cache.rglob("*"):
            if entry.is_file() and entry.parent.name in ("runs", "replays"):
                entry.unlink()
        assert run(bundle, "--cache-dir", str(cache), cwd=tmp_path) == expected
        # The run found the pack useless and wrote it anew.
        secret = key_path.read_bytes()
        body = cachefiles.unseal(secret, "pack", pack.name, pack.read_bytes())
        assert body is not None and cachepack.decode_pack(result_codec(), json.loads(body))


def test_a_request_without_paths_has_no_pack(tmp_path: Path) -> None:
    cache = LoadCache(tmp_path / "cache", LOADERS)
    assert cache.pack_name is None
    named = LoadCache(tmp_path / "cache", LOADERS, request=[tmp_path / "a"])
    other = LoadCache(tmp_path / "cache", LOADERS, request=[tmp_path / "b"])
    assert named.pack_name is not None and named.pack_name != other.pack_name
