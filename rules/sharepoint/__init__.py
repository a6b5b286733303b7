"""SPS: the SharePoint Server side of the Lync<->SharePoint trust.

Read from the SharePoint Management Shell's `Get-SPTrustedSecurityTokenIssuer` and
`Get-SPSecurityTokenServiceConfig` exports beside Lync's. Every rule is not applicable
when Lync has no partner application for on-premises SharePoint; when it has one and
the SharePoint exports are absent, the rules are not evaluated.
"""

from __future__ import annotations

from . import (
    sharepoint_issuer_realm_mismatch,
    sharepoint_lync_issuer_cert_stale,
    sharepoint_lync_issuer_metadata,
    sharepoint_lync_issuer_missing,
    sharepoint_metadata_http_refused,
    sharepoint_oauth_over_http,
)

RULES = (
    sharepoint_lync_issuer_missing.RULE,
    sharepoint_lync_issuer_metadata.RULE,
    sharepoint_lync_issuer_cert_stale.RULE,
    sharepoint_oauth_over_http.RULE,
    sharepoint_metadata_http_refused.RULE,
    sharepoint_issuer_realm_mismatch.RULE,
)
