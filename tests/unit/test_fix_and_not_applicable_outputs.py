"""Every output that shows fixes shows a finding's own fix; every output that reports
coverage tells "not applicable" apart from "not evaluated" and from "passed"."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from bundle_lint import spec

from s2slint.controls import Status, evaluate, load_controls
from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location, Severity
from s2slint.model import Model
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.html import render_html
from s2slint.reporters.jsonfmt import render_json
from s2slint.reporters.markdown import render_markdown
from s2slint.reporters.sarif import render_sarif
from s2slint.reporters.text import explain_coverage, render_full
from s2slint.results import RunResult
from s2slint.rule import Evaluated, Rule, RuleContext, RuleDoc, evaluated, not_applicable
from s2slint.testing import lint_bundle, registry

FIX = "Set-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full"
DOC = RuleDoc(what="w", why="y", bad="b", good="g", fix="Set-CsPartnerApplication -Identity $id")


def _fixing(model: Model, ctx: RuleContext) -> Evaluated:
    app = model.lync_partner_applications[0]
    return evaluated([Issue("trust is not Full", app.loc, key="k", fix=FIX)], 1)


def _inapplicable(model: Model, ctx: RuleContext) -> object:
    return not_applicable("on-premises Exchange integration is not configured")


TEST_RULES = (
    Rule(
        "XTS001",
        "fixing-rule",
        Severity.ERROR,
        "reports with a fix",
        DOC,
        check=_fixing,  # type: ignore[arg-type]
        requires=(any_of(Export.LYNC_PARTNER_APPLICATIONS),),
    ),
    Rule("XTS002", "inapplicable-rule", Severity.ERROR, "never applies", DOC, check=_inapplicable),  # type: ignore[arg-type]
    Rule(
        "XTS003",
        "needs-a-zone",
        Severity.ERROR,
        "needs what the bundle lacks",
        DOC,
        check=_fixing,  # type: ignore[arg-type]
        requires=(any_of(Export.DNS_ZONES, say="a zone export that holds the pool"),),
    ),
)


@pytest.fixture
def result(tmp_path: Path) -> RunResult:
    plugins = replace(registry(), rules=(*registry().rules, *TEST_RULES))
    bundle = spec()(tmp_path)
    shutil.rmtree(bundle / "dns")  # nothing holds a zone: XTS003 cannot be evaluated
    return lint_bundle(bundle, plugins=plugins)


def test_requires_makes_the_rule_not_evaluated_with_its_own_words(result: RunResult) -> None:
    assert result.coverage["XTS003"].missing == "a zone export that holds the pool"  # type: ignore[union-attr]
    assert not [f for f in result.findings if f.code == "XTS003"]


def test_full_text_shows_the_fix_and_the_not_applicable_rule(result: RunResult) -> None:
    text = render_full(result, ReportOptions())
    assert f"    fix:\n        {FIX}\n" in text
    assert "Not applicable (1 rules: nothing to judge):\n  XTS002: on-premises Exchange" in text
    coverage = explain_coverage(result)
    assert "XTS002  inapplicable-rule" in coverage
    assert "not applicable: on-premises Exchange integration is not configured" in coverage
    assert "1 not applicable" in coverage.splitlines()[-1]


def test_json_carries_fix_and_not_applicable(result: RunResult) -> None:
    document = json.loads(render_json(result, ReportOptions()))
    (mine,) = [f for f in document["findings"] if f["code"] == "XTS001"]
    assert mine["fix"] == FIX
    assert document["summary"]["not_applicable"] == ["XTS002"]
    assert "XTS002" not in document["summary"]["not_evaluated"]
    assert "XTS002" not in document["summary"]["evaluated"]
    assert document["summary"]["not_applicable_reasons"]["XTS002"].startswith("on-premises")


def test_sarif_shows_the_fix_and_notifies_not_applicable(result: RunResult) -> None:
    log = json.loads(render_sarif(result, ReportOptions()))
    run = log["runs"][0]
    (mine,) = [r for r in run["results"] if r["ruleId"] == "XTS001"]
    assert f"```powershell\n{FIX}\n```" in mine["message"]["markdown"]
    assert mine["properties"]["fix"] == FIX
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert "XTS002 not applicable: on-premises Exchange integration is not configured" in notes


def test_markdown_and_html_show_the_fix(result: RunResult) -> None:
    markdown = render_markdown(result, ReportOptions())
    assert f"```powershell\n{FIX}\n```" in markdown
    assert "## Not applicable\n\n- XTS002: on-premises Exchange" in markdown
    html = render_html(result, ReportOptions())
    assert "Fix for this finding" in html and "ApplicationTrustLevel Full" in html
    assert "Rules not applicable to this deployment" in html


def test_a_control_of_inapplicable_rules_is_not_applicable_never_passed(
    result: RunResult, tmp_path: Path
) -> None:
    mapping = tmp_path / "controls.toml"
    mapping.write_text(
        'title = "t"\n\n[[control]]\nid = "N-1"\ntitle = "only n/a"\nrules = ["XTS002"]\n'
        'rationale = "r"\n',
        encoding="utf-8",
    )
    (verdict,) = evaluate(load_controls(mapping), result)
    assert verdict.status is Status.NOT_APPLICABLE
    assert verdict.detail.startswith("XTS002: not applicable")


def test_the_location_of_a_fixing_finding_is_the_application(result: RunResult) -> None:
    (mine,) = [f for f in result.findings if f.code == "XTS001"]
    assert isinstance(mine.location, Location) and mine.location.path.endswith(".xml")
