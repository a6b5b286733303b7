"""What the PAP rules share: the judging loop, message builders, wording and doc snippets.

Private to the family: a rule module imports from here and from `rules._shared`, never
from another rule module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location
from s2slint.model import ExchangePartnerApplication, Located, LyncPartnerApplication, Model
from s2slint.rule import Evaluated

from .._shared.integration import (
    PRODUCT_IDS,
    PRODUCT_NAMES,
    exchange_app_name,
    exchange_apps_for_lync,
    exchange_key,
    lync_key,
)
from .._shared.judge import judge as shared_judge
from .._shared.urls import url_path

T = TypeVar("T")

LYNC_SIDE = any_of(Export.LYNC_PARTNER_APPLICATIONS)
"""Lync's partner applications: "a Get-CsPartnerApplication export"."""
EXCHANGE_SIDE = any_of(Export.EXCHANGE_PARTNER_APPLICATIONS)
"""Exchange's partner applications: "an Exchange Get-PartnerApplication export"."""
EITHER_EXPORT = "a Get-CsPartnerApplication or Exchange Get-PartnerApplication export"
"""Said by the rules that look at the partner applications of both sides."""

EITHER_SIDE = any_of(
    Export.LYNC_PARTNER_APPLICATIONS, Export.EXCHANGE_PARTNER_APPLICATIONS, say=EITHER_EXPORT
)
"""The requirement of a rule that judges whichever side's partner applications it is given."""


# ---------------------------------------------------------------------- the judging loop


def judge(items: Iterable[T], examine: Callable[[T], Issue | None]) -> Evaluated:
    """Examine every item whose facts are known; count them and keep the issues found.

    The caller passes only the items the export tells enough about (an application
    whose trust level was not exported is unknown, never assumed right): each one is
    counted as checked, and `examine` returns its issue or None when it passes.
    """
    return shared_judge(items, lambda item: item, lambda item, _: examine(item))


# -------------------------------------------------------------------- which product


KNOWN_IDS = {app_id: product for product, app_id in PRODUCT_IDS.items()}
"""Which product a well-known identifier belongs to."""


def intended_product(app: LyncPartnerApplication) -> str | None:
    """Tell which product a Lync partner application stands for, ignoring its identifier.

    The identity decides ("microsoft.exchange", "Exchange", "microsoft.sharepoint"), else
    the shape of the metadata URL (`/autodiscover/metadata/` is Exchange's,
    `/_layouts/` SharePoint's). Used where the identifier itself is being judged.
    """
    ident = app.identity.value.lower() if app.identity is not None else ""
    for product in ("exchange", "sharepoint"):
        if product in ident:
            return product
    path = url_path(app.metadata_url.value) if app.metadata_url is not None else ""
    if "/autodiscover/metadata/" in path:
        return "exchange"
    if "/_layouts/" in path or path.endswith("jsonmetadata.ashx"):
        return "sharepoint"
    return None


def stands_for(app: LyncPartnerApplication) -> str | None:
    """The product a Lync application is for: its identity or URL says it, else its identifier.

    What the application is *meant* to trust decides which metadata document it should
    read and which host serves it; a wrong identifier is PAP011's finding, not a reason
    for the other rules to judge the application as another product's.
    """
    return intended_product(app) or app.product


def carries_wrong_identifier(app: LyncPartnerApplication) -> bool:
    """Tell whether a Lync application carries another well-known product's identifier."""
    intended = intended_product(app)
    app_id = app.application_identifier.value.strip().lower() if app.application_identifier else ""
    carried = KNOWN_IDS.get(app_id)
    return intended is not None and carried is not None and carried != intended


# ------------------------------------------------------------------------------ messages


def lync_app_issue(
    app: LyncPartnerApplication,
    says: str,
    where: Location,
    related: tuple[Location, ...] = (),
    fix: str = "",
) -> Issue:
    """Report a Lync partner application of the integration, naming it and its product.

    `says` completes `partner application "microsoft.exchange" (Exchange) ...`.
    """
    product = PRODUCT_NAMES[stands_for(app) or ""]
    return Issue(
        f'partner application "{app.name}" ({product}) {says}',
        where,
        related=related,
        key=lync_key(app),
        fix=fix,
    )


# ----------------------------------------------------------------------- metadata URLs


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class PartnerUrl:
    """A metadata URL of either side, with the application and whose metadata it names.

    `product` is the product that publishes the metadata the application should read:
    "exchange" or "sharepoint" for Lync's applications (by `stands_for`; None for a third
    party's),
    "lync" for Exchange's application for Lync. Exactly one of `lync_app` and
    `exchange_app` is set.
    """

    who: str
    url: Located[str]
    key: str
    product: str | None
    lync_app: LyncPartnerApplication | None = None
    exchange_app: ExchangePartnerApplication | None = None


def partner_urls(model: Model) -> Iterator[PartnerUrl]:
    """Yield the metadata URLs of Lync's partner applications, then of Exchange's for Lync."""
    for app in model.lync_partner_applications:
        url = app.metadata_url
        if url is not None and url.value:
            who = f'partner application "{app.name}"'
            yield PartnerUrl(who, url, lync_key(app), stands_for(app), lync_app=app)
    for exchange_app in exchange_apps_for_lync(model):
        url = exchange_app.auth_metadata_url
        if url is not None and url.value:
            who = f'Exchange partner application "{exchange_app_name(exchange_app)}"'
            key = exchange_key(exchange_app)
            yield PartnerUrl(who, url, key, "lync", exchange_app=exchange_app)


def is_off(flag: Located[bool] | None) -> bool:
    """Tell whether an exported `Enabled` flag says the application is disabled."""
    return flag is not None and flag.value is False


def given(value: Located[str] | None) -> bool:
    """Tell whether a property was exported with a value (an empty string is not one)."""
    return value is not None and bool(value.value)


def has_text(value: Located[str] | None) -> bool:
    """Tell whether a property was exported with a value that is not blank."""
    return value is not None and bool(value.value.strip())


# ------------------------------------------------------------------ metadata documents

LYNC_PATH = "/metadata/json/1"
EXCHANGE_PATH = "/autodiscover/metadata/json/1"
SHAREPOINT_PATHS = ("/_layouts/15/metadata/json/1", "/jsonmetadata.ashx")
"""SharePoint's document, under a site's `_layouts`, or the `jsonmetadata.ashx` handler."""


def is_metadata_path(product: str | None, path: str) -> bool:
    """Tell whether `path` is the metadata document of `product` (case and one "/" aside)."""
    path = path.lower()
    if path.endswith("/"):
        path = path[:-1]
    if product == "lync":
        return path == LYNC_PATH
    if product == "exchange":
        return path == EXCHANGE_PATH
    if product == "sharepoint":
        return path.endswith(SHAREPOINT_PATHS)
    return path.endswith(LYNC_PATH)


# -------------------------------------------------------------------- documentation text

LYNC_APPS = "<!-- Get-CsPartnerApplication | Export-Clixml -->\n"
EXCHANGE_APPS = "<!-- Get-PartnerApplication | Export-Clixml (Exchange) -->\n"
EXCHANGE_METADATA = "https://autodiscover.litwareinc.com/autodiscover/metadata/json/1"
LYNC_METADATA = "https://atl-cs-001.litwareinc.com/metadata/json/1"
DOC_IDENTITY = "$identity = 'microsoft.exchange'"
"""The example value of `$identity` in the documented fixes (Lync's application)."""
DOC_NAME = "$name = 'LyncEnterprise-2f4c9e1a7b3d4e5f8a6b0c1d2e3f4a5b'"
"""The example value of `$name` (Exchange's application for Lync, as Get-PartnerApplication names it)."""
DOC_METADATA_URL = (
    "$metadataUrl = 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'"
)
DOC_POOL_METADATA_URL = "$poolMetadataUrl = 'https://atl-cs-001.litwareinc.com/metadata/json/1'"
DOC_EXCHANGE_TRUSTS_LYNC = (
    "cd $exscripts\n"
    ".\\Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl $poolMetadataUrl "
    "-ApplicationType Lync\n"
    "$server = 'atl-exch-001.litwareinc.com'\n"
    "iisreset $server"
)
"""Exchange trusts Lync's pool, then IIS restarts (on every Exchange server: `$server`)."""
