"""SPS001 sharepoint-lync-issuer-missing: Lync trusts SharePoint, SharePoint does not trust Lync."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import LYNC_APP_ID, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_applicable

from .._shared import references as ref
from .._shared.powershell import argument, literal
from ._common import (
    ISSUERS,
    LYNC_APPS,
    NOT_CONFIGURED,
    lync_issuers,
    lync_metadata_url,
    lync_sharepoint_apps,
)

ISSUER_NAME = "Skype for Business Server"
"""The name the fix gives the new issuer (any name will do; this one says what it is)."""


def fix_for(model: Model) -> str:
    """Return the command that creates Lync's issuer on SharePoint, with the bundle's pool."""
    url = lync_metadata_url(model)
    if url is None:
        return (
            "# $pool: the FQDN of your Front End pool (the bundle has no topology)\n"
            'New-SPTrustedSecurityTokenIssuer -MetadataEndPoint "https://$pool/metadata/json/1" '
            f"-IsTrustBroker -Name {argument(ISSUER_NAME)}"
        )
    return (
        f"New-SPTrustedSecurityTokenIssuer -MetadataEndPoint {literal(url)} -IsTrustBroker "
        f"-Name {argument(ISSUER_NAME)}"
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a SharePoint farm that has trusted issuers, none of them Lync's."""
    apps = lync_sharepoint_apps(model)
    if not apps:
        return not_applicable(NOT_CONFIGURED)
    if lync_issuers(model):
        return evaluated((), 1)
    names = ", ".join(f'"{issuer.title}"' for issuer in model.sharepoint_issuers)
    issue = Issue(
        f'Lync trusts SharePoint (partner application "{apps[0].name}"), but SharePoint '
        f"trusts no token issuer for Lync (RegisteredIssuerName {LYNC_APP_ID}@<realm>, or a "
        f"metadata endpoint on a Lync server); Get-SPTrustedSecurityTokenIssuer has {names}",
        model.sharepoint_issuers[0].loc,
        related=(apps[0].loc,),
        key="sharepoint-issuer:lync",
        fix=fix_for(model),
    )
    return evaluated((issue,), 1)


_ISSUERS = "<!-- Get-SPTrustedSecurityTokenIssuer | Export-Clixml -->\n"

DOC = RuleDoc(
    what=(
        "Reports a SharePoint farm whose `Get-SPTrustedSecurityTokenIssuer` export has no "
        "trusted security token issuer for Lync when Lync has a partner application for "
        "on-premises SharePoint. Lync's issuer is recognised by its `RegisteredIssuerName` "
        f"(`{LYNC_APP_ID}@<realm>`) or by a `MetadataEndPoint` on a pool or server of the "
        "topology. Not applicable when Lync has no partner application for SharePoint (or "
        "only one trusted through an OAuth server, SharePoint Online). An export of no "
        "issuer at all is an empty file that cannot be told from other empty exports; the "
        "rule is then not evaluated."
    ),
    why=(
        "Server-to-server authentication between Lync and SharePoint is a trust both ways: "
        "Microsoft's article on it notes that a conference can be scheduled from within "
        "SharePoint (Office Web Apps) only when the two servers trust one another. Without "
        "an issuer for Lync, SharePoint answers every call Lync makes with its own tokens "
        "with 401, so the integration fails although Lync's partner application looks right."
    ),
    bad=_ISSUERS
    + '<S N="RegisteredIssuerName">00000002-0000-0ff1-ce00-000000000000@litwareinc.com</S>\n'
    '<URI N="MetadataEndPoint">https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'
    "</URI>  <!-- Exchange's issuer, and nothing for Lync -->",
    good=_ISSUERS + f'<S N="RegisteredIssuerName">{LYNC_APP_ID}@litwareinc.com</S>\n'
    '<URI N="MetadataEndPoint">https://atl-cs-001.litwareinc.com/metadata/json/1</URI>',
    fix=(
        "# In the SharePoint Management Shell; $pool is your Front End pool's FQDN\n"
        "$pool = 'atl-cs-001.litwareinc.com'\n"
        'New-SPTrustedSecurityTokenIssuer -MetadataEndPoint "https://$pool/metadata/json/1" '
        f"-IsTrustBroker -Name {argument(ISSUER_NAME)}"
    ),
    references=(
        ref.NEW_SP_TRUSTED_ISSUER,
        ref.SP_SERVER_TO_SERVER,
        ref.PARTNER_APP_ONPREM_SFB,
        ref.MANAGE_S2S_SFB,
    ),
)

RULE = Rule(
    code="SPS001",
    name="sharepoint-lync-issuer-missing",
    severity=Severity.ERROR,
    summary="Lync trusts SharePoint, but SharePoint has no trusted token issuer for Lync",
    doc=DOC,
    check=check,
    requires=(LYNC_APPS, ISSUERS),
)
