"""Golden outputs: the real CLI over every fixture bundle, compared byte for byte.

Each `fixtures/<scenario>/` is linted as of a fixed date with paths relative to the
repository, in the concise and JSON formats; `pytest --update-golden` rewrites
`tests/golden/` and the diff is reviewed like a snapshot.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
AS_OF = "2026-11-21"
PFX_PASSWORD = "Litware-Pfx-2026!"
SCENARIOS = sorted(
    p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))
)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m s2slint` from the repository root with a clean environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("S2SLINT_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "s2slint", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_there_are_scenarios_to_check() -> None:
    # Guard against silent skips: a missing fixtures folder must fail, not pass.
    assert {"healthy", "example"} <= set(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("output_format", ["concise", "json"])
def test_golden_output(scenario: str, output_format: str, request: pytest.FixtureRequest) -> None:
    env = {"S2SLINT_PFX_PASSWORD": PFX_PASSWORD}
    result = run_cli(
        "check", f"fixtures/{scenario}", "--as-of", AS_OF, "--output-format", output_format, env=env
    )
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1), result.stderr
    suffix = "txt" if output_format == "concise" else "json"
    golden = GOLDEN / f"{scenario}.{suffix}"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.is_file(), f"no golden output for {scenario}: run pytest --update-golden"
    assert result.stdout == golden.read_text(encoding="utf-8")
    if output_format == "concise":
        # Every finding in the fixtures is a warning or an error: exit 1 exactly when any.
        assert result.returncode == (1 if result.stdout.strip() else 0)


def test_healthy_bundle_has_no_findings_and_every_headline_rule_evaluated() -> None:
    import json

    # The healthy bundle with every export s2slint reads (SharePoint's and hybrid's too).
    result = run_cli(
        "check", "fixtures/sharepoint-healthy", "--as-of", AS_OF, "--output-format", "json"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["findings"] == []
    # Offline by default: only the live-DNS rule lacks its evidence.
    assert report["summary"]["not_evaluated"] == ["DNS004"]


def test_the_healthy_bundle_without_sharepoint_or_hybrid_exports_is_told_what_is_missing() -> None:
    import json

    result = run_cli("check", "fixtures/healthy", "--as-of", AS_OF, "--output-format", "json")
    report = json.loads(result.stdout)
    assert {f["code"] for f in report["findings"]} == {"INP006"}
    named = " ".join(f["message"] for f in report["findings"])
    for export in (
        "Get-SPTrustedSecurityTokenIssuer",
        "Get-SPSecurityTokenServiceConfig",
        "Get-HybridConfiguration",
    ):
        assert export in named, export


def test_output_is_byte_identical_across_runs() -> None:
    first = run_cli("check", "fixtures/example", "--as-of", AS_OF, "--output-format", "json")
    second = run_cli("check", "fixtures/example", "--as-of", AS_OF, "--output-format", "json")
    assert first.stdout == second.stdout and first.stdout


def test_genuine_samples_load_without_parse_or_recognition_errors(samples: Path) -> None:
    import json

    result = run_cli("check", str(samples), "--as-of", AS_OF, "--output-format", "json")
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    codes = {f["code"] for f in report["findings"]}
    assert not codes & {"INP001", "INP002", "INP005"}, report["findings"]
    assert report["summary"]["files"] == 5
    # The Exchange 2019 Auth certificate (RawData) is named by Get-AuthConfig: CRT003 ran.
    assert report["summary"]["evaluated"]["CRT003"] == 1
