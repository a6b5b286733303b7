"""The engine contains every failure and loses nothing."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import fixturegen
import pytest
from bundle_lint import AS_OF, findings, lint_path

from s2slint.config import Config
from s2slint.engine import lint
from s2slint.findings import Severity
from s2slint.loaders.base import LoadContext, Loader, LoadResult, Source
from s2slint.model import Model
from s2slint.plugins import load_registry
from s2slint.reporters.base import ReportOptions
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

CANARY = "Canary-Pa55-XYZ-9431"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    bundle = tmp_path / "bundle"
    spec = replace(
        fixturegen.BundleSpec(),
        exchange_autodiscover_url="https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml",
    )
    fixturegen.write_bundle(spec, bundle)
    return bundle


def test_a_broken_file_never_hides_the_findings_of_the_others(example: Path) -> None:
    (example / "lync" / "broken.xml").write_text(
        '<Objs xmlns="http://schemas.microsoft.com/powershell/2004/04">\n<Obj>\n'
    )
    (example / "notes.txt").write_text("call Bob about the certificate\n")
    (example / "unknown.xml").write_text("<Notes>call Bob</Notes>\n")
    (example / "empty.xml").write_bytes(b"")
    result = lint_path(example)
    assert [f.location.path for f in findings(result, "INP001")] == ["lync/broken.xml"]
    assert {f.location.path for f in findings(result, "INP002")} == {"unknown.xml", "empty.xml"}
    assert len(findings(result, "OAU001")) == 1
    kinds = {f.path: (f.kind, f.skipped) for f in result.files}
    assert kinds["lync/broken.xml"] == ("clixml", "")
    assert kinds["unknown.xml"] == (None, "")
    # Notes are no export: listed as skipped, without a finding (catalogue v2, INP002).
    assert kinds["notes.txt"] == (None, "not an export: plain text")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_the_bundle_is_listed_not_read(example: Path) -> None:
    os.mkfifo(example / "pipe")
    result = lint_path(example)
    (finding,) = [f for f in findings(result, "INP002") if f.location.path == "pipe"]
    assert "not a regular file" in finding.message
    assert len(findings(result, "OAU001")) == 1


def _raising_check(model: Model, ctx: RuleContext) -> Outcome:
    raise KeyError("boom")


def _raising_load(source: Source, ctx: LoadContext) -> LoadResult:
    raise RuntimeError("loader bug")


def test_a_rule_or_loader_that_raises_becomes_inp005_and_the_run_goes_on(example: Path) -> None:
    registry = load_registry(entry_points=False)
    broken_rule = Rule(
        code="XXX001",
        name="always-raises",
        severity=Severity.ERROR,
        summary="raises",
        doc=RuleDoc("w", "y", "", "", "", "nothing"),
        check=_raising_check,
    )
    broken_loader = Loader("broken", lambda s: s.path.name == "odd.dat", _raising_load, priority=1)
    (example / "odd.dat").write_text("data")
    registry = replace(
        registry,
        rules=(*registry.rules, broken_rule),
        loaders=(broken_loader, *registry.loaders),
    )
    result = lint([example], registry, Config(root=example), AS_OF, cwd=example)
    messages = [f.message for f in findings(result, "INP005")]
    assert any("rule XXX001 (always-raises) failed: KeyError" in m for m in messages)
    assert any("loader broken failed: RuntimeError: loader bug" in m for m in messages)
    assert isinstance(result.coverage["XXX001"], NotEvaluated)
    assert len(findings(result, "OAU001")) == 1


def test_pfx_password_never_appears_in_any_output(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = replace(fixturegen.BundleSpec(), include_oauth_pfx=True)
    fixturegen.write_bundle(spec, example)
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", CANARY)  # wrong password: INP003
    registry = load_registry(entry_points=False)
    result = lint([example], registry, Config(root=example), AS_OF, cwd=example)
    (finding,) = findings(result, "INP003")
    assert finding.location.path == "certs/oauth-token-issuer.pfx"
    for name, reporter in registry.reporters.items():
        output = reporter.render(result, ReportOptions())
        assert CANARY not in output, name
        assert "PRIVATE KEY" not in output, name


def test_the_right_pfx_password_opens_the_file(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixturegen.write_bundle(replace(fixturegen.BundleSpec(), include_oauth_pfx=True), example)
    monkeypatch.setenv("S2SLINT_PFX_PASSWORD", fixturegen.PFX_PASSWORD)
    result = lint_path(example)
    assert findings(result, "INP003") == []
    keyed = [c for c in result.model.certificates if c.origin == "pkcs12" and c.has_private_key]
    assert keyed and all(c.private_key_matches for c in keyed)


def test_findings_are_sorted_and_deduplicated(example: Path) -> None:
    result = lint_path(example)
    keys = [f.sort_key() for f in result.findings]
    assert keys == sorted(keys) and len(set(result.findings)) == len(result.findings)


def test_a_file_swapped_for_a_fifo_after_the_walk_is_refused_not_waited_on(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from s2slint.bundle import BundleFile
    from s2slint.engine.inputs import read_file

    fifo = example / "swapped.xml"
    os.mkfifo(fifo)
    problem = read_file(BundleFile(fifo, "swapped.xml", ()), ())
    assert not isinstance(problem, Source)
    assert problem.code == "INP004" and "no longer a regular file" in problem.message


def test_input_findings_do_not_depend_on_the_rules_plugin(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The core registers INP/SUP itself: a rules plugin that fails loses no INP finding."""
    import s2slint.rules as builtin_rules

    from s2slint.hooks import hookimpl

    @hookimpl
    def s2slint_rules() -> list[Rule]:
        raise RuntimeError("the rules plugin broke")

    monkeypatch.setattr(builtin_rules, "s2slint_rules", s2slint_rules)
    registry = load_registry(entry_points=False)
    assert [failure.plugin for failure in registry.failures] == ["s2slint.rules"]
    assert {rule.code[:3] for rule in registry.rules} == {"INP", "SUP"}
    (example / "lync" / "broken.xml").write_text(
        '<Objs xmlns="http://schemas.microsoft.com/powershell/2004/04">\n<Obj>\n'
    )
    (example / "notes.xml").write_text("<Notes>call Bob about the certificate</Notes>\n")
    result = lint([example], registry, Config(root=example), AS_OF, cwd=example)
    assert [f.location.path for f in findings(result, "INP001")] == ["lync/broken.xml"]
    assert [f.location.path for f in findings(result, "INP002")] == ["notes.xml"]
    assert {f.code[:3] for f in result.findings} == {"INP"}


def test_a_plugin_loader_reads_archive_members_too(example: Path) -> None:
    """Archive members are read with the run's loaders, plugins' included."""
    import zipfile

    def load_note(source: Source, ctx: LoadContext) -> LoadResult:
        return LoadResult("note")

    note = Loader("note", lambda s: s.data.startswith(b"NOTE:"), load_note, priority=1)
    with zipfile.ZipFile(example / "export.zip", "w") as archive:
        archive.writestr("DocItemSet/note.txt", "NOTE: exported by the plugin's tool\n")
    builtin = load_registry(entry_points=False)
    plain = lint([example], builtin, Config(root=example), AS_OF, cwd=example)
    assert [f.location.path for f in findings(plain, "INP002")] == ["export.zip"]
    registry = replace(builtin, loaders=(note, *builtin.loaders))
    result = lint([example], registry, Config(root=example), AS_OF, cwd=example)
    assert findings(result, "INP002") == []
