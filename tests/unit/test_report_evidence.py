"""Evidence integrity and the pictures: digests, the SVG writer, trusts and certificate bars.

The digests are checked against `sha256sum` itself; the pictures against what the
example bundle's findings say (PAP001 on Lync's Exchange partner application, the
atl-fe-03 thumbprint no certificate matches) and against models built here with
certificate rolls.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from conftest import FIXTURES, ROOT
from exports import run

from s2slint.config import Config
from s2slint.engine import RunResult, lint
from s2slint.findings import Finding, Location, Severity
from s2slint.integrity import bundle_digest, common_folder, digest_inputs
from s2slint.model import (
    Certificate,
    CsCertificate,
    ExchangeAuthConfig,
    Located,
    Model,
)
from s2slint.plugins import load_registry
from s2slint.reporters import pictures, timeline, trust
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.html import render_html
from s2slint.reporters.svg import Svg, fit, number, wrap

WHEN = datetime(2026, 11, 21, tzinfo=UTC)
REGISTRY = load_registry(entry_points=False)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def example() -> RunResult:
    return lint([FIXTURES / "example"], REGISTRY, Config(), WHEN, cwd=ROOT)


# ------------------------------------------------------------------------ digests


def test_file_digests_and_the_bundle_digest_match_sha256sum(tmp_path: Path) -> None:
    folder = tmp_path / "bundle" / "lync"
    folder.mkdir(parents=True)
    (folder / "a b.xml").write_bytes(b"<Objs/>\n")
    (tmp_path / "bundle" / "z.dns").write_bytes(b"@ IN SOA x. y. 1 2 3 4 5\n")
    paths = ["bundle/lync/a b.xml", "bundle/z.dns"]
    digests = digest_inputs(paths, tmp_path, (), 1 << 20)
    assert digests[0].sha256 == hashlib.sha256(b"<Objs/>\n").hexdigest()
    assert digests[0].size == 8
    assert common_folder(paths) == "bundle"
    if shutil.which("sha256sum") is None:
        pytest.skip("no sha256sum")
    listed = subprocess.run(
        ["sha256sum", "lync/a b.xml", "z.dns"],
        cwd=tmp_path / "bundle",
        capture_output=True,
        check=True,
    ).stdout
    lines = sorted(listed.splitlines(keepends=True), key=lambda line: line.split(b"  ", 1)[1])
    assert bundle_digest(digests) == (hashlib.sha256(b"".join(lines)).hexdigest(), 2)


def test_refused_links_and_fifos_are_listed_never_opened(tmp_path: Path) -> None:
    import os

    (tmp_path / "target.xml").write_text("secret", encoding="utf-8")
    (tmp_path / "link.xml").symlink_to(tmp_path / "target.xml")
    os.mkfifo(tmp_path / "pipe.xml")
    digests = digest_inputs(
        ["link.xml", "pipe.xml", "gone.xml", "refused.xml"], tmp_path, {"refused.xml"}, 100
    )
    notes = [d.note for d in digests]
    assert all(d.sha256 is None for d in digests)
    assert notes[0].startswith("not hashed: ")  # O_NOFOLLOW: the link is not followed
    assert notes[1] == "not hashed: not a regular file"
    assert notes[2].startswith("not hashed: ")
    assert notes[3] == "refused by the run: not read"


def test_the_header_names_bundle_tool_rules_configuration_and_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    config = tmp_path / "s2slint.toml"
    config.write_text('select = ["ALL"]\nignore = ["DNS004"]\n', encoding="utf-8")
    argv = ("check", "fixtures/example", "--as-of", "2026-11-21", "--config", str(config))
    _, out, _ = run(capsys, *argv, "--output-format", "html")
    page = lxml.html.fromstring(out)
    header = {
        row.xpath("th")[0].text_content(): row.xpath("td")[0].text_content()
        for row in page.xpath("//table[@class='evidence-header']//tr")
    }
    digests = digest_inputs([f.path for f in example_files()], ROOT, (), 1 << 26)
    assert header["Bundle digest"].startswith(bundle_digest(digests)[0])
    assert (
        page.xpath("//meta[@name='s2slint-bundle-sha256']")[0].get("content")
        == (bundle_digest(digests)[0])
    )
    assert header["Evaluated as of"] == "2026-11-21"
    assert header["Tool"].startswith("s2slint ")
    assert (
        header["Rules selected"].startswith(f"{len(REGISTRY.rules) - 1} of {len(REGISTRY.rules)}: ")
        and "DNS001\u2013DNS003" in header["Rules selected"]
    )
    assert hashlib.sha256(config.read_bytes()).hexdigest() in header["Configuration"]
    assert header["Baseline"] == "none"
    assert "Report written" not in header
    # Deterministic unless a timestamp is asked for.
    _, again, _ = run(capsys, *argv, "--output-format", "html")
    assert again == out
    _, stamped, _ = run(capsys, *argv, "--output-format", "html", "--report-timestamp")
    assert "Report written" in stamped
    _, markdown, _ = run(capsys, *argv, "--output-format", "markdown", "--report-timestamp")
    assert "- Report written: " in markdown and bundle_digest(digests)[0] in markdown


def example_files() -> list[object]:
    return list(lint([FIXTURES / "example"], REGISTRY, Config(), WHEN, cwd=ROOT).files)


def test_every_input_file_is_listed_with_size_and_sha256(example: RunResult) -> None:
    page = lxml.html.fromstring(render_html(example, ReportOptions()))
    rows = page.xpath("//table[@class='files']/tbody/tr")
    assert len(rows) == len(example.files)
    for row in rows:
        path, _, size, sha = (cell.text_content() for cell in row.xpath("td"))
        data = (ROOT / path).read_bytes()
        assert sha == hashlib.sha256(data).hexdigest() and size == f"{len(data):,}"


def test_the_value_found_is_shown_beside_the_pointer(example: RunResult) -> None:
    page = lxml.html.fromstring(render_html(example, ReportOptions()))
    crt011 = page.xpath("//article[@data-code='CRT011']")[0]
    value = crt011.xpath(".//dt[text()='value found']/following-sibling::dd[1]")[0]
    assert value.text_content() == "18C121041B4E879C203635DDCF5BF7A9D66EDFFE"
    pap001 = page.xpath("//article[@data-code='PAP001']")[0]
    assert "Application" in pap001.xpath(".//code[@class='value']")[0].text_content()


def test_backticks_in_prose_become_code(example: RunResult) -> None:
    page = lxml.html.fromstring(render_html(example, ReportOptions()))
    crt002 = page.xpath("//article[@data-code='CRT002']")[0]
    why = crt002.xpath(".//p[strong[text()='Why it matters.']]")[0]
    assert "`" not in why.text_content()
    assert [c.text_content() for c in why.xpath("code")] == ["Test-CsExStorageConnectivity"]


# --------------------------------------------------------------------- svg writer


def test_svg_text_and_attributes_are_escaped_and_numbers_stable() -> None:
    svg = Svg(100, 50.25, 'Trust <relationships> & "quotes"', "desc <b>")
    svg.begin(class_="edge", data_status="ok")
    svg.text(1.0, 2.04, "<script>alert(1)</script> & more", font_size=12)
    svg.rect(0.3333, -0.04, 10, 10, fill='red" onload="x')
    svg.end()
    text = svg.render()
    tree = lxml.etree.fromstring(text.encode())
    assert tree.get("role") == "img" and tree.get("aria-label").startswith("Trust <relationships>")
    assert tree.find(f"{SVG}title").text == 'Trust <relationships> & "quotes"'
    assert tree.find(f"{SVG}desc").text == "desc <b>"
    assert tree.find(f".//{SVG}text").text == "<script>alert(1)</script> & more"
    rect = tree.find(f".//{SVG}rect")
    assert rect.get("fill") == 'red" onload="x' and rect.get("onload") is None
    assert (rect.get("x"), rect.get("y")) == ("0.3", "0")
    assert tree.get("viewBox") == "0 0 100 50.2" or tree.get("viewBox") == "0 0 100 50.3"
    assert "<script" not in text
    assert number(2.0) == "2" and number(-0.04) == "0" and number(1.25) in ("1.2", "1.3")


def test_svg_groups_must_balance() -> None:
    svg = Svg(10, 10, "x")
    svg.begin()
    with pytest.raises(ValueError, match="left open"):
        svg.render()
    svg.end()
    with pytest.raises(ValueError, match="without begin"):
        svg.end()


def test_fit_and_wrap_keep_text_inside_a_width() -> None:
    assert fit("short", 10, 100) == "short"
    cut = fit("LyncEnterprise-6ed3786051be5bb9994218868e02a308", 10, 120)
    assert cut.endswith("\u2026") and len(cut) * 10 * 0.6 <= 120 + 6
    lines = wrap("not evaluated: no Get-SPTrustedSecurityTokenIssuer export", 11, 150, lines=3)
    assert len(lines) <= 3 and all(len(line) * 11 * 0.6 <= 150 + 7 for line in lines)


# ----------------------------------------------------------------- trust pictures


def test_the_example_trusts_agree_with_its_findings(example: RunResult) -> None:
    graph = trust.build(example.model, example.findings, ())
    edges = {(e.source, e.target): e for e in graph.edges}
    assert edges[("lync", "exchange")].status == "failed"
    # DNS001 reports the missing autodiscover record; DNS003 does not repeat it (v2).
    assert edges[("lync", "exchange")].codes == ("PAP001",)
    assert edges[("exchange", "lync")].status == "ok"
    assert edges[("lync", "sharepoint")].status == "ok"
    assert edges[("sharepoint", "lync")].status == "not evaluated"
    assert edges[("lync", "token-service")].objects == ("microsoft.sts", "evoSTS")
    [pool] = graph.pools
    assert pool.id == "pool:atl-cs-001.litwareinc.com" and pool.status == "failed"
    assert pool.codes == ("CRT002", "CRT011", "OAU001")
    assert graph.node("exchange") is not None and graph.node("exchange").status == "ok"


def test_an_accepted_finding_makes_its_trust_accepted(example: RunResult) -> None:
    pap = [f for f in example.findings if f.code == "PAP001"]
    rest = [f for f in example.findings if f not in pap]
    graph = trust.build(example.model, rest, pap)
    edge = next(e for e in graph.edges if (e.source, e.target) == ("lync", "exchange"))
    assert (edge.status, edge.codes) == ("accepted", ("PAP001",))


def test_a_missing_half_of_the_exchange_trust_is_drawn(example: RunResult) -> None:
    online_only = tuple(
        a
        for a in example.model.exchange_partner_applications
        if a.use_auth_server and a.use_auth_server.value
    )
    assert len(online_only) == 1
    model = replace(example.model, exchange_partner_applications=online_only)
    missing = Finding(
        "PAP005",
        "exchange-partner-app-missing",
        Severity.ERROR,
        "Exchange has no partner application for Lync",
        Location("x"),
        key="exchange-partner-application:lync",
    )
    edges = {(e.source, e.target): e for e in trust.build(model, (missing,), ()).edges}
    assert edges[("exchange", "lync")].words == "failed: missing, PAP005"
    unjudged = {(e.source, e.target): e for e in trust.build(model, (), ()).edges}
    assert unjudged[("exchange", "lync")].status == "not evaluated"
    unexported = {
        (e.source, e.target): e.words
        for e in trust.build(replace(model, exchange_partner_applications=()), (), ()).edges
    }
    assert (
        unexported[("exchange", "lync")]
        == "not evaluated: no Exchange Get-PartnerApplication export"
    )
    lync_only = replace(
        model,
        exchange_partner_applications=(),
        exchange_servers=(),
        exchange_auth_configs=(),
        exchange_auth_servers=(),
        client_access_services=(),
    )
    node = trust.build(lync_only, (), ()).node("exchange")
    assert node is not None and node.status == "not evaluated"


def test_the_trust_svg_has_its_label_and_a_status_on_every_party_and_trust(
    example: RunResult,
) -> None:
    graph = trust.build(example.model, example.findings, ())
    tree = lxml.etree.fromstring(pictures.draw_trust(graph).encode())
    assert tree.get("role") == "img"
    assert tree.get("aria-label").startswith("Trust relationships: 7 trusts (5 ok, 1 failed")
    drawn = {
        (g.get("data-from"), g.get("data-to")): g.get("data-status")
        for g in tree.iter(f"{SVG}g")
        if g.get("class") == "edge"
    }
    assert drawn == {(e.source, e.target): e.status for e in graph.edges}
    texts = " ".join(t.text or "" for t in tree.iter(f"{SVG}text"))
    assert "FAILED: PAP001" in texts and "NOT EVALUATED" in texts
    nodes = {
        g.get("data-node"): g.get("data-status")
        for g in tree.iter(f"{SVG}g")
        if g.get("class") == "node"
    }
    assert nodes["pool:atl-cs-001.litwareinc.com"] == "failed"
    assert (
        "Lync trusts Exchange (microsoft.exchange): failed: PAP001." in tree.find(f"{SVG}desc").text
    )


def test_many_pools_are_summed_up() -> None:
    from s2slint.model import Machine, Pool, Topology

    loc = Location("topology.xml", 1)
    pools = tuple(
        Pool(
            Located.at(f"pool{n:02}.litwareinc.com", loc),
            "Atlanta",
            (Machine(Located.at(f"fe{n:02}.litwareinc.com", loc)),),
            ("UserServices",),
        )
        for n in range(12)
    )
    model = Model(topologies=(Topology("published", loc, None, (), ("Atlanta",), pools),))
    graph = trust.build(model, (), ())
    assert len(graph.pools) == trust.MAX_POOLS and graph.more_pools == 4
    assert "+ 4 more pools" in pictures.draw_trust(graph)


# ---------------------------------------------------------------- certificate bars


def certificate(thumbprint: str, start: datetime, days: int, path: str = "c.cer") -> Certificate:
    return Certificate(
        Location(path),
        "der",
        thumbprint,
        f"CN={thumbprint[:4]}",
        "CN=CA",
        "01",
        start,
        start + timedelta(days=days),
        "RSA",
        2048,
        "sha256",
        (),
        True,
        False,
        None,
    )


def assignment(server: str, thumbprint: str, effective: datetime | None, n: int) -> CsCertificate:
    loc = Location(f"servers/{server}/certificates.xml", n, 3, f"obj[{n}]")
    return CsCertificate(
        loc,
        Located.at("OAuthTokenIssuer", loc),
        Located.at(thumbprint, loc),
        None,
        None,
        None,
        None,
        None,
        Located.at(effective, loc) if effective else None,
        None,
        (),
        server,
    )


def rolled_model() -> Model:
    old, new, ex_cur, ex_next = "AA" * 20, "BB" * 20, "CC" * 20, "DD" * 20
    loc = Location("exchange/auth-config.xml", 2, 3, "obj[0]")
    return Model(
        certificates=(
            certificate(old, WHEN - timedelta(days=700), 720),
            certificate(new, WHEN - timedelta(days=5), 730, "new.cer"),
            certificate(ex_cur, WHEN - timedelta(days=1000), 1100, "ex.cer"),
            certificate(ex_next, WHEN - timedelta(days=3), 1800, "exn.cer"),
        ),
        cs_certificates=(
            assignment("fe01.litwareinc.com", old, None, 1),
            assignment("fe01.litwareinc.com", new, WHEN + timedelta(days=14), 2),
        ),
        exchange_auth_configs=(
            ExchangeAuthConfig(
                loc,
                Located.at(ex_cur, loc),
                None,
                Located.at(ex_next, loc),
                Located.at(WHEN - timedelta(days=1), loc),
                None,
                None,
            ),
        ),
    )


def test_rolls_are_staged_current_or_previous_as_of_the_evaluation_date() -> None:
    line = timeline.build(rolled_model(), WHEN, 60)
    bars = {bar.thumbprint[:2]: bar for bar in line.bars}
    assert bars["AA"].kind == "current" and bars["AA"].roles == (
        "Lync OAuthTokenIssuer in force on fe01",
    )
    assert bars["AA"].state.startswith("expires 2026-12-11, in 20 days")
    assert bars["BB"].kind == "staged"
    assert [m.text for m in bars["BB"].markers] == ["effective 2026-12-05"]
    assert bars["DD"].kind == "current" and bars["DD"].roles == (
        "Exchange Auth, in force since 2026-11-20",
    )
    assert bars["CC"].kind == "previous" and bars["CC"].roles == (
        "Exchange Auth, replaced on 2026-11-20",
    )
    assert [b.thumbprint[:2] for b in line.bars] == ["AA", "DD", "BB", "CC"]
    # Two weeks later the roll is in force and the old certificate is the previous one.
    later = timeline.build(rolled_model(), WHEN + timedelta(days=15), 60)
    kinds = {bar.thumbprint[:2]: bar.kind for bar in later.bars}
    assert (kinds["AA"], kinds["BB"]) == ("previous", "current")


def test_the_timeline_svg_marks_the_date_the_window_and_the_rolls() -> None:
    line = timeline.build(rolled_model(), WHEN, 60)
    tree = lxml.etree.fromstring(pictures.draw_timeline(line).encode())
    assert tree.get("aria-label") == (
        "Certificate timeline: 4 certificates, evaluated 2026-11-21, 60-day warning window"
    )
    classes = [g.get("class") for g in tree.iter(f"{SVG}g")]
    assert classes.count("certificate") == 4
    assert "evaluation-date" in classes and "warning-window" in classes
    texts = [t.text for t in tree.iter(f"{SVG}text")]
    assert "effective 2026-12-05" in texts and "evaluated 2026-11-21" in texts
    staged = next(g for g in tree.iter(f"{SVG}g") if g.get("data-kind") == "staged")
    assert staged.find(f"{SVG}rect").get("stroke-dasharray") == "5 3"
    assert staged.find(f"{SVG}polygon") is not None  # the roll's diamond


def test_an_assigned_thumbprint_without_a_certificate_still_gets_a_row(example: RunResult) -> None:
    assert example.now is not None
    line = timeline.build(example.model, example.now, 60)
    missing = next(b for b in line.bars if b.thumbprint.startswith("18C1"))
    assert missing.subject == "no certificate in the bundle"
    assert missing.roles == ("Lync OAuthTokenIssuer in force on atl-fe-03",)
    assert {b.kind for b in line.bars} == {"current", "other"}
