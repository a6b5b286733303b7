"""PAP008 partner-app-disabled."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_spec, spec
from pap_bundles import (
    EXCHANGE_APPS,
    LYNC_APPS,
    NO_PARTNER_EXPORTS,
    assert_documented_fix_valid,
    check_with_fixes,
)

from s2slint.testing import Case, case_id

CASES = (
    Case("enabled applications pass", spec(), checked=3),
    Case(
        "Lync's applications are disabled",
        spec(partner_apps_enabled=False),
        expect=(LYNC_APPS, LYNC_APPS),
        checked=3,
        fix_contains=(
            "Set-CsPartnerApplication -Identity 'microsoft.exchange' -Enabled $True",
            "Set-CsPartnerApplication -Identity 'microsoft.sharepoint' -Enabled $True",
        ),
    ),
    Case(
        "Exchange's application for Lync is disabled",
        spec(exchange_lync_app_enabled=False),
        expect=(EXCHANGE_APPS,),
        contains=("(Lync) is disabled",),
        fix_contains=("Set-PartnerApplication -Identity 'LyncEnterprise-",),
    ),
    Case("no partner application export", NO_PARTNER_EXPORTS, outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_partner_app_disabled(case: Case, tmp_path: Path) -> None:
    check_with_fixes(case, "PAP008", tmp_path)


def test_disabled_lync_applications_are_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, partner_apps_enabled=False)
    assert [f.message for f in findings(result, "PAP008")] == [
        'partner application "microsoft.exchange" (Exchange) is disabled',
        'partner application "microsoft.sharepoint" (SharePoint) is disabled',
    ]
    assert {f.location.pointer for f in findings(result, "PAP008")} == {
        "obj[0].Enabled",
        "obj[1].Enabled",
    }


def test_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_valid("PAP008")
