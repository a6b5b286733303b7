"""Which certificates the CRT rules look at, and how their properties are read.

"In scope" are the Lync OAuthTokenIssuer certificate(s) named by `Get-CsCertificate`
(the one in force, and a roll waiting for its `EffectiveDate`) and the Exchange Auth
certificate(s) named by `Get-AuthConfig` (current and next); other certificate uses
(Default, WebServices...) are not. Each in-scope thumbprint is gathered once with every
copy of its certificate in the bundle (a .cer and a .pfx, the same certificate on several
Exchange servers), so a problem is reported once with the other copies as `related`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from s2slint.findings import Location
from s2slint.model import (
    Certificate,
    CsCertificate,
    Located,
    Model,
    normalize_thumbprint,
)
from s2slint.rule import NotEvaluated, RuleContext, not_evaluated

from ._dates import utc
from ._judge import Seen

T = TypeVar("T")

OAUTH = "OAuthTokenIssuer"
EXCHANGE_AUTH = "Exchange Auth"
CURRENT = "current"
NEXT = "next"

FILE_ORIGINS = frozenset({"pem", "der", "pkcs7", "pkcs12"})
"""Certificate origins that are files of the bundle; anything else came from an export
(Get-ExchangeCertificate RawData or properties)."""


def thumbprint_of(located: Located[str] | None) -> str:
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
    def finding_key(self) -> str:
        """The key of findings about this certificate (one per thumbprint)."""
        return f"certificate:{self.thumbprint}"

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
        thumbprint = thumbprint_of(entry.thumbprint)
        if not entry.is_oauth or not thumbprint or entry.thumbprint is None:
            continue
        pending = entry.effective_date is not None and (
            now is None or utc(entry.effective_date.value) > utc(now)
        )
        stage = NEXT if pending else CURRENT
        source = "Get-CsCertificate OAuthTokenIssuer assignment"
        add(thumbprint, OAUTH, stage, source, entry.thumbprint.loc).entries.append(entry)
    for config in model.exchange_auth_configs:
        for located, stage, prop in (
            (config.current_thumbprint, CURRENT, "CurrentCertificateThumbprint"),
            (config.next_thumbprint, NEXT, "NextCertificateThumbprint"),
        ):
            thumbprint = thumbprint_of(located)
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
    files = has_certificate_files(model)
    evidence = {
        OAUTH: files or assignment_evidence,
        EXCHANGE_AUTH: has_certificate_exports(model) or (files and not exchange_export),
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
        lambda e: Located(e.alternative_names, e.loc) if e.alternative_names else None,
    )
