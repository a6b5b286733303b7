"""RC2 decryption (RFC 2268) for any effective key length, 40-bit included.

Windows exports the certificates of a PFX encrypted with RC2 and a 40-bit key
(`pbeWithSHAAnd40BitRC2-CBC`). `cryptography` offers RC2 with 128-bit keys only, and
s2slint must read what such a PFX hides inside its encrypted part before OpenSSL opens
it (see `loaders.pfxcost`). Only decryption in CBC mode is needed; the contents are
a few kilobytes, so plain Python is fast enough, and callers bound the size.
"""

from __future__ import annotations

__all__ = ["decrypt_cbc"]

# RFC 2268, section 2: a permutation of 0..255 derived from the digits of pi.
PITABLE = bytes.fromhex(
    "d978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2"
    "179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e82"
    "54d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb626"
    "6fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed7"
    "08e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ec"
    "c2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731"
    "2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a9"
    "0d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad"
)
_MASK = 0xFFFF
_SHIFTS = (1, 2, 3, 5)


def expand_key(key: bytes, effective_bits: int) -> list[int]:
    """Return the 64 16-bit subkeys of `key` for `effective_bits` (RFC 2268, 2)."""
    if not 1 <= len(key) <= 128 or not 1 <= effective_bits <= 1024:
        raise ValueError("RC2 keys are 1 to 128 bytes, with 1 to 1024 effective bits")
    length = len(key)
    table = bytearray(128)
    table[:length] = key
    for i in range(length, 128):
        table[i] = PITABLE[(table[i - 1] + table[i - length]) & 0xFF]
    t8 = (effective_bits + 7) // 8
    tm = 0xFF % (1 << (8 + effective_bits - 8 * t8))
    table[128 - t8] = PITABLE[table[128 - t8] & tm]
    for i in range(127 - t8, -1, -1):
        table[i] = PITABLE[table[i + 1] ^ table[i + t8]]
    return [table[2 * i] | table[2 * i + 1] << 8 for i in range(64)]


def _decrypt_block(subkeys: list[int], block: bytes) -> bytes:
    """Decrypt one 8-byte block (the mixing and mashing rounds in reverse)."""
    r = [block[0] | block[1] << 8, block[2] | block[3] << 8]
    r += [block[4] | block[5] << 8, block[6] | block[7] << 8]
    j = 63
    for rounds, mash in ((5, True), (6, True), (5, False)):
        for _ in range(rounds):
            for i in (3, 2, 1, 0):
                shift = _SHIFTS[i]
                value = ((r[i] >> shift) | (r[i] << (16 - shift))) & _MASK
                value -= subkeys[j] + (r[i - 1] & r[i - 2]) + (~r[i - 1] & r[i - 3])
                r[i] = value & _MASK
                j -= 1
        if mash:
            for i in (3, 2, 1, 0):
                r[i] = (r[i] - subkeys[r[i - 1] & 63]) & _MASK
    return bytes(
        (
            r[0] & 0xFF,
            r[0] >> 8,
            r[1] & 0xFF,
            r[1] >> 8,
            r[2] & 0xFF,
            r[2] >> 8,
            r[3] & 0xFF,
            r[3] >> 8,
        )
    )


def decrypt_block(key: bytes, effective_bits: int, block: bytes) -> bytes:
    """Decrypt a single block (for tests against published vectors)."""
    return _decrypt_block(expand_key(key, effective_bits), block)


def decrypt_cbc(key: bytes, effective_bits: int, iv: bytes, data: bytes) -> bytes:
    """Decrypt `data` in CBC mode; the padding is left for the caller to check."""
    if len(iv) != 8 or len(data) % 8:
        raise ValueError("RC2-CBC needs an 8-byte IV and whole 8-byte blocks")
    subkeys = expand_key(key, effective_bits)
    out = bytearray()
    previous = iv
    for start in range(0, len(data), 8):
        block = data[start : start + 8]
        plain = _decrypt_block(subkeys, block)
        out += bytes(a ^ b for a, b in zip(plain, previous, strict=True))
        previous = block
    return bytes(out)
