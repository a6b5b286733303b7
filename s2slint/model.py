"""The typed model every rule reads: what the exports of a bundle say, with locations.

Loaders turn files into records (the dataclasses below); the engine gathers them into
one `Model`. Nothing here imports a parser, so rules and plugins stay cheap to import.
A property an export does not carry is `None` ("unknown"), never a default value:
rules must not pass what they could not see.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from operator import attrgetter, gt
from typing import Generic, TypeVar

from s2slint.findings import Location
from s2slint.inputfiles import InputFile

T = TypeVar("T")

EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000"
SHAREPOINT_APP_ID = "00000003-0000-0ff1-ce00-000000000000"
LYNC_APP_ID = "00000004-0000-0ff1-ce00-000000000000"


@dataclass(frozen=True, slots=True)
class Located(Generic[T]):
    """A value and the place in an export where it was read.

    The place is held inline (the fields of a `Location`) rather than as a `Location`
    of its own: a large estate reads tens of thousands of values, and one object per
    value instead of two halves what loading builds and what the per-file cache
    decodes. Rules read `loc`, which gives the equal `Location` when asked; build one
    from a value and a `Location` with `Located.at`.
    """

    value: T
    path: str
    line: int | None = None
    column: int | None = None
    pointer: str | None = None

    @classmethod
    def at(cls, value: T, loc: Location) -> Located[T]:
        """Return `value` located at `loc`."""
        return cls(value, loc.path, loc.line, loc.column, loc.pointer)

    @property
    def loc(self) -> Location:
        """Return where the value was read (a new, equal `Location` on every call)."""
        return Location(self.path, self.line, self.column, self.pointer)


def normalize_thumbprint(text: str) -> str:
    """Return a thumbprint in the canonical form: upper-case hex, no separators.

    Administrators paste thumbprints in lower case, with spaces or colons; the
    certificate is the same.
    """
    if _HEX_DIGITS.issuperset(text):  # nearly always: hex digits alone, in either case
        return text.upper()
    return _NOT_HEX.sub("", text).upper()


_HEX_DIGITS = frozenset("0123456789ABCDEFabcdef")
_NOT_HEX = re.compile(r"[^0-9A-Fa-f]")


def normalize_fqdn(text: str) -> str:
    """Return a host name as DNS compares it: lower case, no trailing dot, IDNA-mapped.

    Names that are not plain ASCII are mapped the way resolvers do (IDNA with UTS #46
    mapping): a fullwidth dot (U+FF0E) is a dot and a zero-width space (U+200B) is
    nothing, so a name written with them is the server it spells and is compared as
    such. A name that stays international after mapping (a Cyrillic U+0430 among
    Latin letters) is given in its ASCII form (`xn--...`), which names another
    host and shows that it does; `host_name_problem` says why it names no server.
    ASCII names, all a genuine export holds, only lose case and the trailing dot.
    """
    text = text.strip()
    if text.isascii():
        return text.rstrip(".").lower()
    return _international(text)


@lru_cache(maxsize=4096)
def _international(text: str) -> str:
    """Map a non-ASCII host name with IDNA/UTS #46; one that cannot be mapped stays as is."""
    import idna

    try:
        mapped = idna.uts46_remap(text, std3_rules=False, transitional=False)
    except (idna.IDNAError, ValueError):
        return text.rstrip(".").lower()
    mapped = mapped.rstrip(".")
    if mapped.isascii():
        return mapped.lower()
    try:
        return idna.encode(mapped, uts46=False).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return mapped.lower()


_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST_NAME = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}")


def host_name_problem(text: str) -> str | None:
    """Return why `text` cannot be a server's host name, or None if it can.

    The name is first normalised as DNS would (`normalize_fqdn`); what remains wrong
    is a character no host name has (a space, a slash), an empty or over-long label,
    or letters outside ASCII that only look like ASCII ones: Windows server names are
    ASCII, so such a name names no server of the topology, whatever it looks like.
    Underscores are accepted, as Windows accepts them in computer names.
    """
    if text.isascii():
        # Every server of an estate is checked; a plain name passes in one match, which
        # checks each label as `_host_name_problem` does.
        name = normalize_fqdn(text)
        if len(name) <= 253 and "xn--" not in name and _HOST_NAME.fullmatch(name):
            return None
    return _host_name_problem(text)


def _host_name_problem(text: str) -> str | None:
    """`host_name_problem`, label by label, saying what is wrong."""
    name = normalize_fqdn(text)
    if not name:
        return "it is empty"
    foreign = sorted({char for char in _visible_mapping(text) if not char.isascii()})
    if foreign or any(label.startswith("xn--") for label in name.split(".")):
        return (
            f"it holds {_describe(foreign) if foreign else 'an internationalised label'}; "
            "server names are ASCII, so it names no server even where it looks like one"
        )
    if len(name) > 253:
        return f"it is {len(name)} characters long (at most 253)"
    for label in name.split("."):
        if not label:
            return "it has an empty label (two dots in a row, or a leading dot)"
        if len(label) > 63:
            return f'its label "{label[:20]}..." is {len(label)} characters long (at most 63)'
        if not re.fullmatch(_LABEL, label):
            bad = sorted({char for char in label if not (char.isalnum() or char in "-_")})
            shown = ", ".join(repr(char) for char in bad) or "a leading or trailing hyphen"
            return f"it holds characters no host name has ({shown})"
    return None


def _visible_mapping(text: str) -> str:
    """Return `text` as UTS #46 maps it (what is left of it), or as is if it cannot."""
    if text.isascii():
        return text
    import idna

    try:
        return str(idna.uts46_remap(text.strip(), std3_rules=False, transitional=False))
    except (idna.IDNAError, ValueError):
        return text


def _describe(chars: list[str]) -> str:
    """Name characters for a message: `U+0430 CYRILLIC SMALL LETTER A`."""
    import unicodedata

    shown = [f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')}" for char in chars[:5]]
    more = f" and {len(chars) - 5} more" if len(chars) > 5 else ""
    return ", ".join(shown) + more


# --------------------------------------------------------------------------- inputs


# ------------------------------------------------------------------------- topology


@dataclass(frozen=True, slots=True)
class Machine:
    """A server of a pool; single-machine clusters name it by the cluster FQDN."""

    fqdn: Located[str]


@dataclass(frozen=True, slots=True)
class Pool:
    """A topology cluster with the service roles installed on it."""

    fqdn: Located[str]
    site: str | None
    machines: tuple[Machine, ...]
    roles: tuple[str, ...]

    @property
    def is_front_end(self) -> bool:
        """Tell whether this pool's machines are OAuth servers (catalogue v2).

        Front End pools and Standard Edition servers (UserServices installed) and
        Director pools (Registrar *and* WebServices) issue and accept OAuth tokens and
        must carry the OAuthTokenIssuer certificate. A Survivable Branch Appliance or
        Server (Registrar and Mediation, no WebServices), an Edge, Mediation, SQL,
        file-store or Office Web Apps cluster is not one.
        """
        return "UserServices" in self.roles or self.is_director

    @property
    def is_director(self) -> bool:
        """Tell whether this is a Director pool: Registrar and WebServices, no UserServices."""
        return (
            "UserServices" not in self.roles
            and "Registrar" in self.roles
            and "WebServices" in self.roles
        )

    @property
    def is_branch_appliance(self) -> bool:
        """Tell whether this is a Survivable Branch Appliance/Server: Registrar, no WebServices."""
        return (
            "UserServices" not in self.roles
            and "Registrar" in self.roles
            and "WebServices" not in self.roles
        )


@dataclass(frozen=True, slots=True)
class Topology:
    """A Lync/Skype for Business topology (published XML or Topology Builder file)."""

    form: str  # "published" or "topology-builder"
    loc: Location
    default_domain: Located[str] | None
    sip_domains: tuple[Located[str], ...]
    sites: tuple[str, ...]
    pools: tuple[Pool, ...]


# ---------------------------------------------------------------------- Lync OAuth


@dataclass(frozen=True, slots=True)
class OAuthConfiguration:
    """`Get-CsOAuthConfiguration`: the single global OAuth settings of Lync."""

    loc: Location
    identity: Located[str] | None
    exchange_autodiscover_url: Located[str] | None
    realm: Located[str] | None
    service_name: Located[str] | None
    client_authorization_oauth_server_identity: Located[str] | None = None


@dataclass(frozen=True, slots=True)
class LyncPartnerApplication:
    """`Get-CsPartnerApplication`: an application Lync trusts (Exchange, SharePoint)."""

    loc: Location
    identity: Located[str] | None
    application_identifier: Located[str] | None
    application_trust_level: Located[str] | None
    metadata_url: Located[str] | None
    enabled: Located[bool] | None
    realm: Located[str] | None
    auth_token: Located[str] | None = None
    use_oauth_server: Located[bool] | None = None

    @property
    def uses_oauth_server(self) -> bool | None:
        """Tell whether Lync trusts this application through an OAuth server (hybrid/online).

        True when the export shows `AuthToken` = `UseOAuthServer` (an application made
        with `-UseOAuthServer`) or a `UseOAuthServer` property that is True; False when it
        has a metadata URL (`MetadataUrl`, or `AuthToken` = `Value=<url>`); None when the
        export does not say.
        """
        token = self.auth_token.value.strip().lower() if self.auth_token is not None else ""
        if token == "useoauthserver":
            return True
        if self.use_oauth_server is not None and self.use_oauth_server.value:
            return True
        if self.metadata_url is not None and self.metadata_url.value:
            return False
        if self.use_oauth_server is not None:
            return False
        return None

    @property
    def name(self) -> str:
        """Return the identity, or the application identifier, for messages."""
        if self.identity is not None and self.identity.value:
            return self.identity.value
        if self.application_identifier is not None:
            return self.application_identifier.value
        return "(unnamed)"

    @property
    def product(self) -> str | None:
        """Tell which product the application stands for: "exchange", "sharepoint" or None.

        Decided by the well-known identifier, then the identity, then the shape of the
        metadata URL (Exchange publishes it under /autodiscover/, SharePoint under
        /_layouts/).
        """
        app_id = (self.application_identifier.value if self.application_identifier else "").lower()
        if app_id == EXCHANGE_APP_ID:
            return "exchange"
        if app_id == SHAREPOINT_APP_ID:
            return "sharepoint"
        ident = (self.identity.value if self.identity else "").lower()
        if "exchange" in ident:
            return "exchange"
        if "sharepoint" in ident:
            return "sharepoint"
        url = (self.metadata_url.value if self.metadata_url else "").lower()
        if "/autodiscover/metadata/" in url:
            return "exchange"
        if "/_layouts/" in url or "jsonmetadata.ashx" in url:
            return "sharepoint"
        return None


@dataclass(frozen=True, slots=True)
class CsCertificate:
    """One entry of `Get-CsCertificate`: a certificate assigned to a use on a server.

    `server` is the Front End the export belongs to (from `PSComputerName`, else a
    folder of the bundle named after the server); `None` when it cannot be told.
    """

    loc: Location
    use: Located[str] | None
    thumbprint: Located[str] | None
    subject: Located[str] | None
    issuer: Located[str] | None
    not_before: Located[datetime] | None
    not_after: Located[datetime] | None
    alternative_names: tuple[str, ...] | None  # None: not exported (or a CSV placeholder)
    effective_date: Located[datetime] | None
    computer_name: Located[str] | None
    source_dirs: tuple[str, ...]
    server: str | None = None

    @property
    def is_oauth(self) -> bool:
        """Tell whether this is the OAuthTokenIssuer assignment."""
        return self.use is not None and self.use.value.lower() == "oauthtokenissuer"

    def attributed(self, server: str | None) -> CsCertificate:
        """Return this entry as exported from `server` (`Model.build` names it).

        `dataclasses.replace`, written out: it inspects the fields on every call, and an
        estate's model attributes tens of thousands of entries.
        """
        return CsCertificate(
            self.loc,
            self.use,
            self.thumbprint,
            self.subject,
            self.issuer,
            self.not_before,
            self.not_after,
            self.alternative_names,
            self.effective_date,
            self.computer_name,
            self.source_dirs,
            server,
        )


# ---------------------------------------------------------------------- certificates


@dataclass(frozen=True, slots=True)
class Certificate:
    """A decoded X.509 certificate from a file or an export's `RawData`."""

    loc: Location
    origin: str  # "pem", "der", "pkcs7", "pkcs12", "clixml"
    thumbprint: str
    subject: str
    issuer: str
    serial_number: str
    not_before: datetime
    not_after: datetime
    key_type: str  # "RSA", "DSA", "EC", "Ed25519", "Ed448", or "unknown"
    key_bits: int | None
    signature_hash: str | None  # "sha256", "sha1", "md5", ... (None if unknown)
    dns_names: tuple[str, ...]
    key_usage_digital_signature: bool | None  # None: no KeyUsage extension
    has_private_key: bool
    private_key_matches: bool | None  # None when there is no key to compare
    server: str | None = None


@dataclass(frozen=True, slots=True)
class EmbeddedCertificate:
    """A certificate held *inside* another export's object, as that object holds it.

    SharePoint's trusted issuers and its token service carry their signing certificate,
    Exchange's partner applications the certificates they last read from a partner's
    metadata (`CertificateStrings`). What the export shows is kept: the thumbprint
    always, the subject and dates when serialised, and the decoded certificate when the
    export carried its bytes (`RawData`, base64 DER). These are the other side's copies
    of a certificate, not certificate evidence of the bundle: they are kept here, out of
    `Model.certificates`, so that a stale copy is never mistaken for the one deployed.
    """

    loc: Location
    thumbprint: str
    subject: str | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None
    decoded: Certificate | None = None


# ------------------------------------------------------------------------------ DNS


@dataclass(frozen=True, slots=True)
class DnsRecord:
    """One resource record of a zone export; `name` is absolute, lower case, no dot."""

    name: str
    rtype: str
    data: str
    loc: Location


@dataclass(frozen=True, slots=True)
class DnsZone:
    """A zone export (a zone file, `dnscmd /ZoneExport`, DNS cmdlet output) and its records.

    The records are held as columns: record `i` is `names[i]`, `rtypes[i]`, `data[i]`,
    written on `lines[i]` of the zone's file (`loc.path`). An estate's zone holds tens of
    thousands of records, and one `DnsRecord` and `Location` each made its cache entry
    twice as large and ten times as slow to read back as these columns of plain
    values. Rules never read the columns: `lookup` and `records` make `DnsRecord`s
    (with their full locations) on demand. Build a zone from records with `from_records`.

    The records are ordered by name, so that a name's records are found by bisection
    without an index to build; a zone whose columns differ in length or whose names
    are out of order cannot be made (a damaged cache entry is then a miss).
    """

    origin: str
    loc: Location
    names: tuple[str, ...] = ()
    rtypes: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    lines: tuple[int | None, ...] = ()
    """The line of each record: where its owner and type were first written (None: unknown).

    dnspython merges the records of a name and type into one set and the rules report
    the set, so a record is located at column 1 of that line, its pointer `name/type`.
    """
    places: tuple[Location, ...] = ()
    """Each record's own location, where `lines` cannot say it; empty for zone files.

    Records read from a PowerShell export sit at their object's `HostName` element.
    """

    def __post_init__(self) -> None:
        count = len(self.names)
        if not (len(self.rtypes) == len(self.data) == len(self.lines) == count):
            raise ValueError("the columns of a zone's records differ in length")
        if len(self.places) not in (0, count):
            raise ValueError("a zone's record locations do not match its records")
        if any(map(gt, self.names, self.names[1:])):
            raise ValueError("a zone's records are not ordered by name")

    @classmethod
    def from_records(cls, origin: str, loc: Location, records: Iterable[DnsRecord]) -> DnsZone:
        """Return the zone of `records`, ordered by name (a name's records keep their order).

        Locations a zone file would give (its path, the record's line, column 1, pointer
        `name/type`) are kept as lines; any other keeps each record's own location.
        """
        ordered = sorted(records, key=attrgetter("name"))
        zone = cls(
            origin,
            loc,
            tuple(r.name for r in ordered),
            tuple(r.rtype for r in ordered),
            tuple(r.data for r in ordered),
            tuple(r.loc.line for r in ordered),
        )
        if zone.records != tuple(ordered):
            zone = replace(zone, places=tuple(r.loc for r in ordered))
        return zone

    @property
    def records(self) -> tuple[DnsRecord, ...]:
        """Return every record of the zone, in order (made on each call: a zone is large)."""
        return tuple(map(self._record, range(len(self.names))))

    def covers(self, host: str) -> bool:
        """Tell whether `host` lies inside this zone."""
        host = normalize_fqdn(host)
        return host == self.origin or host.endswith("." + self.origin)

    def lookup(self, host: str, rtypes: Iterable[str]) -> tuple[DnsRecord, ...]:
        """Return the records of `host` of the given types, wildcards included.

        A name with records, even none of the wanted types, hides the wildcard (as in DNS).
        """
        host = normalize_fqdn(host)
        wanted = set(rtypes)
        named = self._named(host)
        if not named:
            named = self._named("*." + host.partition(".")[2])
        return tuple(self._record(i) for i in named if self.rtypes[i] in wanted)

    def _named(self, name: str) -> range:
        """Return the positions of `name`'s records (empty if it has none)."""
        start = bisect_left(self.names, name)
        return range(start, bisect_right(self.names, name, start))

    def _record(self, index: int) -> DnsRecord:
        """Make record `index`, with the location its zone file gives it."""
        name, rtype = self.names[index], self.rtypes[index]
        if self.places:
            loc = self.places[index]
        else:
            line = self.lines[index]
            loc = Location(self.loc.path, line, None if line is None else 1, f"{name}/{rtype}")
        return DnsRecord(name, rtype, self.data[index], loc)


@dataclass(frozen=True, slots=True)
class LiveDnsAnswer:
    """What a live DNS lookup (`--dns live`) said about one host, and which server said it.

    `status` is "ok", "nxdomain" or "nodata" (real answers), or "timeout", "servfail",
    "refused" or "failed" (the record is unproven, never reported missing).
    """

    host: str
    status: str
    chain: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    server: str = ""
    detail: str = ""

    @property
    def exists(self) -> bool:
        """Tell whether the host has an A, AAAA or CNAME record."""
        return self.status == "ok"

    @property
    def unproven(self) -> bool:
        """Tell whether the lookup failed without an answer (DNS004, not "missing")."""
        return self.status in ("timeout", "servfail", "refused", "failed")


# ------------------------------------------------------------------------- Exchange


@dataclass(frozen=True, slots=True)
class ExchangeAuthConfig:
    """`Get-AuthConfig`: the Exchange Auth certificate thumbprints and service name."""

    loc: Location
    current_thumbprint: Located[str] | None
    previous_thumbprint: Located[str] | None
    next_thumbprint: Located[str] | None
    next_effective_date: Located[datetime] | None
    service_name: Located[str] | None
    realm: Located[str] | None


@dataclass(frozen=True, slots=True)
class ExchangePartnerApplication:
    """`Get-PartnerApplication`: an application Exchange trusts (Lync, Exchange Online)."""

    loc: Location
    name: Located[str] | None
    application_identifier: Located[str] | None
    auth_metadata_url: Located[str] | None
    realm: Located[str] | None
    enabled: Located[bool] | None
    use_auth_server: Located[bool] | None
    certificates: tuple[EmbeddedCertificate, ...] | None = None
    """`CertificateStrings` decoded: what Exchange last read from the partner's metadata.

    `None` when the export does not carry the property (unknown), `()` for an empty list.
    """


@dataclass(frozen=True, slots=True)
class ExchangeServer:
    """`Get-ExchangeServer`: a server of the Exchange organisation."""

    loc: Location
    name: Located[str]
    fqdn: Located[str] | None
    roles: tuple[str, ...]
    admin_display_version: Located[str] | None = None
    """`AdminDisplayVersion` as PowerShell shows it ("Version 15.2 (Build 1544.4)")."""


@dataclass(frozen=True, slots=True)
class ClientAccessService:
    """`Get-ClientAccessService`: a server's Autodiscover internal URI."""

    loc: Location
    name: Located[str] | None
    autodiscover_internal_uri: Located[str] | None


@dataclass(frozen=True, slots=True)
class ExchangeAuthServer:
    """`Get-AuthServer`: an authorization server Exchange trusts (ACS, Azure AD, ADFS)."""

    loc: Location
    name: Located[str] | None
    issuer_identifier: Located[str] | None
    token_issuing_endpoint: Located[str] | None
    auth_metadata_url: Located[str] | None
    enabled: Located[bool] | None
    type: Located[str] | None
    realm: Located[str] | None


@dataclass(frozen=True, slots=True)
class HybridConfiguration:
    """`Get-HybridConfiguration`: Exchange's hybrid settings, last written by the wizard.

    `when_changed` is `WhenChangedUTC` (else `WhenChanged`): when the Hybrid
    Configuration Wizard last ran, which is also when it last published the Exchange
    Auth certificate to Microsoft 365.
    """

    loc: Location
    name: Located[str] | None
    when_changed: Located[datetime] | None
    features: tuple[str, ...] | None = None
    domains: tuple[str, ...] | None = None


# ------------------------------------------------------------------- SharePoint


def _realm_of(located: Located[str] | None) -> str | None:
    """Return the realm of an `<application id>@<realm>` name (None when it has none)."""
    if located is None or "@" not in located.value:
        return None
    return located.value.rpartition("@")[2].strip() or None


def _principal_of(located: Located[str] | None) -> str | None:
    """Return the application identifier of an `<application id>@<realm>` name."""
    if located is None or not located.value.strip():
        return None
    return located.value.partition("@")[0].strip().lower() or None


@dataclass(frozen=True, slots=True)
class SharePointTrustedIssuer:
    """`Get-SPTrustedSecurityTokenIssuer`: a token issuer the SharePoint farm trusts.

    Lync's issuer is made with `New-SPTrustedSecurityTokenIssuer -MetadataEndPoint
    https://<pool>/metadata/json/1 -IsTrustBroker`: SharePoint reads its
    `RegisteredIssuerName` (`00000004-0000-0ff1-ce00-000000000000@<realm>`) and signing
    certificate from that metadata. `signing_certificates` are `SigningCertificate`
    first, then `AdditionalSigningCertificates`; `None` when the export shows none.
    """

    loc: Location
    name: Located[str] | None
    registered_issuer_name: Located[str] | None
    metadata_endpoint: Located[str] | None
    is_self_issuer: Located[bool] | None
    signing_certificates: tuple[EmbeddedCertificate, ...] | None = None
    description: Located[str] | None = None

    @property
    def realm(self) -> str | None:
        """The realm part of `RegisteredIssuerName` (after `@`)."""
        return _realm_of(self.registered_issuer_name)

    @property
    def application_identifier(self) -> str | None:
        """The application part of `RegisteredIssuerName` (before `@`), lower case."""
        return _principal_of(self.registered_issuer_name)

    @property
    def title(self) -> str:
        """Name the issuer for messages: its `Name`, else its registered issuer name."""
        if self.name is not None and self.name.value:
            return self.name.value
        if self.registered_issuer_name is not None and self.registered_issuer_name.value:
            return self.registered_issuer_name.value
        return "(unnamed)"


@dataclass(frozen=True, slots=True)
class SharePointStsConfig:
    """`Get-SPSecurityTokenServiceConfig`: the SharePoint farm's security token service."""

    loc: Location
    name_identifier: Located[str] | None
    allow_oauth_over_http: Located[bool] | None
    allow_metadata_over_http: Located[bool] | None
    signing_certificate: EmbeddedCertificate | None = None

    @property
    def realm(self) -> str | None:
        """SharePoint's authentication realm: the part of `NameIdentifier` after `@`."""
        return _realm_of(self.name_identifier)


# ------------------------------------------------------------- Lync: other settings


@dataclass(frozen=True, slots=True)
class LyncOAuthServer:
    """`Get-CsOAuthServer`: an OAuth server Lync trusts (`microsoft.sts`, `evoSTS`)."""

    loc: Location
    identity: Located[str] | None
    metadata_url: Located[str] | None
    realm: Located[str] | None
    type: Located[str] | None


@dataclass(frozen=True, slots=True)
class UserServicesPolicy:
    """`Get-CsUserServicesPolicy`: whether the unified contact store is allowed."""

    loc: Location
    identity: Located[str] | None
    ucs_allowed: Located[bool] | None


@dataclass(frozen=True, slots=True)
class ArchivingConfiguration:
    """`Get-CsArchivingConfiguration`: whether Lync archives into Exchange mailboxes."""

    loc: Location
    identity: Located[str] | None
    enable_exchange_archiving: Located[bool] | None
    enable_archiving: Located[str] | None = None
    """`EnableArchiving`: None, ImOnly or ImAndWebConf; `None` means nothing is archived."""


@dataclass(frozen=True, slots=True)
class OtherRecord:
    """A recognised object s2slint reads but no built-in rule uses yet (kept as seen)."""

    kind: str
    loc: Location


# ---------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Model:
    """Everything a bundle's exports say, grouped by kind, for rules to read."""

    files: tuple[InputFile, ...] = ()
    topologies: tuple[Topology, ...] = ()
    oauth_configurations: tuple[OAuthConfiguration, ...] = ()
    lync_partner_applications: tuple[LyncPartnerApplication, ...] = ()
    cs_certificates: tuple[CsCertificate, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    dns_zones: tuple[DnsZone, ...] = ()
    exchange_auth_configs: tuple[ExchangeAuthConfig, ...] = ()
    exchange_partner_applications: tuple[ExchangePartnerApplication, ...] = ()
    exchange_servers: tuple[ExchangeServer, ...] = ()
    client_access_services: tuple[ClientAccessService, ...] = ()
    exchange_auth_servers: tuple[ExchangeAuthServer, ...] = ()
    lync_oauth_servers: tuple[LyncOAuthServer, ...] = ()
    user_services_policies: tuple[UserServicesPolicy, ...] = ()
    archiving_configurations: tuple[ArchivingConfiguration, ...] = ()
    hybrid_configurations: tuple[HybridConfiguration, ...] = ()
    sharepoint_issuers: tuple[SharePointTrustedIssuer, ...] = ()
    sharepoint_sts_configs: tuple[SharePointStsConfig, ...] = ()
    live_dns: tuple[LiveDnsAnswer, ...] = ()
    dns_mode: str = "offline"  # "offline", "live" or "off"
    extras: tuple[object, ...] = field(default=())

    @classmethod
    def build(cls, files: Iterable[InputFile], records: Iterable[object]) -> Model:
        """Group loader records by kind and attribute per-server exports to servers."""
        buckets: dict[str, list[object]] = {name: [] for name in _BUCKETS.values()}
        extras: list[object] = []
        for record in records:
            bucket = _BUCKETS.get(type(record))
            if bucket is None:
                extras.append(record)
            else:
                buckets[bucket].append(record)
        model = cls(
            files=tuple(files),
            extras=tuple(extras),
            **{name: tuple(items) for name, items in buckets.items()},  # type: ignore[arg-type]
        )
        return replace(model, cs_certificates=tuple(_attribute(model, model.cs_certificates)))

    # -- derived views -------------------------------------------------------------

    @property
    def default_sip_domain(self) -> Located[str] | None:
        """Return the topology's default SIP domain, if any topology says it."""
        for topology in self.topologies:
            if topology.default_domain is not None and topology.default_domain.value:
                return topology.default_domain
        return None

    def pools(self) -> Iterator[Pool]:
        """Yield every pool of every topology in the bundle."""
        for topology in self.topologies:
            yield from topology.pools

    def front_end_servers(self) -> dict[str, Machine]:
        """Return the OAuth servers (Front End and Director machines) by lower-case FQDN.

        In topology order; see `Pool.is_front_end` for which pools count.
        """
        servers: dict[str, Machine] = {}
        for pool in self.pools():
            if pool.is_front_end:
                for machine in pool.machines:
                    servers.setdefault(normalize_fqdn(machine.fqdn.value), machine)
        return servers

    def pool_fqdns(self) -> set[str]:
        """Return the lower-case FQDN of every pool (cluster) in the topology."""
        return {normalize_fqdn(pool.fqdn.value) for pool in self.pools()}

    def sip_domains(self) -> tuple[Located[str], ...]:
        """Return every SIP domain of the topology (default first when known)."""
        domains: list[Located[str]] = []
        for topology in self.topologies:
            domains.extend(topology.sip_domains)
        return tuple(domains)

    def live_answer(self, host: str) -> LiveDnsAnswer | None:
        """Return the live DNS answer for `host`, if `--dns live` asked about it."""
        wanted = normalize_fqdn(host)
        return next((a for a in self.live_dns if a.host == wanted), None)

    def known_server_names(self) -> dict[str, str]:
        """Map every topology machine FQDN and its first label to the FQDN."""
        names: dict[str, str] = {}
        for pool in self.pools():
            for machine in pool.machines:
                fqdn = normalize_fqdn(machine.fqdn.value)
                names.setdefault(fqdn, fqdn)
                names.setdefault(fqdn.split(".")[0], fqdn)
        return names


MODEL_TYPES: tuple[type, ...] = (
    Located,
    InputFile,
    Machine,
    Pool,
    Topology,
    OAuthConfiguration,
    LyncPartnerApplication,
    CsCertificate,
    Certificate,
    EmbeddedCertificate,
    DnsRecord,
    DnsZone,
    LiveDnsAnswer,
    ExchangeAuthConfig,
    ExchangePartnerApplication,
    ExchangeServer,
    ClientAccessService,
    ExchangeAuthServer,
    LyncOAuthServer,
    UserServicesPolicy,
    ArchivingConfiguration,
    HybridConfiguration,
    SharePointTrustedIssuer,
    SharePointStsConfig,
    OtherRecord,
)
"""Every dataclass a loader may produce (for serialisers such as the cache)."""

_BUCKETS: dict[type, str] = {
    Topology: "topologies",
    OAuthConfiguration: "oauth_configurations",
    LyncPartnerApplication: "lync_partner_applications",
    CsCertificate: "cs_certificates",
    Certificate: "certificates",
    DnsZone: "dns_zones",
    ExchangeAuthConfig: "exchange_auth_configs",
    ExchangePartnerApplication: "exchange_partner_applications",
    ExchangeServer: "exchange_servers",
    ClientAccessService: "client_access_services",
    ExchangeAuthServer: "exchange_auth_servers",
    LyncOAuthServer: "lync_oauth_servers",
    UserServicesPolicy: "user_services_policies",
    ArchivingConfiguration: "archiving_configurations",
    HybridConfiguration: "hybrid_configurations",
    SharePointTrustedIssuer: "sharepoint_issuers",
    SharePointStsConfig: "sharepoint_sts_configs",
}


def _attribute(model: Model, entries: Iterable[CsCertificate]) -> Iterator[CsCertificate]:
    """Name the server each `Get-CsCertificate` entry came from.

    `PSComputerName` wins (a short name is expanded through the topology); else a
    folder of the bundle whose name is a topology server's FQDN.
    """
    names = model.known_server_names()
    named: dict[str, str] = {}  # each server's entries carry the same PSComputerName
    for entry in entries:
        server: str | None = None
        if entry.computer_name is not None and entry.computer_name.value.strip():
            written = entry.computer_name.value
            server = named.get(written)
            if server is None:
                raw = normalize_fqdn(written)
                server = named[written] = names.get(raw, raw)
        else:
            for folder in reversed(entry.source_dirs):
                name = normalize_fqdn(folder)
                if name in names and "." in name:
                    server = names[name]
                    break
        yield entry.attributed(server)
