"""CRT002 oauth-cert-inconsistent."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import fixturegen
import pytest
from cert_bundles import FRONT_ENDS, bundle, days_after

from s2slint.testing import Case, case_id, check_case, findings_of

FE1, FE2, FE3 = FRONT_ENDS
DIR1, DIR2 = "atl-dir-01.litwareinc.com", "atl-dir-02.litwareinc.com"
SBA = "mac-sba-01.litwareinc.com"
CODE = "CRT002"
SHARED = fixturegen.oauth_thumbprints(fixturegen.BundleSpec())[FE1]
# The certificate in force was rolled in earlier (its entry keeps its EffectiveDate).
ROLLED_IN = days_after(-300)

ODD_FE3 = Case(
    "a Front End with another certificate is reported with every server",
    bundle(odd_front_end=FE3),
    # The odd server is attributed by its folder (its export has no PSComputerName).
    expect=(f"servers/{FE3}/certificates.xml",),
    contains=(FE1, FE2, FE3),
    # The shared certificate, rolled in globally two days ahead (24 hours of overlap at
    # least), then a look at the server that differed.
    fix_contains=(
        f"Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint '{SHARED}' "
        "-Roll -EffectiveDate '2026-11-23T00:00:00Z'",
        f"Invoke-Command -ComputerName '{FE3}' -ScriptBlock "
        "{ Get-CsCertificate -Type OAuthTokenIssuer }",
    ),
)

CASES = (
    Case("the same certificate on every Front End passes", bundle(), checked=3),
    ODD_FE3,
    Case(
        "a Front End without any OAuth certificate",
        bundle(missing_oauth_on=FE2),
        expect=(f"servers/{FE2}/certificates.xml",),
        contains=(f"{FE2} (none)",),
    ),
    Case(
        "one server export is not enough evidence",
        bundle(omit_server_exports=(FE2, FE3)),
        outcome="not evaluated",
    ),
    # Catalogue v2: the certificate in force at the evaluation date is compared, not the
    # first entry an export lists.
    Case(
        "a pending roll listed first on one Front End is not compared",
        bundle(
            oauth_effective=ROLLED_IN,
            oauth_roll_effective=days_after(30),
            oauth_roll_on=(FE1,),
            oauth_roll_first=True,
        ),
        checked=3,
    ),
    Case(
        "a roll listed first everywhere does not hide the odd certificate in force",
        bundle(
            oauth_effective=ROLLED_IN,
            oauth_roll_effective=days_after(30),
            oauth_roll_first=True,
            odd_front_end=FE3,
        ),
        expect=(f"servers/{FE3}/certificates.xml",),
    ),
    Case(
        "a roll that took effect on every server is the certificate in force",
        bundle(oauth_effective=ROLLED_IN, oauth_roll_effective=days_after(-1)),
        checked=3,
    ),
    Case(
        "a roll that took effect on one server only",
        bundle(
            oauth_effective=ROLLED_IN, oauth_roll_effective=days_after(-1), oauth_roll_on=(FE2,)
        ),
        expect=(f"servers/{FE2}/certificates.xml",),
    ),
    # OAuth servers: Directors count, a Survivable Branch Appliance does not.
    Case(
        "a Director with another certificate",
        bundle(directors=(DIR1, DIR2), odd_front_end=DIR2),
        expect=(f"servers/{DIR2}/certificates.xml",),
        contains=(DIR1, DIR2),
        checked=5,
    ),
    Case(
        "a branch appliance's export (no OAuth certificate) is not compared",
        bundle(branch_appliances=(SBA,)),
        checked=3,
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_oauth_cert_inconsistent(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_finding_points_at_the_odd_thumbprint(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(ODD_FE3, CODE, tmp_path), CODE)
    assert finding.location.pointer is not None and finding.location.pointer.endswith(".Thumbprint")
    assert len(finding.related) == 2


def test_the_pending_roll_is_in_the_export_before_the_certificate_in_force(
    tmp_path: Path,
) -> None:
    # Guard the fixture: the roll really is listed first, so list order cannot decide.
    spec = replace(
        fixturegen.BundleSpec(),
        oauth_effective=ROLLED_IN,
        oauth_roll_effective=days_after(30),
        oauth_roll_first=True,
    )
    fixturegen.write_bundle(spec, tmp_path)
    text = (tmp_path / "servers" / FE1 / "certificates.xml").read_bytes().decode("utf-16")
    assert text.index(fixturegen.oauth_roll_thumbprint(spec)) < text.index(SHARED)
