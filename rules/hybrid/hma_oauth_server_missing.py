"""HYB003 hma-oauth-server-missing: modern authentication names an undefined OAuth server."""

from __future__ import annotations

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Severity
from s2slint.model import Located, Model, OAuthConfiguration
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.judge import judge
from .._shared.powershell import argument
from ._common import OAUTH_SERVERS, server_identity

EVOSTS_METADATA_URL = (
    "https://login.windows.net/common/FederationMetadata/2007-06/FederationMetadata.xml"
)
"""Azure AD's metadata document, as Microsoft's hybrid modern authentication steps give it."""

DOC = RuleDoc(
    what=(
        "Reports a `Get-CsOAuthConfiguration` whose "
        "`ClientAuthorizationOAuthServerIdentity` (hybrid modern authentication, "
        "usually `evoSTS`) names no OAuth server of `Get-CsOAuthServer` (identities "
        "compared without letter case). An empty value means modern authentication "
        "is off; it is evaluated with nothing to check. An empty "
        "`Get-CsOAuthServer` result cannot be told from other empty exports, so "
        "without an OAuth server in the bundle the rule is not evaluated. The setting, "
        "`New-CsOAuthServer -Type` and `-AcceptSecurityIdentifierInformation` exist from "
        "Skype for Business Server 2015 (CU5) on; Lync Server 2013 has none of them."
    ),
    why=(
        "With the setting Lync sends clients to that OAuth server for their tokens. "
        "When it is not defined, Lync cannot validate the tokens clients bring back: "
        "modern-authentication sign-in fails for every user of the pool, while "
        "users on legacy authentication keep working, which hides the cause."
    ),
    bad=OAUTH_SERVERS
    + '<S N="Identity">microsoft.sts</S>\n'
    + '<!-- Get-CsOAuthConfiguration -->\n<S N="ClientAuthorizationOAuthServerIdentity">'
    "evoSTS</S>",
    good=OAUTH_SERVERS
    + '<S N="Identity">evoSTS</S>\n'
    + '<!-- Get-CsOAuthConfiguration -->\n<S N="ClientAuthorizationOAuthServerIdentity">'
    "evoSTS</S>",
    fix=(
        "# Skype for Business Server 2015 or later ($identity: the OAuth server the setting\n"
        "# names, usually evoSTS)\n"
        "$identity = 'evoSTS'\n"
        "New-CsOAuthServer -Identity $identity -MetadataUrl "
        '"https://login.windows.net/common/FederationMetadata/2007-06/'
        'FederationMetadata.xml" -AcceptSecurityIdentifierInformation $true -Type AzureAD\n'
        "# or turn hybrid modern authentication off\n"
        'Set-CsOAuthConfiguration -Identity global -ClientAuthorizationOAuthServerIdentity ""'
    ),
    evidence="a Get-CsOAuthServer export when it names an OAuth server",
    references=(ref.HMA_SFB, ref.NEW_CS_OAUTH_SERVER),
)


def _create_or_turn_off(config: OAuthConfiguration, identity: str) -> str:
    """Create the OAuth server the setting names (Azure AD), or turn the setting off."""
    own = (
        config.identity.value if config.identity is not None and config.identity.value else "Global"
    )
    return (
        f"New-CsOAuthServer -Identity {argument(identity)} -MetadataUrl '{EVOSTS_METADATA_URL}' "
        "-AcceptSecurityIdentifierInformation $True -Type AzureAD\n"
        "# or turn hybrid modern authentication off\n"
        f"Set-CsOAuthConfiguration -Identity {argument(own)} "
        "-ClientAuthorizationOAuthServerIdentity ''"
    )


def _named(config: OAuthConfiguration) -> Located[str] | None:
    """Return the OAuth server the configuration names for modern authentication, if any."""
    named = config.client_authorization_oauth_server_identity
    return named if named is not None and named.value.strip() else None


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a ClientAuthorizationOAuthServerIdentity that names no defined OAuth server.

    An empty setting (modern authentication off) is not counted; the OAuth servers are
    needed only when some configuration names one.
    """
    if not any(_named(config) for config in model.oauth_configurations):
        return evaluated((), 0)
    if not model.lync_oauth_servers:
        return not_evaluated(
            "a Get-CsOAuthServer export (ClientAuthorizationOAuthServerIdentity names one)"
        )
    defined = {server_identity(s.identity) for s in model.lync_oauth_servers}
    listing = ", ".join(
        f'"{s.identity.value}"' for s in model.lync_oauth_servers if s.identity is not None
    )

    def undefined(config: OAuthConfiguration, named: Located[str]) -> Issue | None:
        if server_identity(named) in defined:
            return None
        return Issue(
            f'ClientAuthorizationOAuthServerIdentity names "{named.value}", but no OAuth '
            f"server of that identity is defined (Get-CsOAuthServer has {listing or 'none'})",
            named.loc,
            related=(model.lync_oauth_servers[0].loc,),
            key="oauth-configuration:ClientAuthorizationOAuthServerIdentity",
            fix=_create_or_turn_off(config, named.value),
        )

    return judge(model.oauth_configurations, _named, undefined)


RULE = Rule(
    code="HYB003",
    name="hma-oauth-server-missing",
    severity=Severity.ERROR,
    summary="ClientAuthorizationOAuthServerIdentity names an OAuth server that is not defined",
    check=check,
    doc=DOC,
    requires=(any_of(Export.OAUTH_CONFIGURATION),),
)
