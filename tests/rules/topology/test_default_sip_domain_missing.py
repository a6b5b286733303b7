"""TOP001 default-sip-domain-missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from cert_bundles import Edit, bundle, edit_text, unlink

from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "TOP001"


def default_domain(replacement: str) -> Edit:
    """Rewrite the topology's DefaultDomain attribute (an empty string removes it)."""

    def edit(folder: Path) -> None:
        edit_text(
            folder / "lync" / "topology.xml",
            lambda text: text.replace(' DefaultDomain="litwareinc.com"', replacement),
        )

    return edit


NO_DEFAULT = Case(
    "a topology without a default domain",
    bundle(default_domain("")),
    expect=("lync/topology.xml",),
    contains=("no default SIP domain", "litwareinc.com, fabrikam.com"),
    fix_contains=(
        "$topology.Topology.InternalDomains.SetAttribute('DefaultDomain', 'litwareinc.com')",
        "Publish-CsTopology -FileName C:\\Temp\\topology.xml",
    ),
)
EMPTY_DEFAULT = Case(
    "an empty default domain",
    bundle(default_domain(' DefaultDomain=""')),
    expect=("lync/topology.xml",),
)

CASES = (
    Case("a topology with a default SIP domain passes", bundle(), checked=1),
    Case(
        "the Topology Builder form is read too", bundle(topology_form="topology-builder"), checked=1
    ),
    NO_DEFAULT,
    EMPTY_DEFAULT,
    Case("without a topology", bundle(unlink("lync/topology.xml")), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_default_sip_domain_missing(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_a_missing_attribute_points_at_the_topology(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(NO_DEFAULT, CODE, tmp_path), CODE)
    assert finding.location.pointer == "/Topology"


def test_an_empty_attribute_is_pointed_at(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(EMPTY_DEFAULT, CODE, tmp_path), CODE)
    assert finding.location.pointer == "/InternalDomains/@DefaultDomain"
