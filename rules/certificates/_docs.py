"""Documentation prose several CRT rules share: scope, evidence and sources."""

from __future__ import annotations

from .._shared import references as ref

CERT_EVIDENCE = (
    "the OAuthTokenIssuer assignment (Get-CsCertificate) or Get-AuthConfig, and the "
    "certificate file or Get-ExchangeCertificate export for that thumbprint; "
    "Get-SPSecurityTokenServiceConfig (it holds SharePoint's signing certificate)"
)
DATED_EVIDENCE = (
    "the OAuthTokenIssuer assignment (Get-CsCertificate, whose NotBefore/NotAfter suffice) "
    "or Get-AuthConfig with the certificate file or Get-ExchangeCertificate export; "
    "Get-SPSecurityTokenServiceConfig (it holds SharePoint's signing certificate)"
)
OAUTH_FILE_EVIDENCE = (
    "the OAuthTokenIssuer assignment (Get-CsCertificate) and the certificate as a file "
    "(.cer, .pfx, .p7b or PEM)"
)
SCOPE_TEXT = (
    "In scope are the Lync OAuthTokenIssuer certificate (named by `Get-CsCertificate`: the "
    "one in force and a roll waiting for its `EffectiveDate`), the Exchange Auth "
    "certificate (named by `Get-AuthConfig`: current and next) and, when "
    "`Get-SPSecurityTokenServiceConfig` is exported, SharePoint's token-signing certificate "
    "(`SigningCertificate`); other certificate uses are not. A certificate found several "
    "times (a .cer and a .pfx, or on several Exchange servers) is reported once, with the "
    "other copies as related locations."
)
EXCHANGE_REFERENCES = (ref.EXCHANGE_AUTH_EXPIRED, ref.SET_AUTHCONFIG, ref.MONITOR_AUTH_CERT)
VERSIONS_TEXT = (
    "The fix runs on Lync Server 2013 and Skype for Business Server 2015 and 2019 "
    "(`-Roll`, `-EffectiveDate` and `-AllSipDomain` are not in Lync Server 2010) and on "
    "Exchange 2013 to Exchange SE; `$cert` is the certificate the first command makes, and "
    "a finding's own fix carries the bundle's SIP domains, CA, thumbprints and dates."
)
