"""Each stage of the engine on its own: what it takes, what frozen value it hands on."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import fixturegen
import pytest

from s2slint.config import BundleEntry, Config
from s2slint.dnslive import resolve_live
from s2slint.engine import RunRequest, quiet, run
from s2slint.engine.checking import evaluate, settle
from s2slint.engine.inputs import gather
from s2slint.engine.loading import Caches, load
from s2slint.engine.plan import RunPlan
from s2slint.errors import ConfigError
from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Location, Severity
from s2slint.lazy import Lazy
from s2slint.loaders.base import InputProblem
from s2slint.model import Model
from s2slint.plugins import load_registry
from s2slint.registry import Registry
from s2slint.rule import Evaluated, NotEvaluated, Outcome, Rule, RuleContext, RuleDoc
from s2slint.selection import Selection

CLIXML_NS = "http://schemas.microsoft.com/powershell/2004/04"
NOW = datetime(2026, 11, 21, tzinfo=UTC)
REGISTRY = load_registry(entry_points=False)


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    fixturegen.write_bundle(fixturegen.BundleSpec(), folder)
    return folder


def request_for(folder: Path, **changes: object) -> RunRequest:
    request = RunRequest(paths=(folder,), config=Config(root=folder), now=NOW, cwd=folder)
    return dataclasses.replace(request, **changes)  # type: ignore[arg-type]


def make_rule(code: str, check: object = None, **changes: object) -> Rule:
    rule = Rule(code, f"rule-{code.lower()}", Severity.WARNING, "s", RuleDoc("w", "y", "", "", ""))
    return dataclasses.replace(rule, check=check, **changes)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ plan


def test_the_plan_rejects_a_selector_before_reading_anything(tmp_path: Path) -> None:
    missing = tmp_path / "never-walked"  # walking it would be a UsageError, not this
    request = request_for(missing, selection=Selection(select=("NOPE",)))
    with pytest.raises(ConfigError, match='--select: "NOPE" matches no rule'):
        RunPlan.build(REGISTRY.rules, request)


def test_the_plan_names_enabled_rules_in_order_and_drops_dns_when_off(tmp_path: Path) -> None:
    request = request_for(tmp_path, config=Config(root=tmp_path, dns_mode="off"))
    plan = RunPlan.build(
        REGISTRY.rules, dataclasses.replace(request, selection=Selection(("DNS", "INP001")))
    )
    assert [rule.code for rule in plan.selected] == ["INP001"]
    plan = RunPlan.build(
        REGISTRY.rules, request_for(tmp_path, selection=Selection(ignore=("CRT",)))
    )
    codes = [rule.code for rule in plan.selected]
    assert codes == sorted(codes) and not any(code.startswith("CRT") for code in codes)
    assert plan.codes == tuple(rule.code for rule in REGISTRY.rules)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.enabled = frozenset()  # type: ignore[misc]


def test_the_plan_resolves_typed_options(tmp_path: Path) -> None:
    config = Config(root=tmp_path, rule_settings={"CRT003": {"min-key-bits": 4096}})
    plan = RunPlan.build(REGISTRY.rules, request_for(tmp_path, config=config))
    assert plan.settings["CRT003"].options.min_key_bits == 4096  # type: ignore[attr-defined]
    bad = Config(root=tmp_path, rule_settings={"CRT003": {"min-key-bit": 1}})
    with pytest.raises(ConfigError, match='unknown option "min-key-bit"'):
        RunPlan.build(REGISTRY.rules, request_for(tmp_path, config=bad))


# ---------------------------------------------------------------------------- gather


def test_gather_reads_files_and_lists_what_it_could_not(bundle: Path) -> None:
    (bundle / "lync" / "link").symlink_to("/etc/hostname")
    (bundle / "lync" / "noted.xml").write_text(
        '<!-- s2slint: ignore[PAP001] reason: lab -->\n<Objs xmlns="x"/>\n'
    )
    gathered = gather(request_for(bundle), REGISTRY.loaders, quiet)
    shown = [source.display for source in gathered.sources]
    assert shown == sorted(shown) and "lync/noted.xml" in shown
    assert [(p.code, p.location.path) for p in gathered.problems] == [("INP004", "lync/link")]
    assert [comment.path for comment in gathered.comments] == ["lync/noted.xml"]
    assert all(context.loaders == REGISTRY.loaders for context in gathered.contexts)
    assert all(gathered.cacheable) and not gathered.password_supplied


def test_gather_gives_a_manifest_file_its_own_password_context(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAB_PFX", "secret")
    entry = BundleEntry("lync/oauth-configuration.xml", pfx_password_env="LAB_PFX")
    config = Config(root=bundle, bundle=(entry,))
    gathered = gather(request_for(bundle, config=config), REGISTRY.loaders, quiet)
    index = [s.display for s in gathered.sources].index("lync/oauth-configuration.xml")
    context = gathered.contexts[index]
    assert context.pfx_password is not None and context.pfx_password.reveal() == "secret"
    assert gathered.manifest[index] == entry and not gathered.cacheable[index]
    assert sum(gathered.cacheable) == len(gathered.sources) - 1


# ------------------------------------------------------------------------------ load


def test_load_returns_the_problems_with_the_model(bundle: Path) -> None:
    (bundle / "lync" / "broken.xml").write_text(f'<Objs xmlns="{CLIXML_NS}">\n<Obj>\n')
    (bundle / "lync" / "link").symlink_to("/etc/hostname")
    gathered = gather(request_for(bundle), REGISTRY.loaders, quiet)
    loaded = load(gathered, REGISTRY.loaders, None, 1, quiet)
    assert [(p.code, p.location.path) for p in loaded.problems] == [
        ("INP004", "lync/link"),
        ("INP001", "lync/broken.xml"),
    ]
    assert gathered.problems == loaded.problems[:1]  # the gathered value is untouched
    paths = [file.path for file in loaded.model.files]
    assert paths == sorted(paths) and "lync/link" in paths
    assert loaded.model.oauth_configurations


# -------------------------------------------------------------------------- evaluate


def _raises(model: Model, ctx: RuleContext) -> Outcome:
    raise ValueError("bad")


def _counts(model: Model, ctx: RuleContext) -> Outcome:
    return Evaluated((Issue("seen", Location("x.xml"), key="k"),), len(model.files))


def test_evaluate_honours_requires_and_contains_a_failing_rule(tmp_path: Path) -> None:
    needs = make_rule("XXX001", _counts, requires=(any_of(Export.DNS_ZONES),))
    breaks = make_rule("XXX002", _raises)
    counts = make_rule("XXX003", _counts)
    skipped = make_rule("XXX004", _raises)
    rules = (*REGISTRY.rules, needs, breaks, counts, skipped)
    request = request_for(tmp_path, selection=Selection(("INP005", "XXX001", "XXX002", "XXX003")))
    plan = RunPlan.build(rules, request)
    model = Model.build([], [])
    evaluation = evaluate(plan, model, NOW, Location("bundle"), quiet)
    assert evaluation.coverage["XXX001"] == NotEvaluated(Export.DNS_ZONES.phrase)
    assert isinstance(evaluation.coverage["XXX002"], NotEvaluated)
    assert evaluation.coverage["XXX003"] == Evaluated(evaluation.issues[1][1:], 0)
    assert "XXX004" not in evaluation.coverage
    (internal, failure), (rule, _) = evaluation.issues
    assert internal.code == "INP005" and rule.code == "XXX003"
    assert failure.location == Location("bundle") and "XXX002" in failure.message


# ---------------------------------------------------------------------------- settle


def test_settle_stamps_problems_and_counts_suppressions(tmp_path: Path) -> None:
    config = Config(root=tmp_path, rule_settings={"INP002": {"severity": "error"}})
    plan = RunPlan.build(REGISTRY.rules, request_for(tmp_path, config=config))
    problems = (InputProblem("INP002", "empty file", Location("a.xml")),)
    evaluation = evaluate(plan, Model.build([], []), NOW, Location("."), quiet)
    settled = settle(plan, evaluation, problems, (), None, NOW)
    (finding,) = settled.findings
    assert (finding.code, finding.severity, finding.key) == ("INP002", Severity.ERROR, "file:a.xml")
    assert settled.coverage["SUP001"] == Evaluated((), 0)
    assert settled.suppressed == () and "SUP001" in evaluation.coverage


# ------------------------------------------------------------------ recall and keep


def test_a_kept_run_is_recalled_whole(bundle: Path, tmp_path: Path) -> None:
    request = request_for(bundle, cache_dir=tmp_path / "cache")
    plan = RunPlan.build(REGISTRY.rules, request)
    gathered = gather(request, REGISTRY.loaders, quiet)
    caches = Caches.open(request, plan, gathered, REGISTRY.loaders)
    assert caches.recall(plan, request, gathered, REGISTRY.loaders, quiet) is None
    first = run(request, REGISTRY)
    again = caches.recall(plan, request, gathered, REGISTRY.loaders, quiet)
    assert again is not None and again.findings == first.findings
    assert again.coverage == first.coverage and not again.lazy_model.computed
    assert again.model.files == first.model.files and again.lazy_model.computed
    assert Caches.open(dataclasses.replace(request, cache_dir=None), plan, gathered, ()) == Caches()


# ---------------------------------------------------------------- enrich and the rest


def test_enrich_leaves_an_offline_model_alone() -> None:
    model = Model.build([], [])

    def provider(_: Model) -> list[str]:
        raise AssertionError("asked for hosts offline")

    assert resolve_live(model, (provider,), Config(), quiet) is model


def test_a_lazy_value_is_computed_once() -> None:
    calls: list[int] = []
    lazy = Lazy(lambda: calls.append(1) or len(calls))
    assert not lazy.computed and repr(lazy) == "Lazy(<pending>)"
    assert lazy.get() == 1 and lazy.get() == 1 and calls == [1]
    assert Lazy.ready("x").computed and Lazy.ready("x").get() == "x"


def test_run_is_what_lint_does(bundle: Path) -> None:
    from s2slint.engine import lint

    registry = Registry(REGISTRY.rules, REGISTRY.loaders, {}, ())
    by_run = run(request_for(bundle, selection=Selection(ignore=("OAU",))), registry)
    by_lint = lint([bundle], registry, Config(root=bundle), NOW, ignore=["OAU"], cwd=bundle)
    assert by_run.findings == by_lint.findings and by_run.coverage == by_lint.coverage


@dataclasses.dataclass(frozen=True)
class _Limit:
    most: int = 3


def _typed(model: Model, ctx: RuleContext[_Limit]) -> Outcome:
    return Evaluated((), ctx.options.most)


def test_a_check_reads_its_options_typed(tmp_path: Path) -> None:
    """`RuleContext[Options]`: the engine hands the rule its own options dataclass."""
    rule = make_rule("XXX009", _typed, options=_Limit)
    config = Config(root=tmp_path, rule_settings={"XXX009": {"most": 7}})
    request = request_for(tmp_path, config=config, selection=Selection(("XXX009",)))
    plan = RunPlan.build((*REGISTRY.rules, rule), request)
    evaluation = evaluate(plan, Model.build([], []), NOW, Location("."), quiet)
    assert evaluation.coverage["XXX009"] == Evaluated((), 7)
    assert RuleContext(now=NOW).options is None
