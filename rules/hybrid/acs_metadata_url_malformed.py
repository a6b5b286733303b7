"""HYB001 acs-metadata-url-malformed: the microsoft.sts OAuth server's ACS metadata URL."""

from __future__ import annotations

import re

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Severity
from s2slint.model import Located, LyncOAuthServer, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.judge import judge
from .._shared.powershell import argument, literal
from .._shared.urls import split_url, url_host
from ._common import ACS_HOST, ACS_IDENTITY, OAUTH_SERVERS, server_identity

# Only bundles with a microsoft.sts OAuth server need these (and `_ANY_GUID` below):
# they are compiled on first use (and kept by `re`'s cache), not when the rules load.
_GUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_DOMAIN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"
_TENANT = "c7e1b7a2-5d44-4c3e-9b0f-2a6d8e4f1c90"

DOC = RuleDoc(
    what=(
        "Reports an OAuth server for Microsoft 365 (identity `microsoft.sts`, or any "
        f"whose metadata is on `{ACS_HOST}`) whose `MetadataUrl` is not "
        f"`https://{ACS_HOST}/<tenant>/metadata/json/1`, the tenant being the tenant "
        "ID (a GUID) or one of its domain names: http, another host, a missing or "
        "placeholder tenant, another path. Other OAuth servers (`evoSTS` for hybrid "
        "modern authentication, ADFS) are not looked at. The fix names the tenant the "
        "bundle knows: a tenant ID in the URL itself, the OAuth server's `Realm`, or the "
        "realm of Exchange's authorization server for ACS (`Get-AuthServer`)."
    ),
    why=(
        "Lync downloads the Azure access control service metadata of the tenant from "
        "this URL to trust the tokens of Exchange Online and Skype for Business "
        "Online. With another URL the download fails or yields another tenant's "
        "keys: cross-premises features (Exchange Online mailboxes for on-premises "
        "users, voicemail, calendar presence) fail with 401 errors."
    ),
    bad=OAUTH_SERVERS + '<S N="Identity">microsoft.sts</S>\n'
    f'<S N="MetadataUrl">https://{ACS_HOST}/metadata/json/1</S>',
    good=OAUTH_SERVERS + '<S N="Identity">microsoft.sts</S>\n'
    f'<S N="MetadataUrl">https://{ACS_HOST}/{_TENANT}/metadata/json/1</S>',
    fix=(
        "# $tenantId: the Microsoft 365 tenant ID (a GUID)\n"
        f"$tenantId = '{_TENANT}'\n"
        "Set-CsOAuthServer -Identity microsoft.sts -MetadataUrl "
        f'"https://{ACS_HOST}/$tenantId/metadata/json/1"'
    ),
    references=(ref.HYBRID_S2S_SFB, ref.NEW_CS_OAUTH_SERVER),
)


def is_acs_server(server: LyncOAuthServer) -> bool:
    """Tell whether an OAuth server is Microsoft 365's ACS (`microsoft.sts` or an ACS URL)."""
    if server_identity(server.identity) == ACS_IDENTITY:
        return True
    url = server.metadata_url
    return url is not None and url_host(url.value) == ACS_HOST


def acs_url_problem(url: str) -> str | None:
    """Say why a URL is not `https://accounts.accesscontrol.windows.net/<tenant>/metadata/json/1`.

    The tenant is the tenant ID (a GUID) or one of the tenant's domain names.
    """
    parts = split_url(url)
    if parts is None or not parts.hostname:
        return "is not an absolute URL"
    if parts.scheme.lower() != "https":
        return f'uses "{parts.scheme}", not https'
    if parts.hostname.lower().rstrip(".") != ACS_HOST:
        return f'is on "{parts.hostname}", not {ACS_HOST}'
    segments = parts.path.strip("/").split("/")
    if len(segments) != 4 or [s.lower() for s in segments[1:]] != ["metadata", "json", "1"]:
        return "does not have the path /<tenant>/metadata/json/1"
    tenant = segments[0].lower()
    if not (re.match(_GUID, tenant) or re.match(_DOMAIN, tenant)):
        return f'names "{segments[0]}", which is neither a tenant ID nor a domain'
    return None


_ANY_GUID = r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def known_tenant(model: Model, server: LyncOAuthServer) -> str | None:
    """Return the tenant the bundle names for Microsoft 365's ACS, or None.

    A tenant ID in the server's own metadata URL, its `Realm` (the tenant ID once the
    metadata was read), else the realm or metadata URL of Exchange's ACS auth server.
    """
    url = server.metadata_url.value if server.metadata_url is not None else ""
    candidates = [url, server.realm.value if server.realm is not None else ""]
    for auth_server in model.exchange_auth_servers:
        metadata = auth_server.auth_metadata_url.value if auth_server.auth_metadata_url else ""
        if url_host(metadata) == ACS_HOST:
            realm = auth_server.realm.value if auth_server.realm is not None else ""
            candidates += [realm, metadata]
    for text in candidates:
        found = re.search(_ANY_GUID, text)
        if found:
            return found.group(0).lower()
    return None


def _acs_url(server: LyncOAuthServer) -> Located[str] | None:
    return server.metadata_url if is_acs_server(server) else None


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a microsoft.sts OAuth server whose MetadataUrl is not the tenant's ACS URL."""

    def malformed(server: LyncOAuthServer, url: Located[str]) -> Issue | None:
        problem = acs_url_problem(url.value) if url.value.strip() else "is empty"
        if problem is None:
            return None
        name = server.identity.value if server.identity is not None else ACS_IDENTITY
        tenant = known_tenant(model, server)
        fix = (
            f"Set-CsOAuthServer -Identity {argument(name)} "
            f"-MetadataUrl {literal(f'https://{ACS_HOST}/{tenant}/metadata/json/1')}"
            if tenant is not None
            else ""
        )
        return Issue(
            f'OAuth server "{name}" MetadataUrl "{url.value}" {problem}; Microsoft 365 '
            f"needs https://{ACS_HOST}/<tenant ID>/metadata/json/1",
            url.loc,
            key=f"oauth-server:{server_identity(server.identity) or ACS_IDENTITY}",
            fix=fix,
        )

    return judge(model.lync_oauth_servers, _acs_url, malformed)


RULE = Rule(
    code="HYB001",
    name="acs-metadata-url-malformed",
    severity=Severity.ERROR,
    summary="The microsoft.sts OAuth server does not use the tenant's ACS metadata URL",
    check=check,
    doc=DOC,
    requires=(any_of(Export.LYNC_OAUTH_SERVERS),),
)
