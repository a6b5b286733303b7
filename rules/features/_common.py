"""What both FEA rules share: the S2S "gaps" predicate and the one feature judgement.

`s2s_gaps` says what keeps server-to-server authentication with Exchange from being
*configured*, judged from the exports present. It asks for the pieces, not for their
correctness, which the OAU, PAP and CRT rules judge: an autodiscover URL that is set,
an enabled partner application on each side, an OAuthTokenIssuer certificate that is
assigned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from s2slint.findings import Issue, Location
from s2slint.model import Located, Model
from s2slint.rule import Outcome, evaluated, not_evaluated

from .._shared.integration import exchange_app_name, exchange_apps_for_lync, lync_apps_for

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


class Setting(Protocol):
    """A settings object of Lync with an identity (global, site, tag)."""

    @property
    def identity(self) -> Located[str] | None: ...


SettingT = TypeVar("SettingT", bound=Setting)


def _identity(located: Located[str] | None) -> str:
    return located.value if located is not None and located.value else "(unnamed)"


def feature_without_s2s(
    model: Model,
    settings: Sequence[SettingT],
    switch: Callable[[SettingT], Located[bool] | None],
    says: str,
    key: str,
) -> Outcome:
    """Report each setting that turns a feature on while S2S with Exchange is incomplete.

    `switch` reads the flag that turns the feature on (None: not exported, not counted);
    `says` is the message's opening, with `{}` for the setting's identity; `key`
    prefixes the finding key. The S2S exports are needed only when some setting turns
    the feature on.
    """
    known = [(setting, flag) for setting in settings if (flag := switch(setting)) is not None]
    enabling = [(setting, flag) for setting, flag in known if flag.value]
    if not enabling:
        return evaluated((), len(known))
    gaps = s2s_gaps(model)
    if gaps is None:
        return not_evaluated(S2S_EVIDENCE)
    if not gaps:
        return evaluated((), len(known))
    reasons = "; ".join(gap.what for gap in gaps)
    related = tuple(dict.fromkeys(gap.loc for gap in gaps))
    issues = [
        Issue(
            f"{says.format(_identity(setting.identity))}, but server-to-server "
            f"authentication with Exchange is not fully configured: {reasons}",
            flag.loc,
            related=related,
            key=f"{key}:{_identity(setting.identity).lower()}",
        )
        for setting, flag in enabling
    ]
    return evaluated(issues, len(known))


CONFIGURE_S2S = (
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
"""The docs' fix for both rules: configure S2S with Exchange, then test it."""

WHAT_COUNTS = (
    "Server-to-server authentication with Exchange counts as fully configured when Lync's "
    "`ExchangeAutodiscoverUrl` is set, Lync has an enabled partner application for "
    "Exchange, Exchange has an enabled partner application for Lync (when its "
    "`Get-PartnerApplication` is in the bundle) and an OAuthTokenIssuer certificate is "
    "assigned (when `Get-CsCertificate` exports are in the bundle). Whether each piece is "
    "right is judged by the OAU, PAP and CRT rules, which this rule does not repeat."
)
