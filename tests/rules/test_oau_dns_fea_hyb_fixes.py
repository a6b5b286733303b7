"""Every fix the OAU, DNS, FEA and HYB rules print on the committed fixtures is valid PowerShell.

pscheck parses each finding's fix and checks its cmdlets and parameters against the
cmdlet reference; a fix never carries a `<placeholder>`.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from fixturegen import SCENARIOS
from powershell_check import assert_valid_powershell

from s2slint.testing import lint_bundle

FAMILIES = ("OAU", "DNS", "FEA", "HYB")


@pytest.mark.parametrize("scenario", [s.name for s in SCENARIOS])
def test_fixes_are_valid_powershell(scenario: str) -> None:
    result = lint_bundle(FIXTURES / scenario)
    fixes = [f.fix for f in result.findings if f.code.startswith(FAMILIES) and f.fix]
    reported = [f for f in result.findings if f.code.startswith(FAMILIES)]
    # A finding whose values the bundle holds carries its fix.
    assert len(fixes) == len(reported), [f.code for f in reported if not f.fix]
    if fixes:
        assert_valid_powershell("\n".join(fixes))
