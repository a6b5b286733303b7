"""The audit report in a real browser: printed to A4 and Letter without clipping, pictures read.

Playwright drives Debian's Chromium (`/usr/bin/chromium`, installed by .ci/run; no
browser is ever downloaded). Print media is emulated at the content width of an A4
and a Letter page (the page width less the report's 12 mm side margins) and no
element's box may extend past it, for the report of every fixture bundle. The example
bundle's pictures are read as rendered, and the report is printed to PDF. Skipped,
saying why, only when Chromium or Playwright is absent.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT
from exports import run

CHROMIUM = Path("/usr/bin/chromium")
MM = 96 / 25.4
SIDE_MARGINS_MM = 2 * 12
PAGES = {"A4": 210.0, "Letter": 215.9}
"""Page widths in millimetres; the content width is what the side margins leave."""
SCENARIOS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("."))

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const past = [];
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      past.push(`${element.tagName}.${element.getAttribute('class') || ''} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {width, scroll: document.documentElement.scrollWidth, past: past.slice(0, 10)};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (.ci/run installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()


def report(capsys: pytest.CaptureFixture[str], out: Path, bundle: str, *extra: str) -> Path:
    """Write the HTML report of `bundle` (a path relative to the repository) to `out`."""
    code, _, err = run(
        capsys,
        "check",
        bundle,
        "--as-of",
        "2026-11-21",
        "--output",
        f"html={out}",
        "--output-format",
        "concise",
        *extra,
    )
    assert code in (0, 1), err
    return out


def content_width(page: str) -> int:
    return int((PAGES[page] - SIDE_MARGINS_MM) * MM)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_report_prints_on_a4_and_letter_without_clipping(
    scenario: str,
    browser: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", "Litware-Pfx-2026!")
    html = report(capsys, tmp_path / "report.html", f"fixtures/{scenario}")
    for name in PAGES:
        page = browser.new_page(viewport={"width": content_width(name), "height": 1000})
        page.emulate_media(media="print")
        page.goto(html.as_uri())
        facts = page.evaluate(OVERFLOW)
        page.close()
        assert facts["past"] == [], (name, facts)
        assert facts["scroll"] <= facts["width"], (name, facts)


def test_the_example_pictures_read_right_in_the_browser(
    browser: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(ROOT)
    html = report(capsys, tmp_path / "report.html", "fixtures/example")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(html.as_uri())
    labels = page.eval_on_selector_all(
        "svg[role='img']", "all => all.map(svg => svg.getAttribute('aria-label'))"
    )
    assert [label.split(":")[0] for label in labels] == [
        "Trust relationships",
        "Certificate timeline",
    ]
    edges = page.eval_on_selector_all(
        "svg g.edge",
        "all => all.map(g => [g.dataset.from, g.dataset.to, g.dataset.status, g.textContent])",
    )
    statuses = {(source, target): status for source, target, status, _ in edges}
    assert statuses == {
        ("lync", "exchange"): "failed",
        ("exchange", "lync"): "ok",
        ("lync", "sharepoint"): "ok",
        ("sharepoint", "lync"): "not evaluated",
        ("exchange", "exchange-online"): "ok",
        ("lync", "token-service"): "ok",
        ("exchange", "token-service"): "ok",
    }
    failed = next(text for s, t, _, text in edges if (s, t) == ("lync", "exchange"))
    assert "FAILED: PAP001" in failed and "microsoft.exchange" in failed
    nodes = page.eval_on_selector_all(
        "svg g.node", "all => Object.fromEntries(all.map(g => [g.dataset.node, g.dataset.status]))"
    )
    assert nodes["pool:atl-cs-001.litwareinc.com"] == "failed"
    assert nodes["exchange"] == "ok" and nodes["sharepoint"] == "not evaluated"
    bars = page.eval_on_selector_all(
        "svg g.certificate", "all => all.map(g => [g.dataset.thumbprint, g.dataset.kind])"
    )
    assert len(bars) == 4 and ["18C121041B4E879C203635DDCF5BF7A9D66EDFFE", "current"] in bars
    # The pictures scale to the page: drawn, and not wider than the report's column.
    widths = page.eval_on_selector_all(
        "figure.picture svg", "all => all.map(svg => svg.getBoundingClientRect().width)"
    )
    assert all(0 < width <= 1100 for width in widths)
    page.close()


def control_status(browser: Any, html: Path, control: str) -> str:
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.goto(html.as_uri())
    shown: str = page.inner_text(f"#control-{control} .status")
    page.close()
    return shown


def test_an_accepted_finding_reads_accepted_in_the_browser(
    browser: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(ROOT)
    baseline = tmp_path / "baseline.json"
    entry = {
        "code": "PAP001",
        "key": "partner-application:microsoft.exchange",
        "reason": "Exchange 2013 retires in June",
        "owner": "j.doe",
        "expires": "2027-06-30",
    }
    baseline.write_text(json.dumps({"s2slint-baseline": 1, "entries": [entry]}), encoding="utf-8")
    html = report(capsys, tmp_path / "report.html", "fixtures/example", "--baseline", str(baseline))
    assert control_status(browser, html, "S2S-10") == "ACCEPTED"


def test_a_partial_bundle_reads_failed_for_evidence_in_the_browser(
    browser: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundle = tmp_path / "partial"
    shutil.copytree(FIXTURES / "example", bundle)
    shutil.rmtree(bundle / "exchange")
    monkeypatch.chdir(tmp_path)
    html = report(capsys, tmp_path / "report.html", "partial")
    assert control_status(browser, html, "S2S-01") == "FAILED"


@pytest.mark.parametrize("paper", sorted(PAGES))
def test_the_report_prints_to_pdf(
    paper: str,
    browser: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(ROOT)
    html = report(capsys, tmp_path / "report.html", "fixtures/example")
    page = browser.new_page()
    page.goto(html.as_uri())
    pdf: bytes = page.pdf(format=paper)
    page.close()
    assert pdf.startswith(b"%PDF-")
    pages = max(int(n) for n in re.findall(rb"/Count (\d+)", pdf))
    assert pages >= 3, pages
    style = html.read_text(encoding="utf-8")
    assert '@top-left { content: "s2slint audit' in style and "counter(pages)" in style
