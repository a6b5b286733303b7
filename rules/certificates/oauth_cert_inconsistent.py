"""CRT002 oauth-cert-inconsistent: OAuth servers carry different OAuthTokenIssuer certificates."""

from __future__ import annotations

from collections import Counter

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location, Severity
from s2slint.model import CsCertificate, Model, normalize_thumbprint
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.integration import oauth_entries_by_server
from .._shared.oauth_certs import timeline
from ._dates import utc
from ._examples import OAUTH_CERT_EXPORT
from ._fixes import lync_assign_line, lync_roll_line, ps_date, quote, roll_date
from ._scope import not_after, scoped_certificates, thumbprint_of

DOC = RuleDoc(
    what=(
        "Compares the OAuthTokenIssuer certificate in force at the evaluation date on each "
        "OAuth server (the Front End and Director servers of the topology; a Survivable "
        "Branch Appliance is none) and reports when the thumbprints differ or a server has "
        "none. The finding lists every server with its thumbprint. The entry in force is the "
        "one with the latest `EffectiveDate` not after the evaluation date; a roll staged "
        "for later is not compared, wherever the export lists it. Exports are attributed to "
        "servers by `PSComputerName`, else by a folder of the bundle named after the server "
        "(`servers/atl-fe-01.litwareinc.com/`)."
    ),
    why=(
        "Lync signs its OAuth tokens with this certificate, and Exchange trusts the "
        "one it reads from Lync's metadata document. A Front End with another "
        "certificate issues tokens Exchange rejects: users homed there lose the "
        "unified contact store and Outlook presence, `Test-CsExStorageConnectivity` "
        "returns 401, while the other servers work. It happens when the certificate "
        "was imported on each server with the MMC instead of being assigned once "
        "globally, which replication would deploy everywhere."
    ),
    bad=OAUTH_CERT_EXPORT.format(
        thumbprint="6F0E1D2C3B4A59687766554433221100FFEEDDCC",
        server="atl-fe-03.litwareinc.com",
    )
    + "\n<!-- atl-fe-01 and atl-fe-02 carry 1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D -->",
    good=OAUTH_CERT_EXPORT.format(
        thumbprint="1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D",
        server="atl-fe-03.litwareinc.com",
    ),
    fix="\n".join(
        [
            "# assign the certificate the servers should share once, globally, as a roll: it",
            "# replicates to every server before it takes effect (Microsoft asks for 24 hours",
            "# of overlap). $thumbprint: that certificate; $server: a server that differs",
            "# $notAfter: when the certificate it replaces expires (the roll must come 24 hours",
            "# before)",
            "$thumbprint = '1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D'",
            "$server = 'atl-fe-03.litwareinc.com'",
            "$notAfter = [datetime]'2028-03-02T16:25:41Z'",
            "$effective = (Get-Date).AddDays(2)",
            "if ($effective -gt $notAfter.AddHours(-24)) { $effective = $notAfter.AddHours(-24) }",
            lync_roll_line("$thumbprint", "$effective"),
            "# once it is in force, check the server",
            "Invoke-Command -ComputerName $server -ScriptBlock "
            "{ Get-CsCertificate -Type OAuthTokenIssuer }",
        ]
    ),
    references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.MANAGE_S2S_SFB),
)


_EVIDENCE = (
    "Get-CsCertificate exports attributed to at least two Front End servers "
    "(PSComputerName, or a folder named after the server)"
)


def _fix(
    model: Model,
    ctx: RuleContext,
    keep: str,
    deviating: list[str],
    chosen: dict[str, CsCertificate | None],
) -> str:
    """Roll the shared certificate in globally, 24 hours or more before any replaced one expires."""
    scope = {item.thumbprint: item for item in scoped_certificates(model, ctx.now)}
    expiries = [
        utc(seen.value)
        for server in deviating
        if (entry := chosen[server]) is not None
        and (item := scope.get(thumbprint_of(entry.thumbprint))) is not None
        and (seen := not_after(item)) is not None
    ]
    when = roll_date(ctx.now, min(expiries, default=None))
    lines = [f"# assign {keep} once, globally; replication deploys it to every server"]
    if when is None:
        lines.append("# a replaced certificate expires within 24 hours: no time for a roll")
        lines.append(lync_assign_line(quote(keep)))
    else:
        lines.append(lync_roll_line(quote(keep), ps_date(when)))
    lines.append("# once it is in force, check the servers that differed")
    lines += [
        f"Invoke-Command -ComputerName {quote(server)} -ScriptBlock "
        "{ Get-CsCertificate -Type OAuthTokenIssuer }"
        for server in deviating
    ]
    return "\n".join(lines)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Compare the OAuthTokenIssuer thumbprint in force across the OAuth servers."""
    servers = oauth_entries_by_server(model)
    if len(servers) < 2:
        return not_evaluated(_EVIDENCE)
    chosen = {
        server: timeline(entries, ctx.now).in_force for server, entries in sorted(servers.items())
    }
    prints = {
        server: normalize_thumbprint(entry.thumbprint.value) if entry and entry.thumbprint else None
        for server, entry in chosen.items()
    }
    if len(set(prints.values())) == 1 and None not in prints.values():
        return evaluated((), len(servers))
    counts = Counter(p for p in prints.values() if p is not None)
    majority = min(counts, key=lambda p: (-counts[p], p)) if counts else None

    def where(server: str) -> Location:
        entry = chosen[server]
        if entry is not None and entry.thumbprint is not None:
            return entry.thumbprint.loc
        return servers[server][0].loc

    deviating = [s for s, p in prints.items() if p != majority]
    listing = ", ".join(f'{s} "{p}"' if p else f"{s} (none)" for s, p in prints.items())
    issue = Issue(
        f"Front End servers do not all carry the same OAuthTokenIssuer certificate: {listing}",
        where(deviating[0]),
        related=tuple(where(s) for s in prints if s != deviating[0]),
        key="oauth-certificate:front-ends",
        fix=_fix(model, ctx, majority, deviating, chosen) if majority is not None else "",
    )
    return evaluated((issue,), len(servers))


RULE = Rule(
    code="CRT002",
    name="oauth-cert-inconsistent",
    severity=Severity.ERROR,
    summary="Front End servers do not all carry the same OAuthTokenIssuer certificate",
    check=check,
    doc=DOC,
    requires=(any_of(Export.CS_CERTIFICATES, say=_EVIDENCE),),
)
