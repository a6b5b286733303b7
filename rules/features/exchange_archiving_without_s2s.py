"""FEA002 exchange-archiving-without-s2s: archiving to Exchange without S2S with Exchange."""

from __future__ import annotations

from s2slint.evidence import Export, any_of
from s2slint.findings import Severity
from s2slint.model import ArchivingConfiguration, Located, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.powershell import argument
from ._common import CONFIGURE_S2S, WHAT_COUNTS, feature_without_s2s, identity

DOC = RuleDoc(
    what=(
        "Reports each archiving configuration (`Get-CsArchivingConfiguration`) that "
        "archives to Exchange, `EnableExchangeArchiving` true and `EnableArchiving` other "
        "than `None` (`None` archives nothing, wherever), while server-to-server "
        "authentication with on-premises Exchange is not fully configured, and lists what "
        "is missing. " + WHAT_COUNTS
    ),
    why=(
        "With Exchange archiving, Lync writes instant messages and meeting content "
        "into the users' mailboxes instead of its own archiving database. Without "
        "server-to-server authentication Exchange refuses the writes: nothing is "
        "archived anywhere, which is a compliance failure, and with "
        "`BlockOnArchiveFailure` users cannot even send messages."
    ),
    bad='<S N="Identity">Global</S>\n<S N="EnableArchiving">ImAndWebConf</S>\n'
    '<B N="EnableExchangeArchiving">true</B>\n'
    "<!-- and ExchangeAutodiscoverUrl is empty -->",
    good='<S N="Identity">Global</S>\n<S N="EnableArchiving">ImAndWebConf</S>\n'
    '<B N="EnableExchangeArchiving">true</B>\n'
    "<!-- with the autodiscover URL and both partner applications in place -->",
    fix=(
        CONFIGURE_S2S + "# or archive in Lync's own archiving store until it is done\n"
        "Set-CsArchivingConfiguration -Identity global -EnableExchangeArchiving $False"
    ),
    evidence=(
        "Get-CsOAuthConfiguration and partner application exports when Exchange archiving "
        "is enabled"
    ),
    references=(
        ref.MANAGE_S2S_SFB,
        ref.INTEGRATE_EXCHANGE_SFB,
        ref.SET_CS_ARCHIVING_CONFIGURATION,
    ),
)


def archives_to_exchange(config: ArchivingConfiguration) -> Located[bool] | None:
    """Tell whether a configuration archives to Exchange, located at `EnableExchangeArchiving`.

    True when `EnableExchangeArchiving` is True and `EnableArchiving` is not `None`
    (an export without `EnableArchiving` is judged by the first alone); None when
    `EnableExchangeArchiving` was not exported.
    """
    flag = config.enable_exchange_archiving
    if flag is None:
        return None
    level = config.enable_archiving
    archives = level is None or level.value.strip().lower() != "none"
    return Located.at(flag.value and archives, flag.loc)


def _archive_in_lync(config: ArchivingConfiguration) -> list[str]:
    return [
        "# or archive in Lync's own archiving store until it is done",
        f"Set-CsArchivingConfiguration -Identity {argument(identity(config))} "
        "-EnableExchangeArchiving $False",
    ]


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an archiving configuration that archives to Exchange without S2S."""
    return feature_without_s2s(
        model,
        model.archiving_configurations,
        archives_to_exchange,
        'archiving configuration "{}" enables Exchange archiving',
        "archiving-configuration",
        _archive_in_lync,
    )


RULE = Rule(
    code="FEA002",
    name="exchange-archiving-without-s2s",
    severity=Severity.ERROR,
    summary="Exchange archiving is enabled but S2S authentication with Exchange is not",
    check=check,
    doc=DOC,
    requires=(any_of(Export.ARCHIVING_CONFIGURATIONS),),
)
