"""DNS: the records the integration needs, from zone exports and, if asked, live DNS.

By default no DNS query is sent: hosts are looked up in the `dnscmd /ZoneExport` or
RFC 1035 zone files of the bundle (wildcards count, CNAME chains are followed inside
them). A host that no zone of the bundle holds is "not evaluated", never reported
missing. With `--dns live` the engine also asks real nameservers; a live NXDOMAIN or
NODATA is a real answer, a timeout, SERVFAIL or REFUSED proves nothing (DNS004), and a
live answer that contradicts the zone export is reported as a stale export.

One module per rule; `_evidence` reads the zones and live answers for them all, and
names the hosts a live resolver must ask about (`hosts_to_resolve`, for the
`s2slint_dns_hosts` hook).
"""

from __future__ import annotations

from . import (
    autodiscover_record_missing,
    autodiscover_wrong_target,
    dns_lookup_failed,
    metadata_host_unresolvable,
)
from ._evidence import hosts_to_resolve

RULES = (
    autodiscover_record_missing.RULE,
    autodiscover_wrong_target.RULE,
    metadata_host_unresolvable.RULE,
    dns_lookup_failed.RULE,
)

__all__ = ["RULES", "hosts_to_resolve"]
