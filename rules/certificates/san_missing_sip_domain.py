"""CRT005 san-missing-sip-domain: an additional SIP domain is not in the OAuthTokenIssuer SANs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Severity
from s2slint.model import Located, Model, normalize_fqdn
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.judge import judge_each
from ._docs import VERSIONS_TEXT
from ._fixes import DOC_LYNC_RENEWAL, fix_context, renewal
from ._judge import Seen
from ._scope import OAUTH, ScopedCertificate, dns_names, in_scope

DOC = RuleDoc(
    what=(
        "Reports, for each SIP domain of the topology other than the default one, an "
        "OAuthTokenIssuer certificate whose Subject Alternative Names name neither the "
        "domain nor a host or wildcard inside it. The names are read from the "
        "certificate file, else from the `AlternativeNames` of the "
        "`Get-CsCertificate` entry (an empty list there tells nothing). " + VERSIONS_TEXT
    ),
    why=(
        "With several SIP domains, Microsoft asks for every SIP namespace in the "
        "OAuth certificate's Subject Alternative Names. Users of a domain the "
        "certificate does not name can find their server-to-server features (unified "
        "contact store, Exchange archiving, calendar presence) failing while users of "
        "the default domain work."
    ),
    bad="certs/oauth-token-issuer.cer:\n"
    "  X509v3 Subject Alternative Name: DNS:litwareinc.com\n"
    "  (topology SIP domains: litwareinc.com, fabrikam.com)",
    good="certs/oauth-token-issuer.cer:\n"
    "  X509v3 Subject Alternative Name: DNS:litwareinc.com, DNS:fabrikam.com",
    fix=DOC_LYNC_RENEWAL,
    evidence="the OAuthTokenIssuer assignment (Get-CsCertificate) or its certificate file",
    references=(ref.MANAGE_S2S_SFB, ref.ASSIGN_CERT_SFB),
    snippet_language="text",
)


def covers_domain(names: Iterable[str], domain: str) -> bool:
    """Tell whether DNS names cover `domain`: the domain, a host in it or a wildcard."""
    domain = normalize_fqdn(domain)
    for name in names:
        name = normalize_fqdn(name)
        if name == domain or name.endswith("." + domain):
            return True
    return False


def _additional_domains(model: Model) -> dict[str, Located[str]]:
    """Return the topology's SIP domains other than the default one, by name."""
    default = model.default_sip_domain
    default_name = normalize_fqdn(default.value) if default is not None else None
    additional: dict[str, Located[str]] = {}
    for domain in model.sip_domains():
        name = normalize_fqdn(domain.value)
        if name and name != default_name:
            additional.setdefault(name, domain)
    return additional


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag each additional SIP domain the OAuthTokenIssuer certificate's SANs lack."""
    items = in_scope(model, ctx, (OAUTH,), assignment_evidence=True)
    if isinstance(items, NotEvaluated):
        return items
    additional = _additional_domains(model)
    context = fix_context(model, ctx)

    def report(item: ScopedCertificate, seen: Seen[tuple[str, ...]]) -> Iterator[Issue]:
        for name, domain in additional.items():
            if covers_domain(seen.value, name):
                continue
            yield Issue(
                f'{item.describe()} does not name the SIP domain "{name}" in its Subject '
                "Alternative Names"
                + (f" ({', '.join(seen.value)})" if seen.value else " (it has none)"),
                seen.loc,
                related=(*seen.related, domain.loc),
                key=f"{item.finding_key}:san:{name}",
                fix=renewal(
                    item,
                    context,
                    f'the {item.title} does not name "{name}": request one for every SIP domain',
                ),
            )

    return judge_each(items, dns_names, report)


RULE = Rule(
    code="CRT005",
    name="san-missing-sip-domain",
    severity=Severity.WARNING,
    summary="An additional SIP domain is not in the OAuthTokenIssuer certificate's SANs",
    check=check,
    doc=DOC,
    requires=(any_of(Export.TOPOLOGY, say=f"{Export.TOPOLOGY.phrase}, for the SIP domains"),),
)
