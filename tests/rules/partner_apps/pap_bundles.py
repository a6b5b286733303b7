"""Bundles the PAP rule tests share: the healthy litwareinc bundle, changed or cut down.

Importable from the test modules beside it (pytest puts their folder on the path).
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from bundle_lint import spec

from s2slint.results import RunResult
from s2slint.testing import BundleWriter, Case, check_case, findings_of

LYNC_APPS = "lync/partner-applications.xml"
EXCHANGE_APPS = "exchange/partner-applications.xml"
EXCHANGE_ID = "00000002-0000-0ff1-ce00-000000000000"
SHAREPOINT_ID = "00000003-0000-0ff1-ce00-000000000000"
LYNC_ID = "00000004-0000-0ff1-ce00-000000000000"
SHAREPOINT_ONLY = (("microsoft.sharepoint", "Full"),)
"""Lync trusts SharePoint only (`partner_trust_levels`)."""


def without(*paths: str, **changes: object) -> BundleWriter:
    """Return a writer of the healthy bundle changed by `changes`, with the exports at `paths` removed."""
    base = spec(**changes)

    def write(tmp_path: Path) -> Path:
        bundle = base(tmp_path)
        for path in paths:
            (bundle / path).unlink()
        return bundle

    return write


NO_PARTNER_EXPORTS = without(LYNC_APPS, EXCHANGE_APPS)
"""Neither side's partner applications were exported."""


OLDEST = ("Exchange Server 2013", "Lync Server 2013")
"""The oldest products of the integration: a printed fix must run there (and so later)."""


@functools.cache
def _pscheck() -> ModuleType | None:
    """Load the shared PowerShell checker (`shared/tools/pscheck.py` beside the project)."""
    for folder in Path(__file__).resolve().parents:
        script = folder / "shared" / "tools" / "pscheck.py"
        if script.is_file():
            found = importlib.util.spec_from_file_location("pscheck", script)
            if found is None or found.loader is None:
                return None
            module = importlib.util.module_from_spec(found)
            found.loader.exec_module(module)
            return module
    return None


def pscheck_problems(text: str) -> list[str]:
    """Return what pscheck says is wrong with PowerShell `text` (cmdlets, parameters, syntax).

    Checked against the oldest product versions; skips the test when the checker or
    its grammar is not installed.
    """
    checker = _pscheck()
    if checker is None:
        pytest.skip("shared/tools/pscheck.py is not beside the project")
    pytest.importorskip("tree_sitter_powershell")
    script = Path(checker.__file__ or "")
    reference = json.loads(
        (script.parent.parent / "reference" / "cmdlets.json").read_text(encoding="utf-8")
    )
    check = checker.Checker(reference, list(OLDEST))
    check.check(checker.blocks_of(text, False))
    return [f"line {line}: {kind}: {message}" for line, kind, message in check.problems]


def check_with_fixes(case: Case, code: str, tmp_path: Path) -> RunResult:
    """Run a case and prove each finding's fix: present, and valid PowerShell for the products."""
    result = check_case(case, code, tmp_path)
    for finding in findings_of(result, code):
        assert finding.fix, f"{case.name}: {code} finding without a fix: {finding.message}"
        problems = pscheck_problems(finding.fix)
        assert not problems, f"{case.name}: {code} fix fails pscheck:\n{finding.fix}\n{problems}"
    return result


def assert_documented_fix_valid(code: str) -> None:
    """The rule's documented fix (as `s2slint rule CODE` prints it) passes pscheck."""
    from s2slint.ruledoc import render_rule
    from s2slint.testing import registry

    rule = registry().rule(code)
    assert rule is not None
    checker = _pscheck()
    if checker is None:
        pytest.skip("shared/tools/pscheck.py is not beside the project")
    pytest.importorskip("tree_sitter_powershell")
    text = render_rule(rule)
    assert "<" not in rule.doc.fix, rule.doc.fix
    problems = pscheck_problems("\n".join(_fenced_powershell(text)))
    assert not problems, problems


def _fenced_powershell(markdown: str) -> list[str]:
    """The lines of the ```powershell blocks of a rendered rule page."""
    lines: list[str] = []
    inside = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            inside = line.strip() == "```powershell"
            continue
        if inside:
            lines.append(line)
    return lines
