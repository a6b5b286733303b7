"""Plugins: the example third-party plugin end to end, broken plugins, the built-in registry.

The example plugin (`tests/plugins/s2slint_example`) is made discoverable without pip:
its module is copied into a temporary folder next to a hand-written
`s2slint_example-0.1.0.dist-info/` (what a wheel install leaves), and `python -m
s2slint` runs with that folder on `PYTHONPATH`. `importlib.metadata` finds the entry
point exactly as it would for an installed distribution.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import textwrap
import tomllib
from dataclasses import replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
from exports import (
    PARTIAL,
    SVC,
    codes_in,
    oauth_xml,
    position_of,
    reference_rows,
    run_module,
    write_bundle,
)

from s2slint import plugins
from s2slint.config import Config
from s2slint.engine import lint
from s2slint.errors import PluginError
from s2slint.findings import Severity
from s2slint.plugins import load_registry
from s2slint.rule import Evaluated, Rule
from s2slint.testing import BundleWriter, Case, case_id, check_case

EXAMPLE = Path(__file__).resolve().parents[1] / "plugins" / "s2slint_example"


# ------------------------------------------------------------ fake installations


def add_distribution(
    site: Path, dist: str, entry_points: dict[str, str], version: str = "0.1.0"
) -> None:
    """Write the `.dist-info` folder an installed wheel leaves behind."""
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[s2slint]\n{lines}", encoding="utf-8")


def add_module(site: Path, name: str, source: str) -> None:
    """Write a one-file plugin package `name` into `site`."""
    package = site / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")


def install_plugin(site: Path, name: str, source: str, version: str = "0.1.0") -> None:
    """Install plugin `name`: module `s2slint_<name>` of `source`, distribution `s2slint-<name>`."""
    add_module(site, f"s2slint_{name}", source)
    add_distribution(site, f"s2slint-{name}", {name: f"s2slint_{name}"}, version=version)


def hook_plugin(statements: str, hook: str = "s2slint_rules", preamble: str = "") -> str:
    """Return the source of a plugin module implementing `hook` with `statements`.

    `statements` (lines after the first indented by four spaces) make the hook's body;
    `preamble` (imports, functions) stands between the `hookimpl` import and the hook.
    """
    return (
        f"from s2slint.hookspecs import hookimpl\n{preamble}\n\n"
        f"@hookimpl\ndef {hook}():\n    {statements}\n"
    )


def rule_plugin(rule: str, preamble: str = "") -> str:
    """Return the source of a plugin whose `s2slint_rules` hook returns `[rule]`.

    `rule` is a `Rule(...)` expression in which `doc` is a minimal `RuleDoc`; `preamble`
    may define what else it uses (a `check` function).
    """
    imports = "from s2slint.findings import Severity\nfrom s2slint.rule import Rule, RuleDoc\n"
    return hook_plugin(
        f'doc = RuleDoc("what", "why", "", "", "", "nothing")\n    return [{rule}]',
        preamble=f"{imports}\n\n{preamble}" if preamble else imports,
    )


UNKNOWN_HOOK_PLUGIN = hook_plugin("return []", hook="s2slint_rulez")
"""A plugin whose one hook has a misspelt name."""


def install_example(site: Path) -> None:
    """Make the example plugin importable and discoverable from `site`."""
    shutil.copytree(
        EXAMPLE / "s2slint_example",
        site / "s2slint_example",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    add_distribution(
        site, project["name"], project["entry-points"]["s2slint"], version=project["version"]
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder standing in for site-packages, with the example plugin installed."""
    folder = tmp_path / "site"
    folder.mkdir()
    install_example(folder)
    return folder


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A bundle whose OAuth configuration yields OAU001 and XMP001 (empty Realm)."""
    return write_bundle(tmp_path / "bundle", {"oauth.xml": (oauth_xml(), "utf-16")})


def run_with(site: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m s2slint` with `site` on PYTHONPATH; never a traceback on stderr."""
    pythonpath = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])
    env = {"PYTHONPATH": pythonpath, "PYTHONDONTWRITEBYTECODE": "1"}
    return run_module(*argv, cwd=cwd, env=env)


def check_beside_failing_plugin(site: Path, cwd: Path) -> str:
    """Check `bundle` (concise) with a failing plugin installed in `site`; return stderr.

    The failure makes the run exit 2, yet the findings of the built-in rules and of the
    healthy example plugin are still printed.
    """
    process = run_with(site, "check", *PARTIAL, "bundle", "--output-format", "concise", cwd=cwd)
    assert process.returncode == 2
    assert sorted(codes_in(process.stdout)) == ["OAU001", "XMP001"]
    return process.stderr


def load_example_module() -> ModuleType:
    """Import the example plugin's module from its source, without touching sys.path."""
    spec = importlib.util.spec_from_file_location(
        "s2slint_example_under_test", EXAMPLE / "s2slint_example" / "__init__.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------- the example plugin


def test_example_plugin_is_a_real_installable_project() -> None:
    pyproject = tomllib.loads((EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["build-system"]["build-backend"] == "setuptools.build_meta"
    project = pyproject["project"]
    assert project["name"] == "s2slint-example"
    assert project["version"] == "0.1.0"
    assert project["entry-points"]["s2slint"] == {"example": "s2slint_example"}
    assert any(dep.startswith("s2slint") for dep in project["dependencies"])
    assert (EXAMPLE / "s2slint_example" / "__init__.py").is_file()
    assert (EXAMPLE / project["readme"]).is_file()


def test_fake_installation_matches_what_pip_would_write(site: Path) -> None:
    info = site / "s2slint_example-0.1.0.dist-info"
    assert (info / "METADATA").read_text(encoding="utf-8") == (
        "Metadata-Version: 2.1\nName: s2slint-example\nVersion: 0.1.0\n"
    )
    assert (info / "entry_points.txt").read_text(encoding="utf-8") == (
        "[s2slint]\nexample = s2slint_example\n"
    )
    [distribution] = metadata.distributions(path=[str(site)])
    assert distribution.metadata["Name"] == "s2slint-example"
    [entry_point] = distribution.entry_points
    assert (entry_point.group, entry_point.name, entry_point.value) == (
        "s2slint",
        "example",
        "s2slint_example",
    )


def test_example_rule_is_well_formed() -> None:
    module = load_example_module()
    [rule] = module.s2slint_rules()
    assert isinstance(rule, Rule)
    assert (rule.code, rule.name, rule.severity) == ("XMP001", "realm-not-set", Severity.INFO)
    assert rule.check is not None
    for part in ("what", "why", "bad", "good", "fix"):
        assert getattr(rule.doc, part).strip(), part
    assert rule.evidence == "a Get-CsOAuthConfiguration export"  # from requires=
    assert rule.doc.references and all(u.startswith("https://") for u in rule.doc.references)
    assert rule.code[:3] not in {r.code[:3] for r in load_registry(entry_points=False).rules}


def test_example_rule_in_process(tmp_path: Path) -> None:
    module = load_example_module()
    builtin = load_registry(entry_points=False)
    registry = plugins.Registry(
        rules=tuple(sorted([*builtin.rules, *module.RULES], key=lambda r: r.code)),
        loaders=builtin.loaders,
        reporters=builtin.reporters,
        failures=(),
    )
    empty, named, missing = (tmp_path / name for name in ("empty", "named", "missing"))
    for folder in (empty, named, missing):
        folder.mkdir()
    (empty / "oauth.xml").write_text(oauth_xml(SVC), encoding="utf-16")
    (named / "oauth.xml").write_text(oauth_xml(SVC, realm="litwareinc.com"), encoding="utf-16")
    (missing / "oauth.xml").write_text(
        oauth_xml(SVC).replace('      <S N="Realm"></S>\n', ""), encoding="utf-8"
    )
    when = datetime(2026, 11, 21, tzinfo=UTC)
    result = lint([empty], registry, Config(), when, select=["XMP"], cwd=tmp_path)
    [finding] = result.findings
    line, column = position_of(oauth_xml(SVC), '<S N="Realm">')
    assert (finding.code, finding.name, finding.severity) == (
        "XMP001",
        "realm-not-set",
        Severity.INFO,
    )
    assert (finding.location.path, finding.location.line, finding.location.column) == (
        "empty/oauth.xml",
        line,
        column,
    )

    assert lint([named], registry, Config(), when, select=["XMP"], cwd=tmp_path).findings == ()

    [absent] = lint([missing], registry, Config(), when, select=["XMP"], cwd=tmp_path).findings
    assert absent.code == "XMP001"
    assert absent.location.line == position_of(oauth_xml(SVC), '<Obj RefId="0">')[0]

    # Selected by default, like every rule; evaluated on one configuration.
    result = lint([named], registry, Config(), when, cwd=tmp_path)
    assert result.coverage["XMP001"] == Evaluated((), 1)


def test_rules_lists_the_plugin_rule(site: Path, tmp_path: Path) -> None:
    process = run_with(site, "rules", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    [row] = [line for line in process.stdout.splitlines() if line.startswith("XMP001")]
    assert row.split()[:3] == ["XMP001", "realm-not-set", "info"]
    assert "OAU001" in process.stdout  # built-ins are still there

    process = run_with(site, "rules", "--output-format", "json", cwd=tmp_path)
    rows = {r["code"]: r for r in json.loads(process.stdout)}
    assert rows["XMP001"]["plugin"] == "example"
    assert rows["OAU001"]["plugin"] == "s2slint"


def test_check_reports_the_plugin_finding_end_to_end(
    site: Path, bundle: Path, tmp_path: Path
) -> None:
    process = run_with(
        site,
        "check",
        *PARTIAL,
        "bundle",
        "--select",
        "XMP",
        "--output-format",
        "concise",
        cwd=tmp_path,
    )
    line, column = position_of(oauth_xml(), '<S N="Realm">')
    assert process.stdout == (
        f"bundle/oauth.xml:{line}:{column}: XMP001 [info] the Lync OAuth configuration has no "
        "Realm; set it to the default SIP domain (realm-not-set)\n"
    )
    assert process.returncode == 0  # info is below the default --fail-on
    assert process.stderr == ""

    process = run_with(
        site, "check", *PARTIAL, "bundle", "--select", "XMP", "--fail-on", "info", cwd=tmp_path
    )
    assert process.returncode == 1

    process = run_with(
        site, "check", *PARTIAL, "bundle", "--output-format", "concise", cwd=tmp_path
    )
    assert sorted(codes_in(process.stdout)) == [
        "OAU001",
        "XMP001",
    ]  # on by default, like every rule

    process = run_with(
        site,
        "check",
        *PARTIAL,
        "bundle",
        "--ignore",
        "XMP",
        "--output-format",
        "concise",
        cwd=tmp_path,
    )
    assert sorted(codes_in(process.stdout)) == ["OAU001"]

    process = run_with(
        site,
        "check",
        *PARTIAL,
        "bundle",
        "--select",
        "realm-not-set",
        "--output-format",
        "json",
        cwd=tmp_path,
    )
    [finding] = json.loads(process.stdout)["findings"]
    assert finding["code"] == "XMP001" and finding["pointer"] == "obj[0].Realm"


def test_plugin_rule_is_configurable_like_a_builtin(
    site: Path, bundle: Path, tmp_path: Path
) -> None:
    (bundle / "s2slint.toml").write_text(
        'select = ["XMP"]\n\n[rules.realm-not-set]\nseverity = "error"\n', encoding="utf-8"
    )
    process = run_with(site, "check", "bundle", "--output-format", "concise", cwd=tmp_path)
    assert " XMP001 [error] " in process.stdout
    assert process.returncode == 1


def test_plugin_rule_not_evaluated_without_its_evidence(site: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    process = run_with(site, "check", "notes.txt", "--output-format", "json", cwd=tmp_path)
    summary = json.loads(process.stdout)["summary"]
    assert "XMP001" in summary["not_evaluated"]
    assert summary["not_evaluated_reasons"]["XMP001"] == "a Get-CsOAuthConfiguration export"


def test_rule_renders_the_plugin_rule_docs(site: Path, tmp_path: Path) -> None:
    process = run_with(site, "rule", "XMP001", cwd=tmp_path)
    assert process.returncode == 0
    out = process.stdout
    assert out.startswith("# XMP001 realm-not-set\n")
    for heading in (
        "## What it does",
        "## Why it matters",
        "## Example",
        "## Fix",
        "## References",
    ):
        assert heading in out
    assert 'Set-CsOAuthConfiguration -Identity global -Realm "litwareinc.com"' in out
    assert run_with(site, "rule", "realm-not-set", cwd=tmp_path).stdout == out
    all_docs = run_with(site, "rule", "--all", cwd=tmp_path).stdout
    assert "## XMP001 realm-not-set" in all_docs


# ---------------------------------------------------------------- broken plugins


def test_broken_plugin_is_named_and_the_run_goes_on(
    site: Path, bundle: Path, tmp_path: Path
) -> None:
    install_plugin(
        site,
        "broken",
        'raise ImportError("s2slint_broken needs the package ldap3, which is not installed")\n',
        version="2.3.4",
    )
    # Built-in findings, and those of the healthy plugin, are still printed.
    assert check_beside_failing_plugin(site, tmp_path) == (
        's2slint: error: plugin "broken (s2slint-broken 2.3.4)" failed to load: ImportError: '
        "s2slint_broken needs the package ldap3, which is not installed\n"
    )
    # A plugin failure is an error of the tool: --exit-zero does not hide it.
    assert run_with(site, "check", *PARTIAL, "bundle", "--exit-zero", cwd=tmp_path).returncode == 2
    # Listing rules still works, and still says so.
    process = run_with(site, "rules", cwd=tmp_path)
    assert 'plugin "broken (s2slint-broken 2.3.4)" failed to load' in process.stderr
    assert "XMP001" in process.stdout


def test_plugin_redefining_a_builtin_code_stops_the_run(
    site: Path, bundle: Path, tmp_path: Path
) -> None:
    install_plugin(
        site,
        "dup",
        rule_plugin('Rule("OAU001", "my-autodiscover-check", Severity.ERROR, "summary", doc)'),
    )
    process = run_with(site, "check", "bundle", cwd=tmp_path)
    assert process.returncode == 2
    assert process.stdout == ""
    assert process.stderr == (
        's2slint: error: rule OAU001 is defined twice: by plugin "s2slint.rules" '
        'and by plugin "s2slint:dup"\n'
    )


def test_two_plugins_with_one_rule_name_are_both_named(
    site: Path, bundle: Path, tmp_path: Path
) -> None:
    install_plugin(
        site,
        "copycat",
        rule_plugin('Rule("CPC001", "realm-not-set", Severity.INFO, "summary", doc)'),
    )
    process = run_with(site, "rules", cwd=tmp_path)
    assert process.returncode == 2
    assert "defined twice" in process.stderr
    assert '"s2slint:copycat"' in process.stderr and '"s2slint:example"' in process.stderr
    assert "realm-not-set" in process.stderr


def test_hook_that_raises_is_named_and_the_rest_runs(
    site: Path, bundle: Path, tmp_path: Path
) -> None:
    install_plugin(site, "raiser", hook_plugin('raise RuntimeError("rules table is corrupt")'))
    [error] = check_beside_failing_plugin(site, tmp_path).splitlines()
    assert "raiser" in error
    assert "s2slint_rules() raised RuntimeError: rules table is corrupt" in error


def test_hook_returning_something_else_than_rules(site: Path, bundle: Path, tmp_path: Path) -> None:
    install_plugin(site, "sloppy", hook_plugin('return ["XYZ001"]'))
    stderr = check_beside_failing_plugin(site, tmp_path)
    assert "sloppy" in stderr and "'XYZ001'" in stderr


def test_unknown_hook_is_reported_and_the_rest_runs(
    site: Path, bundle: Path, tmp_path: Path
) -> None:
    install_plugin(site, "typo", UNKNOWN_HOOK_PLUGIN)
    stderr = check_beside_failing_plugin(site, tmp_path)
    assert "s2slint-typo" in stderr and "s2slint_rulez" in stderr


def test_unknown_hook_names_the_plugin_like_other_failures(
    site: Path, bundle: Path, tmp_path: Path
) -> None:
    install_plugin(site, "typo", UNKNOWN_HOOK_PLUGIN)
    process = run_with(site, "check", "bundle", cwd=tmp_path)
    assert 'plugin "typo (s2slint-typo 0.1.0)"' in process.stderr
    assert "<module" not in process.stderr


def test_rule_whose_check_raises_becomes_inp005(site: Path, bundle: Path, tmp_path: Path) -> None:
    install_plugin(
        site,
        "crashy",
        rule_plugin(
            'Rule("CRS001", "always-crashes", Severity.WARNING, "summary", doc, check)',
            preamble='def check(model, ctx):\n    raise KeyError("ExchangeAutodiscoverUrl")\n',
        ),
    )
    process = run_with(site, "check", *PARTIAL, "bundle", "--output-format", "json", cwd=tmp_path)
    assert process.returncode == 1  # a finding, not a failure of the tool
    assert process.stderr == ""
    document = json.loads(process.stdout)
    by_code = {f["code"]: f for f in document["findings"]}
    assert set(by_code) == {"INP005", "OAU001", "XMP001"}
    assert "rule CRS001 (always-crashes) failed: KeyError" in by_code["INP005"]["message"]
    assert "CRS001" in document["summary"]["not_evaluated"]


def test_entry_point_to_a_missing_module_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = metadata.EntryPoint(
        name="ghost", value="s2slint_module_that_does_not_exist", group="s2slint"
    )
    monkeypatch.setattr(
        plugins.metadata, "entry_points", lambda group: [missing] if group == "s2slint" else []
    )
    registry = load_registry()
    [failure] = registry.failures
    assert failure.describe() == (
        'plugin "ghost" failed to load: ModuleNotFoundError: '
        "No module named 's2slint_module_that_does_not_exist'"
    )
    assert registry.rule("OAU001") is not None  # built-ins still loaded


def test_duplicate_rules_raise_plugin_error_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    original = plugins._collect

    def doubled(manager, hook_name, failures, accept):  # type: ignore[no-untyped-def]
        items = original(manager, hook_name, failures, accept)
        if hook_name == "s2slint_rules":
            rule = next(item for _, item in items if getattr(item, "code", "") == "PAP001")
            items.append(("s2slint:twin", rule))
        return items

    monkeypatch.setattr(plugins, "_collect", doubled)
    with pytest.raises(
        PluginError, match=r"PAP001 is defined twice: .*s2slint\.rules.*s2slint:twin"
    ):
        load_registry(entry_points=False)


# --------------------------------------------------------------- built-in registry


def test_builtin_registry_is_sorted_and_complete() -> None:
    registry = load_registry(entry_points=False)
    codes = [rule.code for rule in registry.rules]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert len({rule.name for rule in registry.rules}) == len(codes)
    assert registry.failures == ()
    assert {"CRT002", "CRT003", "DNS001", "OAU001", "PAP001"} <= set(codes)
    assert {f"INP00{i}" for i in range(1, 6)} <= set(codes)
    assert set(registry.reporters) >= {"full", "concise", "json"}
    assert registry.loaders


def test_builtin_rules_have_codes_docs_and_the_catalogue_identity() -> None:
    reference = reference_rows()
    assert len(reference) > 40, "the rules.md tables were not parsed"
    for rule in load_registry(entry_points=False).rules:
        assert re.fullmatch(r"[A-Z]{3}[0-9]{3}", rule.code), rule.code
        assert rule.plugin == "s2slint"
        assert rule.doc.what.strip() and rule.doc.why.strip() and rule.evidence.strip()
        assert rule.summary.strip()
        assert rule.code in reference, f"{rule.code} is not in rules.md"
        assert (rule.name, rule.severity.label) == reference[rule.code], rule.code


def test_registry_lookup_by_code_or_name() -> None:
    registry = load_registry(entry_points=False)
    assert registry.rule("oau001") is registry.rule("autodiscover-xml-not-svc")
    assert registry.rule(" CRT003 ") is registry.rule("Weak-Key")
    assert registry.rule("NOPE001") is None


def _oauth_bundle(url: str = SVC, realm: str = "") -> BundleWriter:
    """Return a bundle writer for `s2slint.testing.Case`: one OAuth configuration export."""

    def write(tmp_path: Path) -> Path:
        return write_bundle(tmp_path / "bundle", {"oauth.xml": (oauth_xml(url, realm), "utf-16")})

    return write


def _no_oauth_export(tmp_path: Path) -> Path:
    return write_bundle(tmp_path / "bundle", {"notes.txt": ("nothing exported\n", "utf-8")})


EXAMPLE_CASES = (
    Case("an empty Realm is reported", _oauth_bundle(), expect=("oauth.xml",), checked=1),
    Case("a Realm that is set passes", _oauth_bundle(realm="litwareinc.com"), checked=1),
    Case("no OAuth configuration export", _no_oauth_export, outcome="not evaluated"),
    Case("no Exchange integration", _oauth_bundle(url=""), outcome="not applicable"),
)


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=case_id)
def test_example_rule_cases(case: Case, tmp_path: Path) -> None:
    """A plugin author tests a rule with the same case table as the built-in rules."""
    builtin = load_registry(entry_points=False)
    registry = replace(
        builtin,
        rules=tuple(sorted([*builtin.rules, *load_example_module().RULES], key=lambda r: r.code)),
    )
    check_case(case, "XMP001", tmp_path, plugins=registry)


def test_an_installed_plugin_is_never_hidden_by_a_cached_run(
    site: Path, bundle: Path, tmp_path: Path
) -> None:
    """A run the cache served before the plugin was installed is not served after it.

    Without a plugin the run is found by the installed code's identity (a replay key);
    with one installed that identity is not taken, and the run key names every rule.
    """
    cache = tmp_path / "cache"
    argv = ("check", *PARTIAL, "bundle", "--output-format", "concise", "--cache-dir", str(cache))
    without = run_module(*argv, cwd=tmp_path)
    assert "XMP001" not in codes_in(without.stdout)
    assert run_module(*argv, cwd=tmp_path).stdout == without.stdout  # replayed
    replays = sorted(p for p in cache.rglob("replays/*") if p.is_file())
    assert len(replays) == 1
    first, second = run_with(site, *argv, cwd=tmp_path), run_with(site, *argv, cwd=tmp_path)
    assert "XMP001" in codes_in(first.stdout)
    assert second.stdout == first.stdout
    assert sorted(p for p in cache.rglob("replays/*") if p.is_file()) == replays
