"""OAU004 realm-mismatch: Lync's OAuth realm, and the realms partner applications name."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import Located, Model, normalize_fqdn
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.integration import exchange_app_name, exchange_apps_for_lync, lync_apps_for
from ._common import OAUTH_EXPORT, OAUTH_SETTINGS

DOC = RuleDoc(
    what=(
        "Reports a Lync OAuth `Realm` that is set and differs from the topology's "
        "default SIP domain. It also compares partner application realms with the "
        "realm of the partner they stand for: a `Realm` set on Exchange's partner "
        "application for Lync must be Lync's realm (the OAuth `Realm`, else the "
        "default SIP domain), and a `Realm` set on Lync's partner application for "
        "Exchange must be Exchange's (`Get-AuthConfig` `Realm`, when that is set). An "
        "empty partner `Realm` is accepted. Exchange's partner application for "
        "Exchange Online is HYB002's business, and SharePoint's realm (by default "
        "its farm ID) is not compared, since no SharePoint export is read."
    ),
    why=(
        "A server-to-server token names its issuer as `<application id>@<realm>`; "
        "the receiving server accepts it only when that realm is the one it expects. "
        "With mismatched realms Exchange answers Lync with 401 (and the other way "
        "round): `Test-CsExStorageConnectivity` fails, the unified contact store "
        "and archiving to Exchange stop working. Lync uses the default SIP domain "
        "as its realm unless told otherwise."
    ),
    bad=OAUTH_SETTINGS + '<S N="Realm">contoso.com</S>  <!-- default SIP domain: '
    "litwareinc.com -->",
    good=OAUTH_SETTINGS + '<S N="Realm"></S>  <!-- or litwareinc.com -->',
    fix=(
        "Set-CsOAuthConfiguration -Identity global -Realm <default SIP domain>\n"
        "# or clear a partner application's realm so that the partner's own is used\n"
        'Set-PartnerApplication -Identity <name> -Realm ""'
    ),
    evidence=(
        "a Get-CsOAuthConfiguration export with the topology, or partner application "
        "exports (with Get-AuthConfig for Exchange's realm)"
    ),
    references=(ref.MANAGE_S2S_SFB, ref.PARTNER_APP_ONPREM_SFB),
)


def _partner_realm_issue(
    realm: Located[str] | None, what: str, expected: tuple[Located[str], str], key: str
) -> list[Issue]:
    """Compare a partner application's Realm (when set) with the realm it should name."""
    if realm is None or not realm.value.strip():
        return []  # empty: the partner's own realm is accepted
    wanted, whose = expected
    if normalize_fqdn(realm.value) == normalize_fqdn(wanted.value):
        return []
    return [
        Issue(
            f'{what} has Realm "{realm.value}", but {whose} is "{wanted.value}"',
            realm.loc,
            related=(wanted.loc,),
            key=f"{key}:Realm",
        )
    ]


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a Lync Realm other than the default SIP domain, and partner realms that disagree.

    A partner application's Realm, when set, names the realm its partner issues tokens
    in: Lync's application for Exchange must carry Exchange's realm (`Get-AuthConfig`
    Realm, when that is set), Exchange's application for Lync must carry Lync's realm
    (the OAuth Realm, else the default SIP domain). Each comparison needs its own pair
    of exports, so the rule runs as soon as one pair is there.
    """
    domain = model.default_sip_domain
    configs = model.oauth_configurations
    lync_realm = next((c.realm for c in configs if c.realm and c.realm.value.strip()), None)
    lync_effective = (lync_realm or domain) if configs else None
    exchange_realm = next(
        (c.realm for c in model.exchange_auth_configs if c.realm and c.realm.value.strip()), None
    )
    can_compare_lync = bool(configs) and domain is not None
    can_compare_exchange_side = bool(model.exchange_partner_applications) and bool(lync_effective)
    can_compare_lync_side = bool(model.lync_partner_applications and model.exchange_auth_configs)
    if not (can_compare_lync or can_compare_exchange_side or can_compare_lync_side):
        return not_evaluated(
            f"{OAUTH_EXPORT} with the topology (the default SIP domain), or partner "
            "application exports with the other side's realm (Get-CsOAuthConfiguration for "
            "Exchange's application for Lync, Get-AuthConfig for Lync's application for Exchange)"
        )
    issues: list[Issue] = []
    checked = 0
    if can_compare_lync and domain is not None:
        for config in configs:
            checked += 1
            realm = config.realm
            if realm is None or not realm.value.strip():
                continue  # empty: Lync uses the default SIP domain
            if normalize_fqdn(realm.value) != normalize_fqdn(domain.value):
                issues.append(
                    Issue(
                        f'Lync OAuth Realm "{realm.value}" differs from the default SIP domain '
                        f'"{domain.value}"',
                        realm.loc,
                        related=(domain.loc,),
                        key="oauth-configuration:Realm",
                    )
                )
    if can_compare_exchange_side and lync_effective is not None:
        for app in exchange_apps_for_lync(model):
            checked += 1
            name = exchange_app_name(app)
            issues += _partner_realm_issue(
                app.realm,
                f'Exchange partner application "{name}" (Lync)',
                (lync_effective, "Lync's realm"),
                f"exchange-partner-application:{name.lower()}",
            )
    if can_compare_lync_side:
        for lync_app in lync_apps_for(model, "exchange"):
            checked += 1
            if exchange_realm is not None:
                issues += _partner_realm_issue(
                    lync_app.realm,
                    f'partner application "{lync_app.name}" (Exchange)',
                    (exchange_realm, "Exchange's realm (Get-AuthConfig)"),
                    f"partner-application:{lync_app.name.lower()}",
                )
    return evaluated(issues, checked)


RULE = Rule(
    code="OAU004",
    name="realm-mismatch",
    severity=Severity.WARNING,
    summary="Lync's OAuth Realm differs from the default SIP domain, or partner realms disagree",
    check=check,
    doc=DOC,
)
