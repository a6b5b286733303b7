"""PAP007 exchange-metadata-host-mismatch."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome, spec
from pap_bundles import (
    LYNC_APPS,
    SHAREPOINT_ID,
    assert_documented_fix_valid,
    check_with_fixes,
    without,
)

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id

OTHER_ORGANISATION = "https://mail.fabrikam.com/autodiscover/metadata/json/1"
NO_EXCHANGE_HOSTS = without(
    "lync/oauth-configuration.xml",
    "lync/topology.xml",
    "exchange/exchange-servers.xml",
    "exchange/client-access.xml",
)

CASES = (
    Case("Lync reads Exchange's metadata from the autodiscover host", spec(), checked=1),
    Case(
        "the autodiscover host follows Lync's ExchangeAutodiscoverUrl",
        spec(
            exchange_autodiscover_url="https://mail.litwareinc.com/autodiscover/autodiscover.svc",
            exchange_metadata_url="https://mail.litwareinc.com/autodiscover/metadata/json/1",
        ),
        checked=1,
    ),
    Case(
        # Microsoft's own script points the application at an Exchange server's FQDN.
        "an Exchange server's FQDN from Get-ExchangeServer passes",
        spec(
            exchange_metadata_url="https://atl-exch-001.litwareinc.com/autodiscover/metadata/json/1"
        ),
        checked=1,
    ),
    Case(
        "the host of Exchange's AutoDiscoverServiceInternalUri passes",
        spec(
            exchange_autodiscover_internal_uri="https://mail.litwareinc.com/autodiscover/autodiscover.xml",
            exchange_metadata_url="https://mail.litwareinc.com/autodiscover/metadata/json/1",
        ),
        checked=1,
    ),
    Case(
        "a host that is no Exchange host of the exports",
        spec(exchange_metadata_url="https://mail.litwareinc.com/autodiscover/metadata/json/1"),
        expect=(LYNC_APPS,),
        contains=('neither the autodiscover host "autodiscover.litwareinc.com"',),
        fix_contains=(
            "Set-CsPartnerApplication -Identity 'microsoft.exchange' -MetadataUrl "
            "'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'",
        ),
    ),
    Case(
        "Lync trusts Exchange Online through the OAuth server: no metadata URL",
        spec(partner_apps_via_oauth_server=("microsoft.exchange",)),
        checked=0,
    ),
    Case(
        "microsoft.sharepoint carrying Exchange's identifier is PAP011's",
        spec(partner_app_ids=(("microsoft.sharepoint", "00000002-0000-0ff1-ce00-000000000000"),)),
        checked=1,
    ),
    Case(
        "microsoft.exchange carrying SharePoint's identifier still reads Exchange's metadata",
        spec(partner_app_ids=(("microsoft.exchange", SHAREPOINT_ID),)),
        checked=1,
    ),
    Case("no Lync partner applications", without(LYNC_APPS), outcome="not evaluated"),
    Case("no Exchange host known", NO_EXCHANGE_HOSTS, outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_exchange_metadata_host_mismatch(case: Case, tmp_path: Path) -> None:
    check_with_fixes(case, "PAP007", tmp_path)


def test_another_organisations_host_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_metadata_url=OTHER_ORGANISATION)
    (finding,) = findings(result, "PAP007")
    assert finding.message == (
        'partner application "microsoft.exchange" (Exchange) reads metadata from '
        '"mail.fabrikam.com", which is neither the autodiscover host '
        '"autodiscover.litwareinc.com" nor an Exchange host of the exports '
        "(atl-exch-001.litwareinc.com)"
    )
    assert [r.pointer for r in finding.related] == ["obj[0].ExchangeAutodiscoverUrl"]


def test_pap007_without_the_lync_partner_applications_is_not_evaluated(tmp_path: Path) -> None:
    bundle = without(LYNC_APPS)(tmp_path)
    assert outcome(lint_path(bundle), "PAP007") == NotEvaluated("a Get-CsPartnerApplication export")


def test_without_any_exchange_host_the_rule_says_which_exports_tell_them(tmp_path: Path) -> None:
    state = outcome(lint_path(NO_EXCHANGE_HOSTS(tmp_path)), "PAP007")
    assert isinstance(state, NotEvaluated)
    assert "Get-ExchangeServer" in state.missing and "ExchangeAutodiscoverUrl" in state.missing


def test_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_valid("PAP007")
