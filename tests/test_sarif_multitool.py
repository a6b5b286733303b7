"""Issue 17: Microsoft's SARIF multitool finds no error and no warning in any SARIF file.

`sarif-multitool validate` is the validator the SARIF specification's authors ship
(npm package `@microsoft/sarif-multitool`, a self-contained Linux binary; no .NET
runtime to install). `.ci/run` installs it and names it in `S2SLINT_SARIF_MULTITOOL`;
elsewhere the test is skipped, saying how to get it. Every fixture's SARIF is
validated, and one more run with whole-file findings (INP002, a DER certificate) and
files skipped as no export. Its notes (the `note` level: "consider message ids",
"no version control provenance", URIs it could not fetch offline) are advice, not
defects, and are not asked for; its own HTTP lookups are pointed at a closed port on
the loopback so that it never waits on the network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES
from exports import UNKNOWN_EXPORT

from s2slint.cli import main

FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def multitool() -> Path:
    """Return the multitool binary, or skip saying how to install it."""
    named = os.environ.get("S2SLINT_SARIF_MULTITOOL")
    if named and Path(named).is_file():
        return Path(named)
    found = shutil.which("sarif-multitool")
    if found:
        return Path(found)
    pytest.skip(
        "the SARIF multitool is not installed: npm install @microsoft/sarif-multitool and "
        "set S2SLINT_SARIF_MULTITOOL to node_modules/@microsoft/sarif-multitool-linux/"
        "Sarif.Multitool (.ci/run does)"
    )


def sarif_of(path: Path, target: Path) -> None:
    """Write the SARIF report of linting `path` to `target`."""
    argv = ["check", str(path), "--as-of", "2026-11-21", "--no-cache", "-q"]
    main([*argv, "--output-format", "sarif", "-o", str(target)])


def broken_copy(log: Path, target: Path) -> None:
    """Write a copy of `log` with a region at line 0 and a result without its rule index."""
    document = json.loads(log.read_text(encoding="utf-8"))
    results = document["runs"][0]["results"]
    results[0]["locations"][0]["physicalLocation"]["region"] = {"startLine": 0}
    del results[1]["ruleIndex"]
    target.write_text(json.dumps(document), encoding="utf-8")


def validate(tool: Path, logs: list[Path], report: Path) -> dict[str, list[str]]:
    """Run `sarif-multitool validate`; return file name -> its errors and warnings."""
    closed = "http://127.0.0.1:9"
    done = subprocess.run(
        [str(tool), "validate", "--level", "Error;Warning", "-o", str(report), *map(str, logs)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "HTTP_PROXY": closed, "HTTPS_PROXY": closed},
    )
    assert f"{len(logs)} files scanned" in done.stdout, done.stdout + done.stderr
    found: dict[str, list[str]] = {log.name: [] for log in logs}
    for result in json.loads(report.read_text(encoding="utf-8-sig"))["runs"][0]["results"]:
        level = result.get("level", "warning")  # SARIF's default level
        if level not in ("error", "warning"):
            continue
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        found[uri.rsplit("/", 1)[-1]].append(f"{level} {result['ruleId']}")
    return found


def test_every_fixture_s_sarif_has_no_multitool_error_or_warning(tmp_path: Path) -> None:
    tool = multitool()
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in FIXTURE_NAMES:
        sarif_of(FIXTURES / name, logs / f"{name}.sarif")
    bundle = tmp_path / "bundle"
    shutil.copytree(FIXTURES / "weak-key", bundle)
    (bundle / "unknown.xml").write_text(UNKNOWN_EXPORT, encoding="utf-8")
    (bundle / "NOTES").write_text("call Bob\n", encoding="utf-8")
    sarif_of(bundle, logs / "whole-file.sarif")
    whole = json.loads((logs / "whole-file.sarif").read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in whole["runs"][0]["results"]} >= {"INP002", "CRT003"}
    # The check can fail: a broken copy validated alongside must be reported.
    broken_copy(logs / "example.sarif", tmp_path / "broken.sarif")

    found = validate(
        tool,
        [*sorted(logs.glob("*.sarif")), tmp_path / "broken.sarif"],
        tmp_path / "validation.sarif",
    )
    broken = found.pop("broken.sarif")
    assert {"error SARIF1007", "warning SARIF2017"} <= set(broken), broken
    assert found == {f"{name}.sarif": [] for name in (*FIXTURE_NAMES, "whole-file")}
