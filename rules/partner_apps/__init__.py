"""PAP: the partner applications each side trusts.

Lync's side is `Get-CsPartnerApplication` (its applications for Exchange and SharePoint);
Exchange's side is `Get-PartnerApplication`, of which only the application for Lync is
part of the integration: Exchange's applications for Exchange Online, Microsoft Graph,
Teams or cloud voicemail are ignored by every rule here.

One module per rule, named after it; what several rules share is in `_common`.
"""

from __future__ import annotations

from . import (
    conflicting_partner_app_parameters,
    duplicate_partner_app,
    exchange_metadata_host_mismatch,
    exchange_partner_app_missing,
    lync_metadata_host_unknown,
    lync_partner_app_missing,
    metadata_url_not_https,
    metadata_url_suffix,
    partner_app_disabled,
    partner_app_not_full_trust,
    partner_cert_stale,
    wrong_application_identifier,
)

RULES = (
    partner_app_not_full_trust.RULE,
    metadata_url_suffix.RULE,
    metadata_url_not_https.RULE,
    exchange_partner_app_missing.RULE,
    lync_partner_app_missing.RULE,
    lync_metadata_host_unknown.RULE,
    exchange_metadata_host_mismatch.RULE,
    partner_app_disabled.RULE,
    duplicate_partner_app.RULE,
    conflicting_partner_app_parameters.RULE,
    wrong_application_identifier.RULE,
    partner_cert_stale.RULE,
)
