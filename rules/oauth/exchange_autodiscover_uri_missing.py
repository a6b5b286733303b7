"""OAU005 exchange-autodiscover-uri-missing: an Exchange Client Access service without its URI."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import ClientAccessService, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from ._common import NEEDS_CLIENT_ACCESS, judge

DOC = RuleDoc(
    what=(
        "Reports each server of `Get-ClientAccessService` (or the older "
        "`Get-ClientAccessServer`) whose `AutoDiscoverServiceInternalUri` is empty "
        "(Exchange exports an unset URI as `<Nil>`). On the Exchange side the URI "
        "rightly ends in `autodiscover.xml`; that is not reported."
    ),
    why=(
        "Domain-joined clients and Lync find Exchange through the service connection "
        "point this URI publishes. Left blank, Autodiscover lookups from inside the "
        "network fail or fall back to DNS guesses, and the Lync integration "
        "(unified contact store, archiving, calendar presence) breaks for users on "
        "that server."
    ),
    bad='<Nil N="AutoDiscoverServiceInternalUri" />',
    good='<URI N="AutoDiscoverServiceInternalUri">'
    "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml</URI>",
    fix=(
        "Set-ClientAccessService -Identity <server> -AutoDiscoverServiceInternalUri "
        '"https://autodiscover.<domain>/Autodiscover/Autodiscover.xml"'
    ),
    references=(ref.INTEGRATE_EXCHANGE_SFB, ref.SET_CLIENT_ACCESS_SERVICE),
)


def _empty_uri(service: ClientAccessService, _: ClientAccessService) -> Issue | None:
    uri = service.autodiscover_internal_uri
    if uri is not None and uri.value:
        return None
    name = service.name.value if service.name is not None else "(unnamed)"
    return Issue(
        f'Exchange Client Access service "{name}" has an empty AutoDiscoverServiceInternalUri',
        uri.loc if uri is not None else service.loc,
        key=f"client-access:{name.lower()}",
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an Exchange Client Access service without AutoDiscoverServiceInternalUri.

    Exchange writes an unset URI as `<Nil>`, which reads as None: here that is "empty".
    """
    return judge(model.client_access_services, lambda service: service, _empty_uri)


RULE = Rule(
    code="OAU005",
    name="exchange-autodiscover-uri-missing",
    severity=Severity.ERROR,
    summary="An Exchange Client Access service has an empty AutoDiscoverServiceInternalUri",
    check=check,
    doc=DOC,
    requires=(NEEDS_CLIENT_ACCESS,),
)
