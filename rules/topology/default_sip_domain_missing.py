"""TOP001 default-sip-domain-missing: the topology has no default SIP domain."""

from __future__ import annotations

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated

from .._shared import references as ref
from ._common import quote


def _publish_lines(domain: str) -> list[str]:
    """Set the published topology's default SIP domain to `domain` and publish it."""
    return [
        "$topology = [xml](Get-CsTopology -AsXml)",
        f"$topology.Topology.InternalDomains.SetAttribute('DefaultDomain', {domain})",
        "$topology.Save('C:\\Temp\\topology.xml')",
        "Publish-CsTopology -FileName C:\\Temp\\topology.xml",
        "Enable-CsTopology",
    ]


DOC = RuleDoc(
    what=(
        "Reports a topology (published `Get-CsTopology -AsXml` output or a Topology "
        "Builder `.tbxml` file) whose `InternalDomains` element has no "
        "`DefaultDomain`, or an empty one."
    ),
    why=(
        "The default SIP domain is what the OAuthTokenIssuer certificate must name "
        "in its Subject and what Lync's OAuth realm defaults to; Exchange and "
        "SharePoint identify Lync by it. A topology without one cannot be published "
        "as it stands, and the server-to-server checks that depend on it (certificate "
        "subject, realm, autodiscover host) cannot be made."
    ),
    bad='<InternalDomains AllowAllDomains="false">\n'
    '  <InternalDomain Name="litwareinc.com" Authoritative="false" AllowSubDomains="false" />\n'
    "</InternalDomains>",
    good='<InternalDomains AllowAllDomains="false" DefaultDomain="litwareinc.com">\n'
    '  <InternalDomain Name="litwareinc.com" Authoritative="false" AllowSubDomains="false" />\n'
    "</InternalDomains>",
    fix="\n".join(
        [
            "# $domain: the SIP domain to make the default (the one the OAuthTokenIssuer",
            "# certificate names); or set it in Topology Builder (Edit Properties > SIP domain)",
            "$domain = 'litwareinc.com'",
            *_publish_lines("$domain"),
        ]
    ),
    references=(ref.MANAGE_S2S_SFB, ref.ASSIGN_CERT_SFB),
)


def _fix(domains: list[str]) -> str:
    """Make the first SIP domain the topology lists the default one, and publish."""
    if not domains:
        return "\n".join(
            [
                "# the topology lists no SIP domain: add one in Topology Builder and publish",
                "Get-CsSipDomain",
            ]
        )
    listed = f" (it lists {', '.join(domains)})" if len(domains) > 1 else ""
    return "\n".join(
        [
            f"# make {domains[0]} the default SIP domain{listed}; the default must be",
            "# the SIP domain the OAuthTokenIssuer certificate names",
            *_publish_lines(quote(domains[0])),
        ]
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a topology without a default SIP domain."""
    issues = []
    for topology in model.topologies:
        default = topology.default_domain
        if default is not None and default.value.strip():
            continue
        names = [d.value for d in topology.sip_domains if d.value]
        domains = ", ".join(names)
        listed = f" (it lists the SIP domains {domains})" if domains else ""
        issues.append(
            Issue(
                "the topology has no default SIP domain (InternalDomains/@DefaultDomain)" + listed,
                default.loc if default is not None else topology.loc,
                key="topology:default-sip-domain",
                fix=_fix(names),
            )
        )
    return evaluated(issues, len(model.topologies))


RULE = Rule(
    code="TOP001",
    name="default-sip-domain-missing",
    severity=Severity.ERROR,
    summary="The topology has no default SIP domain (InternalDomains/@DefaultDomain)",
    check=check,
    doc=DOC,
    requires=(any_of(Export.TOPOLOGY),),
)
