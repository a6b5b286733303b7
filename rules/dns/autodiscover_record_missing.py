"""DNS001 autodiscover-record-missing: the autodiscover host has no record."""

from __future__ import annotations

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from ._evidence import (
    AutodiscoverHost,
    HostEvidence,
    autodiscover_target,
    host_evidence,
    missing_autodiscover,
    no_evidence,
)
from ._fixes import add_cname, exchange_target, export_zone

DOC = RuleDoc(
    what=(
        "Takes the autodiscover host from Lync's `ExchangeAutodiscoverUrl`; when that is "
        "empty, and only when on-premises Exchange integration is configured (a Lync that "
        "trusts SharePoint alone, or Exchange Online alone, has no autodiscover host to "
        "guess), `autodiscover.<default SIP domain>`. It looks the host up in the zone "
        "exports of the bundle (`dnscmd /ZoneExport` or RFC 1035 zone files; wildcards "
        "count) and reports it when the zone that holds it has no A, AAAA or CNAME record "
        "for it. A host that no zone of the bundle holds (an Exchange Online name) is not "
        "evaluated. No DNS query is sent unless `--dns live` is given; then a live "
        "NXDOMAIN or NODATA counts too, and a live answer that contradicts the zone "
        "export is reported as a stale export. The fix adds a CNAME to an Exchange "
        "server of the `Get-ExchangeServer` export (a Mailbox server first)."
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
        "# $zone: the zone that holds the autodiscover host; $exchangeServer: the FQDN of\n"
        "# an Exchange server (or of the load balancer in front of them)\n"
        "$zone = 'litwareinc.com'\n"
        "$exchangeServer = 'atl-exch-001.litwareinc.com'\n"
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


def _fix(model: Model, host: str, evidence: HostEvidence) -> str:
    """Add the record, or export the zone again when only the export lacks it."""
    zone = evidence.zone
    if zone is None:
        return ""
    if evidence.stale_export:
        return "# live DNS has the record: the zone export is older than it\n" + export_zone(zone)
    target = exchange_target(model)
    return add_cname(zone, host, target) if target is not None else ""


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an autodiscover host with no A, AAAA or CNAME record."""
    target = autodiscover_target(model)
    if not isinstance(target, AutodiscoverHost):
        return target
    evidence = host_evidence(model, target.host)
    if not evidence.known:
        return not_evaluated(no_evidence(target.host, model))
    missing = missing_autodiscover(model)
    if missing is None:
        return evaluated((), 1)
    _, _, message = missing
    source = target.source
    where = evidence.zone.loc if evidence.zone is not None else source
    related = (source,) if source is not None and evidence.zone is not None else ()
    issue = Issue(
        message,
        where or Location("."),
        related=related,
        key=f"dns:{target.host}",
        fix=_fix(model, target.host, evidence),
    )
    return evaluated((issue,), 1)


RULE = Rule(
    code="DNS001",
    name="autodiscover-record-missing",
    severity=Severity.ERROR,
    summary="The autodiscover host has no A, AAAA or CNAME record",
    check=check,
    doc=DOC,
)
