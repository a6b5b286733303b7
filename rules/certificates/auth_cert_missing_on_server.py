"""CRT015 auth-cert-missing-on-server: an Exchange server lacks the Exchange Auth certificate."""

from __future__ import annotations

from collections.abc import Iterator

from s2slint.findings import Issue, Location, Severity
from s2slint.model import Certificate, ExchangeServer, Model, normalize_thumbprint
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, not_evaluated

from ._docs import EXCHANGE_REFERENCES
from ._exchange import exchange_certificates_by_server
from ._judge import judge_each
from ._scope import thumbprint_of

DOC = RuleDoc(
    what=(
        "Reports each Exchange server whose `Get-ExchangeCertificate` export does not "
        "hold the certificate `Get-AuthConfig` names as current, naming the server. "
        "Exports are attributed to servers by `PSComputerName` (or an `Identity` of "
        "the form `SERVER\\thumbprint`) and matched to `Get-ExchangeServer` by FQDN or "
        "name; Edge Transport servers are not checked, and a server without an export "
        "is not assumed to lack the certificate."
    ),
    why=(
        "Every Mailbox server signs and validates server-to-server tokens with the "
        "Auth certificate, so it must be installed on all of them. A server that "
        "lacks it (added after the certificate was renewed, or restored) fails the "
        "requests it handles: Lync's unified contact store and archiving, OWA and "
        "ECP, and hybrid free/busy break for the users that server serves."
    ),
    bad="<!-- Get-AuthConfig: CurrentCertificateThumbprint C3EDCF181EF4F9B53D01768ECA99564014BCA6E7 -->\n"
    "<!-- exchange/atl-exch-002-certificates.xml (PSComputerName atl-exch-002.litwareinc.com):\n"
    "     only the IIS certificate 5A6B... -->",
    good="<!-- every Exchange server's export holds C3EDCF181EF4F9B53D01768ECA99564014BCA6E7 -->",
    fix=(
        "# on a server that has the certificate: export it with its key\n"
        "$password = Read-Host -AsSecureString -Prompt 'PFX password'\n"
        "$pfx = Export-ExchangeCertificate -Thumbprint <thumbprint> -BinaryEncoded "
        "-Password $password\n"
        "[System.IO.File]::WriteAllBytes('C:\\Temp\\AuthCert.pfx', $pfx.FileData)\n"
        "# import it on the server that lacks it\n"
        "Import-ExchangeCertificate -Server <server> -FileData "
        "([System.IO.File]::ReadAllBytes('C:\\Temp\\AuthCert.pfx')) -Password $password "
        "-PrivateKeyExportable $true"
    ),
    evidence=(
        "Get-AuthConfig and Get-ExchangeCertificate exports attributed to Exchange "
        "servers (with Get-ExchangeServer to name them)"
    ),
    references=EXCHANGE_REFERENCES,
)

Group = tuple[ExchangeServer | None, list[Certificate]]
"""An Exchange server (when Get-ExchangeServer names it) and the certificates exported from it."""


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an Exchange server whose certificate export lacks the current Auth certificate."""
    if not model.exchange_auth_configs:
        return not_evaluated("a Get-AuthConfig export")
    groups = exchange_certificates_by_server(model)
    if not groups:
        return not_evaluated(
            "a Get-ExchangeCertificate export attributed to its Exchange server "
            "(PSComputerName, or an Identity of the form SERVER\\thumbprint)"
        )

    def report(key: str, group: Group) -> Iterator[Issue]:
        server, certificates = group
        present = {normalize_thumbprint(c.thumbprint) for c in certificates}
        name = f"{server.name.value} ({key})" if server is not None else key
        for config in model.exchange_auth_configs:
            current = thumbprint_of(config.current_thumbprint)
            if not current or current in present or config.current_thumbprint is None:
                continue
            related = [config.current_thumbprint.loc]
            if server is not None:
                related.append(server.name.loc)
            yield Issue(
                f"Exchange server {name} lacks the Exchange Auth certificate {current} "
                "(Get-AuthConfig CurrentCertificateThumbprint): its Get-ExchangeCertificate "
                f"export holds {len(present)} other certificate(s)",
                Location(certificates[0].loc.path),
                related=tuple(related),
                key=f"exchange-auth-certificate:{key}",
            )

    return judge_each(sorted(groups), groups.get, report)


RULE = Rule(
    code="CRT015",
    name="auth-cert-missing-on-server",
    severity=Severity.ERROR,
    summary="The Exchange Auth certificate is absent from an Exchange server's certificates",
    check=check,
    doc=DOC,
)
