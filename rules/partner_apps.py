"""PAP: the partner applications each side trusts.

Lync's side is `Get-CsPartnerApplication` (its applications for Exchange and SharePoint);
Exchange's side is `Get-PartnerApplication`, of which only the application for Lync is
part of the integration: Exchange's applications for Exchange Online, Microsoft Graph,
Teams or cloud voicemail are ignored by every rule here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Located, LyncPartnerApplication, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from ._shared import references as ref
from ._shared.integration import (
    PRODUCT_IDS,
    PRODUCT_NAMES,
    autodiscover_host,
    exchange_app_name,
    exchange_apps_for_lync,
    exchange_key,
    has_partner_exports,
    lync_apps_for,
    lync_key,
    lync_pool_hosts,
    metadata_urls,
)
from ._shared.urls import (
    METADATA_SUFFIX,
    is_https,
    split_url,
    url_host,
    url_path,
)

_LYNC_EXPORT = "a Get-CsPartnerApplication export"
_EXCHANGE_EXPORT = "an Exchange Get-PartnerApplication export"
_EITHER_EXPORT = "a Get-CsPartnerApplication or Exchange Get-PartnerApplication export"
_KNOWN_IDS = {app_id: product for product, app_id in PRODUCT_IDS.items()}


# ------------------------------------------------------------------------- helpers


def intended_product(app: LyncPartnerApplication) -> str | None:
    """Tell which product a Lync partner application stands for, ignoring its identifier.

    The identity decides ("microsoft.exchange", "Exchange", "microsoft.sharepoint"), else
    the shape of the metadata URL (`/autodiscover/metadata/` is Exchange's,
    `/_layouts/` SharePoint's). Used where the identifier itself is being judged.
    """
    ident = app.identity.value.lower() if app.identity is not None else ""
    for product in ("exchange", "sharepoint"):
        if product in ident:
            return product
    path = url_path(app.metadata_url.value) if app.metadata_url is not None else ""
    if "/autodiscover/metadata/" in path:
        return "exchange"
    if "/_layouts/" in path or path.endswith("jsonmetadata.ashx"):
        return "sharepoint"
    return None


def explicit_certificate(app: LyncPartnerApplication) -> Located[str] | None:
    """Return the certificate data an export carries for a Lync partner application.

    `New-CsPartnerApplication -CertificateRawData/-CertificateFileData` apps carry it;
    an app created with `-MetadataUrl` does not (its identifier, shown in the export,
    comes from the metadata). The model reads no certificate property of
    `Get-CsPartnerApplication` yet; a record that has a `certificate` attribute is honoured.
    """
    found = getattr(app, "certificate", None)
    return found if isinstance(found, Located) and str(found.value).strip() else None


def _enabled_off(flag: Located[bool] | None) -> bool:
    return flag is not None and flag.value is False


# ---------------------------------------------------------------------------- checks


def check_not_full_trust(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Exchange and SharePoint partner applications without Full trust."""
    if not model.lync_partner_applications:
        return not_evaluated(_LYNC_EXPORT)
    issues = []
    checked = 0
    for app in lync_apps_for(model, "exchange", "sharepoint"):
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
                    key=lync_key(app),
                )
            )
    return evaluated(issues, checked)


def check_metadata_suffix(model: Model, ctx: RuleContext) -> Outcome:
    """Flag partner application metadata URLs whose path does not end in /metadata/json/1."""
    if not has_partner_exports(model):
        return not_evaluated(_EITHER_EXPORT)
    issues = []
    checked = 0
    for item in metadata_urls(model):
        checked += 1
        parts = split_url(item.url.value)
        path = parts.path if parts is not None else item.url.value
        if path.rstrip("/").lower().endswith(METADATA_SUFFIX):
            continue
        issues.append(
            Issue(
                f'metadata URL "{item.url.value}" of {item.who} does not end in {METADATA_SUFFIX}',
                item.url.loc,
                key=item.key,
            )
        )
    return evaluated(issues, checked)


def check_metadata_https(model: Model, ctx: RuleContext) -> Outcome:
    """Flag partner application metadata URLs that are not https."""
    if not has_partner_exports(model):
        return not_evaluated(_EITHER_EXPORT)
    issues = []
    checked = 0
    for item in metadata_urls(model):
        checked += 1
        if is_https(item.url.value):
            continue
        issues.append(
            Issue(
                f'metadata URL "{item.url.value}" of {item.who} is not https',
                item.url.loc,
                key=item.key,
            )
        )
    return evaluated(issues, checked)


def check_exchange_app_missing(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Exchange integration configured without a Lync partner application for Exchange.

    Configured means: Lync's ExchangeAutodiscoverUrl is set, or Exchange has a partner
    application for Lync.
    """
    if not model.lync_partner_applications:
        return not_evaluated(_LYNC_EXPORT)
    if not model.oauth_configurations and not model.exchange_partner_applications:
        return not_evaluated(f"a Get-CsOAuthConfiguration export or {_EXCHANGE_EXPORT}")
    signs: list[Location] = []
    for config in model.oauth_configurations:
        url = config.exchange_autodiscover_url
        if url is not None and url.value.strip():
            signs.append(url.loc)
    signs += [app.loc for app in exchange_apps_for_lync(model)]
    if not signs:
        return evaluated((), 0)
    if lync_apps_for(model, "exchange"):
        return evaluated((), 1)
    first = model.lync_partner_applications[0]
    names = ", ".join(f'"{app.name}"' for app in model.lync_partner_applications)
    issue = Issue(
        "Exchange integration is configured, but Lync has no partner application for "
        f"Exchange (Get-CsPartnerApplication has {names})",
        first.loc,
        related=tuple(signs[:2]),
        key="partner-application:exchange",
    )
    return evaluated((issue,), 1)


def check_lync_app_missing(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Lync trusting Exchange while Exchange has no partner application for Lync."""
    if not model.lync_partner_applications:
        return not_evaluated(_LYNC_EXPORT)
    if not model.exchange_partner_applications:
        return not_evaluated(_EXCHANGE_EXPORT)
    lync_side = lync_apps_for(model, "exchange")
    if not lync_side:
        return evaluated((), 0)
    if exchange_apps_for_lync(model):
        return evaluated((), 1)
    names = ", ".join(f'"{exchange_app_name(a)}"' for a in model.exchange_partner_applications)
    issue = Issue(
        f'Lync trusts Exchange (partner application "{lync_side[0].name}"), but Exchange has '
        f"no partner application for Lync (identifier {PRODUCT_IDS['lync']} or a metadata URL "
        f"on a Lync pool); Get-PartnerApplication has {names}",
        model.exchange_partner_applications[0].loc,
        related=(lync_side[0].loc,),
        key="exchange-partner-application:lync",
    )
    return evaluated((issue,), 1)


def check_lync_metadata_host(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Exchange's partner application for Lync whose metadata host is not a Lync pool."""
    if not model.exchange_partner_applications:
        return not_evaluated(_EXCHANGE_EXPORT)
    pools = lync_pool_hosts(model)
    if not pools:
        return not_evaluated("the topology (the Lync pool FQDNs)")
    issues = []
    checked = 0
    for app in exchange_apps_for_lync(model):
        url = app.auth_metadata_url
        if url is None or not url.value:
            continue  # trusted through an auth server, not through Lync's metadata
        checked += 1
        host = url_host(url.value)
        if host in pools:
            continue
        listing = ", ".join(sorted(pools))
        issues.append(
            Issue(
                f'Exchange partner application "{exchange_app_name(app)}" reads Lync metadata '
                f'from "{host or url.value}", which is not a Lync pool of the topology '
                f"({listing})",
                url.loc,
                key=exchange_key(app),
            )
        )
    return evaluated(issues, checked)


def check_exchange_metadata_host(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Lync's Exchange partner application whose metadata host is not the autodiscover host."""
    if not model.lync_partner_applications:
        return not_evaluated(_LYNC_EXPORT)
    found = autodiscover_host(model)
    if found is None:
        return not_evaluated(
            "the autodiscover host: an ExchangeAutodiscoverUrl (Get-CsOAuthConfiguration) "
            "or a default SIP domain (topology)"
        )
    autodiscover, source = found
    issues = []
    checked = 0
    for app in lync_apps_for(model, "exchange"):
        url = app.metadata_url
        if url is None or not url.value:
            continue
        checked += 1
        host = url_host(url.value)
        if host == autodiscover:
            continue
        issues.append(
            Issue(
                f'partner application "{app.name}" (Exchange) reads metadata from '
                f'"{host or url.value}", not from the autodiscover host "{autodiscover}"',
                url.loc,
                related=(source,) if source is not None else (),
                key=lync_key(app),
            )
        )
    return evaluated(issues, checked)


def check_disabled(model: Model, ctx: RuleContext) -> Outcome:
    """Flag disabled partner applications of the integration (both sides)."""
    if not has_partner_exports(model):
        return not_evaluated(_EITHER_EXPORT)
    issues = []
    checked = 0
    for app in lync_apps_for(model, "exchange", "sharepoint"):
        if app.enabled is None:
            continue
        checked += 1
        if _enabled_off(app.enabled):
            product = PRODUCT_NAMES[app.product or ""]
            issues.append(
                Issue(
                    f'partner application "{app.name}" ({product}) is disabled',
                    app.enabled.loc,
                    key=lync_key(app),
                )
            )
    for exchange_app in exchange_apps_for_lync(model):
        if exchange_app.enabled is None:
            continue
        checked += 1
        if _enabled_off(exchange_app.enabled):
            issues.append(
                Issue(
                    f'Exchange partner application "{exchange_app_name(exchange_app)}" (Lync) '
                    "is disabled",
                    exchange_app.enabled.loc,
                    key=exchange_key(exchange_app),
                )
            )
    return evaluated(issues, checked)


@dataclass(frozen=True, slots=True)
class _Entry:
    """One partner application as PAP009 compares them."""

    path: str
    name: str
    identity: Located[str] | None
    app_id: Located[str] | None
    loc: Location
    key: str


def _entries(model: Model) -> list[_Entry]:
    entries = [
        _Entry(a.loc.path, a.name, a.identity, a.application_identifier, a.loc, lync_key(a))
        for a in model.lync_partner_applications
    ]
    entries += [
        _Entry(
            a.loc.path,
            exchange_app_name(a),
            a.name,
            a.application_identifier,
            a.loc,
            exchange_key(a),
        )
        for a in exchange_apps_for_lync(model)
    ]
    return entries


def check_duplicates(model: Model, ctx: RuleContext) -> Outcome:
    """Flag two partner applications of one export with the same identity or identifier.

    Compared within each export file: the same application exported twice (say from two
    sessions) is not a duplicate. On Exchange's side only applications for Lync count.
    """
    if not has_partner_exports(model):
        return not_evaluated(_EITHER_EXPORT)
    entries = _entries(model)
    issues = []
    fields: tuple[tuple[str, Callable[[_Entry], Located[str] | None]], ...] = (
        ("identity", lambda entry: entry.identity),
        ("ApplicationIdentifier", lambda entry: entry.app_id),
    )
    for label, pick in fields:
        seen: dict[tuple[str, str], _Entry] = {}
        for entry in entries:
            value = pick(entry)
            if value is None or not value.value.strip():
                continue
            slot = (entry.path, value.value.strip().lower())
            first = seen.setdefault(slot, entry)
            if first is entry:
                continue
            issues.append(
                Issue(
                    f'partner applications "{first.name}" and "{entry.name}" share the '
                    f'{label} "{value.value.strip()}"',
                    value.loc,
                    related=(first.loc,),
                    key=entry.key,
                )
            )
    return evaluated(issues, len(entries))


def check_conflicting_parameters(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a partner application trusted both through metadata and explicitly.

    Lync: explicit certificate data next to a metadata URL (the identifier alone proves
    nothing: a `-MetadataUrl` application shows the one it read from the metadata).
    Exchange: an application for Lync with an `AuthMetadataUrl` and `UseAuthServer`
    set, i.e. trusted by its identifier through an authorization server as well.
    """
    if not has_partner_exports(model):
        return not_evaluated(_EITHER_EXPORT)
    issues = []
    checked = 0
    for app in model.lync_partner_applications:
        if app.metadata_url is None or not app.metadata_url.value:
            continue
        checked += 1
        certificate = explicit_certificate(app)
        if certificate is not None:
            issues.append(
                Issue(
                    f'partner application "{app.name}" has both a metadata URL '
                    f'("{app.metadata_url.value}") and explicit certificate data',
                    certificate.loc,
                    related=(app.metadata_url.loc,),
                    key=lync_key(app),
                )
            )
    for exchange_app in exchange_apps_for_lync(model):
        url = exchange_app.auth_metadata_url
        if url is None or not url.value:
            continue
        checked += 1
        auth_server = exchange_app.use_auth_server
        if auth_server is not None and auth_server.value:
            issues.append(
                Issue(
                    f'Exchange partner application "{exchange_app_name(exchange_app)}" has both '
                    f'an AuthMetadataUrl ("{url.value}") and UseAuthServer, which trusts its '
                    "ApplicationIdentifier through an authorization server",
                    auth_server.loc,
                    related=(url.loc,),
                    key=exchange_key(exchange_app),
                )
            )
    return evaluated(issues, checked)


def check_wrong_identifier(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a partner application for one product that carries another product's identifier.

    Lync's applications are judged by identity (then metadata URL); Exchange's
    application for Lync by a metadata URL on a Lync pool or the `LyncEnterprise-` name
    `Configure-EnterprisePartnerApplication.ps1` gives it.
    """
    if not has_partner_exports(model):
        return not_evaluated(_EITHER_EXPORT)
    issues = []
    checked = 0
    candidates: list[tuple[str | None, Located[str] | None, str, str]] = [
        (
            intended_product(a),
            a.application_identifier,
            f'partner application "{a.name}"',
            lync_key(a),
        )
        for a in model.lync_partner_applications
    ]
    pools = lync_pool_hosts(model)
    for exchange_app in model.exchange_partner_applications:
        url = exchange_app.auth_metadata_url
        on_pool = url is not None and bool(url.value) and url_host(url.value) in pools
        named = exchange_app_name(exchange_app).lower().startswith("lyncenterprise")
        if on_pool or named:
            candidates.append(
                (
                    "lync",
                    exchange_app.application_identifier,
                    f'Exchange partner application "{exchange_app_name(exchange_app)}"',
                    exchange_key(exchange_app),
                )
            )
    for product, app_id, who, key in candidates:
        if product is None or app_id is None or not app_id.value.strip():
            continue
        checked += 1
        carried = _KNOWN_IDS.get(app_id.value.strip().lower())
        if carried is None or carried == product:
            continue
        issues.append(
            Issue(
                f"{who} is for {PRODUCT_NAMES[product]} but carries {PRODUCT_NAMES[carried]}'s "
                f"ApplicationIdentifier {app_id.value.strip()} (expected {PRODUCT_IDS[product]})",
                app_id.loc,
                key=key,
            )
        )
    return evaluated(issues, checked)


# ----------------------------------------------------------------------------- rules

_LYNC_APPS = "<!-- Get-CsPartnerApplication | Export-Clixml -->\n"
_EXCHANGE_APPS = "<!-- Get-PartnerApplication | Export-Clixml (Exchange) -->\n"
_TRUST = '<Obj N="ApplicationTrustLevel" RefId="2"> ... <ToString>{}</ToString>'
_EXCHANGE_METADATA = "https://autodiscover.litwareinc.com/autodiscover/metadata/json/1"
_LYNC_METADATA = "https://atl-cs-001.litwareinc.com/metadata/json/1"
_EVIDENCE_EITHER = "a Get-CsPartnerApplication or Exchange Get-PartnerApplication export"
_NEW_EXCHANGE_APP = (
    "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full "
    '-MetadataUrl "https://autodiscover.<domain>/autodiscover/metadata/json/1"'
)
_NEW_LYNC_APP = (
    "# Exchange Management Shell, in the Exchange Scripts folder\n"
    ".\\Configure-EnterprisePartnerApplication.ps1 "
    "-AuthMetadataUrl 'https://<Lync pool FQDN>/metadata/json/1' -ApplicationType Lync"
)

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
            bad='<S N="Identity">microsoft.exchange</S>\n' + _TRUST.format("Application"),
            good='<S N="Identity">microsoft.exchange</S>\n' + _TRUST.format("Full"),
            fix="Set-CsPartnerApplication -Identity <id> -ApplicationTrustLevel Full",
            evidence="a Get-CsPartnerApplication export with the Exchange or SharePoint application",
            references=(ref.PARTNER_APPS_LYNC, ref.PARTNER_APP_ONPREM_SFB, ref.MANAGE_S2S_SFB),
        ),
    ),
    Rule(
        code="PAP002",
        name="metadata-url-suffix",
        severity=Severity.ERROR,
        summary="A partner application metadata URL does not end in /metadata/json/1",
        check=check_metadata_suffix,
        doc=RuleDoc(
            what=(
                "Reports a partner application metadata URL whose path does not end in "
                "`/metadata/json/1`: Lync's `MetadataUrl` (also exported as "
                "`AuthToken` `Value=<url>`) of every partner application, and the "
                "`AuthMetadataUrl` of Exchange's partner application for Lync. Exchange's "
                "applications for Exchange Online, Graph or Teams are not looked at. "
                "SharePoint's legacy `jsonmetadata.ashx` handler is reported too; use "
                "`/_layouts/15/metadata/json/1`."
            ),
            why=(
                "Every product of the integration publishes its OAuth metadata document "
                "under `/metadata/json/1`: Lync at `https://<pool>/metadata/json/1`, "
                "Exchange at `https://<autodiscover host>/autodiscover/metadata/json/1`, "
                "SharePoint at `https://<site>/_layouts/15/metadata/json/1`. Another path "
                "(the Autodiscover or EWS URL, a site root) returns no metadata: the "
                "partner's signing certificate is never learnt and its tokens are rejected "
                "with 401."
            ),
            bad=_LYNC_APPS + '<S N="AuthToken">Value=https://autodiscover.litwareinc.com/'
            "autodiscover/autodiscover.svc</S>",
            good=_LYNC_APPS + f'<S N="AuthToken">Value={_EXCHANGE_METADATA}</S>',
            fix=(
                "Set-CsPartnerApplication -Identity microsoft.exchange "
                '-MetadataUrl "https://autodiscover.<domain>/autodiscover/metadata/json/1"\n'
                "# Exchange Management Shell\n"
                "Set-PartnerApplication -Identity <name> "
                '-AuthMetadataUrl "https://<Lync pool FQDN>/metadata/json/1"'
            ),
            evidence=_EVIDENCE_EITHER,
            references=(
                ref.CONFIGURE_PARTNER_APPS_SFB,
                ref.PARTNER_APPS_LYNC,
                ref.NEW_CS_PARTNER_APPLICATION,
            ),
        ),
    ),
    Rule(
        code="PAP003",
        name="metadata-url-not-https",
        severity=Severity.ERROR,
        summary="A partner application metadata URL is not https",
        check=check_metadata_https,
        doc=RuleDoc(
            what=(
                "Reports a partner application metadata URL that is not an absolute `https` "
                "URL: Lync's `MetadataUrl` of every partner application and the "
                "`AuthMetadataUrl` of Exchange's partner application for Lync. Exchange's "
                "applications for Exchange Online, Graph or Teams are not looked at."
            ),
            why=(
                "The metadata document carries the certificate that signs the partner's "
                "tokens. Fetched over plain http it could be replaced in transit by one that "
                "lets an attacker sign tokens as Exchange or Lync, and the products expect "
                "https: the Lync and Exchange web services do not publish metadata over "
                "http, so the download fails and tokens are rejected."
            ),
            bad=_EXCHANGE_APPS + '<S N="AuthMetadataUrl">http://atl-cs-001.litwareinc.com/'
            "metadata/json/1</S>",
            good=_EXCHANGE_APPS + f'<S N="AuthMetadataUrl">{_LYNC_METADATA}</S>',
            fix=(
                "Set-PartnerApplication -Identity <name> "
                '-AuthMetadataUrl "https://<Lync pool FQDN>/metadata/json/1"\n'
                "Set-CsPartnerApplication -Identity microsoft.exchange "
                '-MetadataUrl "https://autodiscover.<domain>/autodiscover/metadata/json/1"'
            ),
            evidence=_EVIDENCE_EITHER,
            references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.PARTNER_APPS_LYNC),
        ),
    ),
    Rule(
        code="PAP004",
        name="exchange-partner-app-missing",
        severity=Severity.ERROR,
        summary="Exchange integration is configured but Lync has no partner application for Exchange",
        check=check_exchange_app_missing,
        doc=RuleDoc(
            what=(
                "Reports a `Get-CsPartnerApplication` export without a partner application for "
                "Exchange (recognised by the identifier `00000002-0000-0ff1-ce00-000000000000`, "
                "an identity naming Exchange, or an Exchange metadata URL) when Exchange "
                "integration is configured: Lync's `ExchangeAutodiscoverUrl` is set, or "
                "Exchange has a partner application for Lync. When neither is the case the "
                "rule is evaluated with nothing to check. (An export of no partner "
                "application at all is an empty file that cannot be told from other empty "
                "exports; the rule is then not evaluated.)"
            ),
            why=(
                "Server-to-server authentication needs trust both ways. Without a partner "
                "application for Exchange, Lync rejects the tokens Exchange sends when it "
                "calls Lync (archiving, the unified contact store, Outlook Web App IM and "
                "presence): the features fail although Exchange trusts Lync."
            ),
            bad=_LYNC_APPS + '<S N="Identity">microsoft.sharepoint</S>  <!-- and nothing for '
            "Exchange -->",
            good=_LYNC_APPS
            + '<S N="Identity">microsoft.exchange</S>\n'
            + f'<S N="AuthToken">Value={_EXCHANGE_METADATA}</S>',
            fix=_NEW_EXCHANGE_APP,
            evidence=(
                "a Get-CsPartnerApplication export, and Get-CsOAuthConfiguration or Exchange "
                "Get-PartnerApplication (to know that the integration is configured)"
            ),
            references=(
                ref.CONFIGURE_PARTNER_APPS_SFB,
                ref.PARTNER_APPS_LYNC,
                ref.PARTNER_APP_ONPREM_SFB,
            ),
        ),
    ),
    Rule(
        code="PAP005",
        name="lync-partner-app-missing",
        severity=Severity.ERROR,
        summary="Lync trusts Exchange but Exchange has no partner application for Lync",
        check=check_lync_app_missing,
        doc=RuleDoc(
            what=(
                "Reports a Lync partner application for Exchange when Exchange's "
                "`Get-PartnerApplication` has none for Lync: no application with Lync's "
                "identifier `00000004-0000-0ff1-ce00-000000000000` and none whose "
                "`AuthMetadataUrl` is on a Lync pool of the topology. Exchange's applications "
                "for Exchange Online, Graph, Teams or cloud voicemail do not count."
            ),
            why=(
                "Exchange must trust Lync's tokens too: without the partner application "
                "Exchange answers Lync's calls with 401. `Test-CsExStorageConnectivity` "
                "fails, contacts never move to the unified contact store, and conversations "
                "are not archived in Exchange."
            ),
            bad=_EXCHANGE_APPS + '<S N="Name">Exchange Online</S>\n'
            '<S N="ApplicationIdentifier">00000002-0000-0ff1-ce00-000000000000</S>  '
            "<!-- nothing for Lync -->",
            good=_EXCHANGE_APPS
            + '<S N="ApplicationIdentifier">00000004-0000-0ff1-ce00-000000000000</S>\n'
            + f'<S N="AuthMetadataUrl">{_LYNC_METADATA}</S>',
            fix=_NEW_LYNC_APP,
            evidence="a Get-CsPartnerApplication export and an Exchange Get-PartnerApplication export",
            references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.PARTNER_APPS_LYNC),
        ),
    ),
    Rule(
        code="PAP006",
        name="lync-metadata-host-unknown",
        severity=Severity.ERROR,
        summary="Exchange's partner application for Lync reads metadata from a host that is no Lync pool",
        check=check_lync_metadata_host,
        doc=RuleDoc(
            what=(
                "Reports Exchange's partner application for Lync (identifier "
                "`00000004-0000-0ff1-ce00-000000000000`) whose `AuthMetadataUrl` host is not "
                "the FQDN of a Front End pool of the topology. An application trusted "
                "through an authorization server (no metadata URL, `UseAuthServer`) is not "
                "looked at. A pool whose internal web services FQDN is overridden publishes "
                "its metadata under that name, which the topology export does not carry: "
                "such a host is reported too."
            ),
            why=(
                "Exchange learns Lync's signing certificate from that URL and refreshes it "
                "periodically. A retired pool, a single server's name or a typo keeps "
                "working only until the next OAuth certificate roll, after which Exchange "
                "rejects Lync's tokens and the integration fails without any change on the "
                "Exchange side."
            ),
            bad=_EXCHANGE_APPS + '<S N="AuthMetadataUrl">https://atl-cs-old.litwareinc.com/'
            "metadata/json/1</S>",
            good=_EXCHANGE_APPS + f'<S N="AuthMetadataUrl">{_LYNC_METADATA}</S>',
            fix=(
                "Set-PartnerApplication -Identity <name> "
                '-AuthMetadataUrl "https://<Lync pool FQDN>/metadata/json/1"'
            ),
            evidence="an Exchange Get-PartnerApplication export and the topology",
            references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.SET_PARTNER_APPLICATION),
        ),
    ),
    Rule(
        code="PAP007",
        name="exchange-metadata-host-mismatch",
        severity=Severity.WARNING,
        summary="Lync's Exchange partner application reads metadata from another host than autodiscover",
        check=check_exchange_metadata_host,
        doc=RuleDoc(
            what=(
                "Compares the host of the metadata URL of Lync's partner application for "
                "Exchange with the autodiscover host (from Lync's `ExchangeAutodiscoverUrl`, "
                "else `autodiscover.<default SIP domain>`) and reports when they differ. An "
                "application trusted through an OAuth server (no metadata URL) is not "
                "looked at."
            ),
            why=(
                "Exchange publishes its metadata at "
                "`https://<autodiscover host>/autodiscover/metadata/json/1`. A single "
                "server's name works until that server is retired or out of service, and a "
                "name that differs from the one Lync uses for Autodiscover often means one "
                "of the two points at the wrong Exchange organisation or an old server."
            ),
            bad=_LYNC_APPS + '<S N="AuthToken">Value=https://atl-exch-001.litwareinc.com/'
            "autodiscover/metadata/json/1</S>",
            good=_LYNC_APPS + f'<S N="AuthToken">Value={_EXCHANGE_METADATA}</S>',
            fix=(
                "Set-CsPartnerApplication -Identity microsoft.exchange "
                '-MetadataUrl "https://autodiscover.<domain>/autodiscover/metadata/json/1"'
            ),
            evidence=(
                "a Get-CsPartnerApplication export and the autodiscover host "
                "(Get-CsOAuthConfiguration or topology)"
            ),
            references=(ref.CONFIGURE_PARTNER_APPS_SFB, ref.PARTNER_APPS_LYNC),
        ),
    ),
    Rule(
        code="PAP008",
        name="partner-app-disabled",
        severity=Severity.WARNING,
        summary="A partner application needed for the integration is disabled",
        check=check_disabled,
        doc=RuleDoc(
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
            bad=_LYNC_APPS + '<S N="Identity">microsoft.exchange</S>\n<B N="Enabled">false</B>',
            good=_LYNC_APPS + '<S N="Identity">microsoft.exchange</S>\n<B N="Enabled">true</B>',
            fix=(
                "Set-CsPartnerApplication -Identity <id> -Enabled $True\n"
                "# Exchange Management Shell\n"
                "Set-PartnerApplication -Identity <name> -Enabled $true"
            ),
            evidence=_EVIDENCE_EITHER,
            references=(ref.PARTNER_APPS_LYNC, ref.SET_PARTNER_APPLICATION, ref.MANAGE_S2S_SFB),
        ),
    ),
    Rule(
        code="PAP009",
        name="duplicate-partner-app",
        severity=Severity.ERROR,
        summary="Two partner applications share an identity or application identifier",
        check=check_duplicates,
        doc=RuleDoc(
            what=(
                "Reports a partner application whose identity or `ApplicationIdentifier` "
                "(letter case ignored) another one of the same export already has: Lync's "
                "partner applications among themselves, and Exchange's applications for "
                "Lync among themselves. Exports are compared file by file, so the same "
                "applications exported twice are not duplicates; Exchange's applications "
                "for Exchange Online, Graph or Teams are not compared."
            ),
            why=(
                "A server looks a partner up by its identifier. With two applications for "
                "one identifier (for instance `microsoft.exchange` and an older `Exchange`) "
                "it may use the stale one, with another trust level, metadata URL or a "
                "disabled state, and tokens are accepted or rejected depending on which "
                "one wins."
            ),
            bad=_LYNC_APPS + '<S N="Identity">Exchange</S> <S N="ApplicationIdentifier">'
            "00000002-0000-0ff1-ce00-000000000000</S>\n"
            '<S N="Identity">microsoft.exchange</S> <S N="ApplicationIdentifier">'
            "00000002-0000-0ff1-ce00-000000000000</S>",
            good=_LYNC_APPS + '<S N="Identity">microsoft.exchange</S> <S N="ApplicationIdentifier">'
            "00000002-0000-0ff1-ce00-000000000000</S>",
            fix="Remove-CsPartnerApplication -Identity <the stale one>",
            evidence=_EVIDENCE_EITHER,
            references=(ref.PARTNER_APP_ONPREM_SFB, ref.PARTNER_APPS_LYNC),
        ),
    ),
    Rule(
        code="PAP010",
        name="conflicting-partner-app-parameters",
        severity=Severity.ERROR,
        summary="A partner application has both a metadata URL and an explicit identifier or certificate",
        check=check_conflicting_parameters,
        doc=RuleDoc(
            what=(
                "Reports a partner application trusted both through a metadata URL and "
                "explicitly. On Lync: explicit certificate data (`-CertificateRawData`, "
                "`-CertificateFileData`) next to a `MetadataUrl`. The `ApplicationIdentifier` "
                "alone is never reported: an application created with `-MetadataUrl` shows "
                "the identifier it read from the metadata. On Exchange: the application for "
                "Lync with an `AuthMetadataUrl` and `UseAuthServer` set (the "
                "`-ApplicationIdentifier` parameter set that trusts the identifier through an "
                "authorization server). Its `CertificateStrings` may be filled from the metadata "
                "and prove nothing."
            ),
            why=(
                "The cmdlets refuse the two ways together, so such an object was edited "
                "afterwards or provisioned by a script. The server then validates tokens "
                "against a certificate or authorization server that no longer matches the "
                "partner's metadata: the integration works until the partner rolls its "
                "certificate, then fails with 401."
            ),
            bad=_EXCHANGE_APPS + f'<S N="AuthMetadataUrl">{_LYNC_METADATA}</S>\n'
            '<B N="UseAuthServer">true</B>',
            good=_EXCHANGE_APPS + f'<S N="AuthMetadataUrl">{_LYNC_METADATA}</S>\n'
            '<B N="UseAuthServer">false</B>',
            fix=(
                "# recreate the application from its metadata only\n"
                "Remove-CsPartnerApplication -Identity <id>\n"
                + _NEW_EXCHANGE_APP
                + "\n# Exchange Management Shell\n"
                "Remove-PartnerApplication -Identity <name>\n" + _NEW_LYNC_APP.split("\n", 1)[1]
            ),
            evidence=_EVIDENCE_EITHER,
            references=(
                ref.NEW_CS_PARTNER_APPLICATION,
                ref.SET_PARTNER_APPLICATION,
                ref.PARTNER_APP_ONPREM_SFB,
            ),
        ),
    ),
    Rule(
        code="PAP011",
        name="wrong-application-identifier",
        severity=Severity.WARNING,
        summary="A partner application for a well-known product carries another product's identifier",
        check=check_wrong_identifier,
        doc=RuleDoc(
            what=(
                "Reports a partner application for Exchange, SharePoint or Lync that carries "
                "the identifier of another of the three (Exchange "
                "`00000002-0000-0ff1-ce00-000000000000`, SharePoint "
                "`00000003-0000-0ff1-ce00-000000000000`, Lync "
                "`00000004-0000-0ff1-ce00-000000000000`). Lync's applications are judged by "
                "their identity (`microsoft.exchange`, `Exchange`, `microsoft.sharepoint`), "
                "else their metadata URL; Exchange's application for Lync by a metadata URL "
                "on a Lync pool or its `LyncEnterprise-` name. Other identifiers (Microsoft "
                "Graph's `00000003-0000-0000-c000-000000000000`, Teams) are not judged."
            ),
            why=(
                "The identifier comes from the metadata the URL points at, so a wrong one "
                "usually means the URL names the wrong product (the SharePoint metadata for "
                "`microsoft.exchange`, say). Tokens from the real partner then match no "
                "application and are rejected; Microsoft's own script recreates "
                "`microsoft.exchange` when its identifier is not Exchange's."
            ),
            bad=_LYNC_APPS + '<S N="Identity">microsoft.exchange</S>\n'
            '<S N="ApplicationIdentifier">00000003-0000-0ff1-ce00-000000000000</S>',
            good=_LYNC_APPS + '<S N="Identity">microsoft.exchange</S>\n'
            '<S N="ApplicationIdentifier">00000002-0000-0ff1-ce00-000000000000</S>',
            fix="Remove-CsPartnerApplication -Identity microsoft.exchange\n" + _NEW_EXCHANGE_APP,
            evidence=_EVIDENCE_EITHER,
            references=(ref.PARTNER_APP_ONPREM_SFB, ref.CONFIGURE_PARTNER_APPS_SFB),
        ),
    ),
)
