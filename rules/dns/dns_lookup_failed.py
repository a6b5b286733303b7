"""DNS004 dns-lookup-failed: a live lookup timed out or failed (unproven, not missing)."""

from __future__ import annotations

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.powershell import argument
from ._evidence import host_sources

DOC = RuleDoc(
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
        "# check that the nameserver answers from where s2slint runs ($nameserver: the\n"
        "# address given to --nameserver, $hostName: the host the finding names)\n"
        "$nameserver = '10.0.0.10'\n"
        "$hostName = 'autodiscover.litwareinc.com'\n"
        "Resolve-DnsName -Name $hostName -Server $nameserver -DnsOnly"
    ),
    evidence="live DNS lookups (--dns live)",
    references=(ref.INTEGRATION_PREREQUISITES_LYNC, ref.INTEGRATE_EXCHANGE_SFB),
    snippet_language="text",
)


def _resolve(host: str, server: str) -> str:
    """Ask the same nameserver again from PowerShell (Resolve-DnsName takes no port).

    `server` is "address:port" (the first of several), or words such as "the system
    resolver", which leave -Server out.
    """
    first = server.split(",")[0].strip()
    head, _, port = first.rpartition(":")
    address = head if head and port.isdigit() else first
    asked = f" -Server {argument(address)}" if address and " " not in address else ""
    return f"Resolve-DnsName -Name {argument(host)}{asked} -DnsOnly"


def check(model: Model, ctx: RuleContext) -> Outcome:
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
                fix=_resolve(answer.host, answer.server),
            )
        )
    return evaluated(issues, len(model.live_dns))


RULE = Rule(
    code="DNS004",
    name="dns-lookup-failed",
    severity=Severity.WARNING,
    summary="A live lookup timed out or failed: the record is unproven, not missing",
    check=check,
    doc=DOC,
)
