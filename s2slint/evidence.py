"""The evidence vocabulary: which exports a rule needs, said once.

A rule declares what it reads with `requires=` (a tuple of `Requirement`s). The
engine checks them before the rule runs and reports the rule as *not evaluated*
with the requirement's own words; `s2slint rule CODE` prints the same words under
"Evidence". Finer checks that depend on the data (a per-role certificate, a zone
that holds one host) stay in the rule itself.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from s2slint.model import Model


class Export(enum.Enum):
    """A kind of record a rule may need: its `Model` field and how a user exports it."""

    TOPOLOGY = (
        "topologies",
        "a topology (Get-CsTopology -AsXml or a Topology Builder .tbxml file)",
    )
    OAUTH_CONFIGURATION = ("oauth_configurations", "a Get-CsOAuthConfiguration export")
    LYNC_PARTNER_APPLICATIONS = ("lync_partner_applications", "a Get-CsPartnerApplication export")
    CS_CERTIFICATES = ("cs_certificates", "a Get-CsCertificate export")
    CERTIFICATE_FILES = ("certificates", "a certificate file or an Exchange certificate export")
    DNS_ZONES = ("dns_zones", "a zone export (dnscmd /ZoneExport or zone file)")
    EXCHANGE_AUTH_CONFIG = ("exchange_auth_configs", "a Get-AuthConfig export")
    EXCHANGE_PARTNER_APPLICATIONS = (
        "exchange_partner_applications",
        "an Exchange Get-PartnerApplication export",
    )
    EXCHANGE_SERVERS = ("exchange_servers", "a Get-ExchangeServer export (the Exchange servers)")
    CLIENT_ACCESS_SERVICES = (
        "client_access_services",
        "a Get-ClientAccessService (or Get-ClientAccessServer) export",
    )
    EXCHANGE_AUTH_SERVERS = ("exchange_auth_servers", "an Exchange Get-AuthServer export")
    LYNC_OAUTH_SERVERS = ("lync_oauth_servers", "a Get-CsOAuthServer export")
    USER_SERVICES_POLICIES = ("user_services_policies", "a Get-CsUserServicesPolicy export")
    ARCHIVING_CONFIGURATIONS = (
        "archiving_configurations",
        "a Get-CsArchivingConfiguration export",
    )
    HYBRID_CONFIGURATIONS = (
        "hybrid_configurations",
        "an Exchange Get-HybridConfiguration export",
    )
    SHAREPOINT_ISSUERS = (
        "sharepoint_issuers",
        "a Get-SPTrustedSecurityTokenIssuer export (SharePoint Management Shell)",
    )
    SHAREPOINT_STS_CONFIGS = (
        "sharepoint_sts_configs",
        "a Get-SPSecurityTokenServiceConfig export (SharePoint Management Shell)",
    )

    @property
    def field(self) -> str:
        """The `Model` field that holds records of this kind."""
        return self.value[0]

    @property
    def phrase(self) -> str:
        """How a user is told to provide it ("a Get-AuthConfig export")."""
        return self.value[1]

    def command(self, zone: str | None = None) -> str:
        """Return the PowerShell that makes this export, as README's "What to export" does.

        `zone` names the DNS zone to export (the default SIP domain); without it the
        command reads it from `$zone`, which the user sets.
        """
        text = _COMMANDS[self.field]
        if "{zone}" not in text:
            return text
        if zone is None:
            return "# $zone: the DNS zone that holds the autodiscover and pool names\n" + (
                text.replace("{zone}", "$zone")
            )
        return text.replace("{zone}", zone)

    def present(self, model: Model) -> bool:
        """Return whether the bundle holds at least one record of this kind."""
        return bool(getattr(model, self.field))


_COMMANDS = {
    "topologies": "Get-CsTopology -AsXml | Out-File .\\lync\\topology.xml",
    "oauth_configurations": (
        "Get-CsOAuthConfiguration | Export-Clixml .\\lync\\oauth-configuration.xml"
    ),
    "lync_partner_applications": (
        "Get-CsPartnerApplication | Export-Clixml .\\lync\\partner-applications.xml"
    ),
    "cs_certificates": (
        "$servers = (Get-CsPool | Where-Object { $_.Services -match "
        "'^(UserServer|WebServer):' }).Computers\n"
        "Invoke-Command -ComputerName $servers -ScriptBlock { Get-CsCertificate } | "
        "Export-Clixml .\\servers\\certificates.xml"
    ),
    "certificates": "Get-ExchangeCertificate | Export-Clixml .\\exchange\\certificates.xml",
    "dns_zones": 'Export-DnsServerZone -Name {zone} -FileName "{zone}.dns"',
    "exchange_auth_configs": "Get-AuthConfig | Export-Clixml .\\exchange\\auth-config.xml",
    "exchange_partner_applications": (
        "Get-PartnerApplication | Export-Clixml .\\exchange\\partner-applications.xml"
    ),
    "exchange_servers": "Get-ExchangeServer | Export-Clixml .\\exchange\\exchange-servers.xml",
    "client_access_services": (
        "Get-ClientAccessService | Export-Clixml .\\exchange\\client-access.xml"
    ),
    "exchange_auth_servers": "Get-AuthServer | Export-Clixml .\\exchange\\auth-servers.xml",
    "lync_oauth_servers": "Get-CsOAuthServer | Export-Clixml .\\lync\\oauth-servers.xml",
    "user_services_policies": (
        "Get-CsUserServicesPolicy | Export-Clixml .\\lync\\user-services-policies.xml"
    ),
    "archiving_configurations": (
        "Get-CsArchivingConfiguration | Export-Clixml .\\lync\\archiving-configuration.xml"
    ),
    "hybrid_configurations": (
        "Get-HybridConfiguration | Export-Clixml .\\exchange\\hybrid-configuration.xml"
    ),
    "sharepoint_issuers": (
        "Get-SPTrustedSecurityTokenIssuer | Export-Clixml .\\sharepoint\\trusted-issuers.xml"
    ),
    "sharepoint_sts_configs": (
        "Get-SPSecurityTokenServiceConfig | Export-Clixml .\\sharepoint\\sts-config.xml"
    ),
}
"""The command that makes each export (the folders are README's; s2slint reads content)."""


@dataclass(frozen=True, slots=True)
class Requirement:
    """One need of a rule: any one of `kinds` satisfies it.

    `phrase` is what "not evaluated" and the rule's documentation say when it is not
    met; by default the kinds' own phrases joined with "or". `when`, if given, says
    whether the export is needed at all for this bundle: a SharePoint export is not
    needed when Lync trusts no SharePoint farm. The rule then runs and reports itself
    *not applicable*, so no one is sent to export what does not exist.
    """

    kinds: tuple[Export, ...]
    phrase: str
    when: Callable[[Model], bool] | None = None

    def needed(self, model: Model) -> bool:
        """Return whether this bundle needs the export (always, unless `when` says no)."""
        return self.when is None or self.when(model)

    def met(self, model: Model) -> bool:
        """Return whether the need is met: not needed, or some record of a kind is there."""
        if not self.needed(model):
            return True
        return any(kind.present(model) for kind in self.kinds)


def any_of(
    *kinds: Export, say: str | None = None, when: Callable[[Model], bool] | None = None
) -> Requirement:
    """Return a requirement met by any one of `kinds` (one kind is the common case).

    `when` makes the requirement conditional (see `Requirement`).
    """
    if not kinds:
        raise ValueError("a requirement names at least one kind of export")
    phrase = say if say is not None else " or ".join(k.phrase for k in kinds)
    return Requirement(kinds, phrase, when)


def unmet_requirements(requires: tuple[Requirement, ...], model: Model) -> list[Requirement]:
    """Return every requirement the model does not meet, in declaration order."""
    return [requirement for requirement in requires if not requirement.met(model)]


def unmet(requires: tuple[Requirement, ...], model: Model) -> str | None:
    """Return the words of the first requirement the model does not meet, or None."""
    for requirement in requires:
        if not requirement.met(model):
            return requirement.phrase
    return None


def describe(requires: tuple[Requirement, ...]) -> str:
    """Return the documentation sentence for a rule's requirements ("" when none)."""
    return "; and ".join(requirement.phrase for requirement in requires)
