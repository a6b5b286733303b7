"""OAU007 service-name-mismatch: an OAuth ServiceName other than the product's well-known one."""

from __future__ import annotations

from dataclasses import dataclass

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Severity
from s2slint.model import Located, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.integration import PRODUCT_IDS, PRODUCT_NAMES
from .._shared.judge import judge
from .._shared.powershell import argument
from ._common import OAUTH_SETTINGS

DOC = RuleDoc(
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
    bad=OAUTH_SETTINGS + '<S N="ServiceName">00000002-0000-0ff1-ce00-000000000000</S>',
    good=OAUTH_SETTINGS + '<S N="ServiceName">00000004-0000-0ff1-ce00-000000000000</S>',
    fix=(
        "Set-CsOAuthConfiguration -Identity global -ServiceName "
        "00000004-0000-0ff1-ce00-000000000000\n"
        "# Exchange Management Shell\n"
        "Set-AuthConfig -ServiceName 00000002-0000-0ff1-ce00-000000000000"
    ),
    references=(ref.MANAGE_S2S_SFB, ref.HYBRID_S2S_SFB),
)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Side:
    """One side's OAuth settings: what messages call it, its product and finding key."""

    what: str
    product: str
    key: str
    service_name: Located[str] | None
    fix: str


def _identity(identity: Located[str] | None) -> str:
    return identity.value if identity is not None and identity.value else "Global"


def _sides(model: Model) -> list[_Side]:
    return [
        *(
            _Side(
                "Lync OAuth",
                "lync",
                "oauth-configuration",
                c.service_name,
                f"Set-CsOAuthConfiguration -Identity {argument(_identity(c.identity))} "
                f"-ServiceName {PRODUCT_IDS['lync']}",
            )
            for c in model.oauth_configurations
        ),
        *(
            _Side(
                "Exchange AuthConfig",
                "exchange",
                "exchange-auth-config",
                c.service_name,
                f"Set-AuthConfig -ServiceName {PRODUCT_IDS['exchange']}",
            )
            for c in model.exchange_auth_configs
        ),
    ]


def _wrong_name(side: _Side, name: Located[str]) -> Issue | None:
    expected = PRODUCT_IDS[side.product]
    if name.value.strip().lower() == expected:
        return None
    shown = f'"{name.value}"' if name.value.strip() else "empty"
    return Issue(
        f"{side.what} ServiceName is {shown}; {PRODUCT_NAMES[side.product]} must use {expected}",
        name.loc,
        key=f"{side.key}:ServiceName",
        fix=side.fix,
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a Lync or Exchange OAuth ServiceName other than the product's well-known one.

    A ServiceName that was not exported is unknown and not counted.
    """
    return judge(_sides(model), lambda side: side.service_name, _wrong_name)


RULE = Rule(
    code="OAU007",
    name="service-name-mismatch",
    severity=Severity.ERROR,
    summary="Lync's or Exchange's OAuth ServiceName is not the product's well-known identifier",
    check=check,
    doc=DOC,
    requires=(any_of(Export.OAUTH_CONFIGURATION, Export.EXCHANGE_AUTH_CONFIG),),
)
