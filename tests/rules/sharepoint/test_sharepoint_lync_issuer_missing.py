"""SPS001 sharepoint-lync-issuer-missing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec, spec, without
from cert_bundles import edit_text

from s2slint.testing import BundleWriter, Case, case_id, check_case

CODE = "SPS001"
ISSUERS = "sharepoint/trusted-issuers.xml"
LYNC_ONLY_EXCHANGE = (("microsoft.exchange", "Full"),)
FIX = (
    "New-SPTrustedSecurityTokenIssuer -MetadataEndPoint "
    "'https://atl-cs-001.litwareinc.com/metadata/json/1' -IsTrustBroker "
    "-Name 'Skype for Business Server'"
)


def edited(writer: BundleWriter, change: Callable[[Path], None]) -> BundleWriter:
    """Return `writer` followed by a change to the written bundle."""

    def write(tmp_path: Path) -> Path:
        bundle = writer(tmp_path)
        change(bundle)
        return bundle

    return write


def _other_identifier(bundle: Path) -> None:
    """Lync's issuer registered under another identifier: still Lync's by its metadata host."""
    edit_text(
        bundle / ISSUERS,
        lambda text: text.replace(
            "00000004-0000-0ff1-ce00-000000000000@", "11111111-2222-3333-4444-555555555555@"
        ),
    )


CASES = (
    Case("Lync's issuer is trusted", sharepoint_spec(), checked=1),
    Case(
        "Lync's issuer recognised by its metadata endpoint on the pool",
        edited(sharepoint_spec(), _other_identifier),
        checked=1,
    ),
    Case(
        "only Exchange's issuer",
        sharepoint_spec(sharepoint_lync_issuer=False),
        expect=(ISSUERS,),
        contains=(
            'Lync trusts SharePoint (partner application "microsoft.sharepoint")',
            'Get-SPTrustedSecurityTokenIssuer has "Exchange"',
        ),
        fix_contains=(FIX,),
    ),
    Case(
        "without a topology the fix takes the pool from Exchange's partner application",
        without(sharepoint_spec(sharepoint_lync_issuer=False), "lync/topology.xml"),
        expect=(ISSUERS,),
        fix_contains=(FIX,),
    ),
    Case("no SharePoint exports", spec(), outcome="not evaluated"),
    Case(
        "no Get-CsPartnerApplication export",
        sharepoint_spec(partner_trust_levels=()),
        outcome="not evaluated",
    ),
    Case(
        "Lync trusts no SharePoint farm, SharePoint exported",
        sharepoint_spec(partner_trust_levels=LYNC_ONLY_EXCHANGE, sharepoint_lync_issuer=False),
        outcome="not applicable",
    ),
    Case(
        "Lync trusts no SharePoint farm, nothing exported from SharePoint",
        spec(partner_trust_levels=LYNC_ONLY_EXCHANGE),
        outcome="not applicable",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_sharepoint_lync_issuer_missing(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_not_applicable_says_why(tmp_path: Path) -> None:
    case = Case(
        "no SharePoint", spec(partner_trust_levels=LYNC_ONLY_EXCHANGE), outcome="not applicable"
    )
    result = check_case(case, CODE, tmp_path)
    assert result.coverage[CODE].reason == (  # type: ignore[union-attr]
        "Lync has no partner application for on-premises SharePoint"
    )
