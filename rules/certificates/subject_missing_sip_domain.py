"""CRT004 subject-missing-sip-domain: the OAuthTokenIssuer Subject lacks the default SIP domain."""

from __future__ import annotations

import re

from s2slint.evidence import Export, any_of
from s2slint.findings import Severity
from s2slint.model import Model, normalize_fqdn
from s2slint.rule import (
    NotEvaluated,
    Outcome,
    Rule,
    RuleContext,
    RuleDoc,
    evaluated,
)

from .._shared import references as ref
from ._docs import VERSIONS_TEXT
from ._fixes import DOC_LYNC_RENEWAL, fix_context, renewal
from ._judge import judge
from ._scope import OAUTH, ScopedCertificate, in_scope, subject

DOC = RuleDoc(
    what=(
        "Reports an OAuthTokenIssuer certificate (the one in force or a roll) whose "
        "Subject does not contain the topology's default SIP domain "
        "(`InternalDomains/@DefaultDomain`), as a whole name or as a host inside it "
        "(`CN=litwareinc.com` or `CN=atl-cs-001.litwareinc.com` for litwareinc.com). "
        "The subject is read from the certificate file, else from the "
        "`Get-CsCertificate` entry. " + VERSIONS_TEXT
    ),
    why=(
        "Exchange and SharePoint identify Lync's tokens by the SIP domain the "
        "certificate names; Microsoft requires the SIP domain in the Subject of the "
        "server-to-server certificate. A certificate issued to another name (a "
        "server name of another domain, a copied Exchange certificate) makes the "
        "partner applications reject Lync's tokens: no unified contact store, no "
        "archiving to Exchange, no Outlook calendar presence."
    ),
    bad="Get-CsCertificate -Type OAuthTokenIssuer  ->  certs/oauth-token-issuer.cer:\n"
    "  Subject: CN=lync.contoso.net, O=Litware Inc   (default SIP domain litwareinc.com)",
    good="Get-CsCertificate -Type OAuthTokenIssuer  ->  certs/oauth-token-issuer.cer:\n"
    "  Subject: CN=litwareinc.com, OU=Unified Communications, O=Litware Inc",
    fix=DOC_LYNC_RENEWAL,
    evidence="the OAuthTokenIssuer assignment (Get-CsCertificate) or its certificate file",
    references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.MANAGE_S2S_SFB),
    snippet_language="text",
)

_DOMAIN_CHARS = "A-Za-z0-9-"


def names_domain(text: str, domain: str) -> bool:
    """Tell whether a subject names `domain` or a host inside it (`sip.litwareinc.com`).

    The domain must stand as a whole name: `notlitwareinc.com` and
    `litwareinc.com.example.net` do not contain `litwareinc.com`.
    """
    pattern = rf"(?<![{_DOMAIN_CHARS}]){re.escape(domain)}(?![{_DOMAIN_CHARS}.])"
    return re.search(pattern, text, re.IGNORECASE) is not None


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an OAuthTokenIssuer certificate whose Subject lacks the default SIP domain."""
    items = in_scope(model, ctx, (OAUTH,), assignment_evidence=True)
    if isinstance(items, NotEvaluated):
        return items
    domain = model.default_sip_domain
    if domain is None:
        return evaluated((), 0)  # TOP001 reports the topology without a default domain
    name = normalize_fqdn(domain.value)

    def problem(item: ScopedCertificate, found: str) -> str | None:
        if names_domain(found, name):
            return None
        return (
            f'{item.describe()} has the subject "{found}", which does not contain the '
            f'default SIP domain "{name}"'
        )

    context = fix_context(model, ctx)

    def fix(item: ScopedCertificate, found: str) -> str:
        reason = f'the {item.title} does not name "{name}": request one for the SIP domains'
        return renewal(item, context, reason)

    return judge(items, subject, problem, also=(domain.loc,), fix=fix)


RULE = Rule(
    code="CRT004",
    name="subject-missing-sip-domain",
    severity=Severity.ERROR,
    summary="The OAuthTokenIssuer certificate's Subject does not contain the default SIP domain",
    check=check,
    doc=DOC,
    requires=(
        any_of(Export.TOPOLOGY, say=f"{Export.TOPOLOGY.phrase}, for the default SIP domain"),
    ),
)
