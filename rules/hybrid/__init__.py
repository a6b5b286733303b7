"""HYB: cross-premises (hybrid) configurations with Microsoft 365.

Lync trusts Microsoft 365 through OAuth servers (`Get-CsOAuthServer`): `microsoft.sts`
(Azure ACS, for server-to-server authentication with Exchange Online and Skype for
Business Online) and `evoSTS` (Azure AD, for hybrid modern authentication). Exchange
trusts Exchange Online through its partner application `00000002-...` with
`UseAuthServer`. One module per rule; `_common` reads OAuth server identities.
"""

from __future__ import annotations

from . import (
    acs_metadata_url_malformed,
    exchange_online_realm_not_empty,
    hma_oauth_server_missing,
    hybrid_auth_cert_not_republished,
)

RULES = (
    acs_metadata_url_malformed.RULE,
    exchange_online_realm_not_empty.RULE,
    hma_oauth_server_missing.RULE,
    hybrid_auth_cert_not_republished.RULE,
)
