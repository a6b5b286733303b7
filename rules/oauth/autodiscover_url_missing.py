"""OAU002 autodiscover-url-missing: Exchange integration without Lync's autodiscover URL."""

from __future__ import annotations

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Model, OAuthConfiguration
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.integration import (
    exchange_apps_for_lync,
    exchange_integration_configured,
    has_partner_exports,
    lync_apps_for,
)
from ._common import (
    AUTODISCOVER_KEY,
    OAUTH_EXPORT,
    OAUTH_SETTINGS,
    PARTNER_EXPORTS,
    SET_AUTODISCOVER_URL,
    autodiscover_url,
    judge,
)

DOC = RuleDoc(
    what=(
        "Reports an empty `ExchangeAutodiscoverUrl` in `Get-CsOAuthConfiguration` when "
        "Exchange integration is configured, that is when Lync has a partner "
        "application for Exchange or Exchange has a partner application for Lync "
        "(Lync's application identifier `00000004-0000-0ff1-ce00-000000000000`, or a "
        "metadata URL on a Lync pool). Exchange's applications for Exchange Online, "
        "Graph or Teams do not count. When neither side has one, the rule is "
        "evaluated with nothing to check."
    ),
    why=(
        "Without the URL Lync does not know where Exchange Web Services are: the "
        "unified contact store cannot migrate contacts, conversation history and "
        "meeting content are not archived in Exchange, and Outlook calendar "
        "information never reaches presence, although both sides trust each other."
    ),
    bad=OAUTH_SETTINGS + '<S N="ExchangeAutodiscoverUrl"></S>',
    good=OAUTH_SETTINGS
    + '<S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc</S>',
    fix=SET_AUTODISCOVER_URL,
    evidence=(
        "a Get-CsOAuthConfiguration export and a Get-CsPartnerApplication or "
        "Exchange Get-PartnerApplication export"
    ),
    references=(ref.INTEGRATE_EXCHANGE_SFB, ref.INTEGRATION_PREREQUISITES_LYNC),
)


def _integration_locations(model: Model) -> tuple[Location, ...]:
    """Return where the integration shows: the first partner application of each side."""
    sides = (lync_apps_for(model, "exchange"), exchange_apps_for_lync(model))
    return tuple(apps[0].loc for apps in sides if apps)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an empty ExchangeAutodiscoverUrl when Exchange integration is configured."""
    if not model.oauth_configurations:
        return not_evaluated(OAUTH_EXPORT)
    if not has_partner_exports(model):
        return not_evaluated(PARTNER_EXPORTS)
    if not exchange_integration_configured(model):
        return evaluated((), 0)  # nothing to check: neither side has an Exchange application
    related = _integration_locations(model)

    def empty(config: OAuthConfiguration, _: OAuthConfiguration) -> Issue | None:
        if autodiscover_url(config) is not None:
            return None
        url = config.exchange_autodiscover_url
        return Issue(
            "ExchangeAutodiscoverUrl is empty although Exchange integration is configured "
            "(an Exchange partner application exists); set it to "
            "https://<autodiscover host>/autodiscover/autodiscover.svc",
            url.loc if url is not None else config.loc,
            related=related,
            key=AUTODISCOVER_KEY,
        )

    return judge(model.oauth_configurations, lambda config: config, empty)


RULE = Rule(
    code="OAU002",
    name="autodiscover-url-missing",
    severity=Severity.ERROR,
    summary="Exchange integration is configured but Lync's ExchangeAutodiscoverUrl is empty",
    check=check,
    doc=DOC,
)
