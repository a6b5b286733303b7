"""Which certificates the CRT rules look at, and how their properties are read.

"In scope" are the Lync OAuthTokenIssuer certificate(s) named by `Get-CsCertificate`
(the one in force, and a roll waiting for its `EffectiveDate`), the Exchange Auth
certificate(s) named by `Get-AuthConfig` (current and next) and, when the SharePoint
farm's `Get-SPSecurityTokenServiceConfig` is exported, its token-signing certificate;
other certificate uses (Default, WebServices...) are not. Each in-scope thumbprint is gathered once with every
copy of its certificate in the bundle (a .cer and a .pfx, the same certificate on several
Exchange servers), so a problem is reported once with the other copies as `related`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from s2slint.findings import Location
from s2slint.model import (
    Certificate,
    CsCertificate,
    EmbeddedCertificate,
    ExchangeAuthConfig,
    Located,
    Model,
    normalize_thumbprint,
)
from s2slint.rule import NotEvaluated, RuleContext, not_evaluated

from .._shared.memo import last_answer
from .._shared.oauth_certs import export_timelines
from ._dates import utc
from ._judge import Seen

T = TypeVar("T")

OAUTH = "OAuthTokenIssuer"
EXCHANGE_AUTH = "Exchange Auth"
SHAREPOINT_STS = "SharePoint STS signing"
"""SharePoint's security token service certificate: in scope when its export is there."""
ROLES = (OAUTH, EXCHANGE_AUTH, SHAREPOINT_STS)
"""The roles of the rules whose scope is every certificate (CRT003/006/007/008/009/013)."""
CURRENT = "current"
NEXT = "next"
PREVIOUS = "previous"

FILE_ORIGINS = frozenset({"pem", "der", "pkcs7", "pkcs12"})
"""Certificate origins that are files of the bundle; anything else came from an export
(Get-ExchangeCertificate RawData or properties)."""


def thumbprint_of(located: Located[str] | None) -> str:
    """Return a located thumbprint in canonical form ("" when absent or empty)."""
    return normalize_thumbprint(located.value) if located is not None else ""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ScopedCertificate:
    """A certificate the S2S rules look at, with every copy the bundle holds of it.

    `stage` is "current" (in force at the evaluation date), "next" (a Lync roll before
    its effective date, or Exchange's next certificate before its effective date) or
    "previous" (Exchange's `CurrentCertificateThumbprint` once the next one is in force). `named_at` are the places that name the
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
    def finding_key(self) -> str:
        """The key of findings about this certificate (one per thumbprint)."""
        return f"certificate:{self.thumbprint}"

    @property
    def title(self) -> str:
        """Name the certificate's role for messages ("rolled OAuthTokenIssuer certificate")."""
        if self.stage == NEXT:
            return ("rolled " if self.role == OAUTH else "next ") + f"{self.role} certificate"
        if self.stage == PREVIOUS:
            return f"replaced {self.role} certificate"
        return f"{self.role} certificate"

    def describe(self) -> str:
        """Return the role, subject and thumbprint, for messages."""
        subject = self.copies[0].subject if self.copies else None
        if subject is None:
            subject = next((e.subject.value for e in self.assignments if e.subject), None)
        if subject:
            return f'{self.title} "{subject}" (thumbprint {self.thumbprint})'
        return f"{self.title} (thumbprint {self.thumbprint})"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Named:
    """A place that names an in-scope certificate, with the role and stage it gives it."""

    thumbprint: str
    role: str
    stage: str
    source: str
    loc: Location
    entry: CsCertificate | None = None


def _lync_named(model: Model, now: datetime) -> Iterator[Named]:
    """Name Lync's OAuthTokenIssuer certificates: in force, or staged (a superseded one is not)."""
    source = "Get-CsCertificate OAuthTokenIssuer assignment"
    for line in export_timelines(model, now):
        in_force = (line.in_force,) if line.in_force is not None else ()
        for stage, chosen in ((CURRENT, in_force), (NEXT, line.staged)):
            for entry in chosen:
                if entry.thumbprint is not None:
                    thumbprint = thumbprint_of(entry.thumbprint)
                    yield Named(thumbprint, OAUTH, stage, source, entry.thumbprint.loc, entry)


def exchange_in_force(config: ExchangeAuthConfig, now: datetime) -> bool:
    """Tell whether the next Exchange Auth certificate is in force at `now`.

    Exchange's current certificate is `CurrentCertificateThumbprint` until
    `NextCertificateEffectiveDate`, then `NextCertificateThumbprint`.
    """
    date = config.next_effective_date
    return bool(thumbprint_of(config.next_thumbprint)) and (
        date is not None and utc(date.value) <= utc(now)
    )


def _exchange_named(model: Model, now: datetime) -> Iterator[Named]:
    """Name Exchange's Auth certificates from `Get-AuthConfig`: current and next."""
    for config in model.exchange_auth_configs:
        switched = exchange_in_force(config, now)
        for located, stage, prop in (
            (config.current_thumbprint, PREVIOUS if switched else CURRENT, "Current"),
            (config.next_thumbprint, CURRENT if switched else NEXT, "Next"),
        ):
            thumbprint = thumbprint_of(located)
            if thumbprint and located is not None:
                source = f"Get-AuthConfig {prop}CertificateThumbprint"
                yield Named(thumbprint, EXCHANGE_AUTH, stage, source, located.loc)


def _sharepoint_named(model: Model, now: datetime) -> Iterator[Named]:
    """Name SharePoint's token-signing certificate (`Get-SPSecurityTokenServiceConfig`)."""
    source = "Get-SPSecurityTokenServiceConfig SigningCertificate"
    for sts in model.sharepoint_sts_configs:
        embedded = sts.signing_certificate
        if embedded is not None and embedded.thumbprint:
            yield Named(embedded.thumbprint, SHAREPOINT_STS, CURRENT, source, embedded.loc)


def _embedded_copy(embedded: EmbeddedCertificate) -> Certificate | None:
    """Return the copy of a certificate an export embeds: decoded, else its dates alone.

    Without `RawData` the key and signature are unknown (`key_type` "unknown"), as for
    a `Get-ExchangeCertificate` export without it; without dates there is no copy.
    """
    if embedded.decoded is not None:
        return embedded.decoded
    if embedded.not_before is None or embedded.not_after is None:
        return None
    return Certificate(
        loc=embedded.loc,
        origin="clixml",
        thumbprint=embedded.thumbprint,
        subject=embedded.subject or "",
        issuer="",
        serial_number="",
        not_before=embedded.not_before,
        not_after=embedded.not_after,
        key_type="unknown",
        key_bits=None,
        signature_hash=None,
        dns_names=(),
        key_usage_digital_signature=None,
        has_private_key=False,
        private_key_matches=None,
    )


def _embedded_copies(model: Model) -> Iterator[Certificate]:
    """Yield the certificates exports hold themselves (SharePoint's token service's)."""
    for sts in model.sharepoint_sts_configs:
        if sts.signing_certificate is not None:
            copy = _embedded_copy(sts.signing_certificate)
            if copy is not None:
                yield copy


NAMERS: tuple[Callable[[Model, datetime], Iterable[Named]], ...] = (
    _lync_named,
    _exchange_named,
    _sharepoint_named,
)
"""Where in-scope certificates are named, role by role."""

_STAGE_RANK = {CURRENT: 0, NEXT: 1, PREVIOUS: 2}


def scoped_certificates(model: Model, now: datetime) -> list[ScopedCertificate]:
    """Return every in-scope certificate of the bundle, by thumbprint (see `_scope_of`).

    Thirteen rules ask for it; it is worked out once per model and date (`last_answer`),
    and each caller gets a list of its own to change.
    """
    return list(_scope_once(model, now))


@last_answer
def _scope_once(model: Model, now: datetime) -> tuple[ScopedCertificate, ...]:
    return tuple(_scope_of(model, now))


def _scope_of(model: Model, now: datetime) -> list[ScopedCertificate]:
    """Return every in-scope certificate of the bundle, by thumbprint.

    Lync: the `Get-CsCertificate` OAuthTokenIssuer entry in force on each export (any
    server, or global) and each roll staged after the evaluation date (`now`). Exchange:
    AuthConfig's current and next certificates, switched once `NextCertificateEffectiveDate`
    has passed. SharePoint: the token service's signing certificate, whose copy is the
    export's own. A thumbprint gets its most pressing stage (current, then next); the first
    role that names it wins.
    """
    named: dict[str, list[Named]] = {}
    for namer in NAMERS:
        for name in namer(model, now):
            named.setdefault(name.thumbprint, []).append(name)
    copies: dict[str, list[Certificate]] = {}
    for certificate in (*model.certificates, *_embedded_copies(model)):
        copies.setdefault(normalize_thumbprint(certificate.thumbprint), []).append(certificate)
    scoped = []
    for thumbprint, names in named.items():
        first = min(names, key=lambda n: _STAGE_RANK[n.stage])
        scoped.append(
            ScopedCertificate(
                thumbprint=thumbprint,
                role=names[0].role,
                stage=first.stage,
                source=first.source,
                named_at=tuple(n.loc for n in names),
                copies=tuple(sorted(copies.get(thumbprint, ()), key=lambda c: c.loc.sort_key())),
                assignments=tuple(n.entry for n in names if n.entry is not None),
            )
        )
    return sorted(scoped, key=lambda s: s.thumbprint)


def has_certificate_files(model: Model) -> bool:
    """Tell whether the bundle holds certificate files (readable or not)."""
    return any(c.origin in FILE_ORIGINS for c in model.certificates) or any(
        f.kind is not None and f.kind.startswith("certificate") for f in model.files
    )


def has_certificate_exports(model: Model) -> bool:
    """Tell whether the bundle holds a certificate export (Get-ExchangeCertificate)."""
    return any(c.origin not in FILE_ORIGINS for c in model.certificates) or any(
        f.kind is not None and "exchange-certificate" in f.kind for f in model.files
    )


def unreadable_certificate_files(model: Model) -> bool:
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
    roles: Iterable[str] = ROLES,
    *,
    assignment_evidence: bool = False,
    exchange_export: bool = False,
    replaced: bool = False,
) -> list[ScopedCertificate] | NotEvaluated:
    """Return the in-scope certificates of `roles` whose evidence kind is in the bundle.

    A role needs the export that names its certificates (Get-CsCertificate, Get-AuthConfig)
    and the certificates themselves: files for the Lync certificate, Exchange certificate
    exports or files for the Exchange one. With `assignment_evidence`, what
    `Get-CsCertificate` itself says (dates, subject, names) is evidence enough for Lync;
    with `exchange_export`, only a `Get-ExchangeCertificate` export is evidence for the
    Exchange certificate (whose home is Exchange's certificate store, not a file).
    SharePoint's token service certificate is in scope only when its export is there,
    and that export holds the certificate itself: it is never what is missing.
    Not evaluated only when no role has both kinds of export. A replaced certificate
    (still named by AuthConfig, no longer in force) is included only with `replaced`.
    """
    roles = tuple(roles)
    named = {
        OAUTH: bool(model.cs_certificates),
        EXCHANGE_AUTH: bool(model.exchange_auth_configs),
        SHAREPOINT_STS: bool(model.sharepoint_sts_configs),
    }
    if not any(named[role] for role in roles):
        return not_evaluated(
            " or ".join(_SCOPE_EVIDENCE[role] for role in roles if role in _SCOPE_EVIDENCE)
            + ", to know which certificates are in scope"
        )
    files = has_certificate_files(model)
    evidence = {
        OAUTH: files or assignment_evidence,
        EXCHANGE_AUTH: has_certificate_exports(model) or (files and not exchange_export),
        SHAREPOINT_STS: True,
    }
    ready = {role for role in roles if named[role] and evidence[role]}
    if not ready:
        wanted = dict(_CERTIFICATE_EVIDENCE)
        if exchange_export:
            wanted[EXCHANGE_AUTH] = (
                "a Get-ExchangeCertificate export of the Exchange Auth certificate"
            )
        return not_evaluated(" or ".join(wanted[role] for role in roles if named[role]))
    return [
        s
        for s in scoped_certificates(model, ctx.now)
        if s.role in ready and (replaced or s.stage != PREVIOUS)
    ]


# ------------------------------------------------------------------------ readers


def from_copies(item: ScopedCertificate, read: Callable[[Certificate], T | None]) -> Seen[T] | None:
    """Read a value from the first copy that has it; the other copies are related."""
    for copy in item.copies:
        value = read(copy)
        if value is not None:
            return Seen(value, copy.loc, tuple(c.loc for c in item.copies if c is not copy))
    return None


def from_assignments(
    item: ScopedCertificate, read: Callable[[CsCertificate], Located[T] | None]
) -> Seen[T] | None:
    """Read a value from the `Get-CsCertificate` entries (when no copy is in the bundle)."""
    found = [located for entry in item.assignments if (located := read(entry)) is not None]
    if not found:
        return None
    return Seen(found[0].value, found[0].loc, tuple(f.loc for f in found[1:]))


def not_after(item: ScopedCertificate) -> Seen[datetime] | None:
    """Return the certificate's NotAfter: from a copy, else from its assignment."""
    return from_copies(item, lambda c: utc(c.not_after)) or from_assignments(
        item, lambda e: e.not_after
    )


def not_before(item: ScopedCertificate) -> Seen[datetime] | None:
    """Return the certificate's NotBefore: from a copy, else from its assignment."""
    return from_copies(item, lambda c: utc(c.not_before)) or from_assignments(
        item, lambda e: e.not_before
    )


def is_decoded(certificate: Certificate) -> bool:
    """Tell whether the certificate itself was decoded (not rebuilt from export properties).

    A `Get-ExchangeCertificate` export without `RawData` gives neither the key type nor
    the signature, nor the KeyUsage extension: what it does not show is unknown.
    """
    return not (certificate.key_type == "unknown" and certificate.signature_hash is None)


def subject(item: ScopedCertificate) -> Seen[str] | None:
    """Return the certificate's subject: from a copy, else from its assignment."""
    return from_copies(item, lambda c: c.subject or None) or from_assignments(
        item, lambda e: e.subject if e.subject is not None and e.subject.value else None
    )


def dns_names(item: ScopedCertificate) -> Seen[tuple[str, ...]] | None:
    """Return the certificate's DNS names: from a decoded copy, else from its assignment.

    An assignment without `AlternativeNames` tells nothing (the property may not have
    been exported), so only a non-empty list counts there.
    """
    found = from_copies(item, lambda c: c.dns_names if is_decoded(c) else None)
    if found is not None:
        return found
    return from_assignments(
        item,
        lambda e: Located.at(e.alternative_names, e.loc) if e.alternative_names else None,
    )
