"""PAP006 lync-metadata-host-unknown: Exchange must read Lync's metadata from a Lync pool."""

from __future__ import annotations

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Severity
from s2slint.messages import bounded_list
from s2slint.model import ExchangePartnerApplication, Located, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, not_evaluated

from .._shared import references as ref
from .._shared.integration import (
    exchange_app_name,
    exchange_apps_for_lync,
    exchange_key,
    lync_pool_hosts,
)
from .._shared.urls import url_host
from ._common import (
    DOC_NAME,
    DOC_POOL_METADATA_URL,
    EXCHANGE_APPS,
    EXCHANGE_SIDE,
    LYNC_METADATA,
    judge,
)
from ._fixes import lines, lync_metadata_url, lync_pool_for, repoint_exchange_app

_POOLS = "the topology (the Lync pool FQDNs)"

DOC = RuleDoc(
    what=(
        "Reports Exchange's partner application for Lync (identifier "
        "`00000004-0000-0ff1-ce00-000000000000`) whose `AuthMetadataUrl` host is not "
        "the FQDN of a Front End pool of the topology. An application trusted "
        "through an authorization server (no metadata URL, `UseAuthServer`) is not "
        "looked at. A pool whose internal web services FQDN is overridden publishes "
        "its metadata under that name, which the topology export does not carry: "
        "such a host is reported too."
    ),
    why=(
        "Exchange learns Lync's signing certificate from that URL and refreshes it "
        "periodically. A retired pool, a single server's name or a typo keeps "
        "working only until the next OAuth certificate roll, after which Exchange "
        "rejects Lync's tokens and the integration fails without any change on the "
        "Exchange side."
    ),
    bad=EXCHANGE_APPS + '<S N="AuthMetadataUrl">https://atl-cs-old.litwareinc.com/'
    "metadata/json/1</S>",
    good=EXCHANGE_APPS + f'<S N="AuthMetadataUrl">{LYNC_METADATA}</S>',
    fix=(
        "# Exchange Management Shell: $name is Exchange's application for Lync, as\n"
        "# Get-PartnerApplication shows it; $poolMetadataUrl a Lync pool's metadata document\n"
        f"{DOC_NAME}\n{DOC_POOL_METADATA_URL}\n"
        "Set-PartnerApplication -Identity $name -AuthMetadataUrl $poolMetadataUrl\n"
        "Set-PartnerApplication -Identity $name -RefreshAuthMetadata"
    ),
    references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.SET_PARTNER_APPLICATION),
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Exchange's partner application for Lync whose metadata host is not a Lync pool.

    An application trusted through an auth server (no metadata URL) is not looked at.
    """
    pools = lync_pool_hosts(model)
    if not pools:
        return not_evaluated(_POOLS)  # a topology of SQL, Edge or branch clusters only
    listing = bounded_list(sorted(pools))

    def examine(item: tuple[ExchangePartnerApplication, Located[str]]) -> Issue | None:
        app, url = item
        host = url_host(url.value)
        if host in pools:
            return None
        pool = lync_pool_for(model, host)
        return Issue(
            f'Exchange partner application "{exchange_app_name(app)}" reads Lync metadata '
            f'from "{host or url.value}", which is not a Lync pool of the topology '
            f"({listing})",
            url.loc,
            key=exchange_key(app),
            fix=lines(repoint_exchange_app(app, lync_metadata_url(pool))) if pool else "",
        )

    with_metadata = (
        (app, url)
        for app in exchange_apps_for_lync(model)
        if (url := app.auth_metadata_url) is not None and url.value
    )
    return judge(with_metadata, examine)


RULE = Rule(
    code="PAP006",
    name="lync-metadata-host-unknown",
    severity=Severity.ERROR,
    summary="Exchange's partner application for Lync reads metadata from a host that is no Lync pool",
    doc=DOC,
    check=check,
    requires=(
        EXCHANGE_SIDE,
        any_of(Export.TOPOLOGY, say=_POOLS),
    ),
)
