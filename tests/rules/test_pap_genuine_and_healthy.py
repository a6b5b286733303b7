"""The healthy bundle with every export (SharePoint-integrated, Get-HybridConfiguration
included) passes every OAU, PAP, DNS, FEA, HYB and SPS rule, each evaluated; the
genuine Exchange 2019 partner applications (Exchange Online, Graph, Teams, a disabled
CloudVoicemail, SfBLegacy) are not part of the Lync integration and produce no PAP finding."""

from __future__ import annotations

import shutil
from pathlib import Path

from bundle_lint import findings, lint_path, outcome, registry, sharepoint_spec

from s2slint.rule import Evaluated

FAMILIES = ("OAU", "PAP", "DNS", "FEA", "HYB", "SPS")
MINE = sorted(
    r.code for r in registry().rules if r.code.startswith(FAMILIES) and r.code != "DNS004"
)


def test_every_rule_of_these_families_is_evaluated_and_silent_on_the_healthy_bundle(
    tmp_path: Path,
) -> None:
    result = lint_path(sharepoint_spec()(tmp_path))
    assert len(MINE) >= 34
    reported = [f for f in result.findings if f.code.startswith(FAMILIES)]
    assert reported == []
    for code in MINE:
        assert isinstance(outcome(result, code), Evaluated), code


def test_genuine_exchange_partner_applications_give_no_pap_finding(
    tmp_path: Path, samples: Path
) -> None:
    bundle = tmp_path / "genuine"
    bundle.mkdir()
    shutil.copy(samples / "exchange2019-GetPartnerApplication.xml", bundle)
    result = lint_path(bundle)
    apps = result.model.exchange_partner_applications
    disabled = [a.name.value for a in apps if a.name and a.enabled and not a.enabled.value]
    assert "CloudVoicemail" in disabled
    assert [f for f in result.findings if f.code.startswith("PAP")] == []
    # Only SfBLegacy (00000004-..., trusted through the auth server) is Lync's: enabled.
    assert outcome(result, "PAP008") == Evaluated((), 1)
    assert outcome(result, "PAP009") == Evaluated((), 1)
    # Exchange Online's application has an empty Realm.
    assert findings(result, "HYB002") == []
    assert outcome(result, "HYB002") == Evaluated((), 1)
