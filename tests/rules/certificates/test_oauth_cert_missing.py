"""CRT001 oauth-cert-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from cert_bundles import FRONT_ENDS, bundle, edit_text

from s2slint.findings import Issue
from s2slint.rule import Evaluated
from s2slint.testing import Case, case_id, check_case, findings_of

FE1, FE2, FE3 = FRONT_ENDS
CODE = "CRT001"


def _oauth_use_becomes_av(folder: Path) -> None:
    """atl-fe-01's OAuth entry is for another use (the certificate was assigned to A/V)."""
    edit_text(
        folder / "servers" / FE1 / "certificates.xml",
        lambda text: text.replace(">OAuthTokenIssuer<", ">AudioVideoAuthentication<"),
    )


NONE_ANYWHERE = Case(
    "no OAuthTokenIssuer entry in the only export",
    bundle(omit_server_exports=(FE2, FE3), missing_oauth_on=FE1),
    expect=(f"servers/{FE1}/certificates.xml",),
    contains=("no OAuthTokenIssuer certificate is assigned", FE1),
    # A new certificate from the CA that issued the servers' own, with every SIP domain,
    # assigned at once (nothing is in force to roll over); Exchange reads it right away.
    fix_contains=(
        "$caName = 'LitwareInc Enterprise CA'",
        "Request-CsCertificate -New -Type OAuthTokenIssuer -CA $ca "
        "-DomainName 'litwareinc.com,fabrikam.com' -KeySize 2048",
        "Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $cert.Thumbprint",
        "-RefreshAuthMetadata",
    ),
)
TWO_WITHOUT = Case(
    "two exports without it are both listed",
    bundle(_oauth_use_becomes_av, omit_server_exports=(FE3,), missing_oauth_on=FE2),
    expect=(f"servers/{FE1}/certificates.xml",),
    contains=(f"the Get-CsCertificate exports of {FE1}, {FE2} have no",),
    checked=2,
)

CASES = (
    Case("an assigned certificate passes", bundle(), checked=3),
    # Another Front End lacks it: that is CRT002's finding, not this rule's.
    Case("one Front End with the certificate is enough", bundle(missing_oauth_on=FE2)),
    NONE_ANYWHERE,
    TWO_WITHOUT,
    Case(
        "no Get-CsCertificate export",
        bundle(omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_oauth_cert_missing(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_other_front_end_lacking_it_is_crt002s(tmp_path: Path) -> None:
    result = check_case(CASES[1], CODE, tmp_path)
    assert len(findings_of(result, "CRT002")) == 1


def test_a_single_export_has_nothing_related(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(NONE_ANYWHERE, CODE, tmp_path), CODE)
    assert finding.message.startswith("no OAuthTokenIssuer certificate is assigned")
    assert finding.related == ()


def test_the_other_exports_are_related(tmp_path: Path) -> None:
    result = check_case(TWO_WITHOUT, CODE, tmp_path)
    (finding,) = findings_of(result, CODE)
    assert [r.path for r in finding.related] == [f"servers/{FE2}/certificates.xml"]
    assert result.coverage[CODE] == Evaluated(
        (Issue(finding.message, finding.location, finding.related, finding.key, fix=finding.fix),),
        2,
    )
