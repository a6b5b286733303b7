"""PAP004 exchange-partner-app-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome, spec
from pap_bundles import (
    EXCHANGE_APPS,
    LYNC_APPS,
    SHAREPOINT_ID,
    SHAREPOINT_ONLY,
    assert_documented_fix_valid,
    check_with_fixes,
    without,
)

from rules.partner_apps import _fixes
from s2slint.findings import Location
from s2slint.model import Located, LyncPartnerApplication, Model
from s2slint.rule import Evaluated, NotEvaluated
from s2slint.testing import Case, case_id

EXCHANGE_METADATA = "https://autodiscover.litwareinc.com/autodiscover/metadata/json/1"

CASES = (
    Case("Lync trusts Exchange", spec(), checked=1),
    Case(
        "Lync trusts SharePoint only while Exchange integration is configured",
        spec(partner_trust_levels=SHAREPOINT_ONLY),
        expect=(LYNC_APPS,),
        contains=("Lync has no partner application for Exchange",),
        fix_contains=(
            "New-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel "
            f"Full -MetadataUrl '{EXCHANGE_METADATA}'",
        ),
    ),
    Case(
        "no Exchange integration needs no Exchange application",
        spec(
            partner_trust_levels=SHAREPOINT_ONLY,
            exchange_autodiscover_url="",
            exchange_lync_app=False,
        ),
        checked=0,
    ),
    Case(
        # Skype for Business Online's application says nothing about the on-premises pool.
        "Exchange's SfBLegacy is no sign of integration with on-premises Lync",
        spec(
            partner_trust_levels=SHAREPOINT_ONLY,
            exchange_autodiscover_url="",
            exchange_lync_app=False,
            exchange_sfb_legacy=True,
        ),
        checked=0,
    ),
    Case(
        "an application for Exchange with a wrong identifier is PAP011's",
        spec(partner_app_ids=(("microsoft.exchange", SHAREPOINT_ID),)),
        checked=1,
    ),
    Case(
        "Lync trusts Exchange Online through the OAuth server",
        spec(partner_apps_via_oauth_server=("microsoft.exchange",)),
        checked=1,
    ),
    Case("no Lync partner applications", without(LYNC_APPS), outcome="not evaluated"),
    Case(
        "no sign of whether the integration is configured",
        without("lync/oauth-configuration.xml", EXCHANGE_APPS),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_exchange_partner_app_missing(case: Case, tmp_path: Path) -> None:
    check_with_fixes(case, "PAP004", tmp_path)


def test_lync_without_an_exchange_application_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, partner_trust_levels=SHAREPOINT_ONLY)
    (finding,) = findings(result, "PAP004")
    assert finding.message == (
        "Exchange integration is configured, but Lync has no partner application for "
        'Exchange (Get-CsPartnerApplication has "microsoft.sharepoint")'
    )
    assert finding.location.path == "lync/partner-applications.xml"
    assert [r.path for r in finding.related] == [
        "lync/oauth-configuration.xml",
        "exchange/partner-applications.xml",
    ]
    # Lync does not trust Exchange, so PAP005 has nothing to pair.
    assert outcome(result, "PAP005") == Evaluated((), 0)


def test_pap004_needs_the_lync_export_and_a_sign_of_integration(tmp_path: Path) -> None:
    bundle = without("lync/oauth-configuration.xml", EXCHANGE_APPS)(tmp_path)
    state = outcome(lint_path(bundle), "PAP004")
    assert isinstance(state, NotEvaluated) and "Get-CsOAuthConfiguration" in state.missing
    (bundle / "lync" / "partner-applications.xml").unlink()
    assert outcome(lint_path(bundle), "PAP004") == NotEvaluated("a Get-CsPartnerApplication export")


def test_creating_microsoft_exchange_never_fails_when_it_exists() -> None:
    # A fix that creates an application points the existing one instead (New would fail).
    where = Location("lync/partner-applications.xml", 1, 1)
    existing = LyncPartnerApplication(
        loc=where,
        identity=Located.at("microsoft.exchange", where),
        application_identifier=None,
        application_trust_level=None,
        metadata_url=None,
        enabled=None,
        realm=None,
    )
    with_it = Model(lync_partner_applications=(existing,))
    assert _fixes.create_or_point_lync_app(with_it, "microsoft.exchange", EXCHANGE_METADATA) == (
        "Set-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full "
        f"-MetadataUrl '{EXCHANGE_METADATA}'"
    )
    assert _fixes.create_or_point_lync_app(Model(), "microsoft.exchange", EXCHANGE_METADATA) == (
        "New-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full "
        f"-MetadataUrl '{EXCHANGE_METADATA}'"
    )


def test_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_valid("PAP004")
