"""PAP008 partner-app-disabled: a disabled partner application refuses every token."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import ExchangePartnerApplication, LyncPartnerApplication, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.integration import (
    exchange_app_name,
    exchange_apps_for_lync,
    exchange_key,
    lync_apps_for,
)
from .._shared.judge import merged
from ._common import (
    DOC_IDENTITY,
    DOC_NAME,
    EITHER_SIDE,
    LYNC_APPS,
    is_off,
    judge,
    lync_app_issue,
)
from ._fixes import EXCHANGE_SHELL, LYNC_SHELL, lines, lync_identity, quoted

DOC = RuleDoc(
    what=(
        "Reports a disabled (`Enabled` false) partner application of the integration: "
        "Lync's applications for Exchange and SharePoint, and Exchange's application "
        "for Lync. Exchange's applications for Exchange Online, Microsoft Graph, "
        "Teams or cloud voicemail are not part of the Lync integration and are "
        "ignored, disabled or not."
    ),
    why=(
        "A disabled partner application keeps its configuration but its tokens are "
        "refused: the integration fails with 401 errors exactly as if it had never "
        "been configured, which is easy to miss because everything else looks right."
    ),
    bad=LYNC_APPS + '<S N="Identity">microsoft.exchange</S>\n<B N="Enabled">false</B>',
    good=LYNC_APPS + '<S N="Identity">microsoft.exchange</S>\n<B N="Enabled">true</B>',
    fix=(
        "# Skype for Business Server Management Shell: $identity is Lync's disabled application\n"
        f"{DOC_IDENTITY}\n"
        "Set-CsPartnerApplication -Identity $identity -Enabled $True\n"
        "# Exchange Management Shell: $name is Exchange's disabled application for Lync\n"
        f"{DOC_NAME}\n"
        "Set-PartnerApplication -Identity $name -Enabled $true"
    ),
    references=(ref.PARTNER_APPS_LYNC, ref.SET_PARTNER_APPLICATION, ref.MANAGE_S2S_SFB),
)


def _examine_lync(app: LyncPartnerApplication) -> Issue | None:
    if app.enabled is None or not is_off(app.enabled):
        return None
    identity = lync_identity(app)
    fix = (
        lines(LYNC_SHELL, f"Set-CsPartnerApplication -Identity {quoted(identity)} -Enabled $True")
        if identity
        else ""
    )
    return lync_app_issue(app, "is disabled", app.enabled.loc, fix=fix)


def _examine_exchange(app: ExchangePartnerApplication) -> Issue | None:
    if app.enabled is None or not is_off(app.enabled):
        return None
    return Issue(
        f'Exchange partner application "{exchange_app_name(app)}" (Lync) is disabled',
        app.enabled.loc,
        key=exchange_key(app),
        fix=lines(
            EXCHANGE_SHELL,
            f"Set-PartnerApplication -Identity {quoted(exchange_app_name(app))} -Enabled $true",
        ),
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag disabled partner applications of the integration (both sides).

    An application whose `Enabled` flag was not exported is not counted.
    """
    lync_side = (a for a in lync_apps_for(model, "exchange", "sharepoint") if a.enabled is not None)
    exchange_side = (a for a in exchange_apps_for_lync(model) if a.enabled is not None)
    return merged(judge(lync_side, _examine_lync), judge(exchange_side, _examine_exchange))


RULE = Rule(
    code="PAP008",
    name="partner-app-disabled",
    severity=Severity.WARNING,
    summary="A partner application needed for the integration is disabled",
    doc=DOC,
    check=check,
    requires=(EITHER_SIDE,),
)
