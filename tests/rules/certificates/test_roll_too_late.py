"""CRT014 roll-too-late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cert_bundles import (
    FRONT_ENDS,
    Edit,
    append_objects,
    bundle,
    cs_certificate_entry,
    make_certificate,
    thumbprint,
)

from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "CRT014"
EXPIRY = datetime(2028, 1, 15, 14, tzinfo=UTC)  # the generated OAuth certificate's NotAfter


def roll(effective: datetime, servers: tuple[str, ...] = FRONT_ENDS) -> Edit:
    """Stage a rolled OAuthTokenIssuer certificate on `servers`, effective at `effective`."""

    def edit(folder: Path) -> None:
        rolled, _ = make_certificate("oauth-roll", not_after=datetime(2030, 1, 15, tzinfo=UTC))
        for server in servers:
            entry = cs_certificate_entry(
                thumbprint(rolled),
                not_before=datetime(2027, 12, 1, tzinfo=UTC),
                not_after=datetime(2030, 1, 15, tzinfo=UTC),
                effective=effective,
            )
            append_objects(folder / "servers" / server / "certificates.xml", entry)

    return edit


AHEAD_24H = Case(
    "a roll 24 hours ahead passes", bundle(roll(EXPIRY - timedelta(hours=24))), checked=1
)
LATE_23H = Case(
    "a roll under 24 hours ahead is reported once",
    bundle(roll(EXPIRY - timedelta(hours=23))),
    expect=(f"servers/{FRONT_ENDS[0]}/certificates.xml",),
    contains=("23 hours before the current certificate", "(2028-01-15 14:00 UTC)"),
)

CASES = (
    Case("no roll is nothing to check", bundle(), checked=0),
    AHEAD_24H,
    LATE_23H,
    Case(
        "a roll after the expiry",
        bundle(roll(EXPIRY + timedelta(days=2), servers=FRONT_ENDS[:1])),
        expect=(f"servers/{FRONT_ENDS[0]}/certificates.xml",),
        contains=("48 hours after the current certificate",),
    ),
    Case(
        "without Get-CsCertificate",
        bundle(omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_roll_too_late(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_a_pending_roll_does_not_make_the_front_ends_disagree(tmp_path: Path) -> None:
    assert findings_of(check_case(AHEAD_24H, CODE, tmp_path), "CRT002") == []


def test_the_effective_date_is_pointed_at_with_the_expiry_and_other_servers(
    tmp_path: Path,
) -> None:
    (finding,) = findings_of(check_case(LATE_23H, CODE, tmp_path), CODE)
    assert finding.location.pointer is not None
    assert finding.location.pointer.endswith(".EffectiveDate")
    # The current certificate's expiry, then the same roll on the two other servers.
    assert [r.path for r in finding.related] == [
        "certs/oauth-token-issuer.cer",
        f"servers/{FRONT_ENDS[1]}/certificates.xml",
        f"servers/{FRONT_ENDS[2]}/certificates.xml",
    ]
