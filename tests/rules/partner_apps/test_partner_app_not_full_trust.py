"""PAP001 partner-app-not-full-trust."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_spec, spec
from pap_bundles import LYNC_APPS, assert_documented_fix_valid, check_with_fixes, without

from s2slint.testing import Case, case_id

OTHER = "contoso.recorder"

CASES = (
    Case("Full trust on both applications passes", spec(), checked=2),
    Case(
        "Exchange at Application level",
        spec(
            partner_trust_levels=(
                ("microsoft.exchange", "Application"),
                ("microsoft.sharepoint", "Full"),
            )
        ),
        expect=(LYNC_APPS,),
        contains=('"microsoft.exchange" (Exchange) has ApplicationTrustLevel "Application"',),
        fix_contains=(
            "Set-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full",
        ),
    ),
    Case(
        "SharePoint at User level",
        spec(
            partner_trust_levels=(("microsoft.exchange", "Full"), ("microsoft.sharepoint", "User"))
        ),
        expect=(LYNC_APPS,),
        contains=('"microsoft.sharepoint" (SharePoint) has ApplicationTrustLevel "User"',),
        fix_contains=(
            "Set-CsPartnerApplication -Identity 'microsoft.sharepoint' -ApplicationTrustLevel Full",
        ),
    ),
    Case(
        # Evaluated (the export is there) with nothing relevant to check.
        "an export with no Exchange or SharePoint application",
        spec(
            partner_trust_levels=((OTHER, "User"),),
            partner_app_ids=((OTHER, "6a0c2e4f-8b1d-4c3a-9e5f-7d6b8a9c0e1f"),),
            partner_app_metadata_urls=((OTHER, "https://recorder.litwareinc.com/metadata/json/1"),),
        ),
        checked=0,
    ),
    Case("no partner application export", without(LYNC_APPS), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_partner_app_not_full_trust(case: Case, tmp_path: Path) -> None:
    check_with_fixes(case, "PAP001", tmp_path)


def test_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_valid("PAP001")


@pytest.mark.parametrize(
    ("identity", "level", "product"),
    [
        ("microsoft.exchange", "Application", "Exchange"),
        ("microsoft.sharepoint", "User", "SharePoint"),
    ],
)
def test_other_trust_levels_are_reported(
    tmp_path: Path, identity: str, level: str, product: str
) -> None:
    levels = tuple(
        (name, level if name == identity else "Full")
        for name in ("microsoft.exchange", "microsoft.sharepoint")
    )
    result = lint_spec(tmp_path, partner_trust_levels=levels)
    (finding,) = findings(result, "PAP001")
    assert finding.message == (
        f'partner application "{identity}" ({product}) has ApplicationTrustLevel "{level}"; '
        'the integration needs "Full"'
    )
    assert finding.location.pointer is not None
    assert finding.location.pointer.endswith(".ApplicationTrustLevel")
