"""TOP002 front-end-without-evidence."""

from __future__ import annotations

from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome
from cert_bundles import FRONT_ENDS, write_spec

from s2slint.rule import Evaluated, NotEvaluated

FE1, FE2, FE3 = FRONT_ENDS


def test_every_front_end_with_an_export_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "TOP002") == []
    assert outcome(result, "TOP002") == Evaluated((), 3)


def test_a_front_end_without_export_is_reported_and_the_sql_cluster_is_not(
    tmp_path: Path,
) -> None:
    # The topology also holds a SQL cluster and a file store, which have no export
    # either: they are not Front End pools.
    result = lint_spec(tmp_path, omit_server_exports=(FE3,))
    (finding,) = findings(result, "TOP002")
    assert finding.location.path == "lync/topology.xml"
    assert f"Front End server {FE3} has no Get-CsCertificate export" in finding.message
    assert FE1 in finding.message and FE2 in finding.message
    assert {r.path for r in finding.related} == {
        f"servers/{FE1}/certificates.xml",
        f"servers/{FE2}/certificates.xml",
    }
    checked = outcome(result, "TOP002")
    assert isinstance(checked, Evaluated) and checked.checked == 3


def test_the_topology_builder_form_counts_the_same_front_ends(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, topology_form="topology-builder", omit_server_exports=(FE2,))
    assert [f.message.split()[3] for f in findings(result, "TOP002")] == [FE2]


def test_without_any_certificate_export_the_rule_is_not_evaluated(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, omit_server_exports=FRONT_ENDS)
    assert isinstance(outcome(result, "TOP002"), NotEvaluated)


def test_without_a_topology_the_rule_is_not_evaluated(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    (bundle / "lync" / "topology.xml").unlink()
    assert isinstance(outcome(lint_path(bundle), "TOP002"), NotEvaluated)


def test_on_a_genuine_topology_only_front_end_machines_count(tmp_path: Path) -> None:
    # Contoso.tbxml (Skype for Business 2015) has a four-server Front End pool, an Edge
    # pool, Office Web Apps, a SQL cluster and two file stores.
    import shutil

    import pytest
    from conftest import SAMPLES
    from exports import cs_certificate_xml

    if not (SAMPLES / "sfb2015-Contoso.tbxml").is_file():
        pytest.skip("the genuine samples are not beside the project")
    shutil.copy(SAMPLES / "sfb2015-Contoso.tbxml", tmp_path / "topology.tbxml")
    export = tmp_path / "servers" / "certificates.xml"
    export.parent.mkdir()
    export.write_text(cs_certificate_xml("xfrontend1.contoso.com", "AB" * 20), encoding="utf-16")
    result = lint_path(tmp_path)
    reported = sorted(f.message.split()[3] for f in findings(result, "TOP002"))
    assert reported == [f"xfrontend{n}.contoso.com" for n in (2, 3, 4)]
