"""CRT011 thumbprint-not-found: an in-scope thumbprint matches no certificate of the bundle."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.judge import judge_each
from ._examples import AUTH_CONFIG
from ._fixes import (
    FixContext,
    exchange_emergency_lines,
    exchange_new_lines,
    fix_context,
    lync_renewal,
    quote,
    renewal,
    win_path,
)
from ._scope import (
    CURRENT,
    EXCHANGE_AUTH,
    NEXT,
    OAUTH,
    ScopedCertificate,
    in_scope,
    unreadable_certificate_files,
)

DOC = RuleDoc(
    what=(
        "Reports a thumbprint named by Lync's OAuthTokenIssuer assignment "
        "(`Get-CsCertificate`) or by Exchange's `Get-AuthConfig` "
        "(`CurrentCertificateThumbprint`, `NextCertificateThumbprint`) that matches no "
        "certificate of the bundle: for Lync the certificate files, for Exchange the "
        "`Get-ExchangeCertificate` exports. Thumbprints are compared in canonical "
        "form (case, spaces and colons do not matter); other certificate uses are "
        "not in scope. When a certificate file of the bundle could not be read, a "
        "missing certificate is not reported (it may be in that file)."
    ),
    why=(
        "A thumbprint that names no installed certificate is the cause of the "
        "Hybrid Configuration Wizard's 'could not find the authorization certificate "
        "with thumbprint' and of Lync and Exchange failing to sign tokens after a "
        "certificate was deleted or replaced without updating the assignment. In the "
        "bundle it also means the certificate was not exported, so its key, dates and "
        "names cannot be checked."
    ),
    bad=AUTH_CONFIG.format(next_thumbprint="", next_date='<Nil N="NextCertificateEffectiveDate" />')
    + "\n<!-- no certificate C3EDCF18... in any Get-ExchangeCertificate export -->",
    good="<!-- exchange/certificates.xml: RawData of C3EDCF181EF4F9B53D01768ECA99564014BCA6E7 -->",
    fix="\n".join(
        [
            "# $thumbprint: the certificate the assignment or AuthConfig names",
            "$thumbprint = 'C3EDCF181EF4F9B53D01768ECA99564014BCA6E7'",
            "# Lync, on a Front End: installed? then export it into the bundle's certs folder",
            '$installed = Get-Item -Path "Cert:\\LocalMachine\\My\\$thumbprint"',
            "$installed | Export-Certificate -FilePath .\\certs\\oauth-token-issuer.cer",
            "# Exchange: installed? then export the certificates into the bundle",
            "Get-ExchangeCertificate -Thumbprint $thumbprint",
            "Get-ExchangeCertificate | Export-Clixml -Path .\\exchange\\certificates.xml",
            "# not installed: the assignment names a deleted certificate; replace it (the fix",
            "# of CRT006 for the certificate in force, of CRT008 for a staged one)",
        ]
    ),
    evidence=(
        "the OAuthTokenIssuer assignment with certificate files, or Get-AuthConfig with "
        "a Get-ExchangeCertificate export"
    ),
    references=(ref.ASSIGN_CERT_SFB, ref.SET_AUTHCONFIG, ref.EXCHANGE_AUTH_EXPIRED),
)


def _fix(item: ScopedCertificate, context: FixContext) -> str:
    """Export the certificate into the bundle if it is installed; else replace the assignment."""
    thumbprint = item.thumbprint
    if item.role == OAUTH:
        servers = sorted({e.server for e in item.assignments if e.server})
        where = f"on {servers[0]}" if servers else "on a Front End"
        lines = [
            f"# {where}: is {thumbprint} installed? then export it into the bundle's certs folder",
            f"Get-Item -Path {win_path('Cert:', 'LocalMachine', 'My', thumbprint)} | "
            f"Export-Certificate -FilePath {win_path('.', 'certs', thumbprint + '.cer')}",
        ]
    else:
        lines = [
            f"# is {thumbprint} installed? then export the certificates into the bundle",
            f"Get-ExchangeCertificate -Thumbprint {quote(thumbprint)}",
            "Get-ExchangeCertificate | Export-Clixml -Path .\\exchange\\certificates.xml",
        ]
    lines.append("# not installed: it was deleted or replaced without updating the assignment")
    if item.role == EXCHANGE_AUTH and item.stage != NEXT:
        lines += exchange_new_lines()
        lines += exchange_emergency_lines(
            "$cert.Thumbprint", context.exchange_servers, context.hybrid
        )
    elif item.role == OAUTH and item.stage == CURRENT:
        reason = f"Lync cannot sign with {thumbprint}: replace it at once"
        lines += lync_renewal(item, context, reason, at_once=True).splitlines()
    else:
        lines += renewal(item, context, f"replace {thumbprint}").splitlines()
    return "\n".join(lines)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope thumbprints that match no certificate of the bundle."""
    items = in_scope(model, ctx, (OAUTH, EXCHANGE_AUTH), exchange_export=True, replaced=True)
    if isinstance(items, NotEvaluated):
        return items
    # A certificate file that could not be read (INP001/INP003) may hold the certificate.
    unproven = unreadable_certificate_files(model)

    def provable(item: ScopedCertificate) -> ScopedCertificate | None:
        return item if item.copies or not unproven else None

    context = fix_context(model, ctx)

    def report(item: ScopedCertificate, _: ScopedCertificate) -> tuple[Issue, ...]:
        if item.copies:
            return ()
        return (
            Issue(
                f"{item.title} thumbprint {item.thumbprint} ({item.source}) matches no "
                "certificate in the bundle (certificate files, Get-ExchangeCertificate exports)",
                item.named_at[0],
                related=item.named_at[1:],
                key=item.finding_key,
                fix=_fix(item, context),
            ),
        )

    return judge_each(items, provable, report)


RULE = Rule(
    code="CRT011",
    name="thumbprint-not-found",
    severity=Severity.ERROR,
    summary="An OAuthTokenIssuer or AuthConfig thumbprint matches no certificate in the bundle",
    check=check,
    doc=DOC,
)
