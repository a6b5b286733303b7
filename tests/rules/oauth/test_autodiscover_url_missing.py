"""OAU002 autodiscover-url-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec, without

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id, check_case, findings_of

OAUTH = "lync/oauth-configuration.xml"
LYNC_APPS = "lync/partner-applications.xml"
EXCHANGE_APPS = "exchange/partner-applications.xml"
SHAREPOINT_ONLY = (("microsoft.sharepoint", "Full"),)

CASES = (
    Case("a set URL passes", spec(), checked=1),
    Case(
        "an empty URL with Exchange integration configured",
        spec(exchange_autodiscover_url=""),
        (OAUTH,),
        contains=("ExchangeAutodiscoverUrl is empty although Exchange integration is configured",),
    ),
    Case(
        "Exchange's partner application for Lync alone shows the integration",
        spec(exchange_autodiscover_url="", partner_trust_levels=SHAREPOINT_ONLY),
        (OAUTH,),
    ),
    Case(
        # Exchange Online's partner application is not part of the Lync integration.
        "no Exchange partner application: an empty URL is fine",
        spec(
            exchange_autodiscover_url="",
            partner_trust_levels=SHAREPOINT_ONLY,
            exchange_lync_app=False,
        ),
        checked=0,
    ),
    Case(
        "without partner application exports",
        without(spec(exchange_autodiscover_url=""), LYNC_APPS, EXCHANGE_APPS),
        outcome="not evaluated",
    ),
    Case(
        "without the OAuth configuration",
        without(spec(exchange_autodiscover_url=""), LYNC_APPS, EXCHANGE_APPS, OAUTH),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_autodiscover_url_missing(case: Case, tmp_path: Path) -> None:
    check_case(case, "OAU002", tmp_path)


def test_the_finding_points_at_the_url_with_both_sides_related(tmp_path: Path) -> None:
    case = Case("empty", spec(exchange_autodiscover_url=""), (OAUTH,))
    result = check_case(case, "OAU002", tmp_path)
    (finding,) = findings_of(result, "OAU002")
    assert finding.location.pointer == "obj[0].ExchangeAutodiscoverUrl"
    # Both sides' partner applications show that the integration is configured.
    assert [r.path for r in finding.related] == [LYNC_APPS, EXCHANGE_APPS]
    assert findings_of(result, "OAU003") == []  # empty is OAU002's business, not malformed


def test_the_exchange_side_alone_is_the_related_location(tmp_path: Path) -> None:
    case = Case(
        "exchange side",
        spec(exchange_autodiscover_url="", partner_trust_levels=SHAREPOINT_ONLY),
        (OAUTH,),
    )
    (finding,) = findings_of(check_case(case, "OAU002", tmp_path), "OAU002")
    assert [r.path for r in finding.related] == [EXCHANGE_APPS]


@pytest.mark.parametrize(
    ("dropped", "named"),
    [
        ((LYNC_APPS, EXCHANGE_APPS), "Get-PartnerApplication"),
        ((LYNC_APPS, EXCHANGE_APPS, OAUTH), "Get-CsOAuthConfiguration"),
    ],
)
def test_not_evaluated_names_the_missing_export(
    tmp_path: Path, dropped: tuple[str, ...], named: str
) -> None:
    case = Case(
        "missing", without(spec(exchange_autodiscover_url=""), *dropped), outcome="not evaluated"
    )
    state = check_case(case, "OAU002", tmp_path).coverage["OAU002"]
    assert isinstance(state, NotEvaluated) and named in state.missing
