"""Issue 15, item 3: a PFX cannot make s2slint derive keys for minutes.

A 3 KB PFX whose MAC or PBKDF2 iteration count was 2^31-1 kept OpenSSL busy for about
25 minutes per password tried (and s2slint tries up to three). The counts are now read
from the ASN.1 first, the MAC's, each encrypted part's and each shrouded key's, even
one hidden inside an encrypted part, and a file asking for more than
`limits.max_pfx_iterations` (1,000,000) in all is refused with INP004 before any key
is derived.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from exports import oauth_xml
from hostile import CANARY_PASSWORD, assert_no_canary
from pfx_builder import HUGE, Counts, pfx
from round2 import assert_cache_neutral, check, write_files

from s2slint import limits
from s2slint.loaders import pfxcost

HOSTILE = {
    "MAC": Counts(mac=HUGE),
    "PKCS#12 shrouded key": Counts(key=HUGE),
    "PBKDF2 shrouded key": Counts(key=HUGE, key_scheme="pbes2"),
    "certificate encryption": Counts(certs=HUGE, key=None),
    "key hidden in the encrypted part": Counts(key=None, hidden_key=HUGE),
}


@pytest.mark.parametrize("where", list(HOSTILE))
def test_a_pfx_asking_for_billions_of_iterations_is_refused_at_once(
    tmp_path: Path, where: str
) -> None:
    bundle = write_files(
        tmp_path / "bundle", {"lync/oauth.xml": oauth_xml(), "certs/oauth.pfx": pfx(HOSTILE[where])}
    )
    started = time.monotonic()
    ran = check(
        bundle,
        ".",
        "--output-format",
        "concise",
        env={"S2SLINT_PFX_PASSWORD": CANARY_PASSWORD},
        timeout=90,  # the fixed behaviour takes a second; the old one about 25 minutes
    )
    assert time.monotonic() - started < 60
    lines = [line for line in ran.text.splitlines() if line.startswith("certs/oauth.pfx")]
    assert len(lines) == 1, ran.text
    assert "INP004" in lines[0] and "max_pfx_iterations" in lines[0]
    assert "2,147,4" in lines[0]  # the count asked for is named
    assert any("OAU001" in line for line in ran.text.splitlines())  # the rest is linted
    assert_no_canary(ran.text, ran.stderr.decode())


def test_the_limit_is_the_sum_of_every_count() -> None:
    data = pfx(Counts(mac=500_000, key=400_000, certs=100_000))
    limit = limits.DEFAULT_LIMITS.max_pfx_iterations
    assert limit == 1_000_000
    passwords = pfxcost.passwords_to_try(None)
    assert pfxcost.refusal(data, passwords, limit) is None
    refused = pfxcost.refusal(data, passwords, limit - 1)
    assert refused is not None and "1,000,000 key-derivation iterations" in refused


def test_a_hidden_key_counts_only_for_the_password_that_opens_its_part() -> None:
    data = pfx(Counts(key=None, hidden_key=500_000))
    assert pfxcost.refusal(data, pfxcost.passwords_to_try(None), 600_000) is None
    assert pfxcost.refusal(data, pfxcost.passwords_to_try(None), 400_000) is not None
    # Encrypted with the empty password: no other password opens the part.
    assert pfxcost.refusal(data, pfxcost.passwords_to_try("other"), 400_000) is not None


def test_genuine_pfx_files_open_as_before(tmp_path: Path) -> None:
    from hostile import pfx as library_pfx

    bundle = write_files(tmp_path / "bundle", {"certs/oauth.pfx": library_pfx(CANARY_PASSWORD)})
    ran = check(
        bundle, ".", "--output-format", "json", env={"S2SLINT_PFX_PASSWORD": CANARY_PASSWORD}
    )
    import json

    codes = [f["code"] for f in json.loads(ran.stdout)["findings"]]
    assert [c for c in codes if c != "INP006"] == []  # opened: no INP003, no INP004
    assert_no_canary(ran.text)


def test_refused_pfx_files_print_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    bundle = write_files(
        tmp_path / "bundle",
        {"lync/oauth.xml": oauth_xml(), "certs/oauth.pfx": pfx(Counts(mac=HUGE))},
    )
    assert_cache_neutral(bundle, tmp_path / "cache", ".", "--output-format", "full")


# ------------------------------------------------- decrypting what a PFX hides


RFC_2268_VECTORS = (
    # key, effective bits, plaintext, ciphertext (RFC 2268, section 5)
    ("0000000000000000", 63, "0000000000000000", "ebb773f993278eff"),
    ("ffffffffffffffff", 64, "ffffffffffffffff", "278b27e42e2f0d49"),
    ("3000000000000000", 64, "1000000000000001", "30649edf9be7d2c2"),
    ("88", 64, "0000000000000000", "61a8a244adacccf0"),
    ("88bca90e90875a", 64, "0000000000000000", "6ccf4308974c267f"),
    ("88bca90e90875a7f0f79c384627bafb2", 64, "0000000000000000", "1a807d272bbe5db1"),
    ("88bca90e90875a7f0f79c384627bafb2", 128, "0000000000000000", "2269552ab0f85ca6"),
)


@pytest.mark.parametrize(("key", "bits", "plain", "cipher"), RFC_2268_VECTORS)
def test_rc2_decrypts_the_published_vectors(key: str, bits: int, plain: str, cipher: str) -> None:
    from s2slint.loaders import rc2

    assert rc2.decrypt_block(bytes.fromhex(key), bits, bytes.fromhex(cipher)).hex() == plain


def test_rc2_agrees_with_cryptography_for_128_bit_keys() -> None:
    import os

    from cryptography.hazmat.decrepit.ciphers.algorithms import RC2
    from cryptography.hazmat.primitives.ciphers import Cipher, modes

    from s2slint.loaders import rc2

    for _ in range(10):
        key, iv, data = os.urandom(16), os.urandom(8), os.urandom(64)
        encryptor = Cipher(RC2(key), modes.CBC(iv)).encryptor()
        assert rc2.decrypt_cbc(key, 128, iv, encryptor.update(data) + encryptor.finalize()) == data


OPENSSL_FORMS = {
    "Windows legacy (RC2-40 certificates, 3DES key)": ["-legacy"],
    "3DES": ["-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1"],
    "RC2-128": ["-legacy", "-keypbe", "PBE-SHA1-RC2-128", "-certpbe", "PBE-SHA1-RC2-128"],
    "RC4": ["-legacy", "-keypbe", "PBE-SHA1-RC4-40", "-certpbe", "PBE-SHA1-RC4-128"],
    "PBES2 AES-256 (OpenSSL 3 default)": [],
    "PBES2 AES-128, SHA-1 MAC": ["-certpbe", "AES-128-CBC", "-keypbe", "AES-128-CBC"],
}


@pytest.mark.parametrize("form", list(OPENSSL_FORMS))
def test_every_encryption_openssl_writes_is_looked_into(tmp_path: Path, form: str) -> None:
    import shutil
    import subprocess

    from s2slint.loaders import ber

    if shutil.which("openssl") is None:
        pytest.skip("the OpenSSL command line is not installed (.ci/run installs it)")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3"),
            *("-subj", "/CN=t", "-keyout", str(tmp_path / "k"), "-out", str(tmp_path / "c")),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *("openssl", "pkcs12", "-export", "-in", str(tmp_path / "c")),
            *("-inkey", str(tmp_path / "k"), "-out", str(tmp_path / "p.pfx")),
            *("-passout", "pass:right", *OPENSSL_FORMS[form]),
        ],
        check=True,
        capture_output=True,
    )
    data = (tmp_path / "p.pfx").read_bytes()
    walk = pfxcost._walk(data)
    assert walk.iterations == 3 * 2048  # MAC, certificates, key
    (part,) = walk.encrypted
    right, wrong = pfxcost.passwords_to_try("right")[2], pfxcost.passwords_to_try("wrong")[2]

    def safe_contents(plain: bytes | None) -> bool:
        try:
            return plain is not None and ber.read(plain).after == len(plain)
        except ber.BerError:
            return False

    assert safe_contents(pfxcost._decrypt(part, right))
    assert not safe_contents(pfxcost._decrypt(part, wrong))
    assert pfxcost.refusal(data, pfxcost.passwords_to_try("right"), 6_144) is None
    assert pfxcost.refusal(data, pfxcost.passwords_to_try("right"), 6_143) is not None
