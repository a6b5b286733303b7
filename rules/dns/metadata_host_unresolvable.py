"""DNS003 metadata-host-unresolvable: a partner application metadata host has no record."""

from __future__ import annotations

from dataclasses import dataclass

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location, Severity
from s2slint.messages import bounded_list
from s2slint.model import Model, normalize_fqdn
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.integration import exchange_app_name, exchange_apps_for_lync, exchange_key, lync_key
from .._shared.powershell import argument, literal
from .._shared.urls import is_dns_name, url_host
from ._evidence import (
    ZONE_EXPORT,
    HostEvidence,
    host_evidence,
    missing_autodiscover,
    resolve,
)
from ._fixes import add_address, exchange_target

DOC = RuleDoc(
    what=(
        "Takes the host of every partner application metadata URL of the "
        "integration: Lync's partner applications (the Exchange autodiscover host, a "
        "SharePoint host) and Exchange's partner application for Lync (a Lync pool "
        "FQDN). It reports a host that has no A, AAAA or CNAME record in the zone "
        "export that holds it (wildcards count). A host that no zone of the bundle "
        "holds is not evaluated, never reported missing; IP addresses are skipped; the "
        "autodiscover host DNS001 reports is not reported again. "
        "The finding points at the metadata URL, with the zone as related location. "
        "Exchange's applications for Exchange Online, Graph or Teams have no "
        "metadata URL of the integration and are not looked at. The fix adds the pool's "
        "records (the addresses its servers have in the zone), or points the application "
        "at a host that resolves, with the cmdlet of its own side: "
        "`Set-CsPartnerApplication -MetadataUrl` on Lync, `Set-PartnerApplication "
        "-AuthMetadataUrl` on Exchange."
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
        "# $zone, $name: the zone and the host's name in it; $address: a Front End's address\n"
        "$zone = 'litwareinc.com'\n"
        "$name = 'atl-cs-001'\n"
        "$address = '10.0.1.11'\n"
        "Add-DnsServerResourceRecordA -ZoneName $zone -Name $name -IPv4Address $address\n"
        "# or point the partner application at a host that resolves. Lync Server Management\n"
        "# Shell, for Lync's application for Exchange ($exchangeServer: an Exchange server)\n"
        "$exchangeServer = 'atl-exch-001.litwareinc.com'\n"
        "Set-CsPartnerApplication -Identity microsoft.exchange "
        '-MetadataUrl "https://$exchangeServer/autodiscover/metadata/json/1"\n'
        "# Exchange Management Shell, for Exchange's application for Lync ($lyncApp: its\n"
        "# name, $pool: a Front End pool FQDN)\n"
        "$lyncApp = 'LyncEnterprise-6ed3786051be5bb9994218868e02a308'\n"
        "$pool = 'atl-cs-001.litwareinc.com'\n"
        'Set-PartnerApplication -Identity $lyncApp -AuthMetadataUrl "https://$pool/metadata/json/1"'
    ),
    evidence="zone exports that hold the metadata hosts (or live DNS lookups)",
    references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.PARTNER_APPS_LYNC),
    snippet_language="dns",
)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class MetadataUser:
    """A partner application whose metadata URL names a host, with what its fix needs.

    `side` is "lync" (Get-CsPartnerApplication) or "exchange" (Get-PartnerApplication);
    `product` is the product the application stands for.
    """

    who: str
    url_loc: Location
    key: str
    side: str
    identity: str
    product: str


def metadata_users(model: Model) -> dict[str, list[MetadataUser]]:
    """Return the DNS names of the metadata URLs, each with the applications that use it."""
    users: list[tuple[str, MetadataUser]] = []
    for app in model.lync_partner_applications:
        url = app.metadata_url
        if url is not None and url.value:
            who = f'partner application "{app.name}"'
            user = MetadataUser(who, url.loc, lync_key(app), "lync", app.name, app.product or "")
            users.append((url.value, user))
    for exchange_app in exchange_apps_for_lync(model):
        url = exchange_app.auth_metadata_url
        if url is not None and url.value:
            name = exchange_app_name(exchange_app)
            who = f'Exchange partner application "{name}"'
            key = exchange_key(exchange_app)
            users.append((url.value, MetadataUser(who, url.loc, key, "exchange", name, "lync")))
    by_host: dict[str, list[MetadataUser]] = {}
    for value, user in users:
        host = url_host(value)
        if host is not None and is_dns_name(host):
            by_host.setdefault(host, []).append(user)
    return by_host


def _resolving(model: Model, hosts: list[str]) -> str | None:
    """Return the first of `hosts` the zones resolve, in order."""
    return next((host for host in hosts if resolve(model, host).found), None)


def _repoint(model: Model, host: str, user: MetadataUser) -> str:
    """Point one application at a host that resolves, with its own side's cmdlet ("" if none)."""
    if user.side == "lync" and user.product == "exchange":
        target = exchange_target(model)
        if target is None or target == host or not resolve(model, target).found:
            return ""
        url = f"https://{target}/autodiscover/metadata/json/1"
        return f"Set-CsPartnerApplication -Identity {argument(user.identity)} -MetadataUrl {literal(url)}"
    if user.side == "exchange":
        pools = sorted(
            normalize_fqdn(pool.fqdn.value) for pool in model.pools() if pool.is_front_end
        )
        target = _resolving(model, [pool for pool in pools if pool != host])
        if target is None:
            return ""
        url = f"https://{target}/metadata/json/1"
        return f"Set-PartnerApplication -Identity {argument(user.identity)} -AuthMetadataUrl {literal(url)}"
    return ""


def _fix(model: Model, host: str, evidence: HostEvidence, users: list[MetadataUser]) -> str:
    """Add the records a pool FQDN needs, and/or point each application at a host that resolves."""
    lines: list[str] = []
    pools = [pool for pool in model.pools() if normalize_fqdn(pool.fqdn.value) == host]
    addresses = sorted(
        {a for pool in pools for m in pool.machines for a in resolve(model, m.fqdn.value).addresses}
    )
    if evidence.zone is not None and addresses:
        lines += [add_address(evidence.zone, host, address) for address in addresses]
    repoints = [line for user in users if (line := _repoint(model, host, user))]
    if repoints:
        lines += ["# or point the partner application at a host that resolves", *repoints]
    return "\n".join(lines)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a host of a partner application metadata URL with no record in its zone.

    A host that no zone of the bundle holds is not evaluated (it is not reported missing);
    the autodiscover host DNS001 reports is DNS001's alone.
    """
    if not model.dns_zones and model.dns_mode != "live":
        return not_evaluated(ZONE_EXPORT)
    by_host = metadata_users(model)
    reported = missing_autodiscover(model)
    if reported is not None:
        by_host.pop(reported[0].host, None)
    evidence = {host: host_evidence(model, host) for host in sorted(by_host)}
    unknown = [host for host, found in evidence.items() if not found.known]
    known = [host for host, found in evidence.items() if found.known]
    if unknown and not known:
        return not_evaluated(f"a zone export that holds {', '.join(unknown)}")
    issues = []
    for host in known:
        users = by_host[host]
        names = bounded_list(user.who for user in users)
        message = evidence[host].missing(f'metadata host "{host}" ({names})')
        if message is None:
            continue
        zone = evidence[host].zone
        issues.append(
            Issue(
                message,
                users[0].url_loc,
                related=(
                    *(user.url_loc for user in users[1:]),
                    *((zone.loc,) if zone is not None else ()),
                ),
                key=f"dns:{host}",
                fix=_fix(model, host, evidence[host], users),
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
    requires=(
        any_of(
            Export.LYNC_PARTNER_APPLICATIONS,
            Export.EXCHANGE_PARTNER_APPLICATIONS,
            say="a Get-CsPartnerApplication or Exchange Get-PartnerApplication export",
        ),
    ),
)
