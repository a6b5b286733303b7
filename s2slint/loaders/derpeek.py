"""A peek at the first DER/BER headers of a file: enough to tell certificate containers apart.

Kept apart from the certificate loader (`s2slint.loaders.certs`, which imports
cryptography and the model) because every run with a PFX password set asks whether
the password may matter to any file, and a run the run cache serves asks nothing else
of the certificate code. `s2slint.loaders.ber` is the full reader, for walking a PFX.
"""

from __future__ import annotations

from dataclasses import dataclass

from s2slint.loaders.text import may_contain

__all__ = [
    "ASN1_INTEGER",
    "ASN1_OID",
    "ASN1_SEQUENCE",
    "Header",
    "inner_tag",
    "looks_like_pkcs12",
    "password_may_matter",
    "read_header",
]

ASN1_SEQUENCE = 0x30
ASN1_INTEGER = 0x02
ASN1_OID = 0x06


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Header:
    """The identifier and length octets of one BER/DER element."""

    tag: int
    header_length: int
    content_length: int | None  # None: indefinite length (BER)

    @property
    def total(self) -> int | None:
        """Return the element's full size in bytes, if its length is definite."""
        if self.content_length is None:
            return None
        return self.header_length + self.content_length


def read_header(data: bytes, offset: int = 0) -> Header | None:
    """Read the element header at `offset`; None if it is not a plausible header.

    Only what certificate containers use is accepted: low tag numbers and lengths of
    up to four octets. This is a sniffing aid, not a parser.
    """
    if offset + 2 > len(data):
        return None
    tag = data[offset]
    if tag & 0x1F == 0x1F:  # high tag number form: never the start of these containers
        return None
    first = data[offset + 1]
    if first < 0x80:
        return Header(tag, 2, first)
    if first == 0x80:
        return Header(tag, 2, None)
    count = first & 0x7F
    if count > 4 or offset + 2 + count > len(data):
        return None
    length = int.from_bytes(data[offset + 2 : offset + 2 + count], "big")
    return Header(tag, 2 + count, length)


def inner_tag(data: bytes) -> int | None:
    """Return the tag of the first element inside the outer SEQUENCE, if there is one.

    It tells the three binary forms apart cheaply: a certificate starts with its
    `tbsCertificate` SEQUENCE, a PKCS#7 ContentInfo with an OID, a PFX with INTEGER 3.
    """
    outer = read_header(data)
    if outer is None or outer.tag != ASN1_SEQUENCE:
        return None
    inner = read_header(data, outer.header_length)
    return None if inner is None else inner.tag


def looks_like_pkcs12(data: bytes) -> bool:
    """Tell whether `data` has the shape of a PFX: SEQUENCE { INTEGER 3, ContentInfo, ...}.

    A wrong password and garbage raise the same ValueError in cryptography; the shape
    decides which of the two the user is told.
    """
    outer = read_header(data)
    if outer is None or outer.tag != ASN1_SEQUENCE:
        return False
    version = read_header(data, outer.header_length)
    if version is None or version.tag != ASN1_INTEGER or version.content_length != 1:
        return False
    value_at = outer.header_length + version.header_length
    if value_at >= len(data) or data[value_at] != 3:
        return False
    auth_safe = read_header(data, value_at + 1)
    return auth_safe is not None and auth_safe.tag == ASN1_SEQUENCE


def password_may_matter(data: bytes) -> bool:
    """Tell whether a file's results may depend on the PFX password, from its bytes.

    A PFX, a PEM file with an encrypted private key (in any encoding), or a ZIP archive
    (whose members may be either) may read differently with another password; nothing
    else reads it. It errs towards True: the run cache stays off for such a bundle when
    a password is supplied (the password must never become key material on disk).
    """
    if data.startswith(b"PK") or looks_like_pkcs12(data):
        return True
    return may_contain(data, "ENCRYPTED")  # `Proc-Type: 4,ENCRYPTED`, `ENCRYPTED PRIVATE KEY`
