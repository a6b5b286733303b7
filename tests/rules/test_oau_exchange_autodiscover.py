"""OAU005 exchange-autodiscover-uri-missing and OAU006 autodiscover-host-mismatch."""

from __future__ import annotations

from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome

from s2slint.rule import Evaluated, NotEvaluated


def test_the_xml_internal_uri_is_right_on_the_exchange_side(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    for code in ("OAU005", "OAU006"):
        assert findings(result, code) == []
        assert outcome(result, code) == Evaluated((), 1)


def test_an_unset_internal_uri_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_autodiscover_internal_uri="")
    (finding,) = findings(result, "OAU005")
    assert finding.message == (
        'Exchange Client Access service "ATL-EXCH-001" has an empty AutoDiscoverServiceInternalUri'
    )
    assert finding.location.path == "exchange/client-access.xml"
    # `<Nil>` reads as "not there": the finding points at the server's object.
    assert finding.location.pointer == "obj[0]"
    assert finding.key == "client-access:atl-exch-001"
    # Nothing to compare the Lync host with: OAU006 checked nothing.
    assert outcome(result, "OAU006") == Evaluated((), 0)


def test_a_different_autodiscover_host_is_reported_at_lyncs_url(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        exchange_autodiscover_url="https://mail.litwareinc.com/autodiscover/autodiscover.svc",
    )
    (finding,) = findings(result, "OAU006")
    assert finding.message == (
        'ExchangeAutodiscoverUrl host "mail.litwareinc.com" differs from the host of '
        'Exchange\'s AutoDiscoverServiceInternalUri ("autodiscover.litwareinc.com")'
    )
    assert finding.location.path == "lync/oauth-configuration.xml"
    assert [r.path for r in finding.related] == ["exchange/client-access.xml"]


def test_host_comparison_ignores_case_and_path(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        exchange_autodiscover_internal_uri="https://AutoDiscover.LitwareInc.com/Autodiscover/Autodiscover.xml",
    )
    assert findings(result, "OAU006") == []


def test_without_client_access_export_neither_is_evaluated(tmp_path: Path) -> None:
    lint_spec(tmp_path)
    bundle = tmp_path / "bundle"
    (bundle / "exchange" / "client-access.xml").unlink()
    result = lint_path(bundle)
    for code in ("OAU005", "OAU006"):
        state = outcome(result, code)
        assert isinstance(state, NotEvaluated) and "Get-ClientAccessService" in state.missing
