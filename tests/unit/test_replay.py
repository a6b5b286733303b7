"""A run the cache serves whole is served before the plugins are loaded (`engine.replay`).

Each test compares a replayed run with a fresh one: whatever the cache holds, the
output (and the exit code) must be what a fresh run gives, and whatever could change
the outcome (the installed code, a plugin, the files, the settings) must change the key.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from bundle_lint import XML_AUTODISCOVER, write_spec
from exports import run_module

import s2slint.engine
from s2slint import cli, installed
from s2slint.errors import UsageError

AS_OF = ("--as-of", "2026-11-21")


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return write_spec(tmp_path / "bundle", exchange_autodiscover_url=XML_AUTODISCOVER)


def check(bundle: Path, cache: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    where = ("--cache-dir", str(cache)) if cache else ("--no-cache",)
    return run_module("check", str(bundle), *AS_OF, "--isolated", *where, *args, cwd=bundle.parent)


def replays(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("replays/*") if p.is_file())


@pytest.mark.parametrize("output", ["full", "concise", "json", "sarif", "html", "markdown"])
def test_a_replayed_run_prints_what_a_fresh_run_prints(
    bundle: Path, tmp_path: Path, output: str
) -> None:
    """Formats that read the rules (SARIF, JSON, the audit formats) load them on demand."""
    cache = tmp_path / "cache"
    fresh = check(bundle, None, "--output-format", output)
    check(bundle, cache, "--output-format", output)
    assert len(replays(cache)) == 1
    replayed = check(bundle, cache, "--output-format", output)
    assert (replayed.stdout, replayed.stderr, replayed.returncode) == (
        fresh.stdout,
        fresh.stderr,
        fresh.returncode,
    )
    assert fresh.returncode == 1  # the bundle has findings: the exit code is replayed too


def test_a_replayed_run_loads_no_rule_no_plugin_host_and_no_pluggy(
    bundle: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    check(bundle, cache)
    probe = (
        "import sys\n"
        "from s2slint.cli import main\n"
        f"main(['check', {str(bundle)!r}, '--cache-dir', {str(cache)!r}, '--isolated',"
        " '--as-of', '2026-11-21', '-q'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('s2slint.rules.', "
        "'s2slint.plugins', 'pluggy', 's2slint.hooks'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=bundle.parent
    )
    assert done.stdout.splitlines()[-1] == "[]", done.stderr


def test_a_replayed_run_builds_no_model_and_imports_no_parser(bundle: Path, tmp_path: Path) -> None:
    """Even with a PFX password set and a zone file to recognise (plain text).

    Whether the password may matter is told from the bytes (`loaders.derpeek`), and
    the zone file is claimed by the light zone sniff before any other loader is asked.
    """
    assert any(bundle.rglob("*.dns"))  # a zone file: plain text, recognised by sniffing
    cache = tmp_path / "cache"
    env = {"S2SLINT_PFX_PASSWORD": "not-used"}
    first = run_module(
        "check",
        str(bundle),
        *AS_OF,
        "--isolated",
        "--cache-dir",
        str(cache),
        cwd=bundle.parent,
        env=env,
    )
    probe = (
        "import sys\n"
        "from s2slint.cli import main\n"
        f"main(['check', {str(bundle)!r}, '--cache-dir', {str(cache)!r}, '--isolated',"
        " '--as-of', '2026-11-21', '-q'])\n"
        "heavy = ('s2slint.model', 's2slint.loaders.certs', 's2slint.loaders.powershell',"
        " 's2slint.loaders.zone', 's2slint.engine.checking', 'lxml', 'cryptography', 'dns')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=bundle.parent,
        env={**os.environ, **env},
    )
    assert first.returncode in (0, 1), first.stderr
    assert done.stdout.splitlines()[-1] == "[]", done.stderr


def test_damaged_replay_entries_are_misses(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = check(bundle, cache).stdout
    (entry,) = replays(cache)
    for data in (b"not sealed", entry.read_bytes()[:-1] + b"x", b""):
        entry.write_bytes(data)
        assert check(bundle, cache).stdout == expected
    # A miss is served by the run cache, which stores the replay entry again.
    assert check(bundle, cache).stdout == expected
    assert replays(cache) == [entry]


def test_an_edited_file_or_other_settings_are_not_replayed(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    check(bundle, cache)
    for args in (("--select", "CRT"), ("--ignore", "OAU"), ("--as-of", "2031-01-01")):
        assert check(bundle, cache, *args).stdout == check(bundle, None, *args).stdout
    target = next(p for p in sorted(bundle.rglob("*.xml")))
    target.write_bytes(target.read_bytes().replace(b"litwareinc", b"contoso", 1))
    assert check(bundle, cache).stdout == check(bundle, None).stdout


def test_a_configuration_error_is_reported_as_without_a_cache(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    check(bundle, cache)
    fresh = check(bundle, None, "--select", "NOPE999")
    cached = check(bundle, cache, "--select", "NOPE999")
    assert (cached.stderr, cached.returncode) == (fresh.stderr, 2)


# ------------------------------------------------------------- the code's identity


def test_the_identity_changes_with_the_installed_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    (package / "__pycache__").mkdir(parents=True)
    rule = package / "rule.py"
    rule.write_text("CODE = 'X001'\n")
    spec = SimpleNamespace(submodule_search_locations=[str(package)])
    monkeypatch.setattr(installed, "find_spec", lambda name: spec)
    monkeypatch.setattr(installed, "may_declare_plugins", lambda: False)
    first = installed.builtin_identity("1.0")
    assert first is not None and installed.builtin_identity("1.0") == first
    assert installed.builtin_identity("1.1") != first
    # Bytecode is not the code: compiling changes nothing.
    (package / "__pycache__" / "rule.cpython-311.pyc").write_bytes(b"\0")
    assert installed.builtin_identity("1.0") == first
    rule.write_text("CODE = 'X002'\n")  # the same size, another modification time
    stat = rule.stat()
    os.utime(rule, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = installed.builtin_identity("1.0")
    assert second != first
    (package / "new_rule.py").write_text("")
    assert installed.builtin_identity("1.0") not in (first, second)


def test_no_identity_when_a_plugin_may_be_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin's code is not in the identity: its runs load the plugins as before."""
    monkeypatch.setattr(installed, "may_declare_plugins", lambda: True)
    assert installed.builtin_identity("1.0") is None


def test_the_installed_identity_is_stable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(installed, "may_declare_plugins", lambda: False)
    identity = installed.builtin_identity("1.0")
    assert identity is not None and identity == installed.builtin_identity("1.0")


@pytest.mark.parametrize("failure", [UsageError("no such file"), RuntimeError("a fault")])
def test_a_failing_replay_is_left_to_the_full_run(
    monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    """Whatever fails while replaying, the full run meets it again (or does not)."""

    def fails(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(s2slint.engine, "replay", fails)
    monkeypatch.delenv("S2SLINT_DEBUG", raising=False)
    assert cli._replay(None, "identity", print) == (None, None)  # type: ignore[arg-type]


def test_a_fault_of_the_replay_is_shown_with_s2slint_debug(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fails(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a fault")

    monkeypatch.setattr(s2slint.engine, "replay", fails)
    monkeypatch.setenv("S2SLINT_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli._replay(None, "identity", print)  # type: ignore[arg-type]


def test_a_missed_replay_hashes_each_file_once(
    bundle: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The full run takes over the per-file cache the replay opened, with its keys.

    Hashing every file's bytes is the costly part of a key; a replay that misses has
    hashed them all once already (about 17 ms on a 2,000-Front-End estate).
    """
    import hashlib

    import s2slint.cache

    monkeypatch.setattr(installed, "may_declare_plugins", lambda: False)
    digests: list[str] = []

    def counted(data: bytes = b"") -> hashlib._Hash:
        digests.append("sha256")
        return hashlib.sha256(data)

    monkeypatch.setattr(s2slint.cache, "hashlib", SimpleNamespace(sha256=counted))
    argv = ["check", str(bundle), *AS_OF, "--isolated", "--cache-dir", str(tmp_path / "c")]
    assert cli.main([*argv, "--exit-zero", "-q"]) == 0
    files = sum(1 for path in bundle.rglob("*") if path.is_file())
    # One salt per cache opened (the replay's, the run's), one key per file and the
    # name of the request's pack.
    assert files <= len(digests) <= files + 3
    capsys.readouterr()
