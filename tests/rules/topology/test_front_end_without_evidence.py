"""TOP002 front-end-without-evidence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cert_bundles import FRONT_ENDS, bundle, unlink
from conftest import SAMPLES
from exports import cs_certificate_xml

from s2slint.testing import Case, case_id, check_case, findings_of, lint_bundle

FE1, FE2, FE3 = FRONT_ENDS
DIR1 = "atl-dir-01.litwareinc.com"
SBA = "mac-sba-01.litwareinc.com"
CODE = "TOP002"

# The topology also holds a SQL cluster and a file store, which have no export
# either: they are not Front End pools.
FE3_WITHOUT = Case(
    "a Front End without export is reported and the SQL cluster is not",
    bundle(omit_server_exports=(FE3,)),
    expect=("lync/topology.xml",),
    contains=(f"Front End server {FE3} has no Get-CsCertificate export", FE1, FE2),
    # Collected remotely (PSComputerName names the server) into a folder made for it.
    fix_contains=(
        f"New-Item -ItemType Directory -Force -Path '.\\servers\\{FE3}'",
        f"Invoke-Command -ComputerName '{FE3}' -ScriptBlock {{ Get-CsCertificate }} | "
        f"Export-Clixml -Path ('.\\servers\\{FE3}' + '\\certificates.xml')",
    ),
    checked=3,
)

CASES = (
    Case("every Front End with an export passes", bundle(), checked=3),
    FE3_WITHOUT,
    Case(
        "the Topology Builder form counts the same Front Ends",
        bundle(topology_form="topology-builder", omit_server_exports=(FE2,)),
        expect=("lync/topology.tbxml",),
        contains=(f"Front End server {FE2} has no",),
    ),
    Case(
        "without any certificate export",
        bundle(omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
    Case("without a topology", bundle(unlink("lync/topology.xml")), outcome="not evaluated"),
    # Catalogue v2: a Director is an OAuth server, a Survivable Branch Appliance is not.
    Case(
        "a Director without an export is reported, a branch appliance without one is not",
        bundle(directors=(DIR1,), branch_appliances=(SBA,), omit_server_exports=(DIR1, SBA)),
        expect=("lync/topology.xml",),
        contains=(f"Front End server {DIR1} has no Get-CsCertificate export",),
        checked=4,
    ),
    Case(
        "a branch appliance's own export is no evidence for an OAuth server",
        bundle(branch_appliances=(SBA,)),
        checked=3,
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_front_end_without_evidence(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_servers_with_an_export_are_related(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(FE3_WITHOUT, CODE, tmp_path), CODE)
    assert {r.path for r in finding.related} == {
        f"servers/{FE1}/certificates.xml",
        f"servers/{FE2}/certificates.xml",
    }


def test_on_a_genuine_topology_only_front_end_machines_count(tmp_path: Path) -> None:
    # Contoso.tbxml (Skype for Business 2015) has a four-server Front End pool, an Edge
    # pool, Office Web Apps, a SQL cluster and two file stores.
    if not (SAMPLES / "sfb2015-Contoso.tbxml").is_file():
        pytest.skip("the genuine samples are not beside the project")
    shutil.copy(SAMPLES / "sfb2015-Contoso.tbxml", tmp_path / "topology.tbxml")
    export = tmp_path / "servers" / "certificates.xml"
    export.parent.mkdir()
    export.write_text(cs_certificate_xml("xfrontend1.contoso.com", "AB" * 20), encoding="utf-16")
    result = lint_bundle(tmp_path)
    reported = sorted(f.message.split()[3] for f in findings_of(result, CODE))
    assert reported == [f"xfrontend{n}.contoso.com" for n in (2, 3, 4)]


def test_the_fix_never_guesses_the_domain_from_the_user(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(FE3_WITHOUT, CODE, tmp_path), CODE)
    assert "USERDNSDOMAIN" not in finding.fix and "COMPUTERNAME" not in finding.fix
