"""PAP012 partner-cert-stale: Exchange holds Lync certificates that Lync no longer signs with."""

from __future__ import annotations

from datetime import timedelta

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Severity
from s2slint.model import LYNC_APP_ID, ExchangePartnerApplication, Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, not_applicable

from .._shared import references as ref
from .._shared.integration import (
    ONPREM_EXCHANGE_NOT_CONFIGURED,
    exchange_app_name,
    exchange_key,
    onprem_exchange_integration,
    onprem_lync_apps_on_exchange,
)
from .._shared.oauth_certs import LyncOAuthCertificates, lync_oauth_certificates
from .._shared.powershell import argument
from ._common import EXCHANGE_APPS, judge

ROLL_MARGIN = timedelta(hours=24)
"""A roll due within this margin may already be the certificate Exchange holds."""

CS_CERTIFICATES = any_of(
    Export.CS_CERTIFICATES,
    say="a Get-CsCertificate export (the OAuthTokenIssuer assignment)",
    when=onprem_exchange_integration,
)
"""Lync's certificate in force; not needed when on-premises Exchange integration is not set up."""


def _examine(
    app: ExchangePartnerApplication, lync: LyncOAuthCertificates, accepted: set[str]
) -> Issue | None:
    held = app.certificates or ()
    if any(certificate.thumbprint in accepted for certificate in held):
        return None
    name = exchange_app_name(app)
    listing = ", ".join(
        f'{c.thumbprint} ("{c.subject}")' if c.subject else c.thumbprint for c in held
    )
    entries = next(iter(lync.in_force.values()))
    return Issue(
        f'Exchange partner application "{name}" holds {listing} from Lync\'s metadata, but '
        f"Lync's OAuthTokenIssuer certificate in force is {lync.describe_in_force()}: Exchange "
        "has not refreshed the metadata since the certificate changed and rejects Lync's tokens",
        held[0].loc,
        related=tuple(e.thumbprint.loc for e in entries[:1] if e.thumbprint is not None),
        key=exchange_key(app),
        fix=f"Set-PartnerApplication -Identity {argument(name)} -RefreshAuthMetadata",
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag Exchange's application for Lync when none of its certificates is Lync's in force."""
    apps = onprem_lync_apps_on_exchange(model)
    if not apps and not onprem_exchange_integration(model):
        return not_applicable(ONPREM_EXCHANGE_NOT_CONFIGURED)
    lync = lync_oauth_certificates(model, ctx.now)
    accepted = set(lync.in_force) | lync.staged_before(ctx.now + ROLL_MARGIN)
    # Only what the export shows: an application with no certificate listed, or a Lync
    # side with no certificate in force (CRT001's), is not judged.
    known = [app for app in apps if app.certificates] if lync.in_force else []
    return judge(known, lambda app: _examine(app, lync, accepted))


DOC = RuleDoc(
    what=(
        "Reports Exchange's partner application for on-premises Lync (a metadata URL on a "
        f"Lync pool, or Lync's identifier `{LYNC_APP_ID}` without `UseAuthServer`) whose "
        "`CertificateStrings` (the certificates Exchange last read from Lync's metadata, "
        "decoded from base64) include neither Lync's OAuthTokenIssuer certificate in force "
        "at the evaluation date (`--as-of`) nor, within 24 hours before a staged roll, the "
        "rolled one. An application whose `CertificateStrings` is empty or not exported is "
        "not counted as checked. Not applicable when on-premises Exchange integration is "
        "not configured."
    ),
    why=(
        "Exchange validates Lync's tokens with the certificates it read from Lync's "
        "metadata, and refreshes them on a schedule. When the refresh fails, or the "
        "certificate was replaced without a roll, Exchange keeps the old certificate: from "
        "the change on, every call Lync makes is answered with 401, "
        "`Test-CsExStorageConnectivity` fails, contacts stop syncing with the unified "
        "contact store and archiving to Exchange stops."
    ),
    bad=EXCHANGE_APPS + f'<S N="ApplicationIdentifier">{LYNC_APP_ID}</S>\n'
    '<Obj N="CertificateStrings" RefId="1"><LST>\n'
    "  <S>MIIF...</S>  <!-- the certificate Lync replaced in January -->\n</LST></Obj>",
    good=EXCHANGE_APPS + f'<S N="ApplicationIdentifier">{LYNC_APP_ID}</S>\n'
    '<Obj N="CertificateStrings" RefId="1"><LST>\n'
    "  <S>MIIG...</S>  <!-- Get-CsCertificate -Type OAuthTokenIssuer, thumbprint 7054C1... -->"
    "\n</LST></Obj>",
    fix=(
        "# Exchange Management Shell: $name is Exchange's partner application for Lync\n"
        "$name = 'LyncEnterprise-4b0e3f7a9c2d4e1f8a6b5c3d2e1f0a9b'\n"
        "Set-PartnerApplication -Identity $name -RefreshAuthMetadata"
    ),
    references=(
        ref.SET_PARTNER_APPLICATION,
        ref.CONFIGURE_PARTNER_APPS_SFB,
        ref.STAGE_CERTS_SFB,
        ref.ASSIGN_CERT_SFB,
    ),
)

RULE = Rule(
    code="PAP012",
    name="partner-cert-stale",
    severity=Severity.ERROR,
    summary="Exchange's partner application for Lync holds none of Lync's OAuth certificates",
    doc=DOC,
    check=check,
    requires=(any_of(Export.EXCHANGE_PARTNER_APPLICATIONS), CS_CERTIFICATES),
)
