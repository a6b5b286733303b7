"""PAP005 lync-partner-app-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome, spec
from pap_bundles import EXCHANGE_APPS, LYNC_ID, without

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case

CASES = (
    Case("Exchange trusts Lync", spec(), checked=1),
    Case(
        # Exchange Online's partner application (00000002-...) is not one for Lync.
        "Exchange has only its Exchange Online application",
        spec(exchange_lync_app=False),
        expect=(EXCHANGE_APPS,),
        contains=("Exchange has no partner application for Lync",),
    ),
    Case(
        "a metadata URL on the pool identifies Exchange's application for Lync",
        spec(exchange_lync_app_id="8a3f7b1c-0d2e-4f5a-9b6c-7d8e9f0a1b2c"),
        checked=1,
    ),
    Case("no Exchange partner applications", without(EXCHANGE_APPS), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_lync_partner_app_missing(case: Case, tmp_path: Path) -> None:
    check_case(case, "PAP005", tmp_path)


def test_exchange_without_an_application_for_lync_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_lync_app=False)
    (finding,) = findings(result, "PAP005")
    assert finding.message == (
        'Lync trusts Exchange (partner application "microsoft.exchange"), but Exchange has no '
        f"partner application for Lync (identifier {LYNC_ID} or a metadata URL on a Lync pool); "
        'Get-PartnerApplication has "Exchange Online"'
    )
    # Reported in the export that lacks it, with Lync's application related.
    assert finding.location.path == "exchange/partner-applications.xml"
    assert [r.path for r in finding.related] == ["lync/partner-applications.xml"]


def test_pap005_needs_exchanges_partner_applications(tmp_path: Path) -> None:
    bundle = without(EXCHANGE_APPS)(tmp_path)
    state = outcome(lint_path(bundle), "PAP005")
    assert state == NotEvaluated("an Exchange Get-PartnerApplication export")
