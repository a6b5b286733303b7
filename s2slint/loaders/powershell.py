"""Recognise the objects of `Get-Cs*` and Exchange cmdlets in CLIXML exports.

Objects are recognised by type name first (with or without `Deserialized.` and
`#Decorated`), and, where the type is unknown, by the properties that characterise the
cmdlet's output: an export made through a proxy or re-serialised by a script may carry
a generic type such as `System.Management.Automation.PSCustomObject`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from s2slint.findings import Location
from s2slint.loaders.base import InputProblem, LoadContext, LoadResult, Source
from s2slint.loaders.clixml import (
    CLIXML_NAMESPACE,
    ClixmlDocument,
    PSObject,
    PSProperty,
    read_clixml,
)
from s2slint.loaders.xmldoc import XmlDocument, XmlRejected, root_signature
from s2slint.model import (
    ArchivingConfiguration,
    Certificate,
    ClientAccessService,
    CsCertificate,
    DnsRecord,
    DnsZone,
    EmbeddedCertificate,
    ExchangeAuthConfig,
    ExchangeAuthServer,
    ExchangePartnerApplication,
    ExchangeServer,
    HybridConfiguration,
    Located,
    LyncOAuthServer,
    LyncPartnerApplication,
    OAuthConfiguration,
    OtherRecord,
    SharePointStsConfig,
    SharePointTrustedIssuer,
    UserServicesPolicy,
    host_name_problem,
    normalize_fqdn,
    normalize_thumbprint,
)

SSAUTH = "Microsoft.Rtc.Management.WritableConfig.Settings.SSAuth."
EXCHANGE_SYSCONFIG = "Microsoft.Exchange.Data.Directory.SystemConfiguration."
EXCHANGE_MANAGEMENT = "Microsoft.Exchange.Data.Directory.Management."
SHAREPOINT_CLAIMS = "Microsoft.SharePoint.Administration.Claims."
X509_CERTIFICATE2 = "System.Security.Cryptography.X509Certificates.X509Certificate2"
EXCHANGE_CERTIFICATE = "Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate"


# ----------------------------------------------------------------- value accessors


# Enum-valued properties: `ConvertTo-Json` (Windows PowerShell 5.1) writes them as
# integers whose names are not documented, so a bare number there is "unknown".
ENUM_PROPERTIES = frozenset(
    {
        "ApplicationTrustLevel",
        "Use",
        "SourceScope",
        "ClientAdalAuthOverride",
        "ServerRole",
        "Type",
        "EnableArchiving",
    }
)


def text(obj: PSObject, name: str) -> Located[str] | None:
    """Return a property as located text; `None` when absent, `$null` or unknown.

    An enum written as a bare integer (JSON exports) is unknown, never guessed.
    """
    prop = obj.get(name)
    if prop is None or prop.value is None:
        return None
    if name in ENUM_PROPERTIES and isinstance(prop.value, int) and not isinstance(prop.value, bool):
        return None
    value = prop.text
    if value is None:
        return None
    return prop.located(value.strip())


def _plain_text(obj: PSObject, name: str) -> str:
    """Return a property's text without its location ("" when `text` finds none)."""
    found = text(obj, name)
    return found.value if found is not None else ""


def flag(obj: PSObject, name: str) -> Located[bool] | None:
    """Return a boolean property; text such as "True" is accepted (CSV-like sources)."""
    prop = obj.get(name)
    if prop is None or prop.value is None:
        return None
    if isinstance(prop.value, bool):
        return prop.located(prop.value)
    value = (prop.text or "").strip().lower()
    if value in ("true", "false"):
        return prop.located(value == "true")
    return None


def moment(obj: PSObject, name: str) -> Located[datetime] | None:
    """Return a date property (`DT` tag) with its location."""
    prop = obj.get(name)
    if prop is None or not isinstance(prop.value, datetime):
        return None
    return prop.located(prop.value)


def strings(obj: PSObject, name: str) -> tuple[str, ...]:
    """Return a multi-valued property as strings (a lone string counts as one)."""
    prop = obj.get(name)
    if prop is None or prop.value is None:
        return ()
    if isinstance(prop.value, PSObject) and prop.value.items is not None:
        return tuple(item.text for item in prop.value.items if item.text)
    value = prop.text
    return (value,) if value else ()


def _known_strings(obj: PSObject, name: str) -> tuple[str, ...] | None:
    """Return a multi-valued property, or None when the export does not carry it.

    An empty list (`<LST />`) is a real "none"; an absent or `$null` property is unknown.
    """
    prop = obj.get(name)
    if prop is None or prop.value is None:
        return None
    return strings(obj, name)


def computer_name(obj: PSObject) -> Located[str] | None:
    """Return the `PSComputerName` note property remote sessions add."""
    found = text(obj, "PSComputerName")
    return found if found is not None and found.value else None


def metadata_url(obj: PSObject) -> Located[str] | None:
    """Return a Lync partner application's metadata URL (`MetadataUrl` or `AuthToken`)."""
    url = text(obj, "MetadataUrl")
    if url is not None and url.value:
        return url
    token = text(obj, "AuthToken")
    if token is not None and token.value.lower().startswith("value="):
        return Located.at(token.value[len("value=") :].strip(), token.loc)
    return None


def uri(obj: PSObject, name: str) -> Located[str] | None:
    """Return a `System.Uri` property as text, however the export wrote it.

    CLIXML writes a URI as a `URI` tag, or, for an object whose type it does not
    treat as a primitive, as an object with `OriginalString`/`AbsoluteUri` (and the
    URI as its `ToString`); `ConvertTo-Json` writes the object's properties only; a
    CSV writes the text.
    """
    prop = obj.get(name)
    if prop is None or prop.value is None:
        return None
    if isinstance(prop.value, PSObject):
        for part in ("OriginalString", "AbsoluteUri"):
            found = text(prop.value, part)
            if found is not None and found.value:
                return found
        if prop.value.to_string:
            return prop.located(prop.value.to_string.strip())
        return None
    return text(obj, name)


def raw_bytes(prop: PSProperty | None) -> bytes | None:
    """Return a `byte[]` property's bytes: CLIXML `BA`, or a JSON array of numbers."""
    if prop is None:
        return None
    value = prop.value
    if isinstance(value, bytes):
        return value
    if isinstance(value, PSObject) and value.items is not None and value.items:
        numbers = [item.value for item in value.items]
        if all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 255 for n in numbers):
            return bytes(n for n in numbers if isinstance(n, int))
    return None


# What exports hold only now and then (a certificate as text, a type name for a value):
# compiled on first use (and kept by `re`'s cache), not on import.
_CERTIFICATE_TEXT_FIELD = r"\[([A-Za-z ]+)\]\s*\n[ \t]*([^\r\n]*)"
_TYPE_NAME_TEXT = r"^[A-Za-z_][\w.]*(`\d+)?\[.*\]$|^System\.[\w.]+$"


def _from_certificate_text(value: str, loc: Location) -> EmbeddedCertificate | None:
    """Read an X509Certificate's `ToString()`: what CSV exports and too-deep objects keep.

    `[Subject]`, `[Issuer]`, `[Serial Number]`, `[Not Before]`, `[Not After]`,
    `[Thumbprint]`, each followed by an indented line. The dates are the exporting
    machine's local time in its culture, so they are left unknown, never misread.
    """
    fields = {
        key.strip().lower(): val.strip() for key, val in re.findall(_CERTIFICATE_TEXT_FIELD, value)
    }
    thumbprint = normalize_thumbprint(fields.get("thumbprint", ""))
    if len(thumbprint) != 40:
        return None
    return EmbeddedCertificate(loc=loc, thumbprint=thumbprint, subject=fields.get("subject"))


def embedded_certificate(
    prop: PSProperty,
) -> tuple[EmbeddedCertificate | None, InputProblem | None]:
    """Read a certificate an object holds (a SharePoint `SigningCertificate`).

    Its `RawData` is decoded when exported; else `Thumbprint`, `Subject` and dates are
    read from its properties; else the thumbprint from its `ToString()` text. Returns
    the certificate (None when nothing identifies it) and an INP001 for `RawData`
    that cannot be decoded.
    """
    from s2slint.loaders.certs import certificate_from_der

    value = prop.value
    if isinstance(value, str):
        return _from_certificate_text(value, prop.loc), None
    if not isinstance(value, PSObject):
        return None, None
    raw = value.get("RawData")
    der = raw_bytes(raw)
    problem: InputProblem | None = None
    if raw is not None and der is not None:
        try:
            decoded = certificate_from_der(der, raw.loc, "clixml")
        except ValueError as error:
            problem = InputProblem(
                "INP001", f"certificate in RawData cannot be decoded: {error}", raw.loc
            )
        else:
            where = text(value, "Thumbprint")
            return (
                EmbeddedCertificate(
                    loc=where.loc if where is not None else raw.loc,
                    thumbprint=decoded.thumbprint,
                    subject=decoded.subject,
                    not_before=decoded.not_before,
                    not_after=decoded.not_after,
                    decoded=decoded,
                ),
                None,
            )
    thumbprint = text(value, "Thumbprint")
    if thumbprint is not None and normalize_thumbprint(thumbprint.value):
        not_before, not_after = moment(value, "NotBefore"), moment(value, "NotAfter")
        subject = text(value, "Subject")
        return (
            EmbeddedCertificate(
                loc=thumbprint.loc,
                thumbprint=normalize_thumbprint(thumbprint.value),
                subject=subject.value if subject is not None else None,
                not_before=not_before.value if not_before is not None else None,
                not_after=not_after.value if not_after is not None else None,
            ),
            problem,
        )
    if value.to_string:
        return _from_certificate_text(value.to_string, prop.loc), problem
    return None, problem


def _items_or_self(prop: PSProperty) -> tuple[PSProperty, ...]:
    """Return a list property's items, or the property itself when it holds one value.

    A certificate object has properties but no items; a collection of certificates
    (`AdditionalSigningCertificates`) has items.
    """
    if isinstance(prop.value, PSObject) and prop.value.items is not None:
        return prop.value.items
    return (prop,)


def certificate_strings(
    obj: PSObject, name: str
) -> tuple[tuple[EmbeddedCertificate, ...] | None, list[InputProblem]]:
    """Decode an Exchange partner application's `CertificateStrings` (base64 DER each).

    Exchange keeps there the certificates it last read from the partner's metadata.
    Returns None when the property is absent, `$null` or written as a type name (an
    `Export-Csv` of a list), with an INP001 for each string that is no certificate.
    """
    from s2slint.loaders.certs import certificate_from_der

    prop = obj.get(name)
    if prop is None or prop.value is None:
        return None, []
    if isinstance(prop.value, PSObject) and prop.value.items is not None:
        values = [item for item in prop.value.items if item.text]
    elif isinstance(prop.value, str) and not re.match(_TYPE_NAME_TEXT, prop.value.strip()):
        values = [prop] if prop.value.strip() else []
    else:
        return None, []
    found: list[EmbeddedCertificate] = []
    problems: list[InputProblem] = []
    for item in values:
        try:
            der = base64.b64decode("".join((item.text or "").split()), validate=True)
            decoded = certificate_from_der(der, item.loc, "clixml")
        except (ValueError, binascii.Error) as error:
            problems.append(
                InputProblem(
                    "INP001", f"{name} entry is not a base64 certificate: {error}", item.loc
                )
            )
            continue
        found.append(
            EmbeddedCertificate(
                loc=item.loc,
                thumbprint=decoded.thumbprint,
                subject=decoded.subject,
                not_before=decoded.not_before,
                not_after=decoded.not_after,
                decoded=decoded,
            )
        )
    return tuple(found), problems


# ------------------------------------------------------------------------ builders


def _oauth_configuration(obj: PSObject, source: Source) -> Iterator[object]:
    yield OAuthConfiguration(
        loc=obj.loc,
        identity=text(obj, "Identity"),
        exchange_autodiscover_url=text(obj, "ExchangeAutodiscoverUrl"),
        realm=text(obj, "Realm"),
        service_name=text(obj, "ServiceName"),
        client_authorization_oauth_server_identity=text(
            obj, "ClientAuthorizationOAuthServerIdentity"
        ),
    )


def _lync_partner_application(obj: PSObject, source: Source) -> Iterator[object]:
    yield LyncPartnerApplication(
        loc=obj.loc,
        identity=text(obj, "Identity"),
        application_identifier=text(obj, "ApplicationIdentifier"),
        application_trust_level=text(obj, "ApplicationTrustLevel"),
        metadata_url=metadata_url(obj),
        enabled=flag(obj, "Enabled"),
        realm=text(obj, "Realm"),
        auth_token=text(obj, "AuthToken"),
        use_oauth_server=flag(obj, "UseOAuthServer"),
    )


def _cs_certificate(obj: PSObject, source: Source) -> Iterator[object]:
    yield CsCertificate(
        loc=obj.loc,
        use=text(obj, "Use"),
        thumbprint=text(obj, "Thumbprint"),
        subject=text(obj, "Subject"),
        issuer=text(obj, "Issuer"),
        not_before=moment(obj, "NotBefore"),
        not_after=moment(obj, "NotAfter"),
        alternative_names=_known_strings(obj, "AlternativeNames"),
        effective_date=moment(obj, "EffectiveDate"),
        computer_name=computer_name(obj),
        source_dirs=source.folders,
    )


def server_name_problems(records: Sequence[object], source: Source) -> Iterator[InputProblem]:
    """Report, once per file, a server name exports are attributed by that is no host name.

    `PSComputerName` names the server; without it, a folder named after the server
    does (`servers/atl-fe-01.litwareinc.com/`). A look-alike name (a Cyrillic letter
    among Latin ones) names no server of the topology: without this finding, that
    server's certificate would silently count as not exported (TOP002, a warning)
    instead of being compared with the others (CRT002, an error).
    """
    entries = [record for record in records if isinstance(record, CsCertificate)]
    reported: set[str] = set()
    for entry in entries:
        named = entry.computer_name
        if named is None or named.value in reported:
            continue
        reported.add(named.value)
        problem = host_name_problem(named.value)
        if problem is not None:
            yield InputProblem(
                "INP001",
                f'PSComputerName "{named.value}" is not a valid host name: {problem}',
                named.loc,
            )
    if not any(entry.computer_name is None for entry in entries):
        return
    for folder in source.folders:
        # Only a folder that is not plain ASCII yet reads as a dotted name is meant as
        # a server's: "servers" or "exports 2024" are just folders.
        if folder.isascii() or "." not in normalize_fqdn(folder):
            continue
        problem = host_name_problem(folder)
        if problem is not None:
            yield InputProblem(
                "INP001",
                f'folder "{folder}" is not a valid host name, so the Get-CsCertificate '
                f"export in it is attributed to no server: {problem}",
                source.location(),
            )


def _exchange_auth_config(obj: PSObject, source: Source) -> Iterator[object]:
    yield ExchangeAuthConfig(
        loc=obj.loc,
        current_thumbprint=text(obj, "CurrentCertificateThumbprint"),
        previous_thumbprint=text(obj, "PreviousCertificateThumbprint"),
        next_thumbprint=text(obj, "NextCertificateThumbprint"),
        next_effective_date=moment(obj, "NextCertificateEffectiveDate"),
        service_name=text(obj, "ServiceName"),
        realm=text(obj, "Realm"),
    )


def name_of(obj: PSObject) -> Located[str] | None:
    """Return an Exchange object's `Name`, else the `ToString` PowerShell shows for it."""
    found = text(obj, "Name")
    if found is None and obj.to_string:
        return obj.located(obj.to_string)
    return found


def _exchange_partner_application(obj: PSObject, source: Source) -> Iterator[object]:
    certificates, problems = certificate_strings(obj, "CertificateStrings")
    yield from problems
    yield ExchangePartnerApplication(
        loc=obj.loc,
        name=name_of(obj),
        application_identifier=text(obj, "ApplicationIdentifier"),
        auth_metadata_url=text(obj, "AuthMetadataUrl"),
        realm=text(obj, "Realm"),
        enabled=flag(obj, "Enabled"),
        use_auth_server=flag(obj, "UseAuthServer"),
        certificates=certificates,
    )


def _exchange_server(obj: PSObject, source: Source) -> Iterator[object]:
    name = name_of(obj)
    if name is None:
        return
    roles = tuple(role.strip() for role in _plain_text(obj, "ServerRole").split(","))
    yield ExchangeServer(
        loc=obj.loc,
        name=name,
        fqdn=text(obj, "Fqdn"),
        roles=roles,
        admin_display_version=text(obj, "AdminDisplayVersion"),
    )


def _client_access(obj: PSObject, source: Source) -> Iterator[object]:
    yield ClientAccessService(
        loc=obj.loc,
        name=text(obj, "Name") or text(obj, "Fqdn"),
        autodiscover_internal_uri=text(obj, "AutoDiscoverServiceInternalUri"),
    )


def _exchange_certificate(obj: PSObject, source: Source) -> Iterator[object]:
    """Decode `RawData`: remote-session exports carry nothing else worth reading."""
    from s2slint.loaders.certs import certificate_from_der

    raw = obj.get("RawData")
    der = raw_bytes(raw)
    server = _exchange_certificate_server(obj)
    if raw is None or der is None:
        yield from _exchange_certificate_from_properties(obj, server)
        return
    try:
        certificate: Certificate = certificate_from_der(der, raw.loc, "clixml", server=server)

    except ValueError as error:
        yield InputProblem("INP001", f"certificate in RawData cannot be decoded: {error}", raw.loc)
        return
    yield certificate


def _store_certificate(obj: PSObject, source: Source) -> Iterator[object]:
    """Read a certificate of `Get-ChildItem Cert:\\LocalMachine\\My | Export-Clixml`.

    An `X509Certificate2` as PowerShell serialises it: `RawData` (decoded) beside
    `Thumbprint`, dates and `HasPrivateKey`. Run through `Invoke-Command`, each object
    carries the server in `PSComputerName`; run locally, the server is unknown.
    """
    from s2slint.loaders.certs import certificate_from_der

    raw = obj.get("RawData")
    der = raw_bytes(raw)
    server = computer_name(obj)
    where = server.value.lower() if server is not None else None
    if raw is None or der is None:
        yield from _exchange_certificate_from_properties(obj, where, names="DnsNameList")
        return
    try:
        certificate = certificate_from_der(der, raw.loc, "clixml", server=where)
    except ValueError as error:
        yield InputProblem("INP001", f"certificate in RawData cannot be decoded: {error}", raw.loc)
        return
    private = flag(obj, "HasPrivateKey")
    if private is not None and private.value:
        # The store holds the key; whether it matches is not something an export shows.
        certificate = replace(certificate, has_private_key=True)
    yield certificate


def _sharepoint_issuer(obj: PSObject, source: Source) -> Iterator[object]:
    found: list[EmbeddedCertificate] = []
    known = False
    for name in ("SigningCertificate", "AdditionalSigningCertificates"):
        prop = obj.get(name)
        if prop is None or prop.value is None:
            continue
        known = True
        for value in _items_or_self(prop):
            certificate, problem = embedded_certificate(value)
            if problem is not None:
                yield problem
            if certificate is not None:
                found.append(certificate)
    yield SharePointTrustedIssuer(
        loc=obj.loc,
        name=text(obj, "Name") or text(obj, "DisplayName"),
        registered_issuer_name=text(obj, "RegisteredIssuerName"),
        metadata_endpoint=uri(obj, "MetadataEndPoint"),
        is_self_issuer=flag(obj, "IsSelfIssuer"),
        signing_certificates=tuple(found) if known else None,
        description=text(obj, "Description"),
    )


def _sharepoint_sts_config(obj: PSObject, source: Source) -> Iterator[object]:
    certificate: EmbeddedCertificate | None = None
    prop = obj.get("SigningCertificate")
    if prop is not None and prop.value is not None:
        certificate, problem = embedded_certificate(prop)
        if problem is not None:
            yield problem
    yield SharePointStsConfig(
        loc=obj.loc,
        name_identifier=text(obj, "NameIdentifier"),
        allow_oauth_over_http=flag(obj, "AllowOAuthOverHttp"),
        allow_metadata_over_http=flag(obj, "AllowMetadataOverHttp"),
        signing_certificate=certificate,
    )


def _hybrid_configuration(obj: PSObject, source: Source) -> Iterator[object]:
    yield HybridConfiguration(
        loc=obj.loc,
        name=name_of(obj),
        # The UTC stamp first: `WhenChanged` is the exporting machine's local time, which
        # a CSV export writes without its offset.
        when_changed=moment(obj, "WhenChangedUTC") or moment(obj, "WhenChanged"),
        features=_known_strings(obj, "Features"),
        domains=_known_strings(obj, "Domains"),
    )


def _lync_oauth_server(obj: PSObject, source: Source) -> Iterator[object]:
    yield LyncOAuthServer(
        loc=obj.loc,
        identity=text(obj, "Identity"),
        metadata_url=text(obj, "MetadataUrl"),
        realm=text(obj, "Realm"),
        type=text(obj, "Type"),
    )


def _user_services_policy(obj: PSObject, source: Source) -> Iterator[object]:
    yield UserServicesPolicy(
        loc=obj.loc, identity=text(obj, "Identity"), ucs_allowed=flag(obj, "UcsAllowed")
    )


def _archiving_configuration(obj: PSObject, source: Source) -> Iterator[object]:
    yield ArchivingConfiguration(
        loc=obj.loc,
        identity=text(obj, "Identity"),
        enable_exchange_archiving=flag(obj, "EnableExchangeArchiving"),
        enable_archiving=text(obj, "EnableArchiving"),
    )


def _exchange_auth_server(obj: PSObject, source: Source) -> Iterator[object]:
    yield ExchangeAuthServer(
        loc=obj.loc,
        name=name_of(obj),
        issuer_identifier=text(obj, "IssuerIdentifier"),
        token_issuing_endpoint=text(obj, "TokenIssuingEndpoint"),
        auth_metadata_url=text(obj, "AuthMetadataUrl"),
        enabled=flag(obj, "Enabled"),
        type=text(obj, "Type"),
        realm=text(obj, "Realm"),
    )


def _exchange_certificate_server(obj: PSObject) -> str | None:
    """Return the Exchange server a certificate belongs to, lower case.

    `Identity` (`SERVER\\thumbprint`) wins: `Get-ExchangeServer | Get-ExchangeCertificate`
    through one remote session stamps every object with the session's `PSComputerName`.
    """
    identity = text(obj, "Identity")
    if identity is not None and "\\" in identity.value:
        return identity.value.split("\\")[0].strip().lower() or None
    server = computer_name(obj)
    return server.value.lower() if server else None


def _exchange_certificate_from_properties(
    obj: PSObject, server: str | None, names: str = "CertificateDomains"
) -> Iterator[object]:
    """Build a certificate from a certificate export's properties (no `RawData`).

    A local `Get-ExchangeCertificate` export, or a certificate store export written
    as CSV. Without `RawData` the key type and signature algorithm are unknown
    (`key_type` "unknown", `signature_hash` None); `PublicKeySize` still gives the
    key size. `names` is the property that lists the DNS names.
    """
    thumbprint = text(obj, "Thumbprint")
    not_before, not_after = moment(obj, "NotBefore"), moment(obj, "NotAfter")
    if thumbprint is None or not_before is None or not_after is None:
        yield OtherRecord("exchange-certificate-without-rawdata", obj.loc)
        return
    size = obj.get("PublicKeySize")
    private = flag(obj, "HasPrivateKey")
    yield Certificate(
        loc=thumbprint.loc,
        origin="clixml",
        thumbprint=normalize_thumbprint(thumbprint.value),
        subject=_plain_text(obj, "Subject"),
        issuer=_plain_text(obj, "Issuer"),
        serial_number=_plain_text(obj, "SerialNumber"),
        not_before=not_before.value,
        not_after=not_after.value,
        key_type="unknown",
        key_bits=size.value if size is not None and isinstance(size.value, int) else None,
        signature_hash=None,
        dns_names=tuple(name.lower() for name in strings(obj, names)),
        key_usage_digital_signature=None,
        has_private_key=bool(private and private.value),
        private_key_matches=None,
        server=server,
    )


def dns_zone_of(distinguished_name: str) -> str | None:
    """Return the zone of an AD-integrated DNS record from its distinguished name.

    `DC=autodiscover,DC=litwareinc.com,CN=MicrosoftDNS,DC=DomainDnsZones,...`: the
    component just before `CN=MicrosoftDNS` names the zone.
    """
    parts = [part.strip() for part in distinguished_name.split(",")]
    for index, part in enumerate(parts):
        if part.lower() == "cn=microsoftdns" and index > 0:
            zone = parts[index - 1].partition("=")[2]
            return normalize_fqdn(zone) if zone else None
    return None


_RECORD_DATA_FIELDS = (
    "IPv4Address",
    "IPv6Address",
    "HostNameAlias",
    "NameServer",
    "DomainName",
    "PtrDomainName",
    "MailExchange",
    "DescriptiveText",
)


def _dns_record(obj: PSObject, source: Source) -> Iterator[object]:
    """Turn one `Get-DnsServerResourceRecord` object into a single-record zone.

    The engine's model keeps zones; records of one zone from one file are merged by
    `merge_dns_zones` after the file is read.
    """
    host = text(obj, "HostName")
    rtype = text(obj, "RecordType")
    dn = text(obj, "DistinguishedName")
    zone = dns_zone_of(dn.value) if dn is not None else None
    if host is None or rtype is None or zone is None:
        yield OtherRecord("dns-record-without-zone", obj.loc)
        return
    data = ""
    record_data = obj.get("RecordData")
    if record_data is not None and isinstance(record_data.value, PSObject):
        for name in _RECORD_DATA_FIELDS:
            found = text(record_data.value, name)
            if found is not None and found.value:
                data = found.value
                break
    name = zone if host.value in ("@", "") else f"{normalize_fqdn(host.value)}.{zone}"
    if rtype.value.upper() in ("CNAME", "NS", "PTR"):
        data = normalize_fqdn(data)
    record = DnsRecord(
        normalize_fqdn(name),
        rtype.value.upper(),
        data,
        host.loc.with_pointer(f"{name}/{rtype.value}"),
    )
    yield DnsZone.from_records(zone, source.location(1, 1), (record,))


def merge_dns_zones(records: list[object]) -> list[object]:
    """Merge the single-record zones of one export into one zone per origin."""
    zones: dict[str, list[DnsZone]] = {}
    others: list[object] = []
    for record in records:
        if isinstance(record, DnsZone):
            zones.setdefault(record.origin, []).append(record)
        else:
            others.append(record)
    merged = [
        DnsZone.from_records(
            origin,
            parts[0].loc,
            sorted((r for z in parts for r in z.records), key=lambda r: (r.name, r.rtype, r.data)),
        )
        for origin, parts in sorted(zones.items())
    ]
    return others + merged


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ObjectKind:
    """How to recognise one cmdlet's objects and what to make of them."""

    name: str
    type_names: tuple[str, ...]
    characteristic: tuple[str, ...]
    build: Callable[[PSObject, Source], Iterator[object]]
    excluded_types: tuple[str, ...] = ()
    """Type names that make an object another kind's, although it matches this one's."""

    def matches(self, obj: PSObject) -> bool:
        """Tell whether `obj` is of this kind, by type name, else by its properties."""
        return self.matches_shape(_Shape.of(obj))

    def matches_shape(self, shape: _Shape) -> bool:
        """`matches`, on an object's shape (taken once for every kind asked)."""
        if not shape.types.isdisjoint(self.excluded_types):
            return False
        if not shape.types.isdisjoint(self.type_names):
            return True
        return bool(self.characteristic) and all(
            prop.lower() in shape.properties for prop in self.characteristic
        )


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Shape:
    """What recognising an object reads: its type names (without `#Decorated`) and its
    property names in lower case (PowerShell matches names case-insensitively).

    Taken once per object rather than once per kind asked about it: classifying every
    object against every kind was a tenth of loading an estate's exports.
    """

    types: frozenset[str]
    properties: frozenset[str]

    @classmethod
    def of(cls, obj: PSObject) -> _Shape:
        return cls.of_names(obj.type_names, obj.properties)

    @classmethod
    def of_names(cls, type_names: Iterable[str], property_names: Iterable[str]) -> _Shape:
        types = frozenset(name.partition("#")[0] for name in type_names)
        return cls(types, frozenset(key.lower() for key in property_names))


OBJECT_KINDS: tuple[ObjectKind, ...] = (
    ObjectKind(
        "lync-oauth-configuration",
        (SSAUTH + "OAuthSettings",),
        ("ExchangeAutodiscoverUrl",),
        _oauth_configuration,
    ),
    ObjectKind(
        "lync-partner-application",
        (SSAUTH + "PartnerApplication",),
        ("ApplicationTrustLevel",),
        _lync_partner_application,
    ),
    ObjectKind(
        "lync-oauth-server",
        (SSAUTH + "OAuthServer",),
        (),
        _lync_oauth_server,
    ),
    ObjectKind(
        "lync-user-services-policy",
        ("Microsoft.Rtc.Management.WritableConfig.Policy.UserServices.UserServicesPolicy",),
        ("UcsAllowed",),
        _user_services_policy,
    ),
    ObjectKind(
        "lync-archiving-configuration",
        ("Microsoft.Rtc.Management.WritableConfig.Policy.Archiving.ArchivingSettings",),
        ("EnableExchangeArchiving",),
        _archiving_configuration,
    ),
    ObjectKind(
        "exchange-auth-server",
        (EXCHANGE_SYSCONFIG + "AuthServer",),
        ("TokenIssuingEndpoint", "IssuerIdentifier"),
        _exchange_auth_server,
    ),
    ObjectKind(
        "lync-certificate",
        ("Microsoft.Rtc.Management.Deployment.CertificateReference",),
        ("Use", "Thumbprint"),
        _cs_certificate,
    ),
    ObjectKind(
        "exchange-auth-config",
        (EXCHANGE_SYSCONFIG + "AuthConfig",),
        ("CurrentCertificateThumbprint",),
        _exchange_auth_config,
    ),
    ObjectKind(
        "exchange-partner-application",
        (EXCHANGE_SYSCONFIG + "PartnerApplication",),
        ("AuthMetadataUrl", "ApplicationIdentifier"),
        _exchange_partner_application,
    ),
    ObjectKind(
        "exchange-client-access",
        (EXCHANGE_MANAGEMENT + "ClientAccessServer", EXCHANGE_MANAGEMENT + "ClientAccessService"),
        ("AutoDiscoverServiceInternalUri",),
        _client_access,
    ),
    ObjectKind(
        "exchange-server",
        (EXCHANGE_MANAGEMENT + "ExchangeServer",),
        ("AdminDisplayVersion", "ServerRole"),
        _exchange_server,
    ),
    ObjectKind(
        "dns-record",
        # CIM type names carry the class after "#", which type matching ignores, so
        # these records are recognised by their properties alone.
        (),
        ("HostName", "RecordType", "RecordData"),
        _dns_record,
    ),
    ObjectKind(
        "exchange-hybrid-configuration",
        (EXCHANGE_SYSCONFIG + "HybridConfiguration",),
        ("OnPremisesSmartHost", "TlsCertificateName"),
        _hybrid_configuration,
    ),
    ObjectKind(
        "sharepoint-trusted-issuer",
        (SHAREPOINT_CLAIMS + "SPTrustedSecurityTokenIssuer",),
        ("RegisteredIssuerName", "MetadataEndPoint"),
        _sharepoint_issuer,
    ),
    ObjectKind(
        "sharepoint-sts-config",
        (SHAREPOINT_CLAIMS + "SPSecurityTokenServiceManager",),
        ("NameIdentifier", "AllowOAuthOverHttp"),
        _sharepoint_sts_config,
    ),
    ObjectKind(
        # `Get-ChildItem Cert:\...`: an X509Certificate2 that is not Exchange's own wrapper.
        "certificate-store",
        (X509_CERTIFICATE2,),
        ("PSParentPath", "Thumbprint"),
        _store_certificate,
        excluded_types=(EXCHANGE_CERTIFICATE,),
    ),
    ObjectKind(
        "exchange-certificate",
        (EXCHANGE_CERTIFICATE,),
        ("RawData",),
        _exchange_certificate,
    ),
)


CHARACTERISTIC_PROPERTIES: tuple[str, ...] = tuple(
    sorted({name for kind in OBJECT_KINDS for name in kind.characteristic})
)


# Most names an object may have for its kind to be remembered (`_remembered_kind`).
_REMEMBERED_NAMES = 512


def classify(obj: PSObject) -> ObjectKind | None:
    """Return the kind of a top-level object, or None if s2slint does not know it."""
    property_names = tuple(obj.properties)
    if len(obj.type_names) + len(property_names) > _REMEMBERED_NAMES:
        return _kind_of(_Shape.of(obj))
    return _remembered_kind(obj.type_names, property_names)


@lru_cache(maxsize=256)
def _remembered_kind(
    type_names: tuple[str, ...], property_names: tuple[str, ...]
) -> ObjectKind | None:
    """`classify`, remembered by what it reads: the type names and property names.

    Every object of one cmdlet's export has the same types and properties, so an
    estate's thousands of objects come in a few dozen shapes, each matched against
    the kinds once. Entries and their sizes are bounded, so that hostile exports with
    ever new names cannot make the memory grow.
    """
    return _kind_of(_Shape.of_names(type_names, property_names))


def _kind_of(shape: _Shape) -> ObjectKind | None:
    """Return the first kind, in `OBJECT_KINDS` order, that an object of `shape` is."""
    for kind in OBJECT_KINDS:
        if kind.matches_shape(shape):
            return kind
    return None


def sniff_clixml(source: Source) -> bool:
    """Recognise a CLIXML file by its root element `Objs` in the PowerShell namespace."""
    signature = root_signature(source.head)
    return signature is not None and signature == ("Objs", CLIXML_NAMESPACE)


def load_clixml(source: Source, ctx: LoadContext) -> LoadResult:
    """Read a CLIXML export and turn the objects s2slint knows into model records."""
    try:
        document = read_clixml(XmlDocument.parse(source))
    except XmlRejected as rejected:
        return LoadResult("clixml", problems=(rejected.problem,))
    return records_from_objects("clixml", distinct_objects(document), source, document.problems)


def distinct_objects(document: ClixmlDocument) -> list[PSObject]:
    """Return the top-level objects of a CLIXML document, each once, in order.

    PowerShell writes an object met a second time as a `<Ref>` to the first: it is the
    same object, so it is counted once. Thousands of references to one object would
    otherwise become thousands of records, and every rule comparing or listing them
    would multiply a small file into gigabytes.
    """
    seen: set[int] = set()
    objects: list[PSObject] = []
    for value in document.objects:
        obj = value.value
        if isinstance(obj, PSObject) and id(obj) not in seen:
            seen.add(id(obj))
            objects.append(obj)
    return objects


def records_from_objects(
    form: str,
    objects: Sequence[PSObject],
    source: Source,
    problems: Iterable[InputProblem] = (),
) -> LoadResult:
    """Recognise each object and build its records; shared by CLIXML, JSON and CSV.

    The result's kind names the form and the cmdlets recognised
    (`clixml:lync-oauth-configuration`); a file none of whose objects is known is
    reported as INP002 rather than silently skipped.
    """
    records: list[object] = []
    found: list[InputProblem] = list(problems)
    kinds: list[str] = []
    unknown_types: list[str] = []
    for obj in objects:
        kind = classify(obj)
        if kind is None:
            unknown_types.append(obj.type_names[0] if obj.type_names else "(no type name)")
            continue
        if kind.name not in kinds:
            kinds.append(kind.name)
        for item in kind.build(obj, source):
            if isinstance(item, InputProblem):
                found.append(item)
            else:
                records.append(item)
    if not kinds:
        found.append(_unrecognized(source, len(objects), unknown_types, form))
        return LoadResult(form, records=(), problems=tuple(found))
    found.extend(server_name_problems(records, source))
    return LoadResult(f"{form}:" + "+".join(kinds), tuple(merge_dns_zones(records)), tuple(found))


def _unrecognized(source: Source, count: int, unknown_types: list[str], form: str) -> InputProblem:
    """Describe an export none of whose objects s2slint uses."""
    location: Location = source.location(1, 1)
    label = {"clixml": "CLIXML", "json": "JSON", "csv": "CSV"}.get(form, form)
    if not count:
        return InputProblem("INP002", f"{label} export holds no objects", location)
    names = sorted(set(unknown_types))
    shown = ", ".join(f'"{name}"' for name in names[:3]) + (" ..." if len(names) > 3 else "")
    return InputProblem(
        "INP002",
        f"{label} export of objects s2slint does not read (types {shown})",
        location,
    )
