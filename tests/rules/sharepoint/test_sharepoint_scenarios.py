"""The SharePoint-integrated scenarios of the fixtures, and the PowerShell of each fix."""

from __future__ import annotations

from pathlib import Path

import fixturegen
import pytest
from powershell_check import assert_valid_powershell

from s2slint.rule import Evaluated
from s2slint.testing import lint_bundle

SPS = ("SPS001", "SPS002", "SPS003", "SPS004", "SPS005", "SPS006")
EXPECTED = {
    "sharepoint-healthy": set(),
    "sharepoint-issuer-missing": {"SPS001"},
    "sharepoint-issuer-misconfigured": {"SPS002", "SPS006"},
    "sharepoint-http": {"SPS004", "SPS005"},
    "oauth-cert-renewed-trusts-stale": {"SPS003"},
    "hybrid-auth-cert-not-republished": set(),
}
SCENARIOS = {scenario.name: scenario for scenario in fixturegen.SCENARIOS}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_scenario_shows_its_own_sharepoint_findings(name: str, tmp_path: Path) -> None:
    fixturegen.write_bundle(SCENARIOS[name].spec, tmp_path / name)
    result = lint_bundle(tmp_path / name)
    codes = {f.code for f in result.findings if f.code in SPS}
    assert codes == EXPECTED[name]
    for code in SPS:
        assert isinstance(result.coverage[code], Evaluated), (code, result.coverage[code])


def test_every_fix_is_real_powershell(tmp_path: Path) -> None:
    fixes: list[str] = []
    for name in sorted(EXPECTED):
        fixturegen.write_bundle(SCENARIOS[name].spec, tmp_path / name)
        fixes += [f.fix for f in lint_bundle(tmp_path / name).findings if f.code in SPS]
    assert len(fixes) >= 6 and all(fixes)
    assert_valid_powershell("\n".join(fixes))
