"""PAP006 lync-metadata-host-unknown."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome, spec
from pap_bundles import EXCHANGE_APPS, assert_documented_fix_valid, check_with_fixes, without

from s2slint.rule import NotEvaluated
from s2slint.testing import Case, case_id

CASES = (
    Case("Exchange reads Lync's metadata from the pool", spec(), checked=1),
    Case(
        "a pool that is not in the topology",
        spec(lync_metadata_url="https://atl-cs-002.litwareinc.com/metadata/json/1"),
        expect=(EXCHANGE_APPS,),
        fix_contains=(
            "-AuthMetadataUrl 'https://atl-cs-001.litwareinc.com/metadata/json/1'\n"
            "Set-PartnerApplication -Identity 'LyncEnterprise-",
            "-RefreshAuthMetadata",
        ),
    ),
    Case(
        # The fix names the pool the server belongs to.
        "a Front End server's name is not the pool",
        spec(lync_metadata_url="https://atl-fe-01.litwareinc.com/metadata/json/1"),
        expect=(EXCHANGE_APPS,),
        fix_contains=("-AuthMetadataUrl 'https://atl-cs-001.litwareinc.com/metadata/json/1'",),
    ),
    Case(
        "SfBLegacy, trusted through the authorization server, has no metadata to judge",
        spec(exchange_sfb_legacy=True),
        checked=1,
    ),
    Case(
        "a SQL cluster is not a Lync pool",
        spec(lync_metadata_url="https://atl-sql-001.litwareinc.com/metadata/json/1"),
        expect=(EXCHANGE_APPS,),
    ),
    Case("no topology", without("lync/topology.xml"), outcome="not evaluated"),
    Case("no Exchange partner applications", without(EXCHANGE_APPS), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_lync_metadata_host_unknown(case: Case, tmp_path: Path) -> None:
    check_with_fixes(case, "PAP006", tmp_path)


def test_exchange_reading_lync_metadata_from_no_pool_is_reported(tmp_path: Path) -> None:
    url = "https://atl-cs-002.litwareinc.com/metadata/json/1"
    result = lint_spec(tmp_path, lync_metadata_url=url)
    (finding,) = findings(result, "PAP006")
    assert finding.message.endswith(
        'reads Lync metadata from "atl-cs-002.litwareinc.com", which is not a Lync pool of '
        "the topology (atl-cs-001.litwareinc.com)"
    )
    assert finding.location.pointer == "obj[0].AuthMetadataUrl"


def test_pap006_needs_exchange_apps_and_the_topology(tmp_path: Path) -> None:
    bundle = without("lync/topology.xml")(tmp_path)
    state = outcome(lint_path(bundle), "PAP006")
    assert state == NotEvaluated("the topology (the Lync pool FQDNs)")
    (bundle / "exchange" / "partner-applications.xml").unlink()
    state = outcome(lint_path(bundle), "PAP006")
    assert state == NotEvaluated("an Exchange Get-PartnerApplication export")


def test_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_valid("PAP006")
