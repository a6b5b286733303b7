"""CRT012 unsupported-key-type: the OAuthTokenIssuer certificate's key is not RSA."""

from __future__ import annotations

from s2slint.findings import Severity
from s2slint.model import Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._docs import OAUTH_FILE_EVIDENCE, VERSIONS_TEXT
from ._fixes import DOC_LYNC_RENEWAL, fix_context, renewal
from ._judge import Seen, judge
from ._scope import OAUTH, ScopedCertificate, from_copies, in_scope

DOC = RuleDoc(
    what=(
        "Reports an OAuthTokenIssuer certificate whose public key is not RSA (an "
        "elliptic-curve, DSA, Ed25519 or Ed448 key), read from the certificate files "
        "of the bundle. A key whose type cannot be told is not reported. " + VERSIONS_TEXT
    ),
    why=(
        "Lync and its partners sign and verify server-to-server tokens with RSA "
        "(RS256) only. A certificate with an elliptic-curve key, as some CA templates "
        "now issue by default, can be assigned, but the tokens it signs are rejected "
        "by Exchange and SharePoint."
    ),
    bad="certs/oauth-token-issuer.cer:\n"
    "  Public Key Algorithm: id-ecPublicKey (ASN1 OID: prime256v1)",
    good="  Public Key Algorithm: rsaEncryption (2048 bit)",
    fix=DOC_LYNC_RENEWAL.replace("# a 2048-bit RSA key", "# an RSA key (not ECDSA), 2048 bits"),
    evidence=OAUTH_FILE_EVIDENCE,
    references=(ref.ASSIGN_CERT_SFB, ref.INTEGRATE_EXCHANGE_SFB),
    snippet_language="text",
)


def _key_type(item: ScopedCertificate) -> Seen[str] | None:
    """Return the key type of the first copy that tells it (an "unknown" type tells nothing)."""
    return from_copies(item, lambda c: c.key_type if c.key_type != "unknown" else None)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an OAuthTokenIssuer certificate whose key is not RSA (an unknown type is unknown)."""
    items = in_scope(model, ctx, (OAUTH,))
    if isinstance(items, NotEvaluated):
        return items

    def problem(item: ScopedCertificate, key_type: str) -> str | None:
        if key_type == "RSA":
            return None
        article = "an" if key_type[:1] in "AEIOU" else "a"
        return (
            f"{item.describe()} has {article} {key_type} key; Lync signs OAuth tokens with RSA "
            "keys only"
        )

    context = fix_context(model, ctx)

    def fix(item: ScopedCertificate, key_type: str) -> str:
        article = "an" if key_type[:1] in "AEIOU" else "a"
        reason = f"the {item.title} has {article} {key_type} key: request an RSA one"
        return renewal(item, context, reason)

    return judge(items, _key_type, problem, fix=fix)


RULE = Rule(
    code="CRT012",
    name="unsupported-key-type",
    severity=Severity.ERROR,
    summary="The OAuthTokenIssuer certificate's key is not RSA",
    check=check,
    doc=DOC,
)
