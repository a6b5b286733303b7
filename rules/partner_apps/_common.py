"""What the PAP rules share: the judging loop, message builders, wording and doc snippets.

Private to the family: a rule module imports from here and from `rules._shared`, never
from another rule module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location
from s2slint.model import Located, LyncPartnerApplication
from s2slint.rule import Evaluated, evaluated

from .._shared.integration import PRODUCT_NAMES, lync_key

T = TypeVar("T")

LYNC_EXPORT = Export.LYNC_PARTNER_APPLICATIONS.phrase
""""a Get-CsPartnerApplication export": what a rule about Lync's side is missing without it."""
EXCHANGE_EXPORT = Export.EXCHANGE_PARTNER_APPLICATIONS.phrase
""""an Exchange Get-PartnerApplication export"."""
EITHER_EXPORT = "a Get-CsPartnerApplication or Exchange Get-PartnerApplication export"
"""Said by the rules that look at the partner applications of both sides."""

EITHER_SIDE = any_of(
    Export.LYNC_PARTNER_APPLICATIONS, Export.EXCHANGE_PARTNER_APPLICATIONS, say=EITHER_EXPORT
)
"""The requirement of a rule that judges whichever side's partner applications it is given."""


# ---------------------------------------------------------------------- the judging loop


def judge(items: Iterable[T], examine: Callable[[T], Issue | None]) -> Evaluated:
    """Examine every item whose facts are known; count them and keep the issues found.

    The caller passes only the items the export tells enough about (an application
    whose trust level was not exported is unknown, never assumed right): each one is
    counted as checked, and `examine` returns its issue or None when it passes.
    """
    issues: list[Issue] = []
    checked = 0
    for item in items:
        checked += 1
        issue = examine(item)
        if issue is not None:
            issues.append(issue)
    return evaluated(issues, checked)


def merged(*outcomes: Evaluated) -> Evaluated:
    """Join the outcomes of several judged groups (Lync's side, then Exchange's) into one."""
    issues = [issue for outcome in outcomes for issue in outcome.issues]
    return evaluated(issues, sum(outcome.checked for outcome in outcomes))


# ------------------------------------------------------------------------------ messages


def lync_app_issue(
    app: LyncPartnerApplication,
    says: str,
    where: Location,
    related: tuple[Location, ...] = (),
) -> Issue:
    """Report a Lync partner application of the integration, naming it and its product.

    `says` completes `partner application "microsoft.exchange" (Exchange) ...`.
    """
    product = PRODUCT_NAMES[app.product or ""]
    return Issue(
        f'partner application "{app.name}" ({product}) {says}',
        where,
        related=related,
        key=lync_key(app),
    )


def is_off(flag: Located[bool] | None) -> bool:
    """Tell whether an exported `Enabled` flag says the application is disabled."""
    return flag is not None and flag.value is False


def given(value: Located[str] | None) -> bool:
    """Tell whether a property was exported with a value (an empty string is not one)."""
    return value is not None and bool(value.value)


def has_text(value: Located[str] | None) -> bool:
    """Tell whether a property was exported with a value that is not blank."""
    return value is not None and bool(value.value.strip())


# -------------------------------------------------------------------- documentation text

LYNC_APPS = "<!-- Get-CsPartnerApplication | Export-Clixml -->\n"
EXCHANGE_APPS = "<!-- Get-PartnerApplication | Export-Clixml (Exchange) -->\n"
EXCHANGE_METADATA = "https://autodiscover.litwareinc.com/autodiscover/metadata/json/1"
LYNC_METADATA = "https://atl-cs-001.litwareinc.com/metadata/json/1"
NEW_EXCHANGE_APP = (
    "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full "
    '-MetadataUrl "https://autodiscover.<domain>/autodiscover/metadata/json/1"'
)
NEW_LYNC_APP = (
    "# Exchange Management Shell, in the Exchange Scripts folder\n"
    ".\\Configure-EnterprisePartnerApplication.ps1 "
    "-AuthMetadataUrl 'https://<Lync pool FQDN>/metadata/json/1' -ApplicationType Lync"
)
