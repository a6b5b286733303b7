"""Variants of the generated bundle for the certificate (CRT) and topology (TOP) rules.

`fixturegen` writes a realistic, healthy litwareinc.com bundle; the helpers here change
it the way deployments go wrong: an extra `Get-CsCertificate` entry for a roll, a
second Exchange server with its own certificate export, an OAuth certificate with an
elliptic-curve key, a PFX without its private key. Files keep the encoding and BOM the
generator wrote them in (UTF-16 LE for Lync exports, UTF-8 with BOM for Exchange's).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import fixturegen
from bundle_lint import AS_OF
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from s2slint.testing import BundleWriter

__all__ = [
    "AS_OF",
    "FRONT_ENDS",
    "Edit",
    "append_objects",
    "assign_oauth",
    "auth_config_next",
    "auth_thumbprint",
    "bundle",
    "cs_certificate_entry",
    "days_after",
    "edit_text",
    "exchange_certificates_export",
    "exchange_certificates_properties_export",
    "exchange_servers_export",
    "make_certificate",
    "oauth_certificate",
    "replace_oauth_certificate",
    "staged_oauth_roll",
    "thumbprint",
    "unkeyed_pfx",
    "unlink",
    "write_spec",
]

FRONT_ENDS = fixturegen.BundleSpec().front_ends
_CLIXML_NS = "http://schemas.microsoft.com/powershell/2004/04"
_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xef\xbb\xbf", "utf-8"))


Edit = Callable[[Path], None]
"""A change made to a written bundle (its folder is the argument)."""


def write_spec(tmp_path: Path, **changes: object) -> Path:
    """Write a bundle that differs from the healthy one by `changes`; return its folder."""
    spec = replace(fixturegen.BundleSpec(), **changes)  # type: ignore[arg-type]
    bundle = tmp_path / "bundle"
    fixturegen.write_bundle(spec, bundle)
    return bundle


def bundle(*edits: Edit, **changes: object) -> BundleWriter:
    """Return a `Case` bundle writer: the healthy bundle changed by `changes`, then `edits`.

    `changes` are `BundleSpec` fields; each edit then changes the written files, the way
    a deployment drifts from what the generator models (an extra roll, a lost export).
    """

    def write(tmp_path: Path) -> Path:
        folder = write_spec(tmp_path, **changes)
        for edit in edits:
            edit(folder)
        return folder

    return write


def unlink(*paths: str) -> Edit:
    """Return an edit that deletes files (or whole folders) of the bundle."""

    def edit(folder: Path) -> None:
        for relative in paths:
            target = folder / relative
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()

    return edit


# ------------------------------------------------------------------- editing files


def edit_text(path: Path, change: Callable[[str], str]) -> None:
    """Rewrite a text export through `change`, keeping its encoding and BOM."""
    data = path.read_bytes()
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding)
            path.write_bytes(bom + change(text).encode(encoding))
            return
    path.write_bytes(change(data.decode("utf-8")).encode("utf-8"))


def append_objects(path: Path, *objects: str) -> None:
    """Add serialized `<Obj>` elements at the end of a CLIXML export."""

    def insert(text: str) -> str:
        head, tail = text.rsplit("</Objs>", 1)
        return head + "".join(objects) + "</Objs>" + tail

    edit_text(path, insert)


def _clixml(*objects: str) -> str:
    return f'<Objs Version="1.1.0.1" xmlns="{_CLIXML_NS}">\n' + "".join(objects) + "</Objs>\n"


def _write_utf8_bom(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------- certificates


def thumbprint(certificate: x509.Certificate) -> str:
    """Return the Windows thumbprint of a certificate: SHA-1 of its DER, upper-case hex."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    return hashlib.sha1(der).hexdigest().upper()


@functools.cache
def _key(kind: str, label: str) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_certificate(
    label: str,
    *,
    subject_cn: str = "litwareinc.com",
    dns_names: Sequence[str] = ("litwareinc.com", "fabrikam.com"),
    not_before: datetime = datetime(2026, 1, 15, 14, tzinfo=UTC),
    not_after: datetime = datetime(2028, 1, 15, 14, tzinfo=UTC),
    key_type: str = "rsa",
    digital_signature: bool = True,
) -> tuple[x509.Certificate, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey]:
    """Issue a self-signed certificate shaped like an OAuthTokenIssuer certificate."""
    key = _key(key_type, label)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Litware Inc"),
            x509.NameAttribute(NameOID.COMMON_NAME, subject_cn),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=False,
        key_encipherment=key_type == "rsa",
        data_encipherment=False,
        key_agreement=key_type == "ec",
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(hashlib.sha256(label.encode()).digest()[:8], "big"))
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    )
    if dns_names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names]), critical=False
        )
    return builder.sign(key, hashes.SHA256()), key


def oauth_certificate(bundle: Path) -> x509.Certificate:
    """Return the OAuthTokenIssuer certificate the generator wrote (`certs/*.cer`)."""
    return x509.load_der_x509_certificate(
        (bundle / "certs" / "oauth-token-issuer.cer").read_bytes()
    )


def replace_oauth_certificate(bundle: Path, certificate: x509.Certificate) -> None:
    """Make `certificate` the OAuthTokenIssuer certificate of the bundle.

    The .cer file is replaced and every Front End's `Get-CsCertificate` export assigns
    the new thumbprint (the dates and subject it prints stay the old ones).
    """
    assign_oauth(bundle, certificate)
    (bundle / "certs" / "oauth-token-issuer.cer").write_bytes(
        certificate.public_bytes(serialization.Encoding.DER)
    )


def assign_oauth(bundle: Path, certificate: x509.Certificate) -> None:
    """Make every `Get-CsCertificate` export assign `certificate` as OAuthTokenIssuer.

    The thumbprint the generator assigned is read from its .cer file, which must still
    be the generated one.
    """
    old = thumbprint(oauth_certificate(bundle))
    new = thumbprint(certificate)
    for export in sorted((bundle / "servers").glob("*/certificates.xml")):
        edit_text(export, lambda text: text.replace(old, new))


def unkeyed_pfx(certificate: x509.Certificate) -> bytes:
    """Return a PFX that holds `certificate` without its private key (no password)."""
    return pkcs12.serialize_key_and_certificates(
        b"OAuthTokenIssuer", None, certificate, None, serialization.NoEncryption()
    )


# ------------------------------------------------------------------ CLIXML objects


def cs_certificate_entry(
    thumbprint: str,
    *,
    not_before: datetime,
    not_after: datetime,
    effective: datetime | None = None,
    subject: str = "CN=litwareinc.com, O=Litware Inc, C=US",
    ref_id: int = 900,
) -> str:
    """One `Get-CsCertificate` OAuthTokenIssuer entry (a roll when `effective` is set)."""
    effective_prop = (
        f'<DT N="EffectiveDate">{_stamp(effective)}</DT>'
        if effective is not None
        else '<Nil N="EffectiveDate" />'
    )
    return f"""  <Obj RefId="{ref_id}">
    <TN RefId="{ref_id}">
      <T>Microsoft.Rtc.Management.Deployment.CertificateReference</T>
      <T>System.Object</T>
    </TN>
    <ToString>Microsoft.Rtc.Management.Deployment.CertificateReference</ToString>
    <Props>
      <S N="Issuer">{escape(subject)}</S>
      <DT N="NotAfter">{_stamp(not_after)}</DT>
      <DT N="NotBefore">{_stamp(not_before)}</DT>
      <S N="Subject">{escape(subject)}</S>
      <S N="Thumbprint">{thumbprint}</S>
      {effective_prop}
      <Obj N="Use" RefId="{ref_id + 1}">
        <TN RefId="{ref_id + 1}">
          <T>Microsoft.Rtc.Management.Deployment.CertType</T>
          <T>System.Enum</T>
          <T>System.ValueType</T>
          <T>System.Object</T>
        </TN>
        <ToString>OAuthTokenIssuer</ToString>
        <I32>12</I32>
      </Obj>
    </Props>
  </Obj>
"""


def staged_oauth_roll(thumbprint: str, effective: datetime) -> Edit:
    """Return an edit that stages an OAuthTokenIssuer roll to `thumbprint` on every Front End.

    `Set-CsCertificate -Roll -EffectiveDate` adds such an entry to each server's
    `Get-CsCertificate` output; it is in force from `effective` on.
    """

    def edit(folder: Path) -> None:
        for index, server in enumerate(FRONT_ENDS):
            entry = cs_certificate_entry(
                thumbprint,
                not_before=effective - timedelta(days=30),
                not_after=effective + timedelta(days=700),
                effective=effective,
                ref_id=900 + 10 * index,
            )
            append_objects(folder / "servers" / server / "certificates.xml", entry)

    return edit


def _exchange_ms(computer: str | None) -> str:
    if computer is None:
        return ""
    return f"""    <MS>
      <S N="PSComputerName">{computer}</S>
      <B N="PSShowComputerName">false</B>
    </MS>
"""


def exchange_certificates_export(
    path: Path, certificates: Sequence[x509.Certificate], computer: str | None
) -> None:
    """Write a remote-session `Get-ExchangeCertificate | Export-Clixml`: RawData only."""
    objects = []
    for index, certificate in enumerate(certificates):
        raw = base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
        type_list = (
            """    <TN RefId="0">
      <T>Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate</T>
      <T>System.Security.Cryptography.X509Certificates.X509Certificate2</T>
      <T>System.Object</T>
    </TN>
"""
            if index == 0
            else '    <TNRef RefId="0" />\n'
        )
        objects.append(
            f"""  <Obj RefId="{index}">
{type_list}    <Props>
      <BA N="RawData">{raw}</BA>
    </Props>
{_exchange_ms(computer)}  </Obj>
"""
        )
    _write_utf8_bom(path, _clixml(*objects))


def exchange_certificates_properties_export(
    path: Path,
    server: str,
    entries: Sequence[tuple[str, int, datetime, datetime]],
) -> None:
    """Write a local `Get-ExchangeCertificate | Export-Clixml`: properties, no RawData.

    Each entry is (thumbprint as typed, PublicKeySize, NotBefore, NotAfter); `Identity`
    is `SERVER\\thumbprint`, as the local shell writes it.
    """
    objects = []
    for index, (print_, size, not_before, not_after) in enumerate(entries):
        objects.append(
            f"""  <Obj RefId="{index}">
    <TN RefId="{index}">
      <T>Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate</T>
      <T>System.Object</T>
    </TN>
    <Props>
      <S N="Thumbprint">{print_}</S>
      <S N="Subject">CN=Microsoft Exchange Server Auth Certificate</S>
      <S N="Issuer">CN=Microsoft Exchange Server Auth Certificate</S>
      <DT N="NotBefore">{_stamp(not_before)}</DT>
      <DT N="NotAfter">{_stamp(not_after)}</DT>
      <I32 N="PublicKeySize">{size}</I32>
      <B N="HasPrivateKey">true</B>
      <S N="Identity">{server}\\{print_}</S>
    </Props>
  </Obj>
"""
        )
    _write_utf8_bom(path, _clixml(*objects))


def exchange_servers_export(path: Path, servers: Sequence[tuple[str, str, str]]) -> None:
    """Write `Get-ExchangeServer | Export-Clixml` for (name, fqdn, ServerRole) triples."""
    objects = []
    for index, (name, fqdn, role) in enumerate(servers):
        objects.append(
            f"""  <Obj RefId="{index}">
    <TN RefId="{index}">
      <T>Microsoft.Exchange.Data.Directory.Management.ExchangeServer</T>
      <T>System.Object</T>
    </TN>
    <ToString>{name}</ToString>
    <Props>
      <S N="Name">{name}</S>
      <S N="Fqdn">{fqdn}</S>
      <S N="ServerRole">{role}</S>
    </Props>
  </Obj>
"""
        )
    _write_utf8_bom(path, _clixml(*objects))


def auth_config_next(bundle: Path, next_thumbprint: str, effective: datetime | None) -> None:
    """Configure a next Exchange Auth certificate in the bundle's `Get-AuthConfig` export."""

    def change(text: str) -> str:
        text = text.replace(
            '<S N="NextCertificateThumbprint"></S>',
            f'<S N="NextCertificateThumbprint">{next_thumbprint}</S>',
        )
        if effective is not None:
            text = text.replace(
                '<Nil N="NextCertificateEffectiveDate" />',
                f'<DT N="NextCertificateEffectiveDate">{_stamp(effective)}</DT>',
            )
        return text

    edit_text(bundle / "exchange" / "auth-config.xml", change)


def auth_thumbprint(bundle: Path) -> str:
    """Return the Exchange Auth certificate's thumbprint as `Get-AuthConfig` names it."""
    text = (bundle / "exchange" / "auth-config.xml").read_bytes().decode("utf-8-sig")
    return text.split('<S N="CurrentCertificateThumbprint">')[1].split("<")[0]


def days_after(days: float) -> datetime:
    """Return the evaluation date of the tests plus `days`."""
    return AS_OF + timedelta(days=days)


def integrated_thumbprint(which: str) -> str:
    """The thumbprint of a certificate of the SharePoint-integrated bundle ("oauth", "previous-oauth")."""
    der = fixturegen.certificate_der(fixturegen.SHAREPOINT_INTEGRATED, which)
    return hashlib.sha1(der).hexdigest().upper()
