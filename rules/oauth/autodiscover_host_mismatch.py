"""OAU006 autodiscover-host-mismatch: Lync and Exchange name different Autodiscover hosts."""

from __future__ import annotations

from s2slint.findings import Issue, Location, Severity
from s2slint.messages import bounded_list
from s2slint.model import Located, Model, OAuthConfiguration
from s2slint.rule import (
    Outcome,
    Rule,
    RuleContext,
    RuleDoc,
    evaluated,
    not_applicable,
    not_evaluated,
)

from .._shared import references as ref
from .._shared.integration import (
    ONPREM_EXCHANGE_NOT_CONFIGURED,
    ONPREM_EXCHANGE_UNKNOWN,
    has_partner_exports,
    onprem_exchange_integration,
)
from .._shared.judge import judge
from .._shared.urls import url_host
from ._common import (
    AUTODISCOVER_KEY,
    CLIENT_ACCESS_EXPORT,
    NEEDS_OAUTH,
    OAUTH_SETTINGS,
    SET_AUTODISCOVER_URL,
    autodiscover_url,
    is_exchange_online_host,
)
from ._fixes import set_autodiscover_url

_EXCHANGE_URI = (
    "<!-- Get-ClientAccessService -->\n"
    '<URI N="AutoDiscoverServiceInternalUri">https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml</URI>'
)

DOC = RuleDoc(
    what=(
        "When on-premises Exchange integration is configured, compares the host of "
        "Lync's `ExchangeAutodiscoverUrl` with the hosts of Exchange's "
        "`AutoDiscoverServiceInternalUri` (one per Client Access service) and reports "
        "when Lync's host is none of them. Only hosts are compared: Lync's URL ends in "
        "`autodiscover.svc`, Exchange's rightly in `autodiscover.xml`. Not applicable "
        "without an on-premises trust (Lync's Exchange application with "
        "`UseOAuthServer` trusts Exchange Online, Exchange's `SfBLegacy` Skype for "
        "Business Online), nor to an Exchange Online URL (`autodiscover-s.outlook.com`)."
    ),
    why=(
        "Both URLs should lead to the same Autodiscover endpoint. A different host "
        "often means Lync points at a retired server, a name without a record, or a "
        "name the Exchange certificate does not cover; server-to-server calls then "
        "fail while Outlook, which uses Exchange's URI, keeps working."
    ),
    bad=OAUTH_SETTINGS
    + '<S N="ExchangeAutodiscoverUrl">https://mail.litwareinc.com/autodiscover/autodiscover.svc</S>\n'
    + _EXCHANGE_URI,
    good=OAUTH_SETTINGS
    + '<S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc</S>\n'
    + _EXCHANGE_URI,
    fix=SET_AUTODISCOVER_URL,
    evidence=f"{ONPREM_EXCHANGE_UNKNOWN}; and {CLIENT_ACCESS_EXPORT}",
    references=(ref.INTEGRATE_EXCHANGE_SFB, ref.INTEGRATION_PREREQUISITES_LYNC),
)


def exchange_autodiscover_hosts(model: Model) -> dict[str, Location]:
    """Return the hosts of Exchange's AutoDiscoverServiceInternalUri, with where each is set."""
    hosts: dict[str, Location] = {}
    for service in model.client_access_services:
        uri = service.autodiscover_internal_uri
        host = url_host(uri.value) if uri is not None and uri.value else None
        if host is not None and uri is not None:
            hosts.setdefault(host, uri.loc)
    return hosts


def _lync_host(config: OAuthConfiguration) -> tuple[str, Located[str]] | None:
    """Return the host of Lync's URL when it is set and not Exchange Online's."""
    url = autodiscover_url(config)
    host = url_host(url.value) if url is not None else None
    if host is None or url is None or is_exchange_online_host(host):
        return None
    return host, url


def _online_urls(model: Model) -> list[str]:
    """Return Lync's autodiscover URLs that are Exchange Online's."""
    urls = (autodiscover_url(config) for config in model.oauth_configurations)
    return [
        url.value
        for url in urls
        if url is not None and is_exchange_online_host(url_host(url.value) or "")
    ]


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Compare the host of Lync's ExchangeAutodiscoverUrl with Exchange's internal URI hosts."""
    if not has_partner_exports(model):
        return not_evaluated(ONPREM_EXCHANGE_UNKNOWN)
    if not onprem_exchange_integration(model):
        return not_applicable(ONPREM_EXCHANGE_NOT_CONFIGURED)
    online = _online_urls(model)
    if online and len(online) == len(model.oauth_configurations):
        return not_applicable(f"Lync's ExchangeAutodiscoverUrl is Exchange Online's ({online[0]})")
    if not model.client_access_services:
        return not_evaluated(CLIENT_ACCESS_EXPORT)
    exchange = exchange_autodiscover_hosts(model)
    if not exchange:
        return evaluated((), 0)  # no Exchange URI to compare with: OAU005 reports it
    listing = bounded_list(f'"{h}"' for h in sorted(exchange))
    target = next((h for h in sorted(exchange) if h.startswith("autodiscover.")), min(exchange))

    def differs(config: OAuthConfiguration, seen: tuple[str, Located[str]]) -> Issue | None:
        host, url = seen
        if host in exchange:
            return None
        return Issue(
            f'ExchangeAutodiscoverUrl host "{host}" differs from the host of Exchange\'s '
            f"AutoDiscoverServiceInternalUri ({listing})",
            url.loc,
            related=tuple(exchange[h] for h in sorted(exchange)),
            key=AUTODISCOVER_KEY,
            fix=set_autodiscover_url(config, target),
        )

    return judge(model.oauth_configurations, _lync_host, differs)


RULE = Rule(
    code="OAU006",
    name="autodiscover-host-mismatch",
    severity=Severity.WARNING,
    summary="Lync's ExchangeAutodiscoverUrl host differs from Exchange's Autodiscover host",
    check=check,
    doc=DOC,
    requires=(NEEDS_OAUTH,),
)
