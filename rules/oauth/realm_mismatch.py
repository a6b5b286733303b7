"""OAU004 realm-mismatch: Lync's OAuth realm, and the realms partner applications name."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import (
    ExchangePartnerApplication,
    Located,
    LyncPartnerApplication,
    Model,
    OAuthConfiguration,
    normalize_fqdn,
)
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from .._shared import references as ref
from .._shared.autodiscover import exchange_autodiscover_host
from .._shared.integration import (
    exchange_app_name,
    lync_onprem_exchange_apps,
    onprem_lync_apps_on_exchange,
)
from .._shared.powershell import argument, literal
from ._common import OAUTH_EXPORT, OAUTH_SETTINGS
from ._fixes import identity_of

DOC = RuleDoc(
    what=(
        "Reports a Lync OAuth `Realm` that is set and differs from the topology's "
        "default SIP domain. It also compares partner application realms with the "
        "realm of the partner they stand for: a `Realm` set on Exchange's partner "
        "application for on-premises Lync must be Lync's realm (the OAuth `Realm`, else "
        "the default SIP domain), and a `Realm` set on Lync's partner application for "
        "on-premises Exchange must be Exchange's (`Get-AuthConfig` `Realm`, when that is "
        "set). An empty partner `Realm` is accepted. Exchange's partner application for "
        "Exchange Online is HYB002's business, Lync's Exchange application that uses the "
        "OAuth server and Skype for Business Online's `SfBLegacy` are not compared, and "
        "SharePoint's realm (by default its farm ID) is not compared, since no SharePoint "
        "export is read. `Set-CsPartnerApplication` has no `-Realm`: on Lync's side the "
        "fix re-creates the application from Exchange's metadata, which carries "
        "Exchange's realm."
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
        "# $sipDomain: the topology's default SIP domain; $lyncApp: the name of Exchange's\n"
        "# partner application for Lync; $metadataUrl: Exchange's metadata document\n"
        "$sipDomain = 'litwareinc.com'\n"
        "$lyncApp = 'LyncEnterprise-6ed3786051be5bb9994218868e02a308'\n"
        "$metadataUrl = 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'\n"
        "# Lync's own realm\n"
        "Set-CsOAuthConfiguration -Identity global -Realm $sipDomain\n"
        "# Exchange Management Shell: Exchange's application for Lync names Lync's realm\n"
        "Set-PartnerApplication -Identity $lyncApp -Realm $sipDomain\n"
        "# Lync Server Management Shell: Set-CsPartnerApplication has no -Realm, so Lync's\n"
        "# application for Exchange is re-created from Exchange's metadata (its realm)\n"
        "Remove-CsPartnerApplication -Identity microsoft.exchange\n"
        "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full "
        "-MetadataUrl $metadataUrl"
    ),
    evidence=(
        "a Get-CsOAuthConfiguration export with the topology, or partner application "
        "exports (with Get-AuthConfig for Exchange's realm)"
    ),
    references=(ref.MANAGE_S2S_SFB, ref.PARTNER_APP_ONPREM_SFB, ref.NEW_CS_PARTNER_APPLICATION),
)


def _differs(realm: Located[str] | None, wanted: Located[str]) -> bool:
    """Tell whether a realm is set and names another realm than `wanted`."""
    if realm is None or not realm.value.strip():
        return False  # empty: the partner's own realm is accepted
    return normalize_fqdn(realm.value) != normalize_fqdn(wanted.value)


def _lync_realm_issue(
    model: Model, config: OAuthConfiguration, domain: Located[str]
) -> Issue | None:
    """Lync's OAuth Realm against the default SIP domain; the fix refreshes Exchange's copy."""
    realm = config.realm
    if realm is None or not _differs(realm, domain):
        return None
    refresh = [
        f"Set-PartnerApplication -Identity {argument(exchange_app_name(app))} -RefreshAuthMetadata"
        for app in onprem_lync_apps_on_exchange(model)
    ]
    fix = [
        f"Set-CsOAuthConfiguration -Identity {identity_of(config)} -Realm {argument(domain.value)}"
    ]
    if refresh:
        fix += ["# Exchange Management Shell: read Lync's metadata (its realm) again", *refresh]
    return Issue(
        f'Lync OAuth Realm "{realm.value}" differs from the default SIP domain "{domain.value}"',
        realm.loc,
        related=(domain.loc,),
        key="oauth-configuration:Realm",
        fix="\n".join(fix),
    )


def _exchange_side_issue(app: ExchangePartnerApplication, lync_realm: Located[str]) -> Issue | None:
    """Exchange's application for Lync must name Lync's realm when it names one."""
    if not _differs(app.realm, lync_realm) or app.realm is None:
        return None
    name = exchange_app_name(app)
    return Issue(
        f'Exchange partner application "{name}" (Lync) has Realm "{app.realm.value}", '
        f'but Lync\'s realm is "{lync_realm.value}"',
        app.realm.loc,
        related=(lync_realm.loc,),
        key=f"exchange-partner-application:{name.lower()}:Realm",
        fix=f"Set-PartnerApplication -Identity {argument(name)} -Realm {argument(lync_realm.value)}",
    )


def _recreate(model: Model, app: LyncPartnerApplication) -> str:
    """Return Lync's Remove/New pair that re-creates `app` from Exchange's metadata.

    The application's own metadata URL is kept when it has one; else Exchange's
    metadata document on the autodiscover host the bundle names. "" when neither is known.
    """
    url = app.metadata_url.value if app.metadata_url is not None else ""
    if not url:
        host = exchange_autodiscover_host(model)
        url = f"https://{host}/autodiscover/metadata/json/1" if host is not None else ""
    if not url:
        return ""
    level = app.application_trust_level.value if app.application_trust_level else "Full"
    return (
        "# Set-CsPartnerApplication has no -Realm: re-create the application from Exchange's "
        "metadata\n"
        f"Remove-CsPartnerApplication -Identity {argument(app.name)}\n"
        f"New-CsPartnerApplication -Identity {argument(app.name)} "
        f"-ApplicationTrustLevel {argument(level or 'Full')} -MetadataUrl {literal(url)}"
    )


def _lync_side_issue(
    model: Model, app: LyncPartnerApplication, exchange_realm: Located[str]
) -> Issue | None:
    """Lync's application for Exchange must name Exchange's realm when it names one."""
    if not _differs(app.realm, exchange_realm) or app.realm is None:
        return None
    return Issue(
        f'partner application "{app.name}" (Exchange) has Realm "{app.realm.value}", '
        f'but Exchange\'s realm (Get-AuthConfig) is "{exchange_realm.value}"',
        app.realm.loc,
        related=(exchange_realm.loc,),
        key=f"partner-application:{app.name.lower()}:Realm",
        fix=_recreate(model, app),
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a Lync Realm other than the default SIP domain, and partner realms that disagree.

    A partner application's Realm, when set, names the realm its partner issues tokens
    in: Lync's application for on-premises Exchange must carry Exchange's realm
    (`Get-AuthConfig` Realm, when that is set), Exchange's application for on-premises
    Lync must carry Lync's realm (the OAuth Realm, else the default SIP domain). Each
    comparison needs its own pair of exports, so the rule runs as soon as one pair is there.
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
    found: list[Issue | None] = []
    checked = 0
    if can_compare_lync and domain is not None:
        checked += len(configs)
        found += [_lync_realm_issue(model, config, domain) for config in configs]
    if can_compare_exchange_side and lync_effective is not None:
        apps = onprem_lync_apps_on_exchange(model)
        checked += len(apps)
        found += [_exchange_side_issue(app, lync_effective) for app in apps]
    if can_compare_lync_side:
        lync_apps = lync_onprem_exchange_apps(model)
        checked += len(lync_apps)
        if exchange_realm is not None:
            found += [_lync_side_issue(model, app, exchange_realm) for app in lync_apps]
    return evaluated([issue for issue in found if issue is not None], checked)


RULE = Rule(
    code="OAU004",
    name="realm-mismatch",
    severity=Severity.WARNING,
    summary="Lync's OAuth Realm differs from the default SIP domain, or partner realms disagree",
    check=check,
    doc=DOC,
)
