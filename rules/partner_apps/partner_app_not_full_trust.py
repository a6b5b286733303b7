"""PAP001 partner-app-not-full-trust: Lync must trust Exchange and SharePoint fully."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Located, LyncPartnerApplication, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.integration import lync_apps_for
from ._common import LYNC_SIDE, judge, lync_app_issue
from ._fixes import LYNC_SHELL, lines, lync_identity, quoted

_TRUST = '<Obj N="ApplicationTrustLevel" RefId="2"> ... <ToString>{}</ToString>'

DOC = RuleDoc(
    what=(
        "Reports a Lync partner application for Exchange or SharePoint (recognised by "
        "its application identifier, identity or metadata URL) whose "
        "`ApplicationTrustLevel` is not `Full`. The valid levels are `Full` (the "
        "default), `Application` and `User`."
    ),
    why=(
        "Exchange calls Lync on behalf of users (for example to read and write the "
        "unified contact store, or for archiving). With `Application` or `User` trust, "
        "Lync rejects tokens that act for a user, and the features fail with 401 "
        "errors although the certificates and metadata are right."
    ),
    bad='<S N="Identity">microsoft.exchange</S>\n' + _TRUST.format("Application"),
    good='<S N="Identity">microsoft.exchange</S>\n' + _TRUST.format("Full"),
    fix=(
        "# Skype for Business Server Management Shell: $identity is the application the\n"
        "# finding names (microsoft.exchange or microsoft.sharepoint)\n"
        "$identity = 'microsoft.exchange'\n"
        "Set-CsPartnerApplication -Identity $identity -ApplicationTrustLevel Full"
    ),
    references=(ref.PARTNER_APPS_LYNC, ref.PARTNER_APP_ONPREM_SFB, ref.MANAGE_S2S_SFB),
)


def _examine(item: tuple[LyncPartnerApplication, Located[str]]) -> Issue | None:
    app, trust = item
    if trust.value.strip().lower() == "full":
        return None
    identity = lync_identity(app)
    fix = (
        lines(
            LYNC_SHELL,
            f"Set-CsPartnerApplication -Identity {quoted(identity)} -ApplicationTrustLevel Full",
        )
        if identity
        else ""
    )
    return lync_app_issue(
        app,
        f'has ApplicationTrustLevel "{trust.value}"; the integration needs "Full"',
        trust.loc,
        fix=fix,
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Exchange and SharePoint partner applications without Full trust.

    An application whose trust level was not exported is unknown, never assumed right
    or wrong.
    """
    exported = (
        (app, trust)
        for app in lync_apps_for(model, "exchange", "sharepoint")
        if (trust := app.application_trust_level) is not None and trust.value
    )
    return judge(exported, _examine)


RULE = Rule(
    code="PAP001",
    name="partner-app-not-full-trust",
    severity=Severity.ERROR,
    summary="A Lync partner application for Exchange or SharePoint lacks Full trust",
    doc=DOC,
    check=check,
    requires=(LYNC_SIDE,),
)
