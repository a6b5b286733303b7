"""The PowerShell the CRT rules give as fixes: each finding's own, and the docs' generic form.

A finding's fix is built from the bundle's real values (thumbprints, SIP domains, the
issuing CA's name, server names, dates); the documentation shows the same commands with
`$variables` set at the top. Every command exists in the versions s2slint reads:
`Set-CsCertificate -Roll -EffectiveDate` and `Request-CsCertificate -AllSipDomain` from
Lync Server 2013 on (Lync Server 2010 lacks them); `Set-AuthConfig -NewCertificateThumbprint
-NewCertificateEffectiveDate`, `-PublishCertificate` and `-ClearPreviousCertificate` from
Exchange 2013 on; `Export-ExchangeCertificate -BinaryEncoded` with `FileData` in every
version (its `-FileName` is Exchange 2013's only); `Get-ADObject` from the ActiveDirectory
module, `Restart-WebAppPool` from WebAdministration.

Timing follows Microsoft's rules: a roll takes effect at least 24 hours before the
certificate it replaces expires, and two days ahead when there is time (replication and
the partners' metadata refresh need it); a certificate that has expired, or has under 24
hours left, is replaced at once, because every hour of a roll is an hour of outage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from s2slint.model import EXCHANGE_APP_ID, Model, normalize_fqdn
from s2slint.rule import RuleContext

from .._shared.integration import exchange_app_name, onprem_lync_apps_on_exchange
from ._dates import utc
from ._exchange import is_edge
from ._scope import (
    CURRENT,
    NEXT,
    OAUTH,
    ScopedCertificate,
    not_after,
    not_before,
    scoped_certificates,
)

ROLL_MARGIN = timedelta(hours=24)
"""How long before the replaced certificate expires a roll must take effect, at least."""
ROLL_LEAD = timedelta(days=2)
"""How far ahead a roll takes effect when there is time."""
AUTH_SUBJECT = "cn=Microsoft Exchange Server Auth Certificate"
AUTH_NAME = "Microsoft Exchange Server Auth Certificate"


# ------------------------------------------------------------------------- values


def quote(text: str) -> str:
    """Return `text` as a single-quoted PowerShell string (data, never code)."""
    return "'" + text.replace("'", "''").replace("\u2018", "''").replace("\u2019", "''") + "'"


def win_path(*parts: str) -> str:
    """Return a Windows path from its parts as a quoted string (`'.\\certs\\x.cer'`)."""
    return quote("\\".join(part.replace("/", "\\") for part in parts))


def ps_date(moment: datetime) -> str:
    """Return a date PowerShell binds to a DateTime parameter: `'2026-11-23T14:00:00Z'`."""
    return quote(f"{utc(moment).astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}")


def roll_date(now: datetime, replaced_expiry: datetime | None) -> datetime | None:
    """Return when a roll should take effect, or None when there is no time for a roll.

    Two days from `now` (on the whole UTC hour, as the date is printed: an `--as-of` at
    +05:30 must not turn at half past), but no later than 24 hours before the replaced
    certificate expires; None when that moment has passed (assign at once).
    """
    now = utc(now).astimezone(UTC)
    ahead = (now + ROLL_LEAD).replace(minute=0, second=0, microsecond=0)
    if ahead < now + ROLL_LEAD:
        ahead += timedelta(hours=1)
    if replaced_expiry is None:
        return ahead
    latest = (utc(replaced_expiry) - ROLL_MARGIN).replace(second=0, microsecond=0)
    if latest < now:
        return None
    return min(ahead, latest)


def common_name(distinguished: str | None) -> str | None:
    """Return the CN of a distinguished name (`CN=LitwareInc Enterprise CA, DC=...`)."""
    if not distinguished:
        return None
    match = re.search(r"(?:^|[,/]\s*)CN=(\"[^\"]*\"|[^,+/]*)", distinguished, re.IGNORECASE)
    if match is None:
        return None
    name = match.group(1).strip().strip('"').strip()
    return name or None


# ------------------------------------------------------------------ what a fix needs


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class FixContext:
    """What the fixes of one run need to know about the deployment."""

    now: datetime
    sip_domains: tuple[str, ...]
    exchange_lync_apps: tuple[str, ...]
    exchange_servers: tuple[str, ...]
    hybrid: bool
    scoped: tuple[ScopedCertificate, ...]

    @classmethod
    def of(cls, model: Model, now: datetime, scoped: Iterable[ScopedCertificate]) -> FixContext:
        """Read the SIP domains, Exchange's trust for Lync, its servers and hybrid state."""
        domains: list[str] = []
        for domain in model.sip_domains():
            name = normalize_fqdn(domain.value)
            if name and name not in domains:
                domains.append(name)
        servers = tuple(
            normalize_fqdn(s.fqdn.value) if s.fqdn is not None else s.name.value
            for s in model.exchange_servers
            if not is_edge(s)
        )
        return cls(
            now=now,
            sip_domains=tuple(domains),
            exchange_lync_apps=tuple(
                exchange_app_name(app) for app in onprem_lync_apps_on_exchange(model)
            ),
            exchange_servers=servers,
            hybrid=_exchange_hybrid(model),
            scoped=tuple(scoped),
        )

    def in_force(self, role: str) -> list[ScopedCertificate]:
        """Return the certificates of `role` in force at the evaluation date."""
        return [s for s in self.scoped if s.role == role and s.stage == CURRENT]

    def expiry_in_force(self, role: str) -> datetime | None:
        """Return the earliest NotAfter of the certificates of `role` in force."""
        dates = [seen.value for s in self.in_force(role) if (seen := not_after(s)) is not None]
        return min((utc(d) for d in dates), default=None)

    def usable_staged(self, role: str) -> ScopedCertificate | None:
        """Return a staged certificate of `role` that is valid now (to put in force at once)."""
        now = utc(self.now)
        best: tuple[datetime, ScopedCertificate] | None = None
        for item in self.scoped:
            if item.role != role or item.stage != NEXT:
                continue
            start, end = not_before(item), not_after(item)
            if start is None or end is None or not utc(start.value) <= now < utc(end.value):
                continue
            if best is None or utc(end.value) > best[0]:
                best = (utc(end.value), item)
        return best[1] if best is not None else None


def fix_context(model: Model, ctx: RuleContext) -> FixContext:
    """Return what the fixes of a rule's run need, the certificates in scope included."""
    return FixContext.of(model, ctx.now, scoped_certificates(model, ctx.now))


def _exchange_hybrid(model: Model) -> bool:
    """Tell whether Exchange is in hybrid with Exchange Online (the wizard must republish).

    The Hybrid Configuration Wizard's `Exchange Online` partner application (Exchange's
    identifier through the authorization server) or an authorization server.
    """
    for app in model.exchange_partner_applications:
        identifier = app.application_identifier
        uses = app.use_auth_server is not None and app.use_auth_server.value
        if identifier is not None and identifier.value.strip().lower() == EXCHANGE_APP_ID and uses:
            return True
    return bool(model.exchange_auth_servers)


# -------------------------------------------------------------------------- Lync


def lync_ca_lines(ca_name: str | None) -> list[str]:
    """Set `$ca` to the issuing CA as `CA-FQDN\\CA-name`, looked up in Active Directory.

    The CA's name comes from the certificate's issuer; its server's name is what the
    enrollment service object of the forest says. Without a name, the forest's first
    enterprise CA is taken.
    """
    base = (
        '$enrollment = Get-ADObject -SearchBase ("CN=Enrollment Services,CN=Public Key '
        'Services,CN=Services," + (Get-ADRootDSE).configurationNamingContext)'
    )
    if ca_name is None:
        return [
            "# the forest's first enterprise CA, as CA-FQDN\\CA-name (choose another if need be)",
            base + " -Filter * -Properties dNSHostName | Select-Object -First 1",
            "$ca = $enrollment.dNSHostName + '\\' + $enrollment.Name",
        ]
    return [
        "# the issuing CA as CA-FQDN\\CA-name, its server read from Active Directory",
        f"$caName = {quote(ca_name)}",
        base + " -Filter \"cn -eq '$caName'\" -Properties dNSHostName",
        "$ca = $enrollment.dNSHostName + '\\' + $caName",
    ]


def lync_request_lines(domains: Sequence[str], key_note: str = "") -> list[str]:
    """Request a new OAuthTokenIssuer certificate into `$cert` (needs `$ca`).

    The SIP domains go in the subject alternative names: listed with `-DomainName`
    when the topology names them, else `-AllSipDomain`.
    """
    names = f"-DomainName {quote(','.join(domains))}" if domains else "-AllSipDomain"
    return [
        "# a 2048-bit RSA key, exportable (replication deploys it to every Front End)" + key_note,
        "$cert = Request-CsCertificate -New -Type OAuthTokenIssuer -CA $ca "
        f"{names} -KeySize 2048 -PrivateKeyExportable $True -FriendlyName 'OAuthTokenIssuer'",
    ]


def lync_roll_line(thumbprint: str, effective: str) -> str:
    """Roll a certificate in globally at `effective` (PowerShell expressions)."""
    return (
        f"Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint {thumbprint} "
        f"-Roll -EffectiveDate {effective}"
    )


def lync_assign_line(thumbprint: str) -> str:
    """Put a certificate in force globally at once."""
    return f"Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint {thumbprint}"


def refresh_lync_metadata_lines(apps: Sequence[str]) -> list[str]:
    """Make Exchange read Lync's metadata (and its new certificate) now."""
    lines = ["# Exchange: read Lync's new certificate from its metadata now"]
    if apps:
        lines += [
            f"Set-PartnerApplication -Identity {quote(app)} -RefreshAuthMetadata" for app in apps
        ]
    else:
        lines.append(
            "Get-PartnerApplication | Where-Object { $_.ApplicationIdentifier -eq "
            "'00000004-0000-0ff1-ce00-000000000000' -and $_.AuthMetadataUrl } | "
            "Set-PartnerApplication -RefreshAuthMetadata"
        )
    return lines


def issuer_name(item: ScopedCertificate) -> str | None:
    """Return the issuing CA's name of a certificate (None for a self-signed one)."""
    issuers = [c.issuer for c in item.copies if c.issuer and c.issuer != c.subject]
    issuers += [
        e.issuer.value
        for e in item.assignments
        if e.issuer is not None and (e.subject is None or e.issuer.value != e.subject.value)
    ]
    return next((name for text in issuers if (name := common_name(text))), None)


def lync_renewal(
    item: ScopedCertificate, context: FixContext, reason: str, *, at_once: bool = False
) -> str:
    """Replace Lync's OAuthTokenIssuer certificate `item`: a staged roll, or at once.

    The roll takes effect two days ahead, at least 24 hours before the certificate in
    force expires; an expired certificate (or one under 24 hours from expiry, or one
    that cannot sign: `at_once`) is replaced at once, by a valid staged roll when there
    is one, and Exchange is told to read Lync's metadata again.
    """
    replaced = context.expiry_in_force(OAUTH)
    when = None if at_once else roll_date(context.now, replaced)
    lines = [f"# {reason}"]
    if when is not None:
        lines += lync_ca_lines(issuer_name(item))
        lines += lync_request_lines(context.sip_domains)
        lines.append("# roll it in at least 24 hours before the certificate in force expires")
        lines.append(lync_roll_line("$cert.Thumbprint", ps_date(when)))
        return "\n".join(lines)
    staged = context.usable_staged(OAUTH)
    if staged is not None and staged.thumbprint != item.thumbprint:
        lines.append("# no time for a roll: put the staged certificate in force at once")
        lines.append(lync_assign_line(staged.thumbprint))
    else:
        lines += lync_ca_lines(issuer_name(item))
        lines += lync_request_lines(context.sip_domains)
        lines.append("# no time for a roll: put it in force at once")
        lines.append(lync_assign_line("$cert.Thumbprint"))
    lines += refresh_lync_metadata_lines(context.exchange_lync_apps)
    return "\n".join(lines)


# ------------------------------------------------------------------------ Exchange


def exchange_new_lines() -> list[str]:
    """Create a new self-signed Exchange Auth certificate into `$cert`."""
    return [
        "# Exchange Management Shell; answer No when asked to replace the SMTP certificate",
        f"$cert = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true "
        f"-SubjectName {quote(AUTH_SUBJECT)} -FriendlyName {quote(AUTH_NAME)} -DomainName @()",
    ]


def exchange_stage_line(thumbprint: str, effective: str) -> str:
    """Make a certificate Exchange's next Auth certificate from `effective` on."""
    return (
        f"Set-AuthConfig -NewCertificateThumbprint {thumbprint} "
        f"-NewCertificateEffectiveDate {effective}"
    )


def exchange_emergency_lines(thumbprint: str, servers: Sequence[str], hybrid: bool) -> list[str]:
    """Put an Auth certificate in force now: publish it, drop the old one, restart, republish."""
    lines = [
        exchange_stage_line(thumbprint, "(Get-Date)"),
        "Set-AuthConfig -PublishCertificate",
        "Set-AuthConfig -ClearPreviousCertificate",
        "# restart the service host and the OWA and ECP application pools on every Exchange server",
    ]
    restart = (
        "Restart-Service MSExchangeServiceHost; Restart-WebAppPool MSExchangeOWAAppPool; "
        "Restart-WebAppPool MSExchangeECPAppPool"
    )
    if servers:
        lines += [
            f"Invoke-Command -ComputerName {quote(s)} -ScriptBlock {{ {restart} }}" for s in servers
        ]
    else:
        lines.append(restart)
    if hybrid:
        lines.append(
            "# hybrid: run the Hybrid Configuration Wizard again so that Microsoft 365 trusts "
            "the new certificate"
        )
    return lines


def exchange_renewal(item: ScopedCertificate, context: FixContext, reason: str) -> str:
    """Replace the Exchange Auth certificate `item`: staged, or at once when it has expired.

    A valid certificate gets the staged rotation (a next certificate effective at least
    24 hours before the current one expires); an expired one the emergency sequence,
    with the configured next certificate when it is valid now.
    """
    lines = [f"# {reason}"]
    expiry = not_after(item)
    expired = expiry is not None and utc(expiry.value) < utc(context.now)
    if item.stage == CURRENT and expired:
        staged = context.usable_staged(item.role)
        if staged is not None:
            lines.append("# the next certificate is valid: put it in force now")
            lines += exchange_emergency_lines(
                staged.thumbprint, context.exchange_servers, context.hybrid
            )
        else:
            lines += exchange_new_lines()
            lines += exchange_emergency_lines(
                "$cert.Thumbprint", context.exchange_servers, context.hybrid
            )
        return "\n".join(lines)
    when = roll_date(context.now, context.expiry_in_force(item.role))
    lines += exchange_new_lines()
    if when is None:
        lines += exchange_emergency_lines(
            "$cert.Thumbprint", context.exchange_servers, context.hybrid
        )
    else:
        lines.append(
            "# the next Auth certificate, in force at least 24 hours before the current one expires"
        )
        lines.append(exchange_stage_line("$cert.Thumbprint", ps_date(when)))
    return "\n".join(lines)


def renewal(item: ScopedCertificate, context: FixContext, reason: str) -> str:
    """Replace an in-scope certificate, the way its product does."""
    if item.role == OAUTH:
        return lync_renewal(item, context, reason)
    return exchange_renewal(item, context, reason)


# ------------------------------------------------------------------ documentation


DOC_LYNC_RENEWAL = "\n".join(
    [
        "# Lync OAuthTokenIssuer certificate. $caName: the name of the CA that issues it;",
        "# $notAfter: when the certificate in force expires.",
        "$caName = 'LitwareInc Enterprise CA'",
        "$notAfter = [datetime]'2028-01-15T14:00:00Z'",
        *lync_ca_lines("LitwareInc Enterprise CA")[2:],
        "# every SIP domain in the subject alternative names (or list them with -DomainName)",
        *lync_request_lines(())[1:],
        "# roll it in two days ahead, and at least 24 hours before $notAfter",
        "$effective = (Get-Date).AddDays(2)",
        "if ($effective -gt $notAfter.AddHours(-24)) { $effective = $notAfter.AddHours(-24) }",
        lync_roll_line("$cert.Thumbprint", "$effective"),
    ]
)
"""The generic Lync renewal (a roll), for rule docs."""

DOC_LYNC_AT_ONCE = "\n".join(
    [
        "# an expired OAuthTokenIssuer certificate: no roll, every hour of one is an hour of",
        "# outage. $thumbprint: a valid certificate (a staged roll, or a new one from",
        "# Request-CsCertificate as in CRT008's fix)",
        "$thumbprint = '9F8E7D6C5B4A39281706F5E4D3C2B1A09F8E7D6C'",
        lync_assign_line("$thumbprint"),
        *refresh_lync_metadata_lines(()),
    ]
)
"""The generic Lync replacement at once, for rule docs."""

DOC_EXCHANGE_STAGED = "\n".join(
    [
        "# Exchange Auth certificate, staged. $notAfter: when the current one expires",
        "$notAfter = [datetime]'2030-06-01T13:12:07Z'",
        *exchange_new_lines(),
        "$effective = (Get-Date).AddDays(2)",
        "if ($effective -gt $notAfter.AddHours(-24)) { $effective = $notAfter.AddHours(-24) }",
        exchange_stage_line("$cert.Thumbprint", "$effective"),
    ]
)
"""The generic staged Exchange rotation, for rule docs."""

DOC_EXCHANGE_EMERGENCY = "\n".join(
    [
        "# an expired Exchange Auth certificate: a new one in force now",
        *exchange_new_lines(),
        *exchange_emergency_lines("$cert.Thumbprint", (), hybrid=True),
    ]
)
"""The generic emergency Exchange rotation, for rule docs."""

DOC_RENEW_ANY = DOC_EXCHANGE_STAGED + "\n" + DOC_LYNC_RENEWAL
"""Replace either certificate, staged (a certificate that is still valid), for rule docs."""
