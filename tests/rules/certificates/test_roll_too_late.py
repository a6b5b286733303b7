"""CRT014 roll-too-late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import fixturegen
import pytest
from cert_bundles import (
    FRONT_ENDS,
    Edit,
    append_objects,
    bundle,
    cs_certificate_entry,
    days_after,
    make_certificate,
    thumbprint,
)

from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "CRT014"
EXPIRY = datetime(2028, 1, 15, 14, tzinfo=UTC)  # the generated OAuth certificate's NotAfter
ROLL = fixturegen.oauth_roll_thumbprint(fixturegen.BundleSpec())


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
    # Catalogue v2: relative to the evaluation date, whatever earlier rolls happened.
    Case(
        "after an earlier roll, a roll scheduled after the expiry is checked",
        bundle(oauth_effective=days_after(-300), oauth_roll_effective=EXPIRY + timedelta(days=2)),
        expect=tuple(f"servers/{server}/certificates.xml" for server in FRONT_ENDS[:1]),
        contains=(f"rolled OAuthTokenIssuer certificate {ROLL}", "48 hours after"),
        # Nothing can roll in before an expiry that has passed 24 hours ahead... but here
        # the expiry is far: the roll is staged again two days ahead.
        fix_contains=(
            f"Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint '{ROLL}' "
            "-Roll -EffectiveDate '2026-11-23T00:00:00Z'",
        ),
        checked=1,
    ),
    Case(
        "a roll that has taken effect is no staged roll",
        bundle(oauth_effective=days_after(-300), oauth_roll_effective=days_after(-2)),
        checked=0,
    ),
    Case(
        "a roll listed before the certificate in force is judged all the same",
        bundle(oauth_roll_effective=EXPIRY - timedelta(hours=2), oauth_roll_first=True),
        expect=(f"servers/{FRONT_ENDS[0]}/certificates.xml",),
        contains=("2 hours before the current certificate",),
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


def test_with_under_a_day_left_the_fix_puts_the_roll_in_force_at_once(tmp_path: Path) -> None:
    case = Case(
        "the expiry is 20 hours away",
        bundle(
            oauth_not_after=days_after(0) + timedelta(hours=20),
            oauth_roll_effective=days_after(0) + timedelta(hours=21),
        ),
        expect=(f"servers/{FRONT_ENDS[0]}/certificates.xml",),
    )
    (finding,) = findings_of(check_case(case, CODE, tmp_path), CODE)
    assert "-Roll" not in finding.fix
    assert f"-Thumbprint '{ROLL}'" in finding.fix
