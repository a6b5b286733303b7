"""TOP002 front-end-without-evidence: a Front End has no Get-CsCertificate export."""

from __future__ import annotations

from s2slint.evidence import Export
from s2slint.findings import Issue, Location, Severity
from s2slint.model import Model, normalize_fqdn
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.integration import oauth_entries_by_server

DOC = RuleDoc(
    what=(
        "Reports each Front End server of the topology (a machine of a pool with the "
        "UserServices or Registrar service; SQL, file-store, Edge and Office Web Apps "
        "clusters are not Front End pools) that has no `Get-CsCertificate` export in "
        "the bundle while other Front End servers have one. Exports are attributed "
        "by `PSComputerName`, else by a folder named after the server."
    ),
    why=(
        "CRT002 proves that every Front End carries the same OAuthTokenIssuer "
        "certificate only for the servers whose certificates were exported. A "
        "missing export is exactly where a server with a certificate of its own "
        "(imported by hand instead of assigned globally) hides: its users lose the "
        "unified contact store and Outlook presence while the audit looks clean."
    ),
    bad="servers/atl-fe-01.litwareinc.com/certificates.xml\n"
    "servers/atl-fe-02.litwareinc.com/certificates.xml\n"
    "# atl-fe-03.litwareinc.com is in pool atl-cs-001 but has no export",
    good="servers/atl-fe-01.litwareinc.com/certificates.xml\n"
    "servers/atl-fe-02.litwareinc.com/certificates.xml\n"
    "servers/atl-fe-03.litwareinc.com/certificates.xml",
    fix=(
        "# on the Front End server itself, into the bundle's servers folder\n"
        "Get-CsCertificate | Export-Clixml -Path "
        '"\\\\<share>\\exports\\servers\\$env:COMPUTERNAME.$env:USERDNSDOMAIN\\certificates.xml"'
    ),
    evidence="a topology and Get-CsCertificate exports of the Front End servers",
    references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB),
    snippet_language="text",
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Front End servers without a Get-CsCertificate export when others have one."""
    if not model.topologies:
        return not_evaluated(f"{Export.TOPOLOGY.phrase}, for the Front End servers")
    if not model.cs_certificates:
        return not_evaluated("Get-CsCertificate exports of the Front End servers")
    front_ends = model.front_end_servers()
    evidence: dict[str, Location] = {}
    for server, entries in sorted(oauth_entries_by_server(model).items()):
        evidence.setdefault(normalize_fqdn(server), Location(entries[0].loc.path))
    if not evidence:
        return evaluated((), 0)  # no export is attributed to a Front End: nothing to compare
    supplied = ", ".join(evidence)
    issues = []
    for name, machine in front_ends.items():
        if name in evidence:
            continue
        issues.append(
            Issue(
                f"Front End server {name} has no Get-CsCertificate export, while {supplied} "
                "have one: its OAuthTokenIssuer certificate cannot be proven identical",
                machine.fqdn.loc,
                related=tuple(evidence.values()),
                key=f"front-end:{name}",
            )
        )
    return evaluated(issues, len(front_ends))


RULE = Rule(
    code="TOP002",
    name="front-end-without-evidence",
    severity=Severity.WARNING,
    summary="A Front End server has no Get-CsCertificate export while others have one",
    check=check,
    doc=DOC,
)
