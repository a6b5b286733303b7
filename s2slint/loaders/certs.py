"""Read certificate files: PEM text, DER `.cer`, PKCS#7 `.p7b` and PFX/PKCS#12.

Administrators hand over certificates in whatever form their tools wrote them:
`certutil` and the Windows MMC write DER, Base64 (PEM) and `.p7b`; `Export-PfxCertificate`
writes PFX with legacy encryption. Every form is recognised by its content, never by its
file name, and every certificate becomes one `model.Certificate` with its location.

`cryptography` is imported inside the functions that need it: importing this module
happens on every run (the loader registry lists it), decoding only when a certificate
file is in the bundle.

Passwords and private keys are used and dropped here: they never reach a record, a
message, a repr or an exception text this module creates.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from s2slint import limits as input_limits
from s2slint.findings import Location
from s2slint.loaders.base import InputProblem, LoadContext, LoadResult, Source
from s2slint.loaders.derpeek import (
    ASN1_INTEGER,
    ASN1_OID,
    ASN1_SEQUENCE,
    inner_tag,
    looks_like_pkcs12,
    read_header,
)
from s2slint.model import Certificate

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "BINARY_KIND",
    "PEM_KIND",
    "certificate_from_der",
    "load_binary",
    "load_pem",
    "sniff_binary",
    "sniff_pem",
]

PEM_KIND = "certificate-pem"
BINARY_KIND = "certificate-binary"

_CERT_LABELS = frozenset({"CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"})
_PKCS7_LABELS = frozenset({"PKCS7", "PKCS #7 SIGNED DATA"})
_KEY_LABELS = frozenset(
    {"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"}
)

# A BEGIN marker of a certificate-bearing block at the start of a line (the Base64 may
# follow on the same line when a block was pasted as one line).
_SNIFF_PEM = re.compile(
    r"^[ \t]*-----BEGIN (?:CERTIFICATE|X509 CERTIFICATE|TRUSTED CERTIFICATE|PKCS7"
    r"|PKCS #7 SIGNED DATA)-----",
    re.MULTILINE,
)
# BEGIN and END markers; the label may not contain dashes, which keeps the match short.
# Compiled when a PEM file is read (and kept by `re`'s cache), not on import.
_MARKER = r"-----(BEGIN|END) ([A-Z0-9 #]+)-----"


@runtime_checkable
class _PublicKey(Protocol):
    """Any public key object of `cryptography` that can serialise itself."""

    def public_bytes(self, encoding: Encoding, format: PublicFormat) -> bytes: ...


@runtime_checkable
class _PrivateKey(Protocol):
    """Any private key object of `cryptography`: all we need is its public half."""

    def public_key(self) -> object: ...


# ------------------------------------------------------------------- decoding one DER


def certificate_from_der(
    der: bytes,
    loc: Location,
    origin: str,
    *,
    private_key: object | None = None,
    server: str | None = None,
) -> Certificate:
    """Decode one DER-encoded X.509 certificate into a model record.

    Other loaders (CLIXML `RawData`, certificate exports) call this too, so that every
    certificate is described the same way whatever file it came from.

    Args:
        der: The certificate's DER bytes; the thumbprint is their SHA-1.
        loc: Where the certificate was read.
        origin: The form it came in: "pem", "der", "pkcs7", "pkcs12" or "clixml".
        private_key: A `cryptography` private key that came with the certificate, if any;
            only compared with the certificate's public key, never kept.
        server: The server the certificate belongs to, where known.

    Returns:
        The decoded certificate.

    Raises:
        ValueError: `der` is not a decodable X.509 certificate (callers report INP001).
    """
    with warnings.catch_warnings():
        # Certificates exported from Windows may carry odd subject attributes or a
        # negative serial number; cryptography warns about them, and the test suite
        # turns warnings into errors. The certificate still describes what is deployed.
        warnings.simplefilter("ignore")
        cert = _parse_der(der)
        return _describe(cert, der, loc, origin, private_key, server)


def _parse_der(der: bytes) -> x509.Certificate:
    """Return the parsed certificate, or raise ValueError with a readable reason."""
    from cryptography import x509

    if not der:
        raise ValueError("certificate data is empty")
    try:
        return x509.load_der_x509_certificate(der)
    except (ValueError, x509.InvalidVersion) as exc:
        raise ValueError(f"not a valid DER X.509 certificate ({exc})") from None


def _describe(
    cert: x509.Certificate,
    der: bytes,
    loc: Location,
    origin: str,
    private_key: object | None,
    server: str | None,
) -> Certificate:
    """Copy what rules need out of a parsed certificate.

    cryptography parses names and extensions lazily, so a damaged field surfaces here
    (as ValueError, or as KeyError for an unknown string type in a name); it is turned
    into ValueError like a damaged encoding.
    """
    from cryptography import x509

    damaged = (ValueError, KeyError, TypeError, x509.DuplicateExtension)
    try:
        subject = cert.subject.rfc4514_string()
        issuer = cert.issuer.rfc4514_string()
        serial = _serial_hex(cert.serial_number)
        not_before = cert.not_valid_before_utc
        not_after = cert.not_valid_after_utc
        extensions = cert.extensions
    except damaged as exc:
        raise ValueError(f"certificate fields could not be decoded ({_reason(exc)})") from None

    try:
        san = extensions.get_extension_for_class(x509.SubjectAlternativeName)
        dns_names: tuple[str, ...] = tuple(san.value.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        dns_names = ()
    except (*damaged, x509.UnsupportedGeneralNameType) as exc:
        raise ValueError(
            f"subject alternative names could not be decoded ({_reason(exc)})"
        ) from None
    try:
        key_usage = extensions.get_extension_for_class(x509.KeyUsage)
        digital_signature: bool | None = key_usage.value.digital_signature
    except x509.ExtensionNotFound:
        digital_signature = None
    except damaged as exc:
        raise ValueError(f"key usage could not be decoded ({_reason(exc)})") from None

    key_type, key_bits = _key_type_and_bits(cert)
    matches: bool | None = None
    if private_key is not None:
        # Only a key needs the serialised public key (and cryptography's serialization
        # module, a few ms to import): a certificate file alone never asks for it.
        cert_spki = _certificate_spki(cert)
        key_spki = _private_key_spki(private_key)
        # Unknown when either side cannot be serialised: a rule must not report a
        # mismatch it could not see.
        matches = None if cert_spki is None or key_spki is None else cert_spki == key_spki

    return Certificate(
        loc=loc,
        origin=origin,
        thumbprint=hashlib.sha1(der).hexdigest().upper(),
        subject=subject,
        issuer=issuer,
        serial_number=serial,
        not_before=not_before,
        not_after=not_after,
        key_type=key_type,
        key_bits=key_bits,
        signature_hash=_signature_hash(cert),
        dns_names=dns_names,
        key_usage_digital_signature=digital_signature,
        has_private_key=private_key is not None,
        private_key_matches=matches,
        server=server,
    )


def _reason(exc: Exception) -> str:
    """Describe a decoding error; cryptography's KeyError carries only a bare tag number."""
    if isinstance(exc, KeyError):
        return f"unknown ASN.1 string type {exc}"
    return str(exc) or type(exc).__name__


def _serial_hex(serial: int) -> str:
    """Return the serial number as upper-case hex.

    A negative serial (invalid, but Windows CAs have issued them) is shown as its
    two's-complement bytes, as Windows shows it, rather than with a minus sign.
    """
    if serial >= 0:
        return format(serial, "X")
    length = (serial.bit_length() + 8) // 8
    return serial.to_bytes(length, "big", signed=True).hex().upper()


def _key_type_and_bits(cert: x509.Certificate) -> tuple[str, int | None]:
    """Return the public key's algorithm name and size; ("unknown", None) if unsupported."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

    try:
        key = cert.public_key()
    except (UnsupportedAlgorithm, ValueError):
        return "unknown", None
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", None
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", None
    return "unknown", None


def _signature_hash(cert: x509.Certificate) -> str | None:
    """Return the signature's hash name ("sha256", "sha1", ...); None if there is none.

    Ed25519/Ed448 signatures hash internally and unknown algorithms cannot be named.
    """
    from cryptography.exceptions import UnsupportedAlgorithm

    try:
        algorithm = cert.signature_hash_algorithm
    except (UnsupportedAlgorithm, ValueError):
        return None
    return None if algorithm is None else algorithm.name.lower()


def _spki_of(public_key: object) -> bytes | None:
    """Return a public key's SubjectPublicKeyInfo DER, or None if it cannot be written."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    if not isinstance(public_key, _PublicKey):
        return None
    try:
        return public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    except (UnsupportedAlgorithm, ValueError, TypeError):
        return None


def _certificate_spki(cert: x509.Certificate) -> bytes | None:
    """Return the certificate's public key as SubjectPublicKeyInfo DER, if supported."""
    from cryptography.exceptions import UnsupportedAlgorithm

    try:
        return _spki_of(cert.public_key())
    except (UnsupportedAlgorithm, ValueError):
        return None


def _private_key_spki(private_key: object) -> bytes | None:
    """Return the public half of a private key as SubjectPublicKeyInfo DER, if possible."""
    if not isinstance(private_key, _PrivateKey):
        return None
    try:
        public_key = private_key.public_key()
    except (ValueError, TypeError):
        return None
    return _spki_of(public_key)


def _first_element(data: bytes) -> bytes:
    """Return the first complete DER element of `data` (all of it if that is unclear).

    OpenSSL's TRUSTED CERTIFICATE blocks append trust settings after the certificate;
    the certificate, and so the thumbprint, is the first element only.
    """
    header = read_header(data)
    if header is None or header.total is None or header.total > len(data):
        return data
    return data[: header.total]


# -------------------------------------------------------------------------- sniffing


def sniff_pem(source: Source) -> bool:
    """Tell whether the file is PEM text with a certificate or PKCS#7 block.

    XML documents are left to the XML loaders even if they quote a PEM block: the
    certificate is then a value of an element, located by that loader.
    """
    head = source.head
    if not head or head.lstrip().startswith("<"):
        return False
    return _SNIFF_PEM.search(head) is not None


def sniff_binary(source: Source) -> bool:
    """Tell whether the file starts like a DER certificate, a PKCS#7 or a PFX file.

    Only the ASN.1 header is checked (SEQUENCE, a length, then the first inner tag);
    `load_binary` decides what it is. A short-form outer length must cover the whole
    file, so that a text file that happens to start with "0" is not claimed.
    """
    data = source.data
    outer = read_header(data)
    if outer is None or outer.tag != ASN1_SEQUENCE:
        return False
    if outer.header_length == 2 and outer.content_length is not None and outer.total != len(data):
        return False
    return inner_tag(data) in (ASN1_SEQUENCE, ASN1_OID, ASN1_INTEGER)


# ------------------------------------------------------------------------------- PEM


@dataclass(slots=True, eq=False, repr=False)
class _Block:
    """One PEM block: its label, RFC 1421 headers, Base64 body and BEGIN line.

    `damage` says why the block cannot be decoded at all (no END line, a mismatched
    END line); the block is still listed so that it keeps its place in the numbering.
    """

    label: str
    line: int
    headers: list[str]
    body: str
    damage: str | None = None


@dataclass(slots=True, eq=False, repr=False)
class _Pending:
    """A certificate decoded from the file, waiting for its private key (if any)."""

    cert: x509.Certificate
    der: bytes
    loc: Location
    origin: str
    private_key: object | None = None


@dataclass(slots=True, eq=False, repr=False)
class _Collected:
    """What a loader gathered from one file before building records."""

    pending: list[_Pending] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)


def _split_pem(text: str) -> list[_Block]:
    """Split PEM text into blocks, recording each block's BEGIN line.

    Blocks are found by their markers rather than by lines, so that a block pasted on
    a single line still loads. A block without its END marker is marked damaged and
    the next BEGIN starts a new block, so one damaged block never hides the others.
    """
    blocks: list[_Block] = []
    open_label: str | None = None
    open_line = 0
    open_end = 0
    line = 1
    scanned = 0
    for match in re.finditer(_MARKER, text):
        line += text.count("\n", scanned, match.start())
        scanned = match.start()
        kind, label = match.group(1), match.group(2).strip()
        if kind == "BEGIN":
            if open_label is not None:
                blocks.append(_unterminated(open_label, open_line))
            open_label, open_line, open_end = label, line, match.end()
            continue
        if open_label is None:
            continue  # a stray END line: nothing to decode
        if label != open_label:
            damage = f'it ends with "END {label}" instead of "END {open_label}"'
            blocks.append(_Block(open_label, open_line, [], "", damage))
        else:
            headers, body = _split_body(text[open_end : match.start()])
            blocks.append(_Block(open_label, open_line, headers, body))
        open_label = None
    if open_label is not None:
        blocks.append(_unterminated(open_label, open_line))
    return blocks


def _unterminated(label: str, line: int) -> _Block:
    """Return the damaged block for a BEGIN line whose END line is missing."""
    return _Block(label, line, [], "", f'it has no "-----END {label}-----" line')


def _split_body(body: str) -> tuple[list[str], str]:
    """Separate RFC 1421 headers (`Proc-Type: ...`) from the Base64 text of a block."""
    headers: list[str] = []
    base64_lines: list[str] = []
    for raw in body.splitlines():
        stripped = raw.strip()
        if ":" in stripped:
            headers.append(stripped)
        elif stripped:
            base64_lines.append(stripped)
    return headers, "".join("".join(base64_lines).split())


def _decode_base64(body: str) -> bytes:
    """Decode a block's Base64 strictly; raise ValueError on any stray character."""
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("its Base64 text is damaged") from None


def load_pem(source: Source, ctx: LoadContext) -> LoadResult:
    """Load every certificate of a PEM file (single, bundle, PKCS#7, with keys).

    See `_load_pem`; this checks the limits first and keeps cryptography's warnings
    (odd encodings it still reads) from escaping as exceptions where warnings are
    errors: the loader reports findings, never warnings.
    """
    limits = input_limits.active()
    refused = _oversized(source, limits)
    if refused is not None:
        return LoadResult(PEM_KIND, problems=(refused,))
    blocks = source.text.count("-----BEGIN ")
    if blocks > limits.max_pem_blocks:
        message = (
            f"PEM file refused: it has {blocks:,} blocks, more than the "
            f"{limits.max_pem_blocks:,} s2slint reads"
        )
        return LoadResult(PEM_KIND, problems=(InputProblem("INP004", message, source.location()),))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _load_pem(source, ctx)


def _oversized(source: Source, limits: input_limits.Limits) -> InputProblem | None:
    """Return an INP004 for a file larger than the limit (the bundle walk checks first)."""
    if len(source.data) <= limits.max_file_bytes:
        return None
    message = (
        f"certificate file refused: it is {len(source.data):,} bytes, more than the "
        f"{limits.max_file_bytes:,} s2slint reads"
    )
    return InputProblem("INP004", message, source.location())


def _load_pem(source: Source, ctx: LoadContext) -> LoadResult:
    """Load every certificate of a PEM file (single, bundle, PKCS#7, with keys).

    Each certificate is located at its block's BEGIN line with pointer `cert[i]`, `i`
    counting certificates in file order (a damaged block keeps its number, so the
    others' pointers do not move). An unencrypted private key, or an encrypted one
    the context password opens, is given to the certificate it belongs to. Blocks of
    other kinds (CSRs, CRLs, public keys) are ignored.
    """
    collected = _Collected()
    keys: list[object] = []
    index = 0
    key_index = 0
    for block in _split_pem(source.text):
        loc = source.location(block.line, 1)
        if block.label in _CERT_LABELS:
            cert_loc = loc.with_pointer(f"cert[{index}]")
            index += 1
            try:
                if block.damage is not None:
                    raise ValueError(block.damage)
                der = _first_element(_decode_base64(block.body))
                _collect_der(der, cert_loc, "pem", collected)
            except ValueError as exc:
                message = f"certificate block at line {block.line} could not be read: {exc}"
                collected.problems.append(InputProblem("INP001", message, cert_loc))
        elif block.label in _PKCS7_LABELS:
            try:
                if block.damage is not None:
                    raise ValueError(block.damage)
                data = _decode_base64(block.body)
            except ValueError as exc:
                message = f"PKCS#7 block at line {block.line} could not be read: {exc}"
                collected.problems.append(
                    InputProblem("INP001", message, loc.with_pointer(f"cert[{index}]"))
                )
                index += 1
            else:
                index = _collect_pkcs7(data, loc, index, collected)
        elif block.label in _KEY_LABELS:
            key_loc = loc.with_pointer(f"key[{key_index}]")
            key_index += 1
            if block.damage is not None:
                message = (
                    f"private key block at line {block.line} could not be read: {block.damage}"
                )
                collected.problems.append(InputProblem("INP001", message, key_loc))
                continue
            key = _load_pem_key(block, key_loc, ctx, collected)
            if key is not None:
                keys.append(key)
    _assign_keys(collected.pending, keys)
    return _result(PEM_KIND, collected)


def _load_pem_key(
    block: _Block, loc: Location, ctx: LoadContext, collected: _Collected
) -> object | None:
    """Return the private key of a PEM block, or None (with a problem) if unreadable.

    No message quotes the key or the password; cryptography's own error text is not
    passed on either, since it describes the key material.
    """
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    encrypted = block.label == "ENCRYPTED PRIVATE KEY" or any(
        header.upper().startswith("PROC-TYPE:") and "ENCRYPTED" in header.upper()
        for header in block.headers
    )
    password: bytes | None = None
    if encrypted:
        if ctx.pfx_password is None:
            collected.problems.append(
                InputProblem(
                    "INP003",
                    f"the encrypted private key at line {block.line} needs a password to be "
                    f"read ({ctx.pfx_password_origin}); supply the PFX password so that it "
                    "can be checked against its certificate",
                    loc,
                )
            )
            return None
        password = ctx.pfx_password.reveal().encode("utf-8")
    try:
        _decode_base64(block.body)
        return load_pem_private_key(_rebuild_pem(block), password=password)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        if encrypted:
            message = (
                f"the encrypted private key at line {block.line} could not be opened with "
                f"the supplied password ({ctx.pfx_password_origin}): the password is wrong "
                "or the key is damaged"
            )
            collected.problems.append(InputProblem("INP003", message, loc))
        else:
            collected.problems.append(
                InputProblem(
                    "INP001",
                    f'private key block "{block.label}" at line {block.line} could not be read',
                    loc,
                )
            )
        return None


def _rebuild_pem(block: _Block) -> bytes:
    """Write a block back as canonical PEM (64-column Base64) for cryptography to read."""
    lines = [f"-----BEGIN {block.label}-----", *block.headers]
    if block.headers:
        lines.append("")
    lines.extend(block.body[i : i + 64] for i in range(0, len(block.body), 64))
    lines.append(f"-----END {block.label}-----")
    return ("\n".join(lines) + "\n").encode("ascii")


def _assign_keys(pending: list[_Pending], keys: list[object]) -> None:
    """Give each private key to the certificates whose public key it completes.

    A key that completes none goes to the first certificate still without a key (by
    convention the end-entity certificate of a bundle), so that a bundle carrying the
    wrong key is reported as a mismatch instead of silently as "no key".
    """
    if not keys:
        return  # the public keys are serialised only to be compared with a key
    public = [_certificate_spki(p.cert) for p in pending]
    for key in keys:
        spki = _private_key_spki(key)
        owners = [
            p for p, own in zip(pending, public, strict=True) if spki is not None and own == spki
        ]
        if not owners:
            owners = [p for p in pending if p.private_key is None][:1]
        for owner in owners:
            if owner.private_key is None:
                owner.private_key = key


# ---------------------------------------------------------------- shared collecting


def _collect_der(der: bytes, loc: Location, origin: str, collected: _Collected) -> None:
    """Parse one certificate and queue it; raise ValueError if it does not decode."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # see certificate_from_der
        cert = _parse_der(der)
    collected.pending.append(_Pending(cert, der, loc, origin))


def _collect_parsed(
    certs: list[x509.Certificate], loc: Location, index: int, origin: str, collected: _Collected
) -> int:
    """Queue certificates a container yielded, numbering them from `index`."""
    from cryptography.hazmat.primitives.serialization import Encoding

    for cert in certs:
        pointer_loc = loc.with_pointer(f"cert[{index}]")
        index += 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            der = cert.public_bytes(Encoding.DER)
        collected.pending.append(_Pending(cert, der, pointer_loc, origin))
    return index


def _collect_pkcs7(data: bytes, loc: Location, index: int, collected: _Collected) -> int:
    """Queue the certificates of a DER PKCS#7 structure; return the next index.

    A PEM PKCS#7 block is Base64-decoded by the caller and read here too, so both forms
    share one path and a damaged block is numbered like any other.
    """
    certs = _pkcs7_certificates(data)
    if isinstance(certs, str):
        collected.problems.append(InputProblem("INP001", certs, loc.with_pointer(f"cert[{index}]")))
        return index + 1
    return _collect_parsed(certs, loc, index, "pkcs7", collected)


def _pkcs7_certificates(data: bytes) -> list[x509.Certificate] | str:
    """Return the certificates of a PKCS#7 structure, or the reason it cannot be read.

    OpenSSL writes the certificate SET of a multi-certificate `.p7b` unsorted, which is
    valid BER but not DER; cryptography then falls back to BER with a UserWarning that
    says nothing the user can act on, so it is silenced here on purpose.
    """
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import pkcs7

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            certs = pkcs7.load_der_pkcs7_certificates(data)
    except (ValueError, UnsupportedAlgorithm, x509.InvalidVersion) as exc:
        return f"not a readable PKCS#7 certificate container ({exc})"
    if not certs:
        return "the PKCS#7 container holds no certificate"
    return certs


def _result(kind: str, collected: _Collected) -> LoadResult:
    """Build the records of the queued certificates; a failing one becomes INP001."""
    records: list[Certificate] = []
    problems = list(collected.problems)
    for item in collected.pending:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # see certificate_from_der
                records.append(
                    _describe(item.cert, item.der, item.loc, item.origin, item.private_key, None)
                )
        except ValueError as exc:
            problems.append(
                InputProblem("INP001", f"certificate could not be read: {exc}", item.loc)
            )
    problems.sort(key=lambda p: p.location.sort_key())
    return LoadResult(kind, records=tuple(records), problems=_capped(problems))


def _capped(problems: list[InputProblem]) -> tuple[InputProblem, ...]:
    """Keep at most the per-file limit of problems, plus one that counts the rest.

    A PEM file of thousands of damaged blocks must not become thousands of findings.
    """
    limit = input_limits.active().max_problems_per_file
    if len(problems) <= limit:
        return tuple(problems)
    rest = problems[limit:]
    summary = InputProblem(
        "INP001",
        f"{len(rest):,} more problems in this file are not listed (at most {limit:,} are); "
        "the first is here",
        rest[0].location,
    )
    return (*problems[:limit], summary)


# ---------------------------------------------------------------------------- binary


def load_binary(source: Source, ctx: LoadContext) -> LoadResult:
    """Load a DER certificate, a DER PKCS#7 (`.p7b`) or a PFX/PKCS#12 file.

    See `_load_binary`; like `load_pem`, this checks the size limit first and never
    lets a warning of cryptography escape.
    """
    refused = _oversized(source, input_limits.active())
    if refused is not None:
        return LoadResult(BINARY_KIND, problems=(refused,))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _load_binary(source, ctx)


def _load_binary(source: Source, ctx: LoadContext) -> LoadResult:
    """Load a DER certificate, a DER PKCS#7 (`.p7b`) or a PFX/PKCS#12 file.

    The forms are tried in that order; the ASN.1 shape picks which failure to report
    when none decodes, and tells a PFX with a missing or wrong password (INP003) from
    a file that is no PFX at all (INP001).
    """
    data = source.data
    whole = source.location()
    outer = read_header(data)
    if outer is not None and outer.total is not None and outer.total > len(data):
        return LoadResult(
            BINARY_KIND,
            problems=(
                InputProblem(
                    "INP001",
                    f"{_guess_form(data)} is truncated: its header announces "
                    f"{outer.total} bytes but the file has {len(data)}",
                    whole,
                ),
            ),
        )

    collected = _Collected()
    try:
        _collect_der(data, whole.with_pointer("cert[0]"), "der", collected)
    except ValueError as exc:
        der_error = str(exc)
    else:
        return _result(BINARY_KIND, collected)

    inner = inner_tag(data)
    if inner != ASN1_INTEGER:
        certs = _pkcs7_certificates(data)
        if not isinstance(certs, str):
            _collect_parsed(certs, whole, 0, "pkcs7", collected)
            return _result(BINARY_KIND, collected)
        if inner == ASN1_OID:
            return _problem(certs, whole)

    if looks_like_pkcs12(data):
        return _load_pkcs12(data, whole, ctx)
    if inner == ASN1_SEQUENCE:
        return _problem(f"certificate could not be read: {der_error}", whole)
    return _problem("file is not a DER certificate, a PKCS#7 (.p7b) or a PFX/PKCS#12 file", whole)


def _guess_form(data: bytes) -> str:
    """Name the binary form the file seems to be, for messages."""
    if looks_like_pkcs12(data):
        return "PFX/PKCS#12 file"
    return {ASN1_SEQUENCE: "DER certificate", ASN1_OID: "PKCS#7 file"}.get(
        inner_tag(data) or 0, "file"
    )


def _problem(message: str, loc: Location) -> LoadResult:
    """Return a binary result that holds one INP001."""
    return LoadResult(BINARY_KIND, problems=(InputProblem("INP001", message, loc),))


def _pfx_cost_refusal(data: bytes, ctx: LoadContext) -> str | None:
    """Say why opening this PFX would derive keys beyond the limit, before any is derived.

    The passwords are those `_load_pkcs12` tries, in its order (see `loaders.pfxcost`).
    """
    from s2slint.loaders import pfxcost

    supplied = ctx.pfx_password.reveal() if ctx.pfx_password is not None else None
    limit = input_limits.active().max_pfx_iterations
    return pfxcost.refusal(data, pfxcost.passwords_to_try(supplied), limit)


def _load_pkcs12(data: bytes, loc: Location, ctx: LoadContext) -> LoadResult:
    """Open a PFX: without a password first, then with the context password.

    Windows exports PFX files with an empty password more often than one would hope;
    trying none first also means a password is only revealed when it is needed. A PFX
    that asks for more key derivation than `limits.max_pfx_iterations` is refused
    (INP004) before any key is derived.
    """
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import pkcs12

    refused = _pfx_cost_refusal(data, ctx)
    if refused is not None:
        return LoadResult(
            BINARY_KIND,
            problems=(InputProblem("INP004", f"PFX/PKCS#12 file refused: {refused}", loc),),
        )
    candidates: list[bytes | None] = [None, b""]
    if ctx.pfx_password is not None:
        candidates.append(ctx.pfx_password.reveal().encode("utf-8"))
    opened = None
    for password in candidates:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                opened = pkcs12.load_key_and_certificates(data, password)
            break
        except ValueError:
            continue
        except UnsupportedAlgorithm:
            return _problem(
                "PFX/PKCS#12 file uses an encryption or key algorithm that cannot be read",
                loc,
            )
        except x509.InvalidVersion:
            return _problem("PFX/PKCS#12 file holds a certificate that cannot be read", loc)
    if opened is None:
        if ctx.pfx_password is None:
            message = (
                "PFX/PKCS#12 file needs a password to be read "
                f"({ctx.pfx_password_origin}); supply the PFX password to s2slint so that "
                "its certificates and private key can be checked"
            )
        else:
            message = (
                "PFX/PKCS#12 file could not be opened with the supplied password "
                f"({ctx.pfx_password_origin}): the password is wrong or the file is damaged"
            )
        return LoadResult(BINARY_KIND, problems=(InputProblem("INP003", message, loc),))

    key, main, additional = opened
    collected = _Collected()
    certs = ([main] if main is not None else []) + list(additional)
    if not certs:
        return _problem("PFX/PKCS#12 file holds no certificate", loc)
    _collect_parsed(certs, loc, 0, "pkcs12", collected)
    if key is not None:
        # The key belongs to the main certificate; when OpenSSL found none that matches
        # the key, the PFX's first certificate is the one it was exported for.
        collected.pending[0].private_key = key
    return _result(BINARY_KIND, collected)
