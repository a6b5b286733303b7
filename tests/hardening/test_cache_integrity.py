"""Issue 15, items 2, 5, 13 and 15: nothing in a cache folder can change what is reported.

Item 2: entries planted at keys anyone can compute (the keys come from public inputs)
are misses, and a cache folder of another user or writable by others is not used.
Item 5: a FIFO, a link to `/dev/zero`, deeply nested JSON or fields of the wrong type
at a key are misses, never a hang or a crash. Item 13: the run cache keeps one entry a
day per configuration, right at every time of that day, and both caches are pruned.
Item 15: INP003 names the password variable of the current configuration.
Every case compares the cached output with `--no-cache`, byte for byte.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import fixturegen
import pytest
from exports import PartnerApp, oauth_xml, partner_apps_xml
from hostile import pfx
from round2 import assert_cache_neutral, check, write_files

from s2slint.cache import FORMAT, encode_result
from s2slint.loaders.base import LoadResult


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A bundle with one OAU001 and one PAP001 (Exchange with Application trust)."""
    return write_files(
        tmp_path / "bundle",
        {
            "lync/oauth.xml": oauth_xml(),
            "lync/partner-applications.xml": partner_apps_xml(PartnerApp()),
        },
    )


def file_entries(cache: Path) -> list[Path]:
    """Return the per-file entries of a cache folder."""
    return sorted(
        p
        for p in cache.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.name != "cache.key"
        if not {"runs", "unchanged", "packs"} & set(p.parts)
    )


def pack_entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("packs/*") if not p.name.startswith("."))


def served_by_file_entries(bundle: Path, cache: Path) -> None:
    """Fill `cache` so that per-file entries serve the runs after: the pack is blocked.

    A run that writes the request's pack gives its files no entries of their own (the
    pack holds them). Where the pack cannot be written, each file gets its entry: a
    file stands where the packs' folder goes, and the outcome of the first run is
    forgotten so that the second loads and stores every file.
    """
    check(bundle, ".", cache=cache)  # the cache folder, its key, a pack
    packs = cache / f"v{FORMAT}" / "packs"
    shutil.rmtree(packs)
    packs.write_bytes(b"")
    for outcome in ("runs", "replays"):
        shutil.rmtree(cache / f"v{FORMAT}" / outcome, ignore_errors=True)
    check(bundle, ".", cache=cache)
    assert file_entries(cache) and not pack_entries(cache)


def run_entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("runs/*") if not p.name.startswith("."))


def entry_holding(cache: Path, text: str) -> Path:
    """Return the per-file entry whose content mentions `text`."""
    (found,) = [p for p in file_entries(cache) if text.encode() in p.read_bytes()]
    return found


def forged_partner_result() -> str:
    """An entry body that says the partner application export holds nothing."""
    return encode_result(LoadResult("clixml:lync-partner-application"))


# -------------------------------------------------------------------------- item 2


@pytest.mark.parametrize("header", ["none", "bad mac", "foreign key"])
def test_a_planted_file_entry_never_hides_a_finding(
    bundle: Path, tmp_path: Path, header: str
) -> None:
    cache = tmp_path / "cache"
    expected = check(bundle, ".", "--output-format", "concise")
    assert b"PAP001" in expected.stdout
    served_by_file_entries(bundle, cache)
    for entry in run_entries(cache):
        entry.unlink()
    body = forged_partner_result().encode()
    if header == "bad mac":
        body = b"s2slint-cache-entry " + b"0" * 64 + b"\n" + body
    elif header == "foreign key":
        import hashlib
        import hmac

        target = entry_holding(cache, "lync-partner-application")
        tag = hmac.new(b"k" * 32, f"file\0{target.name}\0".encode() + body, hashlib.sha256)
        body = b"s2slint-cache-entry " + tag.hexdigest().encode() + b"\n" + body
    entry_holding(cache, "lync-partner-application").write_bytes(body)
    ran = check(bundle, ".", "--output-format", "concise", cache=cache)
    assert ran.stdout == expected.stdout


def test_a_planted_run_entry_never_hides_a_finding(bundle: Path, tmp_path: Path) -> None:
    from s2slint.runcache import _CODEC, CachedRun
    from s2slint.runcache import FORMAT as RUN_FORMAT

    cache = tmp_path / "cache"
    expected = check(bundle, ".", "--output-format", "concise")
    check(bundle, ".", cache=cache)
    (entry,) = run_entries(cache)
    clean = CachedRun(findings=(), coverage=(), files=(), enabled=("PAP001",), suppressed=())
    entry.write_text(json.dumps({"format": RUN_FORMAT, "run": _CODEC.encode(clean)}))
    ran = check(bundle, ".", "--output-format", "full", cache=cache)
    assert b"All checks passed" not in ran.stdout
    assert check(bundle, ".", "--output-format", "concise", cache=cache).stdout == expected.stdout


@pytest.mark.parametrize("problem", ["writable by others", "another owner", "checked-out key"])
def test_an_unsafe_cache_folder_is_not_used(bundle: Path, tmp_path: Path, problem: str) -> None:
    cache = tmp_path / "cache"
    served_by_file_entries(bundle, cache)  # a genuine cache, then made unsafe
    if problem == "writable by others":
        cache.chmod(0o777)
    elif problem == "another owner":
        if os.geteuid() != 0:
            pytest.skip("giving a folder to another user needs root")
        os.chown(cache, 65534, 65534)
    else:
        (cache / "cache.key").chmod(0o644)  # as git checks a committed file out
    for entry in run_entries(cache):
        entry.unlink()
    forged = entry_holding(cache, "lync-partner-application")
    forged.write_bytes(forged_partner_result().encode())
    before = {p: p.stat().st_mtime_ns for p in file_entries(cache)}
    uncached = check(bundle, ".", "--output-format", "concise")
    ran = check(bundle, ".", "--output-format", "concise", cache=cache)
    assert ran.stdout == uncached.stdout
    notice = ran.stderr.decode()
    assert notice.count("\n") == 1 and notice.startswith("s2slint: warning: not using the cache")
    assert {p: p.stat().st_mtime_ns for p in file_entries(cache)} == before  # nothing written
    assert run_entries(cache) == []


def test_the_cache_key_is_private_and_made_once(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "fresh" / "cache"
    assert_cache_neutral(bundle, cache, ".", "--output-format", "concise")
    key = cache / "cache.key"
    assert key.stat().st_mode & 0o777 == 0o600 and key.stat().st_size == 32
    assert cache.stat().st_mode & 0o077 == 0
    first = key.read_bytes()
    check(bundle, ".", cache=cache)
    assert key.read_bytes() == first


# -------------------------------------------------------------------------- item 5


def _seal(cache: Path, kind: str, entry: Path, body: bytes) -> bytes:
    """Seal `body` with the cache's own key: what only a bug or a stolen key could write."""
    from s2slint.cachefiles import seal

    return seal((cache / "cache.key").read_bytes(), kind, entry.name, body)


@pytest.mark.parametrize("target", ["file entries", "pack", "run entry"])
@pytest.mark.parametrize("hostile", ["fifo", "link to /dev/zero", "folder"])
def test_hostile_objects_at_a_cache_key_are_misses(
    bundle: Path, tmp_path: Path, target: str, hostile: str
) -> None:
    cache = tmp_path / "cache"
    expected = check(bundle, ".", "--output-format", "concise")
    if target == "file entries":
        served_by_file_entries(bundle, cache)
        entries = file_entries(cache)
    else:
        check(bundle, ".", cache=cache)
        entries = pack_entries(cache) if target == "pack" else run_entries(cache)
    assert entries
    if target != "run entry":
        for entry in run_entries(cache):
            entry.unlink()
    for entry in entries:
        entry.unlink()
        if hostile == "fifo":
            os.mkfifo(entry)
        elif hostile == "folder":
            entry.mkdir()
        else:
            entry.symlink_to("/dev/zero")
    for _ in range(2):  # and the next run is as good
        ran = check(bundle, ".", "--output-format", "concise", cache=cache, timeout=60)
        assert ran.stdout == expected.stdout
        assert ran.returncode == expected.returncode


NESTED = "[" * 200_000 + "]" * 200_000


@pytest.mark.parametrize("sealed", [False, True], ids=["unsealed", "sealed"])
@pytest.mark.parametrize("damage", ["nested arrays", "wrong field types"])
def test_undecodable_file_entries_are_misses(
    bundle: Path, tmp_path: Path, damage: str, sealed: bool
) -> None:
    cache = tmp_path / "cache"
    expected = check(bundle, ".", "--output-format", "concise")
    served_by_file_entries(bundle, cache)
    for entry in run_entries(cache):
        entry.unlink()
    entry = entry_holding(cache, "lync-oauth-configuration")
    if damage == "nested arrays":
        body = json.dumps({"format": FORMAT, "result": "@"}).replace('"@"', NESTED)
    else:
        genuine = encode_result(_genuine_oauth_result(bundle))
        # A location's path (a string) becomes a list.
        body = genuine.replace('"lync/oauth.xml"', '["x"]', 1)
        assert body != genuine
    data = _seal(cache, "file", entry, body.encode()) if sealed else body.encode()
    entry.write_bytes(data)
    for _ in range(2):
        ran = check(bundle, ".", "--output-format", "concise", cache=cache)
        assert ran.returncode == expected.returncode, ran.stderr
        assert ran.stdout == expected.stdout


def _genuine_oauth_result(bundle: Path) -> LoadResult:
    """Load the bundle's OAuth export as the engine does."""
    from bundle_lint import registry

    from s2slint.loaders.base import LoadContext, Source
    from s2slint.loaders.dispatch import load_file

    path = bundle / "lync" / "oauth.xml"
    source = Source(path, "lync/oauth.xml", path.read_bytes(), ("lync",))
    return load_file(source, registry().loaders, LoadContext())


@pytest.mark.parametrize("sealed", [False, True], ids=["unsealed", "sealed"])
def test_a_run_entry_with_wrong_field_types_is_a_miss(
    bundle: Path, tmp_path: Path, sealed: bool
) -> None:
    cache = tmp_path / "cache"
    expected = check(bundle, ".", "--output-format", "concise")
    check(bundle, ".", cache=cache)
    (entry,) = run_entries(cache)
    raw = entry.read_bytes()
    body = raw[raw.index(b"{") :] if not raw.startswith(b"{") else raw
    # The findings are columns (their count, then each field's values; the codes, which
    # repeat, as the distinct codes and an index per finding): a code becomes a number.
    damaged = re.sub(
        rb'\[(\d+),\{"distinct":\["[A-Z]{3}\d{3}"', rb'[\1,{"distinct":[7', body, count=1
    )
    assert damaged != body
    entry.write_bytes(_seal(cache, "run", entry, damaged) if sealed else damaged)
    ran = check(bundle, ".", "--output-format", "concise", cache=cache)
    assert ran.returncode == expected.returncode, ran.stderr
    assert ran.stdout == expected.stdout


# ------------------------------------------------------------------------- item 13


def _check_now(bundle: Path, cache: Path, *arguments: str) -> bytes:
    """Run without --as-of (the real clock), as a pre-commit hook does."""
    import subprocess
    import sys

    from round2 import environment

    process = subprocess.run(
        [sys.executable, "-m", "s2slint", "check", ".", "--isolated", *arguments],
        cwd=bundle,
        env=environment(),
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert b"Traceback" not in process.stderr
    return process.stdout


def test_runs_without_as_of_share_one_run_entry(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _check_now(bundle, cache, "--cache-dir", str(cache), "--output-format", "json")
    second = _check_now(bundle, cache, "--cache-dir", str(cache), "--output-format", "json")
    third = _check_now(bundle, cache, "--cache-dir", str(cache), "--output-format", "json")
    uncached = _check_now(bundle, cache, "--no-cache", "--output-format", "json")
    assert first == second == third == uncached
    assert len(run_entries(cache)) == 1  # was one more entry per run (microseconds)


def test_the_run_cache_is_right_at_every_time_of_the_day(tmp_path: Path) -> None:
    # The OAuth certificate expires at noon: CRT006 from then on, CRT008 before.
    spec = replace(fixturegen.BundleSpec(), oauth_not_after=datetime(2026, 11, 21, 12, tzinfo=UTC))
    bundle = tmp_path / "bundle"
    fixturegen.write_bundle(spec, bundle)
    cache = tmp_path / "cache"
    outputs = {}
    for moment in ("T09:00Z", "T11:59:59Z", "T12:00Z", "T12:00:01Z", "T18:00Z", "T10:00Z"):
        as_of = ("--as-of", f"2026-11-21{moment}", "--output-format", "json")
        uncached = _check_now(bundle, cache, "--no-cache", *as_of)
        cached = _check_now(bundle, cache, "--cache-dir", str(cache), *as_of)
        assert cached == uncached, moment
        outputs[moment] = json.loads(cached)
    codes = {m: {f["code"] for f in o["findings"]} for m, o in outputs.items()}
    assert "CRT006" not in codes["T11:59:59Z"] and "CRT006" in codes["T12:00:01Z"]
    assert len(run_entries(cache)) == 1  # one date, one entry


def test_both_caches_are_pruned_to_their_bounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bundle_lint import registry

    from s2slint import limits
    from s2slint.cache import LoadCache
    from s2slint.findings import Finding, Location, Severity
    from s2slint.loaders.base import Source
    from s2slint.runcache import CachedRun, RunCache

    monkeypatch.setattr(limits, "CACHE_MAX_FILE_ENTRIES", 256 * 2)
    monkeypatch.setattr(limits, "CACHE_MAX_RUN_ENTRIES", 3)
    cache_dir = tmp_path / "cache"
    cache = LoadCache(cache_dir, registry().loaders)
    for number in range(2_000):
        source = Source(Path(f"f{number}.xml"), f"f{number}.xml", str(number).encode())
        cache.put(source, LoadResult("clixml"))
    buckets = [p for p in cache.directory.iterdir() if p.is_dir()]
    assert buckets and max(len(list(b.iterdir())) for b in buckets) <= 2
    assert len(file_entries(cache_dir)) <= 512
    runs = RunCache(cache.directory, cache_dir)
    where = Location("a.xml")
    for number in range(10):
        finding = Finding("OAU001", "n", Severity.ERROR, str(number), where)
        runs.put(f"k{number}", CachedRun((finding,), (), (), (), ()))
    assert len(run_entries(cache_dir)) == 3
    assert runs.get("k9") is not None and runs.get("k0") is None


# ------------------------------------------------------------------------- item 15


def test_inp003_names_the_variable_of_the_current_configuration(tmp_path: Path) -> None:
    bundle = write_files(
        tmp_path / "bundle",
        {"lync/oauth.xml": oauth_xml(), "certs/oauth.pfx": pfx("a-password-nobody-has")},
    )
    cache = tmp_path / "cache"
    config = tmp_path / "s2slint.toml"
    outputs = []
    for variable in ("FIRST_PFX_PASSWORD", "SECOND_PFX_PASSWORD"):
        config.write_text(f'pfx-password-env = "{variable}"\n', encoding="utf-8")
        arguments = ("--config", str(config), "--output-format", "concise")
        uncached = check(bundle, ".", *arguments)
        cached = check(bundle, ".", *arguments, cache=cache)
        assert cached.stdout == uncached.stdout
        assert variable.encode() in cached.stdout
        outputs.append(cached.stdout)
    assert b"FIRST_PFX_PASSWORD" not in outputs[1]
