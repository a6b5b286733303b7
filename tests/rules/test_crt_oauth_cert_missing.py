"""CRT001 oauth-cert-missing."""

from __future__ import annotations

from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome
from cert_bundles import FRONT_ENDS, edit_text, write_spec

from s2slint.findings import Issue
from s2slint.rule import Evaluated, NotEvaluated

FE1, FE2, FE3 = FRONT_ENDS


def test_an_assigned_certificate_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "CRT001") == []
    assert outcome(result, "CRT001") == Evaluated((), 3)


def test_one_front_end_with_the_certificate_is_enough(tmp_path: Path) -> None:
    # Another front end lacks it: that is CRT002's finding, not this rule's.
    result = lint_spec(tmp_path, missing_oauth_on=FE2)
    assert findings(result, "CRT001") == []
    assert len(findings(result, "CRT002")) == 1


def test_no_oauth_entry_in_any_export_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, omit_server_exports=(FE2, FE3), missing_oauth_on=FE1)
    (finding,) = findings(result, "CRT001")
    assert finding.location.path == f"servers/{FE1}/certificates.xml"
    assert finding.message.startswith("no OAuthTokenIssuer certificate is assigned")
    assert FE1 in finding.message
    assert finding.related == ()


def test_several_exports_without_it_are_all_listed(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path, omit_server_exports=(FE3,), missing_oauth_on=FE2)
    # atl-fe-01's entry is for another use (the certificate was assigned to A/V instead).
    edit_text(
        bundle / "servers" / FE1 / "certificates.xml",
        lambda text: text.replace(">OAuthTokenIssuer<", ">AudioVideoAuthentication<"),
    )
    result = lint_path(bundle)
    (finding,) = findings(result, "CRT001")
    assert f"the Get-CsCertificate exports of {FE1}, {FE2} have no" in finding.message
    assert finding.location.path == f"servers/{FE1}/certificates.xml"
    assert [r.path for r in finding.related] == [f"servers/{FE2}/certificates.xml"]
    assert outcome(result, "CRT001") == Evaluated(
        (Issue(finding.message, finding.location, finding.related, finding.key),), 2
    )


def test_without_a_get_cscertificate_export_the_rule_is_not_evaluated(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, omit_server_exports=FRONT_ENDS)
    assert isinstance(outcome(result, "CRT001"), NotEvaluated)
    assert findings(result, "CRT001") == []
