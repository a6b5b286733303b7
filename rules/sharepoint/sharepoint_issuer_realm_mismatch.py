"""SPS006 sharepoint-issuer-realm-mismatch: SharePoint expects Lync's tokens from another realm."""

from __future__ import annotations

from s2slint.evidence import Export
from s2slint.findings import Issue, Severity
from s2slint.model import LYNC_APP_ID, Model, SharePointTrustedIssuer
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.powershell import argument, literal
from ._common import ISSUERS, LYNC_APPS, issuer_key, judge_lync_issuers, lync_realm, with_sharepoint

REALM_EVIDENCE = with_sharepoint(
    Export.OAUTH_CONFIGURATION,
    Export.TOPOLOGY,
    say="a Get-CsOAuthConfiguration export or a topology (Lync's OAuth realm)",
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a Lync issuer whose RegisteredIssuerName realm is not Lync's OAuth realm."""
    realm = lync_realm(model)

    def registered_realm(issuer: SharePointTrustedIssuer) -> str | None:
        return issuer.realm if realm is not None else None

    def problem(issuer: SharePointTrustedIssuer, found: str) -> Issue | None:
        assert realm is not None and issuer.registered_issuer_name is not None
        expected = realm.value.strip()
        if found.lower() == expected.lower():
            return None
        return Issue(
            f'SharePoint\'s issuer for Lync "{issuer.title}" is registered for the realm '
            f'"{found}" ({issuer.registered_issuer_name.value}), but Lync\'s OAuth realm is '
            f'"{expected}"',
            issuer.registered_issuer_name.loc,
            related=(realm.loc,),
            key=issuer_key(issuer),
            fix=(
                f"Set-SPTrustedSecurityTokenIssuer -Identity {argument(issuer.title)} "
                f"-RegisteredIssuerName {literal(f'{LYNC_APP_ID}@{expected}')}"
            ),
        )

    return judge_lync_issuers(model, registered_realm, problem)


_ISSUERS = "<!-- Get-SPTrustedSecurityTokenIssuer | Export-Clixml -->\n"

DOC = RuleDoc(
    what=(
        "Reports SharePoint's trusted issuer for Lync whose `RegisteredIssuerName` names "
        "another realm (the part after `@`, compared without letter case) than Lync's OAuth "
        "realm: `Realm` of `Get-CsOAuthConfiguration`, or the default SIP domain when it is "
        "empty (Lync's default). Lync's own realm setting is OAU004's business."
    ),
    why=(
        "Lync's tokens name their issuer as `00000004-0000-0ff1-ce00-000000000000@<realm>`; "
        "SharePoint accepts a token only from the issuer registered under exactly that "
        "name. An issuer registered by hand with another realm, or left behind after Lync's "
        "realm was changed, matches none of Lync's tokens: SharePoint answers with 401."
    ),
    bad=_ISSUERS + f'<S N="RegisteredIssuerName">{LYNC_APP_ID}@fabrikam.com</S>  '
    "<!-- Lync's realm is litwareinc.com -->",
    good=_ISSUERS + f'<S N="RegisteredIssuerName">{LYNC_APP_ID}@litwareinc.com</S>',
    fix=(
        "# $realm: Lync's OAuth realm (Get-CsOAuthConfiguration, else the default SIP domain)\n"
        "$realm = 'litwareinc.com'\n"
        "Set-SPTrustedSecurityTokenIssuer -Identity 'Skype for Business Server' "
        f'-RegisteredIssuerName "{LYNC_APP_ID}@$realm"'
    ),
    references=(ref.SET_SP_TRUSTED_ISSUER, ref.MANAGE_S2S_SFB, ref.PARTNER_APP_ONPREM_SFB),
)

RULE = Rule(
    code="SPS006",
    name="sharepoint-issuer-realm-mismatch",
    severity=Severity.WARNING,
    summary="SharePoint's issuer for Lync is registered for another realm than Lync's",
    doc=DOC,
    check=check,
    requires=(LYNC_APPS, ISSUERS, REALM_EVIDENCE),
)
