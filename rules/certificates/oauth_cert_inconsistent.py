"""CRT002 oauth-cert-inconsistent: Front End servers carry different OAuthTokenIssuer certificates."""

from __future__ import annotations

from collections import Counter

from s2slint.findings import Issue, Location, Severity
from s2slint.model import CsCertificate, Model, normalize_thumbprint
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.integration import oauth_entries_by_server
from ._examples import OAUTH_CERT_EXPORT

DOC = RuleDoc(
    what=(
        "Compares the OAuthTokenIssuer certificate in each Front End server's "
        "`Get-CsCertificate` export and reports when the thumbprints differ or a "
        "server has none. The finding lists every server with its thumbprint. "
        "Exports are attributed to servers by `PSComputerName`, else by a folder of "
        "the bundle named after the server (`servers/atl-fe-01.litwareinc.com/`). "
        "A roll waiting for its effective date does not count as the current one."
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
    fix=(
        "# assign the certificate once, globally; replication deploys it to every Front End\n"
        "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
        "-Thumbprint <thumbprint>\n"
        "# then check on each Front End\n"
        "Get-CsCertificate -Type OAuthTokenIssuer | Select-Object Thumbprint"
    ),
    evidence="Get-CsCertificate exports of at least two Front End servers",
    references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.MANAGE_S2S_SFB),
)


def _oauth_thumbprint(entries: list[CsCertificate]) -> CsCertificate | None:
    """Return the OAuthTokenIssuer entry in force (not a roll that awaits its date)."""
    oauth = [e for e in entries if e.is_oauth and e.thumbprint is not None and e.thumbprint.value]
    current = [e for e in oauth if e.effective_date is None] or oauth
    return current[0] if current else None


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Compare the OAuthTokenIssuer thumbprint across the Front End servers."""
    servers = oauth_entries_by_server(model)
    if len(servers) < 2:
        return not_evaluated(
            "Get-CsCertificate exports attributed to at least two Front End servers "
            "(PSComputerName, or a folder named after the server)"
        )
    chosen = {server: _oauth_thumbprint(entries) for server, entries in sorted(servers.items())}
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
    )
    return evaluated((issue,), len(servers))


RULE = Rule(
    code="CRT002",
    name="oauth-cert-inconsistent",
    severity=Severity.ERROR,
    summary="Front End servers do not all carry the same OAuthTokenIssuer certificate",
    check=check,
    doc=DOC,
)
