"""OAU002 autodiscover-url-missing and OAU003 autodiscover-url-malformed."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome

from s2slint.rule import Evaluated, NotEvaluated

ADV = "use https://{}/autodiscover/autodiscover.svc"


def test_a_set_url_passes_both(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "OAU002") == [] and findings(result, "OAU003") == []
    assert outcome(result, "OAU002") == Evaluated((), 1)
    assert outcome(result, "OAU003") == Evaluated((), 1)


def test_an_empty_url_with_exchange_configured_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_autodiscover_url="")
    (finding,) = findings(result, "OAU002")
    assert finding.message.startswith(
        "ExchangeAutodiscoverUrl is empty although Exchange integration is configured"
    )
    assert finding.location.pointer == "obj[0].ExchangeAutodiscoverUrl"
    # Both sides' partner applications show that the integration is configured.
    assert [r.path for r in finding.related] == [
        "lync/partner-applications.xml",
        "exchange/partner-applications.xml",
    ]
    assert findings(result, "OAU003") == []  # empty is OAU002's business, not malformed


def test_exchange_side_alone_shows_the_integration(tmp_path: Path) -> None:
    # Lync has only SharePoint; Exchange's partner application for Lync is enough.
    result = lint_spec(
        tmp_path,
        exchange_autodiscover_url="",
        partner_trust_levels=(("microsoft.sharepoint", "Full"),),
    )
    (finding,) = findings(result, "OAU002")
    assert [r.path for r in finding.related] == ["exchange/partner-applications.xml"]


def test_without_exchange_partner_applications_an_empty_url_is_fine(tmp_path: Path) -> None:
    # Exchange Online's partner application is not part of the Lync integration.
    result = lint_spec(
        tmp_path,
        exchange_autodiscover_url="",
        partner_trust_levels=(("microsoft.sharepoint", "Full"),),
        exchange_lync_app=False,
    )
    assert findings(result, "OAU002") == []
    assert outcome(result, "OAU002") == Evaluated((), 0)


def test_oau002_needs_the_oauth_configuration_and_a_partner_export(tmp_path: Path) -> None:
    lint_spec(tmp_path, exchange_autodiscover_url="")
    bundle = tmp_path / "bundle"
    for path in ("lync/partner-applications.xml", "exchange/partner-applications.xml"):
        (bundle / path).unlink()
    state = outcome(lint_path(bundle), "OAU002")
    assert isinstance(state, NotEvaluated) and "Get-PartnerApplication" in state.missing
    (bundle / "lync" / "oauth-configuration.xml").unlink()
    state = outcome(lint_path(bundle), "OAU002")
    assert isinstance(state, NotEvaluated) and "Get-CsOAuthConfiguration" in state.missing


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (
            "http://autodiscover.litwareinc.com/autodiscover/autodiscover.svc",
            'uses "http", not https',
        ),
        (
            "https://atl-exch-001.litwareinc.com/EWS/Exchange.asmx",
            "does not end in /autodiscover/autodiscover.svc",
        ),
        (
            "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc/",
            "does not end in /autodiscover/autodiscover.svc",
        ),
        ("autodiscover.litwareinc.com/autodiscover/autodiscover.svc", "is not an absolute URL"),
        (
            "https://autodiscover.litwareinc.com:44x/autodiscover/autodiscover.svc",
            "cannot be read as a URL",
        ),
        ("https://[autodiscover/autodiscover/autodiscover.svc", "cannot be read as a URL"),
    ],
)
def test_malformed_urls_are_reported(tmp_path: Path, url: str, problem: str) -> None:
    result = lint_spec(tmp_path, exchange_autodiscover_url=url)
    (finding,) = findings(result, "OAU003")
    assert finding.message.startswith(f'ExchangeAutodiscoverUrl "{url}" {problem}')
    assert finding.location.pointer == "obj[0].ExchangeAutodiscoverUrl"


def test_malformed_message_names_the_url_to_use(tmp_path: Path) -> None:
    url = "https://atl-exch-001.litwareinc.com/EWS/Exchange.asmx"
    (finding,) = findings(lint_spec(tmp_path, exchange_autodiscover_url=url), "OAU003")
    assert finding.message.endswith(ADV.format("atl-exch-001.litwareinc.com"))


def test_letter_case_does_not_matter(tmp_path: Path) -> None:
    url = "HTTPS://Autodiscover.LitwareInc.com/Autodiscover/Autodiscover.svc"
    assert findings(lint_spec(tmp_path, exchange_autodiscover_url=url), "OAU003") == []


def test_the_xml_url_is_left_to_oau001(tmp_path: Path) -> None:
    url = "http://autodiscover.litwareinc.com/autodiscover/autodiscover.xml"
    result = lint_spec(tmp_path, exchange_autodiscover_url=url)
    assert len(findings(result, "OAU001")) == 1
    assert findings(result, "OAU003") == []


def test_oau003_without_the_oauth_configuration_is_not_evaluated(tmp_path: Path) -> None:
    lint_spec(tmp_path)
    bundle = tmp_path / "bundle"
    (bundle / "lync" / "oauth-configuration.xml").unlink()
    state = outcome(lint_path(bundle), "OAU003")
    assert state == NotEvaluated("a Get-CsOAuthConfiguration export")
