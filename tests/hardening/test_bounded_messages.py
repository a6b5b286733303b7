"""Rule messages list at most a few objects (issue 15, item 4): a bundle with thousands of
partner applications, or names of megabytes, gives a message of a few hundred characters."""

from __future__ import annotations

from datetime import UTC, datetime

from s2slint.findings import Location
from s2slint.model import Located, LyncPartnerApplication, Model, OAuthConfiguration
from s2slint.rule import Evaluated, RuleContext
from s2slint.testing import registry

HERE = Location("lync/partner-applications.xml", 1, 1)


def app(name: str) -> LyncPartnerApplication:
    return LyncPartnerApplication(
        loc=HERE,
        identity=Located.at(name, HERE),
        application_identifier=Located.at("6a0c2e4f-8b1d-4c3a-9e5f-7d6b8a9c0e1f", HERE),
        application_trust_level=Located.at("Full", HERE),
        metadata_url=None,
        enabled=Located.at(True, HERE),
        realm=None,
    )


def test_pap004_lists_ten_applications_and_counts_the_rest() -> None:
    url = "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc"
    config = OAuthConfiguration(
        loc=HERE,
        identity=Located.at("Global", HERE),
        exchange_autodiscover_url=Located.at(url, HERE),
        realm=None,
        service_name=None,
        client_authorization_oauth_server_identity=None,
    )
    apps = (app("x" * 20_000), *(app(f"recorder-{n:04d}") for n in range(4_999)))
    model = Model(oauth_configurations=(config,), lync_partner_applications=apps)
    rule = registry().rule("PAP004")
    assert rule is not None and rule.check is not None
    outcome = rule.check(model, RuleContext(now=datetime(2026, 11, 21, tzinfo=UTC)))
    assert isinstance(outcome, Evaluated)
    (issue,) = outcome.issues
    assert "and 4,990 more" in issue.message
    assert "(20,000 characters)" in issue.message
    assert len(issue.message) < 1_000
