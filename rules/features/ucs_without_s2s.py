"""FEA001 ucs-without-s2s: the unified contact store is allowed without S2S with Exchange."""

from __future__ import annotations

from s2slint.evidence import Export, any_of
from s2slint.findings import Severity
from s2slint.model import Model, UserServicesPolicy
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.powershell import argument, literal
from ._common import CONFIGURE_S2S, WHAT_COUNTS, feature_without_s2s, identity

INVOKE_CS_UCS_ROLLBACK = (
    "https://learn.microsoft.com/en-us/powershell/module/skype/invoke-csucsrollback"
)

DOC = RuleDoc(
    what=(
        "Reports each user services policy (`Get-CsUserServicesPolicy`, global, site "
        "or per-user) with `UcsAllowed` true while on-premises Exchange integration is "
        "configured, at least partly, but server-to-server authentication with Exchange "
        "is not fully configured, and lists what is missing. " + WHAT_COUNTS + " To keep "
        "contacts in Lync instead, `UcsAllowed $False` stops new migrations only: "
        "`Invoke-CsUcsRollback` moves back the contacts of users already migrated."
    ),
    why=(
        "`UcsAllowed` is true in the global policy by default, so every user is "
        "meant to move their contacts to Exchange at the next sign-in. Without "
        "server-to-server authentication the migration never completes: contacts "
        "stay in Lync, `Test-CsUnifiedContactStore` fails, and clients may show an "
        "empty or read-only contact list while the move keeps being retried."
    ),
    bad='<S N="Identity">Global</S>\n<B N="UcsAllowed">true</B>\n'
    "<!-- and Exchange has no partner application for Lync -->",
    good='<S N="Identity">Global</S>\n<B N="UcsAllowed">true</B>\n'
    "<!-- with microsoft.exchange and Exchange's application for Lync in place -->",
    fix=(
        CONFIGURE_S2S + "# or keep contacts in Lync until it is done: stop new migrations,\n"
        "# then move back the users already migrated (here: those of the global policy)\n"
        "Set-CsUserServicesPolicy -Identity global -UcsAllowed $False\n"
        "Get-CsUser -Filter {UserServicesPolicy -eq $Null} | Invoke-CsUcsRollback"
    ),
    evidence=(
        "Get-CsOAuthConfiguration and partner application exports when a policy allows "
        "the unified contact store"
    ),
    references=(
        ref.MANAGE_S2S_SFB,
        ref.INTEGRATE_EXCHANGE_SFB,
        ref.SET_CS_USER_SERVICES_POLICY,
        INVOKE_CS_UCS_ROLLBACK,
    ),
)


def _keep_contacts_in_lync(policy: UserServicesPolicy) -> list[str]:
    """Stop migrations under this policy and roll back the users it covers.

    Users of a tag policy carry its name; users of the global or a site policy have no
    policy of their own (a site's users are among them: narrow by pool if need be).
    """
    name = identity(policy)
    scope, _, tag = name.partition(":")
    users = (
        f"UserServicesPolicy -eq {literal(tag)}"
        if scope.lower() == "tag" and tag
        else "UserServicesPolicy -eq $Null"
    )
    return [
        "# or keep contacts in Lync until it is done: UcsAllowed $False stops new migrations,",
        "# Invoke-CsUcsRollback moves back the contacts of users already migrated",
        f"Set-CsUserServicesPolicy -Identity {argument(name)} -UcsAllowed $False",
        f"Get-CsUser -Filter {{{users}}} | Invoke-CsUcsRollback",
    ]


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag user services policies that allow the unified contact store without S2S."""
    return feature_without_s2s(
        model,
        model.user_services_policies,
        lambda policy: policy.ucs_allowed,
        'user services policy "{}" allows the unified contact store',
        "user-services-policy",
        _keep_contacts_in_lync,
    )


RULE = Rule(
    code="FEA001",
    name="ucs-without-s2s",
    severity=Severity.ERROR,
    summary="The unified contact store is enabled but S2S authentication with Exchange is not",
    check=check,
    doc=DOC,
    requires=(any_of(Export.USER_SERVICES_POLICIES),),
)
