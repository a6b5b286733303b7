"""The HTML audit report: content, controls, escaping, and rendering in a real browser.

The browser test runs Debian's headless Chromium (installed by .ci/run) on the file,
reads the DOM *as rendered* and takes a screenshot; it is skipped, saying why, only
when no chromium is installed.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from conftest import FIXTURES, ROOT
from exports import SVC, reference_rows, run, write_lync_bundle

from s2slint.config import Config
from s2slint.controls import ControlSet, Status, evaluate, load_controls
from s2slint.engine import lint
from s2slint.errors import ConfigError
from s2slint.findings import Finding, Location, Severity
from s2slint.plugins import load_registry
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.html import render_html
from s2slint.results import RunResult

WHEN = datetime(2026, 11, 21, tzinfo=UTC)
REGISTRY = load_registry(entry_points=False)

CONTROLS = """\
title = "Test framework"
version = "1"

[[control]]
id = "T-1"
title = "Autodiscover URL"
rationale = "Lync finds Exchange through it."
rules = ["OAU001"]

[[control]]
id = "T-2"
title = "Partner trust"
rules = ["PAP001"]

[[control]]
id = "T-3"
title = "DNS records"
rules = ["DNS001"]

[[control]]
id = "T-4"
title = "A check s2slint does not have"
rules = ["XYZ999"]

[[control]]
id = "T-5"
title = "Input readable"
rules = ["INP001", "INP004"]
"""


def html_of(result: RunResult, controls: ControlSet | None = None) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(render_html(result, ReportOptions(controls=controls)))


@pytest.fixture(scope="module")
def example() -> RunResult:
    return lint([FIXTURES / "example"], REGISTRY, Config(), WHEN, cwd=ROOT)


# ---------------------------------------------------------------------- controls


def test_shipped_controls_cover_every_catalogued_and_registered_rule() -> None:
    controls = load_controls()
    mapped = {code for control in controls.controls for code in control.rules}
    assert set(reference_rows()) <= mapped
    assert {r.code for r in REGISTRY.rules} <= mapped
    key_strength = next(
        c for c in controls.controls if c.title == "OAuth token signing key strength"
    )
    assert key_strength.rules == ("CRT003", "CRT012")
    assert all(c.rationale for c in controls.controls)


def test_control_statuses_are_computed_never_assumed(tmp_path: Path) -> None:
    bundle = write_lync_bundle(tmp_path / "bundle")
    (tmp_path / "controls.toml").write_text(CONTROLS, encoding="utf-8")
    controls = load_controls(tmp_path / "controls.toml")
    result = lint([bundle], REGISTRY, Config(), WHEN, cwd=tmp_path, ignore=["PAP001"])
    verdicts = {v.control.id: v for v in evaluate(controls, result)}
    assert verdicts["T-1"].status is Status.FAILED and verdicts["T-1"].detail == "1 finding"
    assert verdicts["T-2"].status is Status.NOT_EVALUATED
    assert verdicts["T-2"].detail == "PAP001: rule not selected in this run"
    assert verdicts["T-3"].status is Status.NOT_EVALUATED
    assert verdicts["T-3"].detail.startswith("DNS001: missing a zone export")
    assert verdicts["T-4"].detail.startswith("XYZ999: rule not available in s2slint ")
    assert verdicts["T-5"].status is Status.PASSED and verdicts["T-5"].detail == "2 rules passed"
    order = [v.control.id for v in evaluate(controls, result)]
    assert order == ["T-1", "T-2", "T-3", "T-4", "T-5"]  # failed, not evaluated, passed


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title = 1\n", "invalid control mapping: (top level): 'control' is a required property"),
        ('[[control]]\nid = "A"\ntitle = "t"\n', "control.0: 'rules' is a required property"),
        ('[[control]]\nid = "A"\ntitle = "t"\nrules = []\n' * 2, 'control "A" is defined twice'),
        ("[[control]\n", "invalid control mapping"),
    ],
)
def test_a_bad_control_mapping_names_the_file_and_entry(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "controls.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"controls\.toml") as error:
        load_controls(path)
    assert message in str(error.value)


def test_controls_option_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_lync_bundle(tmp_path / "bundle")
    code, _, err = run(capsys, "check", "bundle", "--controls", "missing.toml")
    assert (code, err) == (2, "s2slint: error: missing.toml: control mapping not found\n")
    (tmp_path / "c.json").write_text(
        '{"control": [{"id": "J", "title": "json too", "rules": ["OAU001"]}]}', encoding="utf-8"
    )
    code, out, _ = run(capsys, "check", "bundle", "--output-format", "html", "--controls", "c.json")
    assert code == 1
    [row] = lxml.html.fromstring(out).xpath("//*[@id='controls']//tbody/tr")
    assert row.get("data-status") == "failed" and "json too" in row.text_content()


# ---------------------------------------------------------------------- content


def test_report_has_the_deployment_controls_and_findings(example: RunResult) -> None:
    page = html_of(example)
    deployment = page.get_element_by_id("deployment").text_content()
    for expected in (
        "litwareinc.com",
        "atl-cs-001.litwareinc.com",
        "atl-fe-03.litwareinc.com",
        "atl-exch-001.litwareinc.com",
        "microsoft.exchange",
        "7054C1277959708FAB91422CFE5982E3C7AE81CB",
        "2028-01-15 (420 days left)",
    ):
        assert expected in deployment, expected
    statuses = {
        row.get("id"): row.get("data-status") for row in page.xpath("//*[@id='controls']//tbody/tr")
    }
    assert statuses["control-S2S-08"] == "failed"  # OAU001
    assert statuses["control-S2S-04"] == "passed"  # CRT003 and CRT012 on a 2048-bit RSA key
    assert statuses["control-S2S-16"] == "not applicable"  # no suppression to check
    assert set(statuses.values()) <= {"failed", "not evaluated", "passed", "not applicable"}
    assert len(statuses) == len(load_controls().controls)
    articles = page.xpath("//article")
    assert len(articles) == len(example.findings)
    oau = next(a for a in articles if a.get("data-code") == "OAU001")
    assert "fixtures/example/lync/oauth-configuration.xml" in oau.text_content()
    assert "Set-CsOAuthConfiguration" in oau.xpath(".//pre[@class='fix']")[0].text_content()
    assert oau.xpath(".//ul[@class='refs']//a")[0].get("href").startswith("https://")
    crt002 = next(a for a in articles if a.get("data-code") == "CRT002")
    assert crt002.text_content().count("related") == 2


def test_findings_are_sorted_worst_first(example: RunResult) -> None:
    info = Finding("INP002", "unrecognized-input", Severity.INFO, "a note", Location("a.txt"))
    warning = Finding(
        "INP002", "unrecognized-input", Severity.WARNING, "a warning", Location("b.txt")
    )
    result = replace(example, findings=(info, *example.findings, warning))
    classes = [a.get("class") for a in html_of(result).xpath("//article")]
    assert classes[0] == "finding error" and classes[-2:] == ["finding warning", "finding info"]


def test_everything_is_escaped_and_nothing_is_fetched(example: RunResult) -> None:
    evil = Finding(
        "OAU001",
        "autodiscover-xml-not-svc",
        Severity.ERROR,
        '<script>alert("x")</script> & <img src=x onerror=alert(1)>',
        Location('lync/"><b>.xml', 1, 1, "obj[0].<i>"),
        key="oauth-configuration:<u>",
    )
    text = render_html(replace(example, findings=(evil,)), ReportOptions())
    assert "<script" not in text and "<img" not in text and "<b>" not in text and "<u>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in text
    page = lxml.html.fromstring(text)
    assert page.xpath("//article//p[@class='message']")[0].text_content().startswith("<script>")
    assert not page.xpath("//script | //link | //img | //iframe | //object | //embed")
    style = page.xpath("//style")[0].text_content()
    assert "url(" not in style and "@import" not in style and "@media print" in style


def test_suppressed_findings_are_listed_with_their_reason(tmp_path: Path) -> None:
    bundle = write_lync_bundle(tmp_path / "bundle")
    (tmp_path / "base.json").write_text(
        '{"s2slint-baseline": 1, "entries": [{"code": "OAU001", '
        '"key": "oauth-configuration:ExchangeAutodiscoverUrl", "reason": "cut-over on Friday"}]}',
        encoding="utf-8",
    )
    from s2slint.baseline import load

    result = lint(
        [bundle],
        REGISTRY,
        Config(),
        WHEN,
        cwd=tmp_path,
        baseline=load(tmp_path / "base.json", tmp_path),
    )
    section = html_of(result).get_element_by_id("suppressed").text_content()
    assert "OAU001" in section and "cut-over on Friday" in section and "baseline" in section


def test_fixes_keep_their_line_breaks(example: RunResult) -> None:
    # A fix is several commands: the <pre> shows them on their own lines, never as "\\n".
    blocks = [pre.text_content() for pre in html_of(example).xpath("//pre[@class='fix']")]
    several = [text for text in blocks if "\n" in text]
    assert several and not any("\\n" in text for text in blocks)


def test_report_is_deterministic(example: RunResult) -> None:
    assert render_html(example, ReportOptions()) == render_html(example, ReportOptions())


# ------------------------------------------------------------------------ browser


def png_facts(data: bytes) -> tuple[int, int, int]:
    """Return width, height and the number of distinct bytes of the decoded pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat = 8, b""
    width = height = 0
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        chunk = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        offset += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("no chromium installed (.ci/run installs Debian's chromium)")
    return subprocess.run(
        [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_renders_in_headless_chromium(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write_lync_bundle(tmp_path / "bundle")
    (tmp_path / "controls.toml").write_text(CONTROLS, encoding="utf-8")
    code, _, err = run(
        capsys,
        "check",
        "bundle",
        "--as-of",
        "2026-11-21",
        "--controls",
        "controls.toml",
        "--output",
        "html=audit/report.html",
    )
    assert code == 1 and err == ""
    report = tmp_path / "audit" / "report.html"

    dumped = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "profile-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    page = lxml.html.fromstring(dumped.stdout)
    rows = {
        row.get("id"): (
            row.get("data-status"),
            row.xpath(".//span[contains(@class, 'status')]")[0].text_content(),
        )
        for row in page.xpath("//*[@id='controls']//tbody/tr")
    }
    assert rows == {
        "control-T-1": ("failed", "failed"),
        "control-T-2": ("failed", "failed"),
        "control-T-3": ("not evaluated", "not evaluated"),
        "control-T-4": ("not evaluated", "not evaluated"),
        "control-T-5": ("passed", "passed"),
    }
    dns = page.get_element_by_id("control-T-3").text_content()
    assert "DNS001: missing a zone export" in dns
    oau = page.xpath("//article[@data-code='OAU001']")[0]
    assert "ExchangeAutodiscoverUrl points to autodiscover.xml" in oau.text_content()
    assert "bundle/lync/oauth-configuration.xml" in oau.text_content()
    own, general = (pre.text_content() for pre in oau.xpath(".//pre[@class='fix']"))
    rule = REGISTRY.rule("OAU001")
    assert rule is not None and general == rule.doc.fix.strip()  # the rule's PowerShell
    # The finding's own fix, with the bundle's URL, comes first.
    assert own.startswith("Set-CsOAuthConfiguration -Identity Global -ExchangeAutodiscoverUrl")
    assert SVC.split("/")[2] in page.get_element_by_id("findings").text_content()

    shot = tmp_path / "report.png"
    taken = chromium(
        f"--screenshot={shot}", "--window-size=1280,900", report.as_uri(), profile=tmp_path / "p2"
    )
    assert taken.returncode == 0 and shot.is_file(), taken.stderr[-2000:]
    width, height, distinct = png_facts(shot.read_bytes())
    assert (width, height) == (1280, 900)
    assert shot.stat().st_size > 20_000 and distinct > 50  # text and colour, not a blank page
