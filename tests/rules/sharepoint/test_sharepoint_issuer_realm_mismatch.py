"""SPS006 sharepoint-issuer-realm-mismatch."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec, spec, without

from s2slint.testing import Case, case_id, check_case

CODE = "SPS006"
ISSUERS = "sharepoint/trusted-issuers.xml"
LYNC_ID = "00000004-0000-0ff1-ce00-000000000000"


# Neither Get-CsOAuthConfiguration nor a topology: Lync's realm is unknown.
without_realm_evidence = without(
    spec(partner_trust_levels=(("microsoft.exchange", "Full"),)),
    "lync/topology.xml",
    "lync/oauth-configuration.xml",
)


CASES = (
    Case("the default SIP domain on both sides", sharepoint_spec(), checked=1),
    Case(
        "letter case does not matter",
        sharepoint_spec(sharepoint_lync_issuer_realm="LitwareInc.COM"),
        checked=1,
    ),
    Case(
        "registered for another domain",
        sharepoint_spec(sharepoint_lync_issuer_realm="fabrikam.com"),
        expect=(ISSUERS,),
        contains=(
            'registered for the realm "fabrikam.com"',
            'Lync\'s OAuth realm is "litwareinc.com"',
        ),
        fix_contains=(
            "Set-SPTrustedSecurityTokenIssuer -Identity 'Skype for Business Server' "
            f"-RegisteredIssuerName '{LYNC_ID}@litwareinc.com'",
        ),
    ),
    Case(
        "Lync's Realm set, and the issuer read it from the metadata",
        sharepoint_spec(oauth_realm="litware.local"),
        checked=1,
    ),
    Case(
        "Lync's Realm set after the issuer was made",
        sharepoint_spec(oauth_realm="litware.local", sharepoint_lync_issuer_realm="litwareinc.com"),
        expect=(ISSUERS,),
        fix_contains=(f"'{LYNC_ID}@litware.local'",),
    ),
    Case("no SharePoint exports", spec(), outcome="not evaluated"),
    Case(
        "no realm evidence, and Lync trusts no SharePoint farm",
        without_realm_evidence,
        outcome="not applicable",
    ),
    Case(
        "Lync trusts no SharePoint farm",
        sharepoint_spec(partner_trust_levels=(("microsoft.exchange", "Full"),)),
        outcome="not applicable",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_sharepoint_issuer_realm_mismatch(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_realm_read_is_related(tmp_path: Path) -> None:
    case = Case(
        "mismatch",
        sharepoint_spec(sharepoint_lync_issuer_realm="fabrikam.com"),
        expect=(ISSUERS,),
    )
    (finding,) = [f for f in check_case(case, CODE, tmp_path).findings if f.code == CODE]
    assert finding.location.pointer == "obj[1].RegisteredIssuerName"
    assert [r.path for r in finding.related] == ["lync/topology.xml"]
