"""FEA: Lync features that only work with server-to-server authentication to Exchange.

Both rules share one predicate, `s2s_gaps`: what keeps server-to-server authentication
with Exchange from being *configured*, judged from the exports present. It asks for the
pieces, not for their correctness, which the OAU, PAP and CRT rules judge: an
autodiscover URL that is set, an enabled partner application on each side, an
OAuthTokenIssuer certificate that is assigned.
"""

from __future__ import annotations

from dataclasses import dataclass

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Located, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from ._shared import references as ref
from ._shared.integration import (
    exchange_app_name,
    exchange_apps_for_lync,
    lync_apps_for,
)

S2S_EVIDENCE = (
    "a Get-CsOAuthConfiguration export and a Get-CsPartnerApplication export (to tell "
    "whether server-to-server authentication with Exchange is configured)"
)


@dataclass(frozen=True, slots=True)
class Gap:
    """One missing piece of server-to-server authentication with Exchange, and where it shows."""

    what: str
    loc: Location


def s2s_gaps(model: Model) -> tuple[Gap, ...] | None:
    """Return what keeps S2S authentication with Exchange from being fully configured.

    An empty tuple means fully configured; None means the bundle cannot tell (no
    `Get-CsOAuthConfiguration` or no `Get-CsPartnerApplication` export). Judged:

    - Lync's `ExchangeAutodiscoverUrl` is set;
    - Lync has an enabled partner application for Exchange;
    - when Exchange's `Get-PartnerApplication` is in the bundle, it has an enabled
      partner application for Lync (Exchange Online, Graph, Teams do not count);
    - when `Get-CsCertificate` exports are in the bundle, one assigns an
      OAuthTokenIssuer certificate.
    """
    if not model.oauth_configurations or not model.lync_partner_applications:
        return None
    gaps: list[Gap] = []
    for config in model.oauth_configurations:
        url = config.exchange_autodiscover_url
        if url is None or not url.value.strip():
            gaps.append(Gap("ExchangeAutodiscoverUrl is empty", (url or config).loc))
    lync_side = lync_apps_for(model, "exchange")
    if not lync_side:
        gaps.append(
            Gap(
                "Lync has no partner application for Exchange",
                model.lync_partner_applications[0].loc,
            )
        )
    elif all(_off(app.enabled) for app in lync_side):
        gaps += [
            Gap(f'partner application "{app.name}" is disabled', _where(app.enabled, app.loc))
            for app in lync_side
        ]
    if model.exchange_partner_applications:
        exchange_side = exchange_apps_for_lync(model)
        if not exchange_side:
            gaps.append(
                Gap(
                    "Exchange has no partner application for Lync",
                    model.exchange_partner_applications[0].loc,
                )
            )
        elif all(_off(app.enabled) for app in exchange_side):
            gaps += [
                Gap(
                    f'Exchange partner application "{exchange_app_name(app)}" is disabled',
                    _where(app.enabled, app.loc),
                )
                for app in exchange_side
            ]
    if model.cs_certificates and not any(
        entry.is_oauth and entry.thumbprint is not None and entry.thumbprint.value.strip()
        for entry in model.cs_certificates
    ):
        gaps.append(
            Gap(
                "no OAuthTokenIssuer certificate is assigned (Get-CsCertificate)",
                model.cs_certificates[0].loc,
            )
        )
    return tuple(gaps)


def _off(flag: Located[bool] | None) -> bool:
    return flag is not None and flag.value is False


def _where(flag: Located[bool] | None, fallback: Location) -> Location:
    return flag.loc if flag is not None else fallback


def _feature_issues(
    model: Model,
    enabling: list[tuple[str, Located[bool], str]],
    checked: int,
) -> Outcome:
    """Report each enabling setting when S2S with Exchange is not fully configured."""
    if not enabling:
        return evaluated((), checked)
    gaps = s2s_gaps(model)
    if gaps is None:
        return not_evaluated(S2S_EVIDENCE)
    if not gaps:
        return evaluated((), checked)
    reasons = "; ".join(gap.what for gap in gaps)
    related = tuple(dict.fromkeys(gap.loc for gap in gaps))
    issues = [
        Issue(
            f"{what}, but server-to-server authentication with Exchange is not fully "
            f"configured: {reasons}",
            flag.loc,
            related=related,
            key=key,
        )
        for what, flag, key in enabling
    ]
    return evaluated(issues, checked)


def _identity(located: Located[str] | None) -> str:
    return located.value if located is not None and located.value else "(unnamed)"


def check_ucs_without_s2s(model: Model, ctx: RuleContext) -> Outcome:
    """Flag user services policies that allow the unified contact store without S2S."""
    policies = model.user_services_policies
    if not policies:
        return not_evaluated("a Get-CsUserServicesPolicy export")
    known = [p for p in policies if p.ucs_allowed is not None]
    enabling = [
        (
            f'user services policy "{_identity(p.identity)}" allows the unified contact store',
            p.ucs_allowed,
            f"user-services-policy:{_identity(p.identity).lower()}",
        )
        for p in known
        if p.ucs_allowed is not None and p.ucs_allowed.value
    ]
    return _feature_issues(model, enabling, len(known))


def check_archiving_without_s2s(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an archiving configuration that archives to Exchange without S2S."""
    configs = model.archiving_configurations
    if not configs:
        return not_evaluated("a Get-CsArchivingConfiguration export")
    known = [c for c in configs if c.enable_exchange_archiving is not None]
    enabling = [
        (
            f'archiving configuration "{_identity(c.identity)}" enables Exchange archiving',
            c.enable_exchange_archiving,
            f"archiving-configuration:{_identity(c.identity).lower()}",
        )
        for c in known
        if c.enable_exchange_archiving is not None and c.enable_exchange_archiving.value
    ]
    return _feature_issues(model, enabling, len(known))


_CONFIGURE_S2S = (
    "# configure server-to-server authentication with Exchange first, then check it\n"
    "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl "
    '"https://autodiscover.<domain>/autodiscover/autodiscover.svc"\n'
    "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full "
    '-MetadataUrl "https://autodiscover.<domain>/autodiscover/metadata/json/1"\n'
    "# Exchange Management Shell, in the Exchange Scripts folder\n"
    ".\\Configure-EnterprisePartnerApplication.ps1 "
    "-AuthMetadataUrl 'https://<Lync pool FQDN>/metadata/json/1' -ApplicationType Lync\n"
    "# Lync Server Management Shell\n"
    'Test-CsExStorageConnectivity -SipUri "sip:<user>@<domain>"\n'
)
_WHAT_COUNTS = (
    "Server-to-server authentication with Exchange counts as fully configured when Lync's "
    "`ExchangeAutodiscoverUrl` is set, Lync has an enabled partner application for "
    "Exchange, Exchange has an enabled partner application for Lync (when its "
    "`Get-PartnerApplication` is in the bundle) and an OAuthTokenIssuer certificate is "
    "assigned (when `Get-CsCertificate` exports are in the bundle). Whether each piece is "
    "right is judged by the OAU, PAP and CRT rules, which this rule does not repeat."
)

RULES = (
    Rule(
        code="FEA001",
        name="ucs-without-s2s",
        severity=Severity.ERROR,
        summary="The unified contact store is enabled but S2S authentication with Exchange is not",
        check=check_ucs_without_s2s,
        doc=RuleDoc(
            what=(
                "Reports each user services policy (`Get-CsUserServicesPolicy`, global, site "
                "or per-user) with `UcsAllowed` true while server-to-server authentication "
                "with Exchange is not fully configured, and lists what is missing. " + _WHAT_COUNTS
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
                _CONFIGURE_S2S + "# or keep contacts in Lync until it is done\n"
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
        ),
    ),
    Rule(
        code="FEA002",
        name="exchange-archiving-without-s2s",
        severity=Severity.ERROR,
        summary="Exchange archiving is enabled but S2S authentication with Exchange is not",
        check=check_archiving_without_s2s,
        doc=RuleDoc(
            what=(
                "Reports each archiving configuration (`Get-CsArchivingConfiguration`) with "
                "`EnableExchangeArchiving` true while server-to-server authentication with "
                "Exchange is not fully configured, and lists what is missing. " + _WHAT_COUNTS
            ),
            why=(
                "With Exchange archiving, Lync writes instant messages and meeting content "
                "into the users' mailboxes instead of its own archiving database. Without "
                "server-to-server authentication Exchange refuses the writes: nothing is "
                "archived anywhere, which is a compliance failure, and with "
                "`BlockOnArchiveFailure` users cannot even send messages."
            ),
            bad='<S N="Identity">Global</S>\n<B N="EnableExchangeArchiving">true</B>\n'
            "<!-- and ExchangeAutodiscoverUrl is empty -->",
            good='<S N="Identity">Global</S>\n<B N="EnableExchangeArchiving">true</B>\n'
            "<!-- with the autodiscover URL and both partner applications in place -->",
            fix=(
                _CONFIGURE_S2S + "# or archive in Lync until it is done\n"
                "Set-CsArchivingConfiguration -Identity global -EnableExchangeArchiving $False"
            ),
            evidence=(
                "a Get-CsArchivingConfiguration export, and Get-CsOAuthConfiguration and "
                "Get-CsPartnerApplication exports when Exchange archiving is enabled"
            ),
            references=(
                ref.MANAGE_S2S_SFB,
                ref.INTEGRATE_EXCHANGE_SFB,
                ref.SET_CS_ARCHIVING_CONFIGURATION,
            ),
        ),
    ),
)
