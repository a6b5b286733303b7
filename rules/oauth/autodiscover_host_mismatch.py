"""OAU006 autodiscover-host-mismatch: Lync and Exchange name different Autodiscover hosts."""

from __future__ import annotations

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Located, Model, OAuthConfiguration
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.urls import url_host
from ._common import (
    AUTODISCOVER_KEY,
    CLIENT_ACCESS_EXPORT,
    OAUTH_EXPORT,
    OAUTH_SETTINGS,
    autodiscover_url,
    judge,
)

_EXCHANGE_URI = (
    "<!-- Get-ClientAccessService -->\n"
    '<URI N="AutoDiscoverServiceInternalUri">https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml</URI>'
)

DOC = RuleDoc(
    what=(
        "Compares the host of Lync's `ExchangeAutodiscoverUrl` with the hosts of "
        "Exchange's `AutoDiscoverServiceInternalUri` (one per Client Access service) "
        "and reports when Lync's host is none of them. Only hosts are compared: "
        "Lync's URL ends in `autodiscover.svc`, Exchange's rightly in "
        "`autodiscover.xml`."
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
    fix=(
        "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl "
        '"https://<Exchange autodiscover host>/autodiscover/autodiscover.svc"'
    ),
    evidence="a Get-CsOAuthConfiguration export and a Get-ClientAccessService export",
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


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Compare the host of Lync's ExchangeAutodiscoverUrl with Exchange's internal URI hosts."""
    if not model.oauth_configurations:
        return not_evaluated(OAUTH_EXPORT)
    if not model.client_access_services:
        return not_evaluated(CLIENT_ACCESS_EXPORT)
    exchange = exchange_autodiscover_hosts(model)
    if not exchange:
        return evaluated((), 0)  # no Exchange URI to compare with: OAU005's business

    def lync_host(config: OAuthConfiguration) -> tuple[str, Located[str]] | None:
        url = autodiscover_url(config)
        host = url_host(url.value) if url is not None else None
        return (host, url) if host is not None and url is not None else None

    def differs(config: OAuthConfiguration, seen: tuple[str, Located[str]]) -> Issue | None:
        host, url = seen
        if host in exchange:
            return None
        listing = ", ".join(f'"{h}"' for h in sorted(exchange))
        return Issue(
            f'ExchangeAutodiscoverUrl host "{host}" differs from the host of Exchange\'s '
            f"AutoDiscoverServiceInternalUri ({listing})",
            url.loc,
            related=tuple(exchange[h] for h in sorted(exchange)),
            key=AUTODISCOVER_KEY,
        )

    return judge(model.oauth_configurations, lync_host, differs)


RULE = Rule(
    code="OAU006",
    name="autodiscover-host-mismatch",
    severity=Severity.WARNING,
    summary="Lync's ExchangeAutodiscoverUrl host differs from Exchange's Autodiscover host",
    check=check,
    doc=DOC,
)
