"""PAP: partner applications Lync trusts (`Get-CsPartnerApplication`)."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from . import references as ref

PRODUCT_NAMES = {"exchange": "Exchange", "sharepoint": "SharePoint"}


def check_not_full_trust(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Exchange and SharePoint partner applications without Full trust."""
    if not model.lync_partner_applications:
        return not_evaluated("a Get-CsPartnerApplication export")
    apps = [a for a in model.lync_partner_applications if a.product in PRODUCT_NAMES]
    if not apps:
        return not_evaluated(
            "an Exchange or SharePoint partner application in the Get-CsPartnerApplication export"
        )
    issues = []
    checked = 0
    for app in apps:
        trust = app.application_trust_level
        if trust is None or not trust.value:
            continue  # not exported: unknown, never assumed
        checked += 1
        if trust.value.strip().lower() != "full":
            product = PRODUCT_NAMES[app.product or ""]
            issues.append(
                Issue(
                    f'partner application "{app.name}" ({product}) has ApplicationTrustLevel '
                    f'"{trust.value}"; the integration needs "Full"',
                    trust.loc,
                    key=f"partner-application:{app.name.lower()}",
                )
            )
    if checked == 0:
        return not_evaluated(
            "the ApplicationTrustLevel of the Exchange or SharePoint partner application"
        )
    return evaluated(issues, checked)


RULES = (
    Rule(
        code="PAP001",
        name="partner-app-not-full-trust",
        severity=Severity.ERROR,
        summary="A Lync partner application for Exchange or SharePoint lacks Full trust",
        check=check_not_full_trust,
        doc=RuleDoc(
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
            bad='<S N="Identity">microsoft.exchange</S>\n'
            '<Obj N="ApplicationTrustLevel" RefId="2"> ... <ToString>Application</ToString>',
            good='<S N="Identity">microsoft.exchange</S>\n'
            '<Obj N="ApplicationTrustLevel" RefId="2"> ... <ToString>Full</ToString>',
            fix="Set-CsPartnerApplication -Identity <id> -ApplicationTrustLevel Full",
            evidence="a Get-CsPartnerApplication export with the Exchange or SharePoint application",
            references=(ref.PARTNER_APPS_LYNC, ref.PARTNER_APP_ONPREM_SFB, ref.MANAGE_S2S_SFB),
        ),
    ),
)
