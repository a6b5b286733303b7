"""CRT009 weak-signature-algorithm: an in-scope certificate is signed with MD5 or SHA-1."""

from __future__ import annotations

from s2slint.findings import Severity
from s2slint.model import Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._docs import CERT_EVIDENCE, SCOPE_TEXT, VERSIONS_TEXT
from ._fixes import DOC_RENEW_ANY, fix_context, renewal
from ._judge import judge
from ._scope import ScopedCertificate, from_copies, in_scope

DOC = RuleDoc(
    what=(
        "Reports an OAuthTokenIssuer, Exchange Auth or SharePoint token-signing certificate whose signature "
        "uses MD5 or SHA-1 (md5WithRSAEncryption, sha1WithRSAEncryption, ...). The "
        "algorithm is read from the decoded certificate; an export without `RawData` "
        "does not show it. "
        + SCOPE_TEXT
        + " A valid certificate is replaced by a staged rotation (New-ExchangeCertificate "
        "signs with SHA-256; a CA template decides the Lync certificate's signature). "
        + VERSIONS_TEXT
    ),
    why=(
        "SHA-1 and MD5 signatures can be forged (chosen-prefix collisions), and "
        "current Windows and Exchange builds distrust them. Exchange setup made "
        "SHA-1 Auth certificates up to Exchange 2019 CU12; a certificate renewed "
        "today should be signed with SHA-256."
    ),
    bad="exchange/certificates.xml  (Get-AuthConfig CurrentCertificateThumbprint):\n"
    "  Signature Algorithm: sha1WithRSAEncryption",
    good="  Signature Algorithm: sha256WithRSAEncryption",
    fix=DOC_RENEW_ANY,
    evidence=CERT_EVIDENCE,
    references=(ref.MONITOR_AUTH_CERT, ref.SET_AUTHCONFIG, ref.ASSIGN_CERT_SFB),
    snippet_language="text",
)

_WEAK_HASHES = {"md5": "MD5", "sha1": "SHA-1"}


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope certificates signed with MD5 or SHA-1."""
    items = in_scope(model, ctx)
    if isinstance(items, NotEvaluated):
        return items

    def problem(item: ScopedCertificate, digest: str) -> str | None:
        weak = _WEAK_HASHES.get(digest.lower())
        if weak is None:
            return None
        return f"{item.describe()} is signed with {weak}; use a certificate signed with SHA-256"

    context = fix_context(model, ctx)

    def fix(item: ScopedCertificate, digest: str) -> str:
        weak = _WEAK_HASHES.get(digest.lower(), digest)
        reason = f"the {item.title} is signed with {weak}: replace it with one signed with SHA-256"
        return renewal(item, context, reason)

    return judge(
        items, lambda item: from_copies(item, lambda c: c.signature_hash), problem, fix=fix
    )


RULE = Rule(
    code="CRT009",
    name="weak-signature-algorithm",
    severity=Severity.WARNING,
    summary="A certificate in scope is signed with MD5 or SHA-1",
    check=check,
    doc=DOC,
)
