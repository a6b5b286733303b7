"""OAU: Lync's OAuth configuration (`Get-CsOAuthConfiguration`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from . import references as ref


def svc_url_for(url: str) -> str:
    """Return the `autodiscover.svc` URL an `autodiscover.xml` URL should have been."""
    parts = urlsplit(url.strip())
    host = parts.netloc or parts.path.split("/")[0]
    return f"https://{host}/autodiscover/autodiscover.svc"


def points_to_xml(url: str) -> bool:
    """Tell whether a URL names the Autodiscover XML file rather than the service."""
    path = urlsplit(url.strip()).path.rstrip("/").lower()
    return path.endswith("autodiscover.xml")


def check_autodiscover_xml(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an ExchangeAutodiscoverUrl that ends in autodiscover.xml."""
    configs = model.oauth_configurations
    if not configs:
        return not_evaluated("a Get-CsOAuthConfiguration export")
    issues = []
    for config in configs:
        url = config.exchange_autodiscover_url
        if url is not None and url.value and points_to_xml(url.value):
            issues.append(
                Issue(
                    f"ExchangeAutodiscoverUrl points to autodiscover.xml; use {svc_url_for(url.value)}",
                    url.loc,
                    key="oauth-configuration:ExchangeAutodiscoverUrl",
                )
            )
    return evaluated(issues, len(configs))


RULES = (
    Rule(
        code="OAU001",
        name="autodiscover-xml-not-svc",
        severity=Severity.ERROR,
        summary="Lync's ExchangeAutodiscoverUrl points to autodiscover.xml instead of autodiscover.svc",
        check=check_autodiscover_xml,
        doc=RuleDoc(
            what=(
                "Reports a `Get-CsOAuthConfiguration` whose `ExchangeAutodiscoverUrl` ends in "
                "`autodiscover.xml`. Lync talks to the Autodiscover *service*, "
                "`/autodiscover/autodiscover.svc`. (Exchange's own "
                "`AutoDiscoverServiceInternalUri` rightly ends in `autodiscover.xml`; this "
                "rule does not look at it.)"
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
            fix=(
                "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl "
                '"https://autodiscover.<domain>/autodiscover/autodiscover.svc"'
            ),
            evidence="a Get-CsOAuthConfiguration export",
            references=(
                ref.INTEGRATION_PREREQUISITES_LYNC,
                ref.INTEGRATE_EXCHANGE_SFB,
                ref.MANAGE_S2S_SFB,
            ),
        ),
    ),
)
