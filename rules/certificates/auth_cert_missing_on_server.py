"""CRT015 auth-cert-missing-on-server: an Exchange server lacks the Exchange Auth certificate."""

from __future__ import annotations

from collections.abc import Iterator

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location, Severity
from s2slint.model import Certificate, ExchangeServer, Model, normalize_thumbprint
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, not_evaluated

from .._shared.judge import judge_each
from ._docs import EXCHANGE_REFERENCES
from ._exchange import exchange_certificates_by_server
from ._fixes import quote
from ._scope import thumbprint_of


def _copy_lines(thumbprint: str, source: str | None, target: str) -> list[str]:
    """Export the certificate with its key from `source` and import it on `target`."""
    server = f" -Server {source}" if source else ""
    return [
        "# export the certificate with its private key from a server that has it",
        "$password = Read-Host -AsSecureString -Prompt 'PFX password'",
        f"$pfx = Export-ExchangeCertificate{server} -Thumbprint {thumbprint} -BinaryEncoded "
        "-Password $password",
        "# import it on the server that lacks it",
        f"Import-ExchangeCertificate -Server {target} -FileData $pfx.FileData "
        "-Password $password -PrivateKeyExportable $true",
    ]


DOC = RuleDoc(
    what=(
        "Reports each Exchange Mailbox or Client Access server whose "
        "`Get-ExchangeCertificate` export lacks the current or the next Auth certificate "
        "`Get-AuthConfig` names, saying which one and naming the server. Exports are "
        "attributed to servers by `PSComputerName` (or an `Identity` of the form "
        "`SERVER\\thumbprint`) and matched to `Get-ExchangeServer` by FQDN or name; Edge "
        "Transport servers are not checked, and a server without an export is not assumed "
        "to lack the certificate. The fix exports the certificate with its key from a server "
        "that has it (`Export-ExchangeCertificate -BinaryEncoded`, every Exchange version) "
        "and imports it with `Import-ExchangeCertificate -FileData`."
    ),
    why=(
        "Every Mailbox server signs and validates server-to-server tokens with the "
        "Auth certificate, so it must be installed on all of them. A server that "
        "lacks it (added after the certificate was renewed, or restored) fails the "
        "requests it handles: Lync's unified contact store and archiving, OWA and "
        "ECP, and hybrid free/busy break for the users that server serves. A next "
        "certificate missing on one server breaks that server on the switch date."
    ),
    bad="<!-- Get-AuthConfig: CurrentCertificateThumbprint C3EDCF181EF4F9B53D01768ECA99564014BCA6E7 -->\n"
    "<!-- exchange/atl-exch-002-certificates.xml (PSComputerName atl-exch-002.litwareinc.com):\n"
    "     only the IIS certificate 5A6B... -->",
    good="<!-- every Exchange server's export holds C3EDCF181EF4F9B53D01768ECA99564014BCA6E7 -->",
    fix="\n".join(
        [
            "# $thumbprint: the Auth certificate; $source: a server that has it; $target: the",
            "# server that lacks it",
            "$thumbprint = 'C3EDCF181EF4F9B53D01768ECA99564014BCA6E7'",
            "$source = 'atl-exch-001.litwareinc.com'",
            "$target = 'atl-exch-002.litwareinc.com'",
            *_copy_lines("$thumbprint", "$source", "$target"),
        ]
    ),
    evidence=(
        "Get-ExchangeCertificate exports attributed to Exchange servers (with "
        "Get-ExchangeServer to name them)"
    ),
    references=EXCHANGE_REFERENCES,
)

Group = tuple[ExchangeServer | None, list[Certificate]]
"""An Exchange server (when Get-ExchangeServer names it) and the certificates exported from it."""


def _present(group: Group) -> set[str]:
    return {normalize_thumbprint(c.thumbprint) for c in group[1]}


def _fix(thumbprint: str, source: str | None, target: str) -> str:
    """Copy the certificate with its private key from `source` (else this server) to `target`."""
    return "\n".join(
        _copy_lines(quote(thumbprint), quote(source) if source else None, quote(target))
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag an Exchange server whose certificate export lacks the current or next Auth certificate."""
    groups = exchange_certificates_by_server(model)
    if not groups:
        return not_evaluated(
            "a Get-ExchangeCertificate export attributed to its Exchange server "
            "(PSComputerName, or an Identity of the form SERVER\\thumbprint)"
        )

    def holder(thumbprint: str) -> str | None:
        return next(
            (key for key, group in sorted(groups.items()) if thumbprint in _present(group)), None
        )

    def report(key: str, group: Group) -> Iterator[Issue]:
        server, certificates = group
        present = _present(group)
        name = f"{server.name.value} ({key})" if server is not None else key
        for config in model.exchange_auth_configs:
            for located, which in (
                (config.current_thumbprint, "current"),
                (config.next_thumbprint, "next"),
            ):
                thumbprint = thumbprint_of(located)
                if not thumbprint or thumbprint in present or located is None:
                    continue
                related = [located.loc]
                if server is not None:
                    related.append(server.name.loc)
                prop = (
                    "CurrentCertificateThumbprint"
                    if which == "current"
                    else ("NextCertificateThumbprint")
                )
                consequence = (
                    f"its Get-ExchangeCertificate export holds {len(present)} other certificate(s)"
                    if which == "current"
                    else "the server fails server-to-server requests once it takes effect"
                )
                yield Issue(
                    f"Exchange server {name} lacks the {which} Exchange Auth certificate "
                    f"{thumbprint} (Get-AuthConfig {prop}): {consequence}",
                    Location(certificates[0].loc.path),
                    related=tuple(related),
                    key=f"exchange-auth-certificate:{key}"
                    + ("" if which == "current" else ":next"),
                    fix=_fix(thumbprint, holder(thumbprint), key),
                )

    return judge_each(sorted(groups), groups.get, report)


RULE = Rule(
    code="CRT015",
    name="auth-cert-missing-on-server",
    severity=Severity.ERROR,
    summary="The current or next Exchange Auth certificate is absent from an Exchange server",
    check=check,
    doc=DOC,
    requires=(any_of(Export.EXCHANGE_AUTH_CONFIG),),
)
