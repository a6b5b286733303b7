"""CRT009 weak-signature-algorithm: an in-scope certificate is signed with MD5 or SHA-1."""

from __future__ import annotations

from s2slint.findings import Severity
from s2slint.model import Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._docs import CERT_EVIDENCE, SCOPE_TEXT
from ._fixes import RENEW_EXCHANGE_AUTH, RENEW_OAUTH
from ._judge import judge
from ._scope import ScopedCertificate, from_copies, in_scope

DOC = RuleDoc(
    what=(
        "Reports an OAuthTokenIssuer or Exchange Auth certificate whose signature "
        "uses MD5 or SHA-1 (md5WithRSAEncryption, sha1WithRSAEncryption, ...). The "
        "algorithm is read from the decoded certificate; an export without `RawData` "
        "does not show it. " + SCOPE_TEXT
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
    fix=(
        "# Exchange Auth certificate (New-ExchangeCertificate signs with SHA-256)\n"
        + RENEW_EXCHANGE_AUTH
        + "\n# Lync OAuthTokenIssuer certificate: ask the CA for a SHA-256 signature\n"
        + RENEW_OAUTH
    ),
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

    return judge(items, lambda item: from_copies(item, lambda c: c.signature_hash), problem)


RULE = Rule(
    code="CRT009",
    name="weak-signature-algorithm",
    severity=Severity.WARNING,
    summary="A certificate in scope is signed with MD5 or SHA-1",
    check=check,
    doc=DOC,
)
