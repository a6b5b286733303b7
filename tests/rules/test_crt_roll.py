"""CRT014 roll-too-late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome
from cert_bundles import (
    FRONT_ENDS,
    append_objects,
    cs_certificate_entry,
    make_certificate,
    thumbprint,
    write_spec,
)

from s2slint.rule import Evaluated, NotEvaluated

EXPIRY = datetime(2028, 1, 15, 14, tzinfo=UTC)  # the generated OAuth certificate's NotAfter


def _roll(tmp_path: Path, effective: datetime, servers: tuple[str, ...] = FRONT_ENDS) -> Path:
    """Stage a rolled OAuthTokenIssuer certificate on `servers`, effective at `effective`."""
    bundle = write_spec(tmp_path)
    rolled, _ = make_certificate("oauth-roll", not_after=datetime(2030, 1, 15, tzinfo=UTC))
    for server in servers:
        entry = cs_certificate_entry(
            thumbprint(rolled),
            not_before=datetime(2027, 12, 1, tzinfo=UTC),
            not_after=datetime(2030, 1, 15, tzinfo=UTC),
            effective=effective,
        )
        append_objects(bundle / "servers" / server / "certificates.xml", entry)
    return bundle


def test_no_roll_is_nothing_to_check(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert outcome(result, "CRT014") == Evaluated((), 0)


def test_a_roll_24_hours_ahead_passes(tmp_path: Path) -> None:
    result = lint_path(_roll(tmp_path, EXPIRY - timedelta(hours=24)))
    assert findings(result, "CRT014") == []
    assert outcome(result, "CRT014") == Evaluated((), 1)
    # The roll does not make the Front Ends disagree: it is not yet in force.
    assert findings(result, "CRT002") == []


def test_a_roll_under_24_hours_ahead_is_reported_once(tmp_path: Path) -> None:
    result = lint_path(_roll(tmp_path, EXPIRY - timedelta(hours=23)))
    (finding,) = findings(result, "CRT014")
    assert finding.location.path == f"servers/{FRONT_ENDS[0]}/certificates.xml"
    assert finding.location.pointer is not None
    assert finding.location.pointer.endswith(".EffectiveDate")
    assert "23 hours before the current certificate" in finding.message
    assert "(2028-01-15 14:00 UTC)" in finding.message
    # The current certificate's expiry, then the same roll on the two other servers.
    assert [r.path for r in finding.related] == [
        "certs/oauth-token-issuer.cer",
        f"servers/{FRONT_ENDS[1]}/certificates.xml",
        f"servers/{FRONT_ENDS[2]}/certificates.xml",
    ]


def test_a_roll_after_the_expiry_is_reported(tmp_path: Path) -> None:
    result = lint_path(_roll(tmp_path, EXPIRY + timedelta(days=2), servers=FRONT_ENDS[:1]))
    (finding,) = findings(result, "CRT014")
    assert "48 hours after the current certificate" in finding.message


def test_without_get_cscertificate_the_rule_is_not_evaluated(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, omit_server_exports=FRONT_ENDS)
    assert isinstance(outcome(result, "CRT014"), NotEvaluated)
