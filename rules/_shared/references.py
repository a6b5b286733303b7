"""The Microsoft articles the rules are built on, named once for every rule's docs."""

from __future__ import annotations

MANAGE_S2S_LYNC = "https://technet.microsoft.com/en-us/library/JJ204817(v=OCS.15)"
MANAGE_S2S_SFB = (
    "https://learn.microsoft.com/en-us/skypeforbusiness/manage/authentication/"
    "server-to-server-and-partner-applications"
)
PARTNER_APPS_LYNC = "https://technet.microsoft.com/en-us/library/JJ688151(v=OCS.15)"
ASSIGN_CERT_LYNC = "https://technet.microsoft.com/en-us/library/JJ205253(v=OCS.15)"
ASSIGN_CERT_SFB = (
    "https://learn.microsoft.com/en-us/skypeforbusiness/manage/authentication/"
    "assign-a-server-to-server-certificate"
)
INTEGRATION_PREREQUISITES_LYNC = "https://technet.microsoft.com/en-us/library/JJ721919(v=OCS.15)"
INTEGRATE_EXCHANGE_SFB = (
    "https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/"
    "integrate-with-exchange/integrate-with-exchange"
)
PARTNER_APP_ONPREM_SFB = (
    "https://learn.microsoft.com/en-us/skypeforbusiness/manage/authentication/"
    "configure-an-on-premises-partner-app"
)
MONITOR_AUTH_CERT = "https://microsoft.github.io/CSS-Exchange/Admin/MonitorExchangeAuthCertificate/"
SET_AUTHCONFIG = (
    "https://learn.microsoft.com/en-us/powershell/module/exchangepowershell/"
    "set-authconfig?view=exchange-ps"
)
EXCHANGE_AUTH_EXPIRED = (
    "https://learn.microsoft.com/en-us/exchange/troubleshoot/administration/"
    "cannot-access-owa-or-ecp-if-oauth-expired"
)
STAGE_CERTS_SFB = (
    "https://learn.microsoft.com/en-us/skypeforbusiness/manage/authentication/"
    "stage-av-and-oauth-certificates"
)
HMA_SFB = (
    "https://learn.microsoft.com/en-us/microsoft-365/enterprise/"
    "configure-skype-for-business-for-hybrid-modern-authentication"
)
HYBRID_S2S_SFB = (
    "https://learn.microsoft.com/en-us/skypeforbusiness/manage/authentication/"
    "configure-a-hybrid-environment"
)
CONFIGURE_PARTNER_APPS_SFB = (
    "https://learn.microsoft.com/en-us/skypeforbusiness/deploy/integrate-with-exchange-server/"
    "configure-partner-applications"
)
SET_CS_ARCHIVING_CONFIGURATION = (
    "https://learn.microsoft.com/en-us/powershell/module/skype/set-csarchivingconfiguration"
)
SET_CS_USER_SERVICES_POLICY = (
    "https://learn.microsoft.com/en-us/powershell/module/skype/set-csuserservicespolicy"
)
NEW_CS_OAUTH_SERVER = "https://learn.microsoft.com/en-us/powershell/module/skype/new-csoauthserver"
NEW_CS_PARTNER_APPLICATION = (
    "https://learn.microsoft.com/en-us/powershell/module/skype/new-cspartnerapplication"
)
SET_PARTNER_APPLICATION = (
    "https://learn.microsoft.com/en-us/powershell/module/exchange/set-partnerapplication"
)
SET_CLIENT_ACCESS_SERVICE = (
    "https://learn.microsoft.com/en-us/powershell/module/exchange/set-clientaccessservice"
)
NEW_SP_TRUSTED_ISSUER = (
    "https://learn.microsoft.com/en-us/powershell/module/sharepoint-server/"
    "new-sptrustedsecuritytokenissuer"
)
SET_SP_TRUSTED_ISSUER = (
    "https://learn.microsoft.com/en-us/powershell/module/sharepoint-server/"
    "set-sptrustedsecuritytokenissuer"
)
GET_SP_STS_CONFIG = (
    "https://learn.microsoft.com/en-us/powershell/module/sharepoint-server/"
    "get-spsecuritytokenserviceconfig"
)
SP_SERVER_TO_SERVER = (
    "https://learn.microsoft.com/en-us/sharepoint/security-for-sharepoint-server/"
    "plan-server-to-server-authentication"
)
GET_HYBRID_CONFIGURATION = (
    "https://learn.microsoft.com/en-us/powershell/module/exchange/get-hybridconfiguration"
)
