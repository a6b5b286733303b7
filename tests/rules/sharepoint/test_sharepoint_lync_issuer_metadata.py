"""SPS002 sharepoint-lync-issuer-metadata."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec, spec, without

from s2slint.testing import BundleWriter, Case, case_id, check_case

CODE = "SPS002"
ISSUERS = "sharepoint/trusted-issuers.xml"
POOL_FIX = "-MetadataEndPoint 'https://atl-cs-001.litwareinc.com/metadata/json/1' -IsTrustBroker"


def endpoint(url: str) -> BundleWriter:
    return sharepoint_spec(sharepoint_lync_issuer_metadata_url=url)


CASES = (
    Case("the pool's https metadata", sharepoint_spec(), checked=1),
    Case(
        "case and one trailing slash do not matter",
        endpoint("https://ATL-CS-001.litwareinc.com/Metadata/JSON/1/"),
        checked=1,
    ),
    Case(
        "the endpoint as a nested System.Uri object",
        sharepoint_spec(sharepoint_metadata_endpoint_as_object=True),
        checked=1,
    ),
    Case(
        "a Front End server over http",
        endpoint("http://atl-fe-01.litwareinc.com/metadata/json/1"),
        expect=(ISSUERS,),
        contains=(
            'uses "http", not https',
            "is on the server atl-fe-01.litwareinc.com, not on its pool atl-cs-001.litwareinc.com",
        ),
        fix_contains=(
            "Set-SPTrustedSecurityTokenIssuer -Identity 'Skype for Business Server' " + POOL_FIX,
        ),
    ),
    Case(
        "a host that is no Lync pool",
        endpoint("https://lync.contoso.com/metadata/json/1"),
        expect=(ISSUERS,),
        contains=("is on lync.contoso.com, which is not a Lync pool of the topology",),
        fix_contains=(POOL_FIX,),
    ),
    Case(
        "another path",
        endpoint("https://atl-cs-001.litwareinc.com/metadata/json"),
        expect=(ISSUERS,),
        contains=('has the path "/metadata/json", not /metadata/json/1',),
    ),
    Case(
        "no metadata endpoint (made from a certificate)",
        endpoint(""),
        expect=(ISSUERS,),
        contains=("has no MetadataEndPoint",),
        fix_contains=(POOL_FIX,),
    ),
    Case("no SharePoint exports", spec(), outcome="not evaluated"),
    Case("no topology", without(sharepoint_spec(), "lync/topology.xml"), outcome="not evaluated"),
    Case(
        "no topology, and Lync trusts no SharePoint farm",
        without(spec(partner_trust_levels=(("microsoft.exchange", "Full"),)), "lync/topology.xml"),
        outcome="not applicable",
    ),
    Case(
        "no issuer for Lync: SPS001's, nothing to check here",
        sharepoint_spec(sharepoint_lync_issuer=False),
        checked=0,
    ),
    Case(
        "Lync trusts no SharePoint farm",
        sharepoint_spec(partner_trust_levels=(("microsoft.exchange", "Full"),)),
        outcome="not applicable",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_sharepoint_lync_issuer_metadata(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_problems_of_one_endpoint_make_one_finding(tmp_path: Path) -> None:
    case = Case(
        "everything wrong",
        endpoint("http://atl-fe-02.litwareinc.com/metadata"),
        expect=(ISSUERS,),
    )
    (finding,) = [f for f in check_case(case, CODE, tmp_path).findings if f.code == CODE]
    assert finding.message == (
        'SharePoint\'s issuer for Lync "Skype for Business Server" reads Lync metadata from '
        '"http://atl-fe-02.litwareinc.com/metadata", which uses "http", not https; it is on '
        "the server atl-fe-02.litwareinc.com, not on its pool atl-cs-001.litwareinc.com; it "
        'has the path "/metadata", not /metadata/json/1'
    )
    assert finding.location.pointer == "obj[1].MetadataEndPoint"
