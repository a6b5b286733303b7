"""PAP002 metadata-url-suffix, PAP003 metadata-url-not-https, PAP006
lync-metadata-host-unknown and PAP007 exchange-metadata-host-mismatch."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome

from s2slint.rule import Evaluated, NotEvaluated

EXCHANGE_SVC = "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc"


def _without(tmp_path: Path, *paths: str) -> Path:
    lint_spec(tmp_path)
    bundle = tmp_path / "bundle"
    for path in paths:
        (bundle / path).unlink()
    return bundle


def test_healthy_metadata_urls_pass(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    # Lync's Exchange and SharePoint applications and Exchange's application for Lync.
    for code in ("PAP002", "PAP003"):
        assert findings(result, code) == []
        assert outcome(result, code) == Evaluated((), 3)
    for code in ("PAP006", "PAP007"):
        assert findings(result, code) == []
        assert outcome(result, code) == Evaluated((), 1)


@pytest.mark.parametrize(
    "url",
    [
        EXCHANGE_SVC,
        "https://autodiscover.litwareinc.com/autodiscover/metadata/json",
        "https://autodiscover.litwareinc.com/",
    ],
)
def test_lync_metadata_url_without_the_suffix_is_reported(tmp_path: Path, url: str) -> None:
    result = lint_spec(tmp_path, exchange_metadata_url=url)
    (finding,) = findings(result, "PAP002")
    assert finding.message == (
        f'metadata URL "{url}" of partner application "microsoft.exchange" does not end in '
        "/metadata/json/1"
    )
    assert finding.location.path == "lync/partner-applications.xml"
    assert finding.location.pointer == "obj[0].AuthToken"


def test_exchange_metadata_url_without_the_suffix_is_reported(tmp_path: Path) -> None:
    url = "https://atl-cs-001.litwareinc.com/"
    result = lint_spec(tmp_path, lync_metadata_url=url)
    (finding,) = findings(result, "PAP002")
    assert finding.location.path == "exchange/partner-applications.xml"
    assert finding.message.startswith(f'metadata URL "{url}" of Exchange partner application "Lync')


def test_sharepoint_legacy_handler_is_reported(tmp_path: Path) -> None:
    url = "https://sharepoint.litwareinc.com/_layouts/15/jsonmetadata.ashx"
    result = lint_spec(tmp_path, sharepoint_metadata_url=url)
    (finding,) = findings(result, "PAP002")
    assert '"microsoft.sharepoint"' in finding.message
    assert finding.location.pointer == "obj[1].MetadataUrl"


def test_plain_http_metadata_is_reported_on_either_side(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        lync_metadata_url="http://atl-cs-001.litwareinc.com/metadata/json/1",
        sharepoint_metadata_url="HTTP://sharepoint.litwareinc.com/_layouts/15/metadata/json/1",
    )
    reported = findings(result, "PAP003")
    assert [f.location.path for f in reported] == [
        "exchange/partner-applications.xml",
        "lync/partner-applications.xml",
    ]
    assert reported[0].message.endswith("is not https")
    assert findings(result, "PAP002") == []


def test_url_rules_need_a_partner_application_export(tmp_path: Path) -> None:
    bundle = _without(
        tmp_path, "lync/partner-applications.xml", "exchange/partner-applications.xml"
    )
    result = lint_path(bundle)
    for code in ("PAP002", "PAP003"):
        assert isinstance(outcome(result, code), NotEvaluated)


def test_exchange_reading_lync_metadata_from_no_pool_is_reported(tmp_path: Path) -> None:
    url = "https://atl-cs-002.litwareinc.com/metadata/json/1"
    result = lint_spec(tmp_path, lync_metadata_url=url)
    (finding,) = findings(result, "PAP006")
    assert finding.message.endswith(
        'reads Lync metadata from "atl-cs-002.litwareinc.com", which is not a Lync pool of '
        "the topology (atl-cs-001.litwareinc.com)"
    )
    assert finding.location.pointer == "obj[0].AuthMetadataUrl"


def test_a_front_end_server_name_is_not_the_pool(tmp_path: Path) -> None:
    url = "https://atl-fe-01.litwareinc.com/metadata/json/1"
    assert len(findings(lint_spec(tmp_path, lync_metadata_url=url), "PAP006")) == 1


def test_a_sql_cluster_is_not_a_lync_pool(tmp_path: Path) -> None:
    url = "https://atl-sql-001.litwareinc.com/metadata/json/1"
    assert len(findings(lint_spec(tmp_path, lync_metadata_url=url), "PAP006")) == 1


def test_pap006_needs_exchange_apps_and_the_topology(tmp_path: Path) -> None:
    bundle = _without(tmp_path, "lync/topology.xml")
    state = outcome(lint_path(bundle), "PAP006")
    assert state == NotEvaluated("the topology (the Lync pool FQDNs)")
    (bundle / "exchange" / "partner-applications.xml").unlink()
    state = outcome(lint_path(bundle), "PAP006")
    assert state == NotEvaluated("an Exchange Get-PartnerApplication export")


def test_exchange_metadata_from_a_single_server_is_reported(tmp_path: Path) -> None:
    url = "https://atl-exch-001.litwareinc.com/autodiscover/metadata/json/1"
    result = lint_spec(tmp_path, exchange_metadata_url=url)
    (finding,) = findings(result, "PAP007")
    assert finding.message == (
        'partner application "microsoft.exchange" (Exchange) reads metadata from '
        '"atl-exch-001.litwareinc.com", not from the autodiscover host '
        '"autodiscover.litwareinc.com"'
    )
    assert [r.pointer for r in finding.related] == ["obj[0].ExchangeAutodiscoverUrl"]


def test_the_autodiscover_host_follows_lyncs_url(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        exchange_autodiscover_url="https://mail.litwareinc.com/autodiscover/autodiscover.svc",
        exchange_metadata_url="https://mail.litwareinc.com/autodiscover/metadata/json/1",
    )
    assert findings(result, "PAP007") == []


def test_pap007_without_the_lync_partner_applications_is_not_evaluated(tmp_path: Path) -> None:
    bundle = _without(tmp_path, "lync/partner-applications.xml")
    assert outcome(lint_path(bundle), "PAP007") == NotEvaluated("a Get-CsPartnerApplication export")
