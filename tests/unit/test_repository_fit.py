"""Issue 17: s2slint fits into a configuration repository as ruff does.

What is not an export (notes, Markdown, s2slint's own reports and baselines, what
`.gitignore` ignores) is listed as skipped without a finding, while a file that looks
like an export of no known kind is still INP002 (catalogue v2); `--exclude` and
`--extend-exclude` work on the command line; and the introspection options say what is
in effect: `--show-settings`, `--show-files`, `-q`, `-v`, `--color`, `--version`,
`--explain-coverage`.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES
from exports import UNKNOWN_EXPORT, run, run_module
from hypothesis import given
from hypothesis import strategies as st
from properties import property_settings

from s2slint.engine.inputs import skip_reason
from s2slint.loaders.base import Source
from s2slint.nonexports import looks_like_export, own_output
from s2slint.plugins import load_registry

AS_OF = ("--as-of", "2026-11-21")


def _example_codes() -> list[str]:
    """What the example bundle alone reports: nothing more when other files join it."""
    from datetime import UTC, datetime

    from s2slint.config import Config
    from s2slint.engine import lint

    result = lint(
        [FIXTURES / "example"],
        load_registry(entry_points=False),
        Config(),
        datetime(2026, 11, 21, tzinfo=UTC),
        cwd=FIXTURES,
    )
    return sorted(f.code for f in result.findings)


EXAMPLE_CODES = _example_codes()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A configuration repository (a `.git` folder) with the example bundle at `exports/`."""
    root = tmp_path / "repo"
    (root / ".git" / "info").mkdir(parents=True)
    shutil.copytree(FIXTURES / "example", root / "exports")
    monkeypatch.chdir(root)
    for name in ("NO_COLOR", "FORCE_COLOR", "S2SLINT_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    return root


def lint_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    """Run `s2slint check ... --output-format json` in-process; return the code and document."""
    code, out, _ = run(capsys, "check", *argv, *AS_OF, "--no-cache", "--output-format", "json")
    return code, json.loads(out)


def codes(document: dict[str, object]) -> list[str]:
    findings = document["findings"]
    assert isinstance(findings, list)
    return sorted(f["code"] for f in findings)


def inputs(document: dict[str, object]) -> dict[str, str | None]:
    """Return path -> why it was skipped (None when it was read)."""
    listed = document["inputs"]
    assert isinstance(listed, list)
    return {f["path"]: f["skipped"] for f in listed}


# ------------------------------------------------------------ not exports at all


ALL_FORMATS = (
    "full",
    "concise",
    "json",
    "sarif",
    "github",
    "gitlab",
    "junit",
    "markdown",
    "html",
    "powershell",
)


def test_s2slint_s_own_reports_and_baseline_in_the_bundle_change_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Committing `-o audit.html`, `--output sarif=...` and the baseline fails nothing."""
    outputs = [f"--output={name}=exports/reports/report.{name}" for name in ALL_FORMATS[1:]]
    code, _, _ = run(capsys, "check", "exports", *AS_OF, "-o", "exports/report.txt", *outputs)
    assert code == 1
    code, _, err = run(capsys, "check", "exports", "--generate-baseline", "exports/baseline.json")
    assert code == 0, err

    code, document = lint_json(capsys, "exports")
    assert code == 1 and codes(document) == EXAMPLE_CODES
    skipped = inputs(document)
    assert skipped["exports/report.txt"] == "s2slint's text report"
    assert skipped["exports/baseline.json"] == "an s2slint baseline"
    expected = {
        "concise": "s2slint's text report",
        "json": "s2slint's JSON report",
        "sarif": "s2slint's SARIF report",
        "github": "not an export: plain text",
        "gitlab": "s2slint's GitLab Code Quality report",
        "junit": "s2slint's JUnit report",
        "markdown": "s2slint's Markdown report",
        "html": "s2slint's HTML report",
        "powershell": "s2slint's PowerShell runbook",
    }
    code, _, _ = run(capsys, "collect-script", "-o", "exports/Export-S2SBundle.ps1")
    assert code == 0
    code, document = lint_json(capsys, "exports")
    assert codes(document) == EXAMPLE_CODES
    skipped = inputs(document)
    assert skipped["exports/Export-S2SBundle.ps1"] == "s2slint's collector script"
    for name, reason in expected.items():
        assert skipped[f"exports/reports/report.{name}"] == reason, name


def test_the_baseline_in_use_is_skipped_and_still_applies(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "check", "exports", *AS_OF, "--generate-baseline", "exports/accepted.json")
    (repo / "s2slint.toml").write_text('baseline = "exports/accepted.json"\n', encoding="utf-8")
    code, document = lint_json(capsys, "exports")
    assert (code, codes(document)) == (0, [])
    assert inputs(document)["exports/accepted.json"] == "the baseline the configuration names"


def test_the_configured_baseline_is_never_read_as_an_export_whatever_it_holds(
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime

    from s2slint.config import Config
    from s2slint.engine import RunRequest, quiet
    from s2slint.engine.inputs import gather

    loaders = load_registry(entry_points=False).loaders
    accepted = tmp_path / "accepted.json"
    accepted.write_text('{"entries": []}\n', encoding="utf-8")
    source = Source(accepted, "accepted.json", accepted.read_bytes())
    assert skip_reason(source, loaders) == ""  # by content, a JSON file like any other
    for config in (Config(root=tmp_path, baseline=accepted), Config(root=tmp_path)):
        now = datetime(2026, 11, 21, tzinfo=UTC)
        request = RunRequest(paths=(tmp_path,), config=config, now=now, cwd=tmp_path)
        gathered = gather(request, loaders, quiet)
        skipped = {item.path: item.skipped or None for item in gathered.inputs}
        named = config.baseline is not None
        assert skipped.get("accepted.json") == (
            "the baseline the configuration names" if named else None
        )
        assert [s.display for s in gathered.sources] == ([] if named else ["accepted.json"])


NOT_EXPORTS = {
    "notes": (b"Call Bob about the certificate, maybe Friday.\n", "not an export: plain text"),
    "markdown": (b"Exports\n=======\n\n- run `Export-Clixml`\n", "not an export: Markdown"),
    "heading": (b"# Lync exports of 2026-11-21\n", "not an export: Markdown"),
    "utf16-notes": ("Notizen f\u00fcr Bob\n".encode("utf-16"), "not an export: plain text"),
    "html": (b"<!DOCTYPE html><html><body>hi</body></html>\n", "not an export: HTML"),
    "png": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "not an export: a binary file of no export kind",
    ),
}


@pytest.mark.parametrize("name", sorted(NOT_EXPORTS))
def test_files_that_are_no_export_are_skipped_without_a_finding(
    name: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, reason = NOT_EXPORTS[name]
    (repo / "exports" / "NOTES").write_bytes(data)
    code, document = lint_json(capsys, "exports")
    assert codes(document) == EXAMPLE_CODES and code == 1
    assert inputs(document)["exports/NOTES"] == reason
    assert not looks_like_export(data)


def _zip_of_unknown() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inside.xml", UNKNOWN_EXPORT)
    return buffer.getvalue()


LOOK_LIKE_EXPORTS = {
    "xml": UNKNOWN_EXPORT.encode(),
    "clixml-of-another-cmdlet": (
        b'<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'
        b'<Obj RefId="0"><TN RefId="0"><T>System.Diagnostics.Process</T></TN></Obj></Objs>'
    ),
    "json": b'{"Identity": "Global", "Something": 1}\n',
    "csv": b'#TYPE Some.Other.Type\n"Identity","Name"\n"a","b"\n',
    "csv-without-type": b'"Identity";"Name"\n"a";"b"\n',
    "pem": b"-----BEGIN PUBLIC KEY-----\n" + base64.b64encode(b"\x30\x03\x02\x01\x01") + b"\n",
    "zip": _zip_of_unknown(),
    "format-list": (
        b"Identity                : Global\r\n"
        b"ExchangeAutodiscoverUrl : https://autodiscover.litwareinc.com/autodiscover/x.svc\r\n"
    ),
    "nul-then-xml": b"\x00<Objs/>",
}


@pytest.mark.parametrize("name", sorted(LOOK_LIKE_EXPORTS))
def test_what_looks_like_an_export_of_no_known_kind_is_still_a_finding(
    name: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = LOOK_LIKE_EXPORTS[name]
    assert looks_like_export(data) and own_output(data) is None
    (repo / "exports" / "unknown").write_bytes(data)
    _, document = lint_json(capsys, "exports")
    found = [f for f in document["findings"] if f["path"] == "exports/unknown"]  # type: ignore[union-attr, index]
    assert [f["code"] for f in found] in (["INP002"], ["INP001"]), found
    assert inputs(document)["exports/unknown"] is None


def test_an_empty_file_is_still_inp002(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "exports" / "empty.xml").write_bytes(b"\xef\xbb\xbf\r\n")
    _, document = lint_json(capsys, "exports")
    assert "INP002" in codes(document)


def test_a_report_quoting_a_suppression_comment_is_no_suppression(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A skipped file is never scanned for inline comments (no phantom SUP findings)."""
    (repo / "exports" / "NOTES.md").write_text(
        "# notes\n<!-- s2slint: ignore[OAU001] reason: quoted in the notes -->\n",
        encoding="utf-8",
    )
    _, document = lint_json(capsys, "exports", "--exclude", ".*")
    assert codes(document) == EXAMPLE_CODES
    assert inputs(document)["exports/NOTES.md"] == "not an export: Markdown"


# -------------------------------------------------------------------- .gitignore


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def ignoring(repo: Path) -> Path:
    """The example bundle beside unknown exports that nested .gitignore files decide on."""
    write(repo / ".gitignore", "*.log\nbuild/\n")
    write(repo / "exports" / ".gitignore", "!keep.log\ndrafts/\n")
    write(repo / "exports" / "sub" / ".gitignore", "*.xml\n!wanted.xml\n")
    write(repo / ".git" / "info" / "exclude", "local-*\n")
    for name in (
        "a.log",
        "keep.log",
        "build/x.xml",
        "drafts/y.xml",
        "sub/z.xml",
        "sub/wanted.xml",
        "local-copy.xml",
        "kept.xml",
    ):
        write(repo / "exports" / name, UNKNOWN_EXPORT)
    return repo


def inp002_paths(document: dict[str, object]) -> list[str]:
    return sorted(
        f["path"]
        for f in document["findings"]  # type: ignore[union-attr]
        if f["code"] == "INP002"
    )


def test_gitignore_is_honoured_like_git_nested_files_and_negations_included(
    ignoring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, document = lint_json(capsys, "exports")
    assert inp002_paths(document) == [
        "exports/keep.log",
        "exports/kept.xml",
        "exports/sub/wanted.xml",
    ]
    skipped = inputs(document)
    assert skipped["exports/a.log"] == "ignored by .gitignore"
    assert skipped["exports/build/"] == "ignored by .gitignore"  # a folder, listed once
    assert skipped["exports/drafts/"] == "ignored by exports/.gitignore"
    assert skipped["exports/sub/z.xml"] == "ignored by exports/sub/.gitignore"
    assert skipped["exports/local-copy.xml"] == "ignored by .git/info/exclude"
    assert "exports/build/x.xml" not in skipped


def test_respect_gitignore_can_be_turned_off_in_configuration_and_on_the_command_line(
    ignoring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    everything = [
        "exports/a.log",
        "exports/build/x.xml",
        "exports/drafts/y.xml",
        "exports/keep.log",
        "exports/kept.xml",
        "exports/local-copy.xml",
        "exports/sub/wanted.xml",
        "exports/sub/z.xml",
    ]
    _, document = lint_json(capsys, "exports", "--no-respect-gitignore")
    assert inp002_paths(document) == everything
    write(ignoring / "s2slint.toml", "respect-gitignore = false\n")
    _, document = lint_json(capsys, "exports")
    assert inp002_paths(document) == everything
    _, document = lint_json(capsys, "exports", "--respect-gitignore")
    assert len(inp002_paths(document)) == 3


def test_a_file_named_on_the_command_line_is_read_even_if_ignored(
    ignoring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, document = lint_json(capsys, "exports/a.log")
    assert inp002_paths(document) == ["exports/a.log"]


def test_outside_a_repository_only_the_bundle_s_own_gitignore_files_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / ".gitignore", "*.xml\n")  # above the bundle, no repository: not git's
    bundle = tmp_path / "bundle"
    write(bundle / ".gitignore", "*.log\n")
    write(bundle / "a.xml", UNKNOWN_EXPORT)
    write(bundle / "b.log", UNKNOWN_EXPORT)
    monkeypatch.chdir(tmp_path)
    _, document = lint_json(capsys, "bundle")
    assert inp002_paths(document) == ["bundle/a.xml"]
    assert inputs(document)["bundle/b.log"] == "ignored by bundle/.gitignore"


# -------------------------------------------------- --exclude, --extend-exclude


def test_exclude_and_extend_exclude_on_the_command_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo / "exports" / "drafts" / "y.xml", UNKNOWN_EXPORT)
    write(repo / "exports" / ".hidden.xml", UNKNOWN_EXPORT)
    _, document = lint_json(capsys, "exports")
    assert inp002_paths(document) == ["exports/drafts/y.xml"]  # .* is excluded by default
    _, document = lint_json(capsys, "exports", "--extend-exclude", "drafts")
    assert inp002_paths(document) == []
    assert "exports/drafts/" not in inputs(document)  # excluded: out of the run
    # --exclude replaces the default list (and the configuration's).
    write(repo / "s2slint.toml", 'extend-exclude = ["drafts"]\n')
    _, document = lint_json(capsys, "exports", "--exclude", "drafts,.git*")
    assert inp002_paths(document) == ["exports/.hidden.xml"]
    code, out, _ = run(capsys, "check", "exports", "--show-files", "--extend-exclude", "*.xml")
    assert code == 0
    assert 'exports/lync/topology.xml: skipped: excluded by the pattern "*.xml"\n' in out


# ----------------------------------------------------------------- introspection


def test_show_settings_names_the_file_and_the_resolved_values(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo / "s2slint.toml", 'fail-on = "error"\nignore = ["DNS"]\nrespect-gitignore = false\n')
    code, out, _ = run(capsys, "check", "exports", "--show-settings", "--extend-exclude", "x")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"# settings file: {repo / 's2slint.toml'}"
    assert 'fail-on = "error"' in lines and 'ignore = ["DNS"]' in lines
    assert "respect-gitignore = false" in lines
    assert any(line.startswith("exclude = [") and '"x"]  # command line' in line for line in lines)
    assert "Found" not in out  # nothing was linted
    _, out, _ = run(capsys, "check", "exports", "--show-settings", "--fail-on", "info")
    assert 'fail-on = "info"  # command line' in out.splitlines()
    _, out, _ = run(capsys, "check", "exports", "--show-settings", "--isolated")
    assert out.startswith("# settings file: none (--isolated: the defaults)\n")
    assert "respect-gitignore = true" in out.splitlines()


def test_show_files_gives_every_file_its_kind_or_why_it_is_skipped(
    ignoring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(ignoring / "exports" / "README.md", "# exports\n")
    write(ignoring / "exports" / "NOTES.txt", "call Bob\n")
    code, out, _ = run(capsys, "check", "exports", "--show-files")
    assert code == 0
    shown = dict(line.split(": ", 1) for line in out.splitlines())
    assert shown["exports/lync/topology.xml"] == "topology"
    assert shown["exports/lync/oauth-configuration.xml"] == "clixml:lync-oauth-configuration"
    assert shown["exports/dns/litwareinc.com.dns"] == "dns-zone"
    assert shown["exports/NOTES.txt"] == "skipped: not an export: plain text"
    assert shown["exports/README.md"] == 'skipped: excluded by the pattern "*.md"'
    assert shown["exports/.gitignore"] == 'skipped: excluded by the pattern ".*"'
    assert shown["exports/build/"] == "skipped: ignored by .gitignore"
    assert shown["exports/kept.xml"].startswith("INP002: ")
    assert list(shown) == sorted(shown)


def test_quiet_prints_the_findings_and_nothing_else(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", "exports", *AS_OF, "--no-cache", "-q")
    assert code == 1 and err == ""
    assert "Found" not in out and "Not evaluated" not in out
    assert out.count(" [error] ") + out.count(" [warning] ") == len(EXAMPLE_CODES)


def test_verbose_says_what_was_used_on_stderr(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", "exports", *AS_OF, "--no-cache", "-v")
    assert code == 1 and f"Found {len(EXAMPLE_CODES)} findings" in out
    assert "s2slint: configuration: none (the defaults)\n" in err
    assert "s2slint: paths: exports\n" in err
    assert "17 files read, 0 skipped" in err


def test_check_without_a_path_says_which_folder_it_lints(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "exports")
    code, out, err = run(capsys, "check", *AS_OF, "--no-cache")
    assert code == 1 and f"Found {len(EXAMPLE_CODES)} findings" in out
    assert err == (
        f"s2slint: linting the current folder, {repo / 'exports'} (name a folder to lint another)\n"
    )
    assert run(capsys, "check", ".", *AS_OF, "--no-cache")[2] == ""
    assert run(capsys, "check", *AS_OF, "--no-cache", "-q")[2] == ""


def test_explain_coverage_is_introspection_and_exits_zero(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "exports", *AS_OF, "--explain-coverage")
    assert code == 0 and "selected rules evaluated" in out
    # ... unless the tool failed.
    write(repo / "s2slint.toml", 'select = ["NOPE999"]\n')
    assert run(capsys, "check", "exports", *AS_OF, "--explain-coverage")[0] == 2


ESCAPE = "\x1b["


def test_color_always_never_and_force_color(repo: Path) -> None:
    def concise(*argv: str, env: dict[str, str] | None = None) -> str:
        process = run_module(
            "check",
            "exports",
            *AS_OF,
            "--output-format",
            "concise",
            *argv,
            cwd=repo,
            env=env,
            unset={"NO_COLOR"},
        )
        assert process.returncode == 1, process.stderr
        return process.stdout

    assert ESCAPE not in concise()  # not a terminal
    assert ESCAPE in concise("--color", "always")
    assert ESCAPE in concise(env={"FORCE_COLOR": "1"})
    assert ESCAPE not in concise("--color", "never", env={"FORCE_COLOR": "1"})
    assert ESCAPE not in concise(env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    json_text = run_module(
        "check", "exports", "--output-format", "json", "--color", "always", cwd=repo
    )
    assert ESCAPE not in json_text.stdout


def test_version_on_check_too(repo: Path) -> None:
    from s2slint import __version__

    for argv in (("--version",), ("check", "--version")):
        process = run_module(*argv, cwd=repo)
        assert (process.returncode, process.stdout) == (0, f"s2slint {__version__}\n")


def test_only_folders_the_walk_saw_an_ignore_file_in_are_asked_for_one(
    ignoring: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An estate has thousands of folders and few ignore files: the listing tells which."""
    import s2slint.gitignore as gitignore
    from s2slint.bundle import walk

    write(ignoring / "exports" / "plain" / "deeper" / "x.xml", UNKNOWN_EXPORT)
    asked: list[str] = []
    original = gitignore._read

    def read(folder: str, name: str = gitignore.GITIGNORE) -> object:
        asked.append(f"{Path(folder).relative_to(ignoring.resolve()).as_posix()}:{name}")
        return original(folder, name)

    monkeypatch.setattr(gitignore, "_read", read)
    files, _ = walk([Path("exports")], (), ignoring, respect_gitignore=True)
    assert sorted(asked) == [
        ".:.git/info/exclude",
        ".:.gitignore",  # above the walked folder: not listed by this walk, so asked
        "exports/sub:.gitignore",
        "exports:.gitignore",
    ]
    assert "exports/plain/deeper/x.xml" in [file.display for file in files]


@property_settings(500)
@given(
    st.lists(
        st.sampled_from(
            [".*", "*.md", "LICENSE*", "__pycache__", "a?c", "[ab]*.xml", "x/", "d/*.md"]
        ),
        min_size=1,
        max_size=5,
    ),
    st.text(alphabet="abcx.*?[]_LICENSE-md", max_size=12),
)
def test_names_are_excluded_by_the_first_pattern_that_matches_them(
    patterns: list[str], name: str
) -> None:
    """Bare-name patterns are tried as one matcher first; the answer is the loop's."""
    import fnmatch
    import os

    from s2slint.bundle import _Exclude

    expected = next(
        (p for p in patterns if fnmatch.fnmatch(os.path.normcase(name), p.strip("/"))), None
    )
    assert _Exclude.of(patterns).match(name, lambda: []) == expected
