"""PAP007 exchange-metadata-host-mismatch: Lync should read Exchange's metadata from autodiscover."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Located, LyncPartnerApplication, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, not_evaluated

from .._shared import references as ref
from .._shared.integration import autodiscover_host, lync_apps_for
from .._shared.urls import url_host
from ._common import EXCHANGE_METADATA, LYNC_APPS, LYNC_EXPORT, judge, lync_app_issue

DOC = RuleDoc(
    what=(
        "Compares the host of the metadata URL of Lync's partner application for "
        "Exchange with the autodiscover host (from Lync's `ExchangeAutodiscoverUrl`, "
        "else `autodiscover.<default SIP domain>`) and reports when they differ. An "
        "application trusted through an OAuth server (no metadata URL) is not "
        "looked at."
    ),
    why=(
        "Exchange publishes its metadata at "
        "`https://<autodiscover host>/autodiscover/metadata/json/1`. A single "
        "server's name works until that server is retired or out of service, and a "
        "name that differs from the one Lync uses for Autodiscover often means one "
        "of the two points at the wrong Exchange organisation or an old server."
    ),
    bad=LYNC_APPS + '<S N="AuthToken">Value=https://atl-exch-001.litwareinc.com/'
    "autodiscover/metadata/json/1</S>",
    good=LYNC_APPS + f'<S N="AuthToken">Value={EXCHANGE_METADATA}</S>',
    fix=(
        "Set-CsPartnerApplication -Identity microsoft.exchange "
        '-MetadataUrl "https://autodiscover.<domain>/autodiscover/metadata/json/1"'
    ),
    evidence=(
        "a Get-CsPartnerApplication export and the autodiscover host "
        "(Get-CsOAuthConfiguration or topology)"
    ),
    references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.PARTNER_APPS_LYNC),
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Lync's Exchange partner application whose metadata host is not the autodiscover host."""
    if not model.lync_partner_applications:
        return not_evaluated(LYNC_EXPORT)
    found = autodiscover_host(model)
    if found is None:
        return not_evaluated(
            "the autodiscover host: an ExchangeAutodiscoverUrl (Get-CsOAuthConfiguration) "
            "or a default SIP domain (topology)"
        )
    autodiscover, source = found
    related = (source,) if source is not None else ()

    def examine(item: tuple[LyncPartnerApplication, Located[str]]) -> Issue | None:
        app, url = item
        host = url_host(url.value)
        if host == autodiscover:
            return None
        return lync_app_issue(
            app,
            f'reads metadata from "{host or url.value}", not from the autodiscover host '
            f'"{autodiscover}"',
            url.loc,
            related,
        )

    with_metadata = (
        (app, url)
        for app in lync_apps_for(model, "exchange")
        if (url := app.metadata_url) is not None and url.value
    )
    return judge(with_metadata, examine)


RULE = Rule(
    code="PAP007",
    name="exchange-metadata-host-mismatch",
    severity=Severity.WARNING,
    summary="Lync's Exchange partner application reads metadata from another host than autodiscover",
    doc=DOC,
    check=check,
)
