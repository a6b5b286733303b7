"""The deployment as the exports describe it, as plain tables for the audit report.

Auditors first need to know *what* was examined: SIP domains, pools and their Front
End servers, Exchange servers, partner applications on both sides, certificates with
their expiry as of the evaluation date, and the SharePoint farm's trusted token issuers
and security token service. Values an export does not carry are
shown as "not exported", never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from s2slint.model import EmbeddedCertificate, Located, Model

T = TypeVar("T")
NOT_EXPORTED = "not exported"
EXPIRY_WARNING_DAYS = 60
"""Days before expiry from which the report marks a certificate (CRT008's default)."""


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table; `tones` gives each row a mood (ok / warn / bad / "")."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    tones: tuple[str, ...] = ()
    empty: str = "nothing in the exports"


def _text(value: Located[T] | None) -> str:
    if value is None:
        return NOT_EXPORTED
    if isinstance(value.value, bool):
        return "yes" if value.value else "no"
    if isinstance(value.value, datetime):
        return value.value.strftime("%Y-%m-%d")
    return str(value.value) if str(value.value) else "(empty)"


def expiry(not_after: datetime, now: datetime | None) -> tuple[str, str]:
    """Return how a certificate's expiry reads as of `now`, and its tone."""
    date = not_after.strftime("%Y-%m-%d")
    if now is None:
        return date, ""
    days = (not_after - now).days
    if not_after <= now:
        return f"{date} (expired {-days} days ago)", "bad"
    if days < EXPIRY_WARNING_DAYS:
        return f"{date} ({days} days left)", "warn"
    return f"{date} ({days} days left)", "ok"


def sip_domains(model: Model) -> Table:
    """Return the SIP domains of the topology, the default one marked."""
    rows = []
    for topology in model.topologies:
        default = topology.default_domain.value.lower() if topology.default_domain else None
        for domain in topology.sip_domains:
            rows.append((domain.value, "default" if domain.value.lower() == default else ""))
        if default and not any(d.value.lower() == default for d in topology.sip_domains):
            rows.append((default, "default"))
    return Table("SIP domains", ("domain", "role"), tuple(dict.fromkeys(rows)))


def pools(model: Model) -> Table:
    """Return every pool with its roles and machines (Front End pools first)."""
    rows = []
    for pool in sorted(model.pools(), key=lambda p: (not p.is_front_end, p.fqdn.value)):
        rows.append(
            (
                pool.fqdn.value,
                "Front End" if pool.is_front_end else "other",
                pool.site or "",
                ", ".join(pool.roles),
                ", ".join(m.fqdn.value for m in pool.machines),
            )
        )
    return Table("Pools and servers", ("pool", "kind", "site", "roles", "machines"), tuple(rows))


def exchange_servers(model: Model) -> Table:
    """Return the Exchange servers and the Autodiscover URI their CAS publishes."""
    autodiscover = {
        (c.name.value.lower() if c.name else ""): _text(c.autodiscover_internal_uri)
        for c in model.client_access_services
    }
    rows = tuple(
        (
            server.name.value,
            _text(server.fqdn),
            ", ".join(server.roles),
            autodiscover.get(server.name.value.lower(), NOT_EXPORTED),
        )
        for server in model.exchange_servers
    )
    return Table("Exchange servers", ("name", "FQDN", "roles", "Autodiscover internal URI"), rows)


def oauth_settings(model: Model) -> Table:
    """Return Lync's OAuth configuration and Exchange's AuthConfig side by side."""
    rows: list[tuple[str, ...]] = []
    for oauth in model.oauth_configurations:
        rows.append(("Lync", "ExchangeAutodiscoverUrl", _text(oauth.exchange_autodiscover_url)))
        rows.append(("Lync", "Realm", _text(oauth.realm)))
        rows.append(("Lync", "ServiceName", _text(oauth.service_name)))
    for auth in model.exchange_auth_configs:
        rows.append(("Exchange", "CurrentCertificateThumbprint", _text(auth.current_thumbprint)))
        rows.append(("Exchange", "NextCertificateThumbprint", _text(auth.next_thumbprint)))
        rows.append(("Exchange", "ServiceName", _text(auth.service_name)))
        rows.append(("Exchange", "Realm", _text(auth.realm)))
    return Table("OAuth configuration", ("side", "setting", "value"), tuple(rows))


def partner_applications(model: Model) -> Table:
    """Return the partner applications Lync and Exchange trust."""
    rows: list[tuple[str, ...]] = []
    for app in model.lync_partner_applications:
        rows.append(
            (
                "Lync",
                app.name,
                _text(app.application_identifier),
                _text(app.application_trust_level),
                _text(app.enabled),
                _text(app.metadata_url),
            )
        )
    for partner in model.exchange_partner_applications:
        rows.append(
            (
                "Exchange",
                _text(partner.name),
                _text(partner.application_identifier),
                "",
                _text(partner.enabled),
                _text(partner.auth_metadata_url),
            )
        )
    return Table(
        "Partner applications",
        ("trusted by", "name", "application identifier", "trust level", "enabled", "metadata URL"),
        tuple(rows),
    )


def oauth_assignments(model: Model) -> Table:
    """Return the OAuthTokenIssuer assignment of every server that was exported."""
    rows = tuple(
        (
            entry.server or "(server unknown)",
            _text(entry.thumbprint),
            _text(entry.effective_date) if entry.effective_date else "in force",
            entry.loc.path,
        )
        for entry in sorted(
            (e for e in model.cs_certificates if e.is_oauth),
            key=lambda e: (e.server or "", e.loc.sort_key()),
        )
    )
    return Table(
        "OAuthTokenIssuer assignments",
        ("server", "thumbprint", "effective", "evidence"),
        rows,
    )


def certificates(model: Model, now: datetime | None) -> Table:
    """Return each certificate once (by thumbprint) with key, signature and expiry."""
    seen: dict[str, list[str]] = {}
    chosen = []
    for cert in sorted(model.certificates, key=lambda c: (c.not_after, c.thumbprint)):
        if cert.thumbprint not in seen:
            seen[cert.thumbprint] = []
            chosen.append(cert)
        if cert.loc.path not in seen[cert.thumbprint]:
            seen[cert.thumbprint].append(cert.loc.path)
    rows = []
    tones = []
    for cert in chosen:
        text, tone = expiry(cert.not_after, now)
        key = f"{cert.key_type} {cert.key_bits}" if cert.key_bits else cert.key_type
        rows.append(
            (
                cert.subject,
                cert.thumbprint,
                key,
                cert.signature_hash or "unknown",
                text,
                ", ".join(seen[cert.thumbprint]),
            )
        )
        tones.append(tone)
    return Table(
        "Certificates",
        ("subject", "thumbprint", "key", "signature", "expires", "evidence"),
        tuple(rows),
        tuple(tones),
    )


def _signing(certificate: EmbeddedCertificate | None, now: datetime | None) -> tuple[str, str, str]:
    """Return a held certificate's thumbprint and expiry as the report shows them, and tone."""
    if certificate is None:
        return NOT_EXPORTED, NOT_EXPORTED, ""
    if certificate.not_after is None:
        return certificate.thumbprint, NOT_EXPORTED, ""
    text, tone = expiry(certificate.not_after, now)
    return certificate.thumbprint, text, tone


def sharepoint_issuers(model: Model, now: datetime | None) -> Table:
    """Return the token issuers the SharePoint farm trusts (Lync's among them)."""
    rows = []
    tones = []
    for issuer in model.sharepoint_issuers:
        held = issuer.signing_certificates
        certificate = held[0] if held else None
        thumbprint, expires, tone = _signing(certificate, now)
        self_issuer = issuer.is_self_issuer
        rows.append(
            (
                issuer.title,
                _text(issuer.registered_issuer_name),
                _text(issuer.metadata_endpoint),
                NOT_EXPORTED if self_issuer is None else ("no" if self_issuer.value else "yes"),
                thumbprint,
                expires,
            )
        )
        tones.append(tone)
    return Table(
        "SharePoint trusted token issuers",
        (
            "name",
            "registered issuer name",
            "metadata endpoint",
            "trust broker",
            "signing certificate",
            "expires",
        ),
        tuple(rows),
        tuple(tones),
    )


def sharepoint_token_service(model: Model, now: datetime | None) -> Table:
    """Return the SharePoint farm's security token service settings."""
    rows: list[tuple[str, ...]] = []
    tones: list[str] = []
    for sts in model.sharepoint_sts_configs:
        thumbprint, expires, tone = _signing(sts.signing_certificate, now)
        for setting, value, mood in (
            ("NameIdentifier", _text(sts.name_identifier), ""),
            ("AllowOAuthOverHttp", _text(sts.allow_oauth_over_http), ""),
            ("AllowMetadataOverHttp", _text(sts.allow_metadata_over_http), ""),
            ("SigningCertificate", f"{thumbprint}, expires {expires}", tone),
        ):
            rows.append((setting, value))
            tones.append(mood)
    return Table(
        "SharePoint security token service", ("setting", "value"), tuple(rows), tuple(tones)
    )


def tables(model: Model, now: datetime | None) -> Sequence[Table]:
    """Return every table of the deployment summary, in reading order."""
    return (
        sip_domains(model),
        pools(model),
        exchange_servers(model),
        oauth_settings(model),
        partner_applications(model),
        oauth_assignments(model),
        certificates(model, now),
        sharepoint_issuers(model, now),
        sharepoint_token_service(model, now),
    )
