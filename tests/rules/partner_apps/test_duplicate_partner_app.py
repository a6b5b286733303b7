"""PAP009 duplicate-partner-app."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_spec, spec
from pap_bundles import EXCHANGE_ID, LYNC_APPS, NO_PARTNER_EXPORTS

from s2slint.testing import BundleWriter, Case, case_id, check_case

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
        contains=(f'share the ApplicationIdentifier "{EXCHANGE_ID}"',),
    ),
    Case("the same export twice is not a duplicate", EXPORTED_TWICE),
    Case("no partner application export", NO_PARTNER_EXPORTS, outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_duplicate_partner_app(case: Case, tmp_path: Path) -> None:
    check_case(case, "PAP009", tmp_path)


def test_two_applications_for_exchange_are_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, partner_trust_levels=TWO_FOR_EXCHANGE)
    (finding,) = findings(result, "PAP009")
    assert finding.message == (
        'partner applications "Exchange" and "microsoft.exchange" share the '
        f'ApplicationIdentifier "{EXCHANGE_ID}"'
    )
    assert finding.location.pointer == "obj[1].ApplicationIdentifier"
    assert [r.pointer for r in finding.related] == ["obj[0]"]
