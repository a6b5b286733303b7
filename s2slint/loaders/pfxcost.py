"""How much key derivation a PFX asks for, read from its ASN.1 before any key is derived.

Opening a PFX derives keys from the password: for its MAC and for each encrypted part,
each as many times as the file says. A 3 KB file that says 2^31-1 kept OpenSSL busy
for about 25 minutes, and s2slint tries up to three passwords (none, empty, the one
supplied). So before `cryptography` sees a PFX, this module adds up every iteration
count the file holds: the MAC's, every encrypted part's and every shrouded key's, and
`loaders.certs` refuses a file above `limits.max_pfx_iterations` (INP004).

Some of those counts are themselves encrypted: a key bag may sit inside an encrypted
part, and OpenSSL derives its key only after decrypting that part. So each encrypted
part is decrypted here too, with the passwords s2slint would try, once the counts
that are visible are known to be within the limit (so this costs no more than what
the limit allows); a part encrypted with an algorithm s2slint cannot decrypt is
refused, since what it hides cannot be bounded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from s2slint.loaders import ber, rc2

__all__ = ["Password", "passwords_to_try", "refusal"]

DATA = "1.2.840.113549.1.7.1"
ENCRYPTED_DATA = "1.2.840.113549.1.7.6"
SHROUDED_KEY_BAG = "1.2.840.113549.1.12.10.1.2"
SAFE_CONTENTS_BAG = "1.2.840.113549.1.12.10.1.6"
PBES2 = "1.2.840.113549.1.5.13"
PBKDF2 = "1.2.840.113549.1.5.12"
PBMAC1 = "1.2.840.113549.1.5.14"

# PKCS#12 password-based encryption (RFC 7292, appendix C): cipher, key bytes, IV
# bytes, RC2 effective bits.
_PKCS12_PBE = {
    "1.2.840.113549.1.12.1.1": ("rc4", 16, 0, 0),
    "1.2.840.113549.1.12.1.2": ("rc4", 5, 0, 0),
    "1.2.840.113549.1.12.1.3": ("3des", 24, 8, 0),
    "1.2.840.113549.1.12.1.4": ("3des", 16, 8, 0),
    "1.2.840.113549.1.12.1.5": ("rc2", 16, 8, 128),
    "1.2.840.113549.1.12.1.6": ("rc2", 5, 8, 40),
}
# PKCS#5 v1.5 (PBES1): digest of PBKDF1, cipher, RC2 effective bits.
_PBES1 = {
    "1.2.840.113549.1.5.1": ("md2", "des", 0),
    "1.2.840.113549.1.5.3": ("md5", "des", 0),
    "1.2.840.113549.1.5.4": ("md2", "rc2", 64),
    "1.2.840.113549.1.5.6": ("md5", "rc2", 64),
    "1.2.840.113549.1.5.10": ("sha1", "des", 0),
    "1.2.840.113549.1.5.11": ("sha1", "rc2", 64),
}
_PRF = {
    "1.2.840.113549.2.7": "sha1",
    "1.2.840.113549.2.8": "sha224",
    "1.2.840.113549.2.9": "sha256",
    "1.2.840.113549.2.10": "sha384",
    "1.2.840.113549.2.11": "sha512",
}
# PBES2 encryption schemes: cipher and key bytes (RC2's come from its parameters).
_PBES2_CIPHERS = {
    "2.16.840.1.101.3.4.1.2": ("aes", 16),
    "2.16.840.1.101.3.4.1.22": ("aes", 24),
    "2.16.840.1.101.3.4.1.42": ("aes", 32),
    "1.2.840.113549.3.7": ("3des", 24),
    "1.3.14.3.2.7": ("des", 8),
    "1.2.840.113549.3.2": ("rc2", 16),
}
_RC2_VERSIONS = {160: 40, 120: 64, 58: 128}
_MAX_BAG_NESTING = 8
MAX_INSPECTED_BYTES = 4 * 1024 * 1024
"""Largest encrypted part decrypted to look inside; a larger one is refused."""


@dataclass(frozen=True, slots=True)
class Password:
    """One password s2slint will try, as the two key derivations take it.

    PKCS#12's own derivation takes the password as big-endian UTF-16 with a closing
    zero (`bmp`); PBKDF2 takes its UTF-8 bytes (`raw`). "No password" is empty in both.
    """

    bmp: bytes
    raw: bytes


def passwords_to_try(supplied: str | None) -> list[Password]:
    """Return the passwords `loaders.certs` tries, in order: none, empty, the supplied one."""
    tried = [Password(b"", b""), Password(b"\0\0", b"")]
    if supplied is not None:
        tried.append(Password(supplied.encode("utf-16-be") + b"\0\0", supplied.encode("utf-8")))
    return tried


class _Unbounded(Exception):
    """A part whose cost or content cannot be known before OpenSSL opens it."""


@dataclass(slots=True)
class _Encrypted:
    """An encrypted part: its algorithm and the bytes to decrypt."""

    algorithm: ber.Element
    ciphertext: bytes


@dataclass(slots=True)
class _Walk:
    """What the walk found: the visible iteration counts and the encrypted parts."""

    iterations: int = 0
    encrypted: list[_Encrypted] = field(default_factory=list)


def refusal(data: bytes, passwords: Sequence[Password], limit: int) -> str | None:
    """Return why the PFX `data` must not be opened, or None when it may be.

    The reason is the end of an INP004 message. A file whose structure cannot be read
    here is left to `cryptography`, which will not read it either.
    """
    try:
        walk = _walk(data)
    except ber.BerError:
        return None
    except _Unbounded as error:
        return str(error)
    if walk.iterations > limit:
        return _too_many(walk.iterations, limit)
    worst = walk.iterations
    for password in passwords:
        total = walk.iterations
        for part in walk.encrypted:
            try:
                plain = _decrypt(part, password)
            except _Unbounded as error:
                return str(error)
            if plain is None:
                continue
            try:
                contents = ber.read(plain)
                if not contents.is_universal(ber.SEQUENCE) or contents.after != len(plain):
                    continue  # not the password: garbage that happened to decrypt
                total += _bags_cost(contents, 0)
            except ber.BerError:
                continue  # not the password: garbage that happened to end in valid padding
            except _Unbounded as error:
                return str(error)
        worst = max(worst, total)
    return _too_many(worst, limit) if worst > limit else None


def _too_many(iterations: int, limit: int) -> str:
    return (
        f"it asks for {iterations:,} key-derivation iterations (its MAC and encrypted parts "
        f"together), more than the {limit:,} s2slint allows before deriving any key "
        "(limit max_pfx_iterations)"
    )


# ------------------------------------------------------------------ the structure


def _walk(data: bytes) -> _Walk:
    """Read the PFX's MAC and authenticated safe; add up what is visible."""
    pfx = ber.read(data)
    items = ber.children(pfx)
    if not pfx.is_universal(ber.SEQUENCE) or len(items) < 2:
        raise ber.BerError("not a PFX")
    walk = _Walk()
    if len(items) > 2:
        walk.iterations += _mac_cost(items[2])
    content_type, content = _content_info(items[1])
    if content_type != DATA or content is None:
        return walk  # OpenSSL opens only password-protected (data) PFX files
    safe = ber.read(ber.octets(content))
    for info in ber.children(safe):
        part_type, part = _content_info(info)
        if part is None:
            continue
        if part_type == DATA:
            walk.iterations += _bags_cost(ber.read(ber.octets(part)), 0)
        elif part_type == ENCRYPTED_DATA:
            walk.iterations += _encrypted_part(part, walk)
    return walk


def _content_info(info: ber.Element) -> tuple[str, ber.Element | None]:
    """Return a ContentInfo's type and the element inside its `[0] EXPLICIT` content."""
    parts = ber.children(info)
    kind = ber.oid(parts[0])
    if len(parts) < 2 or not parts[1].is_context(0):
        return kind, None
    inner = ber.children(parts[1])
    return kind, inner[0] if inner else None


def _mac_cost(mac_data: ber.Element) -> int:
    """Return the iterations of the MAC (MacData.iterations, PBMAC1's PBKDF2 too)."""
    parts = ber.children(mac_data)
    algorithm = ber.children(ber.children(parts[0])[0])
    iterations = ber.integer(parts[2]) if len(parts) > 2 else 1
    cost = max(iterations, 0)
    if ber.oid(algorithm[0]) == PBMAC1 and len(algorithm) > 1:
        kdf = ber.children(ber.children(algorithm[1])[0])
        cost += _kdf_iterations(kdf)
    return cost


def _encrypted_part(part: ber.Element, walk: _Walk) -> int:
    """Note an EncryptedData for decryption; return its algorithm's iterations."""
    fields = ber.children(part)
    info = ber.children(fields[1])
    algorithm = info[1]
    if len(info) > 2 and info[2].is_context(0):
        walk.encrypted.append(_Encrypted(algorithm, ber.octets(info[2])))
    return _algorithm_iterations(algorithm)


def _bags_cost(safe_contents: ber.Element, nesting: int) -> int:
    """Return the iterations of the shrouded keys in SafeContents, nested bags included."""
    if nesting > _MAX_BAG_NESTING:
        raise _Unbounded("its bags are nested more deeply than any PFX nests them")
    cost = 0
    for bag in ber.children(safe_contents):
        fields = ber.children(bag)
        kind = ber.oid(fields[0])
        if len(fields) < 2 or not fields[1].is_context(0):
            continue
        value = ber.children(fields[1])[0]
        if kind == SHROUDED_KEY_BAG:
            cost += _algorithm_iterations(ber.children(value)[0])
        elif kind == SAFE_CONTENTS_BAG:
            cost += _bags_cost(value, nesting + 1)
    return cost


def _algorithm_iterations(algorithm: ber.Element) -> int:
    """Return the iterations a password-based AlgorithmIdentifier asks for (0 if none)."""
    parts = ber.children(algorithm)
    kind = ber.oid(parts[0])
    if kind in _PKCS12_PBE or kind in _PBES1:
        return max(ber.integer(ber.children(parts[1])[1]), 0)
    if kind == PBES2:
        kdf = ber.children(ber.children(parts[1])[0])
        return _kdf_iterations(kdf)
    return 0  # not password-based: OpenSSL derives nothing for it


def _kdf_iterations(kdf: list[ber.Element]) -> int:
    """Return PBKDF2's iteration count; any other KDF cannot be bounded here."""
    kind = ber.oid(kdf[0])
    if kind != PBKDF2:
        raise _Unbounded(
            f"it derives its keys with {kind}, whose cost s2slint cannot bound before "
            "running it (only PBKDF2 and the PKCS#12 derivation are read)"
        )
    return max(ber.integer(ber.children(kdf[1])[1]), 0)


# ----------------------------------------------------------------- decryption


def _decrypt(part: _Encrypted, password: Password) -> bytes | None:
    """Return the plaintext of an encrypted part, or None if `password` does not open it."""
    if len(part.ciphertext) > MAX_INSPECTED_BYTES:
        raise _Unbounded(
            f"an encrypted part of {len(part.ciphertext):,} bytes is larger than s2slint "
            "decrypts to check what it holds"
        )
    parts = ber.children(part.algorithm)
    kind = ber.oid(parts[0])
    if kind in _PKCS12_PBE:
        cipher, key_size, iv_size, bits = _PKCS12_PBE[kind]
        salt, iterations = _salt_and_count(parts[1])
        key = _pkcs12_kdf(password.bmp, salt, 1, iterations, key_size)
        iv = _pkcs12_kdf(password.bmp, salt, 2, iterations, iv_size) if iv_size else b""
        return _run(cipher, key, iv, bits, part.ciphertext)
    if kind in _PBES1:
        digest, cipher, bits = _PBES1[kind]
        if digest not in hashlib.algorithms_available:
            raise _Unbounded(f"its encryption ({kind}) cannot be checked before opening")
        salt, iterations = _salt_and_count(parts[1])
        derived = password.raw + salt  # PBKDF1: the digest of password and salt, repeated
        for _ in range(iterations):
            derived = hashlib.new(digest, derived).digest()
        return _run(cipher, derived[:8], derived[8:16], bits, part.ciphertext)
    if kind == PBES2:
        return _pbes2(ber.children(parts[1]), password, part.ciphertext)
    return None  # not password-based: OpenSSL cannot open it with a password either


def _salt_and_count(parameters: ber.Element) -> tuple[bytes, int]:
    fields = ber.children(parameters)
    return ber.octets(fields[0]), max(ber.integer(fields[1]), 0)


def _pbes2(parameters: list[ber.Element], password: Password, data: bytes) -> bytes | None:
    """Decrypt with PBES2: PBKDF2, then the encryption scheme."""
    kdf = ber.children(parameters[0])
    scheme = ber.children(parameters[1])
    cipher_oid = ber.oid(scheme[0])
    if ber.oid(kdf[0]) != PBKDF2 or cipher_oid not in _PBES2_CIPHERS:
        raise _Unbounded(
            f"it encrypts with {cipher_oid}, which s2slint cannot decrypt to check the key "
            "derivations it hides"
        )
    cipher, key_size = _PBES2_CIPHERS[cipher_oid]
    fields = ber.children(kdf[1])
    salt = ber.octets(fields[0])
    iterations = max(ber.integer(fields[1]), 0)
    prf = "sha1"
    for extra in fields[2:]:
        if extra.is_universal(ber.INTEGER):
            key_size = ber.integer(extra)
        elif extra.is_universal(ber.SEQUENCE):
            prf = _PRF.get(ber.oid(ber.children(extra)[0]), "")
    if not prf or not 1 <= key_size <= 64:
        raise _Unbounded("its PBKDF2 parameters cannot be checked before opening")
    bits = key_size * 8
    if cipher == "rc2":
        rc2_fields = ber.children(scheme[1])
        version = ber.integer(rc2_fields[0]) if len(rc2_fields) > 1 else 32
        bits = _RC2_VERSIONS.get(version, version if version >= 256 else 32)
        iv = ber.octets(rc2_fields[-1])
    else:
        iv = ber.octets(scheme[1])
    key = hashlib.pbkdf2_hmac(prf, password.raw, salt, iterations, key_size)
    return _run(cipher, key, iv, bits, data)


def _pkcs12_kdf(password: bytes, salt: bytes, purpose: int, iterations: int, size: int) -> bytes:
    """Derive `size` bytes with PKCS#12's SHA-1 key derivation (RFC 7292, appendix B)."""
    block = 64  # SHA-1's input block

    def fill(value: bytes) -> bytes:
        if not value:
            return b""
        length = block * ((len(value) + block - 1) // block)
        return (value * (length // len(value) + 1))[:length]

    diversifier = bytes([purpose]) * block
    material = bytearray(fill(salt) + fill(password))
    derived = b""
    while len(derived) < size:
        digest = hashlib.sha1(diversifier + material).digest()
        for _ in range(iterations - 1):
            digest = hashlib.sha1(digest).digest()
        derived += digest
        addend = int.from_bytes(fill(digest), "big") + 1
        for start in range(0, len(material), block):
            chunk = int.from_bytes(material[start : start + block], "big") + addend
            material[start : start + block] = (chunk % (1 << (block * 8))).to_bytes(block, "big")
    return derived[:size]


def _run(cipher: str, key: bytes, iv: bytes, bits: int, data: bytes) -> bytes | None:
    """Decrypt and strip the padding; None when the padding shows a wrong key."""
    if cipher == "rc4":
        return _stream(key, data)
    size = 16 if cipher == "aes" else 8
    if not data or len(data) % size or len(iv) != size:
        return None
    # CBC: the last plaintext block is its ciphertext decrypted, XOR the one before.
    before = data[-2 * size : -size] if len(data) > size else iv
    pad = _blocks(cipher, key, bits, data[-size:])[-1] ^ before[-1]
    if not 1 <= pad <= size:
        return None  # most wrong keys end here, after one block
    plain = _cbc(cipher, key, iv, bits, data)
    if plain[-pad:] != bytes([pad]) * pad:
        return None
    return plain[:-pad]


def _blocks(cipher: str, key: bytes, bits: int, block: bytes) -> bytes:
    """Decrypt one block in ECB (for the padding check)."""
    if cipher == "rc2":
        return rc2.decrypt_block(key, bits, block)
    return _primitive(cipher, key, None)(block)


def _cbc(cipher: str, key: bytes, iv: bytes, bits: int, data: bytes) -> bytes:
    if cipher == "rc2":
        return rc2.decrypt_cbc(key, bits, iv, data)
    return _primitive(cipher, key, iv)(data)


def _primitive(cipher: str, key: bytes, iv: bytes | None) -> Callable[[bytes], bytes]:
    """Return a decryption function of `cryptography` (ECB when `iv` is None)."""
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    # TripleDES takes 8-byte (single DES), 16-byte (two-key) and 24-byte keys.
    algorithm = algorithms.AES(key) if cipher == "aes" else TripleDES(key)
    mode = modes.ECB() if iv is None else modes.CBC(iv)

    def decrypt(data: bytes) -> bytes:
        decryptor = Cipher(algorithm, mode).decryptor()
        return decryptor.update(data) + decryptor.finalize()

    return decrypt


def _stream(key: bytes, data: bytes) -> bytes:
    from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
    from cryptography.hazmat.primitives.ciphers import Cipher

    decryptor = Cipher(ARC4(key), mode=None).decryptor()
    return decryptor.update(data) + decryptor.finalize()
