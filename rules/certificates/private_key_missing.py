"""CRT010 private-key-missing: the OAuthTokenIssuer PFX has no key, or another certificate's."""

from __future__ import annotations

from collections.abc import Iterator

from s2slint.findings import Issue, Severity
from s2slint.model import Certificate, Model
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.judge import judge_each
from ._fixes import win_path
from ._scope import OAUTH, ScopedCertificate, in_scope


def _export_lines(certificate: str, path: str) -> list[str]:
    """Export a certificate (a `Cert:` path) with its private key to `path`."""
    return [
        "$password = Read-Host -AsSecureString -Prompt 'PFX password'",
        f"Get-Item -Path {certificate} | Export-PfxCertificate -FilePath {path} -Password $password",
    ]


DOC = RuleDoc(
    what=(
        "Reports a PFX (PKCS#12) file of the OAuthTokenIssuer certificate that holds "
        "the certificate without its private key, and a PFX or PEM bundle whose "
        "private key does not belong to the certificate. A .cer file carries no key "
        "by design and is not reported."
    ),
    why=(
        "Lync signs tokens with the private key. A certificate imported from a PFX "
        "without its key (exported without 'Export the private key', or from a "
        "server that never had it) can be assigned but cannot sign: every "
        "server-to-server request fails. Microsoft notes that a certificate imported "
        "by hand on each Front End needs its private key exported with it."
    ),
    bad="certs/oauth-token-issuer.pfx: 1 certificate, no private key",
    good="certs/oauth-token-issuer.pfx: 1 certificate with its RSA 2048 private key",
    fix="\n".join(
        [
            "# on a Front End that holds the certificate with its key, export both; $thumbprint:",
            "# the certificate, $path: the bundle's PFX file",
            "$thumbprint = '1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D'",
            "$path = '.\\certs\\oauth-token-issuer.pfx'",
            *_export_lines('"Cert:\\LocalMachine\\My\\$thumbprint"', "$path"),
        ]
    ),
    evidence="the OAuthTokenIssuer assignment (Get-CsCertificate) and its PFX file",
    references=(ref.ASSIGN_CERT_LYNC, ref.ASSIGN_CERT_SFB),
    snippet_language="text",
)


def _fix(item: ScopedCertificate, copy: Certificate) -> str:
    """Export the certificate again, with its own key, as the bundle's PFX file."""
    path = copy.loc.path
    stem, dot, suffix = path.rpartition(".")
    target = path if dot and suffix.lower() in ("pfx", "p12") else f"{stem or path}.pfx"
    lines = [
        "# on a Front End (its store holds the certificate with its key), from the bundle's",
        f"# folder: export both to {target}",
        *_export_lines(
            win_path("Cert:", "LocalMachine", "My", item.thumbprint), win_path(".", target)
        ),
    ]
    if target != path:
        lines.append(f"Remove-Item -Path {win_path('.', path)}")
    return "\n".join(lines)


def _key_bundles(item: ScopedCertificate) -> list[Certificate] | None:
    """Return the copies that come with a key or should (PFX files); None when there are none."""
    return [c for c in item.copies if c.origin == "pkcs12" or c.has_private_key] or None


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag OAuthTokenIssuer PFX files without the private key, or with another key."""
    items = in_scope(model, ctx, (OAUTH,))
    if isinstance(items, NotEvaluated):
        return items

    def report(item: ScopedCertificate, bundles: list[Certificate]) -> Iterator[Issue]:
        for copy in bundles:
            if not copy.has_private_key:
                message = f"{item.describe()} is in a PFX file without its private key"
            elif copy.private_key_matches is False:
                message = (
                    f"the private key that comes with {item.describe()} does not belong to the "
                    "certificate"
                )
            else:
                continue
            yield Issue(
                message,
                copy.loc,
                related=tuple(c.loc for c in item.copies if c is not copy),
                key=f"{item.finding_key}:{copy.loc.path}",
                fix=_fix(item, copy),
            )

    return judge_each(items, _key_bundles, report)


RULE = Rule(
    code="CRT010",
    name="private-key-missing",
    severity=Severity.ERROR,
    summary="The OAuthTokenIssuer PFX carries no private key, or a key of another certificate",
    check=check,
    doc=DOC,
)
