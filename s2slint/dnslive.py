"""Ask real DNS servers for the hosts the DNS rules need (`--dns live`).

Offline zone exports are the default evidence; live lookups are opt-in. The whole
lookup phase is bounded by one deadline: a black-holed nameserver costs the
configured timeout once, not once per name. Timeouts, SERVFAIL and REFUSED prove
nothing (the record is *unproven*, DNS004), while NXDOMAIN and NODATA are real
answers (the record is missing). Results are cached for the run and returned in a
deterministic order, each saying which server answered.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from s2slint.errors import debug_traceback
from s2slint.model import LiveDnsAnswer, Model, normalize_fqdn

if TYPE_CHECKING:
    import dns.resolver

    from s2slint.config import Config

OK, NXDOMAIN, NODATA = "ok", "nxdomain", "nodata"
TIMEOUT, SERVFAIL, REFUSED, FAILED = "timeout", "servfail", "refused", "failed"


@dataclass(frozen=True, slots=True)
class LiveSettings:
    """Where and how to ask: nameservers (empty = the system resolver), port, limits."""

    nameservers: tuple[str, ...] = ()
    port: int = 53
    timeout: float = 2.0
    retries: int = 1
    workers: int = 32


def _resolver(settings: LiveSettings) -> dns.resolver.Resolver:
    import dns.resolver

    if settings.nameservers:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = list(settings.nameservers)
    else:
        resolver = dns.resolver.Resolver()
    resolver.port = settings.port
    resolver.timeout = max(0.05, settings.timeout / (settings.retries + 1))
    resolver.cache = None
    return resolver


def _ask(
    resolver: dns.resolver.Resolver, host: str, rdtype: str, deadline: float
) -> tuple[str, list[str], list[str], str, str]:
    """Ask for one type; return (status, chain, addresses, server, detail)."""
    import dns.exception
    import dns.rdatatype
    import dns.resolver

    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return TIMEOUT, [], [], "", "the DNS phase's time budget ran out before this lookup"
    try:
        answer = resolver.resolve(host, rdtype, lifetime=remaining, raise_on_no_answer=False)
    except dns.resolver.NXDOMAIN:
        return NXDOMAIN, [], [], "", "NXDOMAIN"
    except dns.resolver.LifetimeTimeout:
        return TIMEOUT, [], [], "", f"no answer within {remaining:.1f} s"
    except dns.resolver.NoNameservers as error:
        text = str(error)
        status = REFUSED if "REFUSED" in text else SERVFAIL
        return status, [], [], "", status.upper()
    except dns.exception.DNSException as error:
        return FAILED, [], [], "", f"{type(error).__name__}: {error}"
    server = f"{answer.nameserver}:{answer.port}"
    chain: list[str] = []
    addresses: list[str] = []
    response = answer.response
    for rrset in response.answer:
        for rdata in rrset:
            name = normalize_fqdn(rrset.name.to_text())
            value = rdata.to_text()
            if rrset.rdtype == dns.rdatatype.CNAME:
                value = normalize_fqdn(value)
            else:
                addresses.append(value)
            chain.append(f"{name} {dns.rdatatype.to_text(rrset.rdtype)} {value}")
    if not chain:
        return NODATA, [], [], server, f"no {rdtype} record"
    return OK, chain, addresses, server, ""


def _lookup(
    resolver: dns.resolver.Resolver, host: str, deadline: float, asked: str
) -> LiveDnsAnswer:
    """Resolve A then AAAA (a CNAME shows in either chain); NODATA only if both say so.

    dnspython names the answering server only for answers with records; for the others
    `asked` (the nameservers queried) says where the answer or the silence came from.
    """
    results = [
        (status, chain, addresses, server or asked, detail)
        for status, chain, addresses, server, detail in (
            _ask(resolver, host, rdtype, deadline) for rdtype in ("A", "AAAA")
        )
    ]
    for status, chain, addresses, server, detail in results:
        if status == OK:
            return LiveDnsAnswer(host, OK, tuple(chain), tuple(sorted(addresses)), server, detail)
    statuses = [r[0] for r in results]
    for failure in (TIMEOUT, SERVFAIL, REFUSED, FAILED):
        if failure in statuses:
            status, _, _, server, detail = results[statuses.index(failure)]
            return LiveDnsAnswer(host, status, server=server, detail=detail)
    status, _, _, server, detail = results[0]
    if NODATA in statuses and status == NXDOMAIN:
        status, _, _, server, detail = results[statuses.index(NODATA)]
    return LiveDnsAnswer(host, status, server=server, detail=detail)


def resolve(hosts: Iterable[str], settings: LiveSettings) -> dict[str, LiveDnsAnswer]:
    """Resolve every host concurrently within one deadline; sorted by host name."""
    unique = sorted({normalize_fqdn(h) for h in hosts if h})
    if not unique:
        return {}
    from concurrent.futures import ThreadPoolExecutor  # only live runs pay for threads

    resolver = _resolver(settings)
    deadline = time.monotonic() + settings.timeout
    workers = max(1, min(settings.workers, len(unique)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="s2slint-dns") as pool:
        asked = ", ".join(describe_servers(settings))
        answers = list(pool.map(lambda host: _lookup(resolver, host, deadline, asked), unique))
    return {answer.host: answer for answer in answers}


def describe_servers(settings: LiveSettings) -> Sequence[str]:
    """Return the nameservers as `address:port`, or the system's, for messages."""
    if settings.nameservers:
        return [f"{server}:{settings.port}" for server in settings.nameservers]
    return ["the system resolver"]


def resolve_live(
    model: Model,
    providers: Iterable[Callable[[Model], Iterable[str]]],
    config: Config,
    progress: Callable[[str], None],
) -> Model:
    """Enrich the model with live answers about every host a plugin names (`--dns live`).

    Without live DNS the model is returned as it is. A provider that raises is skipped
    (its hosts are then simply not asked about): the lookups of the others must still
    happen within the one deadline.
    """
    if config.dns_mode != "live":
        return model
    progress("resolving DNS names")
    hosts: set[str] = set()
    for provider in providers:
        try:
            hosts.update(provider(model))
        except Exception:
            debug_traceback()
    settings = LiveSettings(
        nameservers=config.nameservers,
        port=config.dns_port,
        timeout=config.dns_timeout,
        retries=config.dns_retries,
    )
    answers = resolve(hosts, settings)
    return replace(
        model, live_dns=tuple(answers[host] for host in sorted(answers)), dns_mode="live"
    )
