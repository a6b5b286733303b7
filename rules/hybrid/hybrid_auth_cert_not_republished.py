"""HYB004 hybrid-auth-cert-not-republished: Microsoft 365 never received Exchange's new Auth certificate."""

from __future__ import annotations

from datetime import UTC, datetime

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location, Severity
from s2slint.model import Certificate, HybridConfiguration, Model, normalize_thumbprint
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_applicable

from .._shared import references as ref
from ._common import exchange_auth_in_force, exchange_hybrid_possible, exchange_hybrid_ruled_out

NOT_HYBRID = "the exports show no Exchange hybrid with Microsoft 365"

HYBRID_CONFIGURATION = any_of(Export.HYBRID_CONFIGURATIONS, when=exchange_hybrid_possible)
AUTH_CONFIG = any_of(Export.EXCHANGE_AUTH_CONFIG, when=exchange_hybrid_possible)
AUTH_CERTIFICATE = any_of(
    Export.CERTIFICATE_FILES,
    say="a Get-ExchangeCertificate export (or a certificate file) of the Exchange Auth certificate",
    when=exchange_hybrid_possible,
)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _when(moment: datetime) -> str:
    return _utc(moment).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _fix(thumbprint: str, issued: datetime) -> str:
    return (
        f"# The Exchange Auth certificate {thumbprint} (issued {_when(issued)}) reaches\n"
        "# Microsoft 365 only through the Hybrid Configuration Wizard: run it again\n"
        "# (https://aka.ms/HybridWizard) on an Exchange server, then check its run date:\n"
        "Get-HybridConfiguration | Format-List Name, WhenChangedUTC"
    )


def _issue(
    hybrid: HybridConfiguration, copy: Certificate, thumbprint_loc: Location
) -> Issue | None:
    changed = hybrid.when_changed
    if changed is None or _utc(copy.not_before) <= _utc(changed.value):
        return None
    return Issue(
        f'the Exchange Auth certificate in force "{copy.subject}" (thumbprint {copy.thumbprint}) '
        f"was issued on {_when(copy.not_before)}, after the Hybrid Configuration Wizard last "
        f"ran ({_when(changed.value)}, WhenChangedUTC): the wizard has not published it to "
        "Microsoft 365, so cross-premises OAuth (free/busy, Teams calendar, mailbox moves) "
        "fails",
        changed.loc,
        related=(thumbprint_loc, copy.loc),
        key="hybrid-configuration:auth-certificate",
        fix=_fix(copy.thumbprint, copy.not_before),
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an Exchange Auth certificate issued after the hybrid configuration last changed."""
    if exchange_hybrid_ruled_out(model):
        return not_applicable(NOT_HYBRID)
    copies = {normalize_thumbprint(c.thumbprint): c for c in model.certificates}
    issues: list[Issue] = []
    checked = 0
    for config in model.exchange_auth_configs:
        in_force = exchange_auth_in_force(config, ctx.now)
        copy = copies.get(normalize_thumbprint(in_force.value)) if in_force else None
        if in_force is None or copy is None:
            continue  # no certificate in force, or not in the bundle: CRT011's
        for hybrid in model.hybrid_configurations:
            if hybrid.when_changed is None:
                continue
            checked += 1
            issue = _issue(hybrid, copy, in_force.loc)
            if issue is not None:
                issues.append(issue)
    return evaluated(issues, checked)


DOC = RuleDoc(
    what=(
        "Reports a `Get-HybridConfiguration` export whose `WhenChangedUTC` (when the Hybrid "
        "Configuration Wizard last ran) is earlier than the `NotBefore` of the Exchange Auth "
        "certificate in force (`Get-AuthConfig`: `CurrentCertificateThumbprint`, or "
        "`NextCertificateThumbprint` once `NewCertificateEffectiveDate` has passed), read "
        "from a `Get-ExchangeCertificate` export or a certificate file. Not applicable when "
        "the exports show no Exchange hybrid: Exchange's partner applications or auth "
        "servers were exported and include neither the `Exchange Online` application nor an "
        "auth server for Microsoft's token service, and there is no `Get-HybridConfiguration`."
    ),
    why=(
        "Microsoft 365 validates the tokens on-premises Exchange sends with the Auth "
        "certificate the Hybrid Configuration Wizard uploaded. After the certificate is "
        "renewed, cross-premises requests signed with the new one fail until the wizard "
        "runs again: free/busy between on-premises and cloud mailboxes, the Teams calendar "
        "of on-premises mailboxes and mailbox moves stop working from the day the new "
        "certificate takes effect, while everything on premises keeps working."
    ),
    bad="<!-- Get-HybridConfiguration | Export-Clixml -->\n"
    '<DT N="WhenChangedUTC">2025-09-16T14:09:31Z</DT>\n'
    "<!-- the Auth certificate in force: Not Before 2026-05-04 -->",
    good="<!-- Get-HybridConfiguration | Export-Clixml -->\n"
    '<DT N="WhenChangedUTC">2026-05-05T08:12:40Z</DT>\n'
    "<!-- the Auth certificate in force: Not Before 2026-05-04 -->",
    fix=(
        "# Run the Hybrid Configuration Wizard again (https://aka.ms/HybridWizard) on an\n"
        "# Exchange server: it publishes the current Auth certificate to Microsoft 365.\n"
        "# Then check the run date against the certificate's Not Before:\n"
        "Get-HybridConfiguration | Format-List Name, WhenChangedUTC\n"
        "$thumbprint = (Get-AuthConfig).CurrentCertificateThumbprint\n"
        "Get-ExchangeCertificate -Thumbprint $thumbprint | Format-List Thumbprint, NotBefore"
    ),
    references=(
        ref.MONITOR_AUTH_CERT,
        ref.GET_HYBRID_CONFIGURATION,
        ref.EXCHANGE_AUTH_EXPIRED,
        ref.SET_AUTHCONFIG,
    ),
)

RULE = Rule(
    code="HYB004",
    name="hybrid-auth-cert-not-republished",
    severity=Severity.WARNING,
    summary="The Exchange Auth certificate was renewed after the Hybrid Configuration Wizard last ran",
    doc=DOC,
    check=check,
    requires=(HYBRID_CONFIGURATION, AUTH_CONFIG, AUTH_CERTIFICATE),
)
