"""Reporters: `full`, `concise` and `json` over a real run, ordering, colour.

The `RunResult` comes from `s2slint.engine.lint` on a bundle written into `tmp_path`:
two `Get-CsCertificate` exports from Front End servers with different OAuthTokenIssuer
thumbprints (CRT002, with a related location), an OAuth configuration with the `.xml`
Autodiscover URL (OAU001), two partner applications without Full trust (two PAP001 in
one file), a text file (INP002) and a truncated export (INP001).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from exports import (
    PARTIAL_CONFIG,
    SHAREPOINT,
    SVC,
    UNKNOWN_EXPORT,
    PartnerApp,
    cs_certificate_xml,
    cut_short,
    module_environment,
    oauth_xml,
    partner_apps_xml,
    position_of,
    run_module,
    write_bundle,
)

from s2slint.engine import lint
from s2slint.findings import Finding, Location, Severity
from s2slint.plugins import load_registry
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.jsonfmt import render_json
from s2slint.reporters.text import render_concise, render_full
from s2slint.results import RunResult

WHEN = datetime(2026, 11, 21, tzinfo=UTC)
ESCAPE = "\033["
THUMB_1 = "1F2E3D4C5B6A79881F2E3D4C5B6A79881F2E3D4C"
THUMB_2 = "9A8B7C6D5E4F30219A8B7C6D5E4F30219A8B7C6D"


PARTNER_APPS = partner_apps_xml(PartnerApp(), SHAREPOINT)
"""Exchange (Application trust) and SharePoint (User trust): two PAP001 in one file."""


def write_report_bundle(root: Path) -> Path:
    """Write the bundle of the module docstring at `root/bundle`; return its folder."""
    return write_bundle(
        root / "bundle",
        {
            "lync/oauth.xml": (oauth_xml(), "utf-16"),
            "lync/partner-apps.xml": PARTNER_APPS,
            "servers/fe01.xml": (
                cs_certificate_xml("atl-fe-01.litwareinc.com", THUMB_1),
                "utf-16",
            ),
            "servers/fe02.xml": (
                cs_certificate_xml("atl-fe-02.litwareinc.com", THUMB_2),
                "utf-16",
            ),
            "a-notes.txt": UNKNOWN_EXPORT,
            "lync/truncated.xml": cut_short(oauth_xml(), 9),
        },
    )


@pytest.fixture
def result(tmp_path: Path) -> RunResult:
    bundle = write_report_bundle(tmp_path)
    return lint([bundle], load_registry(entry_points=False), PARTIAL_CONFIG, WHEN, cwd=tmp_path)


@pytest.fixture
def clean(tmp_path: Path) -> RunResult:
    folder = write_bundle(tmp_path / "clean", {"oauth.xml": (oauth_xml(SVC), "utf-16")})
    return lint([folder], load_registry(entry_points=False), PARTIAL_CONFIG, WHEN, cwd=tmp_path)


PLAIN = ReportOptions()


# ----------------------------------------------------------------------- the run


def test_run_has_the_expected_findings_in_sorted_order(result: RunResult) -> None:
    seen = [(f.location.path, f.location.line, f.code) for f in result.findings]
    pap_line = position_of(PARTNER_APPS, '<Obj N="ApplicationTrustLevel"')[0]
    pap_line_2 = position_of(
        PARTNER_APPS, '<Obj N="ApplicationTrustLevel"', PARTNER_APPS.index('RefId="2"')
    )[0]
    oau_line = position_of(oauth_xml(), '<S N="ExchangeAutodiscoverUrl">')[0]
    crt_line = position_of(cs_certificate_xml("x", THUMB_2), '<S N="Thumbprint">')[0]
    truncated = [f for f in result.findings if f.code == "INP001"]
    assert len(truncated) == 1
    assert seen == [
        ("bundle/a-notes.txt", None, "INP002"),
        ("bundle/lync/oauth.xml", oau_line, "OAU001"),
        ("bundle/lync/partner-apps.xml", pap_line, "PAP001"),
        ("bundle/lync/partner-apps.xml", pap_line_2, "PAP001"),
        ("bundle/lync/truncated.xml", truncated[0].location.line, "INP001"),
        ("bundle/servers/fe02.xml", crt_line, "CRT002"),
    ]
    keys = [
        (f.location.path, f.location.line or 0, f.location.column or 0, f.code)
        for f in result.findings
    ]
    assert keys == sorted(keys)
    assert len(result.files) == 6


def test_findings_of_one_file_are_ordered_by_line_before_code(tmp_path: Path) -> None:
    """`@(Get-CsPartnerApplication; Get-CsOAuthConfiguration) | Export-Clixml`: PAP first."""
    apps = PARTNER_APPS.splitlines()
    oauth = [line.replace('RefId="0"', 'RefId="8"') for line in oauth_xml().splitlines()[1:-1]]
    text = "\n".join([*apps[:-1], *oauth, apps[-1]]) + "\n"
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "lync.xml").write_text(text, encoding="utf-16")
    run = lint([folder], load_registry(entry_points=False), PARTIAL_CONFIG, WHEN, cwd=tmp_path)
    oau_line = position_of(text, '<S N="ExchangeAutodiscoverUrl">')[0]
    assert [(f.code, f.location.line) for f in run.findings] == [
        ("PAP001", position_of(text, '<Obj N="ApplicationTrustLevel"')[0]),
        ("PAP001", position_of(text, '<Obj N="ApplicationTrustLevel" RefId="3"')[0]),
        ("OAU001", oau_line),
    ]
    concise = render_concise(run, PLAIN).splitlines()
    assert [line.split(": ")[1].split()[0] for line in concise] == ["PAP001", "PAP001", "OAU001"]
    json_codes = [f["code"] for f in json.loads(render_json(run, PLAIN))["findings"]]
    assert json_codes == ["PAP001", "PAP001", "OAU001"]


def test_lint_is_deterministic(tmp_path: Path, result: RunResult) -> None:
    again = lint(
        [tmp_path / "bundle"], load_registry(entry_points=False), PARTIAL_CONFIG, WHEN, cwd=tmp_path
    )
    assert again.findings == result.findings
    for render in (render_full, render_concise, render_json):
        assert render(again, PLAIN) == render(result, PLAIN)


# -------------------------------------------------------------------------- full


def test_full_shows_each_finding_with_related_locations(result: RunResult) -> None:
    text = render_full(result, PLAIN)
    lines = text.splitlines()
    fe02 = cs_certificate_xml("atl-fe-02.litwareinc.com", THUMB_2)
    line, column = position_of(fe02, '<S N="Thumbprint">')
    crt = next(i for i, entry in enumerate(lines) if " CRT002 " in entry)
    assert lines[crt] == (
        f"bundle/servers/fe02.xml:{line}:{column}: CRT002 [error] Front End servers do not all "
        f'carry the same OAuthTokenIssuer certificate: atl-fe-01.litwareinc.com "{THUMB_1}", '
        f'atl-fe-02.litwareinc.com "{THUMB_2}" (oauth-cert-inconsistent)'
    )
    fe01_line, fe01_column = position_of(
        cs_certificate_xml("atl-fe-01.litwareinc.com", THUMB_1), '<S N="Thumbprint">'
    )
    assert lines[crt + 1] == (
        f"    related: bundle/servers/fe01.xml:{fe01_line}:{fe01_column} (obj[0].Thumbprint)"
    )
    # Only CRT002 has related locations.
    assert sum(1 for entry in lines if entry.startswith("    related: ")) == 1


def test_full_summary_counts_and_not_evaluated(result: RunResult) -> None:
    text = render_full(result, PLAIN)
    assert "\nFound 6 findings (5 errors, 1 warning) in 6 files.\n" in text
    # A blank line separates the findings from the summary.
    assert "\n\nFound 6 findings" in text
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Not evaluated ("))
    reasons = dict(line.strip().split(": ", 1) for line in lines[header + 1 :])
    assert lines[header] == f"Not evaluated ({len(reasons)} rules: evidence missing):"
    # No zone export and no certificate file in the bundle.
    assert reasons.get("DNS001")
    assert "CRT002" not in reasons and "OAU001" not in reasons and "PAP001" not in reasons
    assert list(reasons) == sorted(reasons)
    assert reasons == {
        code: outcome.missing  # type: ignore[union-attr]
        for code, outcome in result.coverage.items()
        if type(outcome).__name__ == "NotEvaluated"
    }


def test_full_when_clean(clean: RunResult) -> None:
    text = render_full(clean, PLAIN)
    assert text.startswith("All checks passed on 1 file.\n")
    assert "Found" not in text
    assert "Not evaluated (" in text  # passing is not the same as checked


def test_full_singular_and_plural(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "notes.txt").write_text(UNKNOWN_EXPORT, encoding="utf-8")
    one = lint(
        [tmp_path / "one"], load_registry(entry_points=False), PARTIAL_CONFIG, WHEN, cwd=tmp_path
    )
    assert "Found 1 finding (1 warning) in 1 file.\n" in render_full(one, PLAIN)


def test_full_related_without_pointer_or_position(result: RunResult) -> None:
    finding = Finding(
        code="CRT002",
        name="oauth-cert-inconsistent",
        severity=Severity.ERROR,
        message="differs",
        location=Location("bundle/servers/fe02.xml", 3, 5, "obj[0].Thumbprint"),
        related=(Location("bundle/certs/oauth.cer"), Location("bundle/servers/fe03.xml", 7)),
    )
    text = render_full(replace(result, findings=(finding,)), PLAIN)
    assert text.startswith(
        "bundle/servers/fe02.xml:3:5: CRT002 [error] differs (oauth-cert-inconsistent)\n"
        "    related: bundle/certs/oauth.cer\n"
        "    related: bundle/servers/fe03.xml:7\n"
        "\n"
        "Found 1 finding (1 error) in 6 files.\n"
    )


def test_full_statistics(result: RunResult) -> None:
    text = render_full(result, ReportOptions(statistics=True))
    assert text.startswith(
        "    2\tPAP001\t[error]\tpartner-app-not-full-trust\n"
        "    1\tCRT002\t[error]\toauth-cert-inconsistent\n"
        "    1\tINP001\t[error]\tparse-error\n"
        "    1\tINP002\t[warning]\tunrecognized-input\n"
        "    1\tOAU001\t[error]\tautodiscover-xml-not-svc\n"
        "Found 6 findings"
    )
    assert "related:" not in text


# ----------------------------------------------------------------------- concise


def test_concise_is_one_line_per_finding_and_nothing_else(result: RunResult) -> None:
    text = render_concise(result, PLAIN)
    expected = ""
    for f in result.findings:
        where = f.location.path
        if f.location.line is not None:
            where += f":{f.location.line}:{f.location.column}"
        expected += f"{where}: {f.code} [{f.severity.label}] {f.message} ({f.name})\n"
    assert text == expected
    assert len(text.splitlines()) == len(result.findings) == 6
    assert "related" not in text and "Found" not in text


def test_concise_is_empty_when_clean(clean: RunResult) -> None:
    assert render_concise(clean, PLAIN) == ""
    assert render_concise(clean, ReportOptions(statistics=True)) == ""


# -------------------------------------------------------------------------- json


def test_json_mirrors_the_run(result: RunResult) -> None:
    document = json.loads(render_json(result, PLAIN))
    findings = document["findings"]
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [
        (f.location.path, f.location.line, f.code) for f in result.findings
    ]
    crt = next(f for f in findings if f["code"] == "CRT002")
    line, column = position_of(
        cs_certificate_xml("atl-fe-01.litwareinc.com", THUMB_1), '<S N="Thumbprint">'
    )
    assert crt["related"] == [
        {
            "path": "bundle/servers/fe01.xml",
            "line": line,
            "column": column,
            "pointer": "obj[0].Thumbprint",
        }
    ]
    summary = document["summary"]
    assert summary["files"] == 6
    assert summary["by_severity"] == {"error": 5, "warning": 1, "info": 0}
    assert summary["by_code"] == {"CRT002": 1, "INP001": 1, "INP002": 1, "OAU001": 1, "PAP001": 2}
    assert "DNS001" in summary["not_evaluated"]
    assert summary["not_evaluated"] == sorted(summary["not_evaluated"])


def test_json_ignores_colour_and_keeps_non_ascii(result: RunResult, tmp_path: Path) -> None:
    folder = tmp_path / "Zürich"
    folder.mkdir()
    (folder / "notizen.txt").write_text("Grüße\n", encoding="utf-8")
    run = lint([folder], load_registry(entry_points=False), PARTIAL_CONFIG, WHEN, cwd=tmp_path)
    text = render_json(run, ReportOptions(color=True))
    assert ESCAPE not in text
    assert '"path": "Zürich/notizen.txt"' in text


# ------------------------------------------------------------------------ colour


def test_colour_only_when_asked(result: RunResult) -> None:
    for render in (render_full, render_concise):
        assert ESCAPE not in render(result, PLAIN)
        coloured = render(result, ReportOptions(color=True))
        assert "\033[31m[error]\033[0m" in coloured
        assert "\033[33m[warning]\033[0m" in coloured
        # Colour never changes anything but the severity tag.
        assert re.sub(r"\033\[\d+m", "", coloured) == render(result, PLAIN)


def test_no_colour_when_stdout_is_not_a_terminal(result: RunResult, tmp_path: Path) -> None:
    for env in ({}, {"NO_COLOR": "1"}, {"TERM": "xterm-256color"}):
        for output_format in ("full", "concise"):
            process = run_module(
                "check",
                "bundle",
                "--output-format",
                output_format,
                cwd=tmp_path,
                env=env,
                unset={"NO_COLOR"},
            )
            assert process.returncode == 1
            assert " OAU001 [error] " in process.stdout
            assert ESCAPE not in process.stdout and ESCAPE not in process.stderr
            assert "Traceback" not in process.stderr


def test_no_colour_in_capsys(
    result: RunResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from s2slint.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["check", "bundle"]) == 1
    out, _ = capsys.readouterr()
    assert " OAU001 [error] " in out and ESCAPE not in out


def run_on_terminal(*argv: str, cwd: Path, env: dict[str, str]) -> str:
    """Run `python -m s2slint` with stdout on a pseudo-terminal; return what it printed."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "s2slint", *argv],
            cwd=cwd,
            env=module_environment(env, unset={"NO_COLOR"}),
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(follower)
    chunks = []
    try:
        while True:  # read while it runs, so a long report never fills the terminal
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: every writer has closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    assert process.stderr is not None
    stderr = process.stderr.read()
    process.stderr.close()
    process.wait(timeout=120)
    assert b"Traceback" not in stderr
    return b"".join(chunks).decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color(result: RunResult, tmp_path: Path) -> None:
    coloured = run_on_terminal(
        "check", "bundle", "--output-format", "concise", cwd=tmp_path, env={}
    )
    assert "\033[31m[error]\033[0m" in coloured
    plain = run_on_terminal(
        "check", "bundle", "--output-format", "concise", cwd=tmp_path, env={"NO_COLOR": "1"}
    )
    assert " OAU001 [error] " in plain
    assert ESCAPE not in plain
    as_json = run_on_terminal("check", "bundle", "--output-format", "json", cwd=tmp_path, env={})
    assert ESCAPE not in as_json
    assert json.loads(as_json)["findings"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_no_colour_in_an_output_file_even_on_a_terminal(result: RunResult, tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    printed = run_on_terminal("check", "bundle", "-o", str(report), cwd=tmp_path, env={})
    assert printed == ""
    text = report.read_text(encoding="utf-8")
    assert " OAU001 [error] " in text and ESCAPE not in text
