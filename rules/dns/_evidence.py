"""What the bundle says about a host's records: zone exports, CNAME chains and live answers.

Every DNS rule reads hosts through these helpers, so that "held by no zone" (unknown),
"no record" (missing) and "live DNS disagrees" (a stale export) mean the same thing in
each of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from s2slint.evidence import Export
from s2slint.findings import Location
from s2slint.model import DnsRecord, DnsZone, LiveDnsAnswer, Model, Pool, normalize_fqdn
from s2slint.rule import NotApplicable, NotEvaluated, not_applicable, not_evaluated

from .._shared.integration import (
    ONPREM_EXCHANGE_NOT_CONFIGURED,
    ONPREM_EXCHANGE_UNKNOWN,
    has_partner_exports,
    lync_apps_for,
    metadata_urls,
    onprem_exchange_integration,
)
from .._shared.urls import is_dns_name, url_host

AUTODISCOVER_SOURCES = (
    "the autodiscover host: an ExchangeAutodiscoverUrl (Get-CsOAuthConfiguration) "
    "or a default SIP domain (topology)"
)
ZONE_EXPORT = Export.DNS_ZONES.phrase
_ADDRESS_TYPES = ("A", "AAAA")
_NAME_TYPES = ("A", "AAAA", "CNAME")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class AutodiscoverHost:
    """The host Lync looks Exchange up by, and where the bundle names it.

    `guessed` is True for `autodiscover.<default SIP domain>` (Lync's URL is empty).
    """

    host: str
    source: Location | None
    guessed: bool


def autodiscover_target(model: Model) -> AutodiscoverHost | NotEvaluated | NotApplicable:
    """Return the autodiscover host the DNS rules look up (catalogue v2).

    The host of Lync's `ExchangeAutodiscoverUrl`; else, only when on-premises Exchange
    integration is configured, `autodiscover.<default SIP domain>`. A Lync that trusts
    SharePoint alone, or Exchange Online alone, has no autodiscover host to guess.
    """
    for config in model.oauth_configurations:
        url = config.exchange_autodiscover_url
        host = url_host(url.value) if url is not None and url.value else None
        if host is not None and url is not None:
            return AutodiscoverHost(host, url.loc, guessed=False)
    domain = model.default_sip_domain
    if domain is None:
        return not_evaluated(AUTODISCOVER_SOURCES)
    if not has_partner_exports(model):
        return not_evaluated(ONPREM_EXCHANGE_UNKNOWN)
    if not onprem_exchange_integration(model):
        return not_applicable(ONPREM_EXCHANGE_NOT_CONFIGURED)
    return AutodiscoverHost(f"autodiscover.{normalize_fqdn(domain.value)}", domain.loc, True)


def covering_zones(model: Model, host: str) -> list[DnsZone]:
    """Return the zones that hold `host`, most specific origin first."""
    zones = [zone for zone in model.dns_zones if zone.covers(host)]
    longest = max((len(zone.origin) for zone in zones), default=0)
    return [zone for zone in zones if len(zone.origin) == longest]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class HostEvidence:
    """What the bundle's zones and live DNS (when asked) say about one host.

    `in_zone` is None when no zone export holds the host; `live` is None when live DNS
    was not asked or could not prove anything (a timeout is DNS004's business).
    """

    host: str
    zone: DnsZone | None
    in_zone: bool | None
    live: LiveDnsAnswer | None

    @property
    def known(self) -> bool:
        """Tell whether any evidence speaks about the host."""
        return self.in_zone is not None or self.live is not None

    @property
    def stale_export(self) -> bool:
        """Tell whether live DNS has the record the zone export lacks (exported too early)."""
        return self.live is not None and self.live.exists and self.in_zone is False

    def missing(self, what: str) -> str | None:
        """Return the message for a host without A/AAAA/CNAME record, or None if it has one.

        A zone export and a live answer that disagree are reported: the export is stale
        (or the record was just changed), and silently preferring either would hide it.
        """
        origin = f'zone "{self.zone.origin}"' if self.zone is not None else "the bundle"
        live = self.live
        if live is None:
            if self.in_zone is False:
                return f"{what} has no A, AAAA or CNAME record in {origin}"
            return None
        said = f"live DNS ({live.server or 'the resolver'}) answers {live.status.upper()}"
        if live.exists:
            if self.in_zone is False:
                return (
                    f"{what} has no A, AAAA or CNAME record in {origin}, but live DNS "
                    f"({live.server}) answers it: the zone export is stale"
                )
            return None
        if self.in_zone:
            return (
                f"{what} has no A, AAAA or CNAME record: {said}, although {origin} has one "
                "(the zone export is stale, or the record was removed since)"
            )
        return f"{what} has no A, AAAA or CNAME record: {said}"


def relative_name(host: str, zone: DnsZone) -> str:
    """Return `host` as a name inside `zone` (`@` for the apex), as the DNS cmdlets take it."""
    host = normalize_fqdn(host)
    return "@" if host == zone.origin else host[: -len(zone.origin) - 1]


def host_evidence(model: Model, host: str) -> HostEvidence:
    """Gather the zone exports' and live DNS's word on `host`."""
    zones = covering_zones(model, host)
    in_zone = any(zone.lookup(host, _NAME_TYPES) for zone in zones) if zones else None
    live = model.live_answer(host) if model.dns_mode == "live" else None
    if live is not None and live.unproven:
        live = None
    return HostEvidence(normalize_fqdn(host), zones[0] if zones else None, in_zone, live)


def no_evidence(host: str, model: Model) -> str:
    """Say what would let a rule judge `host`: a zone that holds it, or a live answer."""
    live = " or a live answer (--dns live)" if model.dns_mode != "live" else " or a live answer"
    return f"{ZONE_EXPORT} that holds {host}{live}"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Resolution:
    """What the zone exports say about a host: the CNAME chain followed and the addresses.

    `names` starts with the host itself; `records` are the records read along the chain;
    `outside` names a host of the chain that no zone of the bundle holds (the answer is
    then unknown past it); `found` is False when the host has no A, AAAA or CNAME record.
    """

    names: tuple[str, ...]
    addresses: tuple[str, ...]
    records: tuple[DnsRecord, ...]
    outside: str | None
    found: bool


def resolve(model: Model, host: str, limit: int = 8) -> Resolution:
    """Resolve `host` through the zone exports: follow CNAMEs, collect A/AAAA addresses."""
    names: list[str] = []
    records: list[DnsRecord] = []
    current = normalize_fqdn(host)
    while len(names) < limit and current not in names:
        names.append(current)
        zones = covering_zones(model, current)
        if not zones:
            return Resolution(tuple(names), (), tuple(records), current, bool(records))
        found = [r for zone in zones for r in zone.lookup(current, _NAME_TYPES)]
        if not found:
            break
        records.extend(found)
        aliases = [r for r in found if r.rtype == "CNAME"]
        if not aliases:
            addresses = sorted({r.data.lower() for r in found if r.rtype in _ADDRESS_TYPES})
            return Resolution(tuple(names), tuple(addresses), tuple(records), None, True)
        current = normalize_fqdn(aliases[0].data)
    return Resolution(tuple(names), (), tuple(records), None, bool(records))


def exchange_server_hosts(model: Model) -> dict[str, Location]:
    """Return the FQDN of every server of the Get-ExchangeServer export (short names too)."""
    hosts: dict[str, Location] = {}
    for server in model.exchange_servers:
        if server.fqdn is not None and server.fqdn.value.strip():
            hosts.setdefault(normalize_fqdn(server.fqdn.value), server.fqdn.loc)
        else:
            hosts.setdefault(normalize_fqdn(server.name.value), server.name.loc)
    return hosts


def missing_autodiscover(model: Model) -> tuple[AutodiscoverHost, HostEvidence, str] | None:
    """Return DNS001's finding as data: the autodiscover host, its evidence and the message.

    DNS003 reads it too, so that a host DNS001 reports is not reported twice.
    """
    target = autodiscover_target(model)
    if not isinstance(target, AutodiscoverHost):
        return None
    evidence = host_evidence(model, target.host)
    message = evidence.missing(f'autodiscover host "{target.host}"')
    return (target, evidence, message) if message is not None else None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class KnownMachine:
    """A machine the exports know is not an Exchange server, and how messages name it."""

    name: str
    what: str
    loc: Location


def _pool_kind(pool: Pool) -> str:
    """Name a topology cluster the way an administrator would."""
    if "EdgeServer" in pool.roles:
        return "Edge pool"
    if pool.is_director:
        return "Director pool"
    if "UserServices" in pool.roles:
        return "Front End pool"
    return "cluster"


def non_exchange_machines(model: Model) -> dict[str, KnownMachine]:
    """Return the machines the exports know are *not* Exchange servers, by FQDN.

    Every pool and server of the Lync topology (Front End, Director, Edge, SQL, file
    store...) and the SharePoint hosts of Lync's SharePoint partner applications. A name
    that is also an Exchange server of `Get-ExchangeServer` is left out.
    """
    exchange = exchange_server_hosts(model)
    machines: dict[str, KnownMachine] = {}
    for pool in model.pools():
        kind = _pool_kind(pool)
        name = normalize_fqdn(pool.fqdn.value)
        machines.setdefault(name, KnownMachine(name, f"the Lync {kind} {name}", pool.fqdn.loc))
        for machine in pool.machines:
            server = normalize_fqdn(machine.fqdn.value)
            what = f"{server}, a server of the Lync {kind} {name}"
            machines.setdefault(server, KnownMachine(server, what, machine.fqdn.loc))
    for app in lync_apps_for(model, "sharepoint"):
        url = app.metadata_url
        host = url_host(url.value) if url is not None and url.value else None
        if host is not None and url is not None:
            machines.setdefault(host, KnownMachine(host, f"the SharePoint host {host}", url.loc))
    return {name: known for name, known in machines.items() if name not in exchange}


def host_sources(model: Model) -> dict[str, Location | None]:
    """Return every host the DNS rules look up, with where the bundle names it.

    The autodiscover host, the hosts of the partner application metadata URLs, the
    Front End pool FQDNs and the Exchange servers, in a stable order without repeats.
    """
    hosts: dict[str, Location | None] = {}
    target = autodiscover_target(model)
    if isinstance(target, AutodiscoverHost):
        hosts.setdefault(target.host, target.source)
    for item in metadata_urls(model):
        host = url_host(item.url.value)
        if host is not None and is_dns_name(host):
            hosts.setdefault(host, item.url.loc)
    for pool in model.pools():
        if pool.is_front_end:
            hosts.setdefault(normalize_fqdn(pool.fqdn.value), pool.fqdn.loc)
    for host, loc in sorted(exchange_server_hosts(model).items()):
        if "." in host:
            hosts.setdefault(host, loc)
    return hosts


def hosts_to_resolve(model: Model) -> list[str]:
    """Return every host the DNS rules look up, for a live resolver to ask about."""
    return list(host_sources(model))
