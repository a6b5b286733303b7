"""PAP003 metadata-url-not-https: Lync's and Exchange's metadata travel over https."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.urls import is_https
from ._common import EITHER_SIDE, EXCHANGE_APPS, LYNC_METADATA, PartnerUrl, judge, partner_urls
from ._fixes import (
    LYNC_SHELL,
    exchange_host,
    exchange_metadata_url,
    host_of,
    lines,
    lync_identity,
    lync_metadata_url,
    lync_pool_for,
    quoted,
    repoint_exchange_app,
)

_JUDGED = ("lync", "exchange")
"""Whose metadata must be fetched over https here: SharePoint's is the SPS rules' matter."""

DOC = RuleDoc(
    what=(
        "Reports a Lync or Exchange metadata URL that is not an absolute `https` URL: "
        "the `MetadataUrl` of Lync's partner application for Exchange and the "
        "`AuthMetadataUrl` of Exchange's partner application for Lync. A SharePoint "
        "metadata URL over http (Microsoft's own example uses one) is not reported here: "
        "SharePoint can be set to serve metadata over http, and the SPS rules judge it "
        "with SharePoint's settings. Exchange's applications for Exchange Online, Graph or "
        "Teams are not looked at."
    ),
    why=(
        "The metadata document carries the certificate that signs the partner's "
        "tokens. Fetched over plain http it could be replaced in transit by one that "
        "lets an attacker sign tokens as Exchange or Lync, and the products expect "
        "https: the Lync and Exchange web services do not publish metadata over "
        "http, so the download fails and tokens are rejected."
    ),
    bad=EXCHANGE_APPS + '<S N="AuthMetadataUrl">http://atl-cs-001.litwareinc.com/'
    "metadata/json/1</S>",
    good=EXCHANGE_APPS + f'<S N="AuthMetadataUrl">{LYNC_METADATA}</S>',
    fix=(
        "# Exchange Management Shell: $name is Exchange's application for Lync, as\n"
        "# Get-PartnerApplication shows it; $poolMetadataUrl the pool's metadata over https\n"
        "$name = 'LyncEnterprise-2f4c9e1a7b3d4e5f8a6b0c1d2e3f4a5b'\n"
        "$poolMetadataUrl = 'https://atl-cs-001.litwareinc.com/metadata/json/1'\n"
        "Set-PartnerApplication -Identity $name -AuthMetadataUrl $poolMetadataUrl\n"
        "Set-PartnerApplication -Identity $name -RefreshAuthMetadata\n"
        "# Skype for Business Server Management Shell: $identity is Lync's application for\n"
        "# Exchange, $metadataUrl Exchange's metadata over https\n"
        "$identity = 'microsoft.exchange'\n"
        "$metadataUrl = 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'\n"
        "Set-CsPartnerApplication -Identity $identity -MetadataUrl $metadataUrl"
    ),
    references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.PARTNER_APPS_LYNC),
)


def _fix(model: Model, item: PartnerUrl) -> str:
    """The same document over https: Exchange refreshes at once, Lync reads it on Set."""
    host = host_of(item.url.value)
    if item.exchange_app is not None:
        pool = lync_pool_for(model, host)
        return (
            lines(repoint_exchange_app(item.exchange_app, lync_metadata_url(pool))) if pool else ""
        )
    identity = lync_identity(item.lync_app) if item.lync_app is not None else None
    host = host or exchange_host(model)
    if identity is None or host is None:
        return ""
    return lines(
        LYNC_SHELL,
        f"Set-CsPartnerApplication -Identity {quoted(identity)} "
        f"-MetadataUrl {quoted(exchange_metadata_url(host))}",
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Lync's and Exchange's metadata URLs that are not https."""

    def examine(item: PartnerUrl) -> Issue | None:
        if is_https(item.url.value):
            return None
        return Issue(
            f'metadata URL "{item.url.value}" of {item.who} is not https',
            item.url.loc,
            key=item.key,
            fix=_fix(model, item),
        )

    return judge((item for item in partner_urls(model) if item.product in _JUDGED), examine)


RULE = Rule(
    code="PAP003",
    name="metadata-url-not-https",
    severity=Severity.ERROR,
    summary="A Lync or Exchange metadata URL is not https",
    doc=DOC,
    check=check,
    requires=(EITHER_SIDE,),
)
