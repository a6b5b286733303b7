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
