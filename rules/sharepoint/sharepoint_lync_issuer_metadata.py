"""SPS002 sharepoint-lync-issuer-metadata: SharePoint reads Lync's metadata from the wrong place."""

from __future__ import annotations

from s2slint.evidence import Export
from s2slint.findings import Issue, Severity
from s2slint.model import Model, SharePointTrustedIssuer, normalize_fqdn
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc

from .._shared import references as ref
from .._shared.integration import lync_pool_hosts
from .._shared.powershell import argument, literal
from .._shared.urls import METADATA_SUFFIX, split_url
from ._common import (
    ISSUERS,
    LYNC_APPS,
    front_end_pool,
    issuer_key,
    judge_lync_issuers,
    pool_of_server,
    with_sharepoint,
)

TOPOLOGY = with_sharepoint(Export.TOPOLOGY)


def endpoint_problems(model: Model, url: str, pools: set[str]) -> list[str]:
    """Say what is wrong with an issuer's metadata endpoint (empty when it is right).

    Right is `https://<Front End or Director pool FQDN>/metadata/json/1`, case-insensitive
    in the path, one trailing slash tolerated.
    """
    parts = split_url(url)
    if parts is None or not parts.scheme or not parts.hostname:
        return ["is not an absolute URL"]
    problems: list[str] = []
    if parts.scheme.lower() != "https":
        problems.append(f'uses "{parts.scheme}", not https')
    host = normalize_fqdn(parts.hostname)
    if host not in pools:
        pool = pool_of_server(model, host)
        if pool is not None:
            problems.append(f"is on the server {host}, not on its pool {pool}")
        else:
            listing = ", ".join(sorted(pools))
            problems.append(f"is on {host}, which is not a Lync pool of the topology ({listing})")
    path = parts.path.lower()
    if path.rstrip("/") != METADATA_SUFFIX or path.endswith("//"):
        problems.append(f'has the path "{parts.path or "/"}", not {METADATA_SUFFIX}')
    return problems


def _fix(model: Model, issuer: SharePointTrustedIssuer, url: str | None) -> str:
    """Point the issuer at its pool's metadata (the pool the wrong host belongs to, if any)."""
    parts = split_url(url) if url else None
    pool = pool_of_server(model, parts.hostname) if parts and parts.hostname else None
    pool = pool or front_end_pool(model)
    return (
        f"Set-SPTrustedSecurityTokenIssuer -Identity {argument(issuer.title)} -MetadataEndPoint "
        f"{literal(f'https://{pool}{METADATA_SUFFIX}')} -IsTrustBroker"
    )


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Flag a Lync issuer whose MetadataEndPoint is not https://<pool>/metadata/json/1."""
    pools = lync_pool_hosts(model)

    def endpoint(issuer: SharePointTrustedIssuer) -> str | None:
        # Without a Front End pool in the topology there is nothing to compare with.
        if not pools:
            return None
        found = issuer.metadata_endpoint
        return found.value.strip() if found is not None else ""

    def problem(issuer: SharePointTrustedIssuer, url: str) -> Issue | None:
        if not url:
            return Issue(
                f'SharePoint\'s issuer for Lync "{issuer.title}" has no MetadataEndPoint (it was '
                "made from a certificate): SharePoint never reads Lync's metadata again, so it "
                "keeps trusting a certificate Lync replaces",
                issuer.loc,
                key=issuer_key(issuer),
                fix=_fix(model, issuer, None),
            )
        problems = endpoint_problems(model, url, pools)
        if not problems:
            return None
        where = issuer.metadata_endpoint.loc if issuer.metadata_endpoint else issuer.loc
        return Issue(
            f'SharePoint\'s issuer for Lync "{issuer.title}" reads Lync metadata from '
            f'"{url}", which {"; it ".join(problems)}',
            where,
            key=issuer_key(issuer),
            fix=_fix(model, issuer, url),
        )

    return judge_lync_issuers(model, endpoint, problem)


_ISSUERS = "<!-- Get-SPTrustedSecurityTokenIssuer | Export-Clixml -->\n"

DOC = RuleDoc(
    what=(
        "Reports SharePoint's trusted issuer for Lync (see SPS001 for how it is recognised) "
        "whose `MetadataEndPoint` is not `https://<pool>/metadata/json/1` for a Front End "
        "or Director pool of the topology: http, a single Front End server or another "
        "host, another path (case-insensitive, one trailing slash tolerated). An issuer "
        "without a metadata endpoint (made from a certificate file) is reported too: it is "
        "never refreshed. The endpoint may be exported as a `URI` value or as a `System.Uri` "
        "object; both are read."
    ),
    why=(
        "SharePoint reads Lync's signing certificate and realm from this document when the "
        "issuer is made and again on a schedule. A single server's URL stops working when that "
        "server is down or removed from the pool; http exposes the document to tampering "
        "and the tokens to interception; another path returns no metadata. The refresh then "
        "fails silently and, at Lync's next OAuth certificate roll, SharePoint keeps the old "
        "certificate and rejects Lync's tokens (see SPS003)."
    ),
    bad=_ISSUERS + '<S N="Name">Skype for Business Server</S>\n'
    '<URI N="MetadataEndPoint">http://atl-fe-01.litwareinc.com/metadata/json/1</URI>',
    good=_ISSUERS + '<S N="Name">Skype for Business Server</S>\n'
    '<URI N="MetadataEndPoint">https://atl-cs-001.litwareinc.com/metadata/json/1</URI>',
    fix=(
        "# $issuer is the issuer's Name; $pool the FQDN of your Front End pool\n"
        "$issuer = 'Skype for Business Server'\n"
        "$pool = 'atl-cs-001.litwareinc.com'\n"
        "Set-SPTrustedSecurityTokenIssuer -Identity $issuer "
        '-MetadataEndPoint "https://$pool/metadata/json/1" -IsTrustBroker'
    ),
    references=(ref.SET_SP_TRUSTED_ISSUER, ref.SP_SERVER_TO_SERVER, ref.CONFIGURE_PARTNER_APPS_SFB),
)

RULE = Rule(
    code="SPS002",
    name="sharepoint-lync-issuer-metadata",
    severity=Severity.ERROR,
    summary="SharePoint's issuer for Lync does not read https://<Lync pool>/metadata/json/1",
    doc=DOC,
    check=check,
    requires=(LYNC_APPS, ISSUERS, TOPOLOGY),
)
