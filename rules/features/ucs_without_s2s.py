"""FEA001 ucs-without-s2s: the unified contact store is allowed without S2S with Exchange."""

from __future__ import annotations

from s2slint.findings import Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, not_evaluated

from .._shared import references as ref
from ._common import CONFIGURE_S2S, WHAT_COUNTS, feature_without_s2s

DOC = RuleDoc(
    what=(
        "Reports each user services policy (`Get-CsUserServicesPolicy`, global, site "
        "or per-user) with `UcsAllowed` true while server-to-server authentication "
        "with Exchange is not fully configured, and lists what is missing. " + WHAT_COUNTS
    ),
    why=(
        "`UcsAllowed` is true in the global policy by default, so every user is "
        "meant to move their contacts to Exchange at the next sign-in. Without "
        "server-to-server authentication the migration never completes: contacts "
        "stay in Lync, `Test-CsUnifiedContactStore` fails, and clients may show an "
        "empty or read-only contact list while the move keeps being retried."
    ),
    bad='<S N="Identity">Global</S>\n<B N="UcsAllowed">true</B>\n'
    "<!-- and Lync has no partner application for Exchange -->",
    good='<S N="Identity">Global</S>\n<B N="UcsAllowed">true</B>\n'
    "<!-- with microsoft.exchange and Exchange's application for Lync in place -->",
    fix=(
        CONFIGURE_S2S + "# or keep contacts in Lync until it is done\n"
        "Set-CsUserServicesPolicy -Identity global -UcsAllowed $False"
    ),
    evidence=(
        "a Get-CsUserServicesPolicy export, and Get-CsOAuthConfiguration and "
        "Get-CsPartnerApplication exports when a policy allows the unified contact store"
    ),
    references=(
        ref.MANAGE_S2S_SFB,
        ref.INTEGRATE_EXCHANGE_SFB,
        ref.SET_CS_USER_SERVICES_POLICY,
    ),
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag user services policies that allow the unified contact store without S2S."""
    if not model.user_services_policies:
        return not_evaluated("a Get-CsUserServicesPolicy export")
    return feature_without_s2s(
        model,
        model.user_services_policies,
        lambda policy: policy.ucs_allowed,
        'user services policy "{}" allows the unified contact store',
        "user-services-policy",
    )


RULE = Rule(
    code="FEA001",
    name="ucs-without-s2s",
    severity=Severity.ERROR,
    summary="The unified contact store is enabled but S2S authentication with Exchange is not",
    check=check,
    doc=DOC,
)
