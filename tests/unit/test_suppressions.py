"""Suppressions: configuration entries, inline comments, non-suppressible rules, SUP001/2.

The bundle: Lync's partner applications Exchange (Application trust) and SharePoint
(User trust), so PAP001 fires twice in one file, once per logical object; the OAuth
configuration is healthy. Expected lines come from the very text that is written.
"""

from __future__ import annotations

import codecs
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

from s2slint.findings import Finding, Location, Severity
from s2slint.fingerprints import fingerprints, identity, logical_key
from s2slint.suppressions import scan_inline

APPS = partner_apps_xml(PartnerApp(), SHAREPOINT)
EXCHANGE_KEY = "partner-application:microsoft.exchange"
SHAREPOINT_KEY = "partner-application:microsoft.sharepoint"


def annotate(text: str, comment: str, before: str = '  <Obj RefId="0">') -> str:
    """Put an XML comment line before the first occurrence of `before`."""
    assert before in text
    return text.replace(before, f"  <!-- {comment} -->\n{before}", 1)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with the bundle at `bundle/` (no configuration yet)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    write_bundle(
        tmp_path / "bundle",
        {"lync/oauth.xml": (oauth_xml(SVC), "utf-16"), "lync/apps.xml": APPS},
    )
    return tmp_path


def check_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code, out, err = run(capsys, "check", "bundle", "--output-format", "json", *argv, *PARTIAL)
    assert err == "" or code != 2, err
    return code, json.loads(out)


def found(report: dict[str, object]) -> list[tuple[str, str, int | None]]:
    """Return (code, first quoted name or the message, line) of each finding."""
    findings = report["findings"]
    assert isinstance(findings, list)
    return [
        (f["code"], (f["message"].split('"') + [f["message"]] * 2)[1], f["line"]) for f in findings
    ]


def sharepoint_trust_line(text: str) -> int:
    """Return the line of SharePoint's ApplicationTrustLevel, where PAP001 points."""
    return position_of(text, '<Obj N="ApplicationTrustLevel"', text.index("microsoft.sharepoint"))[
        0
    ]


# ------------------------------------------------------------------- inline scanning


def test_xml_comment_covers_the_whole_next_element() -> None:
    text = annotate(APPS, "s2slint: ignore[PAP001, CRT003] reason: lab pool, retired in June")
    [comment] = scan_inline("apps.xml", text.encode("utf-8"))
    start, _ = position_of(text, '<Obj RefId="0">')
    end, _ = position_of(text, "  </Obj>\n  <Obj RefId=")
    assert comment.line == start - 1 and comment.column == 3
    assert (comment.first_line, comment.last_line) == (start, end)
    assert comment.selectors == ("PAP001", "CRT003")
    assert comment.reason == "lab pool, retired in June"


def test_xml_comment_in_utf16_self_closing_and_at_the_end_of_a_parent() -> None:
    text = (
        '<Objs xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
        "  <!-- s2slint: ignore[OAU001] -->\n"
        '  <Nil N="x"\n     />\n'
        "  <!-- an ordinary comment -->\n"
        "  <!-- s2slint:ignore[OAU002]reason:nothing follows -->\n"
        "</Objs>\n"
    )
    first, last = scan_inline("a.xml", text.encode("utf-16"))
    assert (first.first_line, first.last_line, first.reason) == (3, 4, "")
    assert (last.first_line, last.last_line) == (None, None)
    assert last.reason == "nothing follows"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"]
)
def test_a_directive_is_found_in_every_encoding_an_export_may_have(encoding: str) -> None:
    text = (
        '<Objs xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
        "  <!-- s2slint: ignore[OAU001] reason: lab -->\n"
        '  <Nil N="x" />\n'
        "</Objs>\n"
    )
    data = text.encode(encoding)
    if encoding == "utf-32-be":
        data = codecs.BOM_UTF32_BE + data
    (comment,) = scan_inline("a.xml", data)
    assert (comment.selectors, comment.reason, comment.first_line) == (("OAU001",), "lab", 3)


def test_zone_file_comments_cover_the_next_record_or_their_own_line() -> None:
    zone = (
        "$ORIGIN litwareinc.com.\n"
        "; s2slint: ignore[DNS002] reason: CNAME to the load balancer\n"
        "\n"
        "autodiscover IN CNAME lb.litwareinc.com.\n"
        "mail IN A 192.0.2.10 ; s2slint: ignore[DNS003]\n"
    )
    own, trailing = scan_inline("dns/litwareinc.com.dns", zone.encode("utf-8"))
    assert (own.line, own.first_line, own.reason) == (2, 4, "CNAME to the load balancer")
    assert (trailing.line, trailing.first_line, trailing.reason) == (5, 5, "")


def test_files_without_the_marker_are_not_decoded() -> None:
    assert scan_inline("apps.xml", APPS.encode("utf-8")) == ()


# ---------------------------------------------------------------- inline end to end


def test_inline_comment_hides_the_finding_of_its_element_only(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = annotate(APPS, "s2slint: ignore[PAP001] reason: coexistence until June")
    (project / "bundle/lync/apps.xml").write_text(text, encoding="utf-8")
    code, report = check_json(capsys)
    assert found(report) == [("PAP001", "microsoft.sharepoint", sharepoint_trust_line(text))]
    assert code == 1
    _, out, _ = run(capsys, "check", "bundle", *PARTIAL)
    assert "Suppressed 1 accepted finding (1 by inline)." in out


def test_inline_comment_without_reason_still_applies_but_is_sup002(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = annotate(APPS, "s2slint: ignore[partner-app-not-full-trust]")
    (project / "bundle/lync/apps.xml").write_text(text, encoding="utf-8")
    _, report = check_json(capsys)
    line, column = position_of(text, "<!-- s2slint")
    pap, sup = sorted(report["findings"], key=lambda f: f["code"])  # type: ignore[arg-type,index]
    assert (pap["code"], pap["line"]) == ("PAP001", sharepoint_trust_line(text))
    assert (sup["code"], sup["line"], sup["column"]) == ("SUP002", line, column)
    assert sup["severity"] == "warning"
    assert sup["message"] == (
        "inline suppression ignore[partner-app-not-full-trust] gives no reason; "
        'add "reason: ..." saying why the finding is accepted'
    )


def test_unused_inline_comment_is_sup001_at_the_comment(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = annotate(APPS, "s2slint: ignore[OAU001] reason: not here")
    (project / "bundle/lync/apps.xml").write_text(text, encoding="utf-8")
    code, report = check_json(capsys, "--select", "OAU001,SUP")
    line, column = position_of(text, "<!-- s2slint")
    [finding] = report["findings"]  # type: ignore[misc]
    assert (finding["code"], finding["line"], finding["column"]) == ("SUP001", line, column)
    assert finding["message"] == "inline suppression ignore[OAU001] matches no finding; remove it"
    assert code == 1  # a warning, at the default --fail-on


def test_suppression_of_a_rule_that_did_not_run_is_not_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # DNS001 has no zone export to read here, and CRT003 is not selected.
    text = annotate(APPS, "s2slint: ignore[DNS001, CRT003] reason: later")
    (project / "bundle/lync/apps.xml").write_text(text, encoding="utf-8")
    _, report = check_json(capsys, "--ignore", "CRT003")
    assert not [f for f in report["findings"] if f["code"].startswith("SUP")]  # type: ignore[union-attr]


# ------------------------------------------------------------------- configuration


def test_configuration_suppresses_one_object_by_key(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "s2slint.toml").write_text(
        'select = ["ALL"]\n\n'
        "[[suppress]]\n"
        'code = "PAP001"\n'
        f'key = "{SHAREPOINT_KEY}"\n'
        'reason = "SharePoint farm retired in Q3"\n',
        encoding="utf-8",
    )
    code, report = check_json(capsys)
    assert [c for c, name, _ in found(report)] == ["PAP001"]
    assert found(report)[0][1] == "microsoft.exchange"
    assert code == 1


def test_configuration_suppresses_by_path_glob_and_reports_unused_entries(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (
        "[[suppress]]\n"
        'code = "PAP"\n'
        'path = "bundle/lync/*.xml"\n'
        'reason = "partner applications are being rebuilt"\n'
        "\n"
        "[[suppress]]\n"
        'code = "OAU001"\n'
        'key = "oauth-configuration:*"\n'
        'reason = "was fixed"\n'
    )
    (project / "s2slint.toml").write_text(config, encoding="utf-8")
    _, report = check_json(capsys)
    [unused] = report["findings"]  # type: ignore[misc]
    assert unused["code"] == "SUP001"
    assert unused["path"] == "s2slint.toml"
    assert unused["line"] == position_of(config, "[[suppress]]", 10)[0] == 6
    assert "suppression of OAU001 for key" in unused["message"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('code = "PAP001"\nkey = "x"\n', 'suppress.0: missing "reason"'),
        ('code = "PAP001"\nkey = "x"\nreason = "  "\n', "suppress.0.reason: give the reason"),
        ('code = "PAP001"\nreason = "r"\n', "suppress.0: name the object (key) or the files"),
        ('code = "PAP999"\nkey = "x"\nreason = "r"\n', '"PAP999" matches no rule'),
    ],
)
def test_configuration_suppressions_need_a_reason_and_a_target(
    project: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    (project / "s2slint.toml").write_text("[[suppress]]\n" + table, encoding="utf-8")
    code, out, err = run(capsys, "check", "bundle", *PARTIAL)
    assert code == 2 and out == ""
    assert err.startswith("s2slint: error: ") and "s2slint.toml: " in err
    assert message in err


def test_non_suppressible_rules_cannot_be_hidden(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "s2slint.toml").write_text(
        'non-suppressible = ["partner-app-not-full-trust"]\n'
        "[[suppress]]\n"
        'code = "PAP001"\n'
        f'key = "{EXCHANGE_KEY}"\n'
        'reason = "please"\n',
        encoding="utf-8",
    )
    text = annotate(APPS, "s2slint: ignore[PAP001] reason: please")
    (project / "bundle/lync/apps.xml").write_text(text, encoding="utf-8")
    _, report = check_json(capsys)
    codes = sorted(c for c, _, _ in found(report))
    assert codes == ["PAP001", "PAP001", "SUP001", "SUP001"]
    messages = [f["message"] for f in report["findings"] if f["code"] == "SUP001"]  # type: ignore[union-attr,index]
    assert all("has no effect: PAP001 is non-suppressible" in m for m in messages)


def test_pyproject_suppress_tables_get_their_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = (
        "[project]\nname = 'x'\n\n[tool.s2slint]\nselect = ['ALL']\n\n"
        "[[tool.s2slint.suppress]]\ncode = 'OAU001'\nkey = 'x'\nreason = 'r'\n"
    )
    (project / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    _, report = check_json(capsys)
    [unused] = [f for f in report["findings"] if f["code"] == "SUP001"]  # type: ignore[union-attr]
    assert (unused["path"], unused["line"]) == ("pyproject.toml", 7)


# -------------------------------------------------------------------- fingerprints


def finding(code: str, key: str, path: str = "a.xml", line: int = 1, message: str = "m") -> Finding:
    return Finding(code, "name", Severity.ERROR, message, Location(path, line, 1), key=key)


def test_fingerprints_ignore_lines_and_are_unique() -> None:
    first = [finding("PAP001", EXCHANGE_KEY, line=10), finding("PAP001", SHAREPOINT_KEY)]
    moved = [finding("PAP001", EXCHANGE_KEY, line=99), finding("PAP001", SHAREPOINT_KEY, line=7)]
    assert fingerprints(first) == fingerprints(moved)
    assert len(set(fingerprints(first))) == 2
    # The same logical object from two files, or twice in one file: still unique.
    twins = [
        finding("CRT003", "certificate:AB", "a.cer"),
        finding("CRT003", "certificate:AB", "b.pfx"),
        finding("CRT003", "certificate:AB", "b.pfx", line=3),
    ]
    assert len(set(fingerprints(twins))) == 3
    # A lone finding does not depend on the others.
    assert fingerprints(first[:1]) == fingerprints(first)[:1]


def test_findings_without_a_key_fall_back_to_path_and_message() -> None:
    keyless = finding("INP002", "", "notes.txt", message="file of no kind")
    assert logical_key(keyless) == "notes.txt|file of no kind"
    assert identity(keyless) == ("INP002", "notes.txt|file of no kind")
