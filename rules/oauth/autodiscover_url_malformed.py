"""OAU003 autodiscover-url-malformed: Lync's autodiscover URL is not the Autodiscover service."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Located, Model, OAuthConfiguration
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.autodiscover import exchange_autodiscover_host
from .._shared.judge import judge
from .._shared.urls import SVC_PATH, autodiscover_url_problem, points_to_xml, url_host
from ._common import (
    AUTODISCOVER_KEY,
    NEEDS_OAUTH,
    OAUTH_SETTINGS,
    SET_AUTODISCOVER_URL,
    autodiscover_url,
    without_trailing_slash,
)
from ._fixes import host_in, set_autodiscover_url

DOC = RuleDoc(
    what=(
        "Reports a non-empty `ExchangeAutodiscoverUrl` that is not an absolute https "
        "URL whose path ends in `/autodiscover/autodiscover.svc` (letter case does not "
        "matter, and one trailing slash is tolerated, as by every URL rule): a plain "
        "http URL, a bare host name, the EWS URL (`/EWS/Exchange.asmx`) instead of "
        "Autodiscover. A URL ending in `autodiscover.xml` is left to OAU001, which names "
        "the URL to use; an empty one to OAU002. The fix keeps the URL's host (else the "
        "host of Exchange's `AutoDiscoverServiceInternalUri`)."
    ),
    why=(
        "Lync calls this URL with server-to-server tokens to find Exchange Web "
        "Services. Any other endpoint answers with an error or a redirect Lync does "
        "not follow, so the unified contact store, Exchange archiving and calendar "
        "presence fail, and `Test-CsExStorageConnectivity` reports an error."
    ),
    bad=OAUTH_SETTINGS
    + '<S N="ExchangeAutodiscoverUrl">http://atl-exch-001.litwareinc.com/EWS/Exchange.asmx</S>',
    good=OAUTH_SETTINGS
    + '<S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc</S>',
    fix=SET_AUTODISCOVER_URL,
    references=(ref.INTEGRATE_EXCHANGE_SFB, ref.INTEGRATION_PREREQUISITES_LYNC),
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an ExchangeAutodiscoverUrl that is not https://<host>/autodiscover/autodiscover.svc.

    An empty URL is OAU002's business and is not counted.
    """

    def malformed(config: OAuthConfiguration, url: Located[str]) -> Issue | None:
        if points_to_xml(url.value):
            return None  # OAU001 reports it, with the .svc URL to use
        problem = autodiscover_url_problem(without_trailing_slash(url.value))
        if problem is None:
            return None
        host = url_host(url.value)
        advice = f"; use https://{host}{SVC_PATH}" if host else ""
        target = host_in(url.value) or exchange_autodiscover_host(model)
        return Issue(
            f'ExchangeAutodiscoverUrl "{url.value}" {problem}{advice}',
            url.loc,
            key=AUTODISCOVER_KEY,
            fix=set_autodiscover_url(config, target) if target is not None else "",
        )

    return judge(model.oauth_configurations, autodiscover_url, malformed)


RULE = Rule(
    code="OAU003",
    name="autodiscover-url-malformed",
    severity=Severity.ERROR,
    summary="Lync's ExchangeAutodiscoverUrl is not https://<host>/autodiscover/autodiscover.svc",
    check=check,
    doc=DOC,
    requires=(NEEDS_OAUTH,),
)
