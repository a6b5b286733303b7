"""CRT003 weak-key: an in-scope certificate's RSA or DSA key is under min-key-bits."""

from __future__ import annotations

from dataclasses import dataclass, field

from s2slint.findings import Severity
from s2slint.model import Certificate, Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._docs import CERT_EVIDENCE
from ._judge import judge
from ._scope import ScopedCertificate, from_copies, in_scope

DOC = RuleDoc(
    what=(
        "Reports an OAuthTokenIssuer certificate (named by `Get-CsCertificate`) or an "
        "Exchange Auth certificate (named by `Get-AuthConfig`) whose RSA or DSA key "
        "is shorter than `min-key-bits` (2048 by default). The key is read from the "
        "certificate files of the bundle (.cer, .pfx, .p7b, PEM) or from the "
        "`RawData` of a `Get-ExchangeCertificate` export; an export without `RawData` "
        "gives the size as `PublicKeySize`, which is checked too."
    ),
    why=(
        "Microsoft requires a key of at least 2048 bits for the server-to-server "
        "authentication certificate. A 1024-bit key is weak enough to be factored by a "
        "determined attacker, who could then sign tokens as Lync to Exchange or "
        "SharePoint, and current Exchange builds refuse such certificates."
    ),
    bad="Get-CsCertificate -Type OAuthTokenIssuer  ->  certs/oauth-token-issuer.cer:\n"
    "  Public-Key: (1024 bit)",
    good="Get-CsCertificate -Type OAuthTokenIssuer  ->  certs/oauth-token-issuer.cer:\n"
    "  Public-Key: (2048 bit)",
    fix=(
        "# request a new certificate with a 2048-bit (or larger) exportable key\n"
        "Request-CsCertificate -New -Type OAuthTokenIssuer -KeySize 2048 "
        "-PrivateKeyExportable $True -CA <CA> -FriendlyName 'OAuth 2048'\n"
        "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
        "-Thumbprint <new thumbprint> -Roll -EffectiveDate (Get-Date).AddDays(2)"
    ),
    evidence=CERT_EVIDENCE,
    references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.INTEGRATE_EXCHANGE_SFB),
    snippet_language="text",
)


@dataclass(frozen=True)
class Options:
    """Options of CRT003."""

    min_key_bits: int = field(
        default=2048, metadata={"doc": "smallest RSA or DSA key size accepted, in bits"}
    )


def _key(certificate: Certificate) -> tuple[str, int] | None:
    """Return the key type and size, when the key is one whose size is judged.

    A `Get-ExchangeCertificate` export without `RawData` names no key type, only its
    `PublicKeySize`; that size is checked all the same (Exchange keys are RSA).
    """
    if certificate.key_type not in ("RSA", "DSA", "unknown") or certificate.key_bits is None:
        return None
    return certificate.key_type, certificate.key_bits


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag RSA/DSA keys under the configured size on in-scope certificates."""
    options = ctx.options_as(Options)
    items = in_scope(model, ctx)
    if isinstance(items, NotEvaluated):
        return items

    def problem(item: ScopedCertificate, found: tuple[str, int]) -> str | None:
        key_type, bits = found
        if bits >= options.min_key_bits:
            return None
        kind = "" if key_type == "unknown" else f" {key_type}"
        return (
            f"{item.describe()} has a {bits}-bit{kind} key; at least "
            f"{options.min_key_bits} bits are required"
        )

    return judge(items, lambda item: from_copies(item, _key), problem)


RULE = Rule(
    code="CRT003",
    name="weak-key",
    severity=Severity.ERROR,
    summary="An OAuthTokenIssuer or Exchange Auth certificate has a key under min-key-bits",
    check=check,
    options=Options,
    doc=DOC,
)
