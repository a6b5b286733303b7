"""Every PowerShell text s2slint prints parses and uses only real cmdlets and parameters.

pscheck (`../shared/tools/pscheck.py`: tree-sitter with the tree-sitter-powershell
grammar, and Microsoft's cmdlet reference) finds no syntax error, no unknown cmdlet or
parameter, no parameter set left unsatisfied and no `<placeholder>` (PowerShell rejects
a bare `<`). Checked: every rule's documentation, every finding's fix on every committed
fixture (each rule finding carries one), and the README's PowerShell blocks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES
from fixturegen import SCENARIOS
from powershell_check import assert_valid_powershell, pscheck

from s2slint.config import Config
from s2slint.ruledoc import render_rule
from s2slint.testing import lint_bundle, registry

ROOT = Path(__file__).resolve().parents[1]
ENGINE_CODES = ("INP", "SUP")
"""The core's own findings: about files and suppressions, fixed by editing them."""


def test_every_rule_documentation_passes() -> None:
    pages = "\n".join(render_rule(rule) for rule in registry().rules)
    assert pages.count("```powershell") >= 40
    problems = pscheck(pages, markdown=True)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scenario", [s.name for s in SCENARIOS])
def test_every_finding_of_every_fixture_carries_a_valid_fix(scenario: str) -> None:
    bundle = FIXTURES / scenario
    result = lint_bundle(bundle, config=Config(root=bundle))
    reported = [f for f in result.findings if not f.code.startswith(ENGINE_CODES)]
    assert [f.code for f in reported if not f.fix.strip()] == []
    if reported:
        assert_valid_powershell("\n".join(f.fix for f in reported))


def test_the_readme_powershell_passes() -> None:
    problems = pscheck((ROOT / "README.md").read_text(encoding="utf-8"), markdown=True)
    assert not problems, "\n".join(problems)


def test_a_placeholder_is_caught() -> None:
    problems = pscheck("Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint <thumbprint>")
    assert any("placeholder" in line for line in problems)
