"""How the URLs of the integration are read: hosts, schemes and the paths that matter.

Every URL rule tolerates one trailing slash and ignores case in paths, as IIS does.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, urlsplit

from s2slint.model import normalize_fqdn

SVC_PATH = "/autodiscover/autodiscover.svc"
"""What Lync's ExchangeAutodiscoverUrl must end in: the Autodiscover *service*."""
METADATA_SUFFIX = "/metadata/json/1"
"""What every partner application metadata URL ends in."""


def split_url(url: str) -> SplitResult | None:
    """Split a URL; `None` when it cannot be parsed at all (a bad IPv6 literal, a port)."""
    try:
        parts = urlsplit(url.strip())
        _ = parts.port  # raises for a port that is not a number
    except ValueError:
        return None
    return parts


def url_host(url: str) -> str | None:
    """Return the lower-case host of an absolute URL, or None if it has none."""
    parts = split_url(url)
    if parts is None or not parts.hostname:
        return None
    return normalize_fqdn(parts.hostname)


def is_dns_name(host: str) -> bool:
    """Tell whether a URL host is a DNS name (an IP literal has no DNS record to look up)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


def is_https(url: str) -> bool:
    """Tell whether a URL is absolute https with a host."""
    parts = split_url(url)
    return parts is not None and parts.scheme.lower() == "https" and bool(parts.hostname)


def url_path(url: str) -> str:
    """Return the lower-case path of a URL (empty when it cannot be parsed)."""
    parts = split_url(url)
    return parts.path.lower() if parts is not None else ""


def svc_url_for(url: str) -> str:
    """Return the `autodiscover.svc` URL an `autodiscover.xml` URL should have been."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return f"https://<autodiscover host>{SVC_PATH}"
    host = parts.netloc or parts.path.split("/")[0]
    return f"https://{host}{SVC_PATH}"


def points_to_xml(url: str) -> bool:
    """Tell whether a URL names the Autodiscover XML file rather than the service."""
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        path = url.strip()
    return path.rstrip("/").lower().endswith("autodiscover.xml")


def autodiscover_url_problem(url: str) -> str | None:
    """Say what is wrong with an ExchangeAutodiscoverUrl, or None when it is right.

    Right is an absolute https URL whose path ends in `/autodiscover/autodiscover.svc`
    (case does not matter to IIS). The `.xml` case is OAU001's and is not described here.
    """
    parts = split_url(url)
    if parts is None:
        return "cannot be read as a URL"
    if not parts.scheme or not parts.hostname:
        return "is not an absolute URL"
    if parts.scheme.lower() != "https":
        return f'uses "{parts.scheme}", not https'
    if not parts.path.lower().endswith(SVC_PATH):
        return f"does not end in {SVC_PATH}"
    return None
