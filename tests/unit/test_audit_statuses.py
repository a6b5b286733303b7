"""Honest statuses in the audit formats: accepted, not applicable, missing evidence, frameworks.

A control is never shown as passed when its finding was accepted (ACCEPTED), when its
rules had nothing to check (NOT APPLICABLE) or when the bundle lacks an export a rule
needs (the evidence control FAILS). Framework mappings are data: every framework
control id the s2slint controls map to exists, and every finding shows its ids.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import fixturegen
import lxml.html
import pytest
from conftest import FIXTURES, ROOT
from exports import run

from s2slint.baseline import load
from s2slint.config import Config
from s2slint.controls import (
    Control,
    ControlSet,
    Status,
    builtin_names,
    evaluate,
    evidence_verdict,
    load_builtin,
    load_controls,
    mappings,
    resolve,
)
from s2slint.engine import RunResult, lint
from s2slint.errors import ConfigError
from s2slint.findings import Finding, Location, Severity
from s2slint.plugins import load_registry
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.html import render_html
from s2slint.reporters.markdown import render_markdown
from s2slint.rule import Evaluated, NotApplicable, NotEvaluated

WHEN = datetime(2026, 11, 21, tzinfo=UTC)
REGISTRY = load_registry(entry_points=False)
PAP001_KEY = "partner-application:microsoft.exchange"


@pytest.fixture(scope="module")
def example() -> RunResult:
    return lint([FIXTURES / "example"], REGISTRY, Config(), WHEN, cwd=ROOT)


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """The example with every export (the SharePoint farm's, Get-HybridConfiguration).

    The committed example lacks them, so INP006 names them; this one lacks nothing
    but live DNS answers.
    """
    spec = next(s.spec for s in fixturegen.SCENARIOS if s.name == "example")
    spec = replace(
        spec,
        sharepoint_exports=True,
        hybrid_configuration_changed=fixturegen.SHAREPOINT_INTEGRATED.hybrid_configuration_changed,
        exchange_lync_app_certificates="current",
    )
    bundle = tmp_path_factory.mktemp("complete") / "example"
    fixturegen.write_bundle(spec, bundle)
    return lint([bundle], REGISTRY, Config(), WHEN, cwd=bundle.parent)


def accepted_run(tmp_path: Path, **entry: str) -> RunResult:
    """Lint the example with PAP001 on microsoft.exchange accepted in a baseline."""
    import json

    item = {"code": "PAP001", "key": PAP001_KEY, "reason": "Exchange 2013 retires in June"}
    item.update(entry)
    (tmp_path / "base.json").write_text(
        json.dumps({"s2slint-baseline": 1, "entries": [item]}), encoding="utf-8"
    )
    baseline = load(tmp_path / "base.json", tmp_path)
    return lint([FIXTURES / "example"], REGISTRY, Config(), WHEN, cwd=ROOT, baseline=baseline)


def verdicts_by_id(result: RunResult, controls: ControlSet | None = None) -> dict[str, object]:
    return {v.control.id: v for v in evaluate(controls or load_controls(), result)}


def one_control(*rules: str, evidence: bool = False) -> ControlSet:
    control = Control("X-1", "test", "", tuple(rules), evidence=evidence)
    return ControlSet("t", "", "test", (control,))


# ----------------------------------------------------------------------- accepted


def test_a_control_whose_finding_was_accepted_reads_accepted_not_passed(tmp_path: Path) -> None:
    result = accepted_run(tmp_path, owner="j.doe", ticket="CHG-4711", expires="2027-06-30")
    assert [s.finding.code for s in result.suppressed] == ["PAP001"]
    verdict = {v.control.id: v for v in evaluate(load_controls(), result)}["S2S-10"]
    assert verdict.status is Status.ACCEPTED
    assert "1 finding accepted (baseline: Exchange 2013 retires in June" in verdict.detail
    assert "owner j.doe" in verdict.detail and "until 2027-06-30" in verdict.detail
    page = lxml.html.fromstring(render_html(result, ReportOptions()))
    row = page.get_element_by_id("control-S2S-10")
    assert row.get("data-status") == "accepted"
    assert row.xpath(".//span[contains(@class, 'status')]")[0].text_content() == "accepted"
    cards = {
        c.text_content().split(None, 1)[1]: c.get("data-count")
        for c in page.xpath("//*[@class]")
        if "card" in (c.get("class") or "").split()
    }
    assert cards["controls accepted"] == "1" and cards["findings accepted"] == "1"
    accepted = page.get_element_by_id("suppressed").text_content()
    for expected in ("PAP001", "Exchange 2013 retires in June", "j.doe", "CHG-4711", "2027-06-30"):
        assert expected in accepted
    text = render_markdown(result, ReportOptions())
    assert "| accepted | S2S-10 " in text
    assert "| j.doe | CHG-4711 | 2027-06-30 |" in text


def test_a_rule_with_findings_and_accepted_findings_is_failed(example: RunResult) -> None:
    extra = replace(example.findings[0], message="another")
    suppressed = replace(example, findings=(extra,), suppressed=())
    from s2slint.findings import Suppressed

    both = replace(
        suppressed,
        suppressed=(Suppressed(example.findings[0], "baseline", "why", Location("b.json", 3)),),
    )
    code = extra.code
    verdict = evaluate(one_control(code), both)[0]
    assert verdict.status is Status.FAILED and verdict.detail == "1 finding; 1 accepted"


# ----------------------------------------------------------------- not applicable


def test_a_rule_that_checked_nothing_is_not_applicable_never_passed(example: RunResult) -> None:
    coverage = dict(example.coverage)
    coverage["CRT010"] = Evaluated((), 0)
    coverage["OAU002"] = NotApplicable("on-premises Exchange integration is not configured")
    result = replace(example, coverage=coverage)
    verdict = evaluate(one_control("CRT010", "OAU002"), result)[0]
    assert verdict.status is Status.NOT_APPLICABLE
    assert verdict.detail == (
        "CRT010: not applicable: nothing to check (0 objects); OAU002: not applicable: "
        "on-premises Exchange integration is not configured"
    )
    # One rule that checked something is enough to pass; the others stay not applicable.
    coverage["CRT001"] = Evaluated((), 3)
    verdict = evaluate(one_control("CRT010", "CRT001"), replace(result, coverage=coverage))[0]
    assert verdict.status is Status.PASSED and verdict.detail == "1 rule passed, 1 not applicable"


def test_html_lists_rules_that_checked_nothing_with_their_reason(example: RunResult) -> None:
    page = lxml.html.fromstring(render_html(example, ReportOptions()))
    inputs = page.get_element_by_id("inputs").text_content()
    assert "CRT010nothing to check (0 objects)" in inputs
    row = page.get_element_by_id("control-S2S-16").text_content()
    assert "SUP001 (not applicable)" in row


# -------------------------------------------------------------- missing evidence


def partial_bundle(tmp_path: Path) -> Path:
    """The example without its Exchange exports: several rules lack their evidence."""
    bundle = tmp_path / "partial"
    shutil.copytree(FIXTURES / "example", bundle)
    shutil.rmtree(bundle / "exchange")
    return bundle


def test_a_partial_bundle_fails_the_evidence_control(tmp_path: Path) -> None:
    # INP006 not selected: the control judges the coverage itself.
    config = Config(ignore=("INP006",))
    result = lint([partial_bundle(tmp_path)], REGISTRY, config, WHEN, cwd=tmp_path)
    gaps = [c for c, o in result.coverage.items() if isinstance(o, NotEvaluated)]
    assert len(gaps) > 1  # more than the live-only DNS004
    verdict = {v.control.id: v for v in evaluate(load_controls(), result)}["S2S-01"]
    assert verdict.status is Status.FAILED
    assert "not evaluated for want of an export" in verdict.detail
    assert "DNS004" not in verdict.detail  # live lookups are not an export
    assert all(code in verdict.detail for code in gaps if code != "DNS004")


def test_only_live_dns_missing_passes_the_evidence_control(complete: RunResult) -> None:
    assert [c for c, o in complete.coverage.items() if isinstance(o, NotEvaluated)] == ["DNS004"]
    verdict = {v.control.id: v for v in evaluate(load_controls(), complete)}["S2S-01"]
    assert verdict.status is Status.PASSED


def test_inp006_fails_the_evidence_control_of_the_example(example: RunResult) -> None:
    """The committed example lacks the SharePoint farm's and the hybrid exports."""
    verdict = {v.control.id: v for v in evaluate(load_controls(), example)}["S2S-01"]
    assert verdict.status is Status.FAILED
    (inp006,) = [r for r in verdict.rules if r.code == "INP006"]
    assert len(inp006.findings) == 3


def test_when_inp006_runs_its_findings_decide_the_evidence_control(example: RunResult) -> None:
    missing = Finding(
        "INP006", "evidence-missing", Severity.WARNING, "no Get-AuthConfig export", Location(".")
    )
    coverage = {**example.coverage, "INP006": Evaluated((), 1)}
    ran = replace(example, coverage=coverage, findings=(missing,))
    assert evidence_verdict(ran).status is Status.FAILED
    quiet = replace(
        example,
        coverage={**example.coverage, "INP006": Evaluated((), 1)},
        findings=tuple(f for f in example.findings if f.code != "INP006"),
    )
    assert evidence_verdict(quiet).status is Status.PASSED
    # A control marked `evidence` judges the coverage even when it does not list INP006.
    gap = replace(example, coverage={**example.coverage, "OAU001": NotEvaluated("an export")})
    verdict = evaluate(one_control("INP001", evidence=True), gap)[0]
    assert verdict.status is Status.FAILED
    assert [v.code for v in verdict.rules] == ["INP001", "INP006"]


# ---------------------------------------------------------------------- frameworks


def test_every_mapped_framework_id_exists_and_every_framework_control_is_mapped() -> None:
    frameworks = tomllib.loads(
        resources.files("s2slint").joinpath("frameworks.toml").read_text(encoding="utf-8")
    )
    own = load_builtin("s2slint")
    used: dict[str, set[str]] = {name: set() for name in frameworks}
    for control in own.controls:
        assert {name for name, _ in control.maps} <= set(frameworks), control.id
        for name, ids in control.maps:
            assert set(ids) <= set(frameworks[name]["controls"]), (control.id, name)
            used[name] |= set(ids)
    for name, data in frameworks.items():
        assert used[name] == set(data["controls"]), name
    assert builtin_names() == ("s2slint", "nist-800-53", "iso-27001", "cis-v8")


def test_a_framework_control_is_judged_from_the_rules_of_the_controls_mapped_to_it(
    complete: RunResult,
) -> None:
    example = complete
    nist = load_builtin("nist-800-53")
    own = {c.id: c for c in load_builtin("s2slint").controls}
    sc17 = next(c for c in nist.controls if c.id == "SC-17")
    assert sc17.title == "Public Key Infrastructure Certificates"
    sources = [c for c in own.values() if "SC-17" in dict(c.maps).get("nist-800-53", ())]
    assert set(sc17.rules) == {code for c in sources for code in c.rules}
    verdicts = {v.control.id: v for v in evaluate(nist, example)}
    assert verdicts["SC-17"].status is Status.FAILED  # CRT002/CRT011 in S2S-03
    assert verdicts["CA-7"].status is Status.PASSED  # evidence complete but for live DNS
    assert nist.label == "NIST SP 800-53 Rev. 5"
    assert mappings("CRT002", nist)[0] == (
        "NIST SP 800-53 Rev. 5",
        ("IA-5", "IA-9", "SC-12", "SC-17"),
    )
    assert ("s2slint", ("S2S-03",)) in mappings("CRT002", nist)


def test_controls_of_one_status_keep_the_mapping_order(example: RunResult) -> None:
    nist = load_builtin("nist-800-53")
    position = {c.id: n for n, c in enumerate(nist.controls)}
    verdicts = evaluate(nist, example)
    assert [v.status for v in verdicts] == sorted(v.status for v in verdicts)
    for status in Status:
        ids = [v.control.id for v in verdicts if v.status is status]
        assert ids == sorted(ids, key=position.__getitem__), status
    assert position["SC-8"] < position["SC-12"]  # not the order of the spelling


@pytest.mark.parametrize("name", ["nist-800-53", "iso-27001", "cis-v8"])
def test_builtin_frameworks_on_the_command_line(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run(
        capsys,
        "check",
        "fixtures/example",
        "--as-of",
        "2026-11-21",
        "--output-format",
        "html",
        "--controls",
        f"builtin:{name}",
    )
    assert code == 1, err
    page = lxml.html.fromstring(out)
    framework = load_builtin(name)
    rows = page.xpath("//*[@id='controls']//tbody/tr")
    assert len(rows) == len(framework.controls)
    assert framework.label in page.get_element_by_id("controls").text_content()
    covered = {code for control in framework.controls for code in control.rules}
    for article in page.xpath("//article"):
        if article.get("data-code") not in covered:
            continue  # INP006: the framework maps no control of its own to evidence gaps
        mapped = article.xpath(".//dt[text()='controls']/following-sibling::dd[1]")[0]
        assert mapped.text_content().startswith(framework.label + ":"), article.get("data-code")


def test_an_unknown_builtin_mapping_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = run(capsys, "check", "fixtures/example", "--controls", "builtin:sox")
    assert code == 2
    assert 'unknown built-in control mapping "builtin:sox"' in err
    assert "builtin:nist-800-53" in err
    with pytest.raises(ConfigError, match="control mapping not found"):
        resolve("no-such-file.toml")


def test_every_finding_shows_the_control_ids_it_maps_to(example: RunResult) -> None:
    page = lxml.html.fromstring(render_html(example, ReportOptions()))
    for article in page.xpath("//article"):
        mapped = article.xpath(".//dt[text()='controls']/following-sibling::dd[1]")[0]
        text = mapped.text_content()
        assert text.startswith("s2slint: S2S-"), text
        assert "NIST SP 800-53 Rev. 5:" in text and "ISO/IEC 27001:2022 Annex A:" in text
    markdown = render_markdown(example, ReportOptions())
    assert markdown.count("- Controls: s2slint: S2S-") == len(example.findings)
