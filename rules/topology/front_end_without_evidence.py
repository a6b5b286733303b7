"""TOP002 front-end-without-evidence: an OAuth server has no Get-CsCertificate export."""

from __future__ import annotations

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location, Severity
from s2slint.messages import bounded_list
from s2slint.model import Model, normalize_fqdn
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated

from .._shared import references as ref
from .._shared.integration import oauth_entries_by_server
from ._common import quote, win_path


def _collect_lines(server: str, folder: str) -> list[str]:
    """Collect a server's Get-CsCertificate remotely into its own folder of the bundle."""
    return [
        f"New-Item -ItemType Directory -Force -Path {folder} | Out-Null",
        f"Invoke-Command -ComputerName {server} -ScriptBlock {{ Get-CsCertificate }} | "
        f"Export-Clixml -Path ({folder} + '\\certificates.xml')",
    ]


DOC = RuleDoc(
    what=(
        "Reports each OAuth server of the topology (a Front End or Standard Edition server, "
        "with UserServices, or a Director, with Registrar and WebServices; a Survivable "
        "Branch Appliance or Server, an Edge, SQL, file-store or Office Web Apps cluster is "
        "none) that has no `Get-CsCertificate` export in the bundle while other OAuth "
        "servers have one. Exports are attributed by `PSComputerName`, else by a folder "
        "named after the server. The fix collects the export remotely with `Invoke-Command` "
        "(which keeps `PSComputerName`) into a folder it creates."
    ),
    why=(
        "CRT002 proves that every OAuth server carries the same OAuthTokenIssuer "
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
    fix="\n".join(
        [
            "# from the bundle's folder; $server: the server without an export",
            "$server = 'atl-fe-03.litwareinc.com'",
            "$folder = Join-Path -Path .\\servers -ChildPath $server",
            *_collect_lines("$server", "$folder"),
        ]
    ),
    references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB),
    snippet_language="text",
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Front End servers without a Get-CsCertificate export when others have one."""
    front_ends = model.front_end_servers()
    evidence: dict[str, Location] = {}
    for server, entries in sorted(oauth_entries_by_server(model).items()):
        evidence.setdefault(normalize_fqdn(server), Location(entries[0].loc.path))
    if not evidence:
        return evaluated((), 0)  # no export is attributed to a Front End: nothing to compare
    supplied = bounded_list(evidence)
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
                fix="\n".join(
                    [
                        "# from the bundle's folder: collect its certificates remotely",
                        *_collect_lines(quote(name), win_path(".", "servers", name)),
                    ]
                ),
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
    requires=(
        any_of(Export.TOPOLOGY, say=f"{Export.TOPOLOGY.phrase}, for the Front End servers"),
        any_of(Export.CS_CERTIFICATES, say="Get-CsCertificate exports of the Front End servers"),
    ),
)
