"""CRT001 oauth-cert-missing: no OAuthTokenIssuer certificate is assigned anywhere."""

from __future__ import annotations

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location, Severity
from s2slint.messages import bounded_list
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated

from .._shared import references as ref
from ._examples import OAUTH_CERT_EXPORT, OTHER_CERT_EXPORT
from ._fixes import (
    FixContext,
    common_name,
    lync_assign_line,
    lync_ca_lines,
    lync_request_lines,
    refresh_lync_metadata_lines,
)
from ._scope import thumbprint_of

DOC = RuleDoc(
    what=(
        "Reports a bundle whose `Get-CsCertificate` exports (global, or of any Front "
        "End server) have no `OAuthTokenIssuer` entry with a thumbprint. The finding "
        "points at the first export and lists the others as related locations."
    ),
    why=(
        "Without an OAuthTokenIssuer certificate Lync cannot sign server-to-server "
        "tokens at all: Exchange and SharePoint reject every request, so the unified "
        "contact store, Exchange archiving and Outlook Web App presence fail and "
        "`Test-CsExStorageConnectivity` returns 401. A fresh deployment has none "
        "until an administrator assigns one."
    ),
    bad=OTHER_CERT_EXPORT.format(
        thumbprint="0C1D2E3F405162738495A6B7C8D9EAFB0C1D2E3F", use="Default", value=3
    )
    + "\n<!-- no entry with Use OAuthTokenIssuer -->",
    good=OAUTH_CERT_EXPORT.format(
        thumbprint="1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D",
        server="atl-fe-01.litwareinc.com",
    ),
    fix="\n".join(
        [
            "# request a certificate and assign it once, globally: replication deploys it to",
            "# every Front End and Director. $caName: the name of the CA that issues it",
            "$caName = 'LitwareInc Enterprise CA'",
            *lync_ca_lines("LitwareInc Enterprise CA")[2:],
            *lync_request_lines(()),
            lync_assign_line("$cert.Thumbprint"),
            "# or import one with its private key: $password is the PFX file's password",
            "$password = Read-Host -Prompt 'PFX password'",
            "Import-CsCertificate -Identity global -Type OAuthTokenIssuer "
            "-Path C:\\Certificates\\OAuthTokenIssuer.pfx -Password $password",
        ]
    ),
    references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.MANAGE_S2S_SFB),
)


def _fix(model: Model, ctx: RuleContext) -> str:
    """Request a certificate from the CA that issued the servers' own, and assign it globally."""
    context = FixContext.of(model, ctx.now, ())
    issuers = (common_name(e.issuer.value) for e in model.cs_certificates if e.issuer is not None)
    lines = [
        "# request an OAuthTokenIssuer certificate and assign it once, globally",
        *lync_ca_lines(next((name for name in issuers if name), None)),
        *lync_request_lines(context.sip_domains),
        lync_assign_line("$cert.Thumbprint"),
    ]
    if context.exchange_lync_apps:
        lines += refresh_lync_metadata_lines(context.exchange_lync_apps)
    return "\n".join(lines)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a bundle whose Get-CsCertificate exports assign no OAuthTokenIssuer certificate."""
    entries = model.cs_certificates
    exports = sorted({entry.loc.path for entry in entries})
    if any(entry.is_oauth and thumbprint_of(entry.thumbprint) for entry in entries):
        return evaluated((), len(exports))
    servers = sorted({entry.server for entry in entries if entry.server})
    where = (
        "the Get-CsCertificate exports of " + bounded_list(servers)
        if servers
        else f"{len(exports)} Get-CsCertificate export(s)"
    )
    issue = Issue(
        "no OAuthTokenIssuer certificate is assigned (global or on any Front End): "
        f"{where} have no OAuthTokenIssuer entry",
        Location(exports[0]),
        related=tuple(Location(path) for path in exports[1:]),
        key="oauth-certificate:assignment",
        fix=_fix(model, ctx),
    )
    return evaluated((issue,), len(exports))


RULE = Rule(
    code="CRT001",
    name="oauth-cert-missing",
    severity=Severity.ERROR,
    summary="No OAuthTokenIssuer certificate is assigned (global or on any Front End)",
    check=check,
    doc=DOC,
    requires=(
        any_of(
            Export.CS_CERTIFICATES,
            say="a Get-CsCertificate export (global, or of a Front End server)",
        ),
    ),
)
