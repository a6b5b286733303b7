"""Baselines: accept today's findings by code and logical object, report new and stale ones.

The bundle starts with OAU001 (the .xml Autodiscover URL) and PAP001 for Exchange;
tests then regenerate exports with moved lines, add a new problem or fix one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exports import (
    PARTIAL,
    SHAREPOINT,
    SVC,
    PartnerApp,
    oauth_xml,
    partner_apps_xml,
    position_of,
    run,
    write_bundle,
)

from s2slint import baseline
from s2slint.findings import Finding, Location, Severity

BASELINE = "s2slint-baseline.json"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with a bundle at `bundle/` yielding OAU001 and PAP001."""
    monkeypatch.chdir(tmp_path)
    write_bundle(
        tmp_path / "bundle",
        {
            "lync/oauth.xml": (oauth_xml(), "utf-16"),
            "lync/apps.xml": partner_apps_xml(PartnerApp()),
        },
    )
    return tmp_path


def codes(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, object]]]:
    code, out, err = run(capsys, "check", "bundle", "--output-format", "json", *argv, *PARTIAL)
    assert code != 2, err
    return code, json.loads(out)["findings"]


def generate(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(
        capsys, "check", "bundle", "--generate-baseline", BASELINE, *argv, *PARTIAL
    )
    assert code == 0 and out == ""
    return err


def test_generate_records_code_and_object_not_lines(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = generate(capsys)
    assert err == f"s2slint: wrote 2 baseline entries to {BASELINE} (2 new, 0 pruned)\n"
    text = (project / BASELINE).read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["s2slint-baseline"] == 1
    assert [(e["code"], e["key"]) for e in document["entries"]] == [
        ("OAU001", "oauth-configuration:ExchangeAutodiscoverUrl"),
        ("PAP001", "partner-application:microsoft.exchange"),
    ]
    assert all(set(e) == {"code", "key", "path", "message"} for e in document["entries"])
    assert '"line"' not in text
    # One entry per line: diffs stay readable and SUP001 can point at an entry.
    assert len(text.splitlines()) == 4 + 2 + 2  # header, entries, closing


def test_baseline_hides_known_findings_even_when_lines_move(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(capsys)
    assert codes(capsys, "--baseline", BASELINE) == (0, [])
    moved = oauth_xml().replace("<Objs ", "<Objs\n\n\n   ", 1)
    (project / "bundle/lync/oauth.xml").write_text(moved, encoding="utf-16")
    assert codes(capsys, "--baseline", BASELINE) == (0, [])
    _, out, _ = run(capsys, "check", "bundle", "--baseline", BASELINE, *PARTIAL)
    assert "Suppressed 2 accepted findings (2 by baseline)." in out


def test_new_findings_are_reported_over_the_baseline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(capsys)
    apps = partner_apps_xml(PartnerApp(), SHAREPOINT)
    (project / "bundle/lync/apps.xml").write_text(apps, encoding="utf-8")
    code, findings = codes(capsys, "--baseline", BASELINE)
    assert code == 1
    assert [(f["code"], f["message"].split('"')[1]) for f in findings] == [
        ("PAP001", "microsoft.sharepoint")
    ]


def test_stale_entries_are_sup001_at_their_line_and_pruned_on_regeneration(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(capsys)
    # Someone documents why the PAP001 entry is accepted; regeneration must keep it.
    path = project / BASELINE
    document = json.loads(path.read_text(encoding="utf-8"))
    document["entries"][1]["reason"] = "Exchange 2013 coexistence"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    (project / "bundle/lync/oauth.xml").write_text(oauth_xml(SVC), encoding="utf-16")

    code, findings = codes(capsys, "--baseline", BASELINE)
    text = path.read_text(encoding="utf-8")
    [stale] = findings
    assert stale["code"] == "SUP001" and stale["severity"] == "warning" and code == 1
    assert stale["path"] == BASELINE
    assert stale["line"] == position_of(text, '"oauth-configuration:ExchangeAutodiscoverUrl"')[0]
    assert stale["message"] == (
        'baseline entry OAU001 "oauth-configuration:ExchangeAutodiscoverUrl" matches no '
        "finding; remove it (regenerate the baseline with --generate-baseline)"
    )

    err = generate(capsys, "--baseline", BASELINE)
    assert "(0 new, 1 pruned)" in err
    [entry] = json.loads(path.read_text(encoding="utf-8"))["entries"]
    assert (entry["code"], entry["reason"]) == ("PAP001", "Exchange 2013 coexistence")
    assert codes(capsys, "--baseline", BASELINE) == (0, [])


def test_configuration_names_the_baseline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(capsys)
    (project / "s2slint.toml").write_text(f'baseline = "{BASELINE}"\n', encoding="utf-8")
    assert codes(capsys) == (0, [])


def test_entries_of_rules_that_did_not_run_are_not_stale(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(capsys)
    assert codes(capsys, "--baseline", BASELINE, "--select", "OAU,SUP") == (0, [])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline not found"),
        ("[1, 2]", "not an s2slint baseline"),
        ("{not json", "invalid JSON"),
        ('{"s2slint-baseline": 1, "entries": [{"code": "OAU001"}]}', "needs a code and a key"),
    ],
)
def test_a_bad_baseline_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    if content is not None:
        (project / BASELINE).write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "check", "bundle", "--baseline", BASELINE, *PARTIAL)
    assert (code, out) == (2, "")
    assert err.startswith(f"s2slint: error: {BASELINE}: ") and message in err


def test_generation_skips_sup_findings_and_merges_twins() -> None:
    def finding(code: str, key: str, path: str) -> Finding:
        return Finding(code, "n", Severity.ERROR, "m", Location(path, 1, 1), key=key)

    generated = baseline.generate(
        [
            finding("CRT003", "certificate:AB", "a.cer"),
            finding("CRT003", "certificate:AB", "b.pfx"),
            finding("PAP001", "partner-application:x", "apps.xml"),
        ]
    )
    entries = json.loads(generated.text)["entries"]
    assert [(e["code"], e["path"]) for e in entries] == [
        ("CRT003", "a.cer"),
        ("PAP001", "apps.xml"),
    ]
    assert (generated.entries, generated.added, generated.pruned) == (2, 2, 0)
    empty = baseline.generate([])
    assert json.loads(empty.text)["entries"] == []


def test_a_partial_run_does_not_prune_entries_of_rules_that_did_not_run(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(capsys)
    (project / "bundle/lync/oauth.xml").write_text(oauth_xml(SVC), encoding="utf-16")
    err = generate(capsys, "--select", "OAU")
    assert "(0 new, 1 pruned)" in err  # OAU001 was fixed; PAP001 was not looked at
    entries = json.loads((project / BASELINE).read_text(encoding="utf-8"))["entries"]
    assert [e["code"] for e in entries] == ["PAP001"]
    assert codes(capsys, "--baseline", BASELINE) == (0, [])
