"""SPS003 sharepoint-lync-issuer-cert-stale: SharePoint trusts a certificate Lync no longer signs with."""

from __future__ import annotations

from s2slint.evidence import Export
from s2slint.findings import Issue, Severity
from s2slint.model import EmbeddedCertificate, Model, SharePointTrustedIssuer
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.oauth_certs import lync_oauth_certificates
from .._shared.powershell import argument, literal
from ._common import ISSUERS, LYNC_APPS, issuer_key, judge_lync_issuers, with_sharepoint

CS_CERTIFICATES = with_sharepoint(
    Export.CS_CERTIFICATES, say="a Get-CsCertificate export (the OAuthTokenIssuer assignment)"
)


def _fix(issuer: SharePointTrustedIssuer, thumbprint: str) -> str:
    """Make SharePoint read Lync's certificate again: from the metadata, else from a file."""
    endpoint = issuer.metadata_endpoint
    if endpoint is not None and endpoint.value.strip():
        return (
            f"Set-SPTrustedSecurityTokenIssuer -Identity {argument(issuer.title)} "
            f"-MetadataEndPoint {literal(endpoint.value.strip())}"
        )
    return (
        f"# $file: Lync's OAuthTokenIssuer certificate (thumbprint {thumbprint}) as a .cer file\n"
        "$certificate = Get-PfxCertificate -FilePath $file\n"
        f"Set-SPTrustedSecurityTokenIssuer -Identity {argument(issuer.title)} "
        "-Certificate $certificate"
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a Lync issuer whose signing certificate is not Lync's OAuth certificate in force."""
    lync = lync_oauth_certificates(model, ctx.now)
    accepted = set(lync.in_force) | set(lync.staged)

    def held(issuer: SharePointTrustedIssuer) -> tuple[EmbeddedCertificate, ...] | None:
        # Not exported, or no certificate in force on Lync's side (CRT001's): unknown.
        return issuer.signing_certificates or None if lync.in_force else None

    def problem(
        issuer: SharePointTrustedIssuer, certificates: tuple[EmbeddedCertificate, ...]
    ) -> Issue | None:
        if any(certificate.thumbprint in accepted for certificate in certificates):
            return None
        first = certificates[0]
        named = f' ("{first.subject}")' if first.subject else ""
        entries = next(iter(lync.in_force.values()))
        return Issue(
            f'SharePoint\'s issuer for Lync "{issuer.title}" trusts the signing certificate '
            f"{first.thumbprint}{named}, which is not Lync's OAuthTokenIssuer certificate in "
            f"force ({lync.describe_in_force()}) nor a staged roll: SharePoint rejects Lync's "
            "tokens until the issuer reads Lync's metadata again",
            first.loc,
            related=tuple(
                entry.thumbprint.loc for entry in entries[:1] if entry.thumbprint is not None
            ),
            key=issuer_key(issuer),
            fix=_fix(issuer, lync.describe_in_force()),
        )

    return judge_lync_issuers(model, held, problem)


_ISSUERS = "<!-- Get-SPTrustedSecurityTokenIssuer | Export-Clixml -->\n"

DOC = RuleDoc(
    what=(
        "Reports SharePoint's trusted issuer for Lync whose signing certificates "
        "(`SigningCertificate` and `AdditionalSigningCertificates`, by thumbprint: decoded "
        "from `RawData`, read from `Thumbprint`, or from the certificate's text) include "
        "neither Lync's OAuthTokenIssuer certificate in force at the evaluation date "
        "(`--as-of`) nor a staged roll (a `Get-CsCertificate` entry whose `EffectiveDate` is "
        "still to come). An issuer whose certificate the export does not show is not "
        "counted as checked."
    ),
    why=(
        "SharePoint validates Lync's tokens with the certificate it read from Lync's "
        "metadata. After Lync's OAuth certificate is renewed or rolled, SharePoint keeps "
        "the old one until the issuer's metadata is read again: if that refresh fails (a "
        "wrong metadata endpoint, a refresh job that does not run, an issuer made from a "
        "certificate file), every token Lync signs with the new certificate is rejected "
        "with 401, from the day of the roll."
    ),
    bad=_ISSUERS + '<S N="Name">Skype for Business Server</S>\n'
    '<Obj N="SigningCertificate" RefId="1">\n'
    '  <S N="Thumbprint">A1F3C9D2E8B7461F0C5D3E2A9B8C7D6E5F4A3B21</S>  '
    "<!-- the certificate Lync replaced -->\n</Obj>",
    good=_ISSUERS + '<S N="Name">Skype for Business Server</S>\n'
    '<Obj N="SigningCertificate" RefId="1">\n'
    '  <S N="Thumbprint">7054C1277959708FAB91422CFE5982E3C7AE81CB</S>  '
    "<!-- Get-CsCertificate -Type OAuthTokenIssuer -->\n</Obj>",
    fix=(
        "# Make SharePoint read Lync's metadata (and its current certificate) again\n"
        "$issuer = 'Skype for Business Server'\n"
        "$pool = 'atl-cs-001.litwareinc.com'\n"
        "Set-SPTrustedSecurityTokenIssuer -Identity $issuer "
        '-MetadataEndPoint "https://$pool/metadata/json/1"'
    ),
    references=(
        ref.SET_SP_TRUSTED_ISSUER,
        ref.STAGE_CERTS_SFB,
        ref.ASSIGN_CERT_SFB,
        ref.SP_SERVER_TO_SERVER,
    ),
)

RULE = Rule(
    code="SPS003",
    name="sharepoint-lync-issuer-cert-stale",
    severity=Severity.ERROR,
    summary="SharePoint's issuer for Lync trusts a certificate that is not Lync's OAuth certificate",
    doc=DOC,
    check=check,
    requires=(LYNC_APPS, ISSUERS, CS_CERTIFICATES),
)
