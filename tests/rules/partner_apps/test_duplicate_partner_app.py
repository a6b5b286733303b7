"""PAP009 duplicate-partner-app."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import AS_OF, findings, lint_spec, registry, spec
from pap_bundles import (
    EXCHANGE_ID,
    LYNC_APPS,
    LYNC_ID,
    NO_PARTNER_EXPORTS,
    SHAREPOINT_ID,
    assert_documented_fix_valid,
    check_with_fixes,
    pscheck_problems,
)

from s2slint.findings import Location
from s2slint.model import ExchangePartnerApplication, Located, Model
from s2slint.rule import Evaluated, RuleContext
from s2slint.testing import BundleWriter, Case, case_id

TWO_FOR_EXCHANGE = (
    ("Exchange", "Full"),
    ("microsoft.exchange", "Full"),
    ("microsoft.sharepoint", "Full"),
)


def _lync_export_twice(tmp_path: Path) -> Path:
    """The healthy bundle with Lync's partner applications exported a second time."""
    bundle = spec()(tmp_path)
    copy = bundle / "lync" / "partner-applications-again.xml"
    copy.write_bytes((bundle / LYNC_APPS).read_bytes())
    return bundle


EXPORTED_TWICE: BundleWriter = _lync_export_twice

CASES = (
    Case("distinct applications pass", spec(), checked=3),
    Case(
        "two Lync applications for Exchange",
        spec(partner_trust_levels=TWO_FOR_EXCHANGE),
        expect=(LYNC_APPS,),
        contains=(
            f'share the ApplicationIdentifier "{EXCHANGE_ID}", both trusted through metadata',
        ),
        # The usual identity is kept, the other removed.
        fix_contains=(
            "Remove-CsPartnerApplication -Identity 'Exchange'\n# keeps \"microsoft.exchange\"",
        ),
    ),
    Case(
        # The hybrid wizard's application for Skype for Business Online (through the
        # authorization server) beside the on-premises pool's (through its metadata).
        "Exchange's SfBLegacy beside LyncEnterprise is not a duplicate",
        spec(exchange_sfb_legacy=True),
        checked=4,
    ),
    Case(
        "two Lync applications for Exchange trusted differently are not duplicates",
        spec(
            partner_trust_levels=TWO_FOR_EXCHANGE,
            partner_apps_via_oauth_server=("microsoft.exchange",),
        ),
        checked=4,
    ),
    Case(
        "an identifier that belongs to another product is PAP011's",
        spec(partner_app_ids=(("microsoft.exchange", SHAREPOINT_ID),)),
    ),
    Case("the same export twice is not a duplicate", EXPORTED_TWICE),
    Case("no partner application export", NO_PARTNER_EXPORTS, outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_duplicate_partner_app(case: Case, tmp_path: Path) -> None:
    check_with_fixes(case, "PAP009", tmp_path)


def test_two_applications_for_exchange_are_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, partner_trust_levels=TWO_FOR_EXCHANGE)
    (finding,) = findings(result, "PAP009")
    assert finding.message == (
        'partner applications "Exchange" and "microsoft.exchange" share the '
        f'ApplicationIdentifier "{EXCHANGE_ID}", both trusted through metadata or a certificate'
    )
    assert finding.location.pointer == "obj[1].ApplicationIdentifier"
    assert [r.pointer for r in finding.related] == ["obj[0]"]


def _exchange_app(name: str, *, url: str | None, auth_server: bool) -> ExchangePartnerApplication:
    where = Location("exchange/partner-applications.xml", 3, 1)
    return ExchangePartnerApplication(
        loc=where,
        name=Located.at(name, where),
        application_identifier=Located.at(LYNC_ID, where),
        auth_metadata_url=Located.at(url, where) if url is not None else None,
        realm=None,
        enabled=Located.at(True, where),
        use_auth_server=Located.at(auth_server, where),
    )


def test_two_exchange_applications_for_the_same_pool_are_reported() -> None:
    url = "https://atl-cs-001.litwareinc.com/metadata/json/1"
    apps = (
        _exchange_app("LyncEnterprise-0a1b", url=url, auth_server=False),
        _exchange_app("SfBLegacy", url=None, auth_server=True),
        _exchange_app("Lync pool", url=url, auth_server=False),
    )
    rule = registry().rule("PAP009")
    assert rule is not None and rule.check is not None
    state = rule.check(Model(exchange_partner_applications=apps), RuleContext(now=AS_OF))
    assert isinstance(state, Evaluated) and state.checked == 3
    (issue,) = state.issues
    assert issue.message.startswith('partner applications "LyncEnterprise-0a1b" and "Lync pool"')
    assert "Remove-PartnerApplication -Identity 'Lync pool'" in issue.fix
    assert pscheck_problems(issue.fix) == []


def test_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_valid("PAP009")
