"""CRT002 oauth-cert-inconsistent."""

from __future__ import annotations

from pathlib import Path

import pytest
from cert_bundles import FRONT_ENDS, bundle

from s2slint.testing import Case, case_id, check_case, findings_of

FE1, FE2, FE3 = FRONT_ENDS
CODE = "CRT002"

ODD_FE3 = Case(
    "a Front End with another certificate is reported with every server",
    bundle(odd_front_end=FE3),
    # The odd server is attributed by its folder (its export has no PSComputerName).
    expect=(f"servers/{FE3}/certificates.xml",),
    contains=(FE1, FE2, FE3),
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
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_oauth_cert_inconsistent(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_finding_points_at_the_odd_thumbprint(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(ODD_FE3, CODE, tmp_path), CODE)
    assert finding.location.pointer is not None and finding.location.pointer.endswith(".Thumbprint")
    assert len(finding.related) == 2
