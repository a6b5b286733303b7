"""Configuration: discovery, validation, rule settings, path ignores, excludes, PFX password.

Like ruff, the closest `s2slint.toml` / `.s2slint.toml` / `pyproject.toml` with a
`[tool.s2slint]` table wins, with no merging; every mistake in it is an error (exit 2)
naming the key and the valid choices.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from exports import PARTIAL, codes_in, findings_in, oauth_xml, run, write_lync_bundle

from s2slint import config as configuration
from s2slint import limits as input_limits
from s2slint.config import Config, discover, load_config, read_pfx_password
from s2slint.errors import ConfigError

PASSWORD = "Canary-Pfx-Pa55!"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a bundle at `exports/`; the working directory is the project.

    The bundle yields OAU001 (lync/oauth.xml), PAP001 (lync/partner-apps.xml) and
    INP002 (notes.txt).
    """
    root = tmp_path / "project"
    bundle = write_lync_bundle(
        root / "exports", oauth="lync/oauth.xml", partner_apps="lync/partner-apps.xml"
    )
    assert discover(bundle) is None, "a configuration above the temporary folder leaks in"
    monkeypatch.chdir(root)
    monkeypatch.delenv("S2SLINT_PFX_PASSWORD", raising=False)
    return root


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `s2slint check` in-process with concise output, on a partial bundle; see `run`."""
    return run(capsys, "check", *argv, "--output-format", "concise", *PARTIAL)


# ---------------------------------------------------------------------- discovery


def test_no_configuration_runs_every_rule(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = check(capsys, "exports")
    assert code == 1
    assert sorted(codes_in(out)) == ["INP002", "OAU001", "PAP001"]


def test_s2slint_toml_in_the_bundle_folder_is_used(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "exports" / "s2slint.toml").write_text('select = ["OAU"]\n', encoding="utf-8")
    assert discover(project / "exports") == (project / "exports" / "s2slint.toml").resolve()
    code, out, _ = check(capsys, "exports")
    assert code == 1
    assert sorted(codes_in(out)) == ["OAU001"]


def test_s2slint_toml_in_a_parent_folder_is_used(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "s2slint.toml").write_text('select = ["PAP"]\n', encoding="utf-8")
    assert discover(project / "exports" / "lync") == (project / "s2slint.toml").resolve()
    _, out, _ = check(capsys, "exports")
    assert sorted(codes_in(out)) == ["PAP001"]
    # Discovery starts at the linted file's folder, too.
    _, out, _ = check(capsys, "exports/lync/oauth.xml")
    assert sorted(codes_in(out)) == []


def test_hidden_s2slint_toml_is_used(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".s2slint.toml").write_text('ignore = ["INP", "PAP"]\n', encoding="utf-8")
    _, out, _ = check(capsys, "exports")
    assert sorted(codes_in(out)) == ["OAU001"]


def test_pyproject_with_tool_table_is_used(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "lync-exports"\nversion = "1"\n\n[tool.s2slint]\nselect = ["OAU"]\n',
        encoding="utf-8",
    )
    assert discover(project / "exports") == (project / "pyproject.toml").resolve()
    _, out, _ = check(capsys, "exports")
    assert sorted(codes_in(out)) == ["OAU001"]


def test_pyproject_without_the_table_is_ignored(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "s2slint.toml").write_text('select = ["PAP"]\n', encoding="utf-8")
    (project / "exports" / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ruff]\nline-length = 100\n', encoding="utf-8"
    )
    assert discover(project / "exports") == (project / "s2slint.toml").resolve()
    _, out, _ = check(capsys, "exports")
    assert sorted(codes_in(out)) == ["PAP001"]


def test_the_closest_configuration_wins_without_merging(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "s2slint.toml").write_text(
        'ignore = ["INP"]\n\n[rules.OAU001]\nseverity = "info"\n', encoding="utf-8"
    )
    (project / "exports" / "s2slint.toml").write_text('select = ["OAU", "INP"]\n', encoding="utf-8")
    _, out, _ = check(capsys, "exports")
    # The parent's ignore and severity are not merged in.
    assert sorted(findings_in(out)) == [
        ("exports/lync/oauth.xml", "OAU001", "error"),
        ("exports/notes.txt", "INP002", "warning"),
    ]


def test_s2slint_toml_wins_over_pyproject_in_the_same_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text('[tool.s2slint]\nselect = ["PAP"]\n', encoding="utf-8")
    (project / "s2slint.toml").write_text('select = ["OAU"]\n', encoding="utf-8")
    _, out, _ = check(capsys, "exports")
    assert sorted(codes_in(out)) == ["OAU001"]


def test_invalid_pyproject_is_an_error_not_ignored(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text('[tool.s2slint]\nselect = ["OAU"\n', encoding="utf-8")
    code, out, err = check(capsys, "exports")
    assert code == 2, out
    assert "pyproject.toml" in err and "invalid TOML" in err


def test_explicit_config_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "exports" / "s2slint.toml").write_text('select = ["OAU"]\n', encoding="utf-8")
    (project / "ci").mkdir()
    (project / "ci" / "lint.toml").write_text('select = ["PAP"]\n', encoding="utf-8")
    _, out, _ = check(capsys, "exports", "--config", "ci/lint.toml")
    assert sorted(codes_in(out)) == ["PAP001"]
    # A pyproject.toml named explicitly is read through its [tool.s2slint] table.
    (project / "ci" / "pyproject.toml").write_text(
        '[tool.s2slint]\nselect = ["INP"]\n', encoding="utf-8"
    )
    _, out, _ = check(capsys, "exports", "--config", "ci/pyproject.toml")
    assert sorted(codes_in(out)) == ["INP002"]


def test_explicit_config_file_that_does_not_exist(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = check(capsys, "exports", "--config", "nope.toml")
    assert (code, out) == (2, "")
    assert err == "s2slint: error: nope.toml: configuration file not found\n"


def test_isolated_ignores_configuration(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "s2slint.toml").write_text('select = ["OAU"]\n', encoding="utf-8")
    _, out, _ = check(capsys, "exports", "--isolated")
    assert sorted(codes_in(out)) == ["INP002", "OAU001", "PAP001"]
    # Even an invalid configuration is not read.
    (project / "s2slint.toml").write_text('selct = ["OAU"]\n', encoding="utf-8")
    code, out, err = check(capsys, "exports", "--isolated")
    assert code == 1 and err == ""
    assert sorted(codes_in(out)) == ["INP002", "OAU001", "PAP001"]


# --------------------------------------------------------------------- validation


def config_error(project: Path, capsys: pytest.CaptureFixture[str], toml: str) -> str:
    """Write `toml` as the project's configuration; return the one-line error of a run."""
    (project / "s2slint.toml").write_text(toml, encoding="utf-8")
    code, out, err = check(capsys, "exports")
    assert code == 2, (out, err)
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("s2slint: error: ")
    return err


def test_unknown_top_level_key_is_named_with_the_valid_keys(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = config_error(project, capsys, 'selct = ["OAU"]\n')
    assert 'unknown key "selct"' in err
    assert "s2slint.toml" in err
    valid = err.split("valid:")[1]
    for key in ("select", "ignore", "extend-select", "per-path-ignores", "fail-on", "rules"):
        assert re.search(rf"(^|[ ,]){re.escape(key)}([,)]|$)", valid), key


def test_unknown_key_in_pyproject_names_the_table(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text('[tool.s2slint]\nignored = ["x"]\n', encoding="utf-8")
    code, _, err = check(capsys, "exports")
    assert code == 2
    assert "pyproject.toml: [tool.s2slint]" in err and 'unknown key "ignored"' in err


def test_invalid_enum_names_the_valid_choices(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = config_error(project, capsys, 'fail-on = "fatal"\n')
    assert "fail-on" in err and '"fatal"' in err
    assert "error, warning, info" in err
    err = config_error(project, capsys, 'output-format = "sarif"\n')
    assert "output-format" in err and "full, concise, json" in err


def test_wrong_type_names_the_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = config_error(project, capsys, 'select = "OAU"\n')
    assert "select" in err and "array" in err
    err = config_error(project, capsys, 'per-path-ignores = {"*.xml" = "OAU001"}\n')
    assert "per-path-ignores" in err and "array" in err


def test_invalid_toml(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = config_error(project, capsys, "select = [\n")
    assert "invalid TOML" in err


def test_rule_option_of_the_wrong_type(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = config_error(project, capsys, '[rules.CRT003]\nmin-key-bits = "big"\n')
    assert "rules.CRT003.min-key-bits" in err and "integer" in err and "'big'" in err
    err = config_error(project, capsys, "[rules.CRT003]\nmin-key-bits = true\n")
    assert "rules.CRT003.min-key-bits" in err and "integer" in err


def test_unknown_rule_option_lists_the_valid_ones(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = config_error(project, capsys, "[rules.CRT003]\nmin-key-bit = 1\n")
    assert 'unknown option "min-key-bit"' in err
    assert "min-key-bits" in err and "severity" in err
    # Keyed by name, the error still names the rule.
    err = config_error(project, capsys, "[rules.weak-key]\nmin-key-bit = 1\n")
    assert 'unknown option "min-key-bit"' in err and "CRT003" in err


def test_rule_that_does_not_exist(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = config_error(project, capsys, '[rules.NOPE001]\nseverity = "error"\n')
    assert "rules.NOPE001" in err and "no rule" in err


def test_invalid_rule_severity(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = config_error(project, capsys, '[rules.OAU001]\nseverity = "fatal"\n')
    assert "rules.OAU001.severity" in err and "error, warning, info" in err


def test_unknown_selector_in_configuration(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = config_error(project, capsys, 'ignore = ["OAU999"]\n')
    assert '"OAU999"' in err and "matches no rule" in err


def test_unknown_selector_in_configuration_names_the_file_and_key(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: the message once said only `selection: "OAU999" matches no rule`."""
    err = config_error(project, capsys, 'ignore = ["OAU999"]\n')
    assert "s2slint.toml" in err and "ignore" in err


def test_unknown_selector_in_per_path_ignores_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: a typo here was once accepted and silently matched nothing."""
    err = config_error(project, capsys, 'per-path-ignores = {"*.xml" = ["OAU01X"]}\n')
    assert '"OAU01X"' in err and "per-path-ignores" in err


def test_rule_option_is_applied(project: Path) -> None:
    (project / "s2slint.toml").write_text(
        "[rules.weak-key]\nmin-key-bits = 4096\n", encoding="utf-8"
    )
    config = load_config(discover(project / "exports"))
    from s2slint.plugins import load_registry

    rules = load_registry(entry_points=False).rules
    settings = configuration.resolve_rule_settings(rules, config)
    assert settings["CRT003"].options.min_key_bits == 4096  # type: ignore[attr-defined]
    assert configuration.resolve_rule_settings(rules, Config())["CRT003"].options.min_key_bits == (  # type: ignore[attr-defined]
        2048
    )


# ------------------------------------------------------------------ rule settings


def test_rule_severity_changes_the_printed_severity_and_the_exit_code(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "s2slint.toml").write_text(
        'select = ["OAU"]\n\n[rules.OAU001]\nseverity = "warning"\n', encoding="utf-8"
    )
    code, out, _ = check(capsys, "exports")
    assert findings_in(out) == [("exports/lync/oauth.xml", "OAU001", "warning")]
    assert code == 1  # default fail-on: warning
    code, out, _ = check(capsys, "exports", "--fail-on", "error")
    assert findings_in(out) == [("exports/lync/oauth.xml", "OAU001", "warning")]
    assert code == 0

    _, out, _ = run(capsys, "check", "exports", "--output-format", "json", *PARTIAL)
    [finding] = json.loads(out)["findings"]
    assert finding["severity"] == "warning"
    assert json.loads(out)["summary"]["by_severity"] == {"error": 0, "warning": 1, "info": 0}


def test_rules_keyed_by_name(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "s2slint.toml").write_text(
        'select = ["OAU"]\n\n[rules.autodiscover-xml-not-svc]\nseverity = "info"\n',
        encoding="utf-8",
    )
    code, out, _ = check(capsys, "exports")
    assert findings_in(out) == [("exports/lync/oauth.xml", "OAU001", "info")]
    assert code == 0  # info is below the default fail-on
    code, _, _ = check(capsys, "exports", "--fail-on", "info")
    assert code == 1


def test_fail_on_in_configuration_and_cli_override(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "s2slint.toml").write_text('select = ["INP"]\nfail-on = "error"\n', encoding="utf-8")
    code, out, _ = check(capsys, "exports")
    assert sorted(codes_in(out)) == ["INP002"]
    assert code == 0
    code, _, _ = check(capsys, "exports", "--fail-on", "warning")
    assert code == 1


def test_output_format_in_configuration_and_cli_override(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "s2slint.toml").write_text('output-format = "json"\n', encoding="utf-8")
    _, out, _ = run(capsys, "check", "exports", *PARTIAL)
    assert {f["code"] for f in json.loads(out)["findings"]} == {"INP002", "OAU001", "PAP001"}
    _, out, _ = run(capsys, "check", "exports", "--output-format", "concise", *PARTIAL)
    assert sorted(codes_in(out)) == ["INP002", "OAU001", "PAP001"]


# ----------------------------------------------------------------- path ignores


def test_per_path_ignores_hide_a_finding_only_in_matching_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = project / "exports" / "pool2"
    other.mkdir()
    (other / "oauth.xml").write_text(oauth_xml(), encoding="utf-8")
    # Patterns are relative to the configuration file's folder.
    (project / "exports" / "s2slint.toml").write_text(
        'per-path-ignores = {"lync/*.xml" = ["OAU001"]}\n', encoding="utf-8"
    )
    _, out, _ = check(capsys, "exports")
    assert sorted(findings_in(out)) == [
        ("exports/lync/partner-apps.xml", "PAP001", "error"),
        ("exports/notes.txt", "INP002", "warning"),
        ("exports/pool2/oauth.xml", "OAU001", "error"),
    ]


def test_per_path_ignores_are_relative_to_the_configuration_not_the_working_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "s2slint.toml").write_text(
        'per-path-ignores = {"exports/lync/*.xml" = ["OAU001", "PAP001"]}\n', encoding="utf-8"
    )
    monkeypatch.chdir(project / "exports")  # findings are shown as lync/oauth.xml
    _, out, _ = check(capsys, ".")
    assert findings_in(out) == [("notes.txt", "INP002", "warning")]


@pytest.mark.parametrize("selector", ["OAU", "autodiscover-xml-not-svc", "ALL"])
def test_per_path_ignores_accept_prefixes_names_and_all(
    project: Path, capsys: pytest.CaptureFixture[str], selector: str
) -> None:
    (project / "s2slint.toml").write_text(
        f'per-path-ignores = {{"exports/lync/oauth.xml" = ["{selector}"]}}\n', encoding="utf-8"
    )
    _, out, _ = check(capsys, "exports")
    assert sorted(codes_in(out)) == ["INP002", "PAP001"]


# ---------------------------------------------------------------------- selection


def test_select_and_ignore_in_configuration(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "s2slint.toml").write_text(
        'select = ["OAU", "PAP", "INP"]\nignore = ["INP002"]\n', encoding="utf-8"
    )
    _, out, _ = check(capsys, "exports")
    assert sorted(codes_in(out)) == ["OAU001", "PAP001"]
    (project / "s2slint.toml").write_text(
        'select = ["OAU"]\nextend-select = ["PAP001"]\n', encoding="utf-8"
    )
    _, out, _ = check(capsys, "exports")
    assert sorted(codes_in(out)) == ["OAU001", "PAP001"]


def test_cli_select_overrides_configuration_select(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "s2slint.toml").write_text('select = ["OAU"]\n', encoding="utf-8")
    _, out, _ = check(capsys, "exports", "--select", "PAP")
    assert sorted(codes_in(out)) == ["PAP001"]
    _, out, _ = check(capsys, "exports", "--extend-select", "PAP")
    assert sorted(codes_in(out)) == ["OAU001", "PAP001"]


# ---------------------------------------------------------------------- excludes


def test_extend_exclude_skips_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "s2slint.toml").write_text('extend-exclude = ["notes.txt"]\n', encoding="utf-8")
    _, out, _ = check(capsys, "exports")
    assert sorted(codes_in(out)) == ["OAU001", "PAP001"]


def test_exclude_replaces_the_default(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = project / "exports"
    (bundle / "README.md").write_text("# exports of 2026-11-21\n", encoding="utf-8")
    _, out, _ = check(capsys, "exports")
    assert "exports/README.md" not in out

    (bundle / "s2slint.toml").write_text('exclude = ["notes.txt"]\n', encoding="utf-8")
    _, out, _ = check(capsys, "exports")
    # *.md is no longer excluded but is no export (skipped, no finding, by its content);
    # notes.txt is excluded, and the configuration is still not read.
    assert sorted(findings_in(out)) == [
        ("exports/lync/oauth.xml", "OAU001", "error"),
        ("exports/lync/partner-apps.xml", "PAP001", "error"),
    ]
    _, out, _ = run(capsys, "check", "exports", "--show-files")
    assert "exports/README.md: skipped: not an export: Markdown\n" in out
    assert 'exports/notes.txt: skipped: excluded by the pattern "notes.txt"\n' in out


def test_exclude_matches_folders(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "s2slint.toml").write_text('extend-exclude = ["lync"]\n', encoding="utf-8")
    _, out, _ = check(capsys, "exports")
    assert sorted(codes_in(out)) == ["INP002"]


def test_exclude_globs_with_a_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "exports" / "lync" / "readme.txt").write_text("hello\n", encoding="utf-8")
    (project / "s2slint.toml").write_text(
        'extend-exclude = ["exports/lync/*.txt"]\n', encoding="utf-8"
    )
    _, out, _ = check(capsys, "exports")
    assert sorted(findings_in(out)) == [
        ("exports/lync/oauth.xml", "OAU001", "error"),
        ("exports/lync/partner-apps.xml", "PAP001", "error"),
        ("exports/notes.txt", "INP002", "warning"),
    ]


def test_hidden_files_and_markdown_are_skipped_by_default(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = project / "exports"
    (bundle / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1\x00")
    (bundle / ".hidden-notes.txt").write_text("hello\n", encoding="utf-8")
    (bundle / ".git").mkdir()
    (bundle / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    (bundle / "README.md").write_text("# exports\n", encoding="utf-8")
    (bundle / "lync" / "HOWTO.md").write_text("run Export-Clixml\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "exports", "--output-format", "json", *PARTIAL)
    assert code == 1
    document = json.loads(out)
    assert sorted(f["path"] for f in document["findings"]) == [
        "exports/lync/oauth.xml",
        "exports/lync/partner-apps.xml",
        "exports/notes.txt",
    ]
    assert document["summary"]["files"] == 3


def test_configuration_file_is_never_reported_as_unrecognized(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = project / "exports"
    (bundle / "s2slint.toml").write_text('ignore = ["PAP"]\n', encoding="utf-8")
    (bundle / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    _, out, _ = check(capsys, "exports")
    assert sorted(findings_in(out)) == [
        ("exports/lync/oauth.xml", "OAU001", "error"),
        ("exports/notes.txt", "INP002", "warning"),
    ]
    # Named explicitly with --config, and with excludes replaced, it is still skipped.
    (bundle / "custom.toml").write_text('exclude = []\nignore = ["PAP"]\n', encoding="utf-8")
    _, out, _ = check(capsys, "exports", "--config", "exports/custom.toml")
    paths = [path for path, _, _ in findings_in(out)]
    assert "exports/custom.toml" not in paths
    assert "exports/notes.txt" in paths


def test_configuration_file_named_on_the_command_line_is_not_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: `s2slint check exports/*` (a shell glob, or pre-commit passing file
    names) once reported the configuration and the password file as INP002."""
    bundle = project / "exports"
    (bundle / "s2slint.toml").write_text(
        'pfx-password-file = "pfx-password.txt"\n', encoding="utf-8"
    )
    (bundle / "pfx-password.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    files = sorted(str(p.relative_to(project)) for p in bundle.iterdir() if p.is_file())
    assert "exports/s2slint.toml" in files
    _, out, _ = check(capsys, *files)
    paths = [path for path, _, _ in findings_in(out)]
    assert "exports/s2slint.toml" not in paths
    assert "exports/pfx-password.txt" not in paths


# ------------------------------------------------------------------ PFX password


def test_pfx_password_from_the_default_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", PASSWORD)
    value, origin = read_pfx_password(Config())
    assert value == PASSWORD
    assert "S2SLINT_PFX_PASSWORD" in origin
    assert PASSWORD not in origin


def test_pfx_password_from_a_configured_environment_variable(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "s2slint.toml").write_text('pfx-password-env = "LYNC_PFX_PW"\n', encoding="utf-8")
    config = load_config(discover(project / "exports"))
    assert config.pfx_password_env == "LYNC_PFX_PW"
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", "not-this-one")
    monkeypatch.delenv("LYNC_PFX_PW", raising=False)
    value, origin = read_pfx_password(config)
    assert value is None
    assert "LYNC_PFX_PW" in origin
    monkeypatch.setenv("LYNC_PFX_PW", PASSWORD)
    value, origin = read_pfx_password(config)
    assert value == PASSWORD
    assert origin == "environment variable LYNC_PFX_PW"


def test_pfx_password_from_the_first_line_of_a_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = project / "secrets"
    secrets.mkdir()
    # Windows Notepad writes a BOM and CRLF; neither is part of the password.
    (secrets / "pfx.txt").write_bytes(b"\xef\xbb\xbf" + PASSWORD.encode() + b"\r\nsecond line\r\n")
    (project / "s2slint.toml").write_text(
        'pfx-password-file = "secrets/pfx.txt"\n', encoding="utf-8"
    )
    # Relative to the configuration file, not to the working directory.
    monkeypatch.chdir(project / "exports")
    config = load_config(discover(project / "exports"))
    assert config.pfx_password_file == (project / "secrets" / "pfx.txt").resolve()
    value, origin = read_pfx_password(config)
    assert value == PASSWORD
    assert "pfx.txt" in origin
    assert PASSWORD not in origin


def test_pfx_password_environment_wins_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "pfx.txt"
    file.write_text("from-the-file\n", encoding="utf-8")
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", PASSWORD)
    value, _ = read_pfx_password(Config(pfx_password_file=file))
    assert value == PASSWORD


def test_pfx_password_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("S2SLINT_PFX_PASSWORD", raising=False)
    value, origin = read_pfx_password(Config())
    assert value is None
    assert "S2SLINT_PFX_PASSWORD" in origin
    assert "pfx-password-file" in origin

    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    value, origin = read_pfx_password(Config(pfx_password_file=empty))
    assert value is None and "empty" in origin

    # The password is the first line: a blank first line is no password at all.
    blank_first = tmp_path / "blank-first.txt"
    blank_first.write_text("\nnot-the-password\n", encoding="utf-8")
    value, origin = read_pfx_password(Config(pfx_password_file=blank_first))
    assert value is None and "empty" in origin and "not-the-password" not in origin

    value, origin = read_pfx_password(Config(pfx_password_file=tmp_path / "missing.txt"))
    assert value is None and "cannot be read" in origin


def test_pfx_password_file_is_not_linted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = project / "exports"
    (bundle / "pfx-password.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    (bundle / "s2slint.toml").write_text(
        'pfx-password-file = "pfx-password.txt"\n', encoding="utf-8"
    )
    code, out, err = check(capsys, "exports")
    assert "pfx-password.txt" not in out
    assert PASSWORD not in out and PASSWORD not in err
    assert sorted(codes_in(out)) == ["INP002", "OAU001", "PAP001"]
    assert code == 1


def test_load_config_rejects_unknown_keys_directly(tmp_path: Path) -> None:
    path = tmp_path / "s2slint.toml"
    path.write_text('selct = ["OAU"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r'unknown key "selct" \(valid: .*\bselect\b'):
        load_config(path)


def test_defaults_without_a_configuration_file() -> None:
    config = load_config(None)
    assert config.path is None
    assert config.select == ("ALL",)
    assert config.ignore == () and config.per_path_ignores == ()
    assert config.fail_on.label == "warning"
    assert config.output_format == "full"
    assert config.pfx_password_env == "S2SLINT_PFX_PASSWORD"
    assert {".*", "*.md", "s2slint.toml", "pyproject.toml"} <= set(config.exclude)


def test_every_configuration_key_sets_a_field() -> None:
    """The schema, the keys `load_config` reads and the `Config` fields agree."""
    import dataclasses
    from importlib import resources

    from s2slint.config import KEYS

    schema = json.loads(resources.files("s2slint").joinpath("config_schema.json").read_text())
    assert set(schema["properties"]) == {*KEYS, "extend-exclude", "suppress"}
    names = {field.name for field in dataclasses.fields(Config)}
    assert {name for name, _ in KEYS.values()} <= names


# ------------------------------------------------------------------------- limits


def _zone(records: int) -> str:
    head = (
        "$ORIGIN litwareinc.com.\n$TTL 3600\n"
        "@ IN SOA ns1.litwareinc.com. hostmaster.litwareinc.com. 1 900 600 86400 3600\n"
        "@ IN NS ns1.litwareinc.com.\n"
    )
    return head + "".join(f"h{i} IN A 10.1.0.{i % 250 + 1}\n" for i in range(records - 2))


@pytest.mark.parametrize(("limits", "refused"), [("", False), ("max-zone-records = 9\n", True)])
def test_the_limits_table_replaces_a_default_for_the_run(
    project: Path, capsys: pytest.CaptureFixture[str], limits: str, refused: bool
) -> None:
    (project / "exports" / "litwareinc.com.dns").write_text(_zone(10), encoding="utf-8")
    (project / "s2slint.toml").write_text(f"[limits]\n{limits}", encoding="utf-8")
    _, out, _ = check(capsys, "exports")
    assert ("INP004" in codes_in(out)) is refused
    if refused:
        assert "10" in out and "9" in out
    assert input_limits.active() == input_limits.DEFAULT_LIMITS  # only for that run


def test_limits_are_read_by_name_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "s2slint.toml"
    path.write_text("[limits]\nmax-zone-records = 500000\nmax-xml-depth = 50\n", encoding="utf-8")
    config = load_config(path)
    assert config.limits is not None
    assert (config.limits.max_zone_records, config.limits.max_xml_depth) == (500_000, 50)
    assert config.limits.max_lines == input_limits.DEFAULT_LIMITS.max_lines
    assert load_config(None).limits is None
    for bad in ("max-zone-record = 5", "max-xml-depth = 300", "max-lines = 0"):
        path.write_text(f"[limits]\n{bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="limits"):
            load_config(path)


# ------------------------------------------------------- validation remembered


@pytest.fixture
def schema_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A configuration file and a cache folder, for tables the quick check is not sure of.

    jsonschema then decides, and a table it found valid is remembered in the folder.
    """
    monkeypatch.setattr(configuration, "plainly_valid", lambda instance, schema: False)
    return tmp_path / "s2slint.toml", tmp_path / "cache"


def test_a_table_found_valid_is_remembered_in_the_cache_folder(
    schema_decides: tuple[Path, Path],
) -> None:
    path, memo = schema_decides
    path.write_text('select = ["OAU"]\n', encoding="utf-8")
    assert load_config(path, memo).select == ("OAU",)
    marks = list((memo / "valid-configurations").iterdir())
    assert len(marks) == 1
    assert load_config(path, memo).select == ("OAU",)  # served by the mark
    # Another table (even one differing in a value) is validated afresh, and an
    # invalid one is never remembered.
    path.write_text('select = "OAU"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="select"):
        load_config(path, memo)
    assert list((memo / "valid-configurations").iterdir()) == marks


def test_a_date_and_the_text_of_its_repr_are_remembered_apart(
    schema_decides: tuple[Path, Path],
) -> None:
    path, memo = schema_decides
    entry = '[[suppress]]\ncode = "OAU001"\nkey = "*"\nreason = "lab"\nowner = {}\n'
    path.write_text(entry.format('"datetime.date(2027, 6, 30)"'), encoding="utf-8")
    load_config(path, memo)  # valid: an owner is text
    path.write_text(entry.format("2027-06-30"), encoding="utf-8")
    with pytest.raises(ConfigError, match="owner"):
        load_config(path, memo)  # a date is not, whatever was remembered before


def test_a_remembered_configuration_does_not_import_jsonschema(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "s2slint.toml"
    path.write_text('select = ["OAU"]\n', encoding="utf-8")
    probe = (
        "import sys; from pathlib import Path; from s2slint import config; "
        "config.plainly_valid = lambda instance, schema: False; "  # jsonschema decides
        f"config.load_config(Path({str(path)!r}), Path({str(tmp_path / 'cache')!r})); "
        "print('jsonschema' in sys.modules)"
    )
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    again = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (first.stdout.strip(), again.stdout.strip()) == ("True", "False")


# ------------------------------------------------- the quick schema check


def _schema() -> dict[str, object]:
    return json.loads((Path(configuration.__file__).parent / "config_schema.json").read_text())


def _jsonschema_errors(table: object) -> list[str]:
    import jsonschema

    validator = jsonschema.Draft7Validator(_schema())
    return [error.message for error in validator.iter_errors(table)]


PLAIN_TABLES = [
    {},
    {"output-format": "full"},
    {"select": ["OAU", "CRT001"], "ignore": [], "fail-on": "error", "respect-gitignore": False},
    {"per-path-ignores": {"servers/*": ["CRT"]}, "exclude": ["*.md"]},
    {"dns": "off", "dns-timeout": 2, "dns-retries": 1},
    {"limits": {"max-zone-records": 1_000_000, "max-xml-depth": 50}},
    {"suppress": [{"code": "CRT001", "key": "certificate:*", "reason": "accepted"}]},
    {"suppress": [{"code": "CRT001", "path": "a/*", "reason": "r", "expires": "2027-06-30"}]},
]
DOUBTFUL_OR_INVALID = [
    {"output-format": 3},
    {"select": "OAU"},
    {"select": [1]},
    {"unknown-key": True},
    {"fail-on": "fatal"},
    {"fail-on": True},
    {"respect-gitignore": 1},
    {"dns-retries": True},
    {"dns-retries": 1.0},
    {"dns-retries": -1},
    {"dns-timeout": 0},
    {"limits": {"max-zone-record": 5}},
    {"limits": {"max-xml-depth": 300}},
    {"suppress": [{"code": "CRT001", "reason": "r"}]},
    {"suppress": [{"code": "CRT001", "key": "k", "reason": ""}]},
    {"suppress": [{"code": "CRT001", "key": "k", "reason": "r", "expires": "June"}]},
]


@pytest.mark.parametrize("table", PLAIN_TABLES)
def test_common_tables_are_accepted_without_jsonschema(table: dict[str, object]) -> None:
    assert configuration.plainly_valid(table, _schema())
    assert _jsonschema_errors(table) == []


@pytest.mark.parametrize("table", DOUBTFUL_OR_INVALID)
def test_a_table_in_doubt_is_left_to_jsonschema(table: dict[str, object]) -> None:
    assert not configuration.plainly_valid(table, _schema())


def _values() -> object:
    from hypothesis import strategies as st

    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 2_000_000),
        st.floats(-3, 100, allow_nan=False),
        st.sampled_from(["", "full", "error", "OAU", "2027-06-30", "x", "offline", "r"]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(
                st.sampled_from(["code", "key", "path", "reason", "expires", "max-lines", "z"]),
                inner,
                max_size=4,
            ),
        ),
        max_leaves=8,
    )


def test_the_quick_check_never_accepts_what_jsonschema_rejects() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    schema = _schema()
    keys = st.sampled_from([*schema["properties"], "unknown"])

    @settings(max_examples=400, deadline=None)
    @given(st.dictionaries(keys, _values(), max_size=4))
    def check(table: dict[str, object]) -> None:
        if configuration.plainly_valid(table, schema):
            assert _jsonschema_errors(table) == []

    check()


def test_a_plain_configuration_imports_no_jsonschema_even_without_a_cache(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    path = tmp_path / "s2slint.toml"
    path.write_text('output-format = "full"\nselect = ["OAU"]\n', encoding="utf-8")
    # What the interpreter's site hooks imported before (a .pth file may import
    # certifi, and importlib.resources with it) is not s2slint's doing.
    probe = (
        "import sys; before = set(sys.modules); from pathlib import Path; "
        "from s2slint.config import load_config; "
        f"load_config(Path({str(path)!r})); "
        "print(sorted(m for m in ('jsonschema', 'importlib.resources') "
        "if m in sys.modules and m not in before))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
