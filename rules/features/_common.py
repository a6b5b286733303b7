"""What both FEA rules share: the S2S "gaps" predicate and the one feature judgement.

`s2s_gaps` says what keeps server-to-server authentication with on-premises Exchange
from being *configured*, judged from the exports present. It asks for the pieces, not
for their correctness, which the OAU, PAP and CRT rules judge: an autodiscover URL that
is set, an enabled partner application on each side for the *on-premises* trust (Lync's
Exchange application through the OAuth server and Exchange's `SfBLegacy` trust the
cloud services, not the other side), an OAuthTokenIssuer certificate that is assigned.
Each gap carries the commands that close it, with the bundle's values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from s2slint.findings import Issue, Location
from s2slint.model import Located, Model
from s2slint.rule import Outcome, evaluated, not_applicable, not_evaluated

from .._shared.integration import (
    ONPREM_EXCHANGE_NOT_CONFIGURED,
    exchange_app_name,
    exchange_apps_for_lync,
    has_partner_exports,
    is_sfb_online_app,
    lync_apps_for,
    lync_onprem_exchange_apps,
    onprem_exchange_integration,
    onprem_lync_apps_on_exchange,
)
from ._fixes import (
    create_exchange_app,
    create_lync_app_on_exchange,
    enable_exchange_app,
    enable_lync_app,
    in_shells,
    set_autodiscover_url,
)

S2S_EVIDENCE = (
    "a Get-CsOAuthConfiguration export and a Get-CsPartnerApplication export (to tell "
    "whether server-to-server authentication with Exchange is configured)"
)
"""The `not_evaluated` words when a feature is on and the S2S pieces cannot be seen."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Gap:
    """One missing piece of S2S authentication with Exchange, where it shows, how to close it."""

    what: str
    loc: Location
    fix: tuple[str, ...] = ()
    shell: str = "lync"


def _url_gaps(model: Model) -> list[Gap]:
    gaps = []
    for config in model.oauth_configurations:
        url = config.exchange_autodiscover_url
        if url is None or not url.value.strip():
            gaps.append(
                Gap(
                    "ExchangeAutodiscoverUrl is empty",
                    (url or config).loc,
                    set_autodiscover_url(model, config),
                )
            )
    return gaps


def _lync_side_gaps(model: Model) -> list[Gap]:
    lync_side = lync_onprem_exchange_apps(model)
    if not lync_side:
        online = ", ".join(f'"{app.name}"' for app in lync_apps_for(model, "exchange"))
        detail = f" ({online} uses the OAuth server: Exchange Online)" if online else ""
        return [
            Gap(
                f"Lync has no partner application for on-premises Exchange{detail}",
                model.lync_partner_applications[0].loc,
                create_exchange_app(model),
            )
        ]
    if all(_off(app.enabled) for app in lync_side):
        return [
            Gap(
                f'partner application "{app.name}" is disabled',
                _where(app.enabled, app.loc),
                enable_lync_app(app),
            )
            for app in lync_side
        ]
    return []


def _exchange_side_gaps(model: Model) -> list[Gap]:
    if not model.exchange_partner_applications:
        return []  # Exchange's side was not exported: unknown, not a gap
    exchange_side = onprem_lync_apps_on_exchange(model)
    if not exchange_side:
        online = [
            exchange_app_name(a) for a in exchange_apps_for_lync(model) if is_sfb_online_app(a)
        ]
        detail = f' ("{online[0]}" is Skype for Business Online\'s)' if online else ""
        return [
            Gap(
                f"Exchange has no partner application for on-premises Lync{detail}",
                model.exchange_partner_applications[0].loc,
                create_lync_app_on_exchange(model),
                shell="exchange",
            )
        ]
    if all(_off(app.enabled) for app in exchange_side):
        return [
            Gap(
                f'Exchange partner application "{exchange_app_name(app)}" is disabled',
                _where(app.enabled, app.loc),
                enable_exchange_app(app),
                shell="exchange",
            )
            for app in exchange_side
        ]
    return []


def _certificate_gaps(model: Model) -> list[Gap]:
    if model.cs_certificates and not any(
        entry.is_oauth and entry.thumbprint is not None and entry.thumbprint.value.strip()
        for entry in model.cs_certificates
    ):
        return [
            Gap(
                "no OAuthTokenIssuer certificate is assigned (Get-CsCertificate)",
                model.cs_certificates[0].loc,
                ("# assign Lync's OAuthTokenIssuer certificate: CRT001 names the command",),
            )
        ]
    return []


def s2s_gaps(model: Model) -> tuple[Gap, ...] | None:
    """Return what keeps S2S authentication with on-premises Exchange from being configured.

    An empty tuple means fully configured; None means the bundle cannot tell (no
    `Get-CsOAuthConfiguration` or no `Get-CsPartnerApplication` export). Judged:

    - Lync's `ExchangeAutodiscoverUrl` is set;
    - Lync has an enabled partner application for on-premises Exchange (not one that
      uses the OAuth server);
    - when Exchange's `Get-PartnerApplication` is in the bundle, it has an enabled
      partner application for on-premises Lync (Exchange Online, Graph, Teams and
      Skype for Business Online's `SfBLegacy` do not count);
    - when `Get-CsCertificate` exports are in the bundle, one assigns an
      OAuthTokenIssuer certificate.
    """
    if not model.oauth_configurations or not model.lync_partner_applications:
        return None
    return (
        *_url_gaps(model),
        *_lync_side_gaps(model),
        *_exchange_side_gaps(model),
        *_certificate_gaps(model),
    )


def _off(flag: Located[bool] | None) -> bool:
    return flag is not None and flag.value is False


def _where(flag: Located[bool] | None, fallback: Location) -> Location:
    return flag.loc if flag is not None else fallback


class Setting(Protocol):
    """A settings object of Lync with an identity (global, site, tag)."""

    @property
    def identity(self) -> Located[str] | None: ...


SettingT = TypeVar("SettingT", bound=Setting)


def identity(setting: Setting) -> str:
    """Return a setting's identity as exported, "(unnamed)" when it has none."""
    located = setting.identity
    return located.value if located is not None and located.value else "(unnamed)"


def feature_without_s2s(
    model: Model,
    settings: Sequence[SettingT],
    switch: Callable[[SettingT], Located[bool] | None],
    says: str,
    key: str,
    instead: Callable[[SettingT], Sequence[str]],
) -> Outcome:
    """Report each setting that turns a feature on while S2S with on-premises Exchange is not done.

    `switch` reads whether the setting turns the feature on (None: not exported, not
    counted); `says` opens the message, with `{}` for the setting's identity; `key`
    prefixes the finding key; `instead` gives the commands that turn the feature off
    safely, offered after the ones that configure S2S. Not applicable when no
    on-premises Exchange integration exists: the feature then never reaches Exchange.
    """
    known = [(setting, flag) for setting in settings if (flag := switch(setting)) is not None]
    enabling = [(setting, flag) for setting, flag in known if flag.value]
    if not has_partner_exports(model):
        return not_evaluated(S2S_EVIDENCE) if enabling else evaluated((), len(known))
    if not onprem_exchange_integration(model):
        return not_applicable(ONPREM_EXCHANGE_NOT_CONFIGURED)
    if not enabling:
        return evaluated((), len(known))
    gaps = s2s_gaps(model)
    if gaps is None:
        return not_evaluated(S2S_EVIDENCE)
    if not gaps:
        return evaluated((), len(known))
    reasons = "; ".join(gap.what for gap in gaps)
    related = tuple(dict.fromkeys(gap.loc for gap in gaps))
    configure = [(gap.shell, gap.fix) for gap in gaps]
    issues = [
        Issue(
            f"{says.format(identity(setting))}, but server-to-server "
            f"authentication with Exchange is not fully configured: {reasons}",
            flag.loc,
            related=related,
            key=f"{key}:{identity(setting).lower()}",
            fix="\n".join(in_shells([*configure, ("lync", instead(setting))])),
        )
        for setting, flag in enabling
    ]
    return evaluated(issues, len(known))


WHAT_COUNTS = (
    "Server-to-server authentication with Exchange counts as fully configured when Lync's "
    "`ExchangeAutodiscoverUrl` is set, Lync has an enabled partner application for "
    "on-premises Exchange, Exchange has an enabled partner application for on-premises "
    "Lync (when its `Get-PartnerApplication` is in the bundle) and an OAuthTokenIssuer "
    "certificate is assigned (when `Get-CsCertificate` exports are in the bundle). Whether "
    "each piece is right is judged by the OAU, PAP and CRT rules, which this rule does not "
    "repeat. Not applicable when no on-premises Exchange integration exists (Lync trusting "
    "SharePoint alone, or Exchange Online alone through the OAuth server). The fix closes "
    "only the gaps found: it creates a partner application only where none exists."
)

CONFIGURE_S2S = (
    "# configure server-to-server authentication with on-premises Exchange first ($pool: a\n"
    "# Front End pool FQDN, $autodiscoverHost: Exchange's Autodiscover host)\n"
    "$pool = 'atl-cs-001.litwareinc.com'\n"
    "$autodiscoverHost = 'autodiscover.litwareinc.com'\n"
    "Set-CsOAuthConfiguration -Identity global -ExchangeAutodiscoverUrl "
    '"https://$autodiscoverHost/autodiscover/autodiscover.svc"\n'
    "# only when Lync has no partner application for Exchange yet\n"
    "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full "
    '-MetadataUrl "https://$autodiscoverHost/autodiscover/metadata/json/1"\n'
    "# Exchange Management Shell: only when Exchange has no partner application for Lync\n"
    '& "$env:ExchangeInstallPath\\Scripts\\Configure-EnterprisePartnerApplication.ps1" '
    '-AuthMetadataUrl "https://$pool/metadata/json/1" -ApplicationType Lync\n'
    "iisreset\n"
    "# Lync Server Management Shell\n"
)
"""The docs' fix for both rules: configure S2S with Exchange where a piece is missing."""
