"""Issue 17: every machine format validates where it is consumed, on every fixture.

JSON against the schema s2slint ships (`s2slint/output_schema.json`), JUnit against the
Jenkins/Ant `junit-10.xsd` structure (written for these tests in
`tests/schemas/junit-10.xsd`), with test names that survive regenerated exports and
failures only at or above `--fail-on`. The SARIF files are checked with Microsoft's
multitool in `tests/test_sarif_multitool.py`.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES, ROOT
from exports import SHAREPOINT, PartnerApp, oauth_xml, partner_apps_xml, write_lync_bundle
from lxml import etree

from s2slint.config import Config
from s2slint.engine import lint
from s2slint.findings import Severity
from s2slint.plugins import load_registry
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.gitlab import render_gitlab
from s2slint.reporters.jsonfmt import render_json
from s2slint.reporters.junit import render_junit
from s2slint.reporters.sarif import render_sarif
from s2slint.results import RunResult

WHEN = datetime(2026, 11, 21, tzinfo=UTC)
REGISTRY = load_registry(entry_points=False)
OPTIONS = ReportOptions()
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
JUNIT_XSD = etree.XMLSchema(etree.parse(str(ROOT / "tests" / "schemas" / "junit-10.xsd")))


def output_schema() -> dict[str, Any]:
    """Return the JSON Schema of the output, as installed with the package."""
    text = resources.files("s2slint").joinpath("output_schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def lint_fixture(name: str) -> RunResult:
    return lint([FIXTURES / name], REGISTRY, Config(), WHEN, cwd=ROOT)


@pytest.fixture(scope="module", params=FIXTURE_NAMES)
def fixture_result(request: pytest.FixtureRequest) -> RunResult:
    return lint_fixture(request.param)


# ------------------------------------------------------------------------ JSON


def test_the_output_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(output_schema())


def test_json_validates_against_the_shipped_schema(fixture_result: RunResult) -> None:
    document = json.loads(render_json(fixture_result, OPTIONS))
    validator = jsonschema.Draft202012Validator(output_schema())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    assert document["schema_version"] == 2


def test_the_schema_rejects_what_the_contract_forbids(fixture_result: RunResult) -> None:
    """The schema is strict enough to fail: a missing fix or an unknown field is caught."""
    document = json.loads(render_json(fixture_result, OPTIONS))
    validator = jsonschema.Draft202012Validator(output_schema())
    assert not validator.is_valid({**document, "extra": 1})
    assert not validator.is_valid({**document, "schema_version": 1})
    if document["findings"]:
        finding = dict(document["findings"][0])
        del finding["fix"]
        assert not validator.is_valid({**document, "findings": [finding]})


def test_json_fingerprints_are_sarif_s_and_gitlab_s_and_urls_are_rule_anchors(
    fixture_result: RunResult,
) -> None:
    document = json.loads(render_json(fixture_result, OPTIONS))
    sarif = json.loads(render_sarif(fixture_result, OPTIONS))
    gitlab = json.loads(render_gitlab(fixture_result, OPTIONS))
    from_json = [f["fingerprint"] for f in document["findings"]]
    from_sarif = [r["partialFingerprints"]["s2slint/v1"] for r in sarif["runs"][0]["results"]]
    assert from_json == from_sarif == [issue["fingerprint"] for issue in gitlab]
    headings = {
        re.sub(r"[^a-z0-9 -]", "", line[3:].lower()).replace(" ", "-")
        for line in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    }
    for finding in document["findings"]:
        page, anchor = finding["url"].split("#")
        assert page.endswith("/docs/rules.md") and anchor in headings
        assert anchor.startswith(finding["code"].lower())
        assert isinstance(finding["fix"], str) and isinstance(finding["key"], str)


# ----------------------------------------------------------------------- JUnit


def test_junit_validates_against_junit_10_xsd(fixture_result: RunResult) -> None:
    document = etree.fromstring(render_junit(fixture_result, OPTIONS).encode("utf-8"))
    assert JUNIT_XSD.validate(document), JUNIT_XSD.error_log
    for case in document.iter("testcase"):
        assert not re.search(r"\bline \d+|:\d+$", case.get("name") or "")


def test_the_xsd_rejects_what_ci_servers_reject() -> None:
    """The schema written for these tests is strict: file/line and properties in a case fail."""
    bad_attributes = etree.fromstring(
        '<testsuites><testsuite name="a" tests="1">'
        '<testcase name="x" file="a.xml" line="3"/></testsuite></testsuites>'
    )
    assert not JUNIT_XSD.validate(bad_attributes)
    bad_child = etree.fromstring(
        '<testsuites><testsuite name="a" tests="1"><testcase name="x">'
        '<properties><property name="a" value="b"/></properties>'
        "</testcase></testsuite></testsuites>"
    )
    assert not JUNIT_XSD.validate(bad_child)


def test_junit_names_survive_regenerated_exports(tmp_path: Path) -> None:
    bundle = write_lync_bundle(tmp_path / "bundle")
    (bundle / "lync/partner-applications.xml").write_text(
        partner_apps_xml(PartnerApp(), SHAREPOINT), encoding="utf-8"
    )

    def names() -> list[tuple[str | None, str | None]]:
        result = lint([bundle], REGISTRY, Config(), WHEN, cwd=tmp_path)
        root = etree.fromstring(render_junit(result, OPTIONS).encode("utf-8"))
        return [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]

    before = names()
    assert len(before) == len(set(before))
    for name, text, encoding in (
        ("lync/oauth-configuration.xml", oauth_xml(), "utf-16"),
        ("lync/partner-applications.xml", partner_apps_xml(PartnerApp(), SHAREPOINT), "utf-8"),
    ):
        (bundle / name).write_text(text.replace("<Objs ", "<Objs\n\n\n ", 1), encoding=encoding)
    assert names() == before


def test_only_findings_at_or_above_fail_on_are_junit_failures(tmp_path: Path) -> None:
    bundle = write_lync_bundle(tmp_path / "bundle")  # OAU001, PAP001 errors; INP002 warning
    # A partial bundle on purpose: INP006 would name the exports it lacks.
    result = lint([bundle], REGISTRY, Config(ignore=("INP006",)), WHEN, cwd=tmp_path)

    def failures(fail_on: Severity) -> tuple[str | None, list[str]]:
        text = render_junit(result, replace(OPTIONS, fail_on=fail_on))
        root = etree.fromstring(text.encode("utf-8"))
        assert JUNIT_XSD.validate(root)
        failed = sorted(f.get("type") or "" for f in root.iter("failure"))
        return root.get("failures"), failed

    assert failures(Severity.WARNING) == ("3", ["INP002", "OAU001", "PAP001"])
    assert failures(Severity.ERROR) == ("2", ["OAU001", "PAP001"])
    text = render_junit(result, replace(OPTIONS, fail_on=Severity.ERROR))
    root = etree.fromstring(text.encode("utf-8"))
    [notes] = [s for s in root.iter("testsuite") if s.get("name") == "bundle/notes.txt"]
    assert notes.get("failures") == "0"
    out = notes.find("testcase/system-out")
    assert out is not None and "INP002 [warning]" in (out.text or "")


def test_junit_follows_fail_on_from_the_command_line_and_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from s2slint.cli import main

    write_lync_bundle(tmp_path / "bundle")
    monkeypatch.chdir(tmp_path)
    main(["check", "bundle", "--fail-on", "error", "--output", "junit=a.xml", "-q"])
    assert etree.parse(str(tmp_path / "a.xml")).getroot().get("failures") == "2"
    (tmp_path / "s2slint.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    main(["check", "bundle", "--output", "junit=b.xml", "-q"])
    assert etree.parse(str(tmp_path / "b.xml")).getroot().get("failures") == "2"


def test_a_skipped_file_is_a_skipped_junit_case(tmp_path: Path) -> None:
    bundle = write_lync_bundle(tmp_path / "bundle")
    (bundle / "NOTES").write_text("call Bob\n", encoding="utf-8")
    result = lint([bundle], REGISTRY, Config(), WHEN, cwd=tmp_path)
    root = etree.fromstring(render_junit(result, OPTIONS).encode("utf-8"))
    assert JUNIT_XSD.validate(root)
    [suite] = [s for s in root.iter("testsuite") if s.get("name") == "bundle/NOTES"]
    assert suite.get("skipped") == "1"
    skipped = suite.find("testcase/skipped")
    assert skipped is not None and skipped.get("message") == "not an export: plain text"
