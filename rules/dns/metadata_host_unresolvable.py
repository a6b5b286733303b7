"""DNS003 metadata-host-unresolvable: a partner application metadata host has no record."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.integration import MetadataUrl, has_partner_exports, metadata_urls
from .._shared.urls import is_dns_name, url_host
from ._evidence import ZONE_EXPORT, host_evidence

DOC = RuleDoc(
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
)


def metadata_hosts(model: Model) -> dict[str, list[MetadataUrl]]:
    """Return the DNS names of the metadata URLs, each with the URLs that use it."""
    by_host: dict[str, list[MetadataUrl]] = {}
    for item in metadata_urls(model):
        host = url_host(item.url.value)
        if host is not None and is_dns_name(host):
            by_host.setdefault(host, []).append(item)
    return by_host


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a host of a partner application metadata URL with no record in its zone.

    A host that no zone of the bundle holds is not evaluated (it is not reported missing).
    """
    if not has_partner_exports(model):
        return not_evaluated("a Get-CsPartnerApplication or Exchange Get-PartnerApplication export")
    if not model.dns_zones and model.dns_mode != "live":
        return not_evaluated(ZONE_EXPORT)
    by_host = metadata_hosts(model)
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


RULE = Rule(
    code="DNS003",
    name="metadata-host-unresolvable",
    severity=Severity.ERROR,
    summary="A host in a partner application metadata URL has no record",
    check=check,
    doc=DOC,
)
