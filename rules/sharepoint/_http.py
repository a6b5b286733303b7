"""What SPS004 and SPS005 share: http metadata URLs and the token service's http settings.

A SharePoint metadata URL over http is one cause with two outcomes: when the farm's
token service refuses metadata over http (`AllowMetadataOverHttp` False) the trust
never forms (SPS005, an error); otherwise it forms over clear text (SPS004, a warning).
"""

from __future__ import annotations

from urllib.parse import urlunsplit

from s2slint.model import Located, LyncPartnerApplication, Model, SharePointStsConfig

from .._shared.powershell import literal
from .._shared.urls import split_url


def is_http(url: str) -> bool:
    """Tell whether a URL is absolute http (not https)."""
    parts = split_url(url)
    return parts is not None and parts.scheme.lower() == "http" and bool(parts.hostname)


def https_of(url: str) -> str:
    """Return the same URL over https (the host and path SharePoint serves both on)."""
    parts = split_url(url)
    if parts is None:
        return url
    return urlunsplit(("https", parts.netloc, parts.path, parts.query, parts.fragment))


def metadata_over_http_refused(model: Model) -> Located[bool] | None:
    """Return the `AllowMetadataOverHttp` False that refuses http, if a config shows one."""
    for config in model.sharepoint_sts_configs:
        flag = config.allow_metadata_over_http
        if flag is not None and not flag.value:
            return flag
    return None


def metadata_over_http_known(configs: tuple[SharePointStsConfig, ...]) -> bool:
    """Tell whether some token service export says whether it serves metadata over http."""
    return any(config.allow_metadata_over_http is not None for config in configs)


def https_fix(app: LyncPartnerApplication, url: str) -> str:
    """Point Lync's SharePoint partner application at the https metadata URL."""
    return (
        f"Set-CsPartnerApplication -Identity {literal(app.name)} "
        f"-MetadataUrl {literal(https_of(url))}"
    )


STS_HTTP_OFF = (
    "$config = Get-SPSecurityTokenServiceConfig\n"
    "$config.AllowOAuthOverHttp = $false\n"
    "$config.Update()"
)
"""Turn OAuth over http off in the SharePoint Management Shell (the cmdlet has no switch)."""
