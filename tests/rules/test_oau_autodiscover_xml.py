"""OAU001 autodiscover-xml-not-svc."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome

from s2slint.rule import NotEvaluated


def test_svc_url_passes(tmp_path: Path) -> None:
    assert findings(lint_spec(tmp_path), "OAU001") == []


@pytest.mark.parametrize(
    "url",
    [
        "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml",
        "https://autodiscover.litwareinc.com/Autodiscover/Autodiscover.XML",
        "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml/",
    ],
)
def test_xml_url_is_reported_at_the_property_with_the_svc_url(tmp_path: Path, url: str) -> None:
    result = lint_spec(tmp_path, exchange_autodiscover_url=url)
    (finding,) = findings(result, "OAU001")
    assert finding.message == (
        "ExchangeAutodiscoverUrl points to autodiscover.xml; use "
        "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc"
    )
    assert finding.location.path == "lync/oauth-configuration.xml"
    assert finding.location.pointer == "obj[0].ExchangeAutodiscoverUrl"
    text = (tmp_path / "bundle" / "lync" / "oauth-configuration.xml").read_bytes().decode("utf-16")
    line = text.splitlines()[finding.location.line - 1]  # type: ignore[operator]
    assert line[finding.location.column - 1 :].startswith('<S N="ExchangeAutodiscoverUrl">')  # type: ignore[operator]


def test_exchange_side_xml_uri_is_not_this_rules_business(tmp_path: Path) -> None:
    # Exchange's AutoDiscoverServiceInternalUri rightly ends in autodiscover.xml.
    result = lint_spec(tmp_path)
    assert any(
        s.autodiscover_internal_uri and s.autodiscover_internal_uri.value.endswith(".xml")
        for s in result.model.client_access_services
    )
    assert findings(result, "OAU001") == []


def test_without_the_oauth_configuration_export_it_is_not_evaluated(tmp_path: Path) -> None:
    lint_spec(tmp_path)
    bundle = tmp_path / "bundle"
    (bundle / "lync" / "oauth-configuration.xml").unlink()

    assert isinstance(outcome(lint_path(bundle), "OAU001"), NotEvaluated)
