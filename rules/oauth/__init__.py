"""OAU: Lync's OAuth configuration (`Get-CsOAuthConfiguration`) and Exchange's counterpart.

One module per rule; `_common` holds what several of them read (the autodiscover URL,
finding keys, doc snippets) and the judge loop.
"""

from __future__ import annotations

from . import (
    autodiscover_host_mismatch,
    autodiscover_url_malformed,
    autodiscover_url_missing,
    autodiscover_xml_not_svc,
    exchange_autodiscover_uri_missing,
    realm_mismatch,
    service_name_mismatch,
)

RULES = (
    autodiscover_xml_not_svc.RULE,
    autodiscover_url_missing.RULE,
    autodiscover_url_malformed.RULE,
    realm_mismatch.RULE,
    exchange_autodiscover_uri_missing.RULE,
    autodiscover_host_mismatch.RULE,
    service_name_mismatch.RULE,
)
