"""SPS004 sharepoint-oauth-over-http: tokens or metadata between Lync and SharePoint in clear text."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_applicable

from .._shared import references as ref
from ._common import LYNC_APPS, NOT_CONFIGURED, STS_CONFIG, lync_app_key, lync_sharepoint_apps
from ._http import STS_HTTP_OFF, https_fix, is_http, metadata_over_http_refused


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag OAuth over http on SharePoint's token service, and Lync reading metadata over http."""
    apps = lync_sharepoint_apps(model)
    if not apps:
        return not_applicable(NOT_CONFIGURED)
    issues: list[Issue] = []
    checked = 0
    for config in model.sharepoint_sts_configs:
        allowed = config.allow_oauth_over_http
        if allowed is None:
            continue
        checked += 1
        if allowed.value:
            issues.append(
                Issue(
                    "SharePoint's security token service allows OAuth over http "
                    "(AllowOAuthOverHttp True): tokens between Lync and SharePoint may travel "
                    "in clear text",
                    allowed.loc,
                    key="sharepoint-sts:AllowOAuthOverHttp",
                    fix=STS_HTTP_OFF,
                )
            )
    # An http URL SharePoint refuses to serve is SPS005's (the trust never forms).
    refused = metadata_over_http_refused(model)
    for app in apps:
        url = app.metadata_url
        if url is None or not url.value.strip():
            continue
        checked += 1
        if not is_http(url.value) or refused is not None:
            continue
        issues.append(
            Issue(
                f"Lync's partner application \"{app.name}\" reads SharePoint's metadata over "
                f'http ("{url.value}"): the certificate it trusts can be tampered with on the way',
                url.loc,
                key=lync_app_key(app),
                fix=https_fix(app, url.value),
            )
        )
    return evaluated(issues, checked)


DOC = RuleDoc(
    what=(
        "Reports SharePoint's security token service when `Get-SPSecurityTokenServiceConfig` "
        "shows `AllowOAuthOverHttp` True, and Lync's partner application for SharePoint "
        "when its metadata URL is http. An http metadata URL that SharePoint refuses to "
        "serve (`AllowMetadataOverHttp` False) is SPS005's, not reported here. Not "
        "applicable when Lync has no partner application for on-premises SharePoint."
    ),
    why=(
        "Server-to-server tokens carry the identity of the user Lync acts for: over http "
        "anyone on the path can read and replay them. Metadata fetched over http can be "
        "replaced on the way, and with it the certificate Lync trusts to validate "
        "SharePoint's tokens. Microsoft requires SSL on the web applications that take part "
        "in server-to-server authentication; the http switches exist for test farms only."
    ),
    bad="<!-- Get-SPSecurityTokenServiceConfig | Export-Clixml -->\n"
    '<B N="AllowOAuthOverHttp">true</B>\n'
    "<!-- Get-CsPartnerApplication -->\n"
    '<S N="MetadataUrl">http://sharepoint.litwareinc.com/_layouts/15/metadata/json/1</S>',
    good="<!-- Get-SPSecurityTokenServiceConfig | Export-Clixml -->\n"
    '<B N="AllowOAuthOverHttp">false</B>\n'
    "<!-- Get-CsPartnerApplication -->\n"
    '<S N="MetadataUrl">https://sharepoint.litwareinc.com/_layouts/15/metadata/json/1</S>',
    fix=(
        "# In the SharePoint Management Shell\n"
        + STS_HTTP_OFF
        + "\n# In the Lync Server Management Shell\n"
        "Set-CsPartnerApplication -Identity microsoft.sharepoint "
        "-MetadataUrl 'https://sharepoint.litwareinc.com/_layouts/15/metadata/json/1'"
    ),
    references=(
        ref.SP_SERVER_TO_SERVER,
        ref.GET_SP_STS_CONFIG,
        ref.PARTNER_APP_ONPREM_SFB,
        ref.NEW_CS_PARTNER_APPLICATION,
    ),
)

RULE = Rule(
    code="SPS004",
    name="sharepoint-oauth-over-http",
    severity=Severity.WARNING,
    summary="SharePoint allows OAuth over http, or Lync reads SharePoint's metadata over http",
    doc=DOC,
    check=check,
    requires=(LYNC_APPS, STS_CONFIG),
)
