"""HYB003 hma-oauth-server-missing: modern authentication names an undefined OAuth server."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from ._common import OAUTH_SERVERS, server_identity

DOC = RuleDoc(
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
    bad=OAUTH_SERVERS
    + '<S N="Identity">microsoft.sts</S>\n'
    + '<!-- Get-CsOAuthConfiguration -->\n<S N="ClientAuthorizationOAuthServerIdentity">'
    "evoSTS</S>",
    good=OAUTH_SERVERS
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
)


def check(model: Model, ctx: RuleContext) -> Outcome:
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


RULE = Rule(
    code="HYB003",
    name="hma-oauth-server-missing",
    severity=Severity.ERROR,
    summary="ClientAuthorizationOAuthServerIdentity names an OAuth server that is not defined",
    check=check,
    doc=DOC,
)
