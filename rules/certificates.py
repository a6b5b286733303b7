"""CRT: the OAuthTokenIssuer certificate of Lync and the Exchange Auth certificate."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Certificate, CsCertificate, Model, normalize_fqdn, normalize_thumbprint
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

from . import references as ref


def oauth_entries_by_server(model: Model) -> dict[str, list[CsCertificate]]:
    """Return every attributed `Get-CsCertificate` export's entries, by server.

    When the bundle has a topology, only Front End servers count: an Edge or SQL
    server's certificates are not OAuth evidence.
    """
    front_ends = model.front_end_servers()
    servers: dict[str, list[CsCertificate]] = {}
    for entry in model.cs_certificates:
        if entry.server is None:
            continue
        if front_ends and normalize_fqdn(entry.server) not in front_ends:
            continue
        servers.setdefault(entry.server, []).append(entry)
    return servers


def _oauth_thumbprint(entries: list[CsCertificate]) -> CsCertificate | None:
    """Return the OAuthTokenIssuer entry in force (not a roll that awaits its date)."""
    oauth = [e for e in entries if e.is_oauth and e.thumbprint is not None and e.thumbprint.value]
    current = [e for e in oauth if e.effective_date is None] or oauth
    return current[0] if current else None


def check_oauth_cert_inconsistent(model: Model, ctx: RuleContext) -> Outcome:
    """Compare the OAuthTokenIssuer thumbprint across the Front End servers."""
    servers = oauth_entries_by_server(model)
    if len(servers) < 2:
        return not_evaluated(
            "Get-CsCertificate exports attributed to at least two Front End servers "
            "(PSComputerName, or a folder named after the server)"
        )
    chosen = {server: _oauth_thumbprint(entries) for server, entries in sorted(servers.items())}
    prints = {
        server: normalize_thumbprint(entry.thumbprint.value) if entry and entry.thumbprint else None
        for server, entry in chosen.items()
    }
    if len(set(prints.values())) == 1 and None not in prints.values():
        return evaluated((), len(servers))
    counts = Counter(p for p in prints.values() if p is not None)
    majority = min(counts, key=lambda p: (-counts[p], p)) if counts else None

    def where(server: str) -> Location:
        entry = chosen[server]
        if entry is not None and entry.thumbprint is not None:
            return entry.thumbprint.loc
        return servers[server][0].loc

    deviating = [s for s, p in prints.items() if p != majority]
    listing = ", ".join(f'{s} "{p}"' if p else f"{s} (none)" for s, p in prints.items())
    issue = Issue(
        f"Front End servers do not all carry the same OAuthTokenIssuer certificate: {listing}",
        where(deviating[0]),
        related=tuple(where(s) for s in prints if s != deviating[0]),
        key="oauth-certificate:front-ends",
    )
    return evaluated((issue,), len(servers))


@dataclass(frozen=True)
class WeakKeyOptions:
    """Options of CRT003."""

    min_key_bits: int = field(
        default=2048, metadata={"doc": "smallest RSA or DSA key size accepted, in bits"}
    )


def certificates_in_scope(model: Model) -> dict[str, str]:
    """Return the thumbprints of the certificates S2S rules look at, with their role.

    The Lync OAuthTokenIssuer assignment (any server, or global) and the Exchange
    AuthConfig current and next certificates; other certificate uses are not in scope.
    """
    scope: dict[str, str] = {}
    for entry in model.cs_certificates:
        if entry.is_oauth and entry.thumbprint is not None and entry.thumbprint.value:
            scope.setdefault(normalize_thumbprint(entry.thumbprint.value), "OAuthTokenIssuer")
    for config in model.exchange_auth_configs:
        for located in (config.current_thumbprint, config.next_thumbprint):
            if located is not None and located.value.strip():
                scope.setdefault(normalize_thumbprint(located.value), "Exchange Auth")
    return scope


def check_weak_key(model: Model, ctx: RuleContext) -> Outcome:
    """Flag RSA/DSA keys under the configured size on in-scope certificates."""
    options = ctx.options_as(WeakKeyOptions)
    scope = certificates_in_scope(model)
    if not scope:
        return not_evaluated(
            "a Get-CsCertificate export with the OAuthTokenIssuer assignment or a "
            "Get-AuthConfig export (to know which certificates are in scope)"
        )
    found: dict[str, list[Certificate]] = {}
    for certificate in model.certificates:
        if certificate.thumbprint in scope:
            found.setdefault(certificate.thumbprint, []).append(certificate)
    if not found:
        return not_evaluated(
            "the certificate files (.cer, .pfx, .p7b, PEM or Get-ExchangeCertificate "
            "RawData) of the OAuthTokenIssuer or Exchange Auth thumbprints"
        )
    issues = []
    for thumbprint, copies in sorted(found.items()):
        certificate = copies[0]
        if certificate.key_type not in ("RSA", "DSA") or certificate.key_bits is None:
            continue
        if certificate.key_bits < options.min_key_bits:
            issues.append(
                Issue(
                    f'{scope[thumbprint]} certificate "{certificate.subject}" (thumbprint '
                    f"{thumbprint}) has a {certificate.key_bits}-bit {certificate.key_type} "
                    f"key; at least {options.min_key_bits} bits are required",
                    certificate.loc,
                    related=tuple(c.loc for c in copies[1:]),
                    key=f"certificate:{thumbprint}",
                )
            )
    return evaluated(issues, len(found))


_OAUTH_CERT_EXPORT = """<Obj RefId="3">
  <TN RefId="1"><T>Microsoft.Rtc.Management.Deployment.CertificateReference</T><T>System.Object</T></TN>
  <Props>
    <S N="Thumbprint">{thumbprint}</S>
    <Obj N="Use" RefId="4"><TN RefId="2"><T>Microsoft.Rtc.Management.Deployment.CertType</T>
      <T>System.Enum</T><T>System.ValueType</T><T>System.Object</T></TN>
      <ToString>OAuthTokenIssuer</ToString><I32>13</I32></Obj>
  </Props>
  <MS><S N="PSComputerName">{server}</S></MS>
</Obj>"""

RULES = (
    Rule(
        code="CRT002",
        name="oauth-cert-inconsistent",
        severity=Severity.ERROR,
        summary="Front End servers do not all carry the same OAuthTokenIssuer certificate",
        check=check_oauth_cert_inconsistent,
        doc=RuleDoc(
            what=(
                "Compares the OAuthTokenIssuer certificate in each Front End server's "
                "`Get-CsCertificate` export and reports when the thumbprints differ or a "
                "server has none. The finding lists every server with its thumbprint. "
                "Exports are attributed to servers by `PSComputerName`, else by a folder of "
                "the bundle named after the server (`servers/atl-fe-01.litwareinc.com/`). "
                "A roll waiting for its effective date does not count as the current one."
            ),
            why=(
                "Lync signs its OAuth tokens with this certificate, and Exchange trusts the "
                "one it reads from Lync's metadata document. A Front End with another "
                "certificate issues tokens Exchange rejects: users homed there lose the "
                "unified contact store and Outlook presence, `Test-CsExStorageConnectivity` "
                "returns 401, while the other servers work. It happens when the certificate "
                "was imported on each server with the MMC instead of being assigned once "
                "globally, which replication would deploy everywhere."
            ),
            bad=_OAUTH_CERT_EXPORT.format(
                thumbprint="6F0E1D2C3B4A59687766554433221100FFEEDDCC",
                server="atl-fe-03.litwareinc.com",
            )
            + "\n<!-- atl-fe-01 and atl-fe-02 carry 1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D -->",
            good=_OAUTH_CERT_EXPORT.format(
                thumbprint="1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D",
                server="atl-fe-03.litwareinc.com",
            ),
            fix=(
                "# assign the certificate once, globally; replication deploys it to every Front End\n"
                "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
                "-Thumbprint <thumbprint>\n"
                "# then check on each Front End\n"
                "Get-CsCertificate -Type OAuthTokenIssuer | Select-Object Thumbprint"
            ),
            evidence="Get-CsCertificate exports of at least two Front End servers",
            references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.MANAGE_S2S_SFB),
        ),
    ),
    Rule(
        code="CRT003",
        name="weak-key",
        severity=Severity.ERROR,
        summary="An OAuthTokenIssuer or Exchange Auth certificate has a key under min-key-bits",
        check=check_weak_key,
        options=WeakKeyOptions,
        doc=RuleDoc(
            what=(
                "Reports an OAuthTokenIssuer certificate (named by `Get-CsCertificate`) or an "
                "Exchange Auth certificate (named by `Get-AuthConfig`) whose RSA or DSA key "
                "is shorter than `min-key-bits` (2048 by default). The key is read from the "
                "certificate files of the bundle (.cer, .pfx, .p7b, PEM) or from the "
                "`RawData` of a `Get-ExchangeCertificate` export."
            ),
            why=(
                "Microsoft requires a key of at least 2048 bits for the server-to-server "
                "authentication certificate. A 1024-bit key is weak enough to be factored by a "
                "determined attacker, who could then sign tokens as Lync to Exchange or "
                "SharePoint, and current Exchange builds refuse such certificates."
            ),
            bad="Get-CsCertificate -Type OAuthTokenIssuer  ->  certs/oauth-token-issuer.cer:\n"
            "  Public-Key: (1024 bit)",
            good="Get-CsCertificate -Type OAuthTokenIssuer  ->  certs/oauth-token-issuer.cer:\n"
            "  Public-Key: (2048 bit)",
            fix=(
                "# request a new certificate with a 2048-bit (or larger) exportable key\n"
                "Request-CsCertificate -New -Type OAuthTokenIssuer -KeySize 2048 "
                "-PrivateKeyExportable $True -CA <CA> -FriendlyName 'OAuth 2048'\n"
                "Set-CsCertificate -Identity global -Type OAuthTokenIssuer "
                "-Thumbprint <new thumbprint> -Roll -EffectiveDate (Get-Date).AddDays(2)"
            ),
            evidence=(
                "the OAuthTokenIssuer assignment (Get-CsCertificate) or Get-AuthConfig, and "
                "the certificate file or Get-ExchangeCertificate RawData for that thumbprint"
            ),
            references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB, ref.INTEGRATE_EXCHANGE_SFB),
            snippet_language="text",
        ),
    ),
)
