"""The cache and --jobs make runs faster and change nothing else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import zipfile
from dataclasses import replace
from pathlib import Path

import fixturegen
import pytest
from exports import run_module

from s2slint.cache import FORMAT, LoadCache, decode_result, encode_result
from s2slint.engine import loading
from s2slint.engine.loading import _chunks, _received, _shipped
from s2slint.loaders.base import LoadContext, Loader, LoadResult, Secret, Source
from s2slint.loaders.dispatch import load_file
from s2slint.plugins import load_registry

LOADERS = load_registry(entry_points=False).loaders


def run(bundle: Path, *args: str, cwd: Path) -> str:
    """Lint `bundle` as JSON with no configuration; return the report text."""
    check = ("check", str(bundle), "--as-of", "2026-11-21", "--output-format", "json")
    return run_module(*check, "--isolated", *args, cwd=cwd).stdout


@pytest.fixture
def bundle(flawed_bundle: Path) -> Path:
    return flawed_bundle


def test_every_fixture_file_round_trips_through_the_cache_format(bundle: Path) -> None:
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        source = Source(path, path.name, path.read_bytes(), ("servers", "x"))
        result = load_file(source, LOADERS, LoadContext())
        assert decode_result(encode_result(result)) == result, path


def test_cached_runs_give_the_same_bytes_and_use_the_cache(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    uncached = run(bundle, "--no-cache", cwd=tmp_path)
    cold = run(bundle, "--cache-dir", str(cache), cwd=tmp_path)
    entries = sorted(
        p for p in cache.rglob("*") if p.is_file() and p.name not in (".gitignore", "cache.key")
    )
    assert entries  # the first run filled the cache
    warm = run(bundle, "--cache-dir", str(cache), cwd=tmp_path)
    assert uncached == cold == warm
    assert json.loads(warm)["findings"]


def test_a_changed_file_is_not_served_from_the_cache(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = json.loads(run(bundle, "--cache-dir", str(cache), cwd=tmp_path))
    oauth = bundle / "lync" / "oauth-configuration.xml"
    oauth.write_bytes(
        oauth.read_bytes().replace(
            "autodiscover.xml".encode("utf-16-le"), "autodiscover.svc".encode("utf-16-le")
        )
    )
    after = json.loads(run(bundle, "--cache-dir", str(cache), cwd=tmp_path))
    assert "OAU001" in {f["code"] for f in before["findings"]}
    assert "OAU001" not in {f["code"] for f in after["findings"]}


def test_an_edited_file_gives_the_bytes_of_an_uncached_run(bundle: Path, tmp_path: Path) -> None:
    # A pre-commit run after one export changed: every other file (the zone among
    # them) comes from the cache, the edited one is parsed, the rules run again.
    cache = tmp_path / "cache"
    run(bundle, "--cache-dir", str(cache), cwd=tmp_path)
    (zone,) = bundle.rglob("*.dns")
    certificates = sorted(bundle.rglob("certificates.xml"))[0]
    certificates.write_bytes(certificates.read_bytes().replace(b"<", b"\n<", 1))
    uncached = run(bundle, "--no-cache", cwd=tmp_path)
    assert run(bundle, "--cache-dir", str(cache), cwd=tmp_path) == uncached
    assert run(bundle, "--cache-dir", str(cache), "--jobs", "2", cwd=tmp_path) == uncached
    assert json.loads(uncached)["findings"] and zone.stat().st_size


def test_damaged_or_foreign_cache_entries_are_misses(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = run(bundle, "--cache-dir", str(cache), cwd=tmp_path)
    entries = [
        p for p in cache.rglob("*") if p.is_file() and p.name not in (".gitignore", "cache.key")
    ]
    entries[0].write_text(f'{{"format": {FORMAT}, "result": {{"system": ["true"]}}}}')
    entries[1].write_text("not json")
    assert run(bundle, "--cache-dir", str(cache), cwd=tmp_path) == expected
    for foreign in (
        {"Popen": [["sh", "-c", "true"]]},  # a type outside the allowlist
        {"LoadResult": "not a list"},
        {"LoadResult": ["dns-zone", [], [], "extra"]},  # more fields than it has
        {"Location": ["a.xml"], "extra": 1},  # two keys: not a codec object
    ):
        assert decode_result(json.dumps({"format": FORMAT, "result": foreign})) is None
    # An entry of the previous format is a miss, never misread.
    assert decode_result('{"format": 1, "result": {"$t": "LoadResult", "kind": ""}}') is None


def test_results_that_used_a_password_are_not_cached(tmp_path: Path) -> None:
    root = tmp_path / "b"
    fixturegen.write_bundle(replace(fixturegen.BundleSpec(), include_oauth_pfx=True), root)
    pfx = root / "certs" / "oauth-token-issuer.pfx"
    source = Source(pfx, "certs/oauth-token-issuer.pfx", pfx.read_bytes(), ("certs",))
    result = load_file(source, LOADERS, LoadContext(Secret(fixturegen.PFX_PASSWORD)))
    assert result.kind == "certificate-binary" and result.records
    cache_dir = tmp_path / "cache"
    LoadCache(cache_dir, LOADERS, password_supplied=True).put(source, result)
    assert not [
        p for p in cache_dir.rglob("*") if p.is_file() and p.name not in (".gitignore", "cache.key")
    ]
    # Without a password the same file's result ("needs a password") may be cached.
    locked = load_file(source, LOADERS, LoadContext())
    LoadCache(cache_dir, LOADERS).put(source, locked)
    assert LoadCache(cache_dir, LOADERS).get(source) == locked
    assert LoadCache(cache_dir, LOADERS, password_supplied=True).get(source) is None


def test_jobs_give_the_same_output_as_a_serial_run(bundle: Path, tmp_path: Path) -> None:
    # More files than the parallel threshold, so the worker processes really run.
    for index in range(20):
        copy = bundle / "servers" / f"copy{index:02d}"
        copy.mkdir()
        copy.joinpath("certificates.xml").write_bytes(
            (bundle / "servers" / "atl-fe-01.litwareinc.com" / "certificates.xml").read_bytes()
        )
    serial = run(bundle, "--no-cache", cwd=tmp_path)
    parallel = run(bundle, "--no-cache", "--jobs", "2", cwd=tmp_path)
    assert serial == parallel and json.loads(serial)["findings"]
    # More processes than files: every file still loaded once, in the same order.
    assert run(bundle, "--no-cache", "--jobs", "64", cwd=tmp_path) == serial
    # Parallel parsing fills the cache that a later run is served from.
    cache = tmp_path / "cache"
    assert run(bundle, "--cache-dir", str(cache), "--jobs", "2", cwd=tmp_path) == serial
    assert run(bundle, "--cache-dir", str(cache), cwd=tmp_path) == serial


def test_a_worker_s_results_cross_as_columns_and_come_back_equal(bundle: Path) -> None:
    paths = sorted(p for p in bundle.rglob("*") if p.is_file())
    results = [
        load_file(
            Source(path, path.name, path.read_bytes(), ("servers", "x")), LOADERS, LoadContext()
        )
        for path in paths
    ]
    assert sum(len(result.records) for result in results) > 10
    packed, body = shipped = _shipped(results)
    assert packed and isinstance(body, dict)  # a pack, not the records themselves
    assert _received(shipped, len(results)) == results


class PluginRecord:
    """A record type of a plugin's own, which the cache's codec does not hold."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PluginRecord)


def test_a_plugin_s_records_cross_as_they_are() -> None:
    results = [LoadResult("plugin-kind", (PluginRecord(),)), LoadResult("other")]
    shipped = _shipped(results)
    assert shipped == (False, results)
    assert _received(shipped, 2) == results


def twenty_sources(bundle: Path) -> list[Source]:
    """Sources of every file of `bundle` and twenty copies of a certificate export."""
    paths = sorted(p for p in bundle.rglob("*") if p.is_file())
    sources = [Source(path, path.name, path.read_bytes(), ("servers", "x")) for path in paths]
    export = bundle / "servers" / "atl-fe-01.litwareinc.com" / "certificates.xml"
    sources += [
        Source(export, f"copy{n}.xml", export.read_bytes(), ("servers", f"copy{n}"))
        for n in range(20)
    ]
    return sources


def serial_and_parallel(sources: list[Source]) -> tuple[list[LoadResult], list[LoadResult]]:
    contexts = [LoadContext()] * len(sources)
    serial = loading.load_all(sources, LOADERS, contexts, None, 1, lambda _: None)
    said: list[str] = []
    parallel = loading.load_all(sources, LOADERS, contexts, None, 2, said.append)
    assert any("failed" in line for line in said), said
    return serial, parallel


def test_where_processes_cannot_start_the_files_are_parsed_here(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    def no_semaphores(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_semaphores)
    serial, parallel = serial_and_parallel(twenty_sources(bundle))
    assert parallel == serial and any(result.records for result in serial)


def die_at_once(indices: list[int]) -> None:
    """A worker killed as it starts (found by name in the forked worker, unlike a lambda)."""
    os._exit(9)


def test_a_worker_that_dies_costs_nothing_but_time(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker is forked with this process's memory, so it runs the patched function.
    monkeypatch.setattr(loading, "_load_in_worker", die_at_once)
    serial, parallel = serial_and_parallel(twenty_sources(bundle))
    assert parallel == serial and any(result.records for result in serial)


class LockedRecord:
    """A plugin's record holding a lock: it cannot be pickled back from a worker."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lock = threading.Lock()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LockedRecord) and other.name == self.name


def load_locked(source: Source, context: LoadContext) -> LoadResult:
    return LoadResult("locked", (LockedRecord(source.display),))


def test_a_worker_s_results_that_cannot_be_sent_are_parsed_here(tmp_path: Path) -> None:
    loaders = [Loader("locked", lambda source: True, load_locked)]
    sources = [Source(tmp_path / f"{n}.txt", f"{n}.txt", b"x" * (n + 1)) for n in range(20)]
    contexts = [LoadContext()] * len(sources)
    said: list[str] = []
    parallel = loading.load_all(sources, loaders, contexts, None, 2, said.append)
    assert parallel == loading.load_all(sources, loaders, contexts, None, 1, lambda _: None)
    assert [result.records[0].name for result in parallel] == [f"{n}.txt" for n in range(20)]
    assert any("failed (TypeError)" in line for line in said), said


def test_an_archive_read_with_a_password_is_not_cached(tmp_path: Path) -> None:
    root = tmp_path / "b"
    fixturegen.write_bundle(replace(fixturegen.BundleSpec(), include_oauth_pfx=True), root)
    pfx = root / "certs" / "oauth-token-issuer.pfx"
    archive = tmp_path / "certs.zip"
    with zipfile.ZipFile(archive, "w") as writer:
        writer.writestr("oauth-token-issuer.pfx", pfx.read_bytes())
    source = Source(archive, "certs.zip", archive.read_bytes(), ())
    # With another password the member reads differently: nothing of it may be kept.
    result = load_file(source, LOADERS, LoadContext(Secret("not the password")))
    assert result.kind == "zip"
    cache_dir = tmp_path / "cache"
    LoadCache(cache_dir, LOADERS, password_supplied=True).put(source, result)
    assert not [
        p for p in cache_dir.rglob("*") if p.is_file() and p.name not in (".gitignore", "cache.key")
    ]


def test_parallel_shares_are_balanced_by_size_and_cover_every_file() -> None:
    sizes = {0: 10, 1: 1_800_000, 2: 7_000, 3: 7_000, 4: 7_000, 5: 500}
    shares = _chunks(sizes, 2)
    assert sorted(i for share in shares for i in share) == sorted(sizes)
    # The one huge zone export gets a process to itself; the rest share the other.
    assert [1] in shares
    assert _chunks(sizes, 10) == [[1], [2], [3], [4], [5], [0]]


NOT_IMPORTED_WHEN_WARM = (
    # The parsers: the cache serves every file.
    "lxml",
    "cryptography",
    "dns",
    "jsonschema",
    # What only some runs need: a configuration file (the probe runs --isolated), a
    # baseline, a traceback for S2SLINT_DEBUG.
    "tomllib",
    "s2slint.baseline",
    "logging",
    "traceback",
)
"""Modules a warm `check` must not import, so that their cost cannot creep back."""

NOT_IMPORTED_WITHOUT_PLUGINS = ("importlib.metadata", "email")
"""Imported only when a distribution may declare an `s2slint` entry point."""


def test_a_warm_run_imports_no_parser(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(bundle, "--cache-dir", str(cache), cwd=tmp_path)
    # Only what the run imported counts (not what the interpreter's site hooks did), and
    # an installed plugin rightly brings in importlib.metadata.
    probe = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from s2slint.cli import main\n"
        f"main(['check', {str(bundle)!r}, '--cache-dir', {str(cache)!r}, '--isolated',"
        " '--output-format', 'concise'])\n"
        "def imported(names): return sorted(m for m in names if m in set(sys.modules) - before)\n"
        f"heavy = imported({NOT_IMPORTED_WHEN_WARM!r})\n"
        f"metadata_modules = imported({NOT_IMPORTED_WITHOUT_PLUGINS!r})\n"
        "from importlib import metadata\n"
        "if not metadata.entry_points(group='s2slint'):\n"
        "    heavy += metadata_modules\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert "HEAVY []" in process.stderr, process.stderr
