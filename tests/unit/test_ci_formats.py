"""CI formats (github, gitlab, junit, markdown), several outputs per run, coverage, terminal.

The bundle of most tests: OAU001 and PAP001 (errors) and INP002 (a warning, no line),
from `write_lync_bundle`; expected lines come from the export text itself.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from exports import (
    PARTIAL,
    PARTIAL_CONFIG,
    SHAREPOINT,
    PartnerApp,
    oauth_xml,
    partner_apps_xml,
    position_of,
    run,
    write_lync_bundle,
)
from lxml import etree

from s2slint.config import Config
from s2slint.engine import lint
from s2slint.findings import Finding, Location, Severity
from s2slint.plugins import load_registry
from s2slint.progress import CLEAR, Progress
from s2slint.reporters import github, gitlab, junit, markdown
from s2slint.reporters.base import ReportOptions
from s2slint.results import RunResult

WHEN = datetime(2026, 11, 21, tzinfo=UTC)
REGISTRY = load_registry(entry_points=False)
OPTIONS = ReportOptions()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory, with the bundle at `bundle/`."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    write_lync_bundle(tmp_path / "bundle")
    return tmp_path


@pytest.fixture
def result(project: Path) -> RunResult:
    return lint([project / "bundle"], REGISTRY, PARTIAL_CONFIG, WHEN, cwd=project)


def with_findings(result: RunResult, *findings: Finding) -> RunResult:
    return replace(result, findings=tuple(sorted(findings, key=Finding.sort_key)))


# ----------------------------------------------------------------------- github


def test_github_annotations_carry_file_line_col_and_title(result: RunResult) -> None:
    lines = github.render_github(result, OPTIONS).splitlines()
    assert len(lines) == len(result.findings) == 3
    line, column = position_of(oauth_xml(), '<S N="ExchangeAutodiscoverUrl">')
    [oau] = [x for x in lines if "title=OAU001" in x]
    assert oau.startswith(
        f"::error file=bundle/lync/oauth-configuration.xml,line={line},col={column},"
        f"endLine={line},title=OAU001 autodiscover-xml-not-svc::ExchangeAutodiscoverUrl "
        "points to autodiscover.xml; use https://autodiscover."
    )
    # A finding about a whole file has no position, and a warning is a warning.
    [inp] = [x for x in lines if "title=INP002" in x]
    assert inp.startswith("::warning file=bundle/notes.txt,title=INP002 unrecognized-input::")


def test_github_escaping_follows_the_runner() -> None:
    assert github.escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert github.escape_property("C:\\x,y%\n") == "C%3A\\x%2Cy%25%0A"
    finding = Finding(
        "CRT002",
        "oauth-cert-inconsistent",
        Severity.INFO,
        "50% of servers: a, b",
        Location("my, odd:dir/f.xml", 3, 5),
        related=(Location("x.xml", 7, 1, "obj[0].Thumbprint"),),
    )
    assert github.annotation(finding) == (
        "::notice file=my%2C odd%3Adir/f.xml,line=3,col=5,endLine=3,"
        "title=CRT002 oauth-cert-inconsistent::50%25 of servers: a, b"
        "%0Arelated: x.xml:7:1 (obj[0].Thumbprint)"
    )


def test_github_cap_is_announced(
    result: RunResult, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    errors = [
        Finding("OAU001", "n", Severity.ERROR, f"e{n}", Location(f"f{n:02d}.xml", 1, 1))
        for n in range(12)
    ]
    warnings = [
        Finding("INP002", "n", Severity.WARNING, "w", Location(f"w{n}.txt")) for n in range(10)
    ]
    notices = github.github_notices(with_findings(result, *errors, *warnings))
    assert notices == (
        "GitHub shows at most 10 error annotations per step: 2 of 12 will be hidden "
        "(they stay in the log; upload SARIF for the complete list)",
    )
    assert github.github_notices(result) == ()
    # End to end: the notice goes to stderr, the annotations to stdout.
    monkeypatch.setattr(github, "PER_STEP_LIMIT", 1)
    code, out, err = run(capsys, "check", *PARTIAL, "bundle", "--output-format", "github")
    assert code == 1 and out.count("::error ") == 2
    assert err == (
        "s2slint: warning: GitHub shows at most 1 error annotations per step: 1 of 2 will be "
        "hidden (they stay in the log; upload SARIF for the complete list)\n"
    )


# ----------------------------------------------------------------------- gitlab


def test_gitlab_code_quality(result: RunResult) -> None:
    text = gitlab.render_gitlab(result, OPTIONS)
    assert not text.startswith("\ufeff")
    items = json.loads(text)
    assert [i["check_name"] for i in items] == [f.code for f in result.findings]
    for item, finding in zip(items, result.findings, strict=True):
        assert set(item) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert item["location"]["path"] == finding.location.path
        assert item["location"]["lines"]["begin"] == (finding.location.line or 1)
        assert finding.message in item["description"]
    assert {i["check_name"]: i["severity"] for i in items} == {
        "INP002": "major",
        "OAU001": "critical",
        "PAP001": "critical",
    }
    assert len({i["fingerprint"] for i in items}) == len(items)


def test_gitlab_fingerprints_stay_unique_for_one_rule_many_times(project: Path) -> None:
    apps = partner_apps_xml(PartnerApp(), SHAREPOINT, PartnerApp("other.exchange"))
    (project / "bundle/lync/partner-applications.xml").write_text(apps, encoding="utf-8")
    result = lint([project / "bundle"], REGISTRY, PARTIAL_CONFIG, WHEN, cwd=project)
    items = [
        i for i in json.loads(gitlab.render_gitlab(result, OPTIONS)) if i["check_name"] == "PAP001"
    ]
    assert len(items) == 3 and len({i["fingerprint"] for i in items}) == 3
    info = Finding("X", "n", Severity.INFO, "m", Location("a"))
    assert (
        json.loads(gitlab.render_gitlab(with_findings(result, info), OPTIONS))[0]["severity"]
        == "info"
    )


# ------------------------------------------------------------------------ junit


def test_junit_has_a_suite_per_file_and_a_case_per_finding(result: RunResult) -> None:
    root = etree.fromstring(junit.render_junit(result, OPTIONS).encode("utf-8"))
    assert root.tag == "testsuites" and root.get("failures") == "3"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert sorted(suites) == [
        "bundle/lync/oauth-configuration.xml",
        "bundle/lync/partner-applications.xml",
        "bundle/notes.txt",
    ]
    [case] = suites["bundle/lync/oauth-configuration.xml"].iter("testcase")
    line, _ = position_of(oauth_xml(), '<S N="ExchangeAutodiscoverUrl">')
    # junit-10.xsd: no file or line attribute, no properties in a test case; the name
    # holds the rule and the object, the line is in the failure's text.
    assert case.get("name") == (
        "OAU001 autodiscover-xml-not-svc: oauth-configuration:ExchangeAutodiscoverUrl"
    )
    assert sorted(case.attrib) == ["classname", "name"]
    assert case.find("properties") is None
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "OAU001"
    assert "points to autodiscover.xml" in (failure.get("message") or "")
    assert f"bundle/lync/oauth-configuration.xml:{line}:" in (failure.text or "")
    assert "[error]" in (failure.text or "")


def test_junit_passes_clean_files_and_survives_control_characters(result: RunResult) -> None:
    clean = replace(result, findings=())
    root = etree.fromstring(junit.render_junit(clean, OPTIONS).encode("utf-8"))
    assert root.get("failures") == "0" and len(root.findall("testsuite")) == 3
    assert all(s.find("testcase/failure") is None for s in root.iter("testsuite"))
    odd = Finding("INP001", "parse-error", Severity.ERROR, "bad \x00\x07 <&>", Location("a.xml", 1))
    root = etree.fromstring(junit.render_junit(with_findings(result, odd), OPTIONS).encode("utf-8"))
    failure = root.find(".//failure")
    # Control characters are shown as escapes (s2slint.neutral), which XML can carry.
    assert failure is not None and failure.get("message") == "bad \\x00\\x07 <&>"


# --------------------------------------------------------------------- markdown


def test_markdown_lists_findings_worst_first_with_the_fix(result: RunResult) -> None:
    text = markdown.render_markdown(result, OPTIONS)
    table = [
        line
        for line in text.splitlines()
        if line.startswith("| error") or line.startswith("| warning")
    ]
    assert [row.split(" | ")[1].split()[0] for row in table] == ["OAU001", "PAP001", "INP002"]
    assert "```powershell\nSet-CsOAuthConfiguration" in text
    assert "## Controls" in text and "| failed | S2S-08 " in text
    assert "## Not evaluated" in text and "- DNS001: missing " in text


def test_markdown_escapes_what_exports_contain() -> None:
    assert markdown.md("a|b <script> *x* [y](z)") == "a\\|b \\<script\\> \\*x\\* \\[y\\](z)"
    assert markdown.code("has `tick` | pipe") == "``has `tick` \\| pipe``"


# ------------------------------------------------------------- several outputs


def test_several_formats_in_one_run_each_to_its_own_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "check",
        *PARTIAL,
        "bundle",
        "--output-format",
        "github",
        "--output",
        "sarif=reports/s2slint.sarif",
        "--output",
        "gitlab=gl-code-quality.json",
        "--output",
        "junit=junit.xml",
        "--output",
        "html=report.html",
        "--output",
        "markdown=report.md",
    )
    assert code == 1 and err == ""
    assert out.count("::error ") == 2 and out.count("::warning ") == 1
    sarif_log = json.loads((project / "reports/s2slint.sarif").read_text(encoding="utf-8"))
    assert len(sarif_log["runs"][0]["results"]) == 3
    assert len(json.loads((project / "gl-code-quality.json").read_text(encoding="utf-8"))) == 3
    assert (project / "junit.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert "<!DOCTYPE html>" in (project / "report.html").read_text(encoding="utf-8")
    assert (project / "report.md").read_text(encoding="utf-8").startswith("# s2slint report")
    assert (project / "report.html").stat().st_mode & 0o044  # readable, not 0600


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("--output-format", "xml"),
            'unknown output format "xml" (valid: concise, full, github, gitlab, html, json, junit, markdown, powershell, sarif)',
        ),
        (("--output", "sarif"), '"sarif" is not FORMAT=FILE'),
        (("--output", "yaml=x.yaml"), 'unknown output format "yaml"'),
        (
            ("--output", "sarif=a.out", "--output", "json=a.out"),
            "a.out: named as the output of two formats",
        ),
    ],
)
def test_bad_outputs_are_usage_errors(
    project: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    try:
        code, out, err = run(capsys, "check", "bundle", *argv)
    except SystemExit as stop:  # argparse rejects a malformed FORMAT=FILE itself
        code, (out, err) = int(str(stop.code)), capsys.readouterr()
    assert (code, out) == (2, "")
    assert message in err
    assert not (project / "a.out").exists()


def test_statistics_count_per_code(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", *PARTIAL, "bundle", "--statistics", "--output-format", "concise"
    )
    assert code == 1
    assert [line.split("\t")[1] for line in out.splitlines()] == ["INP002", "OAU001", "PAP001"]


# -------------------------------------------------------------------- coverage


def test_explain_coverage_names_counts_and_missing_inputs(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "check", "bundle", "--select", "OAU001,PAP001,DNS001", "--explain-coverage"
    )
    assert code == 0  # introspection: 0 unless the tool failed, whatever was found
    lines = out.splitlines()
    assert lines[0].startswith("DNS001  autodiscover-record-missing  ")
    assert lines[0].split("  ")[-1].startswith("not evaluated: missing a zone export")
    assert lines[1].split() == [
        "OAU001",
        "autodiscover-xml-not-svc",
        "evaluated",
        "on",
        "1",
        "object",
    ]
    assert lines[2].split() == [
        "PAP001",
        "partner-app-not-full-trust",
        "evaluated",
        "on",
        "1",
        "object",
    ]
    assert lines[3] == "2 of 3 selected rules evaluated, 1 not evaluated."


def test_explain_coverage_keeps_file_reports(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "check", "bundle", "--explain-coverage", "--output", "json=r.json")
    assert "selected rules evaluated" in out
    assert json.loads((project / "r.json").read_text(encoding="utf-8"))["findings"]


# -------------------------------------------------------------------- terminal


def test_no_color_means_set_and_not_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    from s2slint.cli import _color

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert _color("auto", True) and not _color("auto", False)
    monkeypatch.setenv("NO_COLOR", "")
    assert _color("auto", True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _color("auto", True)


def test_color_option_and_force_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--color` decides; with auto, NO_COLOR wins over FORCE_COLOR, which beats no terminal."""
    from s2slint.cli import _color

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert _color("always", False) and not _color("never", True)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert _color("auto", False)
    assert not _color("never", False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _color("auto", False)
    assert _color("always", False)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_appears_only_after_the_delay_and_is_erased() -> None:
    stream = io.StringIO()
    clock = FakeClock()
    progress = Progress(stream, delay=1.0, clock=clock)
    progress.update("reading bundle/lync/oauth.xml (1/3)")
    progress.tick()
    assert stream.getvalue() == "" and not progress.shown
    clock.now += 1.5
    progress.tick()
    assert stream.getvalue() == CLEAR + "s2slint | reading bundle/lync/oauth.xml (1/3)"
    progress.update("checking OAU001 (2/9)")
    progress.tick()
    assert stream.getvalue().endswith(CLEAR + "s2slint / checking OAU001 (2/9)")
    progress.stop()
    assert stream.getvalue().endswith(CLEAR) and progress.shown


def test_a_quick_run_prints_no_progress() -> None:
    stream = io.StringIO()
    with Progress(stream, delay=3600) as progress:
        progress.update("reading")
    assert stream.getvalue() == ""


def test_the_engine_reports_progress(project: Path) -> None:
    seen: list[str] = []
    lint([project / "bundle"], REGISTRY, Config(), WHEN, cwd=project, progress=seen.append)
    assert seen[0] == "reading bundle/lync/oauth-configuration.xml (1/3)"
    assert any(s.startswith("checking OAU001 autodiscover-xml-not-svc (") for s in seen)
