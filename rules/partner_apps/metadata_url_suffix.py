"""PAP002 metadata-url-suffix: a metadata URL must name a metadata document."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.integration import MetadataUrl, metadata_urls
from .._shared.urls import METADATA_SUFFIX, split_url
from ._common import EITHER_SIDE, EXCHANGE_METADATA, LYNC_APPS, judge

DOC = RuleDoc(
    what=(
        "Reports a partner application metadata URL whose path does not end in "
        "`/metadata/json/1`: Lync's `MetadataUrl` (also exported as "
        "`AuthToken` `Value=<url>`) of every partner application, and the "
        "`AuthMetadataUrl` of Exchange's partner application for Lync. Exchange's "
        "applications for Exchange Online, Graph or Teams are not looked at. "
        "SharePoint's legacy `jsonmetadata.ashx` handler is reported too; use "
        "`/_layouts/15/metadata/json/1`."
    ),
    why=(
        "Every product of the integration publishes its OAuth metadata document "
        "under `/metadata/json/1`: Lync at `https://<pool>/metadata/json/1`, "
        "Exchange at `https://<autodiscover host>/autodiscover/metadata/json/1`, "
        "SharePoint at `https://<site>/_layouts/15/metadata/json/1`. Another path "
        "(the Autodiscover or EWS URL, a site root) returns no metadata: the "
        "partner's signing certificate is never learnt and its tokens are rejected "
        "with 401."
    ),
    bad=LYNC_APPS + '<S N="AuthToken">Value=https://autodiscover.litwareinc.com/'
    "autodiscover/autodiscover.svc</S>",
    good=LYNC_APPS + f'<S N="AuthToken">Value={EXCHANGE_METADATA}</S>',
    fix=(
        "Set-CsPartnerApplication -Identity microsoft.exchange "
        '-MetadataUrl "https://autodiscover.<domain>/autodiscover/metadata/json/1"\n'
        "# Exchange Management Shell\n"
        "Set-PartnerApplication -Identity <name> "
        '-AuthMetadataUrl "https://<Lync pool FQDN>/metadata/json/1"'
    ),
    references=(
        ref.CONFIGURE_PARTNER_APPS_SFB,
        ref.PARTNER_APPS_LYNC,
        ref.NEW_CS_PARTNER_APPLICATION,
    ),
)


def _examine(item: MetadataUrl) -> Issue | None:
    parts = split_url(item.url.value)
    path = parts.path if parts is not None else item.url.value
    if path.rstrip("/").lower().endswith(METADATA_SUFFIX):
        return None
    return Issue(
        f'metadata URL "{item.url.value}" of {item.who} does not end in {METADATA_SUFFIX}',
        item.url.loc,
        key=item.key,
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag partner application metadata URLs whose path does not end in /metadata/json/1."""
    return judge(metadata_urls(model), _examine)


RULE = Rule(
    code="PAP002",
    name="metadata-url-suffix",
    severity=Severity.ERROR,
    summary="A partner application metadata URL does not end in /metadata/json/1",
    doc=DOC,
    check=check,
    requires=(EITHER_SIDE,),
)
