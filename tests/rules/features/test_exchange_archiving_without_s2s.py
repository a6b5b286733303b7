"""FEA002 exchange-archiving-without-s2s."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without
from powershell_check import assert_documented_fix_is_valid, assert_valid_powershell

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

ARCHIVING = "lync/archiving-configuration.xml"
SHAREPOINT_ONLY = (("microsoft.sharepoint", "Full"),)

CASES = (
    Case("S2S with Exchange configured passes", spec(), checked=1),
    Case(
        "no partner application for Exchange",
        spec(partner_trust_levels=SHAREPOINT_ONLY),
        (ARCHIVING,),
        contains=('archiving configuration "Global" enables Exchange archiving, but',),
    ),
    Case(
        "no OAuthTokenIssuer certificate assigned",
        spec(
            omit_server_exports=("atl-fe-02.litwareinc.com", "atl-fe-03.litwareinc.com"),
            missing_oauth_on="atl-fe-01.litwareinc.com",
        ),
        (ARCHIVING,),
        contains=(
            "not fully configured: no OAuthTokenIssuer certificate is assigned (Get-CsCertificate)",
        ),
    ),
    Case(
        "an .xml autodiscover URL is OAU001's",
        spec(
            exchange_autodiscover_url="https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml"
        ),
    ),
    Case(
        "an Application trust level is PAP001's",
        spec(partner_trust_levels=(("microsoft.exchange", "Application"), *SHAREPOINT_ONLY)),
    ),
    Case(
        "archiving in Lync needs no S2S",
        spec(partner_trust_levels=SHAREPOINT_ONLY, exchange_archiving=False),
        checked=1,
    ),
    Case(
        "without the archiving configuration",
        spec(exchange_archiving=None),
        outcome="not evaluated",
    ),
    Case(
        "without the S2S evidence",
        without(spec(), "lync/oauth-configuration.xml"),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_exchange_archiving_without_s2s(case: Case, tmp_path: Path) -> None:
    check_case(case, "FEA002", tmp_path)


def test_the_finding_points_at_enable_exchange_archiving(tmp_path: Path) -> None:
    case = Case("no exchange app", spec(partner_trust_levels=SHAREPOINT_ONLY), (ARCHIVING,))
    (finding,) = findings_of(check_case(case, "FEA002", tmp_path), "FEA002")
    assert finding.location.pointer == "obj[0].EnableExchangeArchiving"
    assert finding.message.endswith("Lync has no partner application for on-premises Exchange")
    assert finding.fix.splitlines()[-1] == (
        "Set-CsArchivingConfiguration -Identity Global -EnableExchangeArchiving $False"
    )
    assert_valid_powershell(finding.fix, "Lync Server 2013")


@pytest.mark.parametrize(
    ("case", "missing"),
    [
        (
            Case("no archiving", spec(exchange_archiving=None), outcome="not evaluated"),
            "a Get-CsArchivingConfiguration export",
        ),
        (
            Case(
                "no oauth",
                without(spec(), "lync/oauth-configuration.xml"),
                outcome="not evaluated",
            ),
            "a Get-CsOAuthConfiguration export and a Get-CsPartnerApplication export (to tell "
            "whether server-to-server authentication with Exchange is configured)",
        ),
    ],
    ids=["archiving", "s2s-evidence"],
)
def test_not_evaluated_names_what_is_missing(case: Case, missing: str, tmp_path: Path) -> None:
    state = check_case(case, "FEA002", tmp_path).coverage["FEA002"]
    assert state == NotEvaluated(missing)


def test_the_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_is_valid("FEA002")
