"""Import laziness: what a run does not need, it does not import.

`importlib.metadata` (and the email parser behind it) is imported only when a
distribution on `sys.path` may declare an `s2slint` entry point. The cheap scan that
decides it must never miss a plugin `importlib.metadata` would find; it may only err
towards importing it. (That a warm run imports neither the parsers nor what only some
runs need is checked in `test_cache_and_jobs.py`.)
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from importlib.machinery import PathFinder
from pathlib import Path

import pytest

from s2slint import plugins

PLUGIN_ENTRY_POINTS = "[s2slint]\nexample = s2slint_example\n"


def add_distribution(site: Path, folder: str, entry_points: str | None) -> None:
    """Write an installed distribution's metadata folder, with `entry_points.txt` if given."""
    info = site / folder
    info.mkdir(parents=True)
    name = folder.partition("-")[0]
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8"
    )
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def importlib_finds_a_plugin(site: Path) -> bool:
    """Tell whether importlib.metadata finds an `s2slint` entry point in `site`."""
    return any(
        entry_point.group == plugins.ENTRY_POINT_GROUP
        for distribution in metadata.distributions(path=[str(site)])
        for entry_point in distribution.entry_points
    )


def scan_only(monkeypatch: pytest.MonkeyPatch, *path: Path) -> None:
    """Let the scan decide alone over `path`: importlib.metadata unloaded, no other finder.

    Call it last: importlib.metadata must not be used until the test ends.
    """
    monkeypatch.setattr(sys, "path", [str(entry) for entry in path])
    monkeypatch.delitem(sys.modules, "importlib.metadata")
    monkeypatch.setattr(
        sys,
        "meta_path",
        [f for f in sys.meta_path if f is PathFinder or not hasattr(f, "find_distributions")],
    )


@pytest.mark.parametrize(
    ("distributions", "expected"),
    [
        pytest.param({}, False, id="no distribution"),
        pytest.param({"tool-1.0.dist-info": None}, False, id="no entry points"),
        pytest.param(
            {"s2slint-1.0.dist-info": "[console_scripts]\ns2slint = s2slint.cli:main\n"},
            False,
            id="other groups naming s2slint",
        ),
        pytest.param({"plugin-1.0.dist-info": PLUGIN_ENTRY_POINTS}, True, id="plugin"),
        pytest.param({"plugin-1.0.egg-info": PLUGIN_ENTRY_POINTS}, True, id="egg-info plugin"),
        pytest.param({"Plugin-1.0.DIST-INFO": PLUGIN_ENTRY_POINTS}, True, id="upper-case folder"),
        pytest.param(
            {"plugin-1.0.dist-info": "# comment\n\n  [s2slint]  \nexample = s2slint_example\n"},
            True,
            id="spaced section",
        ),
        pytest.param(
            {
                "tool-1.0.dist-info": "[console_scripts]\ntool = tool:main\n",
                "plugin-1.0.dist-info": "[console_scripts]\nx = x:main\n\n" + PLUGIN_ENTRY_POINTS,
            },
            True,
            id="plugin among others",
        ),
    ],
)
def test_the_scan_agrees_with_importlib_metadata(
    distributions: dict[str, str | None],
    expected: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for folder, entry_points in distributions.items():
        add_distribution(site, folder, entry_points)
    assert importlib_finds_a_plugin(site) is expected
    scan_only(monkeypatch, tmp_path / "missing", site)
    assert plugins._may_declare_plugins() is expected


def test_the_scan_leaves_what_it_cannot_read_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("plugin-1.0.dist-info/entry_points.txt", PLUGIN_ENTRY_POINTS)
    assert importlib_finds_a_plugin(archive)
    scan_only(monkeypatch, archive)
    assert plugins._may_declare_plugins()

    monkeypatch.setattr(sys, "path", [str(tmp_path)])  # the zip alone is no distribution
    assert not plugins._may_declare_plugins()

    class DistributionFinder:
        def find_distributions(self, *args: object, **kwargs: object) -> list[object]:
            return []

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, DistributionFinder()])
    assert plugins._may_declare_plugins()


def test_importlib_metadata_answers_once_it_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert "importlib.metadata" in sys.modules
    assert plugins._may_declare_plugins()


def test_a_run_without_cache_or_baseline_imports_neither(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "notes.txt").write_text("hello\n", encoding="utf-8")
    probe = (
        "import sys\n"
        "from s2slint.cli import main\n"
        f"main(['check', {str(bundle)!r}, '--no-cache', '--isolated'])\n"
        "loaded = [m for m in ('s2slint.cache', 's2slint.baseline') if m in sys.modules]\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert "LOADED []" in process.stderr, process.stderr


# What a run of the example bundle must not import, and the reason: each is needed only
# by a path that run does not take.
NOT_ON_THE_EXAMPLE_RUN = {
    # a certificate's public key is serialised only to be matched with a private key
    "cryptography.hazmat.primitives.serialization": "no private key",
    "s2slint.dnslive": "no --dns live",
    "s2slint.engine.survey": "no --show-files",
    "s2slint.engine.unchanged": "no cache (--no-cache)",
    # files are told from ZIP archives, JSON and CSV exports by sniffs of their own
    "s2slint.loaders.archive": "no ZIP archive",
    "s2slint.loaders.psjson": "no JSON export",
    "s2slint.loaders.pscsv": "no CSV export",
    "csv": "no CSV export",
}


def _brought_by_x509() -> set[str]:
    """Return the watched modules `cryptography.x509` imports itself (versions differ).

    cryptography 48 imports its serialization module with `x509`; 50 does not. Parsing
    the example's certificate needs `x509`, so what it brings is no fault of s2slint.
    """
    probe = (
        "import sys\n"
        "import cryptography.x509\n"
        f"print([m for m in {sorted(NOT_ON_THE_EXAMPLE_RUN)!r} if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(ast.literal_eval(done.stdout.strip()))


def test_the_example_run_imports_only_what_it_uses(tmp_path: Path) -> None:
    """The startup bench's run: the example bundle, a configuration, a PFX password set."""
    bundle = tmp_path / "example"
    shutil.copytree(Path(__file__).resolve().parents[2] / "fixtures" / "example", bundle)
    (bundle / "s2slint.toml").write_text('output-format = "full"\n', encoding="utf-8")
    watched = sorted(set(NOT_ON_THE_EXAMPLE_RUN) - _brought_by_x509())
    probe = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from s2slint.cli import main\n"
        f"code = main(['check', {str(bundle)!r}, '--no-cache', '--as-of', '2026-11-21'])\n"
        "new = set(sys.modules) - before\n"
        "print('CODE', code, 'PARSED', 'cryptography.x509' in new, file=sys.stderr)\n"
        f"watched = {watched!r}\n"
        "print('LOADED', [m for m in watched if m in new], file=sys.stderr)\n"
    )
    environment = {**os.environ, "S2SLINT_PFX_PASSWORD": "not-used"}
    process = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    # It ran, found something, and parsed the example's certificate file.
    assert "CODE 1 PARSED True" in process.stderr, process.stderr
    assert "LOADED []" in process.stderr, process.stderr


DEFERRED_PATTERNS = {
    "s2slint.neutral": ("_UNSAFE", "_JSON_UNSAFE"),
    "s2slint.nonexports": ("_MARKDOWN",),
    "s2slint.model": ("_LABEL",),
    "s2slint.loaders.certs": ("_MARKER",),
    "s2slint.loaders.powershell": ("_CERTIFICATE_TEXT_FIELD", "_TYPE_NAME_TEXT"),
    "s2slint.loaders.xmldoc": ("_MARKUP", "_HUGE_ADVICE"),
    "s2slint.loaders.zone": ("_GENERATE_RANGE_RE",),
    "s2slint.loaders.zone.full": ("_WHERE_RE", "_CAUGHT_RE", "_EXTRA_RE"),
    "s2slint.rules.hybrid.acs_metadata_url_malformed": ("_GUID", "_DOMAIN", "_ANY_GUID"),
    "s2slint.rules.oauth.exchange_autodiscover_uri_missing": ("_VERSION",),
}
"""Patterns only some runs need (error paths, other kinds of file, other formats)."""


def test_importing_compiles_no_pattern_only_some_runs_need() -> None:
    """Each costs up to half a millisecond to compile; they are compiled on first use."""
    probe = (
        "import importlib, re, sys\n"
        "compiled = set()\n"
        "original = re.compile\n"
        "def compile(pattern, flags=0):\n"
        "    compiled.add(pattern)\n"
        "    return original(pattern, flags)\n"
        "re.compile = compile\n"
        f"deferred = {DEFERRED_PATTERNS!r}\n"
        "for module, names in deferred.items():\n"
        "    loaded = importlib.import_module(module)\n"
        "    for name in names:\n"
        "        pattern = getattr(loaded, name)\n"
        "        if not isinstance(pattern, str) or pattern in compiled:\n"
        "            print('COMPILED', module, name)\n"
        "print('DONE')\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert process.stdout.strip() == "DONE", process.stdout + process.stderr
