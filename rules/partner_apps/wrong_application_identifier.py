"""PAP011 wrong-application-identifier: an application must carry its own product's identifier."""

from __future__ import annotations

from dataclasses import dataclass

from s2slint.findings import Issue, Severity
from s2slint.model import Located, LyncPartnerApplication, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.integration import (
    PRODUCT_IDS,
    PRODUCT_NAMES,
    exchange_app_name,
    exchange_key,
    lync_key,
    lync_pool_hosts,
)
from .._shared.urls import split_url, url_host
from ._common import (
    DOC_EXCHANGE_TRUSTS_LYNC,
    DOC_IDENTITY,
    DOC_METADATA_URL,
    DOC_NAME,
    DOC_POOL_METADATA_URL,
    EITHER_SIDE,
    KNOWN_IDS,
    LYNC_APPS,
    has_text,
    intended_product,
    is_metadata_path,
    judge,
)
from ._fixes import (
    LYNC_SHELL,
    exchange_host,
    exchange_metadata_url,
    lines,
    lync_identity,
    lync_pool_for,
    rebuild_exchange_app_for_lync,
    rebuild_lync_app,
)

DOC = RuleDoc(
    what=(
        "Reports a partner application for Exchange, SharePoint or Lync that carries "
        "the identifier of another of the three (Exchange "
        "`00000002-0000-0ff1-ce00-000000000000`, SharePoint "
        "`00000003-0000-0ff1-ce00-000000000000`, Lync "
        "`00000004-0000-0ff1-ce00-000000000000`). Lync's applications are judged by "
        "their identity (`microsoft.exchange`, `Exchange`, `microsoft.sharepoint`), "
        "else their metadata URL; Exchange's application for Lync by a metadata URL "
        "on a Lync pool or its `LyncEnterprise-` name. Other identifiers (Microsoft "
        "Graph's `00000003-0000-0000-c000-000000000000`, Teams) are not judged."
    ),
    why=(
        "The identifier comes from the metadata the URL points at, so a wrong one "
        "usually means the URL names the wrong product (the SharePoint metadata for "
        "`microsoft.exchange`, say). Tokens from the real partner then match no "
        "application and are rejected; Microsoft's own script recreates "
        "`microsoft.exchange` when its identifier is not Exchange's."
    ),
    bad=LYNC_APPS + '<S N="Identity">microsoft.exchange</S>\n'
    '<S N="ApplicationIdentifier">00000003-0000-0ff1-ce00-000000000000</S>',
    good=LYNC_APPS + '<S N="Identity">microsoft.exchange</S>\n'
    '<S N="ApplicationIdentifier">00000002-0000-0ff1-ce00-000000000000</S>',
    fix=(
        "# Skype for Business Server Management Shell: create the application the finding\n"
        "# names ($identity) again from its own product's metadata ($metadataUrl: Exchange's\n"
        "# on the autodiscover host, or SharePoint's /_layouts/15/metadata/json/1)\n"
        f"{DOC_IDENTITY}\n{DOC_METADATA_URL}\n"
        "Remove-CsPartnerApplication -Identity $identity\n"
        "New-CsPartnerApplication -Identity $identity -ApplicationTrustLevel Full "
        "-MetadataUrl $metadataUrl\n"
        "# Exchange Management Shell: create Exchange's application for Lync ($name) again\n"
        "# from a Lync pool's metadata ($poolMetadataUrl), then restart IIS on every Exchange\n"
        "# server ($server)\n"
        f"{DOC_NAME}\n{DOC_POOL_METADATA_URL}\n"
        "Remove-PartnerApplication -Identity $name\n"
        f"{DOC_EXCHANGE_TRUSTS_LYNC}"
    ),
    references=(ref.PARTNER_APP_ONPREM_SFB, ref.CONFIGURE_PARTNER_APPS_SFB),
)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Candidate:
    """An application whose intended product is known, with the identifier it carries."""

    product: str
    app_id: Located[str]
    who: str
    key: str
    fix: str


def _lync_fix(model: Model, app: LyncPartnerApplication, product: str) -> str:
    """Create the application again from its own product's metadata, which sets the identifier.

    Its URL is kept when it already names that product's document; else Exchange's
    application reads the autodiscover host's. A SharePoint document elsewhere is not known.
    """
    identity = lync_identity(app)
    url = app.metadata_url.value.strip() if app.metadata_url is not None else ""
    parts = split_url(url)
    if parts is not None and url and is_metadata_path(product, parts.path):
        target: str | None = url
    elif product == "exchange":
        host = exchange_host(model)
        target = exchange_metadata_url(host) if host else None
    else:
        target = None
    if identity is None or target is None:
        return ""
    return lines(LYNC_SHELL, rebuild_lync_app(identity, target))


def _candidates(model: Model) -> list[_Candidate]:
    """Lync's applications for a known product, then Exchange's applications for Lync.

    Exchange's application for Lync is recognised by a metadata URL on a Lync pool or
    the `LyncEnterprise-` name `Configure-EnterprisePartnerApplication.ps1` gives it.
    """
    found: list[_Candidate] = []
    for app in model.lync_partner_applications:
        product = intended_product(app)
        app_id = app.application_identifier
        if product is not None and app_id is not None and has_text(app_id):
            who = f'partner application "{app.name}"'
            found.append(
                _Candidate(product, app_id, who, lync_key(app), _lync_fix(model, app, product))
            )
    pools = lync_pool_hosts(model)
    for exchange_app in model.exchange_partner_applications:
        url = exchange_app.auth_metadata_url
        on_pool = url is not None and bool(url.value) and url_host(url.value) in pools
        named = exchange_app_name(exchange_app).lower().startswith("lyncenterprise")
        app_id = exchange_app.application_identifier
        if (on_pool or named) and app_id is not None and has_text(app_id):
            who = f'Exchange partner application "{exchange_app_name(exchange_app)}"'
            pool = lync_pool_for(
                model, url_host(url.value) if url is not None and url.value else None
            )
            fix = lines(rebuild_exchange_app_for_lync(model, exchange_app, pool)) if pool else ""
            found.append(_Candidate("lync", app_id, who, exchange_key(exchange_app), fix))
    return found


def _examine(candidate: _Candidate) -> Issue | None:
    carried_id = candidate.app_id.value.strip()
    carried = KNOWN_IDS.get(carried_id.lower())
    if carried is None or carried == candidate.product:
        return None
    product = candidate.product
    return Issue(
        f"{candidate.who} is for {PRODUCT_NAMES[product]} but carries {PRODUCT_NAMES[carried]}'s "
        f"ApplicationIdentifier {carried_id} (expected {PRODUCT_IDS[product]})",
        candidate.app_id.loc,
        key=candidate.key,
        fix=candidate.fix,
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a partner application for one product that carries another product's identifier.

    Lync's applications are judged by identity (then metadata URL); Exchange's
    application for Lync by a metadata URL on a Lync pool or its `LyncEnterprise-` name.
    """
    return judge(_candidates(model), _examine)


RULE = Rule(
    code="PAP011",
    name="wrong-application-identifier",
    severity=Severity.WARNING,
    summary="A partner application for a well-known product carries another product's identifier",
    doc=DOC,
    check=check,
    requires=(EITHER_SIDE,),
)
