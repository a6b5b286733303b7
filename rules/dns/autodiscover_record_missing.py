"""DNS001 autodiscover-record-missing: the autodiscover host has no record."""

from __future__ import annotations

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.integration import autodiscover_host
from ._evidence import AUTODISCOVER_SOURCES, host_evidence, no_evidence

DOC = RuleDoc(
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
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an autodiscover host with no A, AAAA or CNAME record."""
    found = autodiscover_host(model)
    if found is None:
        return not_evaluated(AUTODISCOVER_SOURCES)
    host, source = found
    evidence = host_evidence(model, host)
    if not evidence.known:
        return not_evaluated(no_evidence(host, model))
    message = evidence.missing(f'autodiscover host "{host}"')
    if message is None:
        return evaluated((), 1)
    where = evidence.zone.loc if evidence.zone is not None else source
    related = (source,) if source is not None and evidence.zone is not None else ()
    issue = Issue(message, where or Location("."), related=related, key=f"dns:{host}")
    return evaluated((issue,), 1)


RULE = Rule(
    code="DNS001",
    name="autodiscover-record-missing",
    severity=Severity.ERROR,
    summary="The autodiscover host has no A, AAAA or CNAME record",
    check=check,
    doc=DOC,
)
