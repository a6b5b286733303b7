"""HYB002 exchange-online-realm-not-empty: Exchange's application for Exchange Online has a Realm."""

from __future__ import annotations

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Severity
from s2slint.model import ExchangePartnerApplication, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.integration import exchange_app_name
from .._shared.judge import judge
from .._shared.powershell import argument
from ._common import is_exchange_online_app

DOC = RuleDoc(
    what=(
        "Reports Exchange's partner application for Exchange Online (application "
        "identifier `00000002-0000-0ff1-ce00-000000000000` with `UseAuthServer` "
        "true, named `Exchange Online` by the Hybrid Configuration Wizard) whose "
        "`Realm` is not empty. Exchange's application for Lync is not this rule's "
        "business (see OAU004)."
    ),
    why=(
        "Exchange Online's tokens come through the authorization server with the "
        "tenant's realm; an on-premises partner application with a fixed realm "
        "matches no token, so free/busy lookups and other "
        "cross-premises features (such as the Teams calendar) fail with 401 errors "
        "(the Microsoft free/busy troubleshooter checks for exactly this)."
    ),
    bad='<S N="Name">Exchange Online</S>\n'
    '<S N="ApplicationIdentifier">00000002-0000-0ff1-ce00-000000000000</S>\n'
    '<S N="Realm">litwareinc.com</S>\n<B N="UseAuthServer">true</B>',
    good='<S N="Name">Exchange Online</S>\n'
    '<S N="ApplicationIdentifier">00000002-0000-0ff1-ce00-000000000000</S>\n'
    '<S N="Realm"></S>\n<B N="UseAuthServer">true</B>',
    fix='Set-PartnerApplication -Identity "Exchange Online" -Realm ""',
    references=(ref.SET_PARTNER_APPLICATION, ref.MANAGE_S2S_SFB),
)


def _set_realm(app: ExchangePartnerApplication, _: ExchangePartnerApplication) -> Issue | None:
    if app.realm is None or not app.realm.value.strip():
        return None
    name = exchange_app_name(app)
    return Issue(
        f'Exchange partner application "{name}" (Exchange Online) has Realm '
        f'"{app.realm.value}"; it must be empty',
        app.realm.loc,
        key=f"exchange-partner-application:{name.lower()}",
        fix=f"Set-PartnerApplication -Identity {argument(name)} -Realm ''",
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Exchange's partner application for Exchange Online with a non-empty Realm."""
    return judge(
        model.exchange_partner_applications,
        lambda app: app if is_exchange_online_app(app) else None,
        _set_realm,
    )


RULE = Rule(
    code="HYB002",
    name="exchange-online-realm-not-empty",
    severity=Severity.WARNING,
    summary="Exchange's partner application for Exchange Online has a non-empty Realm",
    check=check,
    doc=DOC,
    requires=(any_of(Export.EXCHANGE_PARTNER_APPLICATIONS),),
)
