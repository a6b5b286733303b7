"""Generate realistic s2slint input bundles (the committed `fixtures/` folder).

A bundle is the folder of exports an administrator gathers from a Lync Server 2013 /
Skype for Business Server deployment and its Exchange organisation: the topology, the
OAuth configuration, the partner applications, the OAuth servers, the user services
policies, the archiving configuration, `Get-CsCertificate` per Front End, the
OAuthTokenIssuer certificate file, a `dnscmd /ZoneExport` of the internal zone and the
Exchange side (`Get-AuthConfig`, `Get-PartnerApplication`, `Get-AuthServer`,
`Get-ExchangeServer`, `Get-ClientAccessService`, `Get-ExchangeCertificate`, and when
asked `Get-HybridConfiguration`) and, when asked, the SharePoint farm's side
(`Get-SPTrustedSecurityTokenIssuer`, `Get-SPSecurityTokenServiceConfig`).

`BundleSpec` describes a deployment; its defaults are a healthy litwareinc.com
deployment. `write_bundle` writes one bundle, `generate_all` writes every scenario of
`SCENARIOS` plus `README.md` into a fixtures folder. Run `python tests/fixturegen.py`
to regenerate the repository's `fixtures/`.

Everything is deterministic: RSA keys are derived from fixed labels by a hash-based
generator, certificates have fixed serial numbers and dates, GUIDs are name-based and
the PKCS#12 file is encoded here with salts derived from its label, so regenerating
writes byte-identical files. Nothing reads the clock.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import math
import shutil
import sys
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from cryptography import x509
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from s2slint.testing.clixml import Node as _Node
from s2slint.testing.clixml import Obj as _O
from s2slint.testing.clixml import Prim as _P
from s2slint.testing.clixml import Ref as _Ref
from s2slint.testing.clixml import attr as _attr
from s2slint.testing.clixml import b as _b
from s2slint.testing.clixml import clixml as _clixml
from s2slint.testing.clixml import dt as _dt
from s2slint.testing.clixml import enum as _enum
from s2slint.testing.clixml import g as _g
from s2slint.testing.clixml import i32 as _i32
from s2slint.testing.clixml import nil as _nil
from s2slint.testing.clixml import s as _s

__all__ = [
    "ACS_METADATA_URL",
    "EVOSTS_METADATA_URL",
    "EXCHANGE_APP_ID",
    "LYNC_APP_ID",
    "PFX_PASSWORD",
    "SCENARIOS",
    "SHAREPOINT_APP_ID",
    "SHAREPOINT_INTEGRATED",
    "TENANT_ID",
    "BundleSpec",
    "CertificateName",
    "Encoding",
    "Scenario",
    "certificate_der",
    "generate_all",
    "oauth_roll_thumbprint",
    "oauth_thumbprints",
    "write_bundle",
]

EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000"
SHAREPOINT_APP_ID = "00000003-0000-0ff1-ce00-000000000000"
LYNC_APP_ID = "00000004-0000-0ff1-ce00-000000000000"
PFX_PASSWORD = "Litware-Pfx-2026!"
TENANT_ID = "6c4bd1e3-0f5a-4b8e-9d2c-7a31f5e8b240"
"""The Microsoft 365 tenant of litwareinc.com (hybrid: ACS, Azure AD)."""
ACS_METADATA_URL = f"https://accounts.accesscontrol.windows.net/{TENANT_ID}/metadata/json/1"
EVOSTS_METADATA_URL = (
    "https://login.windows.net/common/FederationMetadata/2007-06/FederationMetadata.xml"
)

Encoding = Literal["utf-16-le-bom", "utf-16-be-bom", "utf-8-bom", "utf-8", "ascii"]
OAuthCopy = Literal["current", "previous", "none"]
"""Which Lync OAuthTokenIssuer certificate another product holds: the one in force, the
one it replaced (a trust never refreshed after the renewal), or none."""
Newline = Literal["\r\n", "\n"]
TopologyForm = Literal["published", "topology-builder"]
SignatureHash = Literal["sha256", "sha1"]

_OAUTH_NOT_BEFORE = datetime(2026, 1, 15, 14, 0, 0, tzinfo=UTC)
_OAUTH_NOT_AFTER = datetime(2028, 1, 15, 14, 0, 0, tzinfo=UTC)
_OAUTH_ROLL_NOT_BEFORE = datetime(2026, 11, 16, 14, 0, 0, tzinfo=UTC)
_OAUTH_ROLL_NOT_AFTER = datetime(2028, 11, 16, 14, 0, 0, tzinfo=UTC)
_ODD_OAUTH_NOT_BEFORE = datetime(2026, 3, 2, 16, 25, 41, tzinfo=UTC)
_ODD_OAUTH_NOT_AFTER = datetime(2028, 3, 2, 16, 25, 41, tzinfo=UTC)
_PREVIOUS_OAUTH_NOT_BEFORE = datetime(2024, 1, 16, 15, 2, 40, tzinfo=UTC)
_PREVIOUS_OAUTH_NOT_AFTER = datetime(2026, 1, 16, 15, 2, 40, tzinfo=UTC)
_STS_NOT_BEFORE = datetime(2025, 3, 10, 18, 21, 5, tzinfo=UTC)
_STS_NOT_AFTER = datetime(2035, 3, 10, 18, 21, 5, tzinfo=UTC)
_HYBRID_CREATED = datetime(2025, 9, 16, 14, 3, 55, tzinfo=UTC)
_HYBRID_CHANGED = datetime(2025, 9, 16, 14, 9, 31, tzinfo=UTC)
_AUTH_NOT_BEFORE = datetime(2025, 6, 1, 13, 12, 7, tzinfo=UTC)
_AUTH_NOT_AFTER = datetime(2030, 6, 1, 13, 12, 7, tzinfo=UTC)
_CA_NOT_BEFORE = datetime(2024, 3, 1, 17, 40, 12, tzinfo=UTC)
_CA_NOT_AFTER = datetime(2034, 3, 1, 17, 50, 12, tzinfo=UTC)
_SERVER_NOT_BEFORE = datetime(2026, 1, 12, 15, 30, 0, tzinfo=UTC)
_SERVER_NOT_AFTER = datetime(2028, 1, 12, 15, 30, 0, tzinfo=UTC)
_IIS_NOT_BEFORE = datetime(2026, 2, 3, 19, 4, 55, tzinfo=UTC)
_IIS_NOT_AFTER = datetime(2028, 2, 3, 19, 4, 55, tzinfo=UTC)
# When the exports were taken (used for AD timestamps and DNS record ages).
_EXPORT_TIME = datetime(2026, 11, 18, 15, 42, 9, tzinfo=UTC)

_TOPOLOGY_NS = "urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"
_WRITABLE_NS = "urn:schema:Microsoft.Rtc.Management.Deploy.WritableTopology.2008"
_BUILDER_NS = "urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008"
_ROLES_NS = "urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008"
_WEBSVC_NS = "urn:schema:Microsoft.Rtc.Management.Deploy.WebServices.2011"
_BASETYPES_NS = "urn:schema:Microsoft.Rtc.Management.BaseTypes.2008"
_SIMPLEURL_NS = "urn:schema:Microsoft.Rtc.Management.Settings.SimpleUrl.2008"
_STRING_ASM = "mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089"
_RTC_ASM = (
    "Microsoft.Rtc.Management, Version=6.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35"
)
_GUID_NAMESPACE = uuid.UUID("6f1c2d7e-3a4b-4c5d-8e9f-a0b1c2d3e4f5")


# --------------------------------------------------------------------------- the spec


@dataclass(frozen=True)
class BundleSpec:
    """One deployment to export. The defaults describe a healthy litwareinc.com bundle.

    Host names are FQDNs in lower case. `partner_trust_levels` pairs a Lync partner
    application identity with its `ApplicationTrustLevel` (Full, Application or User);
    only identities listed there are exported. `odd_front_end` names a Front End whose
    `Get-CsCertificate` carries a different OAuthTokenIssuer certificate of its own,
    `missing_oauth_on` one whose export has no OAuthTokenIssuer entry at all.

    The healthy deployment is hybrid: Lync trusts Microsoft 365 (`microsoft.sts`, and
    `evoSTS` for hybrid modern authentication, which is on), Exchange has the Hybrid
    Configuration Wizard's `Exchange Online` partner application and authorization
    servers. An export that would hold no object (no OAuth server, no user services
    policy...) is not written: `Export-Clixml` of nothing is an empty `<Objs>` document
    that no tool can attribute to a cmdlet.
    """

    sip_domain: str = "litwareinc.com"
    additional_sip_domains: tuple[str, ...] = ("fabrikam.com",)
    site_name: str = "Atlanta"
    pool_fqdn: str = "atl-cs-001.litwareinc.com"
    front_ends: tuple[str, ...] = (
        "atl-fe-01.litwareinc.com",
        "atl-fe-02.litwareinc.com",
        "atl-fe-03.litwareinc.com",
    )
    sql_fqdn: str = "atl-sql-001.litwareinc.com"
    file_store_fqdn: str = "atl-fs-001.litwareinc.com"
    web_external_fqdn: str = "atl-cs-001-ext.litwareinc.com"
    domain_controller: str = "atl-dc-001.litwareinc.com"
    sharepoint_fqdn: str = "sharepoint.litwareinc.com"
    exchange_server: str = "atl-exch-001.litwareinc.com"
    exchange_org: str = "Litware"
    # AdminDisplayVersion (Major, Minor, Build, Revision): 15.0 is Exchange 2013, 15.1 2016,
    # 15.2 2019; False `exchange_exports`: no Exchange at all, nothing under exchange/
    exchange_build: tuple[int, int, int, int] = (15, 2, 1544, 4)
    exchange_exports: bool = True
    # Lync OAuth configuration (Get-CsOAuthConfiguration)
    exchange_autodiscover_url: str = (
        "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc"
    )
    oauth_realm: str = ""
    oauth_service_name: str = LYNC_APP_ID
    client_authorization_oauth_server_identity: str = "evoSTS"
    # Lync OAuth servers (Get-CsOAuthServer): identities; evoSTS gets Azure AD's metadata
    # URL, any other the ACS one (`acs_metadata_url`). Empty: no export is written.
    oauth_servers: tuple[str, ...] = ("microsoft.sts", "evoSTS")
    acs_metadata_url: str = ACS_METADATA_URL
    # Lync partner applications (Get-CsPartnerApplication)
    partner_trust_levels: tuple[tuple[str, str], ...] = (
        ("microsoft.exchange", "Full"),
        ("microsoft.sharepoint", "Full"),
    )
    exchange_metadata_url: str = "https://autodiscover.litwareinc.com/autodiscover/metadata/json/1"
    sharepoint_metadata_url: str = "https://sharepoint.litwareinc.com/_layouts/15/metadata/json/1"
    partner_apps_enabled: bool = True
    # per identity: ApplicationIdentifier, metadata URL and Realm that differ from the usual
    partner_app_ids: tuple[tuple[str, str], ...] = ()
    partner_app_metadata_urls: tuple[tuple[str, str], ...] = ()
    partner_app_realms: tuple[tuple[str, str], ...] = ()
    # identities created with -UseOAuthServer (AuthToken "UseOAuthServer", no metadata URL):
    # Microsoft's hybrid script makes microsoft.exchange so for Exchange Online
    partner_apps_via_oauth_server: tuple[str, ...] = ()
    # Get-CsUserServicesPolicy (identity, UcsAllowed); Get-CsArchivingConfiguration
    # EnableExchangeArchiving (None: no export)
    user_services_policies: tuple[tuple[str, bool], ...] = (("Global", True),)
    exchange_archiving: bool | None = True
    archiving_level: str = "ImAndWebConf"  # EnableArchiving: None, ImOnly or ImAndWebConf
    # Exchange side: the partner application for Lync (Configure-EnterprisePartnerApplication)
    exchange_lync_app: bool = True
    lync_metadata_url: str = "https://atl-cs-001.litwareinc.com/metadata/json/1"
    exchange_lync_app_id: str = LYNC_APP_ID
    exchange_lync_app_enabled: bool = True
    exchange_lync_app_realm: str = ""
    exchange_lync_app_use_auth_server: bool = False
    # Exchange hybrid: the wizard's SfBLegacy application (Skype for Business Online's:
    # Lync's identifier, UseAuthServer, no metadata URL), listed after the others
    exchange_sfb_legacy: bool = False
    # Exchange hybrid: the "Exchange Online" partner application and Get-AuthServer
    exchange_hybrid: bool = True
    exchange_online_realm: str = ""
    exchange_autodiscover_internal_uri: str = (  # "": not set (<Nil>)
        "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml"
    )
    exchange_auth_service_name: str = EXCHANGE_APP_ID
    exchange_auth_realm: str = ""
    exchange_auth_not_before: datetime = _AUTH_NOT_BEFORE
    exchange_auth_not_after: datetime = _AUTH_NOT_AFTER
    exchange_auth_signature_hash: SignatureHash = "sha256"
    # The OAuthTokenIssuer certificate
    oauth_key_bits: int = 2048
    oauth_subject_cn: str | None = None  # None: the default SIP domain
    oauth_dns_names: tuple[str, ...] | None = None  # None: every SIP domain
    oauth_not_before: datetime = _OAUTH_NOT_BEFORE
    oauth_not_after: datetime = _OAUTH_NOT_AFTER
    oauth_signature_hash: SignatureHash = "sha256"
    odd_front_end: str | None = None
    missing_oauth_on: str | None = None
    # The OAuthTokenIssuer entry in force rolled in on `oauth_effective` (None: assigned at
    # once); a staged roll of a renewed certificate (`oauth_roll_*` dates) effective on
    # `oauth_roll_effective` on `oauth_roll_on` (None: every OAuth server), listed before
    # the entry in force when `oauth_roll_first` (the export's order is no timeline).
    oauth_effective: datetime | None = None
    oauth_roll_effective: datetime | None = None
    oauth_roll_not_before: datetime = _OAUTH_ROLL_NOT_BEFORE
    oauth_roll_not_after: datetime = _OAUTH_ROLL_NOT_AFTER
    oauth_roll_on: tuple[str, ...] | None = None
    oauth_roll_first: bool = False
    # A Director pool (Registrar and WebServices: its servers are OAuth servers) and
    # Survivable Branch Appliances (Registrar and Mediation in a branch site: they are
    # not), each server with its own Get-CsCertificate export; published topology only.
    director_pool: str = "atl-dir-001.litwareinc.com"
    directors: tuple[str, ...] = ()
    branch_appliances: tuple[str, ...] = ()
    # Exchange's partner application for Lync: the certificates it last read from Lync's
    # metadata (CertificateStrings); "none" writes the empty list
    exchange_lync_app_certificates: OAuthCopy = "none"
    # Get-HybridConfiguration: when the Hybrid Configuration Wizard last ran
    # (WhenChangedUTC); None: not exported
    hybrid_configuration_changed: datetime | None = None
    # Exchange's certificates exported from the certificate store (Get-ChildItem
    # Cert:\LocalMachine\My through Invoke-Command) instead of Get-ExchangeCertificate
    exchange_certificates_from_store: bool = False
    # SharePoint Server farm (SharePoint Management Shell): Get-SPTrustedSecurityTokenIssuer
    # and Get-SPSecurityTokenServiceConfig; False: not exported
    sharepoint_exports: bool = False
    sharepoint_lync_issuer: bool = True  # False: no issuer for Lync (Exchange's only)
    sharepoint_lync_issuer_name: str = "Skype for Business Server"
    sharepoint_lync_issuer_metadata_url: str | None = None  # None: lync_metadata_url; "": none
    sharepoint_lync_issuer_realm: str | None = None  # None: Lync's realm (or SIP domain)
    sharepoint_lync_issuer_certificate: OAuthCopy = "current"
    sharepoint_lync_issuer_is_self_issuer: bool = False
    sharepoint_metadata_endpoint_as_object: bool = False  # a nested System.Uri object
    sharepoint_realm: str = "5b1f2e9c-7d4a-4c61-8f3e-2a9d0c6b71e4"
    sharepoint_allow_oauth_over_http: bool = False
    sharepoint_allow_metadata_over_http: bool = False
    sharepoint_sts_key_bits: int = 2048
    sharepoint_sts_signature_hash: SignatureHash = "sha256"
    sharepoint_sts_encipherment_only: bool = False  # a KeyUsage without digitalSignature
    sharepoint_sts_not_before: datetime = _STS_NOT_BEFORE
    sharepoint_sts_not_after: datetime = _STS_NOT_AFTER
    # Which Get-CsCertificate exports exist and which carry PSComputerName
    omit_server_exports: tuple[str, ...] = ()
    servers_without_computer_name: tuple[str, ...] = ("atl-fe-03.litwareinc.com",)
    # Certificate files of the bundle
    include_oauth_cer: bool = True
    include_oauth_pfx: bool = False
    pfx_password: str = PFX_PASSWORD
    # DNS
    autodiscover_dns_record: bool = True
    autodiscover_dns_target: str | None = None  # None: the Exchange server
    dns_omit: tuple[str, ...] = ()  # FQDNs whose records the zone export lacks
    extra_dns_records: tuple[tuple[str, str, str], ...] = ()  # (FQDN, type, data)
    # File forms and encodings
    topology_form: TopologyForm = "published"
    topology_encoding: Encoding | None = None  # None: UTF-16 LE (published), UTF-8 BOM (tbxml)
    lync_encoding: Encoding = "utf-16-le-bom"
    server_encoding: Encoding = "utf-16-le-bom"
    exchange_encoding: Encoding = "utf-8-bom"
    lync_newline: Newline = "\r\n"
    exchange_newline: Newline = "\n"
    dns_encoding: Encoding = "ascii"

    @property
    def sip_domains(self) -> tuple[str, ...]:
        """Return the default SIP domain followed by the additional ones."""
        return (self.sip_domain, *self.additional_sip_domains)

    @property
    def oauth_certificate_servers(self) -> tuple[str, ...]:
        """Return the servers that carry the OAuthTokenIssuer certificate: Front Ends, Directors."""
        return (*self.front_ends, *self.directors)


@dataclass(frozen=True)
class Scenario:
    """A named bundle of the committed fixtures."""

    name: str
    description: str
    spec: BundleSpec = field(default_factory=BundleSpec)


_FE3 = "atl-fe-03.litwareinc.com"
_AUTODISCOVER_XML = "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml"
_TRUST_EXCHANGE_APPLICATION = (
    ("microsoft.exchange", "Application"),
    ("microsoft.sharepoint", "Full"),
)

SHAREPOINT_INTEGRATED = BundleSpec(
    sharepoint_exports=True,
    hybrid_configuration_changed=_HYBRID_CHANGED,
    exchange_lync_app_certificates="current",
)
"""The healthy bundle with every export s2slint reads: the SharePoint farm's side,
Get-HybridConfiguration, and Exchange's copy of Lync's OAuth certificate."""

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "healthy",
        "everything right in what it exports; it lacks the SharePoint farm's exports and "
        "Get-HybridConfiguration, which INP006 names (sharepoint-healthy has them all).",
    ),
    Scenario(
        "autodiscover-xml-not-svc",
        "Lync's ExchangeAutodiscoverUrl ends in /autodiscover/autodiscover.xml.",
        BundleSpec(exchange_autodiscover_url=_AUTODISCOVER_XML),
    ),
    Scenario(
        "oauth-cert-inconsistent",
        "atl-fe-03 carries an OAuthTokenIssuer certificate of its own (another thumbprint).",
        BundleSpec(odd_front_end=_FE3),
    ),
    Scenario(
        "weak-key",
        "the OAuthTokenIssuer certificate has a 1024-bit RSA key (the same on every server).",
        BundleSpec(oauth_key_bits=1024),
    ),
    Scenario(
        "autodiscover-record-missing",
        "the zone export has no autodiscover record.",
        BundleSpec(autodiscover_dns_record=False),
    ),
    Scenario(
        "partner-app-not-full-trust",
        "the microsoft.exchange partner application has ApplicationTrustLevel Application.",
        BundleSpec(partner_trust_levels=_TRUST_EXCHANGE_APPLICATION),
    ),
    Scenario(
        "topology-builder",
        "healthy, with the topology as a Topology Builder .tbxml instead of the published XML.",
        BundleSpec(topology_form="topology-builder"),
    ),
    Scenario(
        "pfx-protected",
        "healthy, with the OAuth certificate as a password-protected PFX "
        f"(password `{PFX_PASSWORD}`) instead of the .cer.",
        BundleSpec(include_oauth_cer=False, include_oauth_pfx=True),
    ),
    Scenario(
        "lync-partner-app-missing",
        "Exchange has no partner application for Lync (only the Hybrid Configuration Wizard's "
        "Exchange Online one), so the unified contact store and Exchange archiving, both "
        "enabled, cannot work.",
        BundleSpec(exchange_lync_app=False),
    ),
    Scenario(
        "hybrid-misconfigured",
        "a half-done hybrid setup: microsoft.sts without the tenant in its ACS metadata URL, "
        "hybrid modern authentication naming evoSTS which was never created, and Exchange "
        "Online's partner application with a Realm.",
        BundleSpec(
            oauth_servers=("microsoft.sts",),
            acs_metadata_url="https://accounts.accesscontrol.windows.net/metadata/json/1",
            exchange_online_realm="litwareinc.com",
        ),
    ),
    Scenario(
        "sharepoint-healthy",
        "healthy and SharePoint-integrated, with every export s2slint reads: the SharePoint "
        "farm's trusted issuers (Exchange's and Lync's) and token service, Exchange's "
        "Get-HybridConfiguration, Exchange's partner application for Lync holding Lync's "
        "current OAuth certificate; s2slint must report nothing.",
        SHAREPOINT_INTEGRATED,
    ),
    Scenario(
        "sharepoint-issuer-missing",
        "SharePoint-integrated, but the SharePoint farm trusts only Exchange's token issuer: "
        "Lync's was never created (or was removed), so SharePoint rejects Lync's tokens.",
        replace(SHAREPOINT_INTEGRATED, sharepoint_lync_issuer=False),
    ),
    Scenario(
        "sharepoint-issuer-misconfigured",
        "SharePoint's issuer for Lync reads its metadata from the Front End server "
        "atl-fe-01 instead of the pool, over http, and was registered with the realm "
        "fabrikam.com instead of Lync's litwareinc.com.",
        replace(
            SHAREPOINT_INTEGRATED,
            sharepoint_lync_issuer_metadata_url="http://atl-fe-01.litwareinc.com/metadata/json/1",
            sharepoint_lync_issuer_realm="fabrikam.com",
        ),
    ),
    Scenario(
        "sharepoint-http",
        "Lync's SharePoint partner application reads SharePoint's metadata over http, which "
        "SharePoint's token service refuses (AllowMetadataOverHttp False), and the token "
        "service accepts OAuth over http (AllowOAuthOverHttp True).",
        replace(
            SHAREPOINT_INTEGRATED,
            sharepoint_metadata_url="http://sharepoint.litwareinc.com/_layouts/15/metadata/json/1",
            sharepoint_allow_oauth_over_http=True,
        ),
    ),
    Scenario(
        "oauth-cert-renewed-trusts-stale",
        "Lync's OAuthTokenIssuer certificate was renewed in January 2026, but Exchange's "
        "partner application for Lync and SharePoint's issuer for Lync still hold the "
        "certificate it replaced: neither refreshed Lync's metadata.",
        replace(
            SHAREPOINT_INTEGRATED,
            exchange_lync_app_certificates="previous",
            sharepoint_lync_issuer_certificate="previous",
        ),
    ),
    Scenario(
        "hybrid-auth-cert-not-republished",
        "the Exchange Auth certificate was renewed in May 2026, after the Hybrid "
        "Configuration Wizard last ran (September 2025): the new certificate was never "
        "published to Microsoft 365.",
        replace(
            SHAREPOINT_INTEGRATED,
            exchange_auth_not_before=datetime(2026, 5, 4, 9, 41, 18, tzinfo=UTC),
            exchange_auth_not_after=datetime(2031, 5, 4, 9, 41, 18, tzinfo=UTC),
        ),
    ),
    Scenario(
        "example",
        "the README quick start: .xml autodiscover URL, microsoft.exchange trusted at "
        "Application level, atl-fe-03 with another OAuth certificate, no autodiscover record.",
        BundleSpec(
            exchange_autodiscover_url=_AUTODISCOVER_XML,
            partner_trust_levels=_TRUST_EXCHANGE_APPLICATION,
            odd_front_end=_FE3,
            autodiscover_dns_record=False,
        ),
    ),
)


# ------------------------------------------------------------------ small helpers


def _guid(*parts: str) -> str:
    """Return a stable GUID for `parts` (lower case, as PowerShell prints them)."""
    return str(uuid.uuid5(_GUID_NAMESPACE, "/".join(parts)))


def _short(fqdn: str) -> str:
    return fqdn.split(".", 1)[0]


def _dc_dn(domain: str) -> str:
    return ",".join(f"DC={label}" for label in domain.split("."))


def _eastern(moment: datetime) -> datetime:
    """Return `moment` in US Eastern time (the servers are in Atlanta), offset included."""
    utc = moment.astimezone(UTC)
    year = utc.year
    march_first = datetime(year, 3, 1, tzinfo=UTC)
    second_sunday = march_first + timedelta(days=(6 - march_first.weekday()) % 7 + 7)
    november_first = datetime(year, 11, 1, tzinfo=UTC)
    first_sunday = november_first + timedelta(days=(6 - november_first.weekday()) % 7)
    dst_start = second_sunday.replace(hour=7)  # 02:00 EST
    dst_end = first_sunday.replace(hour=6)  # 02:00 EDT
    hours = -4 if dst_start <= utc < dst_end else -5
    return utc.astimezone(timezone(timedelta(hours=hours)))


def _clixml_date(moment: datetime) -> str:
    """Format a date as `Export-Clixml` writes a local DateTime: `2028-01-15T09:00:00-05:00`."""
    return _eastern(moment).isoformat()


def _clixml_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _encode(text: str, encoding: Encoding, newline: Newline = "\r\n") -> bytes:
    """Encode `text` (written with "\\n") the way Windows tools write files."""
    text = text.replace("\n", newline)
    if encoding == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if encoding == "utf-8":
        return text.encode("utf-8")
    return text.encode("ascii")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _attrs(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f' {name}="{_attr(value)}"' for name, value in pairs)


# ------------------------------------------------------- deterministic RSA keys


def _byte_stream(label: str) -> Iterator[int]:
    """Yield an endless stream of bytes derived from `label` (SHA-256 in counter mode)."""
    counter = 0
    while True:
        block = hashlib.sha256(f"s2slint-fixture:{label}:{counter}".encode()).digest()
        yield from block
        counter += 1


def _random_int(stream: Iterator[int], bits: int) -> int:
    nbytes = (bits + 7) // 8
    value = int.from_bytes(bytes(next(stream) for _ in range(nbytes)), "big")
    return value >> (nbytes * 8 - bits)


@functools.cache
def _small_primes() -> tuple[int, ...]:
    limit = 3000
    sieve = bytearray([1]) * limit
    sieve[0:2] = b"\x00\x00"
    for i in range(2, int(limit**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytearray(len(sieve[i * i :: i]))
    return tuple(i for i in range(3, limit) if sieve[i])


def _probably_prime(n: int, stream: Iterator[int], rounds: int) -> bool:
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(rounds):
        a = 2 + _random_int(stream, n.bit_length() - 1) % (n - 3)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(stream: Iterator[int], bits: int, exponent: int) -> int:
    """Return a prime of exactly `bits` bits (top two bits set) with gcd(p-1, e) = 1."""
    while True:
        candidate = _random_int(stream, bits) | (0b11 << (bits - 2)) | 1
        for _ in range(2000):
            if candidate.bit_length() != bits:
                break
            if all(candidate % p for p in _small_primes()) and (
                (candidate - 1) % exponent != 0
                and _probably_prime(candidate, stream, 1)
                and _probably_prime(candidate, stream, 40)
            ):
                return candidate
            candidate += 2


@functools.cache
def _rsa_key(label: str, bits: int) -> rsa.RSAPrivateKey:
    """Derive an RSA key from `label`: the same label and size always give the same key."""
    exponent = 65537
    stream = _byte_stream(f"rsa:{label}:{bits}")
    p = _prime(stream, bits // 2, exponent)
    q = _prime(stream, bits - bits // 2, exponent)
    while q == p:
        q = _prime(stream, bits - bits // 2, exponent)
    if p < q:
        p, q = q, p
    lam = math.lcm(p - 1, q - 1)
    d = pow(exponent, -1, lam)
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=rsa.RSAPublicNumbers(exponent, p * q),
    )
    return numbers.private_key()


# ---------------------------------------------------------------- certificates


_RDN_OIDS = {
    "CN": NameOID.COMMON_NAME,
    "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "O": NameOID.ORGANIZATION_NAME,
    "L": NameOID.LOCALITY_NAME,
    "S": NameOID.STATE_OR_PROVINCE_NAME,
    "C": NameOID.COUNTRY_NAME,
    "DC": NameOID.DOMAIN_COMPONENT,
}


def _x509_name(rdns: tuple[tuple[str, str], ...]) -> x509.Name:
    """Build a Name from RDNs given in DER order (most general first)."""
    return x509.Name([x509.NameAttribute(_RDN_OIDS[key], value) for key, value in rdns])


def _dotnet_name(rdns: tuple[tuple[str, str], ...]) -> str:
    """Format a Name as .NET's X500DistinguishedName.Name does: most specific first."""
    parts = []
    for key, value in reversed(rdns):
        needs_quotes = any(ch in value for ch in ',+="<>#;') or value != value.strip()
        parts.append(f'{key}="{value}"' if needs_quotes else f"{key}={value}")
    return ", ".join(parts)


@dataclass(frozen=True)
class _Cert:
    """A generated certificate with what the exports print about it."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey
    subject: str
    issuer: str
    dns_names: tuple[str, ...]

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def thumbprint(self) -> str:
        return hashlib.sha1(self.der).hexdigest().upper()

    @property
    def serial(self) -> str:
        serial = self.certificate.serial_number
        return serial.to_bytes((serial.bit_length() + 8) // 8, "big").lstrip(b"\x00").hex().upper()

    @property
    def not_before(self) -> datetime:
        return self.certificate.not_valid_before_utc

    @property
    def not_after(self) -> datetime:
        return self.certificate.not_valid_after_utc


_CA_RDNS = (("DC", "com"), ("DC", "litwareinc"), ("CN", "LitwareInc Enterprise CA"))
_ORG_RDNS = (("C", "US"), ("S", "GA"), ("L", "Atlanta"), ("O", "Litware Inc"))


def _ca_serial(label: str, request_id: int) -> int:
    """Return an AD CS style serial: 0x1E, request id, ten random bytes, request id."""
    digest = hashlib.sha256(f"serial:{label}:{request_id}".encode()).digest()
    rid = request_id.to_bytes(4, "little")
    return int.from_bytes(b"\x1e" + rid + digest[:10] + b"\x00\x00\x00\x00" + rid[:1], "big")


def _self_signed_serial(label: str) -> int:
    digest = bytearray(hashlib.sha256(f"serial:{label}".encode()).digest()[:16])
    digest[0] = (digest[0] & 0x7F) | 0x10
    return int.from_bytes(bytes(digest), "big")


_SHA256_WITH_RSA = bytes.fromhex("300d06092a864886f70d01010b0500")
_SHA1_WITH_RSA = bytes.fromhex("300d06092a864886f70d0101050500")


def _with_signature_hash(
    cert: x509.Certificate, issuer_key: rsa.RSAPrivateKey, name: SignatureHash
) -> x509.Certificate:
    """Return `cert` (signed with SHA-256) re-signed with `name`.

    `cryptography` no longer signs with SHA-1, yet old certificates (Exchange setup's
    own Auth certificates among them) are sha1WithRSAEncryption, so the TBS part is
    patched and signed here.
    """
    if name == "sha256":
        return cert
    tbs = cert.tbs_certificate_bytes
    assert tbs.count(_SHA256_WITH_RSA) == 1
    tbs = tbs.replace(_SHA256_WITH_RSA, _SHA1_WITH_RSA)
    signature = issuer_key.sign(tbs, PKCS1v15(), hashes.SHA1())
    der = _seq(tbs, _SHA1_WITH_RSA, _der(0x03, b"\x00" + signature))
    return x509.load_der_x509_certificate(der)


@functools.cache
def _ca() -> _Cert:
    key = _rsa_key("litwareinc-enterprise-ca", 2048)
    name = _x509_name(_CA_RDNS)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(_self_signed_serial("litwareinc-enterprise-ca"))
        .not_valid_before(_CA_NOT_BEFORE)
        .not_valid_after(_CA_NOT_AFTER)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    subject = _dotnet_name(_CA_RDNS)
    return _Cert(cert, key, subject, subject, ())


_SERVER_KEY_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=False,
    key_encipherment=True,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


@functools.cache
def _issued(
    label: str,
    key_bits: int,
    rdns: tuple[tuple[str, str], ...],
    dns_names: tuple[str, ...],
    not_before: datetime,
    not_after: datetime,
    request_id: int,
    signature_hash: SignatureHash = "sha256",
    client_auth: bool = False,
) -> _Cert:
    """Issue a server certificate from the LitwareInc Enterprise CA."""
    ca = _ca()
    key = _rsa_key(label, key_bits)
    usages = [ExtendedKeyUsageOID.SERVER_AUTH]
    if client_auth:
        usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_x509_name(rdns))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(_ca_serial(label, request_id))
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(_SERVER_KEY_USAGE, critical=True)
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    )
    if dns_names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name) for name in dns_names]),
            critical=False,
        )
    ca_ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    builder = (
        builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski.value),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[
                            x509.UniformResourceIdentifier(
                                "http://pki.litwareinc.com/CertEnroll/"
                                "LitwareInc%20Enterprise%20CA.crl"
                            )
                        ],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(
                            "http://pki.litwareinc.com/CertEnroll/"
                            "atl-ca-001.litwareinc.com_LitwareInc%20Enterprise%20CA.crt"
                        ),
                    )
                ]
            ),
            critical=False,
        )
    )
    cert = _with_signature_hash(builder.sign(ca.key, hashes.SHA256()), ca.key, signature_hash)
    return _Cert(cert, key, _dotnet_name(rdns), ca.subject, dns_names)


@functools.cache
def _exchange_auth_cert(
    not_before: datetime, not_after: datetime, signature_hash: SignatureHash = "sha256"
) -> _Cert:
    """Return the self-signed `Microsoft Exchange Server Auth Certificate`."""
    rdns = (("CN", "Microsoft Exchange Server Auth Certificate"),)
    key = _rsa_key("exchange-auth", 2048)
    name = _x509_name(rdns)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(_self_signed_serial(f"exchange-auth:{not_before.isoformat()}"))
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(_SERVER_KEY_USAGE, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert = _with_signature_hash(cert, key, signature_hash)
    subject = _dotnet_name(rdns)
    return _Cert(cert, key, subject, subject, ())


def _exchange_auth(spec: BundleSpec) -> _Cert:
    return _exchange_auth_cert(
        spec.exchange_auth_not_before,
        spec.exchange_auth_not_after,
        spec.exchange_auth_signature_hash,
    )


def _oauth_issued(
    spec: BundleSpec,
    label: str,
    not_before: datetime,
    not_after: datetime,
    serial: int,
    signature_hash: SignatureHash = "sha256",
) -> _Cert:
    """Issue an OAuthTokenIssuer certificate for `spec`'s names (current, rolled or previous)."""
    cn = spec.oauth_subject_cn if spec.oauth_subject_cn is not None else spec.sip_domain
    dns_names = spec.oauth_dns_names if spec.oauth_dns_names is not None else spec.sip_domains
    return _issued(
        f"{label}:{cn}",
        spec.oauth_key_bits,
        (*_ORG_RDNS, ("OU", "Unified Communications"), ("CN", cn)),
        dns_names,
        not_before,
        not_after,
        serial,
        signature_hash,
    )


def _oauth_cert(spec: BundleSpec) -> _Cert:
    """Return the global OAuthTokenIssuer certificate of `spec`."""
    return _oauth_issued(
        spec,
        "oauth-token-issuer",
        spec.oauth_not_before,
        spec.oauth_not_after,
        0x2A,
        spec.oauth_signature_hash,
    )


def _rolled_oauth_cert(spec: BundleSpec) -> _Cert:
    """Return the renewed OAuthTokenIssuer certificate a staged roll brings in."""
    return _oauth_issued(
        spec,
        "oauth-token-issuer-roll",
        spec.oauth_roll_not_before,
        spec.oauth_roll_not_after,
        0x2B,
        spec.oauth_signature_hash,
    )


def _previous_oauth_cert(spec: BundleSpec) -> _Cert:
    """Return the OAuthTokenIssuer certificate the current one replaced (expired in January)."""
    return _oauth_issued(
        spec,
        "oauth-token-issuer-previous",
        _PREVIOUS_OAUTH_NOT_BEFORE,
        _PREVIOUS_OAUTH_NOT_AFTER,
        0x17,
    )


def _oauth_copy(spec: BundleSpec, which: OAuthCopy) -> _Cert | None:
    """Return the Lync OAuth certificate another product holds a copy of."""
    if which == "current":
        return _oauth_cert(spec)
    if which == "previous":
        return _previous_oauth_cert(spec)
    return None


@functools.cache
def _sts_cert_of(
    key_bits: int,
    not_before: datetime,
    not_after: datetime,
    signature_hash: SignatureHash = "sha256",
    encipherment_only: bool = False,
) -> _Cert:
    """Return SharePoint's self-signed `SharePoint Security Token Service` certificate.

    It has no KeyUsage extension (every usage allowed) unless `encipherment_only`.
    """
    rdns = (
        ("C", "US"),
        ("O", "Microsoft"),
        ("OU", "SharePoint"),
        ("CN", "SharePoint Security Token Service"),
    )
    key = _rsa_key("sharepoint-sts", key_bits)
    name = _x509_name(rdns)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(_self_signed_serial(f"sharepoint-sts:{not_before.isoformat()}"))
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if encipherment_only:
        usage = x509.KeyUsage(
            digital_signature=False,
            content_commitment=False,
            key_encipherment=True,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=False,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        )
        builder = builder.add_extension(usage, critical=True)
    cert = _with_signature_hash(builder.sign(key, hashes.SHA256()), key, signature_hash)
    subject = _dotnet_name(rdns)
    return _Cert(cert, key, subject, subject, ())


def _sts_cert(spec: BundleSpec) -> _Cert:
    return _sts_cert_of(
        spec.sharepoint_sts_key_bits,
        spec.sharepoint_sts_not_before,
        spec.sharepoint_sts_not_after,
        spec.sharepoint_sts_signature_hash,
        spec.sharepoint_sts_encipherment_only,
    )


def _odd_oauth_cert(spec: BundleSpec, server: str) -> _Cert:
    """Return the OAuth certificate someone requested on `server` alone."""
    return _issued(
        f"oauth-token-issuer-local:{server}",
        spec.oauth_key_bits,
        (*_ORG_RDNS, ("CN", spec.sip_domain)),
        spec.sip_domains,
        _ODD_OAUTH_NOT_BEFORE,
        _ODD_OAUTH_NOT_AFTER,
        0x4F,
    )


def _server_certs(spec: BundleSpec, server: str, index: int) -> list[tuple[str, _Cert]]:
    """Return the per-server (Default, WebServicesInternal, WebServicesExternal) certs."""
    domain = spec.sip_domain
    base = 0x30 + 3 * index
    default_names = (
        spec.pool_fqdn,
        server,
        f"sip.{domain}",
        *(f"sip.{d}" for d in spec.additional_sip_domains),
    )
    internal_names = (
        spec.pool_fqdn,
        server,
        f"lyncdiscoverinternal.{domain}",
        f"meet.{domain}",
        f"dialin.{domain}",
    )
    external_names = (
        spec.web_external_fqdn,
        f"lyncdiscover.{domain}",
        f"meet.{domain}",
        f"dialin.{domain}",
    )
    rdns_pool = (*_ORG_RDNS, ("CN", spec.pool_fqdn))
    rdns_ext = (*_ORG_RDNS, ("CN", spec.web_external_fqdn))
    return [
        (
            "Default",
            _issued(
                f"server:{server}",
                2048,
                rdns_pool,
                default_names,
                _SERVER_NOT_BEFORE,
                _SERVER_NOT_AFTER,
                base,
                client_auth=True,
            ),
        ),
        (
            "WebServicesInternal",
            _issued(
                f"server:{server}",
                2048,
                rdns_pool,
                internal_names,
                _SERVER_NOT_BEFORE,
                _SERVER_NOT_AFTER,
                base + 1,
            ),
        ),
        (
            "WebServicesExternal",
            _issued(
                f"server:{server}",
                2048,
                rdns_ext,
                external_names,
                _SERVER_NOT_BEFORE,
                _SERVER_NOT_AFTER,
                base + 2,
            ),
        ),
    ]


def _iis_cert(spec: BundleSpec) -> _Cert:
    domain = spec.sip_domain
    return _issued(
        f"exchange-iis:{spec.exchange_server}",
        2048,
        (*_ORG_RDNS, ("CN", f"mail.{domain}")),
        (f"mail.{domain}", f"autodiscover.{domain}", spec.exchange_server),
        _IIS_NOT_BEFORE,
        _IIS_NOT_AFTER,
        0x61,
    )


def oauth_roll_thumbprint(spec: BundleSpec) -> str:
    """Return the thumbprint of the renewed certificate a staged roll brings in."""
    return _rolled_oauth_cert(spec).thumbprint


CertificateName = Literal[
    "oauth", "previous-oauth", "exchange-auth", "exchange-iis", "sharepoint-sts"
]


def certificate_der(spec: BundleSpec, name: CertificateName) -> bytes:
    """Return the DER bytes of one of the bundle's certificates (for hand-written exports)."""
    makers = {
        "oauth": _oauth_cert,
        "previous-oauth": _previous_oauth_cert,
        "exchange-auth": _exchange_auth,
        "exchange-iis": _iis_cert,
        "sharepoint-sts": _sts_cert,
    }
    return makers[name](spec).der


def oauth_thumbprints(spec: BundleSpec) -> dict[str, str]:
    """Return the OAuthTokenIssuer thumbprint each Front End's export carries."""
    result = {}
    for server in spec.oauth_certificate_servers:
        if server in spec.omit_server_exports or server == spec.missing_oauth_on:
            continue
        cert = _odd_oauth_cert(spec, server) if server == spec.odd_front_end else _oauth_cert(spec)
        result[server] = cert.thumbprint
    return result


# ------------------------------------------------------------------------ PKCS#12


def _der(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        head = bytes([length])
    else:
        raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + head + content


def _seq(*items: bytes) -> bytes:
    return _der(0x30, b"".join(items))


def _set(*items: bytes) -> bytes:
    return _der(0x31, b"".join(sorted(items)))


def _int(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


def _octets(value: bytes) -> bytes:
    return _der(0x04, value)


def _oid(dotted: str) -> bytes:
    arcs = [int(arc) for arc in dotted.split(".")]
    body = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return _der(0x06, bytes(body))


def _explicit(number: int, content: bytes) -> bytes:
    return _der(0xA0 | number, content)


def _bmp(text: str) -> bytes:
    return _der(0x1E, text.encode("utf-16-be"))


_OID_DATA = "1.2.840.113549.1.7.1"
_OID_ENCRYPTED_DATA = "1.2.840.113549.1.7.6"
_OID_PBE_3DES = "1.2.840.113549.1.12.1.3"
_OID_KEY_BAG = "1.2.840.113549.1.12.10.1.2"
_OID_CERT_BAG = "1.2.840.113549.1.12.10.1.3"
_OID_X509_CERT = "1.2.840.113549.1.9.22.1"
_OID_LOCAL_KEY_ID = "1.2.840.113549.1.9.21"
_OID_FRIENDLY_NAME = "1.2.840.113549.1.9.20"
_OID_MS_CSP_NAME = "1.3.6.1.4.1.311.17.1"
_OID_SHA1 = "1.3.14.3.2.26"


def _pkcs12_kdf(password: bytes, salt: bytes, purpose: int, iterations: int, size: int) -> bytes:
    """RFC 7292 appendix B.2 key derivation with SHA-1."""
    u, v = 20, 64

    def stretch(data: bytes) -> bytes:
        if not data:
            return b""
        size = v * math.ceil(len(data) / v)
        return (data * (size // len(data) + 1))[:size]

    diversifier = bytes([purpose]) * v
    s, p = stretch(salt), stretch(password)
    block = bytearray(s + p)
    out = b""
    for _ in range(math.ceil(size / u)):
        a = diversifier + bytes(block)
        for _ in range(iterations):
            a = hashlib.sha1(a).digest()
        out += a
        b = int.from_bytes((a * (v // u + 1))[:v], "big")
        for j in range(0, len(block), v):
            chunk = (int.from_bytes(block[j : j + v], "big") + b + 1) % (1 << (v * 8))
            block[j : j + v] = chunk.to_bytes(v, "big")
    return out[:size]


def _pbe_3des(password: bytes, salt: bytes, iterations: int, data: bytes) -> bytes:
    key = _pkcs12_kdf(password, salt, 1, iterations, 24)
    iv = _pkcs12_kdf(password, salt, 2, iterations, 8)
    padder = padding.PKCS7(64).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = Cipher(TripleDES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def _pfx(cert: _Cert, password: str, label: str, iterations: int = 2000) -> bytes:
    """Encode `cert` and its key as a Windows-style PKCS#12 (3DES, SHA-1 MAC).

    Written by hand because salts must be fixed for the output to be reproducible.
    """
    pw = password.encode("utf-16-be") + b"\x00\x00"

    def salt(purpose: str) -> bytes:
        return hashlib.sha256(f"pfx:{label}:{purpose}".encode()).digest()[:8]

    def pbe_params(s: bytes) -> bytes:
        return _seq(_oid(_OID_PBE_3DES), _seq(_octets(s), _int(iterations)))

    local_key_id = _set(_seq(_oid(_OID_LOCAL_KEY_ID), _set(_octets(b"\x01\x00\x00\x00"))))
    key_attrs = _set(
        _seq(_oid(_OID_LOCAL_KEY_ID), _set(_octets(b"\x01\x00\x00\x00"))),
        _seq(_oid(_OID_FRIENDLY_NAME), _set(_bmp(_guid("pfx-container", label)))),
        _seq(
            _oid(_OID_MS_CSP_NAME),
            _set(_bmp("Microsoft Enhanced RSA and AES Cryptographic Provider")),
        ),
    )
    pkcs8 = cert.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key_salt = salt("key")
    shrouded = _seq(pbe_params(key_salt), _octets(_pbe_3des(pw, key_salt, iterations, pkcs8)))
    key_bag = _seq(_oid(_OID_KEY_BAG), _explicit(0, shrouded), key_attrs)
    key_content = _seq(_oid(_OID_DATA), _explicit(0, _octets(_seq(key_bag))))

    cert_bag_value = _seq(_oid(_OID_X509_CERT), _explicit(0, _octets(cert.der)))
    cert_bag = _seq(_oid(_OID_CERT_BAG), _explicit(0, cert_bag_value), local_key_id)
    cert_salt = salt("cert")
    encrypted = _pbe_3des(pw, cert_salt, iterations, _seq(cert_bag))
    encrypted_data = _seq(
        _int(0),
        _seq(_oid(_OID_DATA), pbe_params(cert_salt), _der(0x80, encrypted)),
    )
    cert_content = _seq(_oid(_OID_ENCRYPTED_DATA), _explicit(0, encrypted_data))

    auth_safe = _seq(key_content, cert_content)
    mac_salt = hashlib.sha256(f"pfx:{label}:mac".encode()).digest()[:20]
    mac_key = _pkcs12_kdf(pw, mac_salt, 3, iterations, 20)
    mac = hmac.new(mac_key, auth_safe, hashlib.sha1).digest()
    mac_data = _seq(
        _seq(_seq(_oid(_OID_SHA1), _der(0x05, b"")), _octets(mac)),
        _octets(mac_salt),
        _int(iterations),
    )
    return _seq(_int(3), _seq(_oid(_OID_DATA), _explicit(0, _octets(auth_safe))), mac_data)


# ------------------------------------------------------------------------- CLIXML


def _remote_ms(computer: str, runspace: str) -> tuple[_Node, ...]:
    return (
        _s("PSComputerName", computer),
        _g("RunspaceId", runspace),
        _b("PSShowComputerName", False),
    )


# ------------------------------------------------------------------ Lync exports


_RTC_SSAUTH = "Microsoft.Rtc.Management.WritableConfig.Settings.SSAuth"
_TRUST_LEVEL_VALUES = {"Full": 2, "Application": 1, "User": 0}
_CERT_USE_VALUES = {
    "Default": 3,
    "WebServicesExternal": 9,
    "WebServicesInternal": 10,
    "OAuthTokenIssuer": 12,
}


def _oauth_configuration(spec: BundleSpec) -> str:
    """`Get-CsOAuthConfiguration | Export-Clixml` (run locally in the Management Shell)."""

    def empty_list(name: str, item_type: str) -> _O:
        list_type = f"System.Collections.Generic.List`1[[{_RTC_SSAUTH}.{item_type}, {_RTC_ASM}]]"
        return _O(name, (list_type, "System.Object"), items=())

    settings = _O(
        None,
        (
            f"{_RTC_SSAUTH}.OAuthSettings",
            "Microsoft.Rtc.Management.WritableConfig.Settings.SettingsBase",
            "System.Object",
        ),
        to_string="Global",
        props=(
            _s("Identity", "Global"),
            _s("ExchangeAutodiscoverUrl", spec.exchange_autodiscover_url),
            _s("ExchangeAutodiscoverAllowedDomains", "*"),
            _s("Realm", spec.oauth_realm),
            _s("ServiceName", spec.oauth_service_name),
            _s(
                "ClientAuthorizationOAuthServerIdentity",
                spec.client_authorization_oauth_server_identity,
            ),
            _enum(
                "ClientAdalAuthOverride",
                f"{_RTC_SSAUTH}.ClientAdalAuthOverrideEnum",
                "NoOverride",
                0,
            ),
            _s("AlternateAudienceUrl", ""),
            empty_list("PartnerApplications", "PartnerApplication"),
            empty_list("OAuthServers", "OAuthServer"),
        ),
    )
    return _clixml([settings])


_PARTNER_APP_TYPES = (
    f"Deserialized.{_RTC_SSAUTH}.PartnerApplication#Decorated",
    f"Deserialized.{_RTC_SSAUTH}.PartnerApplication",
    "Deserialized.System.Object",
)


def _lync_partner_applications(spec: BundleSpec) -> str:
    """`Get-CsPartnerApplication | Export-Clixml` through a remote session to the pool.

    Applications created with `-MetadataUrl` show the identifier read from the metadata;
    Exchange's metadata URL is exported as `AuthToken` (`Value=<url>`), SharePoint's as
    `MetadataUrl`, as the two were seen in the wild.
    """
    runspace = _guid("runspace", "lync-partner-applications", spec.pool_fqdn)
    app_ids = dict(spec.partner_app_ids)
    urls = dict(spec.partner_app_metadata_urls)
    realms = dict(spec.partner_app_realms)
    objects = []
    for identity, trust in spec.partner_trust_levels:
        is_sharepoint = "sharepoint" in identity.lower()
        app_id = app_ids.get(identity, SHAREPOINT_APP_ID if is_sharepoint else EXCHANGE_APP_ID)
        props: list[_Node] = [_s("Identity", identity)]
        if identity in spec.partner_apps_via_oauth_server:
            props.append(_s("AuthToken", "UseOAuthServer"))
        elif is_sharepoint:
            props.append(_s("MetadataUrl", urls.get(identity, spec.sharepoint_metadata_url)))
        else:
            url = urls.get(identity, spec.exchange_metadata_url)
            props.append(_s("AuthToken", f"Value={url}"))
        props += [
            _s("Name", identity),
            _s("ApplicationIdentifier", app_id),
            _s("Realm", realms.get(identity, "")),
            _enum(
                "ApplicationTrustLevel",
                f"{_RTC_SSAUTH}.ApplicationTrustLevel",
                trust,
                _TRUST_LEVEL_VALUES.get(trust, 0),
            ),
            _b("AcceptSecurityIdentifierInformation", False),
            _b("Enabled", spec.partner_apps_enabled),
        ]
        objects.append(
            _O(
                None,
                _PARTNER_APP_TYPES,
                to_string=identity,
                props=tuple(props),
                ms=_remote_ms(spec.pool_fqdn, runspace),
            )
        )
    return _clixml(objects)


_OAUTH_SERVER_TYPES = (
    f"Deserialized.{_RTC_SSAUTH}.OAuthServer#Decorated",
    f"Deserialized.{_RTC_SSAUTH}.OAuthServer",
    "Deserialized.System.Object",
)


def _oauth_servers(spec: BundleSpec) -> str:
    """`Get-CsOAuthServer | Export-Clixml` through a remote session to the pool.

    `microsoft.sts` as `New-CsOAuthServer` creates it for a hybrid deployment (its realm,
    read from the metadata, is the tenant ID), `evoSTS` as the hybrid modern
    authentication procedure creates it.
    """
    runspace = _guid("runspace", "lync-oauth-servers", spec.pool_fqdn)
    objects = []
    for identity in spec.oauth_servers:
        evo = identity.lower() == "evosts"
        objects.append(
            _O(
                None,
                _OAUTH_SERVER_TYPES,
                to_string=identity,
                props=(
                    _s("Identity", identity),
                    _s("Name", identity),
                    _s("MetadataUrl", EVOSTS_METADATA_URL if evo else spec.acs_metadata_url),
                    _s("Realm", "" if evo else TENANT_ID),
                    _s("Type", "AzureAD" if evo else ""),
                    _b("AcceptSecurityIdentifierInformation", evo),
                    _s("AuthorizationUriOverride", ""),
                ),
                ms=_remote_ms(spec.pool_fqdn, runspace),
            )
        )
    return _clixml(objects)


def _user_services_policies(spec: BundleSpec) -> str:
    """`Get-CsUserServicesPolicy | Export-Clixml` (run locally in the Management Shell)."""
    policy = "Microsoft.Rtc.Management.WritableConfig.Policy.UserServices.UserServicesPolicy"
    objects = [
        _O(
            None,
            (policy, "Microsoft.Rtc.Management.WritableConfig.Policy.PolicyBase", "System.Object"),
            to_string=identity,
            props=(
                _s("Identity", identity),
                _b("UcsAllowed", allowed),
                _P("U32", "MigrationDelayInDays", "0"),
                _b("EnableAwaySinceIndication", False),
            ),
        )
        for identity, allowed in spec.user_services_policies
    ]
    return _clixml(objects)


_ARCHIVING_LEVELS = {"None": 0, "ImOnly": 1, "ImAndWebConf": 2}
"""`EnableArchiving` (Microsoft.Rtc...ArchivingLevel): `None` archives nothing."""


def _archiving_configuration(spec: BundleSpec) -> str:
    """`Get-CsArchivingConfiguration | Export-Clixml` (run locally in the Management Shell)."""
    archiving = "Microsoft.Rtc.Management.WritableConfig.Policy.Archiving"
    settings = _O(
        None,
        (
            f"{archiving}.ArchivingSettings",
            "Microsoft.Rtc.Management.WritableConfig.Settings.SettingsBase",
            "System.Object",
        ),
        to_string="Global",
        props=(
            _s("Identity", "Global"),
            _enum(
                "EnableArchiving",
                f"{archiving}.ArchivingLevel",
                spec.archiving_level,
                _ARCHIVING_LEVELS[spec.archiving_level],
            ),
            _b("EnablePurging", False),
            _b("PurgeExportedArchivesOnly", False),
            _b("BlockOnArchiveFailure", False),
            _P("U32", "KeepArchivingDataForDays", "14"),
            _P("U32", "PurgeHourOfDay", "2"),
            _P("U32", "PurgeMinuteOfHour", "0"),
            _b("ArchiveDuplicateMessages", True),
            _P("U32", "CachePurgingInterval", "24"),
            _b("EnableExchangeArchiving", bool(spec.exchange_archiving)),
        ),
    )
    return _clixml([settings])


def _cs_certificate_entry(
    cert: _Cert,
    use: str,
    scope: str,
    ms: tuple[_Node, ...] | None,
    effective: datetime | None = None,
) -> _O:
    names_type = f"System.Collections.Generic.List`1[[System.String, {_STRING_ASM}]]"
    return _O(
        None,
        ("Microsoft.Rtc.Management.Deployment.CertificateReference", "System.Object"),
        to_string="Microsoft.Rtc.Management.Deployment.CertificateReference",
        props=(
            _s("Issuer", cert.issuer),
            _dt("NotAfter", _clixml_date(cert.not_after)),
            _dt("NotBefore", _clixml_date(cert.not_before)),
            _s("SerialNumber", cert.serial),
            _s("Subject", cert.subject),
            _O(
                "AlternativeNames",
                (names_type, "System.Object"),
                items=tuple(_s(None, name) for name in cert.dns_names),
            ),
            _s("Thumbprint", cert.thumbprint),
            _dt("EffectiveDate", _clixml_date(effective))
            if effective is not None
            else _nil("EffectiveDate"),
            _nil("PreviousThumbprint"),
            _nil("PreviousNotAfter"),
            _enum(
                "Use",
                "Microsoft.Rtc.Management.Deployment.CertType",
                use,
                _CERT_USE_VALUES[use],
            ),
            _enum(
                "SourceScope",
                "Microsoft.Rtc.Management.Deployment.CertificateSourceScope",
                scope,
                0 if scope == "Global" else 1,
            ),
        ),
        ms=ms,
    )


def _cs_certificates(spec: BundleSpec, server: str, index: int) -> str:
    """`Get-CsCertificate | Export-Clixml` as run on (or remotely against) `server`."""
    ms: tuple[_Node, ...] | None = None
    if server not in spec.servers_without_computer_name:
        ms = _remote_ms(server, _guid("runspace", "get-cscertificate", server))
    objects = [
        _cs_certificate_entry(cert, use, "Local", ms)
        for use, cert in _server_certs(spec, server, index)
    ]
    if server in spec.branch_appliances:
        return _clixml(objects[:1])  # its Default certificate: no web services, no OAuth
    oauth_entries = []
    if server != spec.missing_oauth_on:
        oauth = _odd_oauth_cert(spec, server) if server == spec.odd_front_end else _oauth_cert(spec)
        oauth_entries.append(
            _cs_certificate_entry(oauth, "OAuthTokenIssuer", "Global", ms, spec.oauth_effective)
        )
    roll_on = spec.oauth_certificate_servers if spec.oauth_roll_on is None else spec.oauth_roll_on
    if spec.oauth_roll_effective is not None and server in roll_on:
        roll = _cs_certificate_entry(
            _rolled_oauth_cert(spec), "OAuthTokenIssuer", "Global", ms, spec.oauth_roll_effective
        )
        oauth_entries.insert(0 if spec.oauth_roll_first else len(oauth_entries), roll)
    return _clixml([*objects, *oauth_entries])


# --------------------------------------------------------------- topology exports


_FE_PORTS: dict[str, tuple[tuple[str, ...], ...]] = {
    # (Owner, Usage, InterfaceSide, Port, Protocol, UrlPath, AuthorizesRequests[, GruuType])
    "UserServices": (
        ("McuFactory", "WebServer", "Primary", "444", "Mtls", "/LiveServer/McuFactory/", "false"),
        (
            "PresenceFocus",
            "UserPinManagement",
            "Primary",
            "443",
            "Https",
            "/LiveServer/UserPinManagement/",
            "false",
        ),
    ),
    "Registrar": (
        ("Registrar", "SipServer", "Primary", "5061", "Mtls", "/", "true", "HomeServer"),
        ("Registrar", "WebServer", "Primary", "444", "Mtls", "/LiveServer/Focus/", "false"),
        ("WinFab", "WinFabFederation", "Primary", "5090", "Tcp", "/", "false"),
        ("WinFab", "WinFabLeaseAgent", "Primary", "5091", "Tcp", "/", "false"),
        ("QoE", "SipServer", "Primary", "5061", "Mtls", "/LiveServer/QoE/", "true", "QoS"),
    ),
    "WebServices": (
        ("OCSWebSite", "WebSite", "External", "4443", "Https", "/", "false"),
        ("OCSWebSite", "WebSite", "Primary", "443", "Https", "/", "false"),
        ("Reach", "PsomServer", "Primary", "8060", "Mtls", "/", "false"),
        ("UcwaService", "SipServer", "Primary", "5088", "Mtls", "/", "true", "UcwaInternal"),
    ),
    "ConfServices": (
        ("IMConf", "SipServer", "Primary", "5062", "Mtls", "/", "false", "chat"),
        ("AVConf", "SipServer", "Primary", "5063", "Mtls", "/", "false", "audio-video"),
        ("DataConf", "WebServer", "Primary", "444", "Mtls", "/LiveServer/DataMcu/", "false"),
    ),
}

_SERVICE_TYPES = {
    "Registrar": "Microsoft.Rtc.Management.Deploy.Internal.ServiceRoles.RegistrarService",
    "WebServices": "Microsoft.Rtc.Management.Deploy.Internal.ServiceRoles.WebService",
    "ConfServices": "Microsoft.Rtc.Management.Deploy.Internal.ServiceRoles.ConfService",
    "FileStore": "Microsoft.Rtc.Management.Deploy.Internal.ServiceRoles.FileStoreService",
}

_DEPENDENCIES = {
    "UserServices": ("UserStore", "FileStore", "ConfServices"),
    "Registrar": ("UserServices", "WebServices"),
    "WebServices": ("FileStore", "UserServices"),
    "ConfServices": ("FileStore", "WebServices", "UserServices"),
    "UserStore": (),
    "FileStore": (),
}

_WEB_COMPONENTS = (
    "ABHandler",
    "ABFiles",
    "AutodiscoverService",
    "CAHandler",
    "CAHandlerAnon",
    "DLExpansion",
    "Dialin",
    "Meet",
    "OnlineAuth",
    "PowerShell",
    "Reach",
    "StoreWeb",
    "UcwaService",
    "WebScheduler",
    "WebTicket",
)


def _port_lines(role: str, pad: str, ns_attr: str) -> list[str]:
    ports = _FE_PORTS.get(role, ())
    if not ports:
        return [f"{pad}<Ports{ns_attr} />"]
    lines = [f"{pad}<Ports{ns_attr}>"]
    for port in ports:
        pairs = [
            ("Owner", f"urn:component:{port[0]}"),
            ("Usage", port[1]),
            ("InterfaceSide", port[2]),
            ("InterfaceNumber", "1"),
            ("Port", port[3]),
            ("Protocol", port[4]),
            ("UrlPath", port[5]),
            ("AuthorizesRequests", port[6]),
        ]
        if len(port) > 7:
            pairs.append(("GruuType", port[7]))
        lines.append(f"{pad}  <Port{_attrs(pairs)} />")
    lines.append(f"{pad}</Ports>")
    return lines


def _web_service_lines(spec: BundleSpec, pad: str) -> list[str]:
    lines = [
        f'{pad}<WebService xmlns="{_ROLES_NS}">',
        f'{pad}  <ExternalSettings Host="{_attr(spec.web_external_fqdn)}">',
        f"{pad}    <OverrideUrls />",
        f"{pad}  </ExternalSettings>",
        f'{pad}  <WebComponents xmlns="{_WEBSVC_NS}">',
    ]
    lines += [f'{pad}    <Component ComponentName="{c}" />' for c in _WEB_COMPONENTS]
    lines += [
        f"{pad}  </WebComponents>",
        f'{pad}  <UpaSeparator xmlns="{_BASETYPES_NS}" />',
        f"{pad}</WebService>",
    ]
    return lines


def _conf_service_lines(pad: str) -> list[str]:
    lines = [f'{pad}<ConfService xmlns="{_ROLES_NS}">', f"{pad}  <MCUs>"]
    for mcu in ("IMConf", "DataConf", "AppSharingConf", "AVConf"):
        extra = ' MinSupportedMode="14"' if mcu == "DataConf" else ""
        lines.append(f'{pad}    <MCU ComponentName="{mcu}" Vendor="Microsoft"{extra} />')
    lines += [f"{pad}  </MCUs>", f"{pad}</ConfService>"]
    return lines


_FE_ROLES = ("UserServices", "Registrar", "WebServices", "ConfServices")


def _published_topology(spec: BundleSpec) -> str:
    """`Get-CsTopology -AsXml | Out-File` (no XML declaration, trailing newline)."""
    lines = [
        f'<Topology Signature="{_guid("topology", spec.pool_fqdn)}" xmlns="{_TOPOLOGY_NS}">',
        f'  <InternalDomains AllowAllDomains="false" DefaultDomain="{_attr(spec.sip_domain)}">',
    ]
    for domain in spec.sip_domains:
        lines.append(
            f'    <InternalDomain Name="{_attr(domain)}" Authoritative="false" '
            'AllowSubDomains="false" />'
        )
    lines += [
        "  </InternalDomains>",
        "  <Sites>",
        '    <CentralSite SiteId="1">',
        f"      <Name>{escape(spec.site_name)}</Name>",
        '      <Location City="Atlanta" State="GA" CountryCode="US" />',
        "    </CentralSite>",
        *_branch_site_lines(spec),
        "  </Sites>",
        "  <Clusters>",
    ]
    clusters = [
        (spec.pool_fqdn, "1", "1", "true", spec.front_ends),
        (spec.sql_fqdn, "1", "2", "false", (spec.sql_fqdn,)),
        (spec.file_store_fqdn, "1", "3", "false", (spec.file_store_fqdn,)),
    ]
    if spec.directors:
        clusters.append((spec.director_pool, "1", "4", "true", spec.directors))
    for number, appliance in enumerate(spec.branch_appliances, start=1):
        clusters.append((appliance, _BRANCH_SITE, str(number), "true", (appliance,)))
    for fqdn, site, number, replicates, machines in clusters:
        lines += [
            f'    <Cluster RequiresReplication="{replicates}" RequiresSetup="{replicates}" '
            f'Fqdn="{_attr(fqdn)}">',
            f'      <ClusterId SiteId="{site}" Number="{number}" />',
        ]
        for ordinal, machine in enumerate(machines, start=1):
            # Long start tags with their attributes one per line, aligned under the first.
            align = " " * len("      <Machine ")
            lines += [
                f'      <Machine OrdinalInCluster="{ordinal}"',
                f'{align}Fqdn="{_attr(machine)}"',
                f'{align}FaultDomain="{_attr(machine)}"',
                f'{align}UpgradeDomain="{_attr(machine)}">',
                '        <NetInterface InterfaceSide="Primary" InterfaceNumber="1" '
                'IPAddress="0.0.0.0" />',
                "      </Machine>",
            ]
        lines.append("    </Cluster>")
    lines += [
        "  </Clusters>",
        "  <SqlInstances>",
        "    <SqlInstance>",
        '      <SqlInstanceId Name="rtc">',
        '        <ClusterId SiteId="1" Number="2" />',
        "      </SqlInstanceId>",
        "    </SqlInstance>",
        "  </SqlInstances>",
        "  <Services>",
    ]
    for role in (*_FE_ROLES, "UserStore", "FileStore"):
        pairs = [("RoleVersion", "2" if role in ("UserServices", "Registrar") else "1")]
        pairs.append(("ServiceVersion", "7"))
        if role in _SERVICE_TYPES:
            pairs.append(("Type", _SERVICE_TYPES[role]))
        lines += [
            f"    <Service{_attrs(pairs)}>",
            f'      <ServiceId SiteId="1" RoleName="{role}" Instance="1" />',
        ]
        deps = _DEPENDENCIES[role]
        if deps:
            lines.append("      <DependsOn>")
            for dep in deps:
                lines += [
                    '        <Dependency Usage="Default">',
                    f'          <ServiceId SiteId="1" RoleName="{dep}" Instance="1" />',
                    "        </Dependency>",
                ]
            lines.append("      </DependsOn>")
        else:
            lines.append("      <DependsOn />")
        lines.append("      <InstalledOn>")
        if role == "UserStore":
            lines += [
                '        <SqlInstanceId Name="rtc">',
                '          <ClusterId SiteId="1" Number="2" />',
                "        </SqlInstanceId>",
            ]
        else:
            number = "3" if role == "FileStore" else "1"
            lines.append(f'        <ClusterId SiteId="1" Number="{number}" />')
        lines.append("      </InstalledOn>")
        lines += _port_lines(role, "      ", f' xmlns="{_ROLES_NS}"')
        if role == "Registrar":
            lines.append(
                f'      <RegistrarService xmlns="{_ROLES_NS}" IsDirector="false" '
                'IsPoolEnabledForSAOnEdge="false" />'
            )
        elif role == "WebServices":
            lines += _web_service_lines(spec, "      ")
        elif role == "ConfServices":
            lines += _conf_service_lines("      ")
        elif role == "FileStore":
            lines.append(f'      <FileStoreService xmlns="{_ROLES_NS}" ShareName="LyncShare" />')
        lines.append("    </Service>")
    lines += [*_director_and_branch_services(spec), "  </Services>", "</Topology>", ""]
    return "\n".join(lines)


_BRANCH_SITE = "2"


def _branch_site_lines(spec: BundleSpec) -> list[str]:
    """The branch site that holds the Survivable Branch Appliances (none without one)."""
    if not spec.branch_appliances:
        return []
    return [
        f'    <BranchSite SiteId="{_BRANCH_SITE}" ParentSiteId="1">',
        "      <Name>Macon</Name>",
        '      <Location City="Macon" State="GA" CountryCode="US" />',
        "    </BranchSite>",
    ]


def _service_lines(
    role: str, site: str, instance: str, cluster: tuple[str, str], extra: list[str]
) -> list[str]:
    """A `<Service>` of the published topology installed on one cluster (no dependencies)."""
    pairs = [("RoleVersion", "2" if role == "Registrar" else "1"), ("ServiceVersion", "7")]
    if role in _SERVICE_TYPES:
        pairs.append(("Type", _SERVICE_TYPES[role]))
    return [
        f"    <Service{_attrs(pairs)}>",
        f'      <ServiceId SiteId="{site}" RoleName="{role}" Instance="{instance}" />',
        "      <DependsOn />",
        "      <InstalledOn>",
        f'        <ClusterId SiteId="{cluster[0]}" Number="{cluster[1]}" />',
        "      </InstalledOn>",
        *_port_lines(role, "      ", f' xmlns="{_ROLES_NS}"'),
        *extra,
        "    </Service>",
    ]


def _director_and_branch_services(spec: BundleSpec) -> list[str]:
    """The Director pool's Registrar and WebServices, each appliance's Registrar and Mediation."""
    lines: list[str] = []
    if spec.directors:
        registrar = [
            f'      <RegistrarService xmlns="{_ROLES_NS}" IsDirector="true" '
            'IsPoolEnabledForSAOnEdge="false" />'
        ]
        lines += _service_lines("Registrar", "1", "2", ("1", "4"), registrar)
        lines += _service_lines(
            "WebServices", "1", "2", ("1", "4"), _web_service_lines(spec, "      ")
        )
    for number, _appliance in enumerate(spec.branch_appliances, start=1):
        cluster = (_BRANCH_SITE, str(number))
        registrar = [
            f'      <RegistrarService xmlns="{_ROLES_NS}" IsDirector="false" '
            'IsPoolEnabledForSAOnEdge="false" />'
        ]
        lines += _service_lines("Registrar", _BRANCH_SITE, str(number), cluster, registrar)
        lines += _service_lines("MediationServer", _BRANCH_SITE, str(number), cluster, [])
    return lines


def _topology_builder(spec: BundleSpec) -> str:
    """A Topology Builder document (`.tbxml`) as saved after downloading the topology."""
    if spec.directors or spec.branch_appliances:
        raise ValueError("Directors and branch appliances are written in the published form only")
    topo = f' xmlns="{_TOPOLOGY_NS}"'
    roles_ns = f' xmlns="{_ROLES_NS}"'
    pool_id = _guid("cluster", spec.pool_fqdn)
    sql_id = _guid("cluster", spec.sql_fqdn)
    file_id = _guid("cluster", spec.file_store_fqdn)
    sql_instance_id = _guid("sqlinstance", spec.sql_fqdn, "rtc")
    service_ids = {
        role: _guid("service", spec.pool_fqdn, role)
        for role in (*_FE_ROLES, "UserStore", "FileStore")
    }
    domain = spec.sip_domain
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<TopologyBuilder IsFreeFromChanges="true" '
        'FileName="C:\\Users\\administrator.LITWAREINC\\Desktop\\atl-topology.tbxml" '
        f'xmlns="{_BUILDER_NS}">',
        "  <NewTopology>",
        '    <PartialTopology IsPublished="true" '
        f'Signature="{_guid("topology", spec.pool_fqdn)}" xmlns="{_WRITABLE_NS}">',
        f'      <InternalDomains AllowAllDomains="false" DefaultDomain="{_attr(domain)}"{topo}>',
    ]
    for name in spec.sip_domains:
        lines.append(
            f'        <InternalDomain Name="{_attr(name)}" Authoritative="false" '
            'AllowSubDomains="false" />'
        )
    lines += [
        "      </InternalDomains>",
        f'      <SimpleUrlConfiguration UseBackendDatabase="false" xmlns="{_SIMPLEURL_NS}">',
        f'        <SimpleUrl Component="Dialin" Domain="*" ActiveUrl="https://dialin.{domain}">',
        f'          <SimpleUrlEntry Url="https://dialin.{domain}" />',
        "        </SimpleUrl>",
    ]
    for name in spec.sip_domains:
        lines += [
            f'        <SimpleUrl Component="Meet" Domain="{name}" ActiveUrl="https://meet.{name}">',
            f'          <SimpleUrlEntry Url="https://meet.{name}" />',
            "        </SimpleUrl>",
        ]
    lines += [
        "      </SimpleUrlConfiguration>",
        "      <CentralSites>",
        '        <CentralSite SiteId="1">',
        f"          <Name{topo}>{escape(spec.site_name)}</Name>",
        f'          <Location City="Atlanta" State="GA" CountryCode="US"{topo} />',
        "          <Clusters>",
        f'            <Cluster IsSingleMachineOnly="false" UniqueId="{pool_id}" '
        f'RequiresReplication="true" RequiresSetup="true" Fqdn="{_attr(spec.pool_fqdn)}">',
        "              <Machines>",
    ]
    for ordinal, machine in enumerate(spec.front_ends, start=1):
        lines += [
            f'                <Machine Fqdn="{_attr(machine)}" FaultDomain="FaultDomain{ordinal}" '
            f'UpgradeDomain="UpgradeDomain{ordinal}">',
            '                  <NetInterface InterfaceSide="Primary" InterfaceNumber="1" '
            f'IPAddress="0.0.0.0"{topo} />',
            "                </Machine>",
        ]
    lines += [
        "              </Machines>",
        "              <SqlInstances />",
        "            </Cluster>",
    ]
    for cluster_id, fqdn, is_sql in (
        (sql_id, spec.sql_fqdn, True),
        (file_id, spec.file_store_fqdn, False),
    ):
        lines += [
            f'            <Cluster IsSingleMachineOnly="true" UniqueId="{cluster_id}" '
            f'RequiresReplication="false" RequiresSetup="false" Fqdn="{_attr(fqdn)}">',
            "              <Machines>",
            "                <Machine />",
            "              </Machines>",
        ]
        if is_sql:
            lines += [
                "              <SqlInstances>",
                f'                <SqlInstance UniqueId="{sql_instance_id}" Name="rtc" />',
                "              </SqlInstances>",
            ]
        else:
            lines.append("              <SqlInstances />")
        lines.append("            </Cluster>")
    lines += [
        "          </Clusters>",
        "          <RemoteSites />",
        "        </CentralSite>",
        "      </CentralSites>",
        "      <Services>",
    ]
    installed_on = {"UserStore": sql_instance_id, "FileStore": file_id}
    for role in (*_FE_ROLES, "UserStore", "FileStore"):
        pairs = [
            ("UniqueId", service_ids[role]),
            ("RoleName", role),
            ("RoleVersion", "2" if role in ("UserServices", "Registrar") else "1"),
            ("InstalledOn", installed_on.get(role, pool_id)),
            ("ServiceVersion", "7"),
        ]
        if role in _SERVICE_TYPES:
            pairs.append(("Type", _SERVICE_TYPES[role]))
        lines.append(f"        <Service{_attrs(pairs)}>")
        deps = _DEPENDENCIES[role]
        if deps:
            lines.append("          <DependsOn>")
            lines += [
                f'            <Dependency ServiceUniqueId="{service_ids[dep]}" Usage="Default" />'
                for dep in deps
            ]
            lines.append("          </DependsOn>")
        else:
            lines.append("          <DependsOn />")
        lines += _port_lines(role, "          ", roles_ns)
        if role == "Registrar":
            lines.append(f'          <RegistrarService IsDirector="false"{roles_ns} />')
        elif role == "WebServices":
            lines += _web_service_lines(spec, "          ")
        elif role == "ConfServices":
            lines += _conf_service_lines("          ")
        elif role == "FileStore":
            lines.append(f'          <FileStoreService ShareName="LyncShare"{roles_ns} />')
        lines.append("        </Service>")
    lines += [
        "      </Services>",
        "    </PartialTopology>",
        "  </NewTopology>",
        "</TopologyBuilder>",
    ]
    return "\n".join(lines)


# -------------------------------------------------------------------------- DNS


def _dns_age(moment: datetime) -> int:
    """Return a `dnscmd` record age: whole hours since 1601-01-01 UTC."""
    epoch = datetime(1601, 1, 1, tzinfo=UTC)
    return int((moment - epoch).total_seconds() // 3600)


def _zone_export(spec: BundleSpec) -> str:
    """`dnscmd atl-dc-001 /ZoneExport litwareinc.com litwareinc.com.dns` of the internal zone."""
    zone = spec.sip_domain
    serial = 2318

    def rel(fqdn: str) -> str:
        return fqdn[: -len(zone) - 1] if fqdn.endswith("." + zone) else fqdn + "."

    def row(
        owner: str, rtype: str, data: str, ttl: int | None = None, age: int | None = None
    ) -> str:
        head = owner.ljust(24) if len(owner) < 24 else owner + " "
        fields = []
        if age is not None:
            fields.append(f"[AGE:{age}]")
        if ttl is not None:
            fields.append(str(ttl))
        fields += [rtype, data]
        return head + "\t".join(fields)

    def age(days_ago: int, hour: int) -> int:
        moment = _EXPORT_TIME.replace(hour=hour, minute=0, second=0) - timedelta(days=days_ago)
        return _dns_age(moment)

    fe_ips = [f"10.0.1.{11 + i}" for i in range(len(spec.front_ends))]
    lines = [
        ";",
        f";  Database file {zone}.dns for {zone} zone.",
        f";      Zone version:  {serial}",
        ";",
        "",
        f"@                       IN  SOA {spec.domain_controller}.  hostmaster.{zone}. (",
        f"                        \t\t{serial:<13}; serial number",
        f"                        \t\t{900:<13}; refresh",
        f"                        \t\t{600:<13}; retry",
        f"                        \t\t{86400:<13}; expire",
        f"                        \t\t{3600:<11}) ; default TTL",
        "",
        ";",
        ";  Zone NS records",
        ";",
        "",
        row("@", "NS", f"{spec.domain_controller}."),
        "",
        ";",
        ";  Zone records",
        ";",
        "",
    ]
    # (owner FQDN, row) pairs, so that `dns_omit` can drop a host's records
    rows: list[tuple[str, str]] = [
        (zone, row("@", "A", "10.0.0.10", 600, age(2, 9))),
        (
            f"_sipinternaltls._tcp.{zone}",
            row("_sipinternaltls._tcp", "SRV", f"0 0 5061\t{spec.pool_fqdn}."),
        ),
    ]
    pool = rel(spec.pool_fqdn)
    for i, ip in enumerate(fe_ips):
        rows.append((spec.pool_fqdn, row(pool if i == 0 else "", "A", ip)))
    rows += [
        (
            spec.domain_controller,
            row(rel(spec.domain_controller), "A", "10.0.0.10", 1200, age(1, 4)),
        ),
        (spec.exchange_server, row(rel(spec.exchange_server), "A", "10.0.2.10", 1200, age(3, 11))),
    ]
    for i, (fe, ip) in enumerate(zip(spec.front_ends, fe_ips, strict=True)):
        rows.append((fe, row(rel(fe), "A", ip, 1200, age(4 + i, 7 + i))))
    rows += [
        (spec.file_store_fqdn, row(rel(spec.file_store_fqdn), "A", "10.0.1.21", 1200, age(2, 13))),
        (spec.sql_fqdn, row(rel(spec.sql_fqdn), "A", "10.0.1.20", 1200, age(5, 6))),
    ]
    if spec.autodiscover_dns_record:
        target = spec.autodiscover_dns_target or spec.exchange_server
        rows.append((f"autodiscover.{zone}", row("autodiscover", "CNAME", f"{target}.")))
    rows += [
        (f"dialin.{zone}", row("dialin", "CNAME", f"{spec.pool_fqdn}.")),
        (
            f"lyncdiscoverinternal.{zone}",
            row("lyncdiscoverinternal", "CNAME", f"{spec.pool_fqdn}."),
        ),
        (f"mail.{zone}", row("mail", "CNAME", f"{spec.exchange_server}.")),
        (f"meet.{zone}", row("meet", "CNAME", f"{spec.pool_fqdn}.")),
        (spec.sharepoint_fqdn, row(rel(spec.sharepoint_fqdn), "A", "10.0.3.10")),
        (f"sip.{zone}", row("sip", "CNAME", f"{spec.pool_fqdn}.")),
    ]
    rows += [(fqdn, row(rel(fqdn), rtype, data)) for fqdn, rtype, data in spec.extra_dns_records]
    lines += [text for owner, text in rows if owner not in spec.dns_omit]
    lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------- Exchange


_EX_ADOBJECTID = (
    "Microsoft.Exchange.Data.Directory.ADObjectId",
    "Microsoft.Exchange.Data.ObjectId",
    "System.Object",
)
_EX_MULTIVALUED_STRING = (
    f"Microsoft.Exchange.Data.MultiValuedProperty`1[[System.String, {_STRING_ASM}]]",
    "Microsoft.Exchange.Data.MultiValuedPropertyBase",
    "System.Object",
)
_EX_OBJECT_BASE = (
    "Microsoft.Exchange.Data.Directory.ADObject",
    "Microsoft.Exchange.Data.Directory.ADRawEntry",
    "Microsoft.Exchange.Data.ConfigurableObject",
    "System.Object",
)


def _config_dn(spec: BundleSpec) -> str:
    return f"CN=Configuration,{_dc_dn(spec.sip_domain)}"


def _org_dn(spec: BundleSpec) -> str:
    return f"CN={spec.exchange_org},CN=Microsoft Exchange,CN=Services,{_config_dn(spec)}"


def _adobjectid(
    spec: BundleSpec, name: str | None, dn: str, to_string: str, parent: str, key: str | None = None
) -> _O:
    rdn = dn.split(",", 1)[0]
    domain = spec.sip_domain
    depth = dn.count(",") + 1 - len(domain.split(".")) + 1
    return _O(
        name,
        _EX_ADOBJECTID,
        to_string=to_string,
        props=(
            _nil("OrgHierarchyToIgnore"),
            _b("IsDeleted", False),
            _s("Rdn", rdn),
            _s("Parent", parent),
            _i32("Depth", depth),
            _s("DistinguishedName", dn),
            _b("IsRelativeDn", False),
            _s("DomainId", domain),
            _g("PartitionGuid", _guid("partition", domain)),
            _s("PartitionFQDN", domain),
            _g("ObjectGuid", _guid("adobject", dn)),
            _s("Name", rdn.split("=", 1)[1]),
        ),
        key=key,
    )


def _exchange_version() -> _O:
    return _O(
        "ExchangeVersion",
        ("Microsoft.Exchange.Data.ExchangeObjectVersion", "System.Object"),
        to_string="0.20 (15.0.0.0)",
        props=(
            _s("NextMajorVersion", "1.0 (0.0.0.0)"),
            _s("NextMinorVersion", "0.21 (0.0.0.0)"),
            _P("By", "Major", "0"),
            _P("By", "Minor", "20"),
            _s("ExchangeBuild", "15.0.0.0"),
        ),
    )


def _ad_tail(
    spec: BundleSpec,
    dn: str,
    schema_class: str,
    classes: tuple[str, ...],
    created: datetime,
    changed: datetime | None = None,
) -> tuple[_Node, ...]:
    """The properties every Exchange AD object ends with (Guid, ObjectClass, dates...)."""
    schema_dn = f"CN={schema_class},CN=Schema,{_config_dn(spec)}"
    domain = spec.sip_domain
    if changed is None:
        changed = created + timedelta(days=3, hours=2, minutes=17)
    return (
        _g("Guid", _guid("adobject", dn)),
        _adobjectid(
            spec,
            "ObjectCategory",
            schema_dn,
            f"{domain}/Configuration/Schema/{schema_class}",
            f"{domain}/Configuration/Schema",
        ),
        _O("ObjectClass", _EX_MULTIVALUED_STRING, items=tuple(_s(None, c) for c in classes)),
        _dt("WhenChanged", _clixml_date(changed)),
        _dt("WhenCreated", _clixml_date(created)),
        _dt("WhenChangedUTC", _clixml_utc(changed)),
        _dt("WhenCreatedUTC", _clixml_utc(created)),
        _O(
            "OrganizationId",
            ("Microsoft.Exchange.Data.Directory.OrganizationId", "System.Object"),
            to_string="",
            props=(
                _nil("OrganizationalUnit"),
                _nil("ConfigurationUnit"),
                _b("IsConsumerOrganization", False),
                _s("IdForEventLog", ""),
            ),
        ),
        _Ref("Id", "identity"),
        _s("OriginatingServer", spec.domain_controller),
        _b("IsValid", True),
        _enum("ObjectState", "Microsoft.Exchange.Data.ObjectState", "Unchanged", 1),
    )


def _exchange_ms(spec: BundleSpec) -> tuple[_Node, ...]:
    return _remote_ms(spec.exchange_server, _guid("runspace", "exchange", spec.exchange_server))


def _auth_config(spec: BundleSpec) -> str:
    """`Get-AuthConfig | Export-Clixml` from a remote Exchange Management Shell."""
    auth = _exchange_auth(spec)
    dn = f"CN=Auth Configuration,{_org_dn(spec)}"
    props: tuple[_Node, ...] = (
        _s("CurrentCertificateThumbprint", auth.thumbprint),
        _s("PreviousCertificateThumbprint", ""),
        _s("NextCertificateThumbprint", ""),
        _nil("NextCertificateEffectiveDate"),
        _s("ServiceName", spec.exchange_auth_service_name),
        _s("Realm", spec.exchange_auth_realm),
        _s("DeploymentId", ""),
        _s("IssuerIdentifier", ""),
        _s("Name", "Auth Configuration"),
        _s("AdminDisplayName", ""),
        _exchange_version(),
        _s("DistinguishedName", dn),
        _adobjectid(spec, "Identity", dn, "Auth Configuration", spec.exchange_org, "identity"),
        *_ad_tail(
            spec,
            dn,
            "ms-Exch-Auth-Auth-Config",
            ("top", "container", "msExchContainer", "msExchAuthAuthConfig"),
            datetime(2025, 6, 1, 13, 12, 9, tzinfo=UTC),
        ),
    )
    obj = _O(
        None,
        (
            "Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthConfig",
            "Microsoft.Exchange.Data.Directory.SystemConfiguration.ADConfigurationObject",
            *_EX_OBJECT_BASE,
        ),
        to_string="Auth Configuration",
        props=props,
        ms=_exchange_ms(spec),
    )
    return _clixml([obj])


def _exchange_partner_application(
    spec: BundleSpec,
    name: str,
    account: str | None,
    props: tuple[_Node, ...],
    created: datetime,
) -> _O:
    """One `Get-PartnerApplication` object: `props` first, then its AD bookkeeping.

    `account` is the linked AD user; None for an application without one (`SfBLegacy`).
    """
    dn = f"CN={name},CN=Partner Applications,CN=Auth Configuration,{_org_dn(spec)}"
    account_dn = f"CN={account},CN=Users,{_dc_dn(spec.sip_domain)}"
    linked = (
        _adobjectid(
            spec,
            "LinkedAccount",
            account_dn,
            f"{spec.sip_domain}/Users/{account}",
            f"{spec.sip_domain}/Users",
        )
        if account is not None
        else _nil("LinkedAccount")
    )
    tail: tuple[_Node, ...] = (
        linked,
        _s("DeploymentId", ""),
        _s("IssuerIdentifier", ""),
        _enum(
            "AccountType",
            "Microsoft.Exchange.Data.Directory.SystemConfiguration.SupportedAccountType",
            "OrganizationalAccount",
            1,
        ),
        _nil("AppOnlyPermissions"),
        _nil("ActAsPermissions"),
        _s("AdminDisplayName", ""),
        _exchange_version(),
        _s("Name", name),
        _s("DistinguishedName", dn),
        _adobjectid(spec, "Identity", dn, name, "Partner Applications", "identity"),
        *_ad_tail(
            spec,
            dn,
            "ms-Exch-Auth-Partner-Application",
            ("top", "msExchAuthPartnerApplication"),
            created,
        ),
    )
    return _O(
        None,
        (
            "Microsoft.Exchange.Data.Directory.SystemConfiguration.PartnerApplication",
            "Microsoft.Exchange.Data.Directory.SystemConfiguration.ADConfigurationObject",
            *_EX_OBJECT_BASE,
        ),
        to_string=name,
        props=props + tail,
        ms=_exchange_ms(spec),
    )


def _exchange_partner_applications(spec: BundleSpec) -> str:
    """`Get-PartnerApplication | Export-Clixml`: the applications Exchange trusts.

    The one for Lync, as `Configure-EnterprisePartnerApplication.ps1 -ApplicationType Lync`
    creates it (`CertificateStrings`: the certificates Exchange last read from Lync's
    metadata, base64 DER, when `exchange_lync_app_certificates` asks for them), and in a
    hybrid organisation the Hybrid Configuration Wizard's `Exchange Online` (no
    metadata URL, trusted through the auth server) and, when asked, its `SfBLegacy`
    (Skype for Business Online's, also through the auth server).
    """
    objects = []
    if spec.exchange_lync_app:
        name = f"LyncEnterprise-{_guid('lync-partner-app', spec.pool_fqdn).replace('-', '')}"
        copy = _oauth_copy(spec, spec.exchange_lync_app_certificates)
        held = (_s(None, base64.b64encode(copy.der).decode("ascii")),) if copy else ()
        props: tuple[_Node, ...] = (
            _b("Enabled", spec.exchange_lync_app_enabled),
            _s("ApplicationIdentifier", spec.exchange_lync_app_id),
            _O("CertificateStrings", _EX_MULTIVALUED_STRING, items=held),
            _s("AuthMetadataUrl", spec.lync_metadata_url),
            _s("Realm", spec.exchange_lync_app_realm),
            _b("UseAuthServer", spec.exchange_lync_app_use_auth_server),
            _b("AcceptSecurityIdentifierInformation", True),
        )
        objects.append(
            _exchange_partner_application(
                spec,
                name,
                "LyncEnterprise-ApplicationAccount",
                props,
                datetime(2026, 2, 10, 20, 31, 44, tzinfo=UTC),
            )
        )
    if spec.exchange_hybrid:
        props = (
            _b("Enabled", True),
            _s("ApplicationIdentifier", EXCHANGE_APP_ID),
            _O("CertificateStrings", _EX_MULTIVALUED_STRING, items=()),
            _s("AuthMetadataUrl", ""),
            _s("Realm", spec.exchange_online_realm),
            _b("UseAuthServer", True),
            _b("AcceptSecurityIdentifierInformation", False),
        )
        objects.append(
            _exchange_partner_application(
                spec,
                "Exchange Online",
                "Exchange Online-ApplicationAccount",
                props,
                datetime(2025, 9, 16, 14, 5, 12, tzinfo=UTC),
            )
        )
    if spec.exchange_sfb_legacy:
        props = (
            _b("Enabled", True),
            _s("ApplicationIdentifier", LYNC_APP_ID),
            _O("CertificateStrings", _EX_MULTIVALUED_STRING, items=()),
            _s("AuthMetadataUrl", ""),
            _s("Realm", ""),
            _b("UseAuthServer", True),
            _b("AcceptSecurityIdentifierInformation", False),
        )
        objects.append(
            _exchange_partner_application(
                spec, "SfBLegacy", None, props, datetime(2025, 9, 16, 14, 6, 3, tzinfo=UTC)
            )
        )
    return _clixml(objects)


def _auth_servers(spec: BundleSpec) -> str:
    """`Get-AuthServer | Export-Clixml` of a hybrid organisation: ACS and Azure AD (EvoSts)."""
    auth_server_type = "Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthServerType"
    servers = (
        (
            f"ACS - {TENANT_ID}",
            "00000001-0000-0000-c000-000000000000",
            f"https://accounts.accesscontrol.windows.net/{TENANT_ID}/tokens/OAuth/2",
            "",
            f"https://accounts.accesscontrol.windows.net/{TENANT_ID}/metadata/json/1",
            ("MicrosoftACS", 1),
            TENANT_ID,
        ),
        (
            f"EvoSts - {TENANT_ID}",
            f"https://sts.windows.net/{TENANT_ID}/",
            f"https://login.windows.net/{TENANT_ID}/oauth2/token",
            "https://login.windows.net/common/oauth2/authorize",
            f"https://login.windows.net/{spec.exchange_org.lower()}.onmicrosoft.com/"
            "federationmetadata/2007-06/federationmetadata.xml",
            ("AzureAD", 3),
            TENANT_ID,
        ),
    )
    objects = []
    for name, issuer, token, authorize, metadata, (kind, value), realm in servers:
        dn = f"CN={name},CN=Auth Servers,CN=Auth Configuration,{_org_dn(spec)}"
        props: tuple[_Node, ...] = (
            _s("IssuerIdentifier", issuer),
            _s("TokenIssuingEndpoint", token),
            _s("AuthorizationEndpoint", authorize),
            _s("ApplicationIdentifier", ""),
            _O("CertificateStrings", _EX_MULTIVALUED_STRING, items=()),
            _s("AuthMetadataUrl", metadata),
            _enum("Type", auth_server_type, kind, value),
            _s("Realm", realm),
            _b("Enabled", True),
            _b("IsDefaultAuthorizationEndpoint", kind == "AzureAD"),
            _O("DomainName", _EX_MULTIVALUED_STRING, items=()),
            _s("AdminDisplayName", ""),
            _exchange_version(),
            _s("Name", name),
            _s("DistinguishedName", dn),
            _adobjectid(spec, "Identity", dn, name, "Auth Servers", "identity"),
            *_ad_tail(
                spec,
                dn,
                "ms-Exch-Auth-Auth-Server",
                ("top", "msExchAuthAuthServer"),
                datetime(2025, 9, 16, 14, 5, 9, tzinfo=UTC),
            ),
        )
        objects.append(
            _O(
                None,
                (
                    "Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthServer",
                    "Microsoft.Exchange.Data.Directory.SystemConfiguration.ADConfigurationObject",
                    *_EX_OBJECT_BASE,
                ),
                to_string=name,
                props=props,
                ms=_exchange_ms(spec),
            )
        )
    return _clixml(objects)


def _server_dn(spec: BundleSpec) -> str:
    return (
        f"CN={_short(spec.exchange_server).upper()},CN=Servers,"
        "CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,"
        f"{_org_dn(spec)}"
    )


def _exchange_servers(spec: BundleSpec) -> str:
    """`Get-ExchangeServer | Export-Clixml` for the single Mailbox server."""
    name = _short(spec.exchange_server).upper()
    dn = _server_dn(spec)
    site_dn = f"CN={spec.site_name},CN=Sites,{_config_dn(spec)}"
    major, minor, build, revision = spec.exchange_build
    props: tuple[_Node, ...] = (
        _s("Name", name),
        _s("Domain", spec.sip_domain),
        _enum("Edition", "Microsoft.Exchange.Data.ServerEditionType", "Standard", 1),
        _s(
            "ExchangeLegacyDN",
            f"/o={spec.exchange_org}/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)"
            f"/cn=Configuration/cn=Servers/cn={name}",
        ),
        _i32("ExchangeLegacyServerRole", 0),
        _s("Fqdn", spec.exchange_server),
        _b("CustomerFeedbackEnabled", False),
        _nil("InternetWebProxy"),
        _b("IsHubTransportServer", True),
        _b("IsClientAccessServer", True),
        _b("IsExchange2007OrLater", True),
        _b("IsEdgeServer", False),
        _b("IsMailboxServer", True),
        _b("IsE14OrLater", True),
        _b("IsE15OrLater", True),
        _b("IsProvisionedServer", False),
        _b("IsUnifiedMessagingServer", False),
        _b("IsFrontendTransportServer", True),
        _s("OrganizationalUnit", f"{spec.sip_domain}/{name}"),
        _O(
            "AdminDisplayVersion",
            ("Microsoft.Exchange.Data.ServerVersion", "System.Object"),
            to_string=f"Version {major}.{minor} (Build {build}.{revision})",
            props=(
                _i32("Major", major),
                _i32("Minor", minor),
                _i32("Build", build),
                _i32("Revision", revision),
                _nil("FilePatchLevelDescription"),
            ),
        ),
        _adobjectid(
            spec,
            "Site",
            site_dn,
            f"{spec.sip_domain}/Configuration/Sites/{spec.site_name}",
            f"{spec.sip_domain}/Configuration/Sites",
        ),
        _enum(
            "ServerRole",
            "Microsoft.Exchange.Data.Directory.SystemConfiguration.ServerRole",
            "Mailbox",
            2,
        ),
        _b("ErrorReportingEnabled", False),
        _O(
            "CurrentDomainControllers",
            _EX_MULTIVALUED_STRING,
            items=(_s(None, spec.domain_controller),),
        ),
        _O(
            "CurrentGlobalCatalogs",
            _EX_MULTIVALUED_STRING,
            items=(_s(None, spec.domain_controller),),
        ),
        _s("CurrentConfigDomainController", spec.domain_controller),
        _s("ProductID", "00000-00000-00000-00000"),
        _b("IsExchangeTrialEdition", False),
        _b("IsExpiredExchangeTrialEdition", False),
        _adobjectid(spec, "Identity", dn, name, "Servers", "identity"),
        _exchange_version(),
        _s("DistinguishedName", dn),
        *_ad_tail(
            spec,
            dn,
            "ms-Exch-Exchange-Server",
            ("top", "server", "msExchExchangeServer"),
            datetime(2025, 5, 28, 18, 2, 31, tzinfo=UTC),
        ),
    )
    obj = _O(
        None,
        (
            "Microsoft.Exchange.Data.Directory.Management.ExchangeServer",
            "Microsoft.Exchange.Data.Directory.Management.ADPresentationObject",
            *_EX_OBJECT_BASE,
        ),
        to_string=name,
        props=props,
        ms=_exchange_ms(spec),
    )
    return _clixml([obj])


def _client_access(spec: BundleSpec) -> str:
    """`Get-ClientAccessService | Export-Clixml`."""
    name = _short(spec.exchange_server).upper()
    dn = _server_dn(spec)
    props: tuple[_Node, ...] = (
        _s("Name", name),
        _s("Fqdn", spec.exchange_server),
        _b("OutlookAnywhereEnabled", True),
        _s("AutoDiscoverServiceCN", name),
        _s("AutoDiscoverServiceClassName", "ms-Exchange-AutoDiscover-Service"),
        _P(
            "URI" if spec.exchange_autodiscover_internal_uri else "Nil",
            "AutoDiscoverServiceInternalUri",
            spec.exchange_autodiscover_internal_uri or None,
        ),
        _g("AutoDiscoverServiceGuid", "77378f46-2c66-4aa9-a6a6-3e7a48b19596"),
        _O("AutoDiscoverSiteScope", _EX_MULTIVALUED_STRING, items=(_s(None, spec.site_name),)),
        _nil("AlternateServiceAccountConfiguration"),
        _b("IsOutOfService", False),
        _adobjectid(spec, "Identity", dn, name, "Servers", "identity"),
        _b("IsValid", True),
        _exchange_version(),
        _s("DistinguishedName", dn),
        _g("Guid", _guid("adobject", dn)),
        _s("OriginatingServer", spec.domain_controller),
        _enum("ObjectState", "Microsoft.Exchange.Data.ObjectState", "Unchanged", 1),
    )
    obj = _O(
        None,
        (
            "Microsoft.Exchange.Data.Directory.Management.ClientAccessServer",
            "Microsoft.Exchange.Data.Directory.Management.ADPresentationObject",
            *_EX_OBJECT_BASE,
        ),
        to_string=name,
        props=props,
        ms=_exchange_ms(spec),
    )
    return _clixml([obj])


def _x509_to_string(cert: _Cert) -> str:
    """X509Certificate.ToString() as a remote Exchange session carries it."""

    def stamp(moment: datetime) -> str:
        return _eastern(moment).strftime("%m/%d/%Y %H:%M:%S")

    parts = [
        ("Subject", cert.subject),
        ("Issuer", cert.issuer),
        ("Serial Number", cert.serial),
        ("Not Before", stamp(cert.not_before)),
        ("Not After", stamp(cert.not_after)),
    ]
    text = "".join(f"[{label}]\r\n  {value}\r\n\r\n" for label, value in parts)
    return text + f"[Thumbprint]\r\n  {cert.thumbprint}\r\n"


def _exchange_certificates(spec: BundleSpec) -> str:
    """`Get-ExchangeCertificate | Export-Clixml` from a remote session: RawData only."""
    certs = (
        _exchange_auth(spec),
        _iis_cert(spec),
    )
    objects = [
        _O(
            None,
            (
                "Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate",
                "System.Security.Cryptography.X509Certificates.X509Certificate2",
                "System.Security.Cryptography.X509Certificates.X509Certificate",
                "System.Object",
            ),
            to_string=_x509_to_string(cert),
            props=(_P("BA", "RawData", base64.b64encode(cert.der).decode("ascii")),),
            ms=_exchange_ms(spec),
        )
        for cert in certs
    ]
    return _clixml(objects)


def _store_certificates(spec: BundleSpec) -> str:
    """`Invoke-Command atl-exch-001 { Get-ChildItem Cert:\\LocalMachine\\My } | Export-Clixml`.

    Deserialized `X509Certificate2` objects with their certificate-provider note
    properties (`PSPath`, `PSParentPath`, `DnsNameList`...) and the remote session's.
    """
    runspace = _guid("runspace", "cert-store", spec.exchange_server)
    types = (
        "Deserialized.System.Security.Cryptography.X509Certificates.X509Certificate2",
        "Deserialized.System.Security.Cryptography.X509Certificates.X509Certificate",
        "Deserialized.System.Object",
    )
    names_type = (
        "Deserialized.System.Collections.Generic.List`1[[System.Management.Automation."
        "DnsNameRepresentation, System.Management.Automation, Version=3.0.0.0, "
        "Culture=neutral, PublicKeyToken=31bf3856ad364e35]]",
        "Deserialized.System.Object",
    )
    parent = "Microsoft.PowerShell.Security\\Certificate::LocalMachine\\My"
    objects = []
    for cert in (_exchange_auth(spec), _iis_cert(spec)):
        ms: tuple[_Node, ...] = (
            _s("PSPath", f"{parent}\\{cert.thumbprint}"),
            _s("PSParentPath", parent),
            _s("PSChildName", cert.thumbprint),
            _b("PSIsContainer", False),
            _O(
                "DnsNameList",
                names_type,
                items=tuple(_s(None, name) for name in cert.dns_names),
            ),
            _b("SendAsTrustedIssuer", False),
            *_remote_ms(spec.exchange_server, runspace),
        )
        objects.append(
            _O(
                None,
                types,
                to_string=_x509_to_string(cert),
                props=(
                    _b("Archived", False),
                    _s("FriendlyName", ""),
                    _b("HasPrivateKey", True),
                    _dt("NotAfter", _clixml_date(cert.not_after)),
                    _dt("NotBefore", _clixml_date(cert.not_before)),
                    _P("BA", "RawData", base64.b64encode(cert.der).decode("ascii")),
                    _s("SerialNumber", cert.serial),
                    _s("Thumbprint", cert.thumbprint),
                    _i32("Version", 3),
                    _s("Issuer", cert.issuer),
                    _s("Subject", cert.subject),
                ),
                ms=ms,
            )
        )
    return _clixml(objects)


def _hybrid_configuration(spec: BundleSpec) -> str:
    """`Get-HybridConfiguration | Export-Clixml` from a remote Exchange Management Shell.

    Laid out as the genuine Exchange 2019 export is: the transport servers, smart host,
    domains, features and TLS certificate name, then the AD bookkeeping whose
    `WhenChangedUTC` records the wizard's last run.
    """
    assert spec.hybrid_configuration_changed is not None
    dn = f"CN=Hybrid Configuration,CN=Hybrid Configuration,{_org_dn(spec)}"
    server_dn = _server_dn(spec)
    server = _short(spec.exchange_server).upper()
    ad_list = (
        "Microsoft.Exchange.Data.Directory.ADMultiValuedProperty`1[[Microsoft.Exchange.Data."
        "Directory.ADObjectId, Microsoft.Exchange.Data.Directory, Version=15.0.0.0, "
        "Culture=neutral, PublicKeyToken=31bf3856ad364e35]]",
        "Microsoft.Exchange.Data.MultiValuedProperty`1[[Microsoft.Exchange.Data.Directory."
        "ADObjectId, Microsoft.Exchange.Data.Directory, Version=15.0.0.0, Culture=neutral, "
        "PublicKeyToken=31bf3856ad364e35]]",
        "Microsoft.Exchange.Data.MultiValuedPropertyBase",
        "System.Object",
    )
    feature_type = "HybridFeature"
    features = (
        ("FreeBusy", 0),
        ("MoveMailbox", 1),
        ("Mailtips", 2),
        ("MessageTracking", 3),
        ("OwaRedirection", 4),
        ("OnlineArchive", 5),
        ("SecureMail", 6),
        ("Photos", 8),
    )
    domain_type = (
        "Microsoft.Exchange.Data.AutoDiscoverSmtpDomain",
        "Microsoft.Exchange.Data.SmtpDomain",
        "System.Object",
    )
    iis = _iis_cert(spec)
    props: tuple[_Node, ...] = (
        _O("ClientAccessServers", ad_list, items=()),
        _O("EdgeTransportServers", ad_list, items=()),
        _O(
            "ReceivingTransportServers",
            ad_list,
            items=(_adobjectid(spec, None, server_dn, server, "Servers"),),
        ),
        _O(
            "SendingTransportServers",
            ad_list,
            items=(_adobjectid(spec, None, server_dn, server, "Servers"),),
        ),
        _O(
            "OnPremisesSmartHost",
            ("Microsoft.Exchange.Data.SmtpDomain", "System.Object"),
            to_string=f"mail.{spec.sip_domain}",
            props=(_s("Domain", f"mail.{spec.sip_domain}"),),
        ),
        _O(
            "Domains",
            (
                "Microsoft.Exchange.Data.MultiValuedProperty`1[[Microsoft.Exchange.Data."
                "AutoDiscoverSmtpDomain, Microsoft.Exchange.Data, Version=15.0.0.0, "
                "Culture=neutral, PublicKeyToken=31bf3856ad364e35]]",
                "Microsoft.Exchange.Data.MultiValuedPropertyBase",
                "System.Object",
            ),
            items=tuple(
                _O(
                    None,
                    domain_type,
                    to_string=domain,
                    props=(_b("AutoDiscover", False), _s("Domain", domain)),
                )
                for domain in spec.sip_domains
            ),
        ),
        _O(
            "Features",
            (
                "Microsoft.Exchange.Data.Directory.ADMultiValuedProperty`1[[HybridFeature, "
                "Microsoft.Exchange.Data.Directory, Version=15.0.0.0, Culture=neutral, "
                "PublicKeyToken=31bf3856ad364e35]]",
                "Microsoft.Exchange.Data.MultiValuedPropertyBase",
                "System.Object",
            ),
            items=tuple(
                _O(
                    None,
                    (feature_type, "System.Enum", "System.ValueType", "System.Object"),
                    to_string=name,
                    enum_value=value,
                )
                for name, value in features
            ),
        ),
        _O(
            "ExternalIPAddresses",
            (
                "Microsoft.Exchange.Data.MultiValuedProperty`1[[Microsoft.Exchange.Data.IPRange, "
                "Microsoft.Exchange.Data, Version=15.0.0.0, Culture=neutral, "
                "PublicKeyToken=31bf3856ad364e35]]",
                "Microsoft.Exchange.Data.MultiValuedPropertyBase",
                "System.Object",
            ),
            items=(),
        ),
        _O(
            "TlsCertificateName",
            ("Microsoft.Exchange.Data.SmtpX509Identifier", "System.Object"),
            to_string=f"<I>{iis.issuer}<S>{iis.subject}",
            props=(
                _s("CertificateSubject", iis.subject),
                _s("CertificateIssuer", iis.issuer),
                _s("SubjectCommonName", f"mail.{spec.sip_domain}"),
            ),
        ),
        _i32("ServiceInstance", 0),
        _s("AdminDisplayName", ""),
        _exchange_version(),
        _s("Name", "Hybrid Configuration"),
        _s("DistinguishedName", dn),
        _adobjectid(
            spec, "Identity", dn, "Hybrid Configuration", "Hybrid Configuration", "identity"
        ),
        *_ad_tail(
            spec,
            dn,
            "ms-Exch-Coexistence-Relationship",
            ("top", "msExchCoexistenceRelationship"),
            _HYBRID_CREATED,
            spec.hybrid_configuration_changed,
        ),
    )
    obj = _O(
        None,
        (
            "Microsoft.Exchange.Data.Directory.SystemConfiguration.HybridConfiguration",
            "Microsoft.Exchange.Data.Directory.SystemConfiguration.ADConfigurationObject",
            *_EX_OBJECT_BASE,
        ),
        to_string="Hybrid Configuration",
        props=props,
        ms=_exchange_ms(spec),
    )
    return _clixml([obj])


# --------------------------------------------------------------------- SharePoint

_SP_CLAIMS = "Microsoft.SharePoint.Administration.Claims"
# The base types are inferred (SPPersistedObject's hierarchy); no genuine export is public.
_SP_PERSISTED = (
    "Microsoft.SharePoint.Administration.SPPersistedUpgradableObject",
    "Microsoft.SharePoint.Administration.SPPersistedObject",
    "Microsoft.SharePoint.Administration.SPAutoSerializingObject",
    "System.Object",
)
_X509_TYPES = (
    "System.Security.Cryptography.X509Certificates.X509Certificate2",
    "System.Security.Cryptography.X509Certificates.X509Certificate",
    "System.Object",
)


def _sp_certificate(name: str, cert: _Cert) -> _O:
    """An X509Certificate2 property at `Export-Clixml`'s default depth (2).

    Its own properties are written; the objects below them (extensions, names, the
    public key) are past the depth and kept as their `ToString()` text.
    """
    return _O(
        name,
        _X509_TYPES,
        to_string=_x509_to_string(cert),
        props=(
            _b("Archived", False),
            _s(
                "Extensions",
                "System.Security.Cryptography.X509Certificates.X509ExtensionCollection",
            ),
            _s("FriendlyName", ""),
            _s("IssuerName", "System.Security.Cryptography.X509Certificates.X500DistinguishedName"),
            _dt("NotAfter", _clixml_date(cert.not_after)),
            _dt("NotBefore", _clixml_date(cert.not_before)),
            _b("HasPrivateKey", False),
            _nil("PrivateKey"),
            _s("PublicKey", "System.Security.Cryptography.X509Certificates.PublicKey"),
            _P("BA", "RawData", base64.b64encode(cert.der).decode("ascii")),
            _s("SerialNumber", cert.serial),
            _s(
                "SubjectName", "System.Security.Cryptography.X509Certificates.X500DistinguishedName"
            ),
            _s("SignatureAlgorithm", "System.Security.Cryptography.Oid"),
            _s("Thumbprint", cert.thumbprint),
            _i32("Version", 3),
            _s("Issuer", cert.issuer),
            _s("Subject", cert.subject),
        ),
    )


def _sp_persisted_tail(name: str, type_label: str, parent: str, key: str) -> tuple[_Node, ...]:
    """The properties every SharePoint persisted object ends with."""
    return (
        _s("Name", name),
        _s("TypeName", type_label),
        _s("DisplayName", name),
        _g("Id", _guid("sharepoint", key)),
        _enum("Status", "Microsoft.SharePoint.Administration.SPObjectStatus", "Online", 0),
        _s("Parent", parent),
        _P("I64", "Version", str(int(hashlib.sha256(key.encode()).hexdigest()[:5], 16))),
        _O("Properties", ("System.Collections.Hashtable", "System.Object"), items=()),
        _s("Farm", "SPFarm Name=SharePoint_Config"),
        _O(
            "UpgradedPersistedProperties",
            ("System.Collections.Hashtable", "System.Object"),
            items=(),
        ),
    )


def _lync_realm(spec: BundleSpec) -> str:
    """Lync's OAuth realm: `Realm` of Get-CsOAuthConfiguration, else the default SIP domain."""
    return spec.oauth_realm or spec.sip_domain


def _sharepoint_issuers(spec: BundleSpec) -> str:
    """`Get-SPTrustedSecurityTokenIssuer | Export-Clixml` in the SharePoint Management Shell.

    Exchange's issuer (SharePoint<->Exchange integration) and, unless the spec leaves
    it out, Lync's: made with `New-SPTrustedSecurityTokenIssuer -MetadataEndPoint
    https://<pool>/metadata/json/1 -IsTrustBroker`, its registered issuer name and
    signing certificate read from Lync's metadata.
    """
    issuers: list[tuple[str, str, str, _Cert | None, bool]] = [
        (
            "Exchange",
            f"{EXCHANGE_APP_ID}@{spec.sip_domain}",
            spec.exchange_metadata_url,
            _exchange_auth(spec),
            False,
        )
    ]
    if spec.sharepoint_lync_issuer:
        realm = spec.sharepoint_lync_issuer_realm or _lync_realm(spec)
        issuers.append(
            (
                spec.sharepoint_lync_issuer_name,
                f"{LYNC_APP_ID}@{realm}",
                spec.lync_metadata_url
                if spec.sharepoint_lync_issuer_metadata_url is None
                else spec.sharepoint_lync_issuer_metadata_url,
                _oauth_copy(spec, spec.sharepoint_lync_issuer_certificate),
                spec.sharepoint_lync_issuer_is_self_issuer,
            )
        )
    objects = []
    for name, registered, metadata, cert, self_issuer in issuers:
        endpoint: _Node
        if not metadata:  # an issuer made from a certificate file
            endpoint = _nil("MetadataEndPoint")
        elif spec.sharepoint_metadata_endpoint_as_object:
            endpoint = _O(
                "MetadataEndPoint",
                ("System.Uri", "System.Object"),
                to_string=metadata,
                props=(
                    _s("AbsolutePath", "/" + metadata.split("://", 1)[-1].partition("/")[2]),
                    _s("AbsoluteUri", metadata),
                    _s("Host", metadata.split("://", 1)[-1].partition("/")[0]),
                    _s("OriginalString", metadata),
                    _s("Scheme", metadata.partition(":")[0]),
                ),
            )
        else:
            endpoint = _P("URI", "MetadataEndPoint", metadata)
        certificate: _Node = (
            _sp_certificate("SigningCertificate", cert) if cert else _nil("SigningCertificate")
        )
        props: tuple[_Node, ...] = (
            _s("NameId", registered),
            _s("RegisteredIssuerName", registered),
            _b("IsSelfIssuer", self_issuer),
            certificate,
            _O(
                "AdditionalSigningCertificates",
                (
                    "System.Collections.Generic.List`1[[System.Security.Cryptography."
                    "X509Certificates.X509Certificate2, System, Version=4.0.0.0, Culture=neutral, "
                    "PublicKeyToken=b77a5c561934e089]]",
                    "System.Object",
                ),
                items=(),
            ),
            endpoint,
            _b("IsAutomaticallyUpdated", True),
            _s("Description", ""),
            *_sp_persisted_tail(
                name,
                f"{_SP_CLAIMS}.SPTrustedSecurityTokenIssuer",
                "SPSecurityTokenServiceManager Name=SecurityTokenServiceManager",
                f"issuer:{name}",
            ),
        )
        objects.append(
            _O(
                None,
                (f"{_SP_CLAIMS}.SPTrustedSecurityTokenIssuer", *_SP_PERSISTED),
                to_string=f"SPTrustedSecurityTokenIssuer Name={name}",
                props=props,
            )
        )
    return _clixml(objects)


def _sharepoint_sts_config(spec: BundleSpec) -> str:
    """`Get-SPSecurityTokenServiceConfig | Export-Clixml` in the SharePoint Management Shell."""
    props: tuple[_Node, ...] = (
        _s("NameIdentifier", f"{SHAREPOINT_APP_ID}@{spec.sharepoint_realm}"),
        _b("AllowOAuthOverHttp", spec.sharepoint_allow_oauth_over_http),
        _b("AllowMetadataOverHttp", spec.sharepoint_allow_metadata_over_http),
        _b("UseSessionCookies", False),
        _b("HybridStsSelectionEnabled", False),
        _sp_certificate("SigningCertificate", _sts_cert(spec)),
        _nil("QueuedSigningCertificate"),
        _P("TS", "ServiceTokenLifetime", "PT10H"),
        _P("TS", "ServiceTokenCacheExpirationWindow", "PT1M"),
        _i32("MaxServiceTokenCacheItems", 250),
        _P("TS", "LogonTokenCacheExpirationWindow", "PT10M"),
        _i32("MaxLogonTokenCacheItems", 250),
        _P("TS", "WindowsTokenLifetime", "PT10H"),
        _P("TS", "FormsTokenLifetime", "PT10H"),
        *_sp_persisted_tail(
            "SecurityTokenServiceManager",
            f"{_SP_CLAIMS}.SPSecurityTokenServiceManager",
            "SPFarm Name=SharePoint_Config",
            "sts-manager",
        ),
    )
    obj = _O(
        None,
        (f"{_SP_CLAIMS}.SPSecurityTokenServiceManager", *_SP_PERSISTED),
        to_string="SPSecurityTokenServiceManager Name=SecurityTokenServiceManager",
        props=props,
    )
    return _clixml([obj])


# ------------------------------------------------------------------ the bundle


_BUNDLE_DIRS = ("lync", "servers", "certs", "dns", "exchange", "sharepoint")


def write_bundle(spec: BundleSpec, root: Path) -> None:
    """Write the exports of `spec` under `root` (created if needed; nothing is deleted)."""
    root = Path(root)
    if spec.topology_form == "published":
        encoding = spec.topology_encoding or "utf-16-le-bom"
        _write(root / "lync" / "topology.xml", _encode(_published_topology(spec), encoding))
    else:
        encoding = spec.topology_encoding or "utf-8-bom"
        _write(root / "lync" / "topology.tbxml", _encode(_topology_builder(spec), encoding))

    lync = {
        "oauth-configuration.xml": _oauth_configuration(spec),
        "partner-applications.xml": _lync_partner_applications(spec),
    }
    if spec.oauth_servers:
        lync["oauth-servers.xml"] = _oauth_servers(spec)
    if spec.user_services_policies:
        lync["user-services-policies.xml"] = _user_services_policies(spec)
    if spec.exchange_archiving is not None:
        lync["archiving-configuration.xml"] = _archiving_configuration(spec)
    for name, text in lync.items():
        _write(root / "lync" / name, _encode(text, spec.lync_encoding, spec.lync_newline))

    for index, server in enumerate((*spec.oauth_certificate_servers, *spec.branch_appliances)):
        if server in spec.omit_server_exports:
            continue
        text = _cs_certificates(spec, server, index)
        data = _encode(text, spec.server_encoding, spec.lync_newline)
        _write(root / "servers" / server / "certificates.xml", data)

    oauth = _oauth_cert(spec)
    if spec.include_oauth_cer:
        _write(root / "certs" / "oauth-token-issuer.cer", oauth.der)
        if spec.oauth_roll_effective is not None:
            _write(root / "certs" / "oauth-token-issuer-roll.cer", _rolled_oauth_cert(spec).der)
    if spec.include_oauth_pfx:
        pfx = _pfx(oauth, spec.pfx_password, f"oauth-token-issuer:{oauth.thumbprint}")
        _write(root / "certs" / "oauth-token-issuer.pfx", pfx)

    zone = _zone_export(spec)
    _write(root / "dns" / f"{spec.sip_domain}.dns", _encode(zone, spec.dns_encoding, "\r\n"))

    if not spec.exchange_exports:
        return
    exchange = {"auth-config.xml": _auth_config(spec)}
    if spec.exchange_lync_app or spec.exchange_hybrid or spec.exchange_sfb_legacy:
        exchange["partner-applications.xml"] = _exchange_partner_applications(spec)
    if spec.exchange_hybrid:
        exchange["auth-servers.xml"] = _auth_servers(spec)
    exchange |= {
        "exchange-servers.xml": _exchange_servers(spec),
        "client-access.xml": _client_access(spec),
    }
    if spec.exchange_certificates_from_store:
        exchange["certificate-store.xml"] = _store_certificates(spec)
    else:
        exchange["certificates.xml"] = _exchange_certificates(spec)
    if spec.hybrid_configuration_changed is not None:
        exchange["hybrid-configuration.xml"] = _hybrid_configuration(spec)
    for name, text in exchange.items():
        data = _encode(text, spec.exchange_encoding, spec.exchange_newline)
        _write(root / "exchange" / name, data)

    if spec.sharepoint_exports:
        # The SharePoint Management Shell is Windows PowerShell 5.1: UTF-16 with a BOM.
        for name, text in (
            ("trusted-issuers.xml", _sharepoint_issuers(spec)),
            ("sts-config.xml", _sharepoint_sts_config(spec)),
        ):
            _write(root / "sharepoint" / name, _encode(text, "utf-16-le-bom", "\r\n"))


def _readme(scenarios: Sequence[Scenario]) -> str:
    lines = [
        "# Test fixtures",
        "",
        "Each folder is a bundle: the exports an administrator gathers from a Lync Server",
        "2013 / Skype for Business Server deployment and its Exchange organisation",
        "(litwareinc.com, pool atl-cs-001 with Front Ends atl-fe-01..03, Exchange atl-exch-001).",
        "They are written by `tests/fixturegen.py`; do not edit them by hand. Regenerate with",
        "",
        "    python tests/fixturegen.py",
        "",
        "Generation is deterministic (keys derived from fixed labels, fixed serials and dates),",
        "so regenerating changes a file only when its spec or the generator changes.",
        "Evaluate as of 2026-11-21: every certificate is valid then (the OAuthTokenIssuer",
        "certificate from 2026-01-15 to 2028-01-15, the Exchange Auth one to 2030-06-01).",
        "",
        "Bundle layout: `lync/` (topology, Get-CsOAuthConfiguration, Get-CsPartnerApplication,",
        "Get-CsOAuthServer, Get-CsUserServicesPolicy, Get-CsArchivingConfiguration),",
        "`servers/<fqdn>/certificates.xml` (Get-CsCertificate per Front End; atl-fe-03's export",
        "has no PSComputerName), `certs/` (OAuthTokenIssuer certificate), `dns/` (dnscmd zone",
        "export), `exchange/` (Get-AuthConfig, Get-PartnerApplication, Get-AuthServer,",
        "Get-ExchangeServer, Get-ClientAccessService, Get-ExchangeCertificate). The",
        "SharePoint-integrated scenarios add `exchange/hybrid-configuration.xml`",
        "(Get-HybridConfiguration) and `sharepoint/` (Get-SPTrustedSecurityTokenIssuer,",
        "Get-SPSecurityTokenServiceConfig).",
        "",
        "The deployment is hybrid: Lync trusts Microsoft 365 (`microsoft.sts`, and `evoSTS`",
        "with hybrid modern authentication on), Exchange has the Hybrid Configuration Wizard's",
        "`Exchange Online` partner application and authorization servers (ACS, Azure AD).",
        "The unified contact store and Exchange archiving are enabled.",
        "",
        "| scenario | contents |",
        "|---|---|",
    ]
    lines += [f"| `{s.name}` | {s.description} |" for s in scenarios]
    lines.append("")
    return "\n".join(lines)


def generate_all(fixtures_dir: Path, scenarios: Sequence[Scenario] = SCENARIOS) -> None:
    """Write every scenario as `fixtures_dir/<name>/` plus `fixtures_dir/README.md`.

    A scenario's bundle folders (lync, servers, certs, dns, exchange) are replaced;
    other files in the scenario folder (such as expected outputs) are left alone.
    """
    fixtures_dir = Path(fixtures_dir)
    for scenario in scenarios:
        target = fixtures_dir / scenario.name
        for sub in _BUNDLE_DIRS:
            if (target / sub).is_dir():
                shutil.rmtree(target / sub)
        write_bundle(scenario.spec, target)
    _write(fixtures_dir / "README.md", _readme(scenarios).encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "fixtures"
    generate_all(target)
    for scenario in SCENARIOS:
        prints = ", ".join(
            f"{_short(server)}={thumb}"
            for server, thumb in oauth_thumbprints(scenario.spec).items()
        )
        print(f"{scenario.name}: {prints}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
