"""Tests for the certificate loaders: every form Windows and OpenSSL write, by content.

Certificates are generated at test time (cryptography for PEM/DER, the OpenSSL CLI for
PFX and `.p7b` as administrators produce them), so every expected value is known.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from s2slint.findings import Location
from s2slint.loaders.base import LoadContext, LoadResult, Secret, Source
from s2slint.loaders.certs import (
    BINARY_KIND,
    PEM_KIND,
    certificate_from_der,
    load_binary,
    load_pem,
    sniff_binary,
    sniff_pem,
)
from s2slint.model import Certificate

CANARY = "Canary-Pa55-XYZ"
NOT_BEFORE = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
NOT_AFTER = datetime(2034, 1, 2, 3, 4, 5, tzinfo=UTC)
ORIGIN_TEXT = "environment variable S2SLINT_PFX_PASSWORD is not set"

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


@dataclass(frozen=True)
class Made:
    """A generated certificate with its key and encodings."""

    cert: x509.Certificate
    key: PrivateKey

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode("ascii")

    @property
    def thumbprint(self) -> str:
        return hashlib.sha1(self.der).hexdigest().upper()

    def key_pem(self, password: bytes | None = None) -> str:
        encryption: serialization.KeySerializationEncryption = (
            serialization.NoEncryption()
            if password is None
            else serialization.BestAvailableEncryption(password)
        )
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        ).decode("ascii")


def make_cert(
    key: PrivateKey,
    cn: str,
    *,
    sans: tuple[str, ...] = (),
    digital_signature: bool | None = True,
    serial: int = 0x1234ABCD,
) -> Made:
    """Build a self-signed certificate with the given traits."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Contoso"),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
    )
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), critical=False
        )
    if digital_signature is not None:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=digital_signature,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    # Ed25519 hashes internally and takes no hash algorithm.
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return Made(builder.sign(key, algorithm), key)


@pytest.fixture(scope="module")
def rsa2048() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec256() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def oauth(rsa2048: rsa.RSAPrivateKey) -> Made:
    """The OAuthTokenIssuer-like certificate: RSA 2048, SHA-256, SANs, digitalSignature."""
    return make_cert(rsa2048, "lync.contoso.com", sans=("lync.contoso.com", "pool01.contoso.com"))


@pytest.fixture(scope="module")
def weak(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """A weak certificate: RSA 1024, SHA-1, no KeyUsage extension.

    Made with the OpenSSL CLI as an administrator would: cryptography no longer signs
    with SHA-1. The minimal config keeps OpenSSL from adding default extensions.
    """
    directory = tmp_path_factory.mktemp("weak")
    (directory / "min.cnf").write_text("[req]\ndistinguished_name=dn\n[dn]\n")
    openssl("req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", "w.key",
            "-out", "w.pem", "-sha1", "-days", "3650", "-config", "min.cnf",
            "-subj", "/O=Contoso/CN=old.contoso.com", cwd=directory)  # fmt: skip
    cert = x509.load_pem_x509_certificate((directory / "w.pem").read_bytes())
    key = serialization.load_pem_private_key((directory / "w.key").read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return Made(cert, key)


@pytest.fixture(scope="module")
def ecc(ec256: ec.EllipticCurvePrivateKey) -> Made:
    """An EC P-256 certificate whose KeyUsage lacks digitalSignature."""
    return make_cert(ec256, "ecc.contoso.com", digital_signature=False, serial=0xBEEF)


def source_for(path: Path, data: bytes | None = None) -> Source:
    """Build the Source the engine would hand the loaders."""
    if data is not None:
        path.write_bytes(data)
    return Source(path=path, display="certs/x", data=path.read_bytes(), folders=("certs",))


def certs_of(result: LoadResult) -> list[Certificate]:
    """Return the records of a result, checking they are all certificates."""
    records = list(result.records)
    assert all(isinstance(r, Certificate) for r in records)
    return [r for r in records if isinstance(r, Certificate)]


def openssl(*args: str, cwd: Path) -> None:
    """Run the OpenSSL CLI, as an administrator would to make the file."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not installed")
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def write_pair(made: Made, directory: Path, stem: str) -> tuple[str, str]:
    """Write a certificate and its unencrypted key as PEM files; return their names."""
    (directory / f"{stem}.pem").write_text(made.pem)
    (directory / f"{stem}.key").write_text(made.key_pem())
    return f"{stem}.pem", f"{stem}.key"


# ------------------------------------------------------------------------- decoding


def test_certificate_from_der_reads_every_field(oauth: Made) -> None:
    loc = Location("certs/x", None, None, "cert[0]")
    cert = certificate_from_der(oauth.der, loc, "der", server="fe01.contoso.com")
    assert cert.thumbprint == hashlib.sha1(oauth.der).hexdigest().upper()
    assert cert.subject == "O=Contoso,CN=lync.contoso.com"
    assert cert.issuer == "O=Contoso,CN=lync.contoso.com"
    assert cert.serial_number == "1234ABCD"
    assert cert.not_before == NOT_BEFORE
    assert cert.not_after == NOT_AFTER
    assert cert.not_before.tzinfo is not None
    assert (cert.key_type, cert.key_bits) == ("RSA", 2048)
    assert cert.signature_hash == "sha256"
    assert cert.dns_names == ("lync.contoso.com", "pool01.contoso.com")
    assert cert.key_usage_digital_signature is True
    assert cert.has_private_key is False
    assert cert.private_key_matches is None
    assert cert.loc == loc
    assert cert.origin == "der"
    assert cert.server == "fe01.contoso.com"


def test_certificate_from_der_weak_rsa_sha1_without_key_usage(weak: Made) -> None:
    cert = certificate_from_der(weak.der, Location("certs/x"), "der")
    assert (cert.key_type, cert.key_bits) == ("RSA", 1024)
    assert cert.signature_hash == "sha1"
    assert cert.key_usage_digital_signature is None
    assert cert.dns_names == ()


def test_certificate_from_der_ec_without_digital_signature(ecc: Made) -> None:
    cert = certificate_from_der(ecc.der, Location("certs/x"), "der")
    assert (cert.key_type, cert.key_bits) == ("EC", 256)
    assert cert.signature_hash == "sha256"
    assert cert.key_usage_digital_signature is False
    assert cert.serial_number == "BEEF"


def test_certificate_from_der_ed25519_has_no_signature_hash() -> None:
    made = make_cert(ed25519.Ed25519PrivateKey.generate(), "ed.contoso.com")
    cert = certificate_from_der(made.der, Location("certs/x"), "der")
    assert (cert.key_type, cert.key_bits, cert.signature_hash) == ("Ed25519", None, None)


def test_certificate_from_der_compares_private_key(oauth: Made, weak: Made) -> None:
    loc = Location("certs/x")
    own = certificate_from_der(oauth.der, loc, "pem", private_key=oauth.key)
    other = certificate_from_der(oauth.der, loc, "pem", private_key=weak.key)
    assert (own.has_private_key, own.private_key_matches) == (True, True)
    assert (other.has_private_key, other.private_key_matches) == (True, False)


def test_certificate_from_der_rejects_garbage() -> None:
    with pytest.raises(ValueError, match=r"not a valid DER X\.509 certificate"):
        certificate_from_der(b"\x30\x03\x02\x01\x05", Location("certs/x"), "der")
    with pytest.raises(ValueError, match="empty"):
        certificate_from_der(b"", Location("certs/x"), "der")


# ------------------------------------------------------------------------------ PEM


def test_pem_bundle_records_begin_lines_and_pointers(
    tmp_path: Path, oauth: Made, weak: Made, ecc: Made
) -> None:
    text = (
        "# exported from FE01 for the OAuth review\n"
        "Bag Attributes\n"
        "    friendlyName: OAuth\n"
        + oauth.pem
        + "\nsubject=CN=old.contoso.com\n\n"
        + weak.pem
        + ecc.pem
    )
    source = source_for(tmp_path / "bundle.txt", text.encode("ascii"))
    assert sniff_pem(source)
    result = load_pem(source, LoadContext())
    assert result.kind == PEM_KIND
    assert result.problems == ()
    certs = certs_of(result)
    oauth_lines = oauth.pem.count("\n")
    weak_lines = weak.pem.count("\n")
    expected_lines = [4, 4 + oauth_lines + 3, 4 + oauth_lines + 3 + weak_lines]
    assert [c.loc.line for c in certs] == expected_lines
    assert [c.loc.column for c in certs] == [1, 1, 1]
    assert [c.loc.pointer for c in certs] == ["cert[0]", "cert[1]", "cert[2]"]
    assert [c.loc.path for c in certs] == ["certs/x"] * 3
    assert [c.thumbprint for c in certs] == [oauth.thumbprint, weak.thumbprint, ecc.thumbprint]
    assert {c.origin for c in certs} == {"pem"}
    assert text.splitlines()[expected_lines[1] - 1] == "-----BEGIN CERTIFICATE-----"


def test_pem_bad_block_among_good_ones_is_one_problem(
    tmp_path: Path, oauth: Made, weak: Made
) -> None:
    bad = "-----BEGIN CERTIFICATE-----\nMIIB!!notbase64$$\n-----END CERTIFICATE-----\n"
    text = oauth.pem + bad + weak.pem
    result = load_pem(source_for(tmp_path / "b.pem", text.encode()), LoadContext())
    certs = certs_of(result)
    assert [c.thumbprint for c in certs] == [oauth.thumbprint, weak.thumbprint]
    assert [c.loc.pointer for c in certs] == ["cert[0]", "cert[2]"]
    assert len(result.problems) == 1
    problem = result.problems[0]
    bad_line = oauth.pem.count("\n") + 1
    assert problem.code == "INP001"
    assert problem.location == Location("certs/x", bad_line, 1, "cert[1]")
    assert "Base64" in problem.message


def test_pem_block_with_bad_der_is_reported(tmp_path: Path, oauth: Made) -> None:
    text = "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n" + oauth.pem
    result = load_pem(source_for(tmp_path / "b.pem", text.encode()), LoadContext())
    assert [c.thumbprint for c in certs_of(result)] == [oauth.thumbprint]
    assert [(p.code, p.location.line) for p in result.problems] == [("INP001", 1)]
    assert "X.509" in result.problems[0].message


def test_pem_block_without_end_line(tmp_path: Path, oauth: Made) -> None:
    truncated = "-----BEGIN CERTIFICATE-----\nMIIBxx\n"
    text = truncated + oauth.pem + truncated
    result = load_pem(source_for(tmp_path / "b.pem", text.encode()), LoadContext())
    certs = certs_of(result)
    assert [(c.thumbprint, c.loc.line, c.loc.pointer) for c in certs] == [
        (oauth.thumbprint, 3, "cert[1]")
    ]
    last_line = 3 + oauth.pem.count("\n")
    assert [(p.code, p.location.line, p.location.pointer) for p in result.problems] == [
        ("INP001", 1, "cert[0]"),
        ("INP001", last_line, "cert[2]"),
    ]
    assert all('no "-----END CERTIFICATE-----" line' in p.message for p in result.problems)


def test_pem_utf16_with_bom_loads(tmp_path: Path, oauth: Made) -> None:
    text = "Certificate exported by Out-File\r\n" + oauth.pem.replace("\n", "\r\n")
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    source = source_for(tmp_path / "cert.txt", data)
    assert sniff_pem(source)
    assert not sniff_binary(source)
    certs = certs_of(load_pem(source, LoadContext()))
    assert [(c.thumbprint, c.loc.line) for c in certs] == [(oauth.thumbprint, 2)]


def test_pem_crlf_loads(tmp_path: Path, oauth: Made, weak: Made) -> None:
    text = (oauth.pem + "\n" + weak.pem).replace("\n", "\r\n")
    result = load_pem(source_for(tmp_path / "c.crt", text.encode()), LoadContext())
    assert result.problems == ()
    lines = [c.loc.line for c in certs_of(result)]
    assert lines == [1, oauth.pem.count("\n") + 2]


def test_pem_block_on_one_line_loads(tmp_path: Path, oauth: Made) -> None:
    body = "".join(oauth.pem.splitlines()[1:-1])
    text = f"thumbprint list\n-----BEGIN CERTIFICATE----- {body} -----END CERTIFICATE-----\n"
    source = source_for(tmp_path / "one.txt", text.encode())
    assert sniff_pem(source)
    certs = certs_of(load_pem(source, LoadContext()))
    assert [(c.thumbprint, c.loc.line) for c in certs] == [(oauth.thumbprint, 2)]


def test_pem_key_is_matched_to_its_certificate(tmp_path: Path, oauth: Made, weak: Made) -> None:
    text = oauth.pem + weak.pem + weak.key_pem()
    result = load_pem(source_for(tmp_path / "k.pem", text.encode()), LoadContext())
    assert result.problems == ()
    pairs = [(c.thumbprint, c.has_private_key, c.private_key_matches) for c in certs_of(result)]
    assert pairs == [(oauth.thumbprint, False, None), (weak.thumbprint, True, True)]


def test_pem_traditional_rsa_key_before_certificate(tmp_path: Path, oauth: Made) -> None:
    key = oauth.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    assert key.startswith("-----BEGIN RSA PRIVATE KEY-----")
    result = load_pem(source_for(tmp_path / "k.pem", (key + oauth.pem).encode()), LoadContext())
    [cert] = certs_of(result)
    assert (cert.has_private_key, cert.private_key_matches) == (True, True)
    assert cert.loc.line == key.count("\n") + 1


def test_pem_wrong_key_is_a_mismatch_on_the_first_certificate(
    tmp_path: Path, oauth: Made, weak: Made, ecc: Made
) -> None:
    text = oauth.pem + weak.pem + ecc.key_pem()
    certs = certs_of(load_pem(source_for(tmp_path / "k.pem", text.encode()), LoadContext()))
    assert [(c.has_private_key, c.private_key_matches) for c in certs] == [
        (True, False),
        (False, None),
    ]


def test_pem_encrypted_key_opens_with_context_password(tmp_path: Path, oauth: Made) -> None:
    text = oauth.pem + oauth.key_pem(CANARY.encode())
    assert "ENCRYPTED PRIVATE KEY" in text
    source = source_for(tmp_path / "k.pem", text.encode())
    result = load_pem(source, LoadContext(pfx_password=Secret(CANARY)))
    assert result.problems == ()
    [cert] = certs_of(result)
    assert (cert.has_private_key, cert.private_key_matches) == (True, True)


@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_an_encrypted_key_in_any_encoding_read_says_the_password_may_matter(
    oauth: Made, codec: str
) -> None:
    from s2slint.loaders.derpeek import password_may_matter

    # As s2slint reads them: UTF-32 only with its byte-order mark ("utf-32" writes one).
    mark = codecs.BOM_UTF32_BE if codec == "utf-32-be" else b""
    text = oauth.pem + oauth.key_pem(CANARY.encode())
    assert password_may_matter(mark + text.encode(codec))
    assert not password_may_matter(mark + oauth.pem.encode(codec))


def test_pem_encrypted_key_without_password_is_inp003(tmp_path: Path, oauth: Made) -> None:
    text = oauth.pem + oauth.key_pem(CANARY.encode())
    source = source_for(tmp_path / "k.pem", text.encode())
    result = load_pem(source, LoadContext(pfx_password_origin=ORIGIN_TEXT))
    [cert] = certs_of(result)
    assert cert.has_private_key is False
    [problem] = result.problems
    assert problem.code == "INP003"
    assert ORIGIN_TEXT in problem.message
    assert problem.location.line == oauth.pem.count("\n") + 1

    wrong = load_pem(source, LoadContext(pfx_password=Secret("nope"), pfx_password_origin="x"))
    assert [p.code for p in wrong.problems] == ["INP003"]
    assert "nope" not in repr(wrong)


def test_pem_trusted_certificate_thumbprint_is_the_certificate_only(
    tmp_path: Path, oauth: Made
) -> None:
    (tmp_path / "a.pem").write_text(oauth.pem)
    openssl("x509", "-in", "a.pem", "-trustout", "-addtrust", "serverAuth", "-out", "t.pem",
            cwd=tmp_path)  # fmt: skip
    source = source_for(tmp_path / "t.pem")
    assert "BEGIN TRUSTED CERTIFICATE" in source.text
    assert sniff_pem(source)
    result = load_pem(source, LoadContext())
    assert result.problems == ()
    assert [c.thumbprint for c in certs_of(result)] == [oauth.thumbprint]


# ----------------------------------------------------------------------------- DER


def test_der_certificate(tmp_path: Path, oauth: Made) -> None:
    source = source_for(tmp_path / "oauth.cer", oauth.der)
    assert sniff_binary(source)
    assert not sniff_pem(source)
    result = load_binary(source, LoadContext())
    assert result.kind == BINARY_KIND
    assert result.problems == ()
    [cert] = certs_of(result)
    assert cert.thumbprint == hashlib.sha1(oauth.der).hexdigest().upper()
    assert cert.loc == Location("certs/x", None, None, "cert[0]")
    assert cert.origin == "der"
    assert cert.dns_names == ("lync.contoso.com", "pool01.contoso.com")


# ---------------------------------------------------------------------------- PKCS#7


@pytest.mark.parametrize("form", ["DER", "PEM"])
def test_multi_certificate_p7b(tmp_path: Path, oauth: Made, weak: Made, form: str) -> None:
    (tmp_path / "a.pem").write_text(oauth.pem)
    (tmp_path / "b.pem").write_text(weak.pem)
    openssl("crl2pkcs7", "-nocrl", "-certfile", "a.pem", "-certfile", "b.pem",
            "-outform", form, "-out", "chain.p7b", cwd=tmp_path)  # fmt: skip
    source = source_for(tmp_path / "chain.p7b")
    if form == "DER":
        assert sniff_binary(source) and not sniff_pem(source)
        result = load_binary(source, LoadContext())
        expected_line = None
    else:
        assert sniff_pem(source) and not sniff_binary(source)
        result = load_pem(source, LoadContext())
        expected_line = 1
    assert result.problems == ()
    certs = certs_of(result)
    assert sorted(c.thumbprint for c in certs) == sorted([oauth.thumbprint, weak.thumbprint])
    assert [c.loc.pointer for c in certs] == ["cert[0]", "cert[1]"]
    assert {c.loc.line for c in certs} == {expected_line}
    assert {c.origin for c in certs} == {"pkcs7"}


# ---------------------------------------------------------------------------- PKCS#12

PFX_STYLES: dict[str, tuple[str, ...]] = {
    "windows-3des": (
        "-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1",
    ),
    "legacy-rc2": ("-legacy", "-certpbe", "PBE-SHA1-RC2-40"),
    "aes-256": (),
}  # fmt: skip


def make_pfx(
    tmp_path: Path, made: Made, password: str, *extra: str, chain: Made | None = None
) -> Path:
    """Export `made` and its key as a PFX with the OpenSSL CLI."""
    cert_file, key_file = write_pair(made, tmp_path, "leaf")
    args = ["pkcs12", "-export", "-in", cert_file, "-inkey", key_file, "-name", "OAuth"]
    if chain is not None:
        (tmp_path / "chain.pem").write_text(chain.pem)
        args += ["-certfile", "chain.pem"]
    openssl(*args, *extra, "-passout", f"pass:{password}", "-out", "out.pfx", cwd=tmp_path)
    return tmp_path / "out.pfx"


@pytest.mark.parametrize("style", sorted(PFX_STYLES))
def test_pfx_right_password(tmp_path: Path, oauth: Made, weak: Made, style: str) -> None:
    pfx = make_pfx(tmp_path, oauth, CANARY, *PFX_STYLES[style], chain=weak)
    source = source_for(pfx)
    assert sniff_binary(source) and not sniff_pem(source)
    result = load_binary(source, LoadContext(pfx_password=Secret(CANARY)))
    assert result.problems == ()
    certs = certs_of(result)
    assert [c.thumbprint for c in certs] == [oauth.thumbprint, weak.thumbprint]
    assert [(c.has_private_key, c.private_key_matches) for c in certs] == [
        (True, True),
        (False, None),
    ]
    assert [c.loc for c in certs] == [
        Location("certs/x", None, None, "cert[0]"),
        Location("certs/x", None, None, "cert[1]"),
    ]
    assert {c.origin for c in certs} == {"pkcs12"}
    assert certs[0].key_bits == 2048


def test_pfx_without_keys(tmp_path: Path, oauth: Made) -> None:
    (tmp_path / "a.pem").write_text(oauth.pem)
    openssl("pkcs12", "-export", "-nokeys", "-in", "a.pem", "-passout", f"pass:{CANARY}",
            "-out", "nokey.pfx", cwd=tmp_path)  # fmt: skip
    result = load_binary(source_for(tmp_path / "nokey.pfx"), LoadContext(Secret(CANARY)))
    assert result.problems == ()
    [cert] = certs_of(result)
    assert cert.thumbprint == oauth.thumbprint
    assert (cert.has_private_key, cert.private_key_matches) == (False, None)


def test_pfx_empty_password_needs_none(tmp_path: Path, oauth: Made) -> None:
    pfx = make_pfx(tmp_path, oauth, "")
    result = load_binary(source_for(pfx), LoadContext())
    assert result.problems == ()
    [cert] = certs_of(result)
    assert (cert.thumbprint, cert.has_private_key, cert.private_key_matches) == (
        oauth.thumbprint,
        True,
        True,
    )


def test_pfx_key_that_does_not_match(tmp_path: Path, oauth: Made, weak: Made) -> None:
    # cryptography refuses to pair a certificate with a foreign key, so the certificate
    # rides along as a chain certificate, as in a PFX whose key was swapped.
    data = pkcs12.serialize_key_and_certificates(
        b"OAuth", weak.key, None, [oauth.cert], serialization.BestAvailableEncryption(b"pw")
    )
    result = load_binary(source_for(tmp_path / "m.pfx", data), LoadContext(Secret("pw")))
    assert result.problems == ()
    [cert] = certs_of(result)
    assert cert.thumbprint == oauth.thumbprint
    assert (cert.has_private_key, cert.private_key_matches) == (True, False)


def test_pfx_wrong_password_is_inp003_without_the_password(tmp_path: Path, oauth: Made) -> None:
    pfx = make_pfx(tmp_path, oauth, "the-real-one", *PFX_STYLES["windows-3des"])
    ctx = LoadContext(
        pfx_password=Secret(CANARY), pfx_password_origin="from --pfx-password-file pw.txt"
    )
    result = load_binary(source_for(pfx), ctx)
    assert result.records == ()
    [problem] = result.problems
    assert problem.code == "INP003"
    assert problem.location == Location("certs/x")
    assert "from --pfx-password-file pw.txt" in problem.message
    assert "wrong" in problem.message
    assert CANARY not in problem.message
    assert CANARY not in repr(result)
    assert CANARY not in repr(ctx)


def test_pfx_missing_password_is_inp003_naming_the_origin(tmp_path: Path, oauth: Made) -> None:
    pfx = make_pfx(tmp_path, oauth, CANARY)
    result = load_binary(source_for(pfx), LoadContext(pfx_password_origin=ORIGIN_TEXT))
    assert result.records == ()
    [problem] = result.problems
    assert problem.code == "INP003"
    assert ORIGIN_TEXT in problem.message
    assert "needs a password" in problem.message
    assert CANARY not in problem.message


def test_truncated_pfx_is_inp001(tmp_path: Path, oauth: Made) -> None:
    data = make_pfx(tmp_path, oauth, CANARY).read_bytes()
    source = source_for(tmp_path / "cut.pfx", data[: len(data) // 2])
    assert sniff_binary(source)
    result = load_binary(source, LoadContext(Secret(CANARY)))
    assert result.records == ()
    assert [p.code for p in result.problems] == ["INP001"]
    assert "PFX" in result.problems[0].message and "truncated" in result.problems[0].message


# -------------------------------------------------------------------- garbage, sniff


def test_random_bytes_starting_with_sequence_are_inp001(tmp_path: Path) -> None:
    noise = os.urandom(300)
    for data in (b"\x30" + noise, b"\x30\x82\x01\x2c\x02" + noise[:299]):
        result = load_binary(source_for(tmp_path / "r.bin", data), LoadContext())
        assert result.records == ()
        assert [p.code for p in result.problems] == ["INP001"]


def test_garbage_with_a_pfx_header_of_right_length_is_inp003(tmp_path: Path) -> None:
    # Shaped like a PFX (SEQUENCE, INTEGER 3, SEQUENCE) but nothing decodes: the user is
    # told about the password, which is the likely cause for a real PFX.
    body = b"\x02\x01\x03\x30\x03\x02\x01\x00"
    data = bytes([0x30, len(body)]) + body
    source = source_for(tmp_path / "p.pfx", data)
    assert sniff_binary(source)
    result = load_binary(source, LoadContext())
    assert [p.code for p in result.problems] == ["INP003"]


def test_sniffers_leave_other_files_alone(tmp_path: Path, oauth: Made) -> None:
    xml = "<Objs><RawData>\n-----BEGIN CERTIFICATE-----\n</RawData></Objs>\n"
    for data in (b"000 is not DER\n", xml.encode(), b"Identity : Global\r\n"):
        source = source_for(tmp_path / "t.txt", data)
        assert not sniff_pem(source)
        assert not sniff_binary(source)
    assert not sniff_binary(source_for(tmp_path / "e.bin", b""))
    key_only = source_for(tmp_path / "k.pem", oauth.key_pem().encode())
    assert not sniff_pem(key_only)


def test_loaders_registry() -> None:
    import importlib

    from s2slint.loaders import builtin_loaders

    mine = [ldr for ldr in builtin_loaders() if ldr.kind.startswith("certificate")]
    assert [(ldr.kind, ldr.priority) for ldr in mine] == [(PEM_KIND, 50), (BINARY_KIND, 60)]
    loads: list[Callable[[Source, LoadContext], LoadResult]] = [
        getattr(importlib.import_module(ldr.load.module), ldr.load.name)  # type: ignore[attr-defined]
        for ldr in mine
    ]
    assert loads == [load_pem, load_binary]


def test_module_import_does_not_import_cryptography() -> None:
    code = "import sys, s2slint.loaders.certs; print('cryptography' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"
