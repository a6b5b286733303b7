"""PAP003 metadata-url-not-https: metadata carries the partner's signing certificate."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.integration import MetadataUrl, metadata_urls
from .._shared.urls import is_https
from ._common import EITHER_SIDE, EXCHANGE_APPS, LYNC_METADATA, judge

DOC = RuleDoc(
    what=(
        "Reports a partner application metadata URL that is not an absolute `https` "
        "URL: Lync's `MetadataUrl` of every partner application and the "
        "`AuthMetadataUrl` of Exchange's partner application for Lync. Exchange's "
        "applications for Exchange Online, Graph or Teams are not looked at."
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
        "Set-PartnerApplication -Identity <name> "
        '-AuthMetadataUrl "https://<Lync pool FQDN>/metadata/json/1"\n'
        "Set-CsPartnerApplication -Identity microsoft.exchange "
        '-MetadataUrl "https://autodiscover.<domain>/autodiscover/metadata/json/1"'
    ),
    references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.PARTNER_APPS_LYNC),
)


def _examine(item: MetadataUrl) -> Issue | None:
    if is_https(item.url.value):
        return None
    return Issue(
        f'metadata URL "{item.url.value}" of {item.who} is not https', item.url.loc, key=item.key
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag partner application metadata URLs that are not https."""
    return judge(metadata_urls(model), _examine)


RULE = Rule(
    code="PAP003",
    name="metadata-url-not-https",
    severity=Severity.ERROR,
    summary="A partner application metadata URL is not https",
    doc=DOC,
    check=check,
    requires=(EITHER_SIDE,),
)
