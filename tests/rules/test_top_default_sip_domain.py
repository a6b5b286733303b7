"""TOP001 default-sip-domain-missing."""

from __future__ import annotations

from pathlib import Path

from bundle_lint import findings, lint_path, lint_spec, outcome
from cert_bundles import edit_text, write_spec

from s2slint.rule import Evaluated, NotEvaluated


def test_a_topology_with_a_default_sip_domain_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "TOP001") == []
    assert outcome(result, "TOP001") == Evaluated((), 1)


def test_the_topology_builder_form_is_read_too(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, topology_form="topology-builder")
    assert outcome(result, "TOP001") == Evaluated((), 1)


def test_a_topology_without_default_domain_is_reported(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    edit_text(
        bundle / "lync" / "topology.xml",
        lambda text: text.replace(' DefaultDomain="litwareinc.com"', ""),
    )
    (finding,) = findings(lint_path(bundle), "TOP001")
    assert finding.location.path == "lync/topology.xml"
    assert finding.location.pointer == "/Topology"
    assert "no default SIP domain" in finding.message
    assert "litwareinc.com, fabrikam.com" in finding.message


def test_an_empty_default_domain_is_reported_where_it_is_written(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    edit_text(
        bundle / "lync" / "topology.xml",
        lambda text: text.replace('DefaultDomain="litwareinc.com"', 'DefaultDomain=""'),
    )
    (finding,) = findings(lint_path(bundle), "TOP001")
    assert finding.location.pointer == "/InternalDomains/@DefaultDomain"


def test_without_a_topology_the_rule_is_not_evaluated(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    (bundle / "lync" / "topology.xml").unlink()
    result = lint_path(bundle)
    assert isinstance(outcome(result, "TOP001"), NotEvaluated)
