"""OAU002 autodiscover-url-missing: on-premises Exchange integration without Lync's URL."""

from __future__ import annotations

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Model, OAuthConfiguration
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, not_applicable, not_evaluated

from .._shared import references as ref
from .._shared.autodiscover import exchange_autodiscover_host
from .._shared.integration import (
    ONPREM_EXCHANGE_NOT_CONFIGURED,
    ONPREM_EXCHANGE_UNKNOWN,
    has_partner_exports,
    lync_onprem_exchange_apps,
    onprem_exchange_integration,
    onprem_lync_apps_on_exchange,
)
from .._shared.judge import judge
from ._common import (
    AUTODISCOVER_KEY,
    NEEDS_OAUTH,
    OAUTH_SETTINGS,
    SET_AUTODISCOVER_URL,
    autodiscover_url,
)
from ._fixes import set_autodiscover_url

DOC = RuleDoc(
    what=(
        "Reports an empty `ExchangeAutodiscoverUrl` in `Get-CsOAuthConfiguration` when "
        "on-premises Exchange integration is configured: Lync has a partner application "
        "for Exchange that does not use the OAuth server (a metadata URL or a "
        "certificate), or Exchange has a partner application for on-premises Lync (a "
        "metadata URL on a Lync pool, or Lync's application identifier "
        "`00000004-0000-0ff1-ce00-000000000000` without `UseAuthServer`). Exchange's "
        "applications for Exchange Online, Graph or Teams and Skype for Business "
        "Online's `SfBLegacy` do not count, nor does Lync's Exchange application with "
        "`UseOAuthServer` (Exchange Online): without an on-premises trust the rule is not "
        "applicable. The fix names the host of Exchange's own "
        "`AutoDiscoverServiceInternalUri` when the bundle has it."
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
    evidence=ONPREM_EXCHANGE_UNKNOWN,
    references=(ref.INTEGRATE_EXCHANGE_SFB, ref.INTEGRATION_PREREQUISITES_LYNC),
)


def _integration_locations(model: Model) -> tuple[Location, ...]:
    """Return where the on-premises integration shows: the first application of each side."""
    sides = (lync_onprem_exchange_apps(model), onprem_lync_apps_on_exchange(model))
    return tuple(apps[0].loc for apps in sides if apps)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an empty ExchangeAutodiscoverUrl when on-premises Exchange integration is configured."""
    if not has_partner_exports(model):
        return not_evaluated(ONPREM_EXCHANGE_UNKNOWN)
    if not onprem_exchange_integration(model):
        return not_applicable(ONPREM_EXCHANGE_NOT_CONFIGURED)
    related = _integration_locations(model)
    host = exchange_autodiscover_host(model)

    def empty(config: OAuthConfiguration, _: OAuthConfiguration) -> Issue | None:
        if autodiscover_url(config) is not None:
            return None
        url = config.exchange_autodiscover_url
        return Issue(
            "ExchangeAutodiscoverUrl is empty although on-premises Exchange integration is "
            "configured (an Exchange partner application exists); set it to "
            + (
                f"https://{host}/autodiscover/autodiscover.svc"
                if host
                else "the Autodiscover service"
            ),
            url.loc if url is not None else config.loc,
            related=related,
            key=AUTODISCOVER_KEY,
            fix=set_autodiscover_url(config, host) if host is not None else "",
        )

    return judge(model.oauth_configurations, lambda config: config, empty)


RULE = Rule(
    code="OAU002",
    name="autodiscover-url-missing",
    severity=Severity.ERROR,
    summary="On-premises Exchange integration is configured but Lync's ExchangeAutodiscoverUrl is empty",
    check=check,
    doc=DOC,
    requires=(NEEDS_OAUTH,),
)
