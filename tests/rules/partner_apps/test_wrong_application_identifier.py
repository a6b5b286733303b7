"""PAP011 wrong-application-identifier."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_spec, spec
from pap_bundles import (
    EXCHANGE_APPS,
    EXCHANGE_ID,
    LYNC_APPS,
    NO_PARTNER_EXPORTS,
    SHAREPOINT_ID,
)

from s2slint.testing import Case, case_id, check_case

CASES = (
    Case("well-known identifiers on the right products pass", spec(), checked=3),
    Case(
        "microsoft.exchange with SharePoint's identifier",
        spec(partner_app_ids=(("microsoft.exchange", SHAREPOINT_ID),)),
        expect=(LYNC_APPS,),
    ),
    Case(
        "Exchange's application for Lync with Exchange's identifier",
        spec(exchange_lync_app_id=EXCHANGE_ID),
        expect=(EXCHANGE_APPS,),
        contains=("is for Lync but carries Exchange's ApplicationIdentifier",),
    ),
    Case("no partner application export", NO_PARTNER_EXPORTS, outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_wrong_application_identifier(case: Case, tmp_path: Path) -> None:
    check_case(case, "PAP011", tmp_path)


def test_exchange_application_with_sharepoints_identifier_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, partner_app_ids=(("microsoft.exchange", SHAREPOINT_ID),))
    (finding,) = findings(result, "PAP011")
    assert finding.message == (
        'partner application "microsoft.exchange" is for Exchange but carries SharePoint\'s '
        f"ApplicationIdentifier {SHAREPOINT_ID} (expected {EXCHANGE_ID})"
    )
    assert finding.location.pointer == "obj[0].ApplicationIdentifier"
    # PAP001's product detection trusts the identifier: it is SharePoint's app there.
    assert findings(result, "PAP001") == []
