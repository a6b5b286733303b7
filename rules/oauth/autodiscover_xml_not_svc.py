"""OAU001 autodiscover-xml-not-svc: Lync's ExchangeAutodiscoverUrl names the XML file."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model, OAuthConfiguration
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.judge import judge
from .._shared.urls import points_to_xml, svc_url_for
from ._common import AUTODISCOVER_KEY, NEEDS_OAUTH, SET_AUTODISCOVER_URL, autodiscover_url
from ._fixes import host_in, set_autodiscover_url

DOC = RuleDoc(
    what=(
        "Reports a `Get-CsOAuthConfiguration` whose `ExchangeAutodiscoverUrl` ends in "
        "`autodiscover.xml`. Lync talks to the Autodiscover *service*, "
        "`/autodiscover/autodiscover.svc`. (Exchange's own "
        "`AutoDiscoverServiceInternalUri` rightly ends in `autodiscover.xml`; this "
        "rule does not look at it.) The fix keeps the host and names the service."
    ),
    why=(
        "With the XML URL Lync cannot discover the Exchange Web Services endpoints: "
        "the unified contact store, Exchange archiving and Outlook calendar "
        "presence fail, and `Test-CsExStorageConnectivity` reports an error. It is "
        "the most frequent mistake of the integration, because the Exchange side "
        "uses the `.xml` URL and administrators copy it."
    ),
    bad='<S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml</S>',
    good='<S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc</S>',
    fix=SET_AUTODISCOVER_URL,
    references=(
        ref.INTEGRATION_PREREQUISITES_LYNC,
        ref.INTEGRATE_EXCHANGE_SFB,
        ref.MANAGE_S2S_SFB,
    ),
)


def _xml_url(config: OAuthConfiguration, _: OAuthConfiguration) -> Issue | None:
    url = autodiscover_url(config)
    if url is None or not points_to_xml(url.value):
        return None
    host = host_in(url.value)
    return Issue(
        f"ExchangeAutodiscoverUrl points to autodiscover.xml; use {svc_url_for(url.value)}",
        url.loc,
        key=AUTODISCOVER_KEY,
        fix=set_autodiscover_url(config, host) if host is not None else "",
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an ExchangeAutodiscoverUrl that ends in autodiscover.xml (every configuration counts)."""
    return judge(model.oauth_configurations, lambda config: config, _xml_url)


RULE = Rule(
    code="OAU001",
    name="autodiscover-xml-not-svc",
    severity=Severity.ERROR,
    summary="Lync's ExchangeAutodiscoverUrl points to autodiscover.xml instead of autodiscover.svc",
    check=check,
    doc=DOC,
    requires=(NEEDS_OAUTH,),
)
