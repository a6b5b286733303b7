"""What the SharePoint rules share: whether Lync trusts a farm, and which issuer is Lync's.

The Lync<->SharePoint trust has two halves. Lync's half is its partner application for
SharePoint (`Get-CsPartnerApplication`); SharePoint's half is a trusted security token
issuer for Lync (`Get-SPTrustedSecurityTokenIssuer`) and the farm's token service
settings (`Get-SPSecurityTokenServiceConfig`). Every SPS rule is not applicable when
Lync has no partner application for on-premises SharePoint, and its SharePoint
requirements are conditional on it (`when=`), so that no one is sent to export a
farm that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from s2slint.evidence import Export, Requirement, any_of
from s2slint.findings import Issue
from s2slint.model import (
    LYNC_APP_ID,
    Located,
    LyncPartnerApplication,
    Model,
    SharePointTrustedIssuer,
    normalize_fqdn,
)
from s2slint.rule import Outcome, not_applicable

from .._shared.integration import lync_apps_for
from .._shared.judge import judge
from .._shared.urls import METADATA_SUFFIX, split_url, url_host

T = TypeVar("T")

NOT_CONFIGURED = "Lync has no partner application for on-premises SharePoint"
"""The `not_applicable` reason of every SPS rule."""


def lync_sharepoint_apps(model: Model) -> list[LyncPartnerApplication]:
    """Return Lync's partner applications for on-premises SharePoint.

    An application trusted through an OAuth server (SharePoint Online) is not one.
    """
    return [app for app in lync_apps_for(model, "sharepoint") if app.uses_oauth_server is not True]


def trusts_sharepoint(model: Model) -> bool:
    """Tell whether Lync trusts an on-premises SharePoint farm (the SPS rules apply)."""
    return bool(lync_sharepoint_apps(model))


LYNC_APPS = any_of(
    Export.LYNC_PARTNER_APPLICATIONS,
    say="a Get-CsPartnerApplication export (to know whether Lync trusts a SharePoint farm)",
)
ISSUERS = any_of(
    Export.SHAREPOINT_ISSUERS,
    say=f"{Export.SHAREPOINT_ISSUERS.phrase}, when Lync trusts a SharePoint farm",
    when=trusts_sharepoint,
)
STS_CONFIG = any_of(
    Export.SHAREPOINT_STS_CONFIGS,
    say=f"{Export.SHAREPOINT_STS_CONFIGS.phrase}, when Lync trusts a SharePoint farm",
    when=trusts_sharepoint,
)


def with_sharepoint(*kinds: Export, say: str | None = None) -> Requirement:
    """Return a requirement needed only when Lync trusts a SharePoint farm.

    Every requirement of an SPS rule after `LYNC_APPS` is conditional: without a
    SharePoint trust the rule is not applicable, whatever else the bundle lacks.
    """
    return any_of(*kinds, say=say, when=trusts_sharepoint)


def lync_server_hosts(model: Model) -> set[str]:
    """Return every pool and machine FQDN of the topology (where Lync may publish metadata)."""
    hosts = model.pool_fqdns()
    for pool in model.pools():
        hosts.update(normalize_fqdn(machine.fqdn.value) for machine in pool.machines)
    return hosts


def is_lync_issuer(issuer: SharePointTrustedIssuer, hosts: set[str]) -> bool:
    """Tell whether a SharePoint issuer is Lync's: Lync's identifier, or metadata on Lync."""
    if issuer.application_identifier == LYNC_APP_ID:
        return True
    endpoint = issuer.metadata_endpoint
    host = url_host(endpoint.value) if endpoint is not None and endpoint.value else None
    return host is not None and host in hosts


def lync_issuers(model: Model) -> list[SharePointTrustedIssuer]:
    """Return SharePoint's trusted issuers for Lync, in export order."""
    hosts = lync_server_hosts(model)
    return [issuer for issuer in model.sharepoint_issuers if is_lync_issuer(issuer, hosts)]


def issuer_key(issuer: SharePointTrustedIssuer) -> str:
    """Return the finding key of a SharePoint trusted issuer."""
    return f"sharepoint-issuer:{issuer.title.lower()}"


def lync_app_key(app: LyncPartnerApplication) -> str:
    """Return the finding key of a Lync partner application (as the PAP rules name it)."""
    return f"partner-application:{app.name.lower()}"


def front_end_pool(model: Model) -> str | None:
    """Return the first Front End (or Director) pool of the topology, in topology order."""
    for pool in model.pools():
        if pool.is_front_end:
            return normalize_fqdn(pool.fqdn.value)
    return None


def pool_of_server(model: Model, host: str) -> str | None:
    """Return the Front End pool a machine (or the pool itself) belongs to."""
    wanted = normalize_fqdn(host)
    for pool in model.pools():
        if not pool.is_front_end:
            continue
        fqdn = normalize_fqdn(pool.fqdn.value)
        if wanted == fqdn or any(normalize_fqdn(m.fqdn.value) == wanted for m in pool.machines):
            return fqdn
    return None


def lync_metadata_url(model: Model) -> str | None:
    """Return the URL of Lync's metadata document: `https://<Front End pool>/metadata/json/1`.

    The pool comes from the topology, else from the host of a pool-shaped metadata URL
    in Exchange's partner applications (an on-premises Lync pool publishes it there).
    """
    pool = front_end_pool(model)
    if pool is not None:
        return f"https://{pool}{METADATA_SUFFIX}"
    for app in model.exchange_partner_applications:
        url = app.auth_metadata_url.value if app.auth_metadata_url is not None else ""
        parts = split_url(url)
        if (
            parts is not None
            and parts.hostname
            and parts.path.lower().rstrip("/") == METADATA_SUFFIX
            and app.application_identifier is not None
            and app.application_identifier.value.strip().lower() == LYNC_APP_ID
        ):
            return f"https://{normalize_fqdn(parts.hostname)}{METADATA_SUFFIX}"
    return None


def lync_realm(model: Model) -> Located[str] | None:
    """Return Lync's OAuth realm: `Realm` of Get-CsOAuthConfiguration, else the SIP domain."""
    for config in model.oauth_configurations:
        if config.realm is not None and config.realm.value.strip():
            return config.realm
    return model.default_sip_domain


def judge_lync_issuers(
    model: Model,
    read: Callable[[SharePointTrustedIssuer], T | None],
    problem: Callable[[SharePointTrustedIssuer, T], Issue | None],
) -> Outcome:
    """Judge every SharePoint issuer for Lync; not applicable without a SharePoint trust.

    `read` returns what the rule judges, or None when the export does not show it (the
    issuer is then not counted as checked). When SharePoint has no issuer for Lync
    there is nothing to judge: SPS001 reports that.
    """
    if not trusts_sharepoint(model):
        return not_applicable(NOT_CONFIGURED)
    return judge(lync_issuers(model), read, problem)
