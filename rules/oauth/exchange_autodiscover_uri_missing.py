"""OAU005 exchange-autodiscover-uri-missing: an Exchange Client Access service without its URI."""

from __future__ import annotations

import re

from s2slint.findings import Issue, Severity
from s2slint.model import ClientAccessService, ExchangeServer, Model, normalize_fqdn
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.autodiscover import exchange_uri_hosts
from .._shared.judge import judge
from .._shared.powershell import argument, literal
from ._common import NEEDS_CLIENT_ACCESS, autodiscover_url
from ._fixes import host_in

SET_CLIENT_ACCESS_SERVER = (
    "https://learn.microsoft.com/en-us/powershell/module/exchange/set-clientaccessserver"
)

DOC = RuleDoc(
    what=(
        "Reports each server of `Get-ClientAccessService` (or the older "
        "`Get-ClientAccessServer`) whose `AutoDiscoverServiceInternalUri` is empty "
        "(Exchange exports an unset URI as `<Nil>`). On the Exchange side the URI "
        "rightly ends in `autodiscover.xml`; that is not reported. The fix uses the "
        "cmdlet the server's version has, read from `AdminDisplayVersion` in the "
        "`Get-ExchangeServer` export: `Set-ClientAccessService` exists from Exchange 2016 "
        "(Version 15.1) on, Exchange 2013 (Version 15.0) has only `Set-ClientAccessServer`, "
        "which later versions still accept; without the version the fix uses the latter. "
        "The URI's host is the one the other Client Access services publish, else the "
        "host of Lync's `ExchangeAutodiscoverUrl`, else `autodiscover.<default SIP domain>`."
    ),
    why=(
        "Domain-joined clients and Lync find Exchange through the service connection "
        "point this URI publishes. Left blank, Autodiscover lookups from inside the "
        "network fail or fall back to DNS guesses, and the Lync integration "
        "(unified contact store, archiving, calendar presence) breaks for users on "
        "that server."
    ),
    bad='<Nil N="AutoDiscoverServiceInternalUri" />',
    good='<URI N="AutoDiscoverServiceInternalUri">'
    "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml</URI>",
    fix=(
        "# $server: the Client Access server the finding names; $autodiscoverHost: the\n"
        "# host Exchange's Autodiscover service answers on\n"
        "$server = 'ATL-EXCH-001'\n"
        "$autodiscoverHost = 'autodiscover.litwareinc.com'\n"
        "# Exchange 2016 and later\n"
        "Set-ClientAccessService -Identity $server -AutoDiscoverServiceInternalUri "
        '"https://$autodiscoverHost/Autodiscover/Autodiscover.xml"\n'
        "# Exchange 2013 (Set-ClientAccessService does not exist there)\n"
        "Set-ClientAccessServer -Identity $server -AutoDiscoverServiceInternalUri "
        '"https://$autodiscoverHost/Autodiscover/Autodiscover.xml"'
    ),
    references=(
        ref.INTEGRATE_EXCHANGE_SFB,
        ref.SET_CLIENT_ACCESS_SERVICE,
        SET_CLIENT_ACCESS_SERVER,
    ),
)

_VERSION = r"(\d+)\.(\d+)"
"""Compiled when an export shows a version (and kept by `re`'s cache), not on import."""


def exchange_version(server: ExchangeServer) -> tuple[int, int] | None:
    """Return (major, minor) of a server's AdminDisplayVersion ("Version 15.0 (Build …)")."""
    shown = server.admin_display_version
    found = re.search(_VERSION, shown.value) if shown is not None else None
    return (int(found.group(1)), int(found.group(2))) if found else None


def _server_of(model: Model, service: ClientAccessService) -> ExchangeServer | None:
    """Return the Get-ExchangeServer entry of a Client Access service (by name or FQDN)."""
    name = normalize_fqdn(service.name.value) if service.name is not None else ""
    for server in model.exchange_servers:
        names = {normalize_fqdn(server.name.value)}
        if server.fqdn is not None:
            names |= {
                normalize_fqdn(server.fqdn.value),
                normalize_fqdn(server.fqdn.value).split(".")[0],
            }
        if name in names:
            return server
    return None


def client_access_cmdlet(model: Model, service: ClientAccessService) -> str:
    """Choose the cmdlet the server's Exchange version has.

    `Set-ClientAccessService` from Exchange 2016 (15.1) on; `Set-ClientAccessServer` for
    Exchange 2013 (15.0) and earlier, and when the version is unknown (every version
    from 2010 to 2019 accepts it).
    """
    server = _server_of(model, service)
    version = exchange_version(server) if server is not None else None
    return (
        "Set-ClientAccessService"
        if version is not None and version >= (15, 1)
        else ("Set-ClientAccessServer")
    )


def _autodiscover_host(model: Model) -> str | None:
    """The host to publish: the other services', else Lync's URL's, else the SIP domain's."""
    hosts = sorted(set(exchange_uri_hosts(model)))
    if hosts:
        return next((h for h in hosts if h.startswith("autodiscover.")), hosts[0])
    for config in model.oauth_configurations:
        url = autodiscover_url(config)
        host = host_in(url.value) if url is not None else None
        if host is not None:
            return host
    domain = model.default_sip_domain
    return f"autodiscover.{normalize_fqdn(domain.value)}" if domain is not None else None


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an Exchange Client Access service without AutoDiscoverServiceInternalUri.

    Exchange writes an unset URI as `<Nil>`, which reads as None: here that is "empty".
    """
    host = _autodiscover_host(model)

    def empty_uri(service: ClientAccessService, _: ClientAccessService) -> Issue | None:
        uri = service.autodiscover_internal_uri
        if uri is not None and uri.value:
            return None
        name = service.name.value if service.name is not None else "(unnamed)"
        fix = ""
        if host is not None and service.name is not None:
            target = f"https://{host}/Autodiscover/Autodiscover.xml"
            fix = (
                f"{client_access_cmdlet(model, service)} -Identity {argument(name)} "
                f"-AutoDiscoverServiceInternalUri {literal(target)}"
            )
        return Issue(
            f'Exchange Client Access service "{name}" has an empty AutoDiscoverServiceInternalUri',
            uri.loc if uri is not None else service.loc,
            key=f"client-access:{name.lower()}",
            fix=fix,
        )

    return judge(model.client_access_services, lambda service: service, empty_uri)


RULE = Rule(
    code="OAU005",
    name="exchange-autodiscover-uri-missing",
    severity=Severity.ERROR,
    summary="An Exchange Client Access service has an empty AutoDiscoverServiceInternalUri",
    check=check,
    doc=DOC,
    requires=(NEEDS_CLIENT_ACCESS,),
)
