"""CRT: the OAuthTokenIssuer certificate of Lync and the Exchange Auth certificate.

One module per rule. What the rules share is private to the family: `_scope` (which
certificates are in scope and how their properties are read), `_judge` (the loop that
reads a value per certificate and reports the faulty ones), `_exchange` (which Exchange
server an export came from), `_dates`, and the documentation pieces in `_docs`,
`_examples` and `_fixes`.
"""

from __future__ import annotations

from . import (
    auth_cert_missing_on_server,
    auth_next_cert_missing,
    cert_expired,
    cert_expiring_soon,
    cert_not_yet_valid,
    missing_digital_signature_usage,
    oauth_cert_inconsistent,
    oauth_cert_missing,
    private_key_missing,
    roll_too_late,
    san_missing_sip_domain,
    subject_missing_sip_domain,
    thumbprint_not_found,
    unsupported_key_type,
    weak_key,
    weak_signature_algorithm,
)

RULES = (
    oauth_cert_missing.RULE,
    oauth_cert_inconsistent.RULE,
    weak_key.RULE,
    subject_missing_sip_domain.RULE,
    san_missing_sip_domain.RULE,
    cert_expired.RULE,
    cert_not_yet_valid.RULE,
    cert_expiring_soon.RULE,
    weak_signature_algorithm.RULE,
    private_key_missing.RULE,
    thumbprint_not_found.RULE,
    unsupported_key_type.RULE,
    missing_digital_signature_usage.RULE,
    roll_too_late.RULE,
    auth_cert_missing_on_server.RULE,
    auth_next_cert_missing.RULE,
)
"""The CRT rules, in code order."""
