"""How the DNS rules write a finding's fix: DNS Server cmdlets with the bundle's names.

The zone is the zone export that holds the host, the record name is relative to it,
and a CNAME target is an Exchange server of the `Get-ExchangeServer` export. A fix
whose values the bundle does not hold is not written.
"""

from __future__ import annotations

from s2slint.model import DnsZone, Model, normalize_fqdn

from .._shared.powershell import argument
from ._evidence import relative_name

RR_TYPES = {"A": "A", "AAAA": "AAAA", "CNAME": "CName"}
"""The `-RRType` spelling of each record type the rules read."""


def exchange_target(model: Model) -> str | None:
    """Return the Exchange server FQDN an autodiscover CNAME should name, if the bundle has one.

    Mailbox servers first (they run Client Access from Exchange 2016 on), then the
    others, each in name order; a server exported without its FQDN is no DNS target.
    """
    ranked = sorted(
        (not {"Mailbox", "ClientAccess"} & set(server.roles), normalize_fqdn(server.fqdn.value))
        for server in model.exchange_servers
        if server.fqdn is not None and "." in server.fqdn.value.strip(".")
    )
    return ranked[0][1] if ranked else None


def add_cname(zone: DnsZone, host: str, target: str) -> str:
    """Return the command that adds `host` as an alias of `target` in `zone`."""
    return (
        f"Add-DnsServerResourceRecordCName -ZoneName {argument(zone.origin)} "
        f"-Name {argument(relative_name(host, zone))} -HostNameAlias {argument(target)}"
    )


def add_address(zone: DnsZone, host: str, address: str) -> str:
    """Return the command that adds an A (or AAAA) record for `host` in `zone`."""
    cmdlet, parameter = (
        ("Add-DnsServerResourceRecordAAAA", "IPv6Address")
        if ":" in address
        else ("Add-DnsServerResourceRecordA", "IPv4Address")
    )
    return (
        f"{cmdlet} -ZoneName {argument(zone.origin)} -Name {argument(relative_name(host, zone))} "
        f"-{parameter} {argument(address)}"
    )


def remove_records(zone: DnsZone, host: str, rtype: str) -> str:
    """Return the command that removes `host`'s records of one type from `zone`."""
    return (
        f"Remove-DnsServerResourceRecord -ZoneName {argument(zone.origin)} "
        f"-Name {argument(relative_name(host, zone))} -RRType {RR_TYPES[rtype]}"
    )


def export_zone(zone: DnsZone) -> str:
    """Return the command that exports `zone` again (into %SystemRoot%\\System32\\dns)."""
    return f"Export-DnsServerZone -Name {argument(zone.origin)} -FileName {argument(zone.origin + '.dns')}"
