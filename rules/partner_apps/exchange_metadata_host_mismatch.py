"""PAP007 exchange-metadata-host-mismatch: Lync reads Exchange's metadata from an Exchange host."""

from __future__ import annotations

from dataclasses import dataclass

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Located, LyncPartnerApplication, Model, normalize_fqdn
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, not_evaluated

from .._shared import references as ref
from .._shared.integration import autodiscover_host
from .._shared.urls import url_host
from ._common import (
    EXCHANGE_METADATA,
    LYNC_APPS,
    LYNC_SIDE,
    judge,
    lync_app_issue,
    stands_for,
)
from ._fixes import LYNC_SHELL, exchange_metadata_url, lines, lync_identity, quoted

DOC = RuleDoc(
    what=(
        "Reports Lync's partner application for Exchange when the host of its metadata "
        "URL is none of the Exchange hosts the exports know: the autodiscover host (from "
        "Lync's `ExchangeAutodiscoverUrl`, else `autodiscover.<default SIP domain>`), the "
        "FQDN of an Exchange server (`Get-ExchangeServer`), or the host of an Exchange "
        "`AutoDiscoverServiceInternalUri` (`Get-ClientAccessService`). Microsoft's own "
        "procedure points the application at an Exchange server's FQDN, which passes. An "
        "application trusted through an OAuth server (no metadata URL) is not looked at."
    ),
    why=(
        "Exchange publishes its metadata at `https://<Exchange host>/autodiscover/metadata/"
        "json/1`. A name that is neither the autodiscover host nor an Exchange server of "
        "the organisation often means the application reads another organisation's "
        "metadata, a retired server's or a load-balancer name that does not reach "
        "Exchange: Lync then trusts the wrong certificate and rejects Exchange's tokens."
    ),
    bad=LYNC_APPS + '<S N="AuthToken">Value=https://mail.fabrikam.com/'
    "autodiscover/metadata/json/1</S>",
    good=LYNC_APPS + f'<S N="AuthToken">Value={EXCHANGE_METADATA}</S>',
    fix=(
        "# Skype for Business Server Management Shell: $identity is Lync's application for\n"
        "# Exchange, $metadataUrl Exchange's metadata on the autodiscover host\n"
        "$identity = 'microsoft.exchange'\n"
        "$metadataUrl = 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'\n"
        "Set-CsPartnerApplication -Identity $identity -MetadataUrl $metadataUrl"
    ),
    evidence=(
        "the Exchange hosts (the autodiscover host from Get-CsOAuthConfiguration or the "
        "topology, Get-ExchangeServer, Get-ClientAccessService)"
    ),
    references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.PARTNER_APPS_LYNC),
)

_NO_HOSTS = (
    "the Exchange hosts: an ExchangeAutodiscoverUrl (Get-CsOAuthConfiguration), a default "
    "SIP domain (topology), a Get-ExchangeServer or a Get-ClientAccessService export"
)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _ExchangeHosts:
    """The hosts Exchange's metadata may be read from, and where the bundle names them."""

    autodiscover: str | None
    autodiscover_source: Location | None
    servers: tuple[str, ...]
    internal_uri_hosts: tuple[str, ...]

    @property
    def all(self) -> frozenset[str]:
        """Every accepted host."""
        found = {*self.servers, *self.internal_uri_hosts}
        return frozenset(found | {self.autodiscover} if self.autodiscover else found)

    def describe(self) -> str:
        """Say which hosts were accepted, for the message ("which is {describe}")."""
        parts = []
        if self.autodiscover:
            parts.append(f'the autodiscover host "{self.autodiscover}"')
        others = sorted({*self.servers, *self.internal_uri_hosts} - {self.autodiscover})
        if others:
            parts.append("an Exchange host of the exports (" + ", ".join(others) + ")")
        return "not " + parts[0] if len(parts) == 1 else "neither " + " nor ".join(parts)

    @property
    def preferred(self) -> str | None:
        """The host to point at: the autodiscover host, else an Exchange server."""
        return self.autodiscover or (min(self.all) if self.all else None)


def _exchange_hosts(model: Model) -> _ExchangeHosts:
    found = autodiscover_host(model)
    servers = tuple(
        normalize_fqdn(server.fqdn.value)
        for server in model.exchange_servers
        if server.fqdn is not None and server.fqdn.value.strip()
    )
    internal = tuple(
        host
        for service in model.client_access_services
        if service.autodiscover_internal_uri is not None
        and (host := url_host(service.autodiscover_internal_uri.value)) is not None
    )
    return _ExchangeHosts(
        found[0] if found else None, found[1] if found else None, servers, internal
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Lync's Exchange partner application whose metadata host is no known Exchange host."""
    hosts = _exchange_hosts(model)
    if not hosts.all:
        return not_evaluated(_NO_HOSTS)
    related = (hosts.autodiscover_source,) if hosts.autodiscover_source is not None else ()

    def examine(item: tuple[LyncPartnerApplication, Located[str]]) -> Issue | None:
        app, url = item
        host = url_host(url.value)
        if host in hosts.all:
            return None
        identity = lync_identity(app)
        target = hosts.preferred
        fix = (
            lines(
                LYNC_SHELL,
                f"Set-CsPartnerApplication -Identity {quoted(identity)} "
                f"-MetadataUrl {quoted(exchange_metadata_url(target))}",
            )
            if identity and target
            else ""
        )
        return lync_app_issue(
            app,
            f'reads metadata from "{host or url.value}", which is {hosts.describe()}',
            url.loc,
            related,
            fix,
        )

    with_metadata = (
        (app, url)
        for app in model.lync_partner_applications
        if stands_for(app) == "exchange"
        if (url := app.metadata_url) is not None and url.value
    )
    return judge(with_metadata, examine)


RULE = Rule(
    code="PAP007",
    name="exchange-metadata-host-mismatch",
    severity=Severity.WARNING,
    summary="Lync's Exchange partner application reads metadata from a host that is no Exchange host",
    doc=DOC,
    check=check,
    requires=(LYNC_SIDE,),
)
