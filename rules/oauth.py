"""OAU: Lync's OAuth configuration (`Get-CsOAuthConfiguration`) and Exchange's counterpart."""

from __future__ import annotations

from s2slint.findings import Issue, Location, Severity
from s2slint.model import (
    Located,
    Model,
    normalize_fqdn,
)
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from ._shared import references as ref
from ._shared.integration import (
    PRODUCT_IDS,
    PRODUCT_NAMES,
    exchange_app_name,
    exchange_apps_for_lync,
    exchange_integration_configured,
    has_partner_exports,
    lync_apps_for,
)
from ._shared.urls import (
    SVC_PATH,
    autodiscover_url_problem,
    points_to_xml,
    svc_url_for,
    url_host,
)

_OAUTH_EXPORT = "a Get-CsOAuthConfiguration export"
_AUTODISCOVER_KEY = "oauth-configuration:ExchangeAutodiscoverUrl"
_PARTNER_EXPORTS = "a Get-CsPartnerApplication or Exchange Get-PartnerApplication export"


# ---------------------------------------------------------------------------- checks


def check_autodiscover_xml(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an ExchangeAutodiscoverUrl that ends in autodiscover.xml."""
    configs = model.oauth_configurations
    if not configs:
        return not_evaluated(_OAUTH_EXPORT)
    issues = []
    for config in configs:
        url = config.exchange_autodiscover_url
        if url is not None and url.value and points_to_xml(url.value):
            issues.append(
                Issue(
                    f"ExchangeAutodiscoverUrl points to autodiscover.xml; use {svc_url_for(url.value)}",
                    url.loc,
                    key=_AUTODISCOVER_KEY,
                )
            )
    return evaluated(issues, len(configs))


def check_autodiscover_missing(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an empty ExchangeAutodiscoverUrl when Exchange integration is configured."""
    if not model.oauth_configurations:
        return not_evaluated(_OAUTH_EXPORT)
    if not has_partner_exports(model):
        return not_evaluated(_PARTNER_EXPORTS)
    if not exchange_integration_configured(model):
        return evaluated((), 0)
    related = _integration_locations(model)
    issues = []
    for config in model.oauth_configurations:
        url = config.exchange_autodiscover_url
        if url is not None and url.value:
            continue
        where = url.loc if url is not None else config.loc
        issues.append(
            Issue(
                "ExchangeAutodiscoverUrl is empty although Exchange integration is configured "
                "(an Exchange partner application exists); set it to "
                "https://<autodiscover host>/autodiscover/autodiscover.svc",
                where,
                related=related,
                key=_AUTODISCOVER_KEY,
            )
        )
    return evaluated(issues, len(model.oauth_configurations))


def _integration_locations(model: Model) -> tuple[Location, ...]:
    """Return where the integration shows: the first partner application of each side."""
    sides = (lync_apps_for(model, "exchange"), exchange_apps_for_lync(model))
    return tuple(apps[0].loc for apps in sides if apps)


def check_autodiscover_malformed(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an ExchangeAutodiscoverUrl that is not https://<host>/autodiscover/autodiscover.svc."""
    if not model.oauth_configurations:
        return not_evaluated(_OAUTH_EXPORT)
    issues = []
    checked = 0
    for config in model.oauth_configurations:
        url = config.exchange_autodiscover_url
        if url is None or not url.value:
            continue  # empty: OAU002's business
        checked += 1
        if points_to_xml(url.value):
            continue  # OAU001 reports it, with the .svc URL to use
        problem = autodiscover_url_problem(url.value)
        if problem is None:
            continue
        host = url_host(url.value)
        advice = f"; use https://{host}{SVC_PATH}" if host else ""
        issues.append(
            Issue(
                f'ExchangeAutodiscoverUrl "{url.value}" {problem}{advice}',
                url.loc,
                key=_AUTODISCOVER_KEY,
            )
        )
    return evaluated(issues, checked)


def check_realm_mismatch(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a Lync Realm other than the default SIP domain, and partner realms that disagree.

    A partner application's Realm, when set, names the realm its partner issues tokens
    in: Lync's application for Exchange must carry Exchange's realm (`Get-AuthConfig`
    Realm, when that is set), Exchange's application for Lync must carry Lync's realm
    (the OAuth Realm, else the default SIP domain).
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
            f"{_OAUTH_EXPORT} with the topology (the default SIP domain), or partner "
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


def check_exchange_autodiscover_uri(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an Exchange Client Access service without AutoDiscoverServiceInternalUri.

    Exchange writes an unset URI as `<Nil>`, which reads as None: here that is "empty".
    """
    services = model.client_access_services
    if not services:
        return not_evaluated("a Get-ClientAccessService (or Get-ClientAccessServer) export")
    issues = []
    for service in services:
        uri = service.autodiscover_internal_uri
        if uri is not None and uri.value:
            continue
        name = service.name.value if service.name is not None else "(unnamed)"
        issues.append(
            Issue(
                f'Exchange Client Access service "{name}" has an empty '
                "AutoDiscoverServiceInternalUri",
                uri.loc if uri is not None else service.loc,
                key=f"client-access:{name.lower()}",
            )
        )
    return evaluated(issues, len(services))


def check_autodiscover_host_mismatch(model: Model, ctx: RuleContext) -> Outcome:
    """Compare the host of Lync's ExchangeAutodiscoverUrl with Exchange's internal URI hosts."""
    if not model.oauth_configurations:
        return not_evaluated(_OAUTH_EXPORT)
    if not model.client_access_services:
        return not_evaluated("a Get-ClientAccessService (or Get-ClientAccessServer) export")
    exchange: dict[str, Location] = {}
    for service in model.client_access_services:
        uri = service.autodiscover_internal_uri
        host = url_host(uri.value) if uri is not None and uri.value else None
        if host is not None and uri is not None:
            exchange.setdefault(host, uri.loc)
    issues = []
    checked = 0
    for config in model.oauth_configurations:
        url = config.exchange_autodiscover_url
        host = url_host(url.value) if url is not None and url.value else None
        if host is None or url is None or not exchange:
            continue
        checked += 1
        if host in exchange:
            continue
        listing = ", ".join(f'"{h}"' for h in sorted(exchange))
        issues.append(
            Issue(
                f'ExchangeAutodiscoverUrl host "{host}" differs from the host of Exchange\'s '
                f"AutoDiscoverServiceInternalUri ({listing})",
                url.loc,
                related=tuple(exchange[h] for h in sorted(exchange)),
                key=_AUTODISCOVER_KEY,
            )
        )
    return evaluated(issues, checked)


def check_service_name(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a Lync or Exchange OAuth ServiceName other than the product's well-known one."""
    if not model.oauth_configurations and not model.exchange_auth_configs:
        return not_evaluated(f"{_OAUTH_EXPORT} or a Get-AuthConfig export")
    sides: list[tuple[str, str, str, Located[str] | None]] = [
        *(
            ("Lync OAuth", "lync", "oauth-configuration", c.service_name)
            for c in model.oauth_configurations
        ),
        *(
            ("Exchange AuthConfig", "exchange", "exchange-auth-config", c.service_name)
            for c in model.exchange_auth_configs
        ),
    ]
    issues = []
    checked = 0
    for what, product, key, name in sides:
        if name is None:
            continue  # not exported: unknown
        checked += 1
        expected = PRODUCT_IDS[product]
        if name.value.strip().lower() == expected:
            continue
        shown = f'"{name.value}"' if name.value.strip() else "empty"
        issues.append(
            Issue(
                f"{what} ServiceName is {shown}; {PRODUCT_NAMES[product]} must use {expected}",
                name.loc,
                key=f"{key}:ServiceName",
            )
        )
    return evaluated(issues, checked)


# ----------------------------------------------------------------------------- rules

_OAUTH_SETTINGS = "<!-- Get-CsOAuthConfiguration | Export-Clixml -->\n"

RULES = (
    Rule(
        code="OAU001",
        name="autodiscover-xml-not-svc",
        severity=Severity.ERROR,
        summary="Lync's ExchangeAutodiscoverUrl points to autodiscover.xml instead of autodiscover.svc",
        check=check_autodiscover_xml,
        doc=RuleDoc(
            what=(
                "Reports a `Get-CsOAuthConfiguration` whose `ExchangeAutodiscoverUrl` ends in "
                "`autodiscover.xml`. Lync talks to the Autodiscover *service*, "
                "`/autodiscover/autodiscover.svc`. (Exchange's own "
                "`AutoDiscoverServiceInternalUri` rightly ends in `autodiscover.xml`; this "
                "rule does not look at it.)"
            ),
            why=(
                "With the XML URL Lync cannot discover the Exchange Web Services endpoints: "
                "the unified contact store, Exchange archiving and Outlook calendar "
                "presence fail, and `Test-CsExStorageConnectivity` reports an error. It is "
                "the most frequent mistake of the integration, because the Exchange side "
                "uses the `.xml` URL and administrators copy it."
            ),
            bad='<S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml</S>',
            good='<S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc</S>',
            fix=(
                "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl "
                '"https://autodiscover.<domain>/autodiscover/autodiscover.svc"'
            ),
            evidence="a Get-CsOAuthConfiguration export",
            references=(
                ref.INTEGRATION_PREREQUISITES_LYNC,
                ref.INTEGRATE_EXCHANGE_SFB,
                ref.MANAGE_S2S_SFB,
            ),
        ),
    ),
    Rule(
        code="OAU002",
        name="autodiscover-url-missing",
        severity=Severity.ERROR,
        summary="Exchange integration is configured but Lync's ExchangeAutodiscoverUrl is empty",
        check=check_autodiscover_missing,
        doc=RuleDoc(
            what=(
                "Reports an empty `ExchangeAutodiscoverUrl` in `Get-CsOAuthConfiguration` when "
                "Exchange integration is configured, that is when Lync has a partner "
                "application for Exchange or Exchange has a partner application for Lync "
                "(Lync's application identifier `00000004-0000-0ff1-ce00-000000000000`, or a "
                "metadata URL on a Lync pool). Exchange's applications for Exchange Online, "
                "Graph or Teams do not count. When neither side has one, the rule is "
                "evaluated with nothing to check."
            ),
            why=(
                "Without the URL Lync does not know where Exchange Web Services are: the "
                "unified contact store cannot migrate contacts, conversation history and "
                "meeting content are not archived in Exchange, and Outlook calendar "
                "information never reaches presence, although both sides trust each other."
            ),
            bad=_OAUTH_SETTINGS + '<S N="ExchangeAutodiscoverUrl"></S>',
            good=_OAUTH_SETTINGS
            + '<S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc</S>',
            fix=(
                "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl "
                '"https://autodiscover.<domain>/autodiscover/autodiscover.svc"'
            ),
            evidence=(
                "a Get-CsOAuthConfiguration export and a Get-CsPartnerApplication or "
                "Exchange Get-PartnerApplication export"
            ),
            references=(ref.INTEGRATE_EXCHANGE_SFB, ref.INTEGRATION_PREREQUISITES_LYNC),
        ),
    ),
    Rule(
        code="OAU003",
        name="autodiscover-url-malformed",
        severity=Severity.ERROR,
        summary="Lync's ExchangeAutodiscoverUrl is not https://<host>/autodiscover/autodiscover.svc",
        check=check_autodiscover_malformed,
        doc=RuleDoc(
            what=(
                "Reports a non-empty `ExchangeAutodiscoverUrl` that is not an absolute https "
                "URL whose path ends in `/autodiscover/autodiscover.svc` (letter case does not "
                "matter): a plain http URL, a bare host name, the EWS URL "
                "(`/EWS/Exchange.asmx`) instead of Autodiscover. A URL ending in "
                "`autodiscover.xml` is left to OAU001, which names the URL to use; an empty "
                "one to OAU002."
            ),
            why=(
                "Lync calls this URL with server-to-server tokens to find Exchange Web "
                "Services. Any other endpoint answers with an error or a redirect Lync does "
                "not follow, so the unified contact store, Exchange archiving and calendar "
                "presence fail, and `Test-CsExStorageConnectivity` reports an error."
            ),
            bad=_OAUTH_SETTINGS
            + '<S N="ExchangeAutodiscoverUrl">http://atl-exch-001.litwareinc.com/EWS/Exchange.asmx</S>',
            good=_OAUTH_SETTINGS
            + '<S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc</S>',
            fix=(
                "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl "
                '"https://autodiscover.<domain>/autodiscover/autodiscover.svc"'
            ),
            evidence="a Get-CsOAuthConfiguration export",
            references=(ref.INTEGRATE_EXCHANGE_SFB, ref.INTEGRATION_PREREQUISITES_LYNC),
        ),
    ),
    Rule(
        code="OAU004",
        name="realm-mismatch",
        severity=Severity.WARNING,
        summary="Lync's OAuth Realm differs from the default SIP domain, or partner realms disagree",
        check=check_realm_mismatch,
        doc=RuleDoc(
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
            bad=_OAUTH_SETTINGS + '<S N="Realm">contoso.com</S>  <!-- default SIP domain: '
            "litwareinc.com -->",
            good=_OAUTH_SETTINGS + '<S N="Realm"></S>  <!-- or litwareinc.com -->',
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
        ),
    ),
    Rule(
        code="OAU005",
        name="exchange-autodiscover-uri-missing",
        severity=Severity.ERROR,
        summary="An Exchange Client Access service has an empty AutoDiscoverServiceInternalUri",
        check=check_exchange_autodiscover_uri,
        doc=RuleDoc(
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
            evidence="a Get-ClientAccessService (or Get-ClientAccessServer) export",
            references=(ref.INTEGRATE_EXCHANGE_SFB, ref.SET_CLIENT_ACCESS_SERVICE),
        ),
    ),
    Rule(
        code="OAU006",
        name="autodiscover-host-mismatch",
        severity=Severity.WARNING,
        summary="Lync's ExchangeAutodiscoverUrl host differs from Exchange's Autodiscover host",
        check=check_autodiscover_host_mismatch,
        doc=RuleDoc(
            what=(
                "Compares the host of Lync's `ExchangeAutodiscoverUrl` with the hosts of "
                "Exchange's `AutoDiscoverServiceInternalUri` (one per Client Access service) "
                "and reports when Lync's host is none of them. Only hosts are compared: "
                "Lync's URL ends in `autodiscover.svc`, Exchange's rightly in "
                "`autodiscover.xml`."
            ),
            why=(
                "Both URLs should lead to the same Autodiscover endpoint. A different host "
                "often means Lync points at a retired server, a name without a record, or a "
                "name the Exchange certificate does not cover; server-to-server calls then "
                "fail while Outlook, which uses Exchange's URI, keeps working."
            ),
            bad=_OAUTH_SETTINGS
            + '<S N="ExchangeAutodiscoverUrl">https://mail.litwareinc.com/autodiscover/autodiscover.svc</S>\n'
            "<!-- Get-ClientAccessService -->\n"
            '<URI N="AutoDiscoverServiceInternalUri">https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml</URI>',
            good=_OAUTH_SETTINGS
            + '<S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc</S>\n'
            "<!-- Get-ClientAccessService -->\n"
            '<URI N="AutoDiscoverServiceInternalUri">https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml</URI>',
            fix=(
                "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl "
                '"https://<Exchange autodiscover host>/autodiscover/autodiscover.svc"'
            ),
            evidence="a Get-CsOAuthConfiguration export and a Get-ClientAccessService export",
            references=(ref.INTEGRATE_EXCHANGE_SFB, ref.INTEGRATION_PREREQUISITES_LYNC),
        ),
    ),
    Rule(
        code="OAU007",
        name="service-name-mismatch",
        severity=Severity.ERROR,
        summary="Lync's or Exchange's OAuth ServiceName is not the product's well-known identifier",
        check=check_service_name,
        doc=RuleDoc(
            what=(
                "Reports a Lync `Get-CsOAuthConfiguration` whose `ServiceName` is not "
                "`00000004-0000-0ff1-ce00-000000000000`, and an Exchange `Get-AuthConfig` "
                "whose `ServiceName` is not `00000002-0000-0ff1-ce00-000000000000` (letter "
                "case does not matter)."
            ),
            why=(
                "The service name is the application identifier a server puts in the tokens "
                "it issues and expects in the tokens it receives. Its partner trusts it under "
                "the well-known identifier; with any other value every server-to-server call "
                "is rejected with 401, and the hybrid wizards fail as well."
            ),
            bad=_OAUTH_SETTINGS + '<S N="ServiceName">00000002-0000-0ff1-ce00-000000000000</S>',
            good=_OAUTH_SETTINGS + '<S N="ServiceName">00000004-0000-0ff1-ce00-000000000000</S>',
            fix=(
                "Set-CsOAuthConfiguration -Identity global -ServiceName "
                "00000004-0000-0ff1-ce00-000000000000\n"
                "# Exchange Management Shell\n"
                "Set-AuthConfig -ServiceName 00000002-0000-0ff1-ce00-000000000000"
            ),
            evidence="a Get-CsOAuthConfiguration or Get-AuthConfig export",
            references=(ref.MANAGE_S2S_SFB, ref.HYBRID_S2S_SFB),
        ),
    ),
)
