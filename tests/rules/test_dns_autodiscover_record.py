"""DNS001 autodiscover-record-missing."""

from __future__ import annotations

from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome

from s2slint.rule import Evaluated, NotEvaluated


def test_autodiscover_cname_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "DNS001") == []
    assert outcome(result, "DNS001") == Evaluated((), 1)


def test_missing_record_is_reported_at_the_zone_with_the_url_related(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, autodiscover_dns_record=False)
    (finding,) = findings(result, "DNS001")
    assert finding.message == (
        'autodiscover host "autodiscover.litwareinc.com" has no A, AAAA or CNAME record in '
        'zone "litwareinc.com"'
    )
    assert finding.location.path == "dns/litwareinc.com.dns"
    assert [r.path for r in finding.related] == ["lync/oauth-configuration.xml"]


def test_host_comes_from_the_url_not_the_sip_domain(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        exchange_autodiscover_url="https://ews.litwareinc.com/autodiscover/autodiscover.svc",
    )
    (finding,) = findings(result, "DNS001")
    assert '"ews.litwareinc.com"' in finding.message


def test_without_oauth_configuration_the_default_sip_domain_names_the_host(tmp_path: Path) -> None:
    lint_spec(tmp_path, autodiscover_dns_record=False)
    bundle = tmp_path / "bundle"
    (bundle / "lync" / "oauth-configuration.xml").unlink()
    (finding,) = findings(lint_path(bundle), "DNS001")
    assert '"autodiscover.litwareinc.com"' in finding.message
    assert [r.path for r in finding.related] == ["lync/topology.xml"]


def test_a_wildcard_record_answers_for_the_host(tmp_path: Path) -> None:
    lint_spec(tmp_path, autodiscover_dns_record=False)
    zone = tmp_path / "bundle" / "dns" / "litwareinc.com.dns"
    zone.write_bytes(zone.read_bytes() + b"*\t\tCNAME\tatl-exch-001.litwareinc.com.\r\n")
    assert findings(lint_path(tmp_path / "bundle"), "DNS001") == []


def test_no_zone_for_the_host_is_not_evaluated(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        exchange_autodiscover_url="https://autodiscover.contoso.com/autodiscover/autodiscover.svc",
    )
    state = outcome(result, "DNS001")
    assert isinstance(state, NotEvaluated) and "autodiscover.contoso.com" in state.missing
