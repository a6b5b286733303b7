"""CRT013 missing-digital-signature-usage: a KeyUsage extension without digitalSignature."""

from __future__ import annotations

from s2slint.findings import Severity
from s2slint.model import Certificate, Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._docs import CERT_EVIDENCE, SCOPE_TEXT, VERSIONS_TEXT
from ._fixes import DOC_RENEW_ANY, fix_context, renewal
from ._judge import judge
from ._scope import ScopedCertificate, from_copies, in_scope, is_decoded

DOC = RuleDoc(
    what=(
        "Reports an OAuthTokenIssuer, Exchange Auth or SharePoint token-signing certificate that has a KeyUsage "
        "extension which does not include `digitalSignature`. A certificate without "
        "a KeyUsage extension (every usage allowed) is fine; an export without "
        "`RawData` does not show the extension and is not reported. "
        + SCOPE_TEXT
        + " "
        + VERSIONS_TEXT
    ),
    why=(
        "Signing OAuth tokens is a digital signature. A certificate issued for key "
        "encipherment only (an encryption template) is refused for signing by "
        "strict verifiers, and its tokens may be rejected by Exchange or SharePoint."
    ),
    bad="certs/oauth-token-issuer.cer:\n  X509v3 Key Usage: critical\n      Key Encipherment",
    good="  X509v3 Key Usage: critical\n      Digital Signature, Key Encipherment",
    fix=DOC_RENEW_ANY,
    evidence=CERT_EVIDENCE,
    references=(ref.ASSIGN_CERT_SFB, ref.MONITOR_AUTH_CERT),
    snippet_language="text",
)


def _usage(certificate: Certificate) -> str | None:
    """Say what the KeyUsage extension allows: "digitalSignature", "without", or no extension."""
    if not is_decoded(certificate):
        return None  # rebuilt from export properties: the extension is unknown
    if certificate.key_usage_digital_signature is None:
        return "no KeyUsage extension"  # every usage is allowed
    return "digitalSignature" if certificate.key_usage_digital_signature else "without"


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope certificates whose KeyUsage extension lacks digitalSignature."""
    items = in_scope(model, ctx)
    if isinstance(items, NotEvaluated):
        return items

    def problem(item: ScopedCertificate, found: str) -> str | None:
        if found != "without":
            return None
        return (
            f"{item.describe()} has a KeyUsage extension without digitalSignature, so it "
            "may not sign OAuth tokens"
        )

    context = fix_context(model, ctx)

    def fix(item: ScopedCertificate, found: str) -> str:
        reason = f"the {item.title} may not sign: request one whose key usage allows signatures"
        return renewal(item, context, reason)

    return judge(items, lambda item: from_copies(item, _usage), problem, fix=fix)


RULE = Rule(
    code="CRT013",
    name="missing-digital-signature-usage",
    severity=Severity.WARNING,
    summary="A certificate in scope has a KeyUsage extension without digitalSignature",
    check=check,
    doc=DOC,
)
