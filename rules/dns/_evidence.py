"""What the bundle says about a host's records: zone exports, CNAME chains and live answers.

Every DNS rule reads hosts through these helpers, so that "held by no zone" (unknown),
"no record" (missing) and "live DNS disagrees" (a stale export) mean the same thing in
each of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from s2slint.evidence import Export
from s2slint.findings import Location
from s2slint.model import DnsRecord, DnsZone, LiveDnsAnswer, Model, normalize_fqdn

from .._shared.integration import autodiscover_host, metadata_urls
from .._shared.urls import is_dns_name, url_host

AUTODISCOVER_SOURCES = (
    "the autodiscover host: an ExchangeAutodiscoverUrl (Get-CsOAuthConfiguration) "
    "or a default SIP domain (topology)"
)
ZONE_EXPORT = Export.DNS_ZONES.phrase
_ADDRESS_TYPES = ("A", "AAAA")
_NAME_TYPES = ("A", "AAAA", "CNAME")


def covering_zones(model: Model, host: str) -> list[DnsZone]:
    """Return the zones that hold `host`, most specific origin first."""
    zones = [zone for zone in model.dns_zones if zone.covers(host)]
    longest = max((len(zone.origin) for zone in zones), default=0)
    return [zone for zone in zones if len(zone.origin) == longest]


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


def host_sources(model: Model) -> dict[str, Location | None]:
    """Return every host the DNS rules look up, with where the bundle names it.

    The autodiscover host, the hosts of the partner application metadata URLs, the
    Front End pool FQDNs and the Exchange servers, in a stable order without repeats.
    """
    hosts: dict[str, Location | None] = {}
    found = autodiscover_host(model)
    if found is not None:
        hosts.setdefault(found[0], found[1])
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
