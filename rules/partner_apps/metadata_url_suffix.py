"""PAP002 metadata-url-suffix: a metadata URL must name its product's metadata document."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.integration import PRODUCT_NAMES
from .._shared.urls import split_url
from ._common import (
    EITHER_SIDE,
    EXCHANGE_METADATA,
    EXCHANGE_PATH,
    LYNC_APPS,
    LYNC_PATH,
    SHAREPOINT_PATHS,
    PartnerUrl,
    is_metadata_path,
    judge,
    partner_urls,
)
from ._fixes import (
    LYNC_SHELL,
    exchange_host,
    exchange_metadata_url,
    host_of,
    lines,
    lync_identity,
    lync_metadata_url,
    lync_pool_for,
    rebuild_lync_app,
    repoint_exchange_app,
    sharepoint_metadata_url,
)

_EXPECTED = {
    "lync": LYNC_PATH,
    "exchange": EXCHANGE_PATH,
    "sharepoint": f"…{SHAREPOINT_PATHS[0]} or …{SHAREPOINT_PATHS[1]}",
    None: f"…{LYNC_PATH}",
}
"""What each product's metadata path is, as messages say it."""

DOC = RuleDoc(
    what=(
        "Reports a partner application metadata URL whose path is not the metadata "
        "document of the product the application stands for: for Exchange's application "
        "for Lync (`AuthMetadataUrl`), a Lync pool's `/metadata/json/1`; for Lync's "
        "application for Exchange (`MetadataUrl`, also exported as `AuthToken` "
        "`Value=<url>`), `/autodiscover/metadata/json/1`; for Lync's application for "
        "SharePoint, `…/_layouts/15/metadata/json/1` or `…/jsonmetadata.ashx` (Microsoft's "
        "own example is `http://atl-sharepoint-001.litwareinc.com/jsonmetadata.ashx`); for "
        "another partner, a path ending in `/metadata/json/1`. Letter case is ignored and "
        "one trailing slash is tolerated. Exchange's applications for Exchange Online, "
        "Graph or Teams are not looked at."
    ),
    why=(
        "The partner's signing certificate and identifier are read from that document: "
        "Lync publishes it at `https://<pool>/metadata/json/1`, Exchange at "
        "`https://<autodiscover host>/autodiscover/metadata/json/1`, SharePoint at "
        "`https://<site>/_layouts/15/metadata/json/1`. Another path (the Autodiscover or "
        "EWS URL, a site root) returns no metadata: the certificate is never learnt, the "
        "identifier may come from the wrong product, and the partner's tokens are "
        "rejected with 401."
    ),
    bad=LYNC_APPS + '<S N="AuthToken">Value=https://autodiscover.litwareinc.com/'
    "autodiscover/autodiscover.svc</S>",
    good=LYNC_APPS + f'<S N="AuthToken">Value={EXCHANGE_METADATA}</S>',
    fix=(
        "# Skype for Business Server Management Shell: create the application the finding\n"
        "# names ($identity) again from its partner's metadata document ($metadataUrl), so\n"
        "# that it also re-reads the partner's identifier\n"
        "$identity = 'microsoft.exchange'\n"
        "$metadataUrl = 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'\n"
        "Remove-CsPartnerApplication -Identity $identity\n"
        "New-CsPartnerApplication -Identity $identity -ApplicationTrustLevel Full "
        "-MetadataUrl $metadataUrl\n"
        "# Exchange Management Shell: Exchange's application for Lync ($name, as\n"
        "# Get-PartnerApplication shows it) reads a Lync pool's metadata ($poolMetadataUrl)\n"
        "$name = 'LyncEnterprise-2f4c9e1a7b3d4e5f8a6b0c1d2e3f4a5b'\n"
        "$poolMetadataUrl = 'https://atl-cs-001.litwareinc.com/metadata/json/1'\n"
        "Set-PartnerApplication -Identity $name -AuthMetadataUrl $poolMetadataUrl\n"
        "Set-PartnerApplication -Identity $name -RefreshAuthMetadata"
    ),
    references=(
        ref.CONFIGURE_PARTNER_APPS_SFB,
        ref.PARTNER_APPS_LYNC,
        ref.NEW_CS_PARTNER_APPLICATION,
        ref.PARTNER_APP_ONPREM_SFB,
    ),
)


def _fix(model: Model, item: PartnerUrl) -> str:
    """Rebuild Lync's application from the right document; repoint Exchange's for Lync."""
    host = host_of(item.url.value)
    if item.exchange_app is not None:
        pool = lync_pool_for(model, host)
        return (
            lines(repoint_exchange_app(item.exchange_app, lync_metadata_url(pool))) if pool else ""
        )
    identity = lync_identity(item.lync_app) if item.lync_app is not None else None
    if identity is None:
        return ""
    if item.product == "exchange":
        host = host or exchange_host(model)
        url = exchange_metadata_url(host) if host else None
    elif item.product == "sharepoint":
        url = sharepoint_metadata_url(host) if host else None
    else:
        url = None  # a third party's document path is not known
    return lines(LYNC_SHELL, rebuild_lync_app(identity, url)) if url else ""


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag metadata URLs whose path is not the metadata document of their product."""

    def examine(item: PartnerUrl) -> Issue | None:
        parts = split_url(item.url.value)
        path = parts.path if parts is not None else item.url.value
        if is_metadata_path(item.product, path):
            return None
        owner = f"{PRODUCT_NAMES[item.product]}'s" if item.product else "a"
        return Issue(
            f'metadata URL "{item.url.value}" of {item.who} is not {owner} metadata document '
            f"({_EXPECTED[item.product]})",
            item.url.loc,
            key=item.key,
            fix=_fix(model, item),
        )

    return judge(partner_urls(model), examine)


RULE = Rule(
    code="PAP002",
    name="metadata-url-suffix",
    severity=Severity.ERROR,
    summary="A partner application metadata URL is not its product's metadata document",
    doc=DOC,
    check=check,
    requires=(EITHER_SIDE,),
)
