"""The command line: `s2slint check`, `s2slint rules`, `s2slint rule`, exit codes, JSON.

Most runs go through `s2slint.cli.main` in-process (with `capsys`); a few go through
`python -m s2slint` in a subprocess to prove the real entry point, the exit codes and
that no traceback ever reaches the user. Bundles are written into `tmp_path` as the
CLIXML text `Export-Clixml` produces, sometimes UTF-16 with a BOM as Windows writes it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from exports import (
    FINDING_LINE,
    PARTIAL,
    SVC,
    UNKNOWN_EXPORT,
    codes_in,
    cut_short,
    oauth_xml,
    partner_apps_xml,
    position_of,
    reference_rows,
    run,
    run_module,
    write_lync_bundle,
)

from s2slint import __version__

# Codes of rules.md that the project implements today (others may be added later).
IMPLEMENTED = (
    "CRT002",
    "CRT003",
    "DNS001",
    "INP001",
    "INP002",
    "INP003",
    "INP004",
    "INP005",
    "OAU001",
    "PAP001",
)
FINDING_KEYS = {
    "code",
    "name",
    "severity",
    "message",
    "path",
    "line",
    "column",
    "pointer",
    "related",
    "key",
    "fingerprint",
    "url",
    "fix",
}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory: `tmp_path`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def bundle(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bundle at `tmp_path/bundle`, with the working directory at `tmp_path`.

    It yields OAU001 (lync/oauth-configuration.xml), PAP001 (lync/partner-applications.xml)
    and INP002 (notes.txt).
    """
    monkeypatch.delenv("NO_COLOR", raising=False)
    return write_lync_bundle(workdir / "bundle")


# ------------------------------------------------------------------------- check


def test_check_folder_reports_every_finding_in_full_format(
    bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", *PARTIAL, "bundle")
    assert code == 1
    assert err == ""
    assert sorted(codes_in(out)) == ["INP002", "OAU001", "PAP001"]
    text = oauth_xml()
    line, column = position_of(text, '<S N="ExchangeAutodiscoverUrl">')
    assert (
        f"bundle/lync/oauth-configuration.xml:{line}:{column}: OAU001 [error] "
        f"ExchangeAutodiscoverUrl points to autodiscover.xml; use {SVC} "
        "(autodiscover-xml-not-svc)"
    ) in out.splitlines()
    pap_line, pap_column = position_of(partner_apps_xml(), '<Obj N="ApplicationTrustLevel"')
    assert (
        f"bundle/lync/partner-applications.xml:{pap_line}:{pap_column}: PAP001 [error] "
        'partner application "microsoft.exchange" (Exchange) has ApplicationTrustLevel '
        '"Application"; the integration needs "Full" (partner-app-not-full-trust)'
    ) in out.splitlines()
    assert "bundle/notes.txt: INP002 [warning] " in out
    assert "Found 3 findings (2 errors, 1 warning) in 3 files." in out


def test_position_is_where_the_tag_starts_in_utf16_and_utf8(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Shift the tag to another line and column than the template has.
    text = oauth_xml().replace(
        '      <S N="ExchangeAutodiscoverUrl">',
        '      <S N="Identity2">x</S>\n\n          <S N="ExchangeAutodiscoverUrl">',
    )
    expected = position_of(text, '<S N="ExchangeAutodiscoverUrl">')
    assert expected == (12, 11)
    for encoding in ("utf-16", "utf-8-sig", "utf-8"):
        path = workdir / f"oauth-{encoding}.xml"
        path.write_text(text, encoding=encoding)
        code, out, _ = run(capsys, "check", path.name, "--output-format", "concise")
        assert code == 1
        assert out.startswith(f"{path.name}:{expected[0]}:{expected[1]}: OAU001 [error] "), out


def test_svc_url_yields_nothing(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "oauth.xml").write_text(oauth_xml(SVC), encoding="utf-16")
    code, out, err = run(capsys, "check", "oauth.xml", "--output-format", "concise")
    assert (code, out, err) == (0, "", "")
    code, out, _ = run(capsys, "check", "oauth.xml")
    assert code == 0
    assert "All checks passed on 1 file." in out


def test_plain_text_is_skipped_without_a_finding(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Catalogue v2, INP002: a file that is no export at all is no finding."""
    (workdir / "hello.txt").write_text("hello", encoding="utf-8")
    code, out, _ = run(capsys, "check", "hello.txt", "--output-format", "concise")
    assert (code, out) == (0, "")


def test_an_export_of_no_known_kind_is_inp002_warning(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "hello.xml").write_text(UNKNOWN_EXPORT, encoding="utf-8")
    code, out, _ = run(capsys, "check", "hello.xml", "--output-format", "concise")
    assert code == 1
    assert out == (
        "hello.xml: INP002 [warning] file of no kind s2slint reads (not a topology, CLIXML "
        "export, certificate or zone file) (unrecognized-input)\n"
    )


MALFORMED = (
    '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
    "  <Obj RefId=0>\n"
    "  </Obj>\n"
    "</Objs>\n"
)


def test_malformed_xml_is_inp001_on_its_line(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "broken.xml").write_text(MALFORMED, encoding="utf-16")
    truncated = cut_short(oauth_xml(), 9)
    (workdir / "truncated.xml").write_text(truncated, encoding="utf-8")
    code, out, _ = run(capsys, "check", *PARTIAL, ".", "--output-format", "json")
    assert code == 1
    by_path = {f["path"]: f for f in json.loads(out)["findings"]}
    assert set(by_path) == {"broken.xml", "truncated.xml"}
    for finding in by_path.values():
        assert (finding["code"], finding["severity"]) == ("INP001", "error")
        assert finding["message"].startswith("malformed XML: ")
    assert by_path["broken.xml"]["line"] == 2
    assert by_path["truncated.xml"]["line"] is not None


def test_malformed_xml_column_is_the_offending_character(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: lxml's column is 1-based already; it was once shifted one further."""
    (workdir / "broken.xml").write_text(MALFORMED, encoding="utf-8")
    _, out, _ = run(capsys, "check", "broken.xml", "--output-format", "concise")
    line, column = position_of(MALFORMED, "0>")  # the unquoted attribute value
    assert out.startswith(f"broken.xml:{line}:{column}: INP001 ")


def test_check_single_files_and_several_paths(
    bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(
        capsys,
        "check",
        *PARTIAL,
        "bundle/lync/oauth-configuration.xml",
        "--output-format",
        "concise",
    )
    assert codes_in(out) == ["OAU001"]
    assert out.startswith("bundle/lync/oauth-configuration.xml:")

    _, out, _ = run(
        capsys,
        "check",
        *PARTIAL,
        "bundle/notes.txt",
        "bundle/lync/partner-applications.xml",
        "--output-format",
        "concise",
    )
    assert codes_in(out) == ["PAP001", "INP002"]  # sorted by path, not by argument order

    # A file named twice, or inside a folder also named, is read once.
    _, out, _ = run(
        capsys,
        "check",
        *PARTIAL,
        "bundle",
        "bundle/lync/oauth-configuration.xml",
        "bundle/lync/oauth-configuration.xml",
        "--output-format",
        "concise",
    )
    assert sorted(codes_in(out)) == ["INP002", "OAU001", "PAP001"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_pipe_named_on_the_command_line_is_never_silently_skipped(tmp_path: Path) -> None:
    fifo = tmp_path / "oauth.xml"
    os.mkfifo(fifo)
    # A writer, as the shell's process substitution would provide.
    writer = subprocess.Popen(
        [sys.executable, "-c", f"open({str(fifo)!r}, 'w').write({oauth_xml()!r})"]
    )
    try:
        process = run_module("check", "oauth.xml", "--output-format", "concise", cwd=tmp_path)
    finally:
        if writer.poll() is None:
            writer.kill()
        writer.wait(timeout=30)
    # Either read (OAU001) or listed as not a regular file (INP002); never "passed".
    assert process.stdout.startswith("oauth.xml"), process.stdout
    assert process.returncode == 1


def test_check_defaults_to_the_working_directory(
    bundle: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(bundle)
    code, out, _ = run(capsys, "check", *PARTIAL, "--output-format", "concise")
    assert code == 1
    paths = [line.split(":")[0] for line in out.splitlines()]
    assert paths == ["lync/oauth-configuration.xml", "lync/partner-applications.xml", "notes.txt"]


def test_concise_is_one_line_per_finding_and_nothing_else(
    bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "check", *PARTIAL, "bundle", "--output-format", "concise")
    lines = out.splitlines()
    assert len(lines) == 3
    assert all(FINDING_LINE.match(line) for line in lines)
    assert all(line.endswith(")") for line in lines)
    assert "Found" not in out and "Not evaluated" not in out


def test_full_lists_rules_not_evaluated(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "bundle")
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Not evaluated ("))
    section = []
    for line in lines[header + 1 :]:
        if not line.startswith("  "):  # the next section (not applicable) begins
            break
        section.append(line)
    listed = [line.split(":")[0].strip() for line in section]
    # Nothing in this bundle is a certificate or a zone export.
    assert {"CRT002", "CRT003", "DNS001"} <= set(listed)
    assert "OAU001" not in listed and "PAP001" not in listed
    assert lines[header] == f"Not evaluated ({len(listed)} rules: evidence missing):"


# -------------------------------------------------------------------------- json


def test_json_contract(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", *PARTIAL, "bundle", "--output-format", "json")
    assert code == 1
    document = json.loads(out)
    assert {"version", "findings", "summary"} <= set(document)
    assert document["version"] == __version__
    assert (document["tool"], document["schema_version"]) == ("s2slint", 2)
    for finding in document["findings"]:
        # Contract 2: `key`, `fingerprint`, `url` and `fix` ("" when none) on every finding.
        assert set(finding) == FINDING_KEYS
        assert "\\" not in finding["path"]
        assert not Path(finding["path"]).is_absolute()
        assert finding["related"] == []
    by_code = {f["code"]: f for f in document["findings"]}
    assert set(by_code) == {"OAU001", "PAP001", "INP002"}
    line, column = position_of(oauth_xml(), '<S N="ExchangeAutodiscoverUrl">')
    assert by_code["OAU001"] == {
        "code": "OAU001",
        "name": "autodiscover-xml-not-svc",
        "severity": "error",
        "message": f"ExchangeAutodiscoverUrl points to autodiscover.xml; use {SVC}",
        "path": "bundle/lync/oauth-configuration.xml",
        "line": line,
        "column": column,
        "pointer": "obj[0].ExchangeAutodiscoverUrl",
        "related": [],
        "key": "oauth-configuration:ExchangeAutodiscoverUrl",
        "fingerprint": by_code["OAU001"]["fingerprint"],
        "url": "https://github.com/s2slint/s2slint/blob/main/docs/rules.md"
        "#oau001-autodiscover-xml-not-svc",
        "fix": f"Set-CsOAuthConfiguration -Identity Global -ExchangeAutodiscoverUrl '{SVC}'",
    }
    assert re.fullmatch("[0-9a-f]{64}", by_code["OAU001"]["fingerprint"])
    assert by_code["PAP001"]["fix"].endswith(
        "Set-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full"
    )
    assert by_code["INP002"]["path"] == "bundle/notes.txt"
    assert by_code["INP002"]["line"] is None and by_code["INP002"]["column"] is None
    assert by_code["INP002"]["severity"] == "warning"

    summary = document["summary"]
    assert summary["files"] == 3
    assert summary["by_severity"] == {"error": 2, "warning": 1, "info": 0}
    assert isinstance(summary["not_evaluated"], list)
    assert {"CRT002", "CRT003", "DNS001"} <= set(summary["not_evaluated"])
    assert summary["not_evaluated"] == sorted(summary["not_evaluated"])
    assert "OAU001" not in summary["not_evaluated"]


def test_json_findings_are_sorted(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "bundle", "--output-format", "json")
    findings = json.loads(out)["findings"]
    keys = [(f["path"], f["line"] or 0, f["column"] or 0, f["code"]) for f in findings]
    assert keys == sorted(keys)


def test_json_is_byte_identical_across_runs(bundle: Path, tmp_path: Path) -> None:
    outputs = [
        run_module(
            "check", "bundle", "--output-format", "json", cwd=tmp_path, env={"PYTHONHASHSEED": seed}
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["findings"]


def test_json_is_valid_when_clean(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "oauth.xml").write_text(oauth_xml(SVC), encoding="utf-8")
    code, out, _ = run(capsys, "check", "oauth.xml", "--output-format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["findings"] == []
    assert document["summary"]["by_severity"] == {"error": 0, "warning": 0, "info": 0}
    assert document["summary"]["files"] == 1


# ------------------------------------------------------------------- output file


def test_output_file_is_written_and_stdout_stays_empty(
    bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, expected, _ = run(capsys, "check", *PARTIAL, "bundle", "--output-format", "json")
    target = tmp_path / "reports" / "nested" / "s2slint.json"
    code_to_file, out, err = run(
        capsys, "check", *PARTIAL, "bundle", "--output-format", "json", "--output-file", str(target)
    )
    assert (code_to_file, out, err) == (code, "", "")
    assert target.read_text(encoding="utf-8") == expected
    # Written through a temporary file and a rename: nothing else is left behind.
    assert [p.name for p in target.parent.iterdir()] == ["s2slint.json"]

    short = tmp_path / "report.txt"
    code, out, _ = run(
        capsys, "check", *PARTIAL, "bundle", "-o", str(short), "--output-format", "concise"
    )
    assert code == 1 and out == ""
    assert sorted(codes_in(short.read_text(encoding="utf-8"))) == ["INP002", "OAU001", "PAP001"]


def test_unwritable_output_file_exits_2(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = bundle / "notes.txt"  # a file where a folder would have to be
    code, out, err = run(capsys, "check", "bundle", "-o", str(blocker / "report.json"))
    assert code == 2
    assert out == ""
    assert err.startswith("s2slint: error: ") and "cannot write the report" in err


# ------------------------------------------------------------------------- as-of


def test_as_of_date_is_accepted(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "check", *PARTIAL, "bundle", "--as-of", "2026-11-21", "--output-format", "concise"
    )
    assert code == 1 and err == ""
    assert sorted(codes_in(out)) == ["INP002", "OAU001", "PAP001"]
    code, _, err = run(capsys, "check", *PARTIAL, "bundle", "--as-of", "2026-11-21T08:30:00Z")
    assert code == 1 and err == ""


def test_as_of_not_a_date_exits_2_with_one_error_line(bundle: Path, tmp_path: Path) -> None:
    process = run_module("check", "bundle", "--as-of", "notadate", cwd=tmp_path)
    assert process.returncode == 2
    assert process.stdout == ""
    # The usage synopsis may precede it (on stderr); the message itself is one line.
    errors = [line for line in process.stderr.splitlines() if line.startswith("s2slint:")]
    assert errors == [
        's2slint: error: argument --as-of: "notadate" is not a date '
        "(use YYYY-MM-DD or an ISO 8601 date and time)"
    ]


@pytest.mark.parametrize(
    "instant", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "1899-12-31"]
)
def test_as_of_beyond_the_years_date_arithmetic_allows_is_one_error_line(
    bundle: Path, tmp_path: Path, instant: str
) -> None:
    process = run_module("check", "bundle", "--as-of", instant, cwd=tmp_path)
    assert process.returncode == 2 and process.stdout == ""
    errors = [line for line in process.stderr.splitlines() if line.startswith("s2slint:")]
    assert errors == [
        f's2slint: error: argument --as-of: "{instant}" is out of range (years 1900 to 9000)'
    ]


def test_a_path_or_configuration_too_long_to_examine_is_a_one_line_error(
    bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = "a" * 300  # over the 255 bytes a file name may have
    code, out, err = run(capsys, "check", "bundle", long)
    assert (code, out) == (2, "")
    assert err == f"s2slint: error: {long}: cannot be examined: File name too long\n"
    code, out, err = run(capsys, "check", "bundle", "--config", long)
    assert (code, out) == (2, "")
    assert err == f"s2slint: error: {long}: cannot be examined: File name too long\n"


def test_a_deleted_working_folder_is_a_one_line_error(bundle: Path, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    script = (
        "import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
        "from s2slint.cli import console; sys.exit(console(sys.argv[2:]))"
    )
    process = subprocess.run(
        [sys.executable, "-c", script, str(gone), "check", str(bundle), "--isolated", "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 2 and process.stdout == ""
    assert process.stderr.startswith("s2slint: error: the working folder cannot be read")
    assert process.stderr.count("\n") == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_standard_output_is_a_one_line_error(bundle: Path, tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        process = subprocess.run(
            [sys.executable, "-m", "s2slint", "check", "bundle", *PARTIAL, "--no-cache"],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert process.returncode == 2
    assert process.stderr == "s2slint: error: cannot write the report: No space left on device\n"


# -------------------------------------------------------------------- exit codes


def test_exit_codes_end_to_end(bundle: Path, tmp_path: Path) -> None:
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "oauth.xml").write_text(oauth_xml(SVC), encoding="utf-16")
    (tmp_path / "only-warning").mkdir()
    (tmp_path / "only-warning" / "notes.txt").write_text(UNKNOWN_EXPORT, encoding="utf-8")

    cases = [
        (("check", "clean"), 0),
        (("check", "bundle"), 1),
        (("check", "bundle", "--exit-zero"), 0),
        (("check", "only-warning"), 1),  # default --fail-on warning
        (("check", "only-warning", "--fail-on", "error"), 0),
        (("check", "only-warning", "--fail-on", "info"), 1),
        (("check", "does-not-exist"), 2),
        (("check", "bundle", "--select", "XYZ999"), 2),
        (("check", "bundle", "--ignore", "XYZ999"), 2),
        (("check", "bundle", "--output-format", "xml"), 2),
    ]
    for argv, expected in cases:
        process = run_module(*argv, *PARTIAL, cwd=tmp_path)
        assert process.returncode == expected, (argv, process.stdout, process.stderr)


def test_exit_zero_still_reports(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", *PARTIAL, "bundle", "--exit-zero", "--output-format", "concise"
    )
    assert code == 0
    assert sorted(codes_in(out)) == ["INP002", "OAU001", "PAP001"]


def test_missing_path_is_a_one_line_error(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "bundle", "no-such-folder")
    assert code == 2
    assert out == ""
    assert err == "s2slint: error: no-such-folder: no such file or directory\n"


def test_unknown_selector_names_it(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "bundle", "--select", "XYZ999")
    assert code == 2
    assert out == ""
    assert '"XYZ999"' in err and "matches no rule" in err
    assert "--select" in err  # where the selector was written
    assert len(err.splitlines()) == 1


def test_invalid_config_exits_2(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (bundle / "s2slint.toml").write_text('fail-on = "fatal"\n', encoding="utf-8")
    code, out, err = run(capsys, "check", "bundle")
    assert code == 2
    assert out == ""
    assert "fail-on" in err and "error, warning, info" in err


def test_no_command_prints_help_and_exits_2(tmp_path: Path) -> None:
    process = run_module(cwd=tmp_path)
    assert process.returncode == 2
    assert "usage: s2slint" in process.stderr


def test_version(tmp_path: Path) -> None:
    process = run_module("--version", cwd=tmp_path)
    assert process.returncode == 0
    assert process.stdout.strip() == f"s2slint {__version__}"


# --------------------------------------------------------------------- selection


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("--select", "OAU"), ["OAU001"]),
        (("--select", "OAU0"), ["OAU001"]),
        (("--select", "oau001"), ["OAU001"]),
        (("--select", "autodiscover-xml-not-svc"), ["OAU001"]),
        (("--select", "OAU,PAP"), ["OAU001", "PAP001"]),
        (("--select", "OAU", "--select", "PAP"), ["OAU001", "PAP001"]),
        (("--select", "OAU", "--extend-select", "INP002"), ["INP002", "OAU001"]),
        (("--ignore", "OAU001"), ["INP002", "PAP001"]),
        (("--ignore", "partner-app-not-full-trust"), ["INP002", "OAU001"]),
        (("--select", "ALL", "--ignore", "OAU"), ["INP002", "PAP001"]),
        (("--select", "OAU", "--ignore", "OAU001"), []),
        # On a tie, ignore wins.
        (("--select", "OAU", "--ignore", "OAU"), []),
        (("--select", "OAU001", "--ignore", "oau001"), []),
        (("--select", "PAP,OAU", "--ignore", "OAU"), ["PAP001"]),
        # The code is more specific than the prefix, so it wins over the ignore.
        (("--ignore", "OAU", "--extend-select", "OAU001"), ["INP002", "OAU001", "PAP001"]),
        (("--select", "OAU001", "--ignore", "OAU"), ["OAU001"]),
        # A name is the most specific selector of all.
        (("--select", "OAU", "--ignore", "autodiscover-xml-not-svc"), []),
        (("--ignore", "ALL", "--select", "PAP001"), ["PAP001"]),
        (("--ignore", "INP"), ["OAU001", "PAP001"]),
    ],
)
def test_selection(
    bundle: Path,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    expected: list[str],
) -> None:
    code, out, err = run(capsys, "check", "bundle", "--output-format", "concise", *argv, *PARTIAL)
    assert err == ""
    assert sorted(codes_in(out)) == expected
    assert code == (1 if expected else 0)


def test_statistics_counts_per_code(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (bundle / "more-notes.txt").write_text(UNKNOWN_EXPORT, encoding="utf-8")
    code, out, _ = run(
        capsys, "check", *PARTIAL, "bundle", "--statistics", "--output-format", "concise"
    )
    assert code == 1
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows == [
        ["    2", "INP002", "[warning]", "unrecognized-input"],
        ["    1", "OAU001", "[error]", "autodiscover-xml-not-svc"],
        ["    1", "PAP001", "[error]", "partner-app-not-full-trust"],
    ]
    _, full, _ = run(capsys, "check", *PARTIAL, "bundle", "--statistics")
    assert full.startswith(out)
    assert "Found 4 findings (2 errors, 2 warnings) in 4 files." in full
    assert "bundle/notes.txt" not in full  # counts, not findings


# ----------------------------------------------------------------- rules and rule


def test_rules_lists_every_implemented_rule(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = reference_rows()
    code, out, err = run(capsys, "rules")
    assert (code, err) == (0, "")
    listed = {}
    for line in out.splitlines():
        rule_code, name, severity, summary = line.split(maxsplit=3)
        listed[rule_code] = (name, severity)
        assert summary.strip()
    assert set(IMPLEMENTED) <= set(listed)
    assert list(listed) == sorted(listed)
    _, as_json, _ = run(capsys, "rules", "--output-format", "json")
    builtin = [row["code"] for row in json.loads(as_json) if row["plugin"] == "s2slint"]
    assert set(IMPLEMENTED) <= set(builtin)
    for rule_code in builtin:  # (an installed third-party plugin may add others)
        assert listed[rule_code] == reference[rule_code], rule_code


def test_rules_json(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--output-format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["code"] for r in rows] == sorted(r["code"] for r in rows)
    assert set(IMPLEMENTED) <= {r["code"] for r in rows}
    oau = next(r for r in rows if r["code"] == "OAU001")
    assert oau["name"] == "autodiscover-xml-not-svc"
    assert oau["severity"] == "error"
    assert oau["summary"]
    assert oau["plugin"] == "s2slint"


def test_rule_prints_markdown_documentation(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "rule", "OAU001")
    assert (code, err) == (0, "")
    assert out.startswith("# OAU001 autodiscover-xml-not-svc\n")
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    for heading in ("## What it does", "## Why it matters", "## Fix", "## References"):
        assert heading in headings
    assert headings.index("## What it does") < headings.index("## Fix")
    assert headings.index("## Fix") < headings.index("## References")
    assert (
        "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl "
        '"https://$autodiscoverHost/autodiscover/autodiscover.svc"'
    ) in out
    assert "- <https://" in out
    # Case does not matter for codes.
    assert run(capsys, "rule", "oau001")[1] == out


def test_rule_by_name(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rule", "weak-key")
    assert code == 0
    assert out.startswith("# CRT003 weak-key\n")
    assert "`min-key-bits` (default `2048`)" in out
    assert run(capsys, "rule", "CRT003")[1] == out


def test_rule_unknown_or_missing_exits_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rule", "NOPE")
    assert (code, out) == (2, "")
    assert err == 's2slint: error: no rule "NOPE" (see `s2slint rules`)\n'
    code, out, err = run(capsys, "rule")
    assert (code, out) == (2, "")
    assert "--all" in err


def test_rule_all_documents_every_rule(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, listing, _ = run(capsys, "rules", "--output-format", "json")
    rules = json.loads(listing)
    code, out, _ = run(capsys, "rule", "--all")
    assert code == 0
    for rule in rules:
        assert f"## {rule['code']} {rule['name']}\n" in out
        assert f"| {rule['code']} | {rule['name']} | {rule['severity']} |" in out
    code, out, _ = run(capsys, "rule", "--all", "--output-format", "json")
    assert code == 0
    documented = json.loads(out)
    assert [r["code"] for r in documented] == [r["code"] for r in rules]
    assert all("## What it does" in r["explanation"] for r in documented)


def test_rule_json(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rule", "CRT003", "--output-format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["code"] == "CRT003"
    assert document["name"] == "weak-key"
    assert document["severity"] == "error"
    assert document["options"] == {"min-key-bits": 2048}
    assert document["explanation"].startswith("# CRT003 weak-key\n")
    assert set(document["doc"]) >= {"what", "why", "bad", "good", "fix", "evidence", "references"}


def test_subcommands_end_to_end_without_traceback(tmp_path: Path) -> None:
    for argv, expected in [
        (("rules",), 0),
        (("rule", "OAU001"), 0),
        (("rule", "weak-key"), 0),
        (("rule", "--all"), 0),
        (("rule", "NOPE"), 2),
        (("rules", "--output-format", "yaml"), 2),
    ]:
        process = run_module(*argv, cwd=tmp_path)
        assert process.returncode == expected, (argv, process.stderr)
