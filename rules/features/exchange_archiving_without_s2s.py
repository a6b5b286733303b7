"""FEA002 exchange-archiving-without-s2s: archiving to Exchange without S2S with Exchange."""

from __future__ import annotations

from s2slint.findings import Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, not_evaluated

from .._shared import references as ref
from ._common import CONFIGURE_S2S, WHAT_COUNTS, feature_without_s2s

DOC = RuleDoc(
    what=(
        "Reports each archiving configuration (`Get-CsArchivingConfiguration`) with "
        "`EnableExchangeArchiving` true while server-to-server authentication with "
        "Exchange is not fully configured, and lists what is missing. " + WHAT_COUNTS
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
        CONFIGURE_S2S + "# or archive in Lync until it is done\n"
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
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an archiving configuration that archives to Exchange without S2S."""
    if not model.archiving_configurations:
        return not_evaluated("a Get-CsArchivingConfiguration export")
    return feature_without_s2s(
        model,
        model.archiving_configurations,
        lambda config: config.enable_exchange_archiving,
        'archiving configuration "{}" enables Exchange archiving',
        "archiving-configuration",
    )


RULE = Rule(
    code="FEA002",
    name="exchange-archiving-without-s2s",
    severity=Severity.ERROR,
    summary="Exchange archiving is enabled but S2S authentication with Exchange is not",
    check=check,
    doc=DOC,
)
