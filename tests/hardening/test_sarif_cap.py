"""Issue 15, item 10: a flood of INP findings cannot push deployment findings out of SARIF.

GitHub accepts 25,000 results per run and keeps the most severe. A bundle of broken
files made 25,000 INP001 errors, the warnings about the deployment fell out of the
SARIF file, and code scanning would have closed their alerts as fixed. Over the cap,
every deployment finding is kept, repeated INP findings are folded per file and code,
and the file (and stderr) say exactly what was folded and left out.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from bundle_lint import lint_path, registry
from exports import PartnerApp, oauth_xml, partner_apps_xml
from round2 import assert_cache_neutral, check, write_files

from s2slint.config import Config
from s2slint.findings import Finding, Location, Severity
from s2slint.reporters import sarif
from s2slint.reporters.base import ReportOptions
from s2slint.results import RunResult


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """A real run with deployment findings (OAU001 error, PAP001 error, ...)."""
    bundle = write_files(
        tmp_path_factory.mktemp("sarif") / "bundle",
        {
            "lync/oauth.xml": oauth_xml(),
            "lync/partner-applications.xml": partner_apps_xml(PartnerApp()),
        },
    )
    # A partial bundle on purpose: INP006 would name the missing exports.
    return lint_path(bundle, Config(root=bundle, ignore=("INP006",)))


def flooded(run: RunResult, per_file: int, files: int) -> RunResult:
    """Add `per_file` INP001 errors in each of `files` files, and one warning of the deployment."""
    inp001 = next(r for r in registry().rules if r.code == "INP001")
    floods = [
        Finding(
            "INP001",
            inp001.name,
            Severity.ERROR,
            f"malformed CLIXML: value {n} is not a valid I32",
            Location(f"broken/{file:03d}.xml", n + 1, 3),
            key=f"file:broken/{file:03d}.xml",
        )
        for file in range(files)
        for n in range(per_file)
    ]
    warning = Finding(
        "PAP009",
        "partner-app-duplicate",
        Severity.WARNING,
        "a deployment warning that must not be dropped",
        Location("lync/partner-applications.xml", 2, 1),
        key="partner-application:duplicate",
    )
    findings = sorted((*run.findings, warning, *floods), key=Finding.sort_key)
    return replace(run, findings=tuple(findings))


def test_every_deployment_finding_survives_a_flood_of_input_findings(
    deployment: RunResult,
) -> None:
    big = flooded(deployment, per_file=10_000, files=3)
    assert len(big.findings) > sarif.MAX_RESULTS
    log = json.loads(sarif.render_sarif(big, ReportOptions()))
    run = log["runs"][0]
    results = run["results"]
    assert len(results) <= sarif.MAX_RESULTS
    expected = sorted(f.code for f in big.findings if not f.code.startswith("INP"))
    assert sorted(r["ruleId"] for r in results if not r["ruleId"].startswith("INP")) == expected
    assert "PAP009" in expected
    folded = [r for r in results if r["ruleId"] == "INP001"]
    assert len(folded) == 3  # one per file and code
    assert all(
        "and 9,999 more INP001 findings in this file" in r["message"]["text"] for r in folded
    )
    [warning] = [
        n for n in run["invocations"][0]["toolExecutionNotifications"] if n["level"] == "warning"
    ]
    assert "29,997 INP001 folded" in warning["message"]["text"]
    assert "every deployment finding is kept" in warning["message"]["text"]
    [notice] = sarif.sarif_notices(big)
    assert notice.startswith(f"SARIF: {len(big.findings):,} findings exceed")
    assert "29,997 INP001 folded" in notice and "every deployment finding is kept" in notice


def test_what_folding_cannot_fit_is_left_out_and_counted(
    deployment: RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 40 files of 3 INP001 each fold to 40 results; with room for 20 in all, the
    # deployment findings stay and the rest of the input findings are counted as left out.
    monkeypatch.setattr(sarif, "MAX_RESULTS", 20)
    big = flooded(deployment, per_file=3, files=40)
    selection = sarif.select(big.findings, 20)
    codes = [f.code for f in selection.findings]
    deployment_codes = [f.code for f in big.findings if not f.code.startswith("INP")]
    assert len(codes) == 20
    assert sorted(c for c in codes if not c.startswith("INP")) == sorted(deployment_codes)
    kept_inputs = codes.count("INP001")
    assert selection.folded == {"INP001": 80}
    assert selection.dropped == {"INP001": 40 - kept_inputs}
    [notice] = sarif.sarif_notices(big)
    assert f"left out ({40 - kept_inputs} INP001)" in notice


def test_under_the_cap_nothing_changes(deployment: RunResult) -> None:
    selection = sarif.select(deployment.findings)
    assert selection.findings == list(deployment.findings)
    assert sarif.sarif_notices(deployment) == ()


def test_the_sarif_output_is_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    bundle = write_files(
        tmp_path / "bundle",
        {"lync/oauth.xml": oauth_xml(), "lync/partner-applications.xml": partner_apps_xml()},
    )
    ran = check(bundle, ".", "--output-format", "sarif")
    assert json.loads(ran.stdout)["runs"][0]["results"]
    assert_cache_neutral(bundle, tmp_path / "cache", ".", "--output-format", "sarif")
