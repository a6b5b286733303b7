"""CRT: the OAuthTokenIssuer certificate of Lync and the Exchange Auth certificate.

"In scope" are the Lync OAuthTokenIssuer certificate(s) named by `Get-CsCertificate`
(the one in force, and a roll waiting for its `EffectiveDate`) and the Exchange Auth
certificate(s) named by `Get-AuthConfig` (current and next); other certificate uses
(Default, WebServices...) are not. Each in-scope thumbprint is gathered once with every
copy of its certificate in the bundle (a .cer and a .pfx, the same certificate on several
Exchange servers), so a problem is reported once with the other copies as `related`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from s2slint.findings import Issue, Location, Severity
from s2slint.model import (
    Certificate,
    CsCertificate,
    ExchangeServer,
    Located,
    Model,
    normalize_fqdn,
    normalize_thumbprint,
)
from s2slint.rule import (
    Evaluated,
    NotEvaluated,
    Outcome,
    Rule,
    RuleContext,
    RuleDoc,
    evaluated,
    not_evaluated,
)

from ._shared import references as ref
from ._shared.integration import oauth_entries_by_server

T = TypeVar("T")

OAUTH = "OAuthTokenIssuer"
EXCHANGE_AUTH = "Exchange Auth"
CURRENT = "current"
NEXT = "next"

# Certificate origins that are files of the bundle; anything else came from an export
# (Get-ExchangeCertificate RawData or properties).
_FILE_ORIGINS = frozenset({"pem", "der", "pkcs7", "pkcs12"})
_WEAK_HASHES = {"md5": "MD5", "sha1": "SHA-1"}
_ROLL_MARGIN = timedelta(hours=24)

# Articles these rules rest on besides the shared ones in `references`.


# ------------------------------------------------------------------ shared helpers


def _utc(moment: datetime) -> datetime:
    """Return `moment` with a time zone (a naive value is taken as UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _when(moment: datetime) -> str:
    """Format a date for messages: `2028-01-15 14:00 UTC`."""
    return f"{_utc(moment).astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _thumbprint_of(located: Located[str] | None) -> str:
    """Return a located thumbprint in canonical form ("" when absent or empty)."""
    return normalize_thumbprint(located.value) if located is not None else ""


@dataclass(frozen=True, slots=True)
class ScopedCertificate:
    """A certificate the S2S rules look at, with every copy the bundle holds of it.

    `stage` is "current" (in force) or "next" (a Lync roll before its effective date,
    or Exchange's `NextCertificateThumbprint`). `named_at` are the places that name the
    thumbprint (assignments, AuthConfig), `copies` the decoded certificates with that
    thumbprint (files and Exchange exports, in location order), `assignments` the
    `Get-CsCertificate` entries that assign it.
    """

    thumbprint: str
    role: str
    stage: str
    source: str
    named_at: tuple[Location, ...]
    copies: tuple[Certificate, ...]
    assignments: tuple[CsCertificate, ...]

    @property
    def title(self) -> str:
        """Name the certificate's role for messages ("rolled OAuthTokenIssuer certificate")."""
        if self.stage == NEXT:
            return ("rolled " if self.role == OAUTH else "next ") + f"{self.role} certificate"
        return f"{self.role} certificate"

    def describe(self) -> str:
        """Return the role, subject and thumbprint, for messages."""
        subject = self.copies[0].subject if self.copies else None
        if subject is None:
            subject = next((e.subject.value for e in self.assignments if e.subject), None)
        if subject:
            return f'{self.title} "{subject}" (thumbprint {self.thumbprint})'
        return f"{self.title} (thumbprint {self.thumbprint})"


@dataclass(slots=True)
class _Slot:
    """What `scoped_certificates` gathers about one thumbprint while reading."""

    role: str
    stage: str
    source: str
    named_at: list[Location] = field(default_factory=list)
    entries: list[CsCertificate] = field(default_factory=list)


def scoped_certificates(model: Model, now: datetime | None = None) -> list[ScopedCertificate]:
    """Return every in-scope certificate of the bundle, by thumbprint.

    Lync: every `Get-CsCertificate` OAuthTokenIssuer entry (any server, or global); an
    entry with an `EffectiveDate` after `now` is a roll ("next"). Exchange: AuthConfig
    `CurrentCertificateThumbprint` and `NextCertificateThumbprint`. A thumbprint that is
    current anywhere is current; the first role that names it wins.
    """
    slots: dict[str, _Slot] = {}

    def add(thumbprint: str, role: str, stage: str, source: str, loc: Location) -> _Slot:
        slot = slots.setdefault(thumbprint, _Slot(role, stage, source))
        if stage == CURRENT and slot.stage != CURRENT:
            slot.stage, slot.source = CURRENT, source
        slot.named_at.append(loc)
        return slot

    for entry in model.cs_certificates:
        thumbprint = _thumbprint_of(entry.thumbprint)
        if not entry.is_oauth or not thumbprint or entry.thumbprint is None:
            continue
        pending = entry.effective_date is not None and (
            now is None or _utc(entry.effective_date.value) > _utc(now)
        )
        stage = NEXT if pending else CURRENT
        source = "Get-CsCertificate OAuthTokenIssuer assignment"
        add(thumbprint, OAUTH, stage, source, entry.thumbprint.loc).entries.append(entry)
    for config in model.exchange_auth_configs:
        for located, stage, prop in (
            (config.current_thumbprint, CURRENT, "CurrentCertificateThumbprint"),
            (config.next_thumbprint, NEXT, "NextCertificateThumbprint"),
        ):
            thumbprint = _thumbprint_of(located)
            if thumbprint and located is not None:
                add(thumbprint, EXCHANGE_AUTH, stage, f"Get-AuthConfig {prop}", located.loc)

    copies: dict[str, list[Certificate]] = {}
    for certificate in model.certificates:
        copies.setdefault(normalize_thumbprint(certificate.thumbprint), []).append(certificate)
    scoped = [
        ScopedCertificate(
            thumbprint=thumbprint,
            role=slot.role,
            stage=slot.stage,
            source=slot.source,
            named_at=tuple(slot.named_at),
            copies=tuple(sorted(copies.get(thumbprint, ()), key=lambda c: c.loc.sort_key())),
            assignments=tuple(slot.entries),
        )
        for thumbprint, slot in slots.items()
    ]
    return sorted(scoped, key=lambda s: s.thumbprint)


def certificates_in_scope(model: Model) -> dict[str, str]:
    """Return the thumbprints of the certificates S2S rules look at, with their role.

    The Lync OAuthTokenIssuer assignment (any server, or global) and the Exchange
    AuthConfig current and next certificates; other certificate uses are not in scope.
    """
    return {s.thumbprint: s.role for s in scoped_certificates(model)}


def _has_certificate_files(model: Model) -> bool:
    """Tell whether the bundle holds certificate files (readable or not)."""
    return any(c.origin in _FILE_ORIGINS for c in model.certificates) or any(
        f.kind is not None and f.kind.startswith("certificate") for f in model.files
    )


def _has_certificate_exports(model: Model) -> bool:
    """Tell whether the bundle holds a certificate export (Get-ExchangeCertificate)."""
    return any(c.origin not in _FILE_ORIGINS for c in model.certificates) or any(
        f.kind is not None and "exchange-certificate" in f.kind for f in model.files
    )


def _unreadable_certificate_files(model: Model) -> bool:
    """Tell whether a certificate file yielded no certificate (a PFX without password)."""
    read = {c.loc.path for c in model.certificates}
    return any(
        f.kind is not None and f.kind.startswith("certificate") and f.path not in read
        for f in model.files
    )


_SCOPE_EVIDENCE = {
    OAUTH: "a Get-CsCertificate export (the OAuthTokenIssuer assignment)",
    EXCHANGE_AUTH: "a Get-AuthConfig export",
}
_CERTIFICATE_EVIDENCE = {
    OAUTH: "the OAuthTokenIssuer certificate as a file (.cer, .pfx, .p7b or PEM)",
    EXCHANGE_AUTH: "a Get-ExchangeCertificate export (or a certificate file) of the Exchange "
    "Auth certificate",
}


def in_scope(
    model: Model,
    ctx: RuleContext,
    roles: Iterable[str] = (OAUTH, EXCHANGE_AUTH),
    *,
    assignment_evidence: bool = False,
    exchange_export: bool = False,
) -> list[ScopedCertificate] | NotEvaluated:
    """Return the in-scope certificates of `roles` whose evidence kind is in the bundle.

    A role needs the export that names its certificates (Get-CsCertificate, Get-AuthConfig)
    and the certificates themselves: files for the Lync certificate, Exchange certificate
    exports or files for the Exchange one. With `assignment_evidence`, what
    `Get-CsCertificate` itself says (dates, subject, names) is evidence enough for Lync;
    with `exchange_export`, only a `Get-ExchangeCertificate` export is evidence for the
    Exchange certificate (whose home is Exchange's certificate store, not a file).
    Not evaluated only when no role has both kinds of export.
    """
    roles = tuple(roles)
    named = {OAUTH: bool(model.cs_certificates), EXCHANGE_AUTH: bool(model.exchange_auth_configs)}
    if not any(named[role] for role in roles):
        return not_evaluated(
            " or ".join(_SCOPE_EVIDENCE[role] for role in roles)
            + ", to know which certificates are in scope"
        )
    files = _has_certificate_files(model)
    evidence = {
        OAUTH: files or assignment_evidence,
        EXCHANGE_AUTH: _has_certificate_exports(model) or (files and not exchange_export),
    }
    ready = {role for role in roles if named[role] and evidence[role]}
    if not ready:
        wanted = dict(_CERTIFICATE_EVIDENCE)
        if exchange_export:
            wanted[EXCHANGE_AUTH] = (
                "a Get-ExchangeCertificate export of the Exchange Auth certificate"
            )
        return not_evaluated(" or ".join(wanted[role] for role in roles if named[role]))
    return [s for s in scoped_certificates(model, ctx.now) if s.role in ready]


@dataclass(frozen=True, slots=True)
class _Seen(Generic[T]):
    """A value read about an in-scope certificate, where, and the other copies of it."""

    value: T
    loc: Location
    related: tuple[Location, ...]


def _from_copies(
    item: ScopedCertificate, read: Callable[[Certificate], T | None]
) -> _Seen[T] | None:
    """Read a value from the first copy that has it; the other copies are related."""
    for copy in item.copies:
        value = read(copy)
        if value is not None:
            return _Seen(value, copy.loc, tuple(c.loc for c in item.copies if c is not copy))
    return None


def _from_assignments(
    item: ScopedCertificate, read: Callable[[CsCertificate], Located[T] | None]
) -> _Seen[T] | None:
    """Read a value from the `Get-CsCertificate` entries (when no copy is in the bundle)."""
    found = [located for entry in item.assignments if (located := read(entry)) is not None]
    if not found:
        return None
    return _Seen(found[0].value, found[0].loc, tuple(f.loc for f in found[1:]))


def _not_after(item: ScopedCertificate) -> _Seen[datetime] | None:
    """Return the certificate's NotAfter: from a copy, else from its assignment."""
    return _from_copies(item, lambda c: _utc(c.not_after)) or _from_assignments(
        item, lambda e: e.not_after
    )


def _not_before(item: ScopedCertificate) -> _Seen[datetime] | None:
    """Return the certificate's NotBefore: from a copy, else from its assignment."""
    return _from_copies(item, lambda c: _utc(c.not_before)) or _from_assignments(
        item, lambda e: e.not_before
    )


def _is_decoded(certificate: Certificate) -> bool:
    """Tell whether the certificate itself was decoded (not rebuilt from export properties).

    A `Get-ExchangeCertificate` export without `RawData` gives neither the key type nor
    the signature, nor the KeyUsage extension: what it does not show is unknown.
    """
    return not (certificate.key_type == "unknown" and certificate.signature_hash is None)


def _judge(
    items: Iterable[ScopedCertificate],
    read: Callable[[ScopedCertificate], _Seen[T] | None],
    problem: Callable[[ScopedCertificate, T], str | None],
    also: tuple[Location, ...] = (),
) -> Evaluated:
    """Read one value per certificate and report those `problem` finds fault with.

    Certificates whose value is unknown are not counted as checked. Each issue points
    at the copy read, with the other copies (and `also`) as related locations.
    """
    issues = []
    checked = 0
    for item in items:
        seen = read(item)
        if seen is None:
            continue
        checked += 1
        message = problem(item, seen.value)
        if message is not None:
            issues.append(
                Issue(
                    message,
                    seen.loc,
                    related=(*seen.related, *also),
                    key=f"certificate:{item.thumbprint}",
                )
            )
    return evaluated(issues, checked)


# ------------------------------------------------------------------------ checks


def check_oauth_cert_missing(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a bundle whose Get-CsCertificate exports assign no OAuthTokenIssuer certificate."""
    entries = model.cs_certificates
    if not entries:
        return not_evaluated("a Get-CsCertificate export (global, or of a Front End server)")
    exports = sorted({entry.loc.path for entry in entries})
    if any(entry.is_oauth and _thumbprint_of(entry.thumbprint) for entry in entries):
        return evaluated((), len(exports))
    servers = sorted({entry.server for entry in entries if entry.server})
    where = (
        "the Get-CsCertificate exports of " + ", ".join(servers)
        if servers
        else f"{len(exports)} Get-CsCertificate export(s)"
    )
    issue = Issue(
        "no OAuthTokenIssuer certificate is assigned (global or on any Front End): "
        f"{where} have no OAuthTokenIssuer entry",
        Location(exports[0]),
        related=tuple(Location(path) for path in exports[1:]),
        key="oauth-certificate:assignment",
    )
    return evaluated((issue,), len(exports))


def _oauth_thumbprint(entries: list[CsCertificate]) -> CsCertificate | None:
    """Return the OAuthTokenIssuer entry in force (not a roll that awaits its date)."""
    oauth = [e for e in entries if e.is_oauth and e.thumbprint is not None and e.thumbprint.value]
    current = [e for e in oauth if e.effective_date is None] or oauth
    return current[0] if current else None


def check_oauth_cert_inconsistent(model: Model, ctx: RuleContext) -> Outcome:
    """Compare the OAuthTokenIssuer thumbprint across the Front End servers."""
    servers = oauth_entries_by_server(model)
    if len(servers) < 2:
        return not_evaluated(
            "Get-CsCertificate exports attributed to at least two Front End servers "
            "(PSComputerName, or a folder named after the server)"
        )
    chosen = {server: _oauth_thumbprint(entries) for server, entries in sorted(servers.items())}
    prints = {
        server: normalize_thumbprint(entry.thumbprint.value) if entry and entry.thumbprint else None
        for server, entry in chosen.items()
    }
    if len(set(prints.values())) == 1 and None not in prints.values():
        return evaluated((), len(servers))
    counts = Counter(p for p in prints.values() if p is not None)
    majority = min(counts, key=lambda p: (-counts[p], p)) if counts else None

    def where(server: str) -> Location:
        entry = chosen[server]
        if entry is not None and entry.thumbprint is not None:
            return entry.thumbprint.loc
        return servers[server][0].loc

    deviating = [s for s, p in prints.items() if p != majority]
    listing = ", ".join(f'{s} "{p}"' if p else f"{s} (none)" for s, p in prints.items())
    issue = Issue(
        f"Front End servers do not all carry the same OAuthTokenIssuer certificate: {listing}",
        where(deviating[0]),
        related=tuple(where(s) for s in prints if s != deviating[0]),
        key="oauth-certificate:front-ends",
    )
    return evaluated((issue,), len(servers))


@dataclass(frozen=True)
class WeakKeyOptions:
    """Options of CRT003."""

    min_key_bits: int = field(
        default=2048, metadata={"doc": "smallest RSA or DSA key size accepted, in bits"}
    )


def check_weak_key(model: Model, ctx: RuleContext) -> Outcome:
    """Flag RSA/DSA keys under the configured size on in-scope certificates.

    A `Get-ExchangeCertificate` export without `RawData` names no key type, only its
    `PublicKeySize`; that size is checked all the same (Exchange keys are RSA).
    """
    options = ctx.options_as(WeakKeyOptions)
    items = in_scope(model, ctx)
    if isinstance(items, NotEvaluated):
        return items

    def key(certificate: Certificate) -> tuple[str, int] | None:
        if certificate.key_type not in ("RSA", "DSA", "unknown") or certificate.key_bits is None:
            return None
        return certificate.key_type, certificate.key_bits

    def problem(item: ScopedCertificate, found: tuple[str, int]) -> str | None:
        key_type, bits = found
        if bits >= options.min_key_bits:
            return None
        kind = "" if key_type == "unknown" else f" {key_type}"
        return (
            f"{item.describe()} has a {bits}-bit{kind} key; at least "
            f"{options.min_key_bits} bits are required"
        )

    return _judge(items, lambda item: _from_copies(item, key), problem)


_DOMAIN_CHARS = "A-Za-z0-9-"


def names_domain(text: str, domain: str) -> bool:
    """Tell whether a subject names `domain` or a host inside it (`sip.litwareinc.com`).

    The domain must stand as a whole name: `notlitwareinc.com` and
    `litwareinc.com.example.net` do not contain `litwareinc.com`.
    """
    pattern = rf"(?<![{_DOMAIN_CHARS}]){re.escape(domain)}(?![{_DOMAIN_CHARS}.])"
    return re.search(pattern, text, re.IGNORECASE) is not None


def covers_domain(names: Iterable[str], domain: str) -> bool:
    """Tell whether DNS names cover `domain`: the domain, a host in it or a wildcard."""
    domain = normalize_fqdn(domain)
    for name in names:
        name = normalize_fqdn(name)
        if name == domain or name.endswith("." + domain):
            return True
    return False


def _subject(item: ScopedCertificate) -> _Seen[str] | None:
    """Return the certificate's subject: from a copy, else from its assignment."""
    return _from_copies(item, lambda c: c.subject or None) or _from_assignments(
        item, lambda e: e.subject if e.subject is not None and e.subject.value else None
    )


def _dns_names(item: ScopedCertificate) -> _Seen[tuple[str, ...]] | None:
    """Return the certificate's DNS names: from a decoded copy, else from its assignment.

    An assignment without `AlternativeNames` tells nothing (the property may not have
    been exported), so only a non-empty list counts there.
    """
    found = _from_copies(item, lambda c: c.dns_names if _is_decoded(c) else None)
    if found is not None:
        return found
    return _from_assignments(
        item,
        lambda e: Located(e.alternative_names, e.loc) if e.alternative_names else None,
    )


_TOPOLOGY_EVIDENCE = "a topology (Get-CsTopology -AsXml or a Topology Builder .tbxml file)"


def check_subject_missing_sip_domain(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an OAuthTokenIssuer certificate whose Subject lacks the default SIP domain."""
    if not model.topologies:
        return not_evaluated(f"{_TOPOLOGY_EVIDENCE}, for the default SIP domain")
    items = in_scope(model, ctx, (OAUTH,), assignment_evidence=True)
    if isinstance(items, NotEvaluated):
        return items
    domain = model.default_sip_domain
    if domain is None:
        return evaluated((), 0)  # TOP001 reports the topology without a default domain
    name = normalize_fqdn(domain.value)

    def problem(item: ScopedCertificate, subject: str) -> str | None:
        if names_domain(subject, name):
            return None
        return (
            f'{item.describe()} has the subject "{subject}", which does not contain the '
            f'default SIP domain "{name}"'
        )

    return _judge(items, _subject, problem, also=(domain.loc,))


def check_san_missing_sip_domain(model: Model, ctx: RuleContext) -> Outcome:
    """Flag each additional SIP domain the OAuthTokenIssuer certificate's SANs lack."""
    if not model.topologies:
        return not_evaluated(f"{_TOPOLOGY_EVIDENCE}, for the SIP domains")
    items = in_scope(model, ctx, (OAUTH,), assignment_evidence=True)
    if isinstance(items, NotEvaluated):
        return items
    default = model.default_sip_domain
    default_name = normalize_fqdn(default.value) if default is not None else None
    additional: dict[str, Located[str]] = {}
    for domain in model.sip_domains():
        name = normalize_fqdn(domain.value)
        if name and name != default_name:
            additional.setdefault(name, domain)
    issues = []
    checked = 0
    for item in items:
        seen = _dns_names(item)
        if seen is None:
            continue
        checked += 1
        for name, domain in additional.items():
            if covers_domain(seen.value, name):
                continue
            issues.append(
                Issue(
                    f'{item.describe()} does not name the SIP domain "{name}" in its Subject '
                    "Alternative Names"
                    + (f" ({', '.join(seen.value)})" if seen.value else " (it has none)"),
                    seen.loc,
                    related=(*seen.related, domain.loc),
                    key=f"certificate:{item.thumbprint}:san:{name}",
                )
            )
    return evaluated(issues, checked)


def check_cert_expired(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope certificates past their NotAfter at the evaluation date."""
    items = in_scope(model, ctx, assignment_evidence=True)
    if isinstance(items, NotEvaluated):
        return items
    now = _utc(ctx.now)

    def problem(item: ScopedCertificate, not_after: datetime) -> str | None:
        if now <= _utc(not_after):
            return None
        days = (now - _utc(not_after)).days
        ago = f" ({days} days before the evaluation date)" if days else ""
        return f"{item.describe()} expired on {_when(not_after)}{ago}"

    return _judge(items, _not_after, problem)


def check_cert_not_yet_valid(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope certificates before their NotBefore at the evaluation date."""
    items = in_scope(model, ctx, assignment_evidence=True)
    if isinstance(items, NotEvaluated):
        return items
    now = _utc(ctx.now)

    def problem(item: ScopedCertificate, not_before: datetime) -> str | None:
        if now >= _utc(not_before):
            return None
        return f"{item.describe()} is not valid before {_when(not_before)}"

    return _judge(items, _not_before, problem)


@dataclass(frozen=True)
class ExpiringSoonOptions:
    """Options of CRT008."""

    warn_days: int = field(
        default=60,
        metadata={"doc": "warn when a current certificate expires within this many days"},
    )
    next_warn_days: int = field(
        default=120,
        metadata={
            "doc": "warn when a next (Exchange) or rolled (Lync) certificate expires within "
            "this many days"
        },
    )


def check_cert_expiring_soon(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope certificates that expire within the configured number of days.

    An already expired certificate is CRT006's, not this rule's.
    """
    options = ctx.options_as(ExpiringSoonOptions)
    items = in_scope(model, ctx, assignment_evidence=True)
    if isinstance(items, NotEvaluated):
        return items
    now = _utc(ctx.now)

    def problem(item: ScopedCertificate, not_after: datetime) -> str | None:
        limit = options.warn_days if item.stage == CURRENT else options.next_warn_days
        not_after = _utc(not_after)
        if not now <= not_after <= now + timedelta(days=limit):
            return None
        days = (not_after - now).days
        return (
            f"{item.describe()} expires on {_when(not_after)}, in {days} days "
            f"(within {limit} days of the evaluation date)"
        )

    return _judge(items, _not_after, problem)


def check_weak_signature(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope certificates signed with MD5 or SHA-1."""
    items = in_scope(model, ctx)
    if isinstance(items, NotEvaluated):
        return items

    def problem(item: ScopedCertificate, digest: str) -> str | None:
        weak = _WEAK_HASHES.get(digest.lower())
        if weak is None:
            return None
        return f"{item.describe()} is signed with {weak}; use a certificate signed with SHA-256"

    return _judge(items, lambda item: _from_copies(item, lambda c: c.signature_hash), problem)


def check_private_key_missing(model: Model, ctx: RuleContext) -> Outcome:
    """Flag OAuthTokenIssuer PFX files without the private key, or with another key."""
    items = in_scope(model, ctx, (OAUTH,))
    if isinstance(items, NotEvaluated):
        return items
    issues = []
    checked = 0
    for item in items:
        bundles = [c for c in item.copies if c.origin == "pkcs12" or c.has_private_key]
        if not bundles:
            continue
        checked += 1
        for copy in bundles:
            if not copy.has_private_key:
                message = f"{item.describe()} is in a PFX file without its private key"
            elif copy.private_key_matches is False:
                message = (
                    f"the private key that comes with {item.describe()} does not belong to the "
                    "certificate"
                )
            else:
                continue
            issues.append(
                Issue(
                    message,
                    copy.loc,
                    related=tuple(c.loc for c in item.copies if c is not copy),
                    key=f"certificate:{item.thumbprint}:{copy.loc.path}",
                )
            )
    return evaluated(issues, checked)


def check_thumbprint_not_found(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope thumbprints that match no certificate of the bundle."""
    items = in_scope(model, ctx, exchange_export=True)
    if isinstance(items, NotEvaluated):
        return items
    # A certificate file that could not be read (INP001/INP003) may hold the certificate.
    unproven = _unreadable_certificate_files(model)
    issues = []
    checked = 0
    for item in items:
        if not item.copies and unproven:
            continue
        checked += 1
        if item.copies:
            continue
        issues.append(
            Issue(
                f"{item.title} thumbprint {item.thumbprint} ({item.source}) matches no "
                "certificate in the bundle (certificate files, Get-ExchangeCertificate exports)",
                item.named_at[0],
                related=item.named_at[1:],
                key=f"certificate:{item.thumbprint}",
            )
        )
    return evaluated(issues, checked)


def check_unsupported_key_type(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an OAuthTokenIssuer certificate whose key is not RSA (an unknown type is unknown)."""
    items = in_scope(model, ctx, (OAUTH,))
    if isinstance(items, NotEvaluated):
        return items

    def problem(item: ScopedCertificate, key_type: str) -> str | None:
        if key_type == "RSA":
            return None
        article = "an" if key_type[:1] in "AEIOU" else "a"
        return (
            f"{item.describe()} has {article} {key_type} key; Lync signs OAuth tokens with RSA "
            "keys only"
        )

    def read(item: ScopedCertificate) -> _Seen[str] | None:
        return _from_copies(item, lambda c: c.key_type if c.key_type != "unknown" else None)

    return _judge(items, read, problem)


def check_digital_signature_usage(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope certificates whose KeyUsage extension lacks digitalSignature."""
    items = in_scope(model, ctx)
    if isinstance(items, NotEvaluated):
        return items

    def usage(certificate: Certificate) -> str | None:
        if not _is_decoded(certificate):
            return None  # rebuilt from export properties: the extension is unknown
        if certificate.key_usage_digital_signature is None:
            return "no KeyUsage extension"  # every usage is allowed
        return "digitalSignature" if certificate.key_usage_digital_signature else "without"

    def problem(item: ScopedCertificate, found: str) -> str | None:
        if found != "without":
            return None
        return (
            f"{item.describe()} has a KeyUsage extension without digitalSignature, so it "
            "may not sign OAuth tokens"
        )

    return _judge(items, lambda item: _from_copies(item, usage), problem)


def _hours(delta: timedelta) -> str:
    hours = abs(delta.total_seconds()) / 3600
    return f"{hours:.0f} hours" if hours >= 1 else f"{abs(delta.total_seconds()) / 60:.0f} minutes"


def check_roll_too_late(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a rolled OAuthTokenIssuer certificate effective under 24 hours before expiry."""
    if not model.cs_certificates:
        return not_evaluated("a Get-CsCertificate export (the OAuthTokenIssuer assignments)")
    scope = {item.thumbprint: item for item in scoped_certificates(model, ctx.now)}
    exports: dict[str, list[CsCertificate]] = {}
    for entry in model.cs_certificates:
        if entry.is_oauth and _thumbprint_of(entry.thumbprint):
            exports.setdefault(entry.server or entry.loc.path, []).append(entry)
    # (rolled, current) thumbprints -> the roll entries and the current NotAfter
    rolls: dict[tuple[str, str], list[tuple[Located[datetime], _Seen[datetime]]]] = {}
    for entries in exports.values():
        current = [e for e in entries if e.effective_date is None]
        for roll in entries:
            if roll.effective_date is None:
                continue
            rolled = _thumbprint_of(roll.thumbprint)
            for entry in current:
                thumbprint = _thumbprint_of(entry.thumbprint)
                expiry = _not_after(scope[thumbprint]) if thumbprint != rolled else None
                if expiry is not None:
                    rolls.setdefault((rolled, thumbprint), []).append((roll.effective_date, expiry))
    issues = []
    for (rolled, current_print), found in sorted(rolls.items()):
        effective, expiry = found[0]
        margin = _utc(expiry.value) - _utc(effective.value)
        if margin >= _ROLL_MARGIN:
            continue
        when = "before" if margin >= timedelta(0) else "after"
        issues.append(
            Issue(
                f"rolled OAuthTokenIssuer certificate {rolled} becomes effective on "
                f"{_when(effective.value)}, {_hours(margin)} {when} the current certificate "
                f"{current_print} expires ({_when(expiry.value)}); roll it in at least 24 hours "
                "before the expiry",
                effective.loc,
                related=(expiry.loc, *(roll.loc for roll, _ in found[1:])),
                key=f"certificate:{rolled}:roll",
            )
        )
    return evaluated(issues, len(rolls))


def _is_edge(server: ExchangeServer) -> bool:
    """Tell whether an Exchange server is an Edge Transport server (no Auth certificate)."""
    roles = {role.strip().lower() for role in server.roles if role.strip()}
    return bool(roles) and roles <= {"edge", "edgetransport"}


def _match_exchange_server(name: str, servers: Iterable[ExchangeServer]) -> ExchangeServer | None:
    """Return the Exchange server a certificate export's server name (FQDN or NetBIOS) is."""
    name = normalize_fqdn(name)
    for server in servers:
        fqdn = normalize_fqdn(server.fqdn.value) if server.fqdn is not None else ""
        short = server.name.value.strip().lower()
        if name in (fqdn, short) or name.split(".")[0] == short:
            return server
    return None


def _exchange_certificates_by_server(
    model: Model,
) -> dict[str, tuple[ExchangeServer | None, list[Certificate]]]:
    """Group the Exchange certificate exports by the Exchange server they came from.

    With a `Get-ExchangeServer` export, only its (non-Edge) servers count; without one,
    every server a certificate export is attributed to.
    """
    groups: dict[str, tuple[ExchangeServer | None, list[Certificate]]] = {}
    for certificate in model.certificates:
        if certificate.server is None or certificate.origin in _FILE_ORIGINS:
            continue
        server: ExchangeServer | None = None
        key = normalize_fqdn(certificate.server)
        if model.exchange_servers:
            server = _match_exchange_server(key, model.exchange_servers)
            if server is None or _is_edge(server):
                continue
            key = normalize_fqdn(server.fqdn.value) if server.fqdn else server.name.value.lower()
        groups.setdefault(key, (server, []))[1].append(certificate)
    return groups


def check_auth_cert_missing_on_server(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an Exchange server whose certificate export lacks the current Auth certificate."""
    if not model.exchange_auth_configs:
        return not_evaluated("a Get-AuthConfig export")
    groups = _exchange_certificates_by_server(model)
    if not groups:
        return not_evaluated(
            "a Get-ExchangeCertificate export attributed to its Exchange server "
            "(PSComputerName, or an Identity of the form SERVER\\thumbprint)"
        )
    issues = []
    for key, (server, certificates) in sorted(groups.items()):
        present = {normalize_thumbprint(c.thumbprint) for c in certificates}
        name = f"{server.name.value} ({key})" if server is not None else key
        for config in model.exchange_auth_configs:
            current = _thumbprint_of(config.current_thumbprint)
            if not current or current in present or config.current_thumbprint is None:
                continue
            related = [config.current_thumbprint.loc]
            if server is not None:
                related.append(server.name.loc)
            issues.append(
                Issue(
                    f"Exchange server {name} lacks the Exchange Auth certificate {current} "
                    "(Get-AuthConfig CurrentCertificateThumbprint): its Get-ExchangeCertificate "
                    f"export holds {len(present)} other certificate(s)",
                    Location(certificates[0].loc.path),
                    related=tuple(related),
                    key=f"exchange-auth-certificate:{key}",
                )
            )
    return evaluated(issues, len(groups))


@dataclass(frozen=True)
class NextCertOptions:
    """Options of CRT016."""

    warn_days: int = field(
        default=60,
        metadata={
            "doc": "report when the current Exchange Auth certificate expires within this "
            "many days and no next certificate is configured"
        },
    )


def check_auth_next_cert_missing(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an Exchange Auth certificate close to expiry with no next certificate set."""
    options = ctx.options_as(NextCertOptions)
    items = in_scope(model, ctx, (EXCHANGE_AUTH,))
    if isinstance(items, NotEvaluated):
        return items
    scope = {item.thumbprint: item for item in items}
    now = _utc(ctx.now)
    issues = []
    checked = 0
    for config in model.exchange_auth_configs:
        item = scope.get(_thumbprint_of(config.current_thumbprint))
        expiry = _not_after(item) if item is not None and item.stage == CURRENT else None
        if item is None or expiry is None:
            continue
        checked += 1
        not_after = _utc(expiry.value)
        if _thumbprint_of(config.next_thumbprint) or not_after > now + timedelta(
            days=options.warn_days
        ):
            continue
        when = "expired" if not_after < now else "expires"
        issues.append(
            Issue(
                f"the current Exchange Auth certificate {item.thumbprint} {when} on "
                f"{_when(not_after)} and no next certificate is configured "
                "(Get-AuthConfig NextCertificateThumbprint is empty)",
                config.next_thumbprint.loc if config.next_thumbprint is not None else config.loc,
                related=(expiry.loc, *expiry.related),
                key=f"exchange-auth-certificate:next:{item.thumbprint}",
            )
        )
    return evaluated(issues, checked)


# ------------------------------------------------------------------ documentation


_OAUTH_CERT_EXPORT = """<Obj RefId="3">
  <TN RefId="1"><T>Microsoft.Rtc.Management.Deployment.CertificateReference</T><T>System.Object</T></TN>
  <Props>
    <S N="Thumbprint">{thumbprint}</S>
    <Obj N="Use" RefId="4"><TN RefId="2"><T>Microsoft.Rtc.Management.Deployment.CertType</T>
      <T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN>
      <ToString>OAuthTokenIssuer</ToString><I32>13</I32></Obj>
  </Props>
  <MS><S N="PSComputerName">{server}</S></MS>
</Obj>"""

_OTHER_CERT_EXPORT = """<Obj RefId="0">
  <TN RefId="0"><T>Microsoft.Rtc.Management.Deployment.CertificateReference</T><T>System.Object</T></TN>
  <Props>
    <S N="Thumbprint">{thumbprint}</S>
    <Obj N="Use" RefId="1"><TN RefId="1"><T>Microsoft.Rtc.Management.Deployment.CertType</T>
      <T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN>
      <ToString>{use}</ToString><I32>{value}</I32></Obj>
  </Props>
</Obj>"""

_ROLL_EXPORT = """<Obj RefId="5">
  <TNRef RefId="0" />
  <Props>
    <DT N="NotAfter">{not_after}</DT>
    <S N="Thumbprint">{thumbprint}</S>
    <{effective}
    <Ref N="Use" RefId="1" />
  </Props>
</Obj>"""

_AUTH_CONFIG = """<Obj RefId="0">
  <TN RefId="0"><T>Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthConfig</T>
    <T>System.Object</T></TN>
  <Props>
    <S N="CurrentCertificateThumbprint">C3EDCF181EF4F9B53D01768ECA99564014BCA6E7</S>
    <S N="NextCertificateThumbprint">{next_thumbprint}</S>
    {next_date}
  </Props>
</Obj>"""

_RENEW_OAUTH = (
    "# request a certificate from your CA with an exportable 2048-bit RSA key, the default\n"
    "# SIP domain in its subject and every SIP domain in its subject alternative names\n"
    "Request-CsCertificate -New -Type OAuthTokenIssuer -KeySize 2048 "
    "-PrivateKeyExportable $True -CA <CA> -FriendlyName 'OAuthTokenIssuer'\n"
    "# roll it in globally at least a day before the current certificate expires\n"
    "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
    "-Thumbprint <new thumbprint> -Roll -EffectiveDate (Get-Date).AddDays(2)"
)

_RENEW_EXCHANGE_AUTH = (
    "# Exchange Management Shell; answer No when asked to replace the SMTP certificate\n"
    "$cert = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true "
    '-SubjectName "cn=Microsoft Exchange Server Auth Certificate" '
    '-FriendlyName "Microsoft Exchange Server Auth Certificate" -DomainName @()\n'
    "Set-AuthConfig -NewCertificateThumbprint $cert.Thumbprint "
    "-NewCertificateEffectiveDate (Get-Date)\n"
    "Set-AuthConfig -PublishCertificate\n"
    "Set-AuthConfig -ClearPreviousCertificate\n"
    "Restart-Service MSExchangeServiceHost\n"
    "Restart-WebAppPool MSExchangeOWAAppPool; Restart-WebAppPool MSExchangeECPAppPool"
)

_CERT_EVIDENCE = (
    "the OAuthTokenIssuer assignment (Get-CsCertificate) or Get-AuthConfig, and the "
    "certificate file or Get-ExchangeCertificate export for that thumbprint"
)
_DATED_EVIDENCE = (
    "the OAuthTokenIssuer assignment (Get-CsCertificate, whose NotBefore/NotAfter suffice) "
    "or Get-AuthConfig with the certificate file or Get-ExchangeCertificate export"
)
_OAUTH_FILE_EVIDENCE = (
    "the OAuthTokenIssuer assignment (Get-CsCertificate) and the certificate as a file "
    "(.cer, .pfx, .p7b or PEM)"
)
_SCOPE_TEXT = (
    "In scope are the Lync OAuthTokenIssuer certificate (named by `Get-CsCertificate`: the "
    "one in force and a roll waiting for its `EffectiveDate`) and the Exchange Auth "
    "certificate (named by `Get-AuthConfig`: current and next); other certificate uses are "
    "not. A certificate found several times (a .cer and a .pfx, or on several Exchange "
    "servers) is reported once, with the other copies as related locations."
)
_EXCHANGE_REFERENCES = (ref.EXCHANGE_AUTH_EXPIRED, ref.SET_AUTHCONFIG, ref.MONITOR_AUTH_CERT)

RULES = (
    Rule(
        code="CRT001",
        name="oauth-cert-missing",
        severity=Severity.ERROR,
        summary="No OAuthTokenIssuer certificate is assigned (global or on any Front End)",
        check=check_oauth_cert_missing,
        doc=RuleDoc(
            what=(
                "Reports a bundle whose `Get-CsCertificate` exports (global, or of any Front "
                "End server) have no `OAuthTokenIssuer` entry with a thumbprint. The finding "
                "points at the first export and lists the others as related locations."
            ),
            why=(
                "Without an OAuthTokenIssuer certificate Lync cannot sign server-to-server "
                "tokens at all: Exchange and SharePoint reject every request, so the unified "
                "contact store, Exchange archiving and Outlook Web App presence fail and "
                "`Test-CsExStorageConnectivity` returns 401. A fresh deployment has none "
                "until an administrator assigns one."
            ),
            bad=_OTHER_CERT_EXPORT.format(
                thumbprint="0C1D2E3F405162738495A6B7C8D9EAFB0C1D2E3F", use="Default", value=3
            )
            + "\n<!-- no entry with Use OAuthTokenIssuer -->",
            good=_OAUTH_CERT_EXPORT.format(
                thumbprint="1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D",
                server="atl-fe-01.litwareinc.com",
            ),
            fix=(
                "# import the certificate (with its private key) and assign it once, globally\n"
                "Import-CsCertificate -Identity global -Type OAuthTokenIssuer "
                '-Path C:\\Certificates\\OAuthTokenIssuer.pfx -Password "<password>"\n'
                "# or assign a certificate already in the computer store\n"
                "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
                "-Thumbprint <thumbprint>"
            ),
            evidence="a Get-CsCertificate export (global, or of a Front End server)",
            references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.MANAGE_S2S_SFB),
        ),
    ),
    Rule(
        code="CRT002",
        name="oauth-cert-inconsistent",
        severity=Severity.ERROR,
        summary="Front End servers do not all carry the same OAuthTokenIssuer certificate",
        check=check_oauth_cert_inconsistent,
        doc=RuleDoc(
            what=(
                "Compares the OAuthTokenIssuer certificate in each Front End server's "
                "`Get-CsCertificate` export and reports when the thumbprints differ or a "
                "server has none. The finding lists every server with its thumbprint. "
                "Exports are attributed to servers by `PSComputerName`, else by a folder of "
                "the bundle named after the server (`servers/atl-fe-01.litwareinc.com/`). "
                "A roll waiting for its effective date does not count as the current one."
            ),
            why=(
                "Lync signs its OAuth tokens with this certificate, and Exchange trusts the "
                "one it reads from Lync's metadata document. A Front End with another "
                "certificate issues tokens Exchange rejects: users homed there lose the "
                "unified contact store and Outlook presence, `Test-CsExStorageConnectivity` "
                "returns 401, while the other servers work. It happens when the certificate "
                "was imported on each server with the MMC instead of being assigned once "
                "globally, which replication would deploy everywhere."
            ),
            bad=_OAUTH_CERT_EXPORT.format(
                thumbprint="6F0E1D2C3B4A59687766554433221100FFEEDDCC",
                server="atl-fe-03.litwareinc.com",
            )
            + "\n<!-- atl-fe-01 and atl-fe-02 carry 1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D -->",
            good=_OAUTH_CERT_EXPORT.format(
                thumbprint="1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D",
                server="atl-fe-03.litwareinc.com",
            ),
            fix=(
                "# assign the certificate once, globally; replication deploys it to every Front End\n"
                "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
                "-Thumbprint <thumbprint>\n"
                "# then check on each Front End\n"
                "Get-CsCertificate -Type OAuthTokenIssuer | Select-Object Thumbprint"
            ),
            evidence="Get-CsCertificate exports of at least two Front End servers",
            references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.MANAGE_S2S_SFB),
        ),
    ),
    Rule(
        code="CRT003",
        name="weak-key",
        severity=Severity.ERROR,
        summary="An OAuthTokenIssuer or Exchange Auth certificate has a key under min-key-bits",
        check=check_weak_key,
        options=WeakKeyOptions,
        doc=RuleDoc(
            what=(
                "Reports an OAuthTokenIssuer certificate (named by `Get-CsCertificate`) or an "
                "Exchange Auth certificate (named by `Get-AuthConfig`) whose RSA or DSA key "
                "is shorter than `min-key-bits` (2048 by default). The key is read from the "
                "certificate files of the bundle (.cer, .pfx, .p7b, PEM) or from the "
                "`RawData` of a `Get-ExchangeCertificate` export; an export without `RawData` "
                "gives the size as `PublicKeySize`, which is checked too."
            ),
            why=(
                "Microsoft requires a key of at least 2048 bits for the server-to-server "
                "authentication certificate. A 1024-bit key is weak enough to be factored by a "
                "determined attacker, who could then sign tokens as Lync to Exchange or "
                "SharePoint, and current Exchange builds refuse such certificates."
            ),
            bad="Get-CsCertificate -Type OAuthTokenIssuer  ->  certs/oauth-token-issuer.cer:\n"
            "  Public-Key: (1024 bit)",
            good="Get-CsCertificate -Type OAuthTokenIssuer  ->  certs/oauth-token-issuer.cer:\n"
            "  Public-Key: (2048 bit)",
            fix=(
                "# request a new certificate with a 2048-bit (or larger) exportable key\n"
                "Request-CsCertificate -New -Type OAuthTokenIssuer -KeySize 2048 "
                "-PrivateKeyExportable $True -CA <CA> -FriendlyName 'OAuth 2048'\n"
                "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
                "-Thumbprint <new thumbprint> -Roll -EffectiveDate (Get-Date).AddDays(2)"
            ),
            evidence=_CERT_EVIDENCE,
            references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.INTEGRATE_EXCHANGE_SFB),
            snippet_language="text",
        ),
    ),
    Rule(
        code="CRT004",
        name="subject-missing-sip-domain",
        severity=Severity.ERROR,
        summary="The OAuthTokenIssuer certificate's Subject does not contain the default SIP domain",
        check=check_subject_missing_sip_domain,
        doc=RuleDoc(
            what=(
                "Reports an OAuthTokenIssuer certificate (the one in force or a roll) whose "
                "Subject does not contain the topology's default SIP domain "
                "(`InternalDomains/@DefaultDomain`), as a whole name or as a host inside it "
                "(`CN=litwareinc.com` or `CN=atl-cs-001.litwareinc.com` for litwareinc.com). "
                "The subject is read from the certificate file, else from the "
                "`Get-CsCertificate` entry."
            ),
            why=(
                "Exchange and SharePoint identify Lync's tokens by the SIP domain the "
                "certificate names; Microsoft requires the SIP domain in the Subject of the "
                "server-to-server certificate. A certificate issued to another name (a "
                "server name of another domain, a copied Exchange certificate) makes the "
                "partner applications reject Lync's tokens: no unified contact store, no "
                "archiving to Exchange, no Outlook calendar presence."
            ),
            bad="Get-CsCertificate -Type OAuthTokenIssuer  ->  certs/oauth-token-issuer.cer:\n"
            "  Subject: CN=lync.contoso.net, O=Litware Inc   (default SIP domain litwareinc.com)",
            good="Get-CsCertificate -Type OAuthTokenIssuer  ->  certs/oauth-token-issuer.cer:\n"
            "  Subject: CN=litwareinc.com, OU=Unified Communications, O=Litware Inc",
            fix=_RENEW_OAUTH,
            evidence=(
                "a topology (default SIP domain) and the OAuthTokenIssuer assignment "
                "(Get-CsCertificate) or its certificate file"
            ),
            references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.MANAGE_S2S_SFB),
            snippet_language="text",
        ),
    ),
    Rule(
        code="CRT005",
        name="san-missing-sip-domain",
        severity=Severity.WARNING,
        summary="An additional SIP domain is not in the OAuthTokenIssuer certificate's SANs",
        check=check_san_missing_sip_domain,
        doc=RuleDoc(
            what=(
                "Reports, for each SIP domain of the topology other than the default one, an "
                "OAuthTokenIssuer certificate whose Subject Alternative Names name neither the "
                "domain nor a host or wildcard inside it. The names are read from the "
                "certificate file, else from the `AlternativeNames` of the "
                "`Get-CsCertificate` entry (an empty list there tells nothing)."
            ),
            why=(
                "With several SIP domains, Microsoft asks for every SIP namespace in the "
                "OAuth certificate's Subject Alternative Names. Users of a domain the "
                "certificate does not name can find their server-to-server features (unified "
                "contact store, Exchange archiving, calendar presence) failing while users of "
                "the default domain work."
            ),
            bad="certs/oauth-token-issuer.cer:\n"
            "  X509v3 Subject Alternative Name: DNS:litwareinc.com\n"
            "  (topology SIP domains: litwareinc.com, fabrikam.com)",
            good="certs/oauth-token-issuer.cer:\n"
            "  X509v3 Subject Alternative Name: DNS:litwareinc.com, DNS:fabrikam.com",
            fix=_RENEW_OAUTH,
            evidence=(
                "a topology (SIP domains) and the OAuthTokenIssuer assignment "
                "(Get-CsCertificate) or its certificate file"
            ),
            references=(ref.MANAGE_S2S_SFB, ref.ASSIGN_CERT_SFB),
            snippet_language="text",
        ),
    ),
    Rule(
        code="CRT006",
        name="cert-expired",
        severity=Severity.ERROR,
        summary="A certificate in scope is past its NotAfter at the evaluation date",
        check=check_cert_expired,
        doc=RuleDoc(
            what=(
                "Reports an OAuthTokenIssuer or Exchange Auth certificate whose NotAfter is "
                "before the evaluation date (`--as-of`, default now). Dates come from the "
                "certificate (file or `Get-ExchangeCertificate` export), else from the "
                "`Get-CsCertificate` entry. " + _SCOPE_TEXT
            ),
            why=(
                "An expired signing certificate ends server-to-server authentication. When "
                "Exchange's Auth certificate expires, Outlook becomes slow and loses calendar "
                "and Out-of-Office data, OWA and ECP can fail, and Lync's unified contact "
                "store and archiving stop; when Lync's OAuthTokenIssuer certificate expires, "
                "Exchange rejects Lync's tokens with 401. The Exchange Auth certificate lives "
                "five years, long enough for everyone to forget it."
            ),
            bad="exchange/certificates.xml  (Get-AuthConfig CurrentCertificateThumbprint):\n"
            "  [Subject] CN=Microsoft Exchange Server Auth Certificate\n"
            "  [Not After] 11/06/2024 14:47:32      (evaluated on 2026-11-21)",
            good="  [Not After] 06/01/2030 09:12:07",
            fix=(
                "# Exchange Auth certificate\n" + _RENEW_EXCHANGE_AUTH + "\n"
                "# Lync OAuthTokenIssuer certificate\n" + _RENEW_OAUTH
            ),
            evidence=_DATED_EVIDENCE,
            references=(*_EXCHANGE_REFERENCES, ref.STAGE_CERTS_SFB, ref.ASSIGN_CERT_SFB),
            snippet_language="text",
        ),
    ),
    Rule(
        code="CRT007",
        name="cert-not-yet-valid",
        severity=Severity.ERROR,
        summary="A certificate in scope is before its NotBefore at the evaluation date",
        check=check_cert_not_yet_valid,
        doc=RuleDoc(
            what=(
                "Reports an OAuthTokenIssuer or Exchange Auth certificate whose NotBefore is "
                "after the evaluation date (`--as-of`, default now). " + _SCOPE_TEXT
            ),
            why=(
                "A certificate that is not yet valid cannot sign tokens anyone accepts: the "
                "partner rejects them until the date is reached. It happens when a "
                "certificate is issued with a future start date, or when the clock of the CA "
                "or of the server that created it was wrong, and it was assigned at once "
                "instead of rolled in with an effective date."
            ),
            bad="certs/oauth-token-issuer.cer:\n"
            "  Not Before: Dec  1 14:00:00 2026 GMT      (evaluated on 2026-11-21)",
            good="  Not Before: Jan 15 14:00:00 2026 GMT",
            fix=(
                "# keep the certificate in force until the new one is valid, then roll it in\n"
                "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
                "-Thumbprint <new thumbprint> -Roll -EffectiveDate <a date after its NotBefore>\n"
                "# Exchange: make it the next certificate, effective once it is valid\n"
                "Set-AuthConfig -NewCertificateThumbprint <new thumbprint> "
                "-NewCertificateEffectiveDate <a date after its NotBefore>"
            ),
            evidence=_DATED_EVIDENCE,
            references=(ref.STAGE_CERTS_SFB, ref.SET_AUTHCONFIG, ref.ASSIGN_CERT_SFB),
            snippet_language="text",
        ),
    ),
    Rule(
        code="CRT008",
        name="cert-expiring-soon",
        severity=Severity.WARNING,
        summary="A certificate in scope expires within warn-days (next/rolled: next-warn-days)",
        check=check_cert_expiring_soon,
        options=ExpiringSoonOptions,
        doc=RuleDoc(
            what=(
                "Reports a current OAuthTokenIssuer or Exchange Auth certificate that expires "
                "within `warn-days` (60) of the evaluation date, and a next (Exchange) or "
                "rolled (Lync) certificate that expires within `next-warn-days` (120). An "
                "expired certificate is CRT006's. " + _SCOPE_TEXT
            ),
            why=(
                "Replacing a signing certificate takes lead time: a new certificate must be "
                "requested, deployed to every server, rolled in at least a day ahead and "
                "published in the metadata the partners read. Microsoft's Exchange Auth "
                "certificate monitoring renews when the current certificate has less than 60 "
                "days left or the next one less than 120; waiting longer risks the outage of "
                "an expired certificate."
            ),
            bad="certs/oauth-token-issuer.cer:\n"
            "  Not After : Jan 15 14:00:00 2027 GMT      (evaluated on 2026-11-21: 55 days)",
            good="  Not After : Jan 15 14:00:00 2028 GMT",
            fix=(
                "# Lync OAuthTokenIssuer certificate\n" + _RENEW_OAUTH + "\n"
                "# Exchange Auth certificate: stage the next one ahead of time\n"
                "$cert = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true "
                '-SubjectName "cn=Microsoft Exchange Server Auth Certificate" '
                '-FriendlyName "Microsoft Exchange Server Auth Certificate" -DomainName @()\n'
                "Set-AuthConfig -NewCertificateThumbprint $cert.Thumbprint "
                "-NewCertificateEffectiveDate (Get-Date).AddDays(2)"
            ),
            evidence=_DATED_EVIDENCE,
            references=(ref.MONITOR_AUTH_CERT, ref.SET_AUTHCONFIG, ref.STAGE_CERTS_SFB),
            snippet_language="text",
        ),
    ),
    Rule(
        code="CRT009",
        name="weak-signature-algorithm",
        severity=Severity.WARNING,
        summary="A certificate in scope is signed with MD5 or SHA-1",
        check=check_weak_signature,
        doc=RuleDoc(
            what=(
                "Reports an OAuthTokenIssuer or Exchange Auth certificate whose signature "
                "uses MD5 or SHA-1 (md5WithRSAEncryption, sha1WithRSAEncryption, ...). The "
                "algorithm is read from the decoded certificate; an export without `RawData` "
                "does not show it. " + _SCOPE_TEXT
            ),
            why=(
                "SHA-1 and MD5 signatures can be forged (chosen-prefix collisions), and "
                "current Windows and Exchange builds distrust them. Exchange setup made "
                "SHA-1 Auth certificates up to Exchange 2019 CU12; a certificate renewed "
                "today should be signed with SHA-256."
            ),
            bad="exchange/certificates.xml  (Get-AuthConfig CurrentCertificateThumbprint):\n"
            "  Signature Algorithm: sha1WithRSAEncryption",
            good="  Signature Algorithm: sha256WithRSAEncryption",
            fix=(
                "# Exchange Auth certificate (New-ExchangeCertificate signs with SHA-256)\n"
                + _RENEW_EXCHANGE_AUTH
                + "\n# Lync OAuthTokenIssuer certificate: ask the CA for a SHA-256 signature\n"
                + _RENEW_OAUTH
            ),
            evidence=_CERT_EVIDENCE,
            references=(ref.MONITOR_AUTH_CERT, ref.SET_AUTHCONFIG, ref.ASSIGN_CERT_SFB),
            snippet_language="text",
        ),
    ),
    Rule(
        code="CRT010",
        name="private-key-missing",
        severity=Severity.ERROR,
        summary="The OAuthTokenIssuer PFX carries no private key, or a key of another certificate",
        check=check_private_key_missing,
        doc=RuleDoc(
            what=(
                "Reports a PFX (PKCS#12) file of the OAuthTokenIssuer certificate that holds "
                "the certificate without its private key, and a PFX or PEM bundle whose "
                "private key does not belong to the certificate. A .cer file carries no key "
                "by design and is not reported."
            ),
            why=(
                "Lync signs tokens with the private key. A certificate imported from a PFX "
                "without its key (exported without 'Export the private key', or from a "
                "server that never had it) can be assigned but cannot sign: every "
                "server-to-server request fails. Microsoft notes that a certificate imported "
                "by hand on each Front End needs its private key exported with it."
            ),
            bad="certs/oauth-token-issuer.pfx: 1 certificate, no private key",
            good="certs/oauth-token-issuer.pfx: 1 certificate with its RSA 2048 private key",
            fix=(
                "# on the server that holds the key, export the certificate with it\n"
                "$password = Read-Host -AsSecureString -Prompt 'PFX password'\n"
                "Get-ChildItem Cert:\\LocalMachine\\My\\<thumbprint> | Export-PfxCertificate "
                "-FilePath C:\\Certificates\\OAuthTokenIssuer.pfx -Password $password\n"
                "Import-CsCertificate -Identity global -Type OAuthTokenIssuer "
                '-Path C:\\Certificates\\OAuthTokenIssuer.pfx -Password "<password>"'
            ),
            evidence="the OAuthTokenIssuer assignment (Get-CsCertificate) and its PFX file",
            references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB),
            snippet_language="text",
        ),
    ),
    Rule(
        code="CRT011",
        name="thumbprint-not-found",
        severity=Severity.ERROR,
        summary="An OAuthTokenIssuer or AuthConfig thumbprint matches no certificate in the bundle",
        check=check_thumbprint_not_found,
        doc=RuleDoc(
            what=(
                "Reports a thumbprint named by Lync's OAuthTokenIssuer assignment "
                "(`Get-CsCertificate`) or by Exchange's `Get-AuthConfig` "
                "(`CurrentCertificateThumbprint`, `NextCertificateThumbprint`) that matches no "
                "certificate of the bundle: for Lync the certificate files, for Exchange the "
                "`Get-ExchangeCertificate` exports. Thumbprints are compared in canonical "
                "form (case, spaces and colons do not matter); other certificate uses are "
                "not in scope. When a certificate file of the bundle could not be read, a "
                "missing certificate is not reported (it may be in that file)."
            ),
            why=(
                "A thumbprint that names no installed certificate is the cause of the "
                "Hybrid Configuration Wizard's 'could not find the authorization certificate "
                "with thumbprint' and of Lync and Exchange failing to sign tokens after a "
                "certificate was deleted or replaced without updating the assignment. In the "
                "bundle it also means the certificate was not exported, so its key, dates and "
                "names cannot be checked."
            ),
            bad=_AUTH_CONFIG.format(
                next_thumbprint="", next_date='<Nil N="NextCertificateEffectiveDate" />'
            )
            + "\n<!-- no certificate C3EDCF18... in any Get-ExchangeCertificate export -->",
            good="<!-- exchange/certificates.xml: RawData of C3EDCF181EF4F9B53D01768ECA99564014BCA6E7 -->",
            fix=(
                "# Lync: assign a certificate that is installed, and export it into the bundle\n"
                "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
                "-Thumbprint <installed thumbprint>\n"
                "Get-ChildItem Cert:\\LocalMachine\\My\\<installed thumbprint> | "
                "Export-Certificate -FilePath .\\certs\\oauth-token-issuer.cer\n"
                "# Exchange: point AuthConfig at an installed certificate\n"
                "Get-ExchangeCertificate -Thumbprint (Get-AuthConfig).CurrentCertificateThumbprint\n"
                "Set-AuthConfig -NewCertificateThumbprint <installed thumbprint> "
                "-NewCertificateEffectiveDate (Get-Date)\n"
                "Set-AuthConfig -PublishCertificate"
            ),
            evidence=(
                "the OAuthTokenIssuer assignment with certificate files, or Get-AuthConfig with "
                "a Get-ExchangeCertificate export"
            ),
            references=(ref.ASSIGN_CERT_SFB, ref.SET_AUTHCONFIG, ref.EXCHANGE_AUTH_EXPIRED),
        ),
    ),
    Rule(
        code="CRT012",
        name="unsupported-key-type",
        severity=Severity.ERROR,
        summary="The OAuthTokenIssuer certificate's key is not RSA",
        check=check_unsupported_key_type,
        doc=RuleDoc(
            what=(
                "Reports an OAuthTokenIssuer certificate whose public key is not RSA (an "
                "elliptic-curve, DSA, Ed25519 or Ed448 key), read from the certificate files "
                "of the bundle. A key whose type cannot be told is not reported."
            ),
            why=(
                "Lync and its partners sign and verify server-to-server tokens with RSA "
                "(RS256) only. A certificate with an elliptic-curve key, as some CA templates "
                "now issue by default, can be assigned, but the tokens it signs are rejected "
                "by Exchange and SharePoint."
            ),
            bad="certs/oauth-token-issuer.cer:\n"
            "  Public Key Algorithm: id-ecPublicKey (ASN1 OID: prime256v1)",
            good="  Public Key Algorithm: rsaEncryption (2048 bit)",
            fix=_RENEW_OAUTH.replace(
                "# request a certificate", "# request an RSA certificate (not ECDSA)"
            ),
            evidence=_OAUTH_FILE_EVIDENCE,
            references=(ref.ASSIGN_CERT_SFB, ref.INTEGRATE_EXCHANGE_SFB),
            snippet_language="text",
        ),
    ),
    Rule(
        code="CRT013",
        name="missing-digital-signature-usage",
        severity=Severity.WARNING,
        summary="A certificate in scope has a KeyUsage extension without digitalSignature",
        check=check_digital_signature_usage,
        doc=RuleDoc(
            what=(
                "Reports an OAuthTokenIssuer or Exchange Auth certificate that has a KeyUsage "
                "extension which does not include `digitalSignature`. A certificate without "
                "a KeyUsage extension (every usage allowed) is fine; an export without "
                "`RawData` does not show the extension and is not reported. " + _SCOPE_TEXT
            ),
            why=(
                "Signing OAuth tokens is a digital signature. A certificate issued for key "
                "encipherment only (an encryption template) is refused for signing by "
                "strict verifiers, and its tokens may be rejected by Exchange or SharePoint."
            ),
            bad="certs/oauth-token-issuer.cer:\n"
            "  X509v3 Key Usage: critical\n      Key Encipherment",
            good="  X509v3 Key Usage: critical\n      Digital Signature, Key Encipherment",
            fix=_RENEW_OAUTH.replace(
                "# request a certificate", "# request a certificate (Web Server template)"
            ),
            evidence=_CERT_EVIDENCE,
            references=(ref.ASSIGN_CERT_SFB, ref.MONITOR_AUTH_CERT),
            snippet_language="text",
        ),
    ),
    Rule(
        code="CRT014",
        name="roll-too-late",
        severity=Severity.WARNING,
        summary="A rolled OAuthTokenIssuer certificate becomes effective under 24 hours before expiry",
        check=check_roll_too_late,
        doc=RuleDoc(
            what=(
                "Reports a rolled OAuthTokenIssuer certificate (a `Get-CsCertificate` entry "
                "with an `EffectiveDate`) that becomes effective less than 24 hours before, or "
                "after, the certificate in force expires. The expiry is read from the "
                "certificate file, else from the `Get-CsCertificate` entry."
            ),
            why=(
                "A roll lets the new certificate replicate and partners fetch the new "
                "metadata while the old one still works. Microsoft asks for the effective "
                "date at least 24 hours before the current certificate expires; a later roll "
                "leaves a window in which Lync signs with an expired certificate or partners "
                "do not know the new one yet, and server-to-server requests fail."
            ),
            bad=_ROLL_EXPORT.format(
                not_after="2030-01-15T09:00:00-05:00",
                thumbprint="9F8E7D6C5B4A39281706F5E4D3C2B1A09F8E7D6C",
                effective='DT N="EffectiveDate">2028-01-15T06:00:00-05:00</DT>',
            )
            + "\n<!-- the current certificate expires 2028-01-15T09:00:00-05:00 (3 hours later) -->",
            good=_ROLL_EXPORT.format(
                not_after="2030-01-15T09:00:00-05:00",
                thumbprint="9F8E7D6C5B4A39281706F5E4D3C2B1A09F8E7D6C",
                effective='DT N="EffectiveDate">2028-01-12T09:00:00-05:00</DT>',
            ),
            fix=(
                "# roll the new certificate in at least 24 hours before the current one expires\n"
                "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
                "-Thumbprint <new thumbprint> -Roll -EffectiveDate <current NotAfter minus 2 days>"
            ),
            evidence="Get-CsCertificate exports with the OAuthTokenIssuer assignments",
            references=(ref.STAGE_CERTS_SFB, ref.ASSIGN_CERT_SFB),
        ),
    ),
    Rule(
        code="CRT015",
        name="auth-cert-missing-on-server",
        severity=Severity.ERROR,
        summary="The Exchange Auth certificate is absent from an Exchange server's certificates",
        check=check_auth_cert_missing_on_server,
        doc=RuleDoc(
            what=(
                "Reports each Exchange server whose `Get-ExchangeCertificate` export does not "
                "hold the certificate `Get-AuthConfig` names as current, naming the server. "
                "Exports are attributed to servers by `PSComputerName` (or an `Identity` of "
                "the form `SERVER\\thumbprint`) and matched to `Get-ExchangeServer` by FQDN or "
                "name; Edge Transport servers are not checked, and a server without an export "
                "is not assumed to lack the certificate."
            ),
            why=(
                "Every Mailbox server signs and validates server-to-server tokens with the "
                "Auth certificate, so it must be installed on all of them. A server that "
                "lacks it (added after the certificate was renewed, or restored) fails the "
                "requests it handles: Lync's unified contact store and archiving, OWA and "
                "ECP, and hybrid free/busy break for the users that server serves."
            ),
            bad="<!-- Get-AuthConfig: CurrentCertificateThumbprint C3EDCF181EF4F9B53D01768ECA99564014BCA6E7 -->\n"
            "<!-- exchange/atl-exch-002-certificates.xml (PSComputerName atl-exch-002.litwareinc.com):\n"
            "     only the IIS certificate 5A6B... -->",
            good="<!-- every Exchange server's export holds C3EDCF181EF4F9B53D01768ECA99564014BCA6E7 -->",
            fix=(
                "# on a server that has the certificate: export it with its key\n"
                "$password = Read-Host -AsSecureString -Prompt 'PFX password'\n"
                "$pfx = Export-ExchangeCertificate -Thumbprint <thumbprint> -BinaryEncoded "
                "-Password $password\n"
                "[System.IO.File]::WriteAllBytes('C:\\Temp\\AuthCert.pfx', $pfx.FileData)\n"
                "# import it on the server that lacks it\n"
                "Import-ExchangeCertificate -Server <server> -FileData "
                "([System.IO.File]::ReadAllBytes('C:\\Temp\\AuthCert.pfx')) -Password $password "
                "-PrivateKeyExportable $true"
            ),
            evidence=(
                "Get-AuthConfig and Get-ExchangeCertificate exports attributed to Exchange "
                "servers (with Get-ExchangeServer to name them)"
            ),
            references=_EXCHANGE_REFERENCES,
        ),
    ),
    Rule(
        code="CRT016",
        name="auth-next-cert-missing",
        severity=Severity.WARNING,
        summary="The Exchange Auth certificate expires within warn-days and no next one is set",
        check=check_auth_next_cert_missing,
        options=NextCertOptions,
        doc=RuleDoc(
            what=(
                "Reports a `Get-AuthConfig` whose current Auth certificate expires within "
                "`warn-days` (60) of the evaluation date, or has expired, while "
                "`NextCertificateThumbprint` is empty. The expiry is read from the "
                "`Get-ExchangeCertificate` export (or a certificate file) of that thumbprint."
            ),
            why=(
                "Exchange switches to the next Auth certificate by itself (the AuthAdmin "
                "servicelet publishes it on its effective date) only if one is configured. "
                "Without it, the current certificate simply expires and server-to-server "
                "authentication with Lync, SharePoint and Exchange Online stops, with Outlook, "
                "OWA and ECP symptoms."
            ),
            bad=_AUTH_CONFIG.format(
                next_thumbprint="", next_date='<Nil N="NextCertificateEffectiveDate" />'
            )
            + "\n<!-- the current certificate expires in 30 days -->",
            good=_AUTH_CONFIG.format(
                next_thumbprint="7D3E9A0C61B24F85A1C9E0D2B3F4A5C6D7E8F901",
                next_date='<DT N="NextCertificateEffectiveDate">2026-12-01T00:00:00Z</DT>',
            ),
            fix=(
                "$cert = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true "
                '-SubjectName "cn=Microsoft Exchange Server Auth Certificate" '
                '-FriendlyName "Microsoft Exchange Server Auth Certificate" -DomainName @()\n'
                "Set-AuthConfig -NewCertificateThumbprint $cert.Thumbprint "
                "-NewCertificateEffectiveDate (Get-Date).AddDays(2)"
            ),
            evidence="Get-AuthConfig and the Get-ExchangeCertificate export of its current certificate",
            references=_EXCHANGE_REFERENCES,
        ),
    ),
)
