"""PAP010 conflicting-partner-app-parameters: trusted through metadata, or explicitly, not both."""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.model import ExchangePartnerApplication, Located, LyncPartnerApplication, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.integration import (
    exchange_app_name,
    exchange_apps_for_lync,
    exchange_key,
    lync_key,
)
from .._shared.judge import merged
from ._common import (
    DOC_EXCHANGE_TRUSTS_LYNC,
    DOC_IDENTITY,
    DOC_METADATA_URL,
    DOC_NAME,
    DOC_POOL_METADATA_URL,
    EITHER_SIDE,
    EXCHANGE_APPS,
    LYNC_METADATA,
    given,
    judge,
)
from ._fixes import (
    LYNC_SHELL,
    host_of,
    lines,
    lync_identity,
    lync_pool_for,
    rebuild_exchange_app_for_lync,
    rebuild_lync_app,
)

DOC = RuleDoc(
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
    bad=EXCHANGE_APPS + f'<S N="AuthMetadataUrl">{LYNC_METADATA}</S>\n'
    '<B N="UseAuthServer">true</B>',
    good=EXCHANGE_APPS + f'<S N="AuthMetadataUrl">{LYNC_METADATA}</S>\n'
    '<B N="UseAuthServer">false</B>',
    fix=(
        "# Skype for Business Server Management Shell: create Lync's application ($identity)\n"
        "# again from its metadata URL ($metadataUrl) only\n"
        f"{DOC_IDENTITY}\n{DOC_METADATA_URL}\n"
        "Remove-CsPartnerApplication -Identity $identity\n"
        "New-CsPartnerApplication -Identity $identity -ApplicationTrustLevel Full "
        "-MetadataUrl $metadataUrl\n"
        "# Exchange Management Shell: create Exchange's application for Lync ($name) again\n"
        "# from the pool's metadata ($poolMetadataUrl) only, then restart IIS on every\n"
        "# Exchange server ($server)\n"
        f"{DOC_NAME}\n{DOC_POOL_METADATA_URL}\n"
        "Remove-PartnerApplication -Identity $name\n"
        f"{DOC_EXCHANGE_TRUSTS_LYNC}"
    ),
    references=(
        ref.NEW_CS_PARTNER_APPLICATION,
        ref.SET_PARTNER_APPLICATION,
        ref.PARTNER_APP_ONPREM_SFB,
    ),
)


def explicit_certificate(app: LyncPartnerApplication) -> Located[str] | None:
    """Return the certificate data an export carries for a Lync partner application.

    `New-CsPartnerApplication -CertificateRawData/-CertificateFileData` apps carry it;
    an app created with `-MetadataUrl` does not (its identifier, shown in the export,
    comes from the metadata). The model reads no certificate property of
    `Get-CsPartnerApplication` yet; a record that has a `certificate` attribute is honoured.
    """
    found = getattr(app, "certificate", None)
    return found if isinstance(found, Located) and str(found.value).strip() else None


def _examine_lync(item: tuple[LyncPartnerApplication, Located[str]]) -> Issue | None:
    app, url = item
    certificate = explicit_certificate(app)
    if certificate is None:
        return None
    identity = lync_identity(app)
    fix = lines(LYNC_SHELL, rebuild_lync_app(identity, url.value.strip())) if identity else ""
    return Issue(
        f'partner application "{app.name}" has both a metadata URL '
        f'("{url.value}") and explicit certificate data',
        certificate.loc,
        related=(url.loc,),
        key=lync_key(app),
        fix=fix,
    )


def _exchange_fix(model: Model, app: ExchangePartnerApplication, url: str) -> str:
    """Create Exchange's application for Lync again from the pool's metadata only."""
    pool = lync_pool_for(model, host_of(url))
    return lines(rebuild_exchange_app_for_lync(model, app, pool)) if pool else ""


def _examine_exchange(
    model: Model, item: tuple[ExchangePartnerApplication, Located[str]]
) -> Issue | None:
    app, url = item
    auth_server = app.use_auth_server
    if auth_server is None or not auth_server.value:
        return None
    return Issue(
        f'Exchange partner application "{exchange_app_name(app)}" has both '
        f'an AuthMetadataUrl ("{url.value}") and UseAuthServer, which trusts its '
        "ApplicationIdentifier through an authorization server",
        auth_server.loc,
        related=(url.loc,),
        key=exchange_key(app),
        fix=_exchange_fix(model, app, url.value),
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a partner application trusted both through metadata and explicitly.

    Lync: explicit certificate data next to a metadata URL (the identifier alone proves
    nothing: a `-MetadataUrl` application shows the one it read from the metadata).
    Exchange: an application for Lync with an `AuthMetadataUrl` and `UseAuthServer`
    set, i.e. trusted by its identifier through an authorization server as well.
    Only applications with a metadata URL are counted.
    """
    lync_side = (
        (app, url)
        for app in model.lync_partner_applications
        if (url := app.metadata_url) is not None and given(url)
    )
    exchange_side = (
        (app, url)
        for app in exchange_apps_for_lync(model)
        if (url := app.auth_metadata_url) is not None and given(url)
    )
    return merged(
        judge(lync_side, _examine_lync),
        judge(exchange_side, lambda item: _examine_exchange(model, item)),
    )


RULE = Rule(
    code="PAP010",
    name="conflicting-partner-app-parameters",
    severity=Severity.ERROR,
    summary="A partner application has both a metadata URL and an explicit identifier or certificate",
    doc=DOC,
    check=check,
    requires=(EITHER_SIDE,),
)
