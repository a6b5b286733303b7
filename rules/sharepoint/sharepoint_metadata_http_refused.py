"""SPS005 sharepoint-metadata-http-refused: Lync asks over http for metadata SharePoint serves over https only."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_applicable

from .._shared import references as ref
from ._common import LYNC_APPS, NOT_CONFIGURED, STS_CONFIG, lync_app_key, lync_sharepoint_apps
from ._http import https_fix, is_http, metadata_over_http_known, metadata_over_http_refused


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Lync's http SharePoint metadata URL when SharePoint serves no metadata over http."""
    apps = lync_sharepoint_apps(model)
    if not apps:
        return not_applicable(NOT_CONFIGURED)
    if not metadata_over_http_known(model.sharepoint_sts_configs):
        return evaluated((), 0)  # the export does not say: unknown, never assumed
    refused = metadata_over_http_refused(model)
    issues: list[Issue] = []
    checked = 0
    for app in apps:
        url = app.metadata_url
        if url is None or not url.value.strip():
            continue
        checked += 1
        if refused is None or not is_http(url.value):
            continue
        issues.append(
            Issue(
                f"Lync's partner application \"{app.name}\" reads SharePoint's metadata over "
                f'http ("{url.value}"), but SharePoint\'s security token service does not serve '
                "it over http (AllowMetadataOverHttp False): the trust never forms",
                url.loc,
                related=(refused.loc,),
                key=lync_app_key(app),
                fix=https_fix(app, url.value),
            )
        )
    return evaluated(issues, checked)


DOC = RuleDoc(
    what=(
        "Reports Lync's partner application for SharePoint whose metadata URL is http while "
        "`Get-SPSecurityTokenServiceConfig` shows `AllowMetadataOverHttp` False (the "
        "default). When the export does not show the setting, nothing is counted as "
        "checked. Not applicable when Lync has no partner application for on-premises "
        "SharePoint."
    ),
    why=(
        "SharePoint answers a request for its metadata document over http with an error "
        "unless it was told to allow it. Lync then cannot read SharePoint's certificate: "
        "`New-CsPartnerApplication` fails to download the metadata, or an application made "
        "earlier is never refreshed, and every token SharePoint sends to Lync is rejected."
    ),
    bad="<!-- Get-CsPartnerApplication | Export-Clixml -->\n"
    '<S N="MetadataUrl">http://sharepoint.litwareinc.com/_layouts/15/metadata/json/1</S>\n'
    "<!-- Get-SPSecurityTokenServiceConfig | Export-Clixml -->\n"
    '<B N="AllowMetadataOverHttp">false</B>',
    good="<!-- Get-CsPartnerApplication | Export-Clixml -->\n"
    '<S N="MetadataUrl">https://sharepoint.litwareinc.com/_layouts/15/metadata/json/1</S>\n'
    "<!-- Get-SPSecurityTokenServiceConfig | Export-Clixml -->\n"
    '<B N="AllowMetadataOverHttp">false</B>',
    fix=(
        "# $url: SharePoint's metadata document over https\n"
        "$url = 'https://sharepoint.litwareinc.com/_layouts/15/metadata/json/1'\n"
        "Set-CsPartnerApplication -Identity microsoft.sharepoint -MetadataUrl $url"
    ),
    references=(
        ref.PARTNER_APP_ONPREM_SFB,
        ref.NEW_CS_PARTNER_APPLICATION,
        ref.GET_SP_STS_CONFIG,
        ref.SP_SERVER_TO_SERVER,
    ),
)

RULE = Rule(
    code="SPS005",
    name="sharepoint-metadata-http-refused",
    severity=Severity.ERROR,
    summary="Lync reads SharePoint's metadata over http, which SharePoint refuses to serve",
    doc=DOC,
    check=check,
    requires=(LYNC_APPS, STS_CONFIG),
)
