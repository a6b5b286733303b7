"""INP006 evidence-missing: one finding per absent export, naming what it blocks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bundle_lint import sharepoint_spec, spec, without
from powershell_check import assert_valid_powershell

from s2slint.config import Config
from s2slint.corecodes import EVIDENCE_MISSING
from s2slint.diagnostics import evidence_missing
from s2slint.engine import lint
from s2slint.evidence import Export, Requirement, any_of
from s2slint.findings import Location, Severity
from s2slint.model import Located, Model, Topology
from s2slint.results import RunResult
from s2slint.rule import Evaluated, NotApplicable, NotEvaluated, Rule, RuleDoc
from s2slint.testing import DEFAULT_AS_OF, BundleWriter, findings_of, lint_bundle, registry

EXCHANGE_ONLY = (("microsoft.exchange", "Full"),)
HERE = Location("bundle")


def _lint(tmp_path: Path, writer: BundleWriter, **config: object) -> RunResult:
    bundle = writer(tmp_path)
    base = replace(Config(root=bundle), **config)  # type: ignore[arg-type]
    return lint_bundle(bundle, config=base)


def test_a_sharepoint_integrated_bundle_without_sharepoint_or_hybrid_exports(
    tmp_path: Path,
) -> None:
    result = _lint(tmp_path, spec())
    found = findings_of(result, EVIDENCE_MISSING)
    assert sorted(f.message for f in found) == [
        "a Get-SPSecurityTokenServiceConfig export (SharePoint Management Shell) is missing "
        "from the bundle: SPS004, SPS005 are not evaluated",
        "a Get-SPTrustedSecurityTokenIssuer export (SharePoint Management Shell) is missing "
        "from the bundle: SPS001, SPS002, SPS003, SPS006 are not evaluated",
        "an Exchange Get-HybridConfiguration export is missing from the bundle: HYB004 is not "
        "evaluated",
    ]
    assert {f.location.path for f in found} == {"."}  # the bundle, as it was named
    assert {f.severity for f in found} == {Severity.WARNING}
    issuers = next(f for f in found if "Get-SPTrustedSecurityTokenIssuer" in f.message)
    assert issuers.fix == (
        "Get-SPTrustedSecurityTokenIssuer | Export-Clixml .\\sharepoint\\trusted-issuers.xml"
    )
    assert issuers.key == "evidence:sharepoint_issuers"


def test_nothing_is_missing_from_the_bundle_with_every_export(tmp_path: Path) -> None:
    result = _lint(tmp_path, sharepoint_spec())
    assert findings_of(result, EVIDENCE_MISSING) == []
    # Only DNS004 (live lookups, no export) is not evaluated, and it asks for nothing.
    not_evaluated = [c for c, o in result.coverage.items() if isinstance(o, NotEvaluated)]
    assert not_evaluated == ["DNS004"]


def test_rules_that_do_not_apply_ask_for_nothing(tmp_path: Path) -> None:
    result = _lint(tmp_path, spec(partner_trust_levels=EXCHANGE_ONLY, exchange_hybrid=False))
    assert all(
        isinstance(result.coverage[code], NotApplicable) for code in ("SPS001", "SPS004", "HYB004")
    )
    assert findings_of(result, EVIDENCE_MISSING) == []


def test_a_rule_is_listed_under_every_export_it_lacks_and_any_of_is_one_export(
    tmp_path: Path,
) -> None:
    writer = without(sharepoint_spec(), "lync/topology.xml", "lync/oauth-configuration.xml")
    result = _lint(tmp_path, writer)
    found = {f.key: f for f in findings_of(result, EVIDENCE_MISSING)}
    realm = found["evidence:oauth_configurations+topologies"]
    assert realm.message.startswith(
        "a Get-CsOAuthConfiguration export or a topology (Get-CsTopology -AsXml or a Topology "
        "Builder .tbxml file) is missing from the bundle: "
    )
    assert "SPS006" in realm.message
    assert realm.fix.split("\n# or\n") == [
        "Get-CsOAuthConfiguration | Export-Clixml .\\lync\\oauth-configuration.xml",
        "Get-CsTopology -AsXml | Out-File .\\lync\\topology.xml",
    ]
    topology = found["evidence:topologies"]
    assert "SPS002" in topology.message and "TOP001" in topology.message


def test_only_selected_rules_are_named_and_inp006_can_be_ignored(tmp_path: Path) -> None:
    selected = _lint(tmp_path / "a", spec(), select=("SPS001", "INP006"))
    (finding,) = findings_of(selected, EVIDENCE_MISSING)
    assert finding.message.endswith(": SPS001 is not evaluated")
    ignored = _lint(tmp_path / "b", spec(), ignore=("INP006",))
    assert findings_of(ignored, EVIDENCE_MISSING) == []


def _rule(code: str, *requires: Requirement) -> Rule:
    doc = RuleDoc(what="w", why="y", bad="", good="", fix="")
    return Rule(code, "some-rule", Severity.ERROR, "s", doc, requires=requires)


def test_the_zone_to_export_is_the_default_sip_domain() -> None:
    zones = _rule("DNS901", any_of(Export.DNS_ZONES))
    coverage = {"DNS901": NotEvaluated(Export.DNS_ZONES.phrase)}
    topology = Topology(
        form="published",
        loc=HERE,
        default_domain=Located.at("litwareinc.com", HERE),
        sip_domains=(),
        sites=(),
        pools=(),
    )
    (issue,) = evidence_missing([zones], coverage, Model(topologies=(topology,)), HERE)
    assert issue.fix == 'Export-DnsServerZone -Name litwareinc.com -FileName "litwareinc.com.dns"'
    (unknown,) = evidence_missing([zones], coverage, Model(), HERE)
    assert "$zone" in unknown.fix


def test_rules_not_evaluated_for_other_reasons_are_not_counted() -> None:
    """A rule that ran and said "not evaluated" itself, or that passed, asks for nothing."""
    needs = _rule("XYZ901", any_of(Export.EXCHANGE_AUTH_CONFIG))
    assert evidence_missing([needs], {"XYZ901": Evaluated((), 0)}, Model(), HERE) == []
    assert evidence_missing([needs], {}, Model(), HERE) == []
    live = _rule("XYZ902")
    assert evidence_missing([live], {"XYZ902": NotEvaluated("live")}, Model(), HERE) == []


def test_every_export_command_is_real_powershell() -> None:
    commands = [kind.command("litwareinc.com") for kind in Export]
    assert_valid_powershell("\n".join([*commands, Export.DNS_ZONES.command()]))


def test_files_named_one_by_one_say_nothing_of_what_else_exists(tmp_path: Path) -> None:
    bundle = spec()(tmp_path)
    named = [bundle / "lync" / "oauth-configuration.xml", bundle / "lync" / "topology.xml"]
    result = lint_bundle(named[0], config=Config(root=bundle))
    assert findings_of(result, EVIDENCE_MISSING) == []
    several = lint(named, registry(), Config(root=bundle), DEFAULT_AS_OF, cwd=bundle)
    assert findings_of(several, EVIDENCE_MISSING) == []
    assert isinstance(several.coverage["SPS001"], NotEvaluated)  # still said, per rule
