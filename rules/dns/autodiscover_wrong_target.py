"""DNS002 autodiscover-wrong-target: the autodiscover host resolves, but not to Exchange."""

from __future__ import annotations

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.integration import autodiscover_host
from ._evidence import (
    AUTODISCOVER_SOURCES,
    ZONE_EXPORT,
    covering_zones,
    exchange_server_hosts,
    resolve,
)

_ZONE_HEAD = ";  Zone records\natl-exch-001\t\tA\t10.0.2.10\n"

DOC = RuleDoc(
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
)


def _is_exchange(name: str, hosts: dict[str, Location]) -> bool:
    """Tell whether `name` is an Exchange server (a short server name matches its first label)."""
    return name in hosts or any("." not in h and name.split(".")[0] == h for h in hosts)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an autodiscover host that resolves, but not to an Exchange server."""
    found = autodiscover_host(model)
    if found is None:
        return not_evaluated(AUTODISCOVER_SOURCES)
    host, source = found
    if not covering_zones(model, host):
        return not_evaluated(f"{ZONE_EXPORT} that holds {host}")
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


RULE = Rule(
    code="DNS002",
    name="autodiscover-wrong-target",
    severity=Severity.WARNING,
    summary="The autodiscover host resolves, but not to an Exchange server",
    check=check,
    doc=DOC,
)
