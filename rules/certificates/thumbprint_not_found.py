"""CRT011 thumbprint-not-found: an in-scope thumbprint matches no certificate of the bundle."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._examples import AUTH_CONFIG
from ._judge import judge_each
from ._scope import ScopedCertificate, in_scope, unreadable_certificate_files

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
    fix=(
        "# Lync: assign a certificate that is installed, and export it into the bundle\n"
        "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
        "-Thumbprint <installed thumbprint>\n"
        "Get-ChildItem Cert:\\LocalMachine\\My\\<installed thumbprint> | "
        "Export-Certificate -FilePath .\\certs\\oauth-token-issuer.cer\n"
        "# Exchange: point AuthConfig at an installed certificate\n"
        "Get-ExchangeCertificate -Thumbprint (Get-AuthConfig).CurrentCertificateThumbprint\n"
        "Set-AuthConfig -NewCertificateThumbprint <installed thumbprint> "
        "-NewCertificateEffectiveDate (Get-Date)\n"
        "Set-AuthConfig -PublishCertificate"
    ),
    evidence=(
        "the OAuthTokenIssuer assignment with certificate files, or Get-AuthConfig with "
        "a Get-ExchangeCertificate export"
    ),
    references=(ref.ASSIGN_CERT_SFB, ref.SET_AUTHCONFIG, ref.EXCHANGE_AUTH_EXPIRED),
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag in-scope thumbprints that match no certificate of the bundle."""
    items = in_scope(model, ctx, exchange_export=True)
    if isinstance(items, NotEvaluated):
        return items
    # A certificate file that could not be read (INP001/INP003) may hold the certificate.
    unproven = unreadable_certificate_files(model)

    def provable(item: ScopedCertificate) -> ScopedCertificate | None:
        return item if item.copies or not unproven else None

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
