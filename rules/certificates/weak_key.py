"""CRT003 weak-key: an in-scope certificate's RSA or DSA key is under min-key-bits."""

from __future__ import annotations

from dataclasses import dataclass, field

from s2slint.findings import Severity
from s2slint.model import Certificate, Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._docs import CERT_EVIDENCE, VERSIONS_TEXT
from ._fixes import DOC_RENEW_ANY, fix_context, renewal
from ._judge import judge
from ._scope import ScopedCertificate, from_copies, in_scope

DOC = RuleDoc(
    what=(
        "Reports a certificate in scope whose RSA or DSA key is shorter than "
        "`min-key-bits` (2048 by default). In scope: Lync's OAuthTokenIssuer certificate(s) "
        "(named by `Get-CsCertificate`: the one in force and a staged roll), Exchange's Auth "
        "certificate(s) (named by `Get-AuthConfig`: current and next), and SharePoint's STS "
        "signing certificate when exported (`Get-SPSecurityTokenServiceConfig`, which holds "
        "it). The key is read from the certificate files of the bundle (.cer, .pfx, .p7b, "
        "PEM) or from the `RawData` of an export (`Get-ExchangeCertificate`, SharePoint's); "
        "an export without `RawData` gives the size as `PublicKeySize`, which is checked too. "
        + VERSIONS_TEXT
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
    fix=DOC_RENEW_ANY,
    evidence=CERT_EVIDENCE,
    references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.INTEGRATE_EXCHANGE_SFB),
    snippet_language="text",
)


@dataclass(frozen=True, eq=False, repr=False)
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

    context = fix_context(model, ctx)

    def fix(item: ScopedCertificate, found: tuple[str, int]) -> str:
        reason = f"the {item.title} has a {found[1]}-bit key: replace it with a 2048-bit one"
        return renewal(item, context, reason)

    return judge(items, lambda item: from_copies(item, _key), problem, fix=fix)


RULE = Rule(
    code="CRT003",
    name="weak-key",
    severity=Severity.ERROR,
    summary="An OAuthTokenIssuer or Exchange Auth certificate has a key under min-key-bits",
    check=check,
    options=Options,
    doc=DOC,
)
