"""The renewal commands several CRT rules give as their fix."""

from __future__ import annotations

RENEW_OAUTH = (
    "# request a certificate from your CA with an exportable 2048-bit RSA key, the default\n"
    "# SIP domain in its subject and every SIP domain in its subject alternative names\n"
    "Request-CsCertificate -New -Type OAuthTokenIssuer -KeySize 2048 "
    "-PrivateKeyExportable $True -CA <CA> -FriendlyName 'OAuthTokenIssuer'\n"
    "# roll it in globally at least a day before the current certificate expires\n"
    "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
    "-Thumbprint <new thumbprint> -Roll -EffectiveDate (Get-Date).AddDays(2)"
)
"""Request a new OAuthTokenIssuer certificate and roll it in."""

RENEW_EXCHANGE_AUTH = (
    "# Exchange Management Shell; answer No when asked to replace the SMTP certificate\n"
    "$cert = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true "
    '-SubjectName "cn=Microsoft Exchange Server Auth Certificate" '
    '-FriendlyName "Microsoft Exchange Server Auth Certificate" -DomainName @()\n'
    "Set-AuthConfig -NewCertificateThumbprint $cert.Thumbprint "
    "-NewCertificateEffectiveDate (Get-Date)\n"
    "Set-AuthConfig -PublishCertificate\n"
    "Set-AuthConfig -ClearPreviousCertificate\n"
    "Restart-Service MSExchangeServiceHost\n"
    "Restart-WebAppPool MSExchangeOWAAppPool; Restart-WebAppPool MSExchangeECPAppPool"
)
"""Create a new Exchange Auth certificate and put it in force at once."""
