"""DNS002 autodiscover-wrong-target and DNS003 metadata-host-unresolvable (offline)."""

from __future__ import annotations

from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome

from s2slint.rule import Evaluated, NotEvaluated

ZONE = "dns/litwareinc.com.dns"


def _append(tmp_path: Path, text: str) -> Path:
    zone = tmp_path / "bundle" / ZONE
    zone.write_bytes(zone.read_bytes() + text.encode("ascii"))
    return tmp_path / "bundle"


def test_autodiscover_cname_to_the_exchange_server_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "DNS002") == []
    assert outcome(result, "DNS002") == Evaluated((), 1)


def test_autodiscover_pointing_at_a_web_server_is_reported_at_its_record(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        autodiscover_dns_target="atl-web-001.litwareinc.com",
        extra_dns_records=(("atl-web-001.litwareinc.com", "A", "10.0.2.40"),),
    )
    (finding,) = findings(result, "DNS002")
    assert finding.message == (
        'autodiscover host "autodiscover.litwareinc.com" resolves to '
        "atl-web-001.litwareinc.com -> 10.0.2.40, not to an Exchange server "
        "(atl-exch-001.litwareinc.com)"
    )
    assert finding.location.path == ZONE
    text = (tmp_path / "bundle" / ZONE).read_text("ascii").splitlines()
    assert text[finding.location.line - 1].startswith("autodiscover")  # type: ignore[operator]
    assert [r.path for r in finding.related] == [
        "lync/oauth-configuration.xml",
        "exchange/exchange-servers.xml",
    ]


def test_an_a_record_with_an_exchange_servers_address_passes(tmp_path: Path) -> None:
    lint_spec(tmp_path, autodiscover_dns_record=False)
    bundle = _append(tmp_path, "autodiscover\t\tA\t10.0.2.10\r\n")
    assert outcome(lint_path(bundle), "DNS002") == Evaluated((), 1)


def test_an_a_record_with_another_address_is_reported(tmp_path: Path) -> None:
    lint_spec(tmp_path, autodiscover_dns_record=False)
    bundle = _append(tmp_path, "autodiscover\t\tA\t10.0.2.99\r\n")
    (finding,) = findings(lint_path(bundle), "DNS002")
    assert "resolves to 10.0.2.99, not to an Exchange server" in finding.message


def test_a_cname_leaving_the_zones_is_not_evaluated(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, autodiscover_dns_target="mail.contoso.net")
    state = outcome(result, "DNS002")
    assert isinstance(state, NotEvaluated) and "mail.contoso.net" in state.missing


def test_no_record_at_all_is_dns001s_business(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, autodiscover_dns_record=False)
    assert findings(result, "DNS002") == []
    assert outcome(result, "DNS002") == Evaluated((), 0)


def test_dns002_needs_the_exchange_server_list(tmp_path: Path) -> None:
    lint_spec(tmp_path)
    (tmp_path / "bundle" / "exchange" / "exchange-servers.xml").unlink()
    state = outcome(lint_path(tmp_path / "bundle"), "DNS002")
    assert state == NotEvaluated("a Get-ExchangeServer export (the Exchange servers)")


def test_every_metadata_host_with_a_record_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "DNS003") == []
    # autodiscover (Exchange), sharepoint, atl-cs-001 (the Lync pool).
    assert outcome(result, "DNS003") == Evaluated((), 3)


def test_a_pool_without_a_record_is_reported_at_the_metadata_url(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, dns_omit=("atl-cs-001.litwareinc.com",))
    (finding,) = findings(result, "DNS003")
    assert finding.message.startswith('metadata host "atl-cs-001.litwareinc.com" (Exchange ')
    assert finding.message.endswith('has no A, AAAA or CNAME record in zone "litwareinc.com"')
    assert finding.location.path == "exchange/partner-applications.xml"
    assert finding.location.pointer == "obj[0].AuthMetadataUrl"
    assert [r.path for r in finding.related] == [ZONE]


def test_a_sharepoint_host_without_a_record_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, dns_omit=("sharepoint.litwareinc.com",))
    (finding,) = findings(result, "DNS003")
    assert '"sharepoint.litwareinc.com" (partner application "microsoft.sharepoint")' in (
        finding.message
    )


def test_a_host_in_no_zone_is_not_evaluated_not_missing(tmp_path: Path) -> None:
    url = "https://sharepoint.fabrikam.com/_layouts/15/metadata/json/1"
    result = lint_spec(tmp_path, sharepoint_metadata_url=url)
    assert findings(result, "DNS003") == []
    assert outcome(result, "DNS003") == Evaluated((), 2)  # the other two hosts
    # When no host of any metadata URL is in a zone of the bundle, nothing was checked.
    only = lint_spec(
        tmp_path / "only-sharepoint",
        sharepoint_metadata_url=url,
        partner_trust_levels=(("microsoft.sharepoint", "Full"),),
        exchange_lync_app=False,
    )
    state = outcome(only, "DNS003")
    assert state == NotEvaluated("a zone export that holds sharepoint.fabrikam.com")


def test_dns003_needs_zone_exports(tmp_path: Path) -> None:
    lint_spec(tmp_path)
    (tmp_path / "bundle" / ZONE).unlink()
    state = outcome(lint_path(tmp_path / "bundle"), "DNS003")
    assert state == NotEvaluated("a zone export (dnscmd /ZoneExport or zone file)")


def test_hosts_to_resolve_lists_what_the_dns_rules_look_up(tmp_path: Path) -> None:
    from s2slint.rules.dns import hosts_to_resolve

    assert hosts_to_resolve(lint_spec(tmp_path).model) == [
        "autodiscover.litwareinc.com",
        "sharepoint.litwareinc.com",
        "atl-cs-001.litwareinc.com",
        "atl-exch-001.litwareinc.com",
    ]
