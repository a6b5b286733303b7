"""DNS: the records the integration needs, checked offline against zone exports."""

from __future__ import annotations

from urllib.parse import urlsplit

from s2slint.findings import Issue, Location, Severity
from s2slint.model import DnsZone, Model, normalize_fqdn
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from . import references as ref


def autodiscover_host(model: Model) -> tuple[str, Location | None] | None:
    """Return the autodiscover host and where it was read.

    From Lync's `ExchangeAutodiscoverUrl`, else `autodiscover.<default SIP domain>`.
    """
    for config in model.oauth_configurations:
        url = config.exchange_autodiscover_url
        if url is not None and url.value:
            host = urlsplit(url.value.strip()).hostname
            if host:
                return normalize_fqdn(host), url.loc
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
        return not_evaluated(
            "the autodiscover host: an ExchangeAutodiscoverUrl (Get-CsOAuthConfiguration) "
            "or a default SIP domain (topology)"
        )
    host, source = found
    zones = covering_zones(model, host)
    if not zones:
        return not_evaluated(f"a zone export (dnscmd /ZoneExport or zone file) that holds {host}")
    if any(zone.lookup(host, ("A", "AAAA", "CNAME")) for zone in zones):
        return evaluated((), 1)
    zone = zones[0]
    issue = Issue(
        f'autodiscover host "{host}" has no A, AAAA or CNAME record in zone "{zone.origin}"',
        zone.loc,
        related=(source,) if source is not None else (),
        key=f"dns:{host}",
    )
    return evaluated((issue,), 1)


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
)
