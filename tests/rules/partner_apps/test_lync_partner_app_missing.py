"""PAP005 lync-partner-app-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome, spec
from pap_bundles import (
    EXCHANGE_APPS,
    LYNC_APPS,
    LYNC_ID,
    assert_documented_fix_valid,
    check_with_fixes,
    without,
)

from s2slint.rule import NotApplicable, NotEvaluated
from s2slint.testing import Case, case_id

EXCHANGE_ONLINE_ONLY = {
    "partner_apps_via_oauth_server": ("microsoft.exchange",),
    "exchange_lync_app": False,
    "exchange_sfb_legacy": True,
}
"""Lync trusts Exchange Online through the OAuth server; Exchange has the wizard's apps only."""
EXCHANGE_TRUSTS_THE_POOL = (
    "cd $exscripts\n.\\Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl "
    "'https://atl-cs-001.litwareinc.com/metadata/json/1' -ApplicationType Lync\n"
    "iisreset atl-exch-001.litwareinc.com"
)

CASES = (
    Case("Exchange trusts the on-premises pool", spec(), checked=1),
    Case(
        "SfBLegacy beside Exchange's application for the pool (hybrid) passes",
        spec(exchange_sfb_legacy=True),
        checked=1,
    ),
    Case(
        # SfBLegacy trusts Skype for Business Online, not the on-premises pool.
        "Exchange has only SfBLegacy for Lync",
        spec(exchange_lync_app=False, exchange_sfb_legacy=True),
        expect=(EXCHANGE_APPS,),
        contains=('"SfBLegacy" (Skype for Business Online\'s)',),
        fix_contains=(EXCHANGE_TRUSTS_THE_POOL,),
    ),
    Case(
        # Exchange Online's partner application (00000002-...) is not one for Lync.
        "Exchange has only its Exchange Online application",
        spec(exchange_lync_app=False),
        expect=(EXCHANGE_APPS,),
        contains=("Exchange has no partner application for on-premises Lync",),
        fix_contains=(EXCHANGE_TRUSTS_THE_POOL,),
    ),
    Case(
        "a metadata URL on the pool identifies Exchange's application for Lync",
        spec(exchange_lync_app_id="8a3f7b1c-0d2e-4f5a-9b6c-7d8e9f0a1b2c"),
        checked=1,
    ),
    Case(
        "an Exchange Online deployment has no on-premises integration",
        spec(**EXCHANGE_ONLINE_ONLY),
        outcome="not applicable",
    ),
    Case(
        "Lync trusts Exchange Online only while Exchange trusts the pool",
        spec(partner_apps_via_oauth_server=("microsoft.exchange",), exchange_sfb_legacy=True),
        checked=0,
    ),
    Case("no Exchange partner applications", without(EXCHANGE_APPS), outcome="not evaluated"),
    Case("no Lync partner applications", without(LYNC_APPS), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_lync_partner_app_missing(case: Case, tmp_path: Path) -> None:
    check_with_fixes(case, "PAP005", tmp_path)


def test_exchange_without_an_application_for_lync_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_lync_app=False)
    (finding,) = findings(result, "PAP005")
    assert finding.message == (
        'Lync trusts on-premises Exchange (partner application "microsoft.exchange"), but '
        "Exchange has no partner application for on-premises Lync (a metadata URL on a Lync "
        f"pool, or identifier {LYNC_ID} without UseAuthServer); Get-PartnerApplication has "
        '"Exchange Online"'
    )
    # Reported in the export that lacks it, with Lync's application related.
    assert finding.location.path == "exchange/partner-applications.xml"
    assert [r.path for r in finding.related] == ["lync/partner-applications.xml"]


def test_the_not_applicable_reason_names_the_missing_integration(tmp_path: Path) -> None:
    state = outcome(lint_spec(tmp_path, **EXCHANGE_ONLINE_ONLY), "PAP005")
    assert state == NotApplicable("on-premises Exchange integration is not configured")


def test_pap005_needs_exchanges_partner_applications(tmp_path: Path) -> None:
    bundle = without(EXCHANGE_APPS)(tmp_path)
    state = outcome(lint_path(bundle), "PAP005")
    assert state == NotEvaluated("an Exchange Get-PartnerApplication export")


def test_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_valid("PAP005")
