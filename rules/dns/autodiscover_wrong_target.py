"""DNS002 autodiscover-wrong-target: the autodiscover host resolves to a known non-Exchange machine."""

from __future__ import annotations

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from ._evidence import (
    ZONE_EXPORT,
    AutodiscoverHost,
    KnownMachine,
    Resolution,
    autodiscover_target,
    covering_zones,
    exchange_server_hosts,
    non_exchange_machines,
    resolve,
)
from ._fixes import add_cname, exchange_target, remove_records

_ZONE_HEAD = ";  Zone records\natl-exch-001\t\tA\t10.0.2.10\n"

DOC = RuleDoc(
    what=(
        "Resolves the autodiscover host (from Lync's `ExchangeAutodiscoverUrl`; else, only "
        "when on-premises Exchange integration is configured, `autodiscover.<default SIP "
        "domain>`) in the zone exports of the bundle, following CNAME records, and reports "
        "it when it leads to a machine the exports know is *not* an Exchange server: by "
        "name (a name of the CNAME chain) or by address (an A/AAAA address of that "
        "machine in the zones). Known machines are the pools and servers of the Lync "
        "topology (Front End, Director, Edge, SQL, file store) and the SharePoint hosts of "
        "Lync's partner applications. A name or address of a server of the "
        "`Get-ExchangeServer` export passes; a target the exports do not know (a load "
        "balancer, an Exchange Online name) is not reported. A host without any record is "
        "DNS001's business. The fix removes the records of the type the zone actually "
        "holds for the host (an A record is not removed by `-RRType CName`) and adds a "
        "CNAME to an Exchange server."
    ),
    why=(
        "Lync sends its Autodiscover requests wherever the name resolves. A record "
        "left pointing at a Lync pool, an Edge or a SharePoint server "
        "answers with errors or a certificate for another name: the unified contact "
        "store, Exchange archiving and calendar presence fail although Exchange "
        "itself is healthy."
    ),
    bad=_ZONE_HEAD + "atl-cs-001\t\tA\t10.0.1.11\n"
    "autodiscover\t\tCNAME\tatl-cs-001.litwareinc.com.",
    good=_ZONE_HEAD + "autodiscover\t\tCNAME\tatl-exch-001.litwareinc.com.",
    fix=(
        "# $zone: the zone that holds the autodiscover host; $exchangeServer: the FQDN of\n"
        "# an Exchange server (or of the load balancer in front of them). Remove the record\n"
        "# type the zone holds: -RRType A for an A record, CName for a CNAME\n"
        "$zone = 'litwareinc.com'\n"
        "$exchangeServer = 'atl-exch-001.litwareinc.com'\n"
        "Remove-DnsServerResourceRecord -ZoneName $zone -Name autodiscover -RRType A\n"
        "Add-DnsServerResourceRecordCName -ZoneName $zone -Name autodiscover "
        "-HostNameAlias $exchangeServer"
    ),
    evidence=(
        "the autodiscover host (Get-CsOAuthConfiguration, or the topology with partner "
        "application exports) and a zone export that holds it"
    ),
    references=(ref.INTEGRATION_PREREQUISITES_LYNC, ref.INTEGRATE_EXCHANGE_SFB),
    snippet_language="dns",
)


def _is_exchange(name: str, hosts: dict[str, Location]) -> bool:
    """Tell whether `name` is an Exchange server (a short server name matches its first label)."""
    return name in hosts or any("." not in h and name.split(".")[0] == h for h in hosts)


def _not_exchange(model: Model, answer: Resolution) -> KnownMachine | None:
    """Return the known non-Exchange machine the answer leads to, by name then by address.

    None when a name or every address belongs to an Exchange server, or when the
    target is unknown to the exports.
    """
    servers = exchange_server_hosts(model)
    if any(_is_exchange(name, servers) for name in answer.names):
        return None
    exchange_addresses = {a for server in servers for a in resolve(model, server).addresses}
    if answer.addresses and set(answer.addresses) <= exchange_addresses:
        return None
    machines = non_exchange_machines(model)
    by_name = next((machines[name] for name in answer.names if name in machines), None)
    if by_name is not None:
        return by_name
    for machine in machines.values():
        if set(answer.addresses) & set(resolve(model, machine.name).addresses):
            return machine
    return None


def _fix(model: Model, host: str) -> str:
    """Remove the host's own records (of the types the zone holds), then add the CNAME."""
    target = exchange_target(model)
    zones = covering_zones(model, host)
    if target is None or not zones:
        return ""
    zone = zones[0]
    own = sorted({r.rtype for r in zone.lookup(host, ("A", "AAAA", "CNAME")) if r.name == host})
    lines = [remove_records(zone, host, rtype) for rtype in own]
    if not own:
        lines.append(f"# {host} answers through a wildcard: a record of its own overrides it")
    return "\n".join([*lines, add_cname(zone, host, target)])


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an autodiscover host that resolves to a machine known not to be Exchange."""
    target = autodiscover_target(model)
    if not isinstance(target, AutodiscoverHost):
        return target
    host = target.host
    if not covering_zones(model, host):
        return not_evaluated(f"{ZONE_EXPORT} that holds {host}")
    answer = resolve(model, host)
    if not answer.found:
        return evaluated((), 0)  # no record at all: DNS001's business
    machine = _not_exchange(model, answer)
    if machine is None:
        return evaluated((), 1)
    chain = " -> ".join(answer.names[1:] + answer.addresses) or host
    servers = exchange_server_hosts(model)
    exchange = f" ({', '.join(sorted(servers))})" if servers else ""
    issue = Issue(
        f'autodiscover host "{host}" resolves to {chain}: {machine.what}, not an Exchange '
        f"server{exchange}",
        answer.records[0].loc,
        related=tuple(
            loc for loc in (target.source, machine.loc, *servers.values()) if loc is not None
        ),
        key=f"dns:{host}",
        fix=_fix(model, host),
    )
    return evaluated((issue,), 1)


RULE = Rule(
    code="DNS002",
    name="autodiscover-wrong-target",
    severity=Severity.WARNING,
    summary="The autodiscover host resolves to a machine that is not an Exchange server",
    check=check,
    doc=DOC,
    requires=(any_of(Export.TOPOLOGY),),
)
