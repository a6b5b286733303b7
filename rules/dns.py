"""DNS: the records the integration needs, checked offline against zone exports.

No DNS query is sent: hosts are looked up in the `dnscmd /ZoneExport` or RFC 1035 zone
files of the bundle (wildcards count, CNAME chains are followed inside them). A host that
no zone of the bundle holds is "not evaluated", never reported missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from s2slint.findings import Issue, Location, Severity
from s2slint.model import DnsRecord, DnsZone, Model, normalize_fqdn
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from . import references as ref
from .oauth import (
    MetadataUrl,
    has_partner_exports,
    is_dns_name,
    metadata_urls,
    url_host,
)

_AUTODISCOVER_SOURCES = (
    "the autodiscover host: an ExchangeAutodiscoverUrl (Get-CsOAuthConfiguration) "
    "or a default SIP domain (topology)"
)
_ADDRESS_TYPES = ("A", "AAAA")
_NAME_TYPES = ("A", "AAAA", "CNAME")
_ZONE_HEAD = ";  Zone records\natl-exch-001\t\tA\t10.0.2.10\n"


def autodiscover_host(model: Model) -> tuple[str, Location | None] | None:
    """Return the autodiscover host and where it was read.

    From Lync's `ExchangeAutodiscoverUrl`, else `autodiscover.<default SIP domain>`.
    """
    for config in model.oauth_configurations:
        url = config.exchange_autodiscover_url
        host = url_host(url.value) if url is not None and url.value else None
        if host is not None and url is not None:
            return host, url.loc
    domain = model.default_sip_domain
    if domain is not None:
        return f"autodiscover.{normalize_fqdn(domain.value)}", domain.loc
    return None


def covering_zones(model: Model, host: str) -> list[DnsZone]:
    """Return the zones that hold `host`, most specific origin first."""
    zones = [zone for zone in model.dns_zones if zone.covers(host)]
    longest = max((len(zone.origin) for zone in zones), default=0)
    return [zone for zone in zones if len(zone.origin) == longest]


def check_autodiscover_record(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an autodiscover host with no A, AAAA or CNAME record in the zone export."""
    found = autodiscover_host(model)
    if found is None:
        return not_evaluated(_AUTODISCOVER_SOURCES)
    host, source = found
    zones = covering_zones(model, host)
    if not zones:
        return not_evaluated(f"a zone export (dnscmd /ZoneExport or zone file) that holds {host}")
    if any(zone.lookup(host, _NAME_TYPES) for zone in zones):
        return evaluated((), 1)
    zone = zones[0]
    issue = Issue(
        f'autodiscover host "{host}" has no A, AAAA or CNAME record in zone "{zone.origin}"',
        zone.loc,
        related=(source,) if source is not None else (),
        key=f"dns:{host}",
    )
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


def has_record(model: Model, host: str) -> bool | None:
    """Tell whether `host` has an A, AAAA or CNAME record; None when no zone holds it."""
    zones = covering_zones(model, host)
    if not zones:
        return None
    return any(zone.lookup(host, _NAME_TYPES) for zone in zones)


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
    if not model.dns_zones:
        return not_evaluated("a zone export (dnscmd /ZoneExport or zone file)")
    by_host: dict[str, list[MetadataUrl]] = {}
    for item in metadata_urls(model):
        host = url_host(item.url.value)
        if host is not None and is_dns_name(host):
            by_host.setdefault(host, []).append(item)
    uncovered = sorted(h for h in by_host if not covering_zones(model, h))
    covered = sorted(h for h in by_host if h not in uncovered)
    if uncovered and not covered:
        return not_evaluated(f"a zone export that holds {', '.join(uncovered)}")
    issues = []
    for host in covered:
        if has_record(model, host):
            continue
        users = by_host[host]
        zone = covering_zones(model, host)[0]
        names = ", ".join(item.who for item in users)
        issues.append(
            Issue(
                f'metadata host "{host}" ({names}) has no A, AAAA or CNAME record in zone '
                f'"{zone.origin}"',
                users[0].url.loc,
                related=(*(item.url.loc for item in users[1:]), zone.loc),
                key=f"dns:{host}",
            )
        )
    return evaluated(issues, len(covered))


def hosts_to_resolve(model: Model) -> list[str]:
    """Return every host the DNS rules look up, for a live resolver to ask about.

    The autodiscover host, the hosts of the partner application metadata URLs and the
    Exchange servers, in a stable order without repeats.
    """
    hosts: list[str] = []
    found = autodiscover_host(model)
    if found is not None:
        hosts.append(found[0])
    for item in metadata_urls(model):
        host = url_host(item.url.value)
        if host is not None and is_dns_name(host):
            hosts.append(host)
    hosts += sorted(exchange_server_hosts(model))
    return list(dict.fromkeys(hosts))


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
                "record for it. No DNS query is sent."
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
)
