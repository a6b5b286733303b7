"""DNS: the records the integration needs, from zone exports and, if asked, live DNS.

By default no DNS query is sent: hosts are looked up in the `dnscmd /ZoneExport` or
RFC 1035 zone files of the bundle (wildcards count, CNAME chains are followed inside
them). A host that no zone of the bundle holds is "not evaluated", never reported
missing. With `--dns live` the engine also asks real nameservers; a live NXDOMAIN or
NODATA is a real answer, a timeout, SERVFAIL or REFUSED proves nothing (DNS004), and a
live answer that contradicts the zone export is reported as a stale export.
"""

from __future__ import annotations

from dataclasses import dataclass

from s2slint.findings import Issue, Location, Severity
from s2slint.model import DnsRecord, DnsZone, LiveDnsAnswer, Model, normalize_fqdn
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from ._shared import references as ref
from ._shared.integration import (
    MetadataUrl,
    autodiscover_host,
    has_partner_exports,
    metadata_urls,
)
from ._shared.urls import (
    is_dns_name,
    url_host,
)

_AUTODISCOVER_SOURCES = (
    "the autodiscover host: an ExchangeAutodiscoverUrl (Get-CsOAuthConfiguration) "
    "or a default SIP domain (topology)"
)
_ADDRESS_TYPES = ("A", "AAAA")
_NAME_TYPES = ("A", "AAAA", "CNAME")
_ZONE_HEAD = ";  Zone records\natl-exch-001\t\tA\t10.0.2.10\n"


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


def _no_evidence(host: str, model: Model) -> str:
    live = " or a live answer (--dns live)" if model.dns_mode != "live" else " or a live answer"
    return f"a zone export (dnscmd /ZoneExport or zone file) that holds {host}{live}"


def check_autodiscover_record(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an autodiscover host with no A, AAAA or CNAME record."""
    found = autodiscover_host(model)
    if found is None:
        return not_evaluated(_AUTODISCOVER_SOURCES)
    host, source = found
    evidence = host_evidence(model, host)
    if not evidence.known:
        return not_evaluated(_no_evidence(host, model))
    message = evidence.missing(f'autodiscover host "{host}"')
    if message is None:
        return evaluated((), 1)
    where = evidence.zone.loc if evidence.zone is not None else source
    related = (source,) if source is not None and evidence.zone is not None else ()
    issue = Issue(message, where or Location("."), related=related, key=f"dns:{host}")
    return evaluated((issue,), 1)


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


def _is_exchange(name: str, hosts: dict[str, Location]) -> bool:
    return name in hosts or any("." not in h and name.split(".")[0] == h for h in hosts)


def check_autodiscover_target(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an autodiscover host that resolves, but not to an Exchange server."""
    found = autodiscover_host(model)
    if found is None:
        return not_evaluated(_AUTODISCOVER_SOURCES)
    host, source = found
    if not covering_zones(model, host):
        return not_evaluated(f"a zone export (dnscmd /ZoneExport or zone file) that holds {host}")
    if not model.exchange_servers:
        return not_evaluated("a Get-ExchangeServer export (the Exchange servers)")
    answer = resolve(model, host)
    if not answer.found:
        return evaluated((), 0)  # no record at all: DNS001's business
    servers = exchange_server_hosts(model)
    if any(_is_exchange(name, servers) for name in answer.names):
        return evaluated((), 1)
    if answer.outside is not None:
        return not_evaluated(
            f"a zone export that holds {answer.outside} (the target of {host}), or that "
            "name in the Get-ExchangeServer export"
        )
    exchange_addresses = {
        address for server in servers for address in resolve(model, server).addresses
    }
    if answer.addresses and set(answer.addresses) <= exchange_addresses:
        return evaluated((), 1)
    chain = " -> ".join(answer.names[1:] + answer.addresses) or "(nothing)"
    known = ", ".join(sorted(servers))
    issue = Issue(
        f'autodiscover host "{host}" resolves to {chain}, not to an Exchange server ({known})',
        answer.records[0].loc,
        related=tuple(loc for loc in (source, *servers.values()) if loc is not None),
        key=f"dns:{host}",
    )
    return evaluated((issue,), 1)


def check_metadata_hosts(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a host of a partner application metadata URL with no record in its zone.

    A host that no zone of the bundle holds is not evaluated (it is not reported missing).
    """
    if not has_partner_exports(model):
        return not_evaluated("a Get-CsPartnerApplication or Exchange Get-PartnerApplication export")
    if not model.dns_zones and model.dns_mode != "live":
        return not_evaluated("a zone export (dnscmd /ZoneExport or zone file)")
    by_host: dict[str, list[MetadataUrl]] = {}
    for item in metadata_urls(model):
        host = url_host(item.url.value)
        if host is not None and is_dns_name(host):
            by_host.setdefault(host, []).append(item)
    evidence = {host: host_evidence(model, host) for host in sorted(by_host)}
    unknown = [host for host, found in evidence.items() if not found.known]
    known = [host for host, found in evidence.items() if found.known]
    if unknown and not known:
        return not_evaluated(f"a zone export that holds {', '.join(unknown)}")
    issues = []
    for host in known:
        users = by_host[host]
        names = ", ".join(item.who for item in users)
        message = evidence[host].missing(f'metadata host "{host}" ({names})')
        if message is None:
            continue
        zone = evidence[host].zone
        issues.append(
            Issue(
                message,
                users[0].url.loc,
                related=(
                    *(item.url.loc for item in users[1:]),
                    *((zone.loc,) if zone is not None else ()),
                ),
                key=f"dns:{host}",
            )
        )
    return evaluated(issues, len(known))


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


def check_lookup_failed(model: Model, ctx: RuleContext) -> Outcome:
    """Flag live lookups that timed out or failed: unproven, never reported missing."""
    if model.dns_mode != "live":
        return not_evaluated("live DNS lookups (--dns live)")
    sources = host_sources(model)
    issues = []
    for answer in model.live_dns:
        if not answer.unproven:
            continue
        where = sources.get(answer.host) or Location(".")
        detail = f"{answer.status.upper()}: {answer.detail}" if answer.detail else answer.status
        issues.append(
            Issue(
                f'live DNS lookup of "{answer.host}" failed ({detail}); the record is '
                "unproven, not reported missing",
                where,
                key=f"dns-lookup:{answer.host}",
            )
        )
    return evaluated(issues, len(model.live_dns))


RULES = (
    Rule(
        code="DNS001",
        name="autodiscover-record-missing",
        severity=Severity.ERROR,
        summary="The autodiscover host has no A, AAAA or CNAME record",
        check=check_autodiscover_record,
        doc=RuleDoc(
            what=(
                "Takes the autodiscover host from Lync's `ExchangeAutodiscoverUrl` (else "
                "`autodiscover.<default SIP domain>`) and looks it up in the zone exports of "
                "the bundle (`dnscmd /ZoneExport` or RFC 1035 zone files; wildcards count). "
                "It reports the host when the zone that holds it has no A, AAAA or CNAME "
                "record for it. No DNS query is sent unless `--dns live` is given; then a live "
                "NXDOMAIN or NODATA counts too, and a live answer that contradicts the zone "
                "export is reported as a stale export."
            ),
            why=(
                "Lync resolves the autodiscover host to find Exchange Web Services. Without "
                "the record, server-to-server calls to Exchange fail even when the OAuth "
                "configuration is right: no unified contact store, no archiving to "
                "Exchange, no calendar-based presence."
            ),
            bad=";  Zone records\natl-exch-001\tA\t10.0.2.21\nmeet\tCNAME\tatl-cs-001.litwareinc.com.",
            good=";  Zone records\natl-exch-001\tA\t10.0.2.21\n"
            "autodiscover\tCNAME\tatl-exch-001.litwareinc.com.",
            fix=(
                "Add-DnsServerResourceRecordCName -ZoneName <domain> -Name autodiscover "
                "-HostNameAlias <exchange server FQDN>"
            ),
            evidence=(
                "the autodiscover host (Get-CsOAuthConfiguration or topology) and a zone "
                "export that holds it"
            ),
            references=(ref.INTEGRATION_PREREQUISITES_LYNC, ref.INTEGRATE_EXCHANGE_SFB),
            snippet_language="dns",
        ),
    ),
    Rule(
        code="DNS002",
        name="autodiscover-wrong-target",
        severity=Severity.WARNING,
        summary="The autodiscover host resolves, but not to an Exchange server",
        check=check_autodiscover_target,
        doc=RuleDoc(
            what=(
                "Resolves the autodiscover host (from Lync's `ExchangeAutodiscoverUrl`, else "
                "`autodiscover.<default SIP domain>`) in the zone exports of the bundle, "
                "following CNAME records, and reports it when neither a name on the way nor "
                "every address it ends at belongs to a server of the `Get-ExchangeServer` "
                "export (compared by FQDN, and by the addresses the zones give those "
                "servers). A host without any record is DNS001's business; a CNAME that "
                "leaves the zones of the bundle makes the rule not evaluated. A load "
                "balancer's virtual address is reported too, since no export says it "
                "fronts Exchange: ignore the rule for that host if so."
            ),
            why=(
                "Lync sends its Autodiscover requests wherever the name resolves. A record "
                "left pointing at a retired Exchange server, a web server or a Lync pool "
                "answers with errors or a certificate for another name: the unified contact "
                "store, Exchange archiving and calendar presence fail although Exchange "
                "itself is healthy."
            ),
            bad=_ZONE_HEAD + "atl-web-001\t\tA\t10.0.2.40\n"
            "autodiscover\t\tCNAME\tatl-web-001.litwareinc.com.",
            good=_ZONE_HEAD + "autodiscover\t\tCNAME\tatl-exch-001.litwareinc.com.",
            fix=(
                "Remove-DnsServerResourceRecord -ZoneName <domain> -Name autodiscover "
                "-RRType CName\n"
                "Add-DnsServerResourceRecordCName -ZoneName <domain> -Name autodiscover "
                "-HostNameAlias <Exchange server or load balancer FQDN>"
            ),
            evidence=(
                "the autodiscover host (Get-CsOAuthConfiguration or topology), a zone "
                "export that holds it, and a Get-ExchangeServer export"
            ),
            references=(ref.INTEGRATION_PREREQUISITES_LYNC, ref.INTEGRATE_EXCHANGE_SFB),
            snippet_language="dns",
        ),
    ),
    Rule(
        code="DNS003",
        name="metadata-host-unresolvable",
        severity=Severity.ERROR,
        summary="A host in a partner application metadata URL has no record",
        check=check_metadata_hosts,
        doc=RuleDoc(
            what=(
                "Takes the host of every partner application metadata URL of the "
                "integration: Lync's partner applications (the Exchange autodiscover host, a "
                "SharePoint host) and Exchange's partner application for Lync (a Lync pool "
                "FQDN). It reports a host that has no A, AAAA or CNAME record in the zone "
                "export that holds it (wildcards count). A host that no zone of the bundle "
                "holds is not evaluated, never reported missing; IP addresses are skipped. "
                "The finding points at the metadata URL, with the zone as related location. "
                "Exchange's applications for Exchange Online, Graph or Teams have no "
                "metadata URL of the integration and are not looked at."
            ),
            why=(
                "Each server downloads its partner's metadata document to learn the "
                "certificate that signs the partner's tokens, and refreshes it regularly. "
                "When the host does not resolve the download fails: creating the partner "
                "application fails, and an existing one stops accepting tokens once the "
                "certificate rolls over, with 401 errors from `Test-CsExStorageConnectivity`."
            ),
            bad=";  Zone records\natl-exch-001\t\tA\t10.0.2.10\n"
            "; no record for atl-cs-001 (https://atl-cs-001.litwareinc.com/metadata/json/1)",
            good=";  Zone records\natl-cs-001\t\tA\t10.0.1.11\natl-exch-001\t\tA\t10.0.2.10",
            fix=(
                "Add-DnsServerResourceRecordA -ZoneName <domain> -Name <host> "
                "-IPv4Address <address>\n"
                "# or point the partner application at a host that resolves\n"
                "Set-PartnerApplication -Identity <name> "
                '-AuthMetadataUrl "https://<pool FQDN>/metadata/json/1"'
            ),
            evidence=(
                "partner application exports (Get-CsPartnerApplication or Exchange "
                "Get-PartnerApplication) and zone exports that hold their metadata hosts"
            ),
            references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.PARTNER_APPS_LYNC),
            snippet_language="dns",
        ),
    ),
    Rule(
        code="DNS004",
        name="dns-lookup-failed",
        severity=Severity.WARNING,
        summary="A live lookup timed out or failed: the record is unproven, not missing",
        check=check_lookup_failed,
        doc=RuleDoc(
            what=(
                "With `--dns live`, reports every host the DNS rules needed whose lookup "
                "timed out or failed (SERVFAIL, REFUSED, or no nameserver reachable). Such a "
                "host is neither passed nor reported missing by DNS001 and DNS003: nothing is "
                "known about it. The whole DNS phase is bounded by `--dns-timeout`, so a "
                "black-holed nameserver costs that much once, not once per name."
            ),
            why=(
                "A timeout says something about the path to the nameserver, not about the "
                "record. Reporting it as a missing record would send administrators to fix "
                "DNS zones that are fine; ignoring it would pass a check that never ran."
            ),
            bad="$ s2slint check exports/ --dns live --nameserver 10.0.0.53   # firewalled",
            good="$ s2slint check exports/ --dns live --nameserver 10.0.0.10 --dns-timeout 3",
            fix=(
                "# check that the nameserver answers from where s2slint runs\n"
                "Resolve-DnsName autodiscover.<domain> -Server <nameserver> -DnsOnly"
            ),
            evidence="live DNS lookups (--dns live)",
            references=(ref.INTEGRATION_PREREQUISITES_LYNC, ref.INTEGRATE_EXCHANGE_SFB),
            snippet_language="text",
        ),
    ),
)
