"""HYB: cross-premises (hybrid) configurations with Microsoft 365.

Lync trusts Microsoft 365 through OAuth servers (`Get-CsOAuthServer`): `microsoft.sts`
(Azure ACS, for server-to-server authentication with Exchange Online and Skype for
Business Online) and `evoSTS` (Azure AD, for hybrid modern authentication). Exchange
trusts Exchange Online through its partner application `00000002-...` with
`UseAuthServer`.
"""

from __future__ import annotations

import re

from s2slint.findings import Issue, Severity
from s2slint.model import EXCHANGE_APP_ID, Located, LyncOAuthServer, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from ._shared import references as ref
from ._shared.integration import (
    exchange_app_name,
)
from ._shared.urls import (
    split_url,
    url_host,
)

ACS_HOST = "accounts.accesscontrol.windows.net"
ACS_IDENTITY = "microsoft.sts"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


def server_identity(located: Located[str] | None) -> str:
    """Return an OAuth server identity as compared: lower case, without a scope prefix."""
    if located is None:
        return ""
    value = located.value.strip().lower()
    if value.startswith("identity="):
        value = value[len("identity=") :]
    return value.rsplit("/", 1)[-1].strip()


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
    if not (_GUID.match(tenant) or _DOMAIN.match(tenant)):
        return f'names "{segments[0]}", which is neither a tenant ID nor a domain'
    return None


def check_acs_metadata_url(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a microsoft.sts OAuth server whose MetadataUrl is not the tenant's ACS URL."""
    if not model.lync_oauth_servers:
        return not_evaluated("a Get-CsOAuthServer export")
    issues = []
    checked = 0
    for server in model.lync_oauth_servers:
        if not is_acs_server(server) or server.metadata_url is None:
            continue
        checked += 1
        url = server.metadata_url
        problem = acs_url_problem(url.value) if url.value.strip() else "is empty"
        if problem is None:
            continue
        name = server.identity.value if server.identity is not None else ACS_IDENTITY
        issues.append(
            Issue(
                f'OAuth server "{name}" MetadataUrl "{url.value}" {problem}; Microsoft 365 '
                f"needs https://{ACS_HOST}/<tenant ID>/metadata/json/1",
                url.loc,
                key=f"oauth-server:{server_identity(server.identity) or ACS_IDENTITY}",
            )
        )
    return evaluated(issues, checked)


def check_exchange_online_realm(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Exchange's partner application for Exchange Online with a non-empty Realm."""
    if not model.exchange_partner_applications:
        return not_evaluated("an Exchange Get-PartnerApplication export")
    issues = []
    checked = 0
    for app in model.exchange_partner_applications:
        app_id = app.application_identifier
        online = app.use_auth_server is not None and app.use_auth_server.value
        if app_id is None or app_id.value.strip().lower() != EXCHANGE_APP_ID or not online:
            continue
        checked += 1
        if app.realm is None or not app.realm.value.strip():
            continue
        name = exchange_app_name(app)
        issues.append(
            Issue(
                f'Exchange partner application "{name}" (Exchange Online) has Realm '
                f'"{app.realm.value}"; it must be empty',
                app.realm.loc,
                key=f"exchange-partner-application:{name.lower()}",
            )
        )
    return evaluated(issues, checked)


def check_hma_oauth_server(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a ClientAuthorizationOAuthServerIdentity that names no defined OAuth server."""
    configs = model.oauth_configurations
    if not configs:
        return not_evaluated("a Get-CsOAuthConfiguration export")
    named = [
        c.client_authorization_oauth_server_identity
        for c in configs
        if c.client_authorization_oauth_server_identity is not None
        and c.client_authorization_oauth_server_identity.value.strip()
    ]
    if not named:
        return evaluated((), 0)
    if not model.lync_oauth_servers:
        return not_evaluated(
            "a Get-CsOAuthServer export (ClientAuthorizationOAuthServerIdentity names one)"
        )
    defined = {server_identity(s.identity): s for s in model.lync_oauth_servers}
    issues = []
    for identity in named:
        if identity is None or server_identity(identity) in defined:
            continue
        listing = ", ".join(
            f'"{s.identity.value}"' for s in model.lync_oauth_servers if s.identity is not None
        )
        issues.append(
            Issue(
                f'ClientAuthorizationOAuthServerIdentity names "{identity.value}", but no OAuth '
                f"server of that identity is defined (Get-CsOAuthServer has {listing or 'none'})",
                identity.loc,
                related=(model.lync_oauth_servers[0].loc,),
                key="oauth-configuration:ClientAuthorizationOAuthServerIdentity",
            )
        )
    return evaluated(issues, len(named))


_OAUTH_SERVERS = "<!-- Get-CsOAuthServer | Export-Clixml -->\n"
_TENANT = "c7e1b7a2-5d44-4c3e-9b0f-2a6d8e4f1c90"

RULES = (
    Rule(
        code="HYB001",
        name="acs-metadata-url-malformed",
        severity=Severity.ERROR,
        summary="The microsoft.sts OAuth server does not use the tenant's ACS metadata URL",
        check=check_acs_metadata_url,
        doc=RuleDoc(
            what=(
                "Reports an OAuth server for Microsoft 365 (identity `microsoft.sts`, or any "
                f"whose metadata is on `{ACS_HOST}`) whose `MetadataUrl` is not "
                f"`https://{ACS_HOST}/<tenant>/metadata/json/1`, the tenant being the tenant "
                "ID (a GUID) or one of its domain names: http, another host, a missing or "
                "placeholder tenant, another path. Other OAuth servers (`evoSTS` for hybrid "
                "modern authentication, ADFS) are not looked at."
            ),
            why=(
                "Lync downloads the Azure access control service metadata of the tenant from "
                "this URL to trust the tokens of Exchange Online and Skype for Business "
                "Online. With another URL the download fails or yields another tenant's "
                "keys: cross-premises features (Exchange Online mailboxes for on-premises "
                "users, voicemail, calendar presence) fail with 401 errors."
            ),
            bad=_OAUTH_SERVERS + '<S N="Identity">microsoft.sts</S>\n'
            f'<S N="MetadataUrl">https://{ACS_HOST}/metadata/json/1</S>',
            good=_OAUTH_SERVERS + '<S N="Identity">microsoft.sts</S>\n'
            f'<S N="MetadataUrl">https://{ACS_HOST}/{_TENANT}/metadata/json/1</S>',
            fix=(
                "Set-CsOAuthServer -Identity microsoft.sts -MetadataUrl "
                f'"https://{ACS_HOST}/<tenant ID>/metadata/json/1"'
            ),
            evidence="a Get-CsOAuthServer export",
            references=(ref.HYBRID_S2S_SFB, ref.NEW_CS_OAUTH_SERVER),
        ),
    ),
    Rule(
        code="HYB002",
        name="exchange-online-realm-not-empty",
        severity=Severity.WARNING,
        summary="Exchange's partner application for Exchange Online has a non-empty Realm",
        check=check_exchange_online_realm,
        doc=RuleDoc(
            what=(
                "Reports Exchange's partner application for Exchange Online (application "
                "identifier `00000002-0000-0ff1-ce00-000000000000` with `UseAuthServer` "
                "true, named `Exchange Online` by the Hybrid Configuration Wizard) whose "
                "`Realm` is not empty. Exchange's application for Lync is not this rule's "
                "business (see OAU004)."
            ),
            why=(
                "Exchange Online's tokens come through the authorization server with the "
                "tenant's realm; an on-premises partner application with a fixed realm "
                "matches no token, so free/busy lookups and other "
                "cross-premises features (such as the Teams calendar) fail with 401 errors "
                "(the Microsoft free/busy troubleshooter checks for exactly this)."
            ),
            bad='<S N="Name">Exchange Online</S>\n'
            '<S N="ApplicationIdentifier">00000002-0000-0ff1-ce00-000000000000</S>\n'
            '<S N="Realm">litwareinc.com</S>\n<B N="UseAuthServer">true</B>',
            good='<S N="Name">Exchange Online</S>\n'
            '<S N="ApplicationIdentifier">00000002-0000-0ff1-ce00-000000000000</S>\n'
            '<S N="Realm"></S>\n<B N="UseAuthServer">true</B>',
            fix='Set-PartnerApplication -Identity "Exchange Online" -Realm ""',
            evidence="an Exchange Get-PartnerApplication export",
            references=(ref.SET_PARTNER_APPLICATION, ref.MANAGE_S2S_SFB),
        ),
    ),
    Rule(
        code="HYB003",
        name="hma-oauth-server-missing",
        severity=Severity.ERROR,
        summary="ClientAuthorizationOAuthServerIdentity names an OAuth server that is not defined",
        check=check_hma_oauth_server,
        doc=RuleDoc(
            what=(
                "Reports a `Get-CsOAuthConfiguration` whose "
                "`ClientAuthorizationOAuthServerIdentity` (hybrid modern authentication, "
                "usually `evoSTS`) names no OAuth server of `Get-CsOAuthServer` (identities "
                "compared without letter case). An empty value means modern authentication "
                "is off; it is evaluated with nothing to check. An empty "
                "`Get-CsOAuthServer` result cannot be told from other empty exports, so "
                "without an OAuth server in the bundle the rule is not evaluated."
            ),
            why=(
                "With the setting Lync sends clients to that OAuth server for their tokens. "
                "When it is not defined, Lync cannot validate the tokens clients bring back: "
                "modern-authentication sign-in fails for every user of the pool, while "
                "users on legacy authentication keep working, which hides the cause."
            ),
            bad=_OAUTH_SERVERS
            + '<S N="Identity">microsoft.sts</S>\n'
            + '<!-- Get-CsOAuthConfiguration -->\n<S N="ClientAuthorizationOAuthServerIdentity">'
            "evoSTS</S>",
            good=_OAUTH_SERVERS
            + '<S N="Identity">evoSTS</S>\n'
            + '<!-- Get-CsOAuthConfiguration -->\n<S N="ClientAuthorizationOAuthServerIdentity">'
            "evoSTS</S>",
            fix=(
                "New-CsOAuthServer -Identity evoSTS -MetadataURL "
                '"https://login.windows.net/common/FederationMetadata/2007-06/'
                'FederationMetadata.xml" -AcceptSecurityIdentifierInformation $true -Type AzureAD\n'
                "# or turn hybrid modern authentication off\n"
                'Set-CsOAuthConfiguration -ClientAuthorizationOAuthServerIdentity ""'
            ),
            evidence=(
                "a Get-CsOAuthConfiguration export, and a Get-CsOAuthServer export when it "
                "names an OAuth server"
            ),
            references=(ref.HMA_SFB, ref.NEW_CS_OAUTH_SERVER),
        ),
    ),
)
