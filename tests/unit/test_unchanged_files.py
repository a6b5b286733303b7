"""A file the walk finds unchanged is not read again (`engine.unchanged`, `StoredSource`).

Every test runs the engine twice or more over one cache and compares with a run that
reads everything: what is recorded may spare reading, never change an outcome. Files a
test has just written are younger than the margin a status must have aged by, so the
tests move the clock of the record forward (`now_ns`) where they mean "long after".
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import fixturegen
import pytest

import s2slint.engine.inputs as inputs
from s2slint import cachefiles
from s2slint.config import Config
from s2slint.engine import lint
from s2slint.engine.learned import MARGIN_NS, Learned
from s2slint.engine.unchanged import Unchanged, _learned
from s2slint.loaders.base import StoredSource
from s2slint.plugins import load_registry
from s2slint.results import RunResult

NOW = datetime(2026, 11, 21, tzinfo=UTC)
REGISTRY = load_registry(entry_points=False)
NOTE = "<!-- s2slint: ignore[PAP001] reason: lab -->\n"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    fixturegen.write_bundle(fixturegen.BundleSpec(), folder)
    (folder / "notes.txt").write_text("Call Bob about the certificate, maybe Friday.\n")
    exchange = folder / "exchange" / "partner-applications.xml"
    exchange.write_text(NOTE + exchange.read_text(encoding="utf-8-sig"), encoding="utf-8")
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record the name of every file the gather stage reads."""
    seen: list[str] = []
    original = inputs.read_file_and_status

    def counting(path: Path, maximum: int) -> object:
        seen.append(Path(path).name)
        return original(path, maximum)

    monkeypatch.setattr(inputs, "read_file_and_status", counting)
    yield seen


def age(monkeypatch: pytest.MonkeyPatch, seconds: float = 10) -> None:
    """Make the record take what it reads from now on as read `seconds` later."""
    monkeypatch.setattr(inputs, "now_ns", lambda: time.time_ns() + int(seconds * 1e9))


def recorded(bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a cache a run filled with every file of `bundle` aged enough to be recorded."""
    cache = tmp_path / "cache"
    age(monkeypatch)
    check(bundle, cache)
    return cache


def check(bundle: Path, cache: Path | None) -> RunResult:
    config = Config(root=bundle)
    return lint([bundle], REGISTRY, config, NOW, cwd=bundle, cache_dir=cache)


def outcome(result: RunResult) -> tuple[object, ...]:
    return (result.findings, result.suppressed, result.files, tuple(sorted(result.coverage)))


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in an export, keeping its encoding (the fixtures write UTF-16 too)."""
    data = path.read_bytes()
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    text = data.decode(encoding)
    assert old in text
    path.write_bytes(text.replace(old, new).encode(encoding))


def record_of(cache: Path) -> Path:
    (found,) = [p for p in cache.rglob("unchanged/*") if p.is_file()]
    return found


def test_an_unchanged_bundle_is_not_read_again_and_lints_the_same(
    bundle: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    fresh = outcome(check(bundle, None))
    age(monkeypatch)
    first = outcome(check(bundle, cache))
    assert "partner-applications.xml" in reads and "notes.txt" in reads
    reads.clear()
    assert outcome(check(bundle, cache)) == first == fresh
    assert reads == []
    # Spared the reading, the facts of the bytes still hold: the comment suppresses,
    # the notes are still skipped, and nothing is read when the run cache is cleared.
    assert any(f.code.startswith("SUP") for f in first[0]) and any(f.skipped for f in first[2])
    for entry in cache.rglob("runs/*"):
        entry.unlink()
    for entry in cache.rglob("replays/*"):
        entry.unlink()
    assert outcome(check(bundle, cache)) == fresh and reads == []


def test_a_file_read_just_after_it_was_written_is_read_again(
    bundle: Path, tmp_path: Path, reads: list[str]
) -> None:
    """Racily clean, as git says: a second write within the file system's tick keeps the status."""
    cache = tmp_path / "cache"
    check(bundle, cache)
    # Nothing read so soon after its write is recorded: no run could trust it.
    assert not [p for p in cache.rglob("unchanged/*") if p.is_file()]
    reads.clear()
    check(bundle, cache)
    assert "partner-applications.xml" in reads  # written by the fixture an instant ago


def test_an_edited_file_is_read_again_and_its_change_is_seen(
    bundle: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = recorded(bundle, tmp_path, monkeypatch)
    edit(bundle / "exchange" / "partner-applications.xml", NOTE, "")  # the comment goes
    reads.clear()
    edited = outcome(check(bundle, cache))
    assert reads == ["partner-applications.xml"]
    assert edited == outcome(check(bundle, None))
    assert not any(f.code.startswith("SUP") for f in edited[0])  # nothing left to be unused


def test_a_file_rewritten_with_its_old_size_and_times_is_read_again(
    bundle: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cp -p` and `touch -d` restore the modification time; the change time they cannot."""
    cache = recorded(bundle, tmp_path, monkeypatch)
    target = bundle / "exchange" / "partner-applications.xml"
    before = target.stat()
    data = target.read_bytes()
    target.write_bytes(data.replace(b"ignore[PAP001]", b"ignore[PAP002]"))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    reads.clear()
    assert outcome(check(bundle, cache)) == outcome(check(bundle, None))
    assert "partner-applications.xml" in reads


def test_a_record_that_is_damaged_planted_or_of_wrong_types_is_ignored(
    bundle: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    age(monkeypatch)
    fresh = outcome(check(bundle, cache))
    record = record_of(cache)
    secret = cachefiles.key_of(cache)
    assert secret is not None
    body = json.loads(cachefiles.unseal(secret, "unchanged", record.name, record.read_bytes()))
    forged = json.dumps(body).encode()
    for planted in (
        b"not an entry",
        cachefiles.MAGIC + b"0" * 64 + b"\n" + forged,  # no valid HMAC
        cachefiles.seal(secret, "unchanged", record.name, b'{"format": 1, "files": {}}'),
    ):
        record.write_bytes(planted)
        reads.clear()
        assert outcome(check(bundle, cache)) == fresh
        assert "partner-applications.xml" in reads and "notes.txt" in reads
    # An entry of the wrong shape is no knowledge of its file; the others still count.
    for damage in ("12", None, [1, 2]):
        wrong = json.loads(json.dumps(body))
        entry = next(row for row in wrong["files"] if row[0].startswith("notes.txt"))
        entry[1] = damage  # the size
        record.write_bytes(
            cachefiles.seal(secret, "unchanged", record.name, json.dumps(wrong).encode())
        )
        reads.clear()
        assert outcome(check(bundle, cache)) == fresh
        assert reads == ["notes.txt"]
    # A digest that is no SHA-256 in hex (cache keys are made of it) is no knowledge either.
    for digest in ("é" * 64, "\udcff", "G" * 64, "ab"):
        wrong = json.loads(json.dumps(body))
        entry = next(row for row in wrong["files"] if row[0].startswith("notes.txt"))
        entry[7] = digest
        text = json.dumps(wrong, ensure_ascii=False).encode("utf-8", "surrogatepass")
        record.write_bytes(cachefiles.seal(secret, "unchanged", record.name, text))
        reads.clear()
        assert outcome(check(bundle, cache)) == fresh
        assert reads == ["notes.txt"]


def test_each_request_has_its_own_record_which_follows_its_files(
    bundle: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run reads no entry of another bundle sharing the cache; a removed file is dropped."""
    cache = tmp_path / "cache"
    other = tmp_path / "other"
    fixturegen.write_bundle(fixturegen.BundleSpec(), other)
    age(monkeypatch)
    check(bundle, cache)
    lint([other], REGISTRY, Config(root=other), NOW, cwd=other, cache_dir=cache)
    records = [p for p in cache.rglob("unchanged/*") if p.is_file()]
    assert len(records) == 2
    (bundle / "notes.txt").unlink()
    reads.clear()
    check(bundle, cache)
    assert reads == []
    secret = cachefiles.key_of(cache)
    assert secret is not None
    names = set()
    for record in records:
        sealed = record.read_bytes()
        body = json.loads(cachefiles.unseal(secret, "unchanged", record.name, sealed))
        names |= {row[0].split("\0")[0] for row in body["files"] if "notes" in row[0]}
    assert names == set()  # the removed file is gone from its request's record


def test_bytes_changed_during_the_run_are_loaded_and_nothing_is_cached(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record says unchanged, the bytes say otherwise: the bytes win, the caches learn nothing."""
    cache = recorded(bundle, tmp_path, monkeypatch)
    edit(bundle / "lync" / "oauth-configuration.xml", "autodiscover.svc<", "autodiscover.xml<")
    # As if the status had not moved (a write within the tick the margin guards against).
    real = Unchanged.recall

    def stale_recall(self: Unchanged, file: object) -> Learned | None:
        found = real(self, file)  # type: ignore[arg-type]
        if found is None and getattr(file, "display", "") == "lync/oauth-configuration.xml":
            key = next(k for k in self.known if k.startswith("lync/oauth-configuration.xml"))
            return _learned(key, self.known[key])
        return found

    monkeypatch.setattr(Unchanged, "recall", stale_recall)
    # Nothing cached: the run must load the file, and then reads its bytes.
    for entry in [p for p in cache.rglob("*") if p.is_file() and p.parent.name != "unchanged"]:
        if entry.name != cachefiles.KEY_NAME:
            entry.unlink()
    result = outcome(check(bundle, cache))
    monkeypatch.undo()
    assert result == outcome(check(bundle, None))  # what the file holds now
    assert any(f.code == "OAU001" for f in result[0])
    kept = [p.parent.name for p in cache.rglob("*") if p.is_file() and "." not in p.name]
    assert "runs" not in kept and "replays" not in kept  # no outcome under the old content
    # Every other file's result is kept; the changed file's would be filed under its old content.
    check(bundle, tmp_path / "other")
    assert packed_files(cache) == packed_files(tmp_path / "other") - 1 > 0


def packed_files(cache: Path) -> int:
    """Return how many files the one pack of `cache` holds (its body is JSON after a line)."""
    (pack,) = cache.rglob("packs/*")
    body = pack.read_bytes().partition(b"\n")[2]
    return len(json.loads(body)["files"])


def test_a_stored_source_reads_its_bytes_once_and_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_bytes(b"<a/>")
    from s2slint.loaders.base import Source

    digest = Source(path, "a.xml", b"<a/>").digest
    stored = StoredSource(path, "a.xml", ("x",), digest)
    assert "data" not in stored.__dict__ and stored.digest == digest
    assert (stored.data, stored.text, stored.folders, stored.stale) == (
        b"<a/>",
        "<a/>",
        ("x",),
        False,
    )
    path.write_bytes(b"<b/>")
    assert stored.data == b"<a/>"  # read once
    changed = StoredSource(path, "a.xml", (), digest)
    assert changed.data == b"<b/>" and changed.stale and changed.digest == digest
    path.unlink()
    gone = StoredSource(path, "a.xml", (), digest)
    assert gone.data == b"" and gone.stale


def test_a_status_is_trusted_only_once_it_has_aged_past_the_margin() -> None:
    stamp = (10, 1_000, 2_000, 7, 1)
    learned = Learned(stamp, 2_000 + MARGIN_NS + 1, "d", "", False, ())
    assert learned.trusted_for(stamp)
    assert not learned.trusted_for((11, 1_000, 2_000, 7, 1))
    assert not Learned(stamp, 2_000 + MARGIN_NS, "d", "", False, ()).trusted_for(stamp)


def test_whether_a_pfx_password_may_matter_is_known_with_or_without_reading(
    bundle: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A supplied password keeps the run cache off for a bundle with an archive, read or not."""
    from s2slint.engine import RunRequest, quiet
    from s2slint.engine.inputs import gather

    (bundle / "exports.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    cache = tmp_path / "cache"
    age(monkeypatch)

    def gathered(cached: bool, password: str | None) -> bool:
        if password is None:
            monkeypatch.delenv("S2SLINT_PFX_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("S2SLINT_PFX_PASSWORD", password)
        request = RunRequest(
            paths=(bundle,),
            config=Config(root=bundle),
            now=NOW,
            cwd=bundle,
            cache_dir=cache if cached else None,
        )
        return gather(request, REGISTRY.loaders, quiet).password_matters

    assert (gathered(False, None), gathered(False, "pw")) == (False, True)
    assert (gathered(True, None), gathered(True, "pw")) == (False, True)
    reads.clear()
    assert gathered(True, "pw") and "exports.zip" not in reads  # known from the record
    (bundle / "exports.zip").unlink()
    assert not gathered(True, "pw")
