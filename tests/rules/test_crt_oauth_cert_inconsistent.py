"""CRT002 oauth-cert-inconsistent."""

from __future__ import annotations

from pathlib import Path

from bundle_lint import findings, lint_spec, outcome

from s2slint.rule import Evaluated, NotEvaluated

FE3 = "atl-fe-03.litwareinc.com"


def test_same_certificate_on_every_front_end_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "CRT002") == []
    assert outcome(result, "CRT002") == Evaluated((), 3)


def test_a_front_end_with_another_certificate_is_reported_with_every_server(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, odd_front_end=FE3)
    (finding,) = findings(result, "CRT002")
    # The odd server is attributed by its folder (its export has no PSComputerName).
    assert finding.location.path == f"servers/{FE3}/certificates.xml"
    assert finding.location.pointer is not None and finding.location.pointer.endswith(".Thumbprint")
    for server in ("atl-fe-01", "atl-fe-02", "atl-fe-03"):
        assert f"{server}.litwareinc.com" in finding.message
    assert len(finding.related) == 2


def test_a_front_end_without_any_oauth_certificate_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, missing_oauth_on="atl-fe-02.litwareinc.com")
    (finding,) = findings(result, "CRT002")
    assert "atl-fe-02.litwareinc.com (none)" in finding.message
    assert finding.location.path == "servers/atl-fe-02.litwareinc.com/certificates.xml"


def test_one_server_export_is_not_enough_evidence(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path, omit_server_exports=("atl-fe-02.litwareinc.com", "atl-fe-03.litwareinc.com")
    )
    assert isinstance(outcome(result, "CRT002"), NotEvaluated)
    assert findings(result, "CRT002") == []
