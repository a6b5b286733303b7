"""PFX files with chosen iteration counts, written by hand (DER) for the cost tests.

A PFX asking for 2^31-1 iterations cannot be made by a library: making it would take
as long as opening it. These are assembled from DER pieces instead (the encoders of
`fixturegen`); a part whose key nobody should ever derive holds random bytes, and a
MAC with a huge count holds a made-up value, since OpenSSL derives the key before it
compares anything.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fixturegen import (  # type: ignore[attr-defined]
    _der,
    _explicit,
    _int,
    _octets,
    _oid,
    _pbe_3des,
    _pkcs12_kdf,
    _seq,
)

DATA = "1.2.840.113549.1.7.1"
ENCRYPTED_DATA = "1.2.840.113549.1.7.6"
PBE_3DES = "1.2.840.113549.1.12.1.3"
PBES2 = "1.2.840.113549.1.5.13"
PBKDF2 = "1.2.840.113549.1.5.12"
HMAC_SHA256 = "1.2.840.113549.2.9"
AES_256_CBC = "2.16.840.1.101.3.4.1.42"
SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2"
SAFE_CONTENTS_BAG = "1.2.840.113549.1.12.10.1.6"
CERT_BAG = "1.2.840.113549.1.12.10.1.3"
X509_CERT = "1.2.840.113549.1.9.22.1"
SHA1 = "1.3.14.3.2.26"
HUGE = 2**31 - 1
EMPTY = b"\0\0"
"""The empty password as PKCS#12 derives keys from it (UTF-16, a closing zero)."""


@dataclass(frozen=True)
class Counts:
    """The iteration counts one PFX asks for; None leaves the part out."""

    mac: int = 2048
    key: int | None = 2048
    key_scheme: str = "pkcs12"  # "pkcs12" (3DES) or "pbes2" (PBKDF2 and AES)
    certs: int = 2048
    hidden_key: int | None = None
    """A shrouded key inside the encrypted part: seen only once that part is decrypted."""


def certificate_der() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "litwareinc.com")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(datetime(2026, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2028, 1, 1, tzinfo=UTC))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def _pbe(iterations: int, salt: bytes) -> bytes:
    return _seq(_oid(PBE_3DES), _seq(_octets(salt), _int(iterations)))


def _pbes2(iterations: int) -> bytes:
    kdf = _seq(
        _oid(PBKDF2),
        _seq(_octets(os.urandom(8)), _int(iterations), _seq(_oid(HMAC_SHA256), _der(0x05, b""))),
    )
    return _seq(_oid(PBES2), _seq(kdf, _seq(_oid(AES_256_CBC), _octets(os.urandom(16)))))


def _shrouded_key(iterations: int, scheme: str = "pkcs12") -> bytes:
    """A shrouded key bag whose key is never to be derived: its ciphertext is noise."""
    algorithm = _pbe(iterations, os.urandom(8)) if scheme == "pkcs12" else _pbes2(iterations)
    value = _seq(algorithm, _octets(os.urandom(160)))
    return _seq(_oid(SHROUDED_KEY_BAG), _explicit(0, value))


def pfx(counts: Counts) -> bytes:
    """Return a PFX with the empty password asking for `counts`."""
    cert_bag = _seq(
        _oid(CERT_BAG),
        _explicit(0, _seq(_oid(X509_CERT), _explicit(0, _octets(certificate_der())))),
    )
    bags = [cert_bag]
    if counts.hidden_key is not None:
        bags.append(_shrouded_key(counts.hidden_key))
    cert_salt = os.urandom(8)
    if counts.certs <= 100_000:
        encrypted = _pbe_3des(EMPTY, cert_salt, counts.certs, _seq(*bags))
    else:
        encrypted = os.urandom(512)  # never decrypted: deriving its key must not happen
    encrypted_data = _seq(
        _int(0), _seq(_oid(DATA), _pbe(counts.certs, cert_salt), _der(0x80, encrypted))
    )
    contents = [_seq(_oid(ENCRYPTED_DATA), _explicit(0, encrypted_data))]
    if counts.key is not None:
        key_bags = _seq(_shrouded_key(counts.key, counts.key_scheme))
        contents.insert(0, _seq(_oid(DATA), _explicit(0, _octets(key_bags))))
    auth_safe = _seq(*contents)
    mac_salt = os.urandom(20)
    if counts.mac <= 100_000:
        mac_key = _pkcs12_kdf(EMPTY, mac_salt, 3, counts.mac, 20)
        mac = hmac.new(mac_key, auth_safe, hashlib.sha1).digest()
    else:
        mac = os.urandom(20)  # never checked: deriving its key is what must not happen
    mac_data = _seq(
        _seq(_seq(_oid(SHA1), _der(0x05, b"")), _octets(mac)), _octets(mac_salt), _int(counts.mac)
    )
    return _seq(_int(3), _seq(_oid(DATA), _explicit(0, _octets(auth_safe))), mac_data)
