"""CRT006 cert-expired: an in-scope certificate is past its NotAfter at the evaluation date."""

from __future__ import annotations

from datetime import datetime

from s2slint.findings import Severity
from s2slint.model import Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._dates import utc, when
from ._docs import DATED_EVIDENCE, EXCHANGE_REFERENCES, SCOPE_TEXT, VERSIONS_TEXT
from ._fixes import DOC_EXCHANGE_EMERGENCY, DOC_LYNC_AT_ONCE, fix_context, renewal
from ._judge import judge
from ._scope import CURRENT, ScopedCertificate, in_scope, not_after

DOC = RuleDoc(
    what=(
        "Reports an OAuthTokenIssuer or Exchange Auth certificate whose NotAfter is "
        "before the evaluation date (`--as-of`, default now). Dates come from the "
        "certificate (file or `Get-ExchangeCertificate` export), else from the "
        "`Get-CsCertificate` entry. "
        + SCOPE_TEXT
        + " The fix replaces an expired certificate at once, never with a roll that would "
        "keep the outage until its effective date: Lync's by a valid staged roll or a new "
        "certificate, after which Exchange reads Lync's metadata again "
        "(`Set-PartnerApplication -RefreshAuthMetadata`); Exchange's by the emergency "
        "sequence (effective now, `-PublishCertificate`, `-ClearPreviousCertificate`, "
        "restarts, and the Hybrid Configuration Wizard again when hybrid). " + VERSIONS_TEXT
    ),
    why=(
        "An expired signing certificate ends server-to-server authentication. When "
        "Exchange's Auth certificate expires, Outlook becomes slow and loses calendar "
        "and Out-of-Office data, OWA and ECP can fail, and Lync's unified contact "
        "store and archiving stop; when Lync's OAuthTokenIssuer certificate expires, "
        "Exchange rejects Lync's tokens with 401. The Exchange Auth certificate lives "
        "five years, long enough for everyone to forget it."
    ),
    bad="exchange/certificates.xml  (Get-AuthConfig CurrentCertificateThumbprint):\n"
    "  [Subject] CN=Microsoft Exchange Server Auth Certificate\n"
    "  [Not After] 11/06/2024 14:47:32      (evaluated on 2026-11-21)",
    good="  [Not After] 06/01/2030 09:12:07",
    fix=DOC_EXCHANGE_EMERGENCY + "\n" + DOC_LYNC_AT_ONCE,
    evidence=DATED_EVIDENCE,
    references=(*EXCHANGE_REFERENCES, ref.STAGE_CERTS_SFB, ref.ASSIGN_CERT_SFB),
    snippet_language="text",
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope certificates past their NotAfter at the evaluation date."""
    items = in_scope(model, ctx, assignment_evidence=True)
    if isinstance(items, NotEvaluated):
        return items
    now = utc(ctx.now)

    def problem(item: ScopedCertificate, expiry: datetime) -> str | None:
        if now <= utc(expiry):
            return None
        days = (now - utc(expiry)).days
        ago = f" ({days} days before the evaluation date)" if days else ""
        return f"{item.describe()} expired on {when(expiry)}{ago}"

    context = fix_context(model, ctx)

    def fix(item: ScopedCertificate, expiry: datetime) -> str:
        if item.stage == CURRENT:
            reason = f"the {item.title} expired on {when(expiry)}: replace it at once"
        else:
            reason = f"the {item.title} expired before it took effect: stage another one"
        return renewal(item, context, reason)

    return judge(items, not_after, problem, fix=fix)


RULE = Rule(
    code="CRT006",
    name="cert-expired",
    severity=Severity.ERROR,
    summary="A certificate in scope is past its NotAfter at the evaluation date",
    check=check,
    doc=DOC,
)
