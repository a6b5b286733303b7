"""Helpers for testing rules, for this project's tests and for plugin authors.

A rule's tests are a table of `Case`s: each writes a bundle (any callable that writes
files under a folder and returns the bundle's path), names the rule's expected
findings by the files they point at, and says whether the rule is evaluated, not
evaluated or not applicable. `check_case` lints the bundle in-process with every
registered rule (so that precedence between rules, "one cause, one finding", is part
of what is tested), compares, and explains any difference in the assertion message.

    CASES = (
        Case("2048-bit keys pass", healthy),
        Case("a 1024-bit OAuth key", spec(oauth_key_bits=1024),
             expect=("certs/oauth-token-issuer.cer",)),
        Case("no certificate at all", spec(omit=...), outcome="not evaluated"),
    )

    @pytest.mark.parametrize("case", CASES, ids=case_id)
    def test_weak_key(case: Case, tmp_path: Path) -> None:
        check_case(case, "CRT003", tmp_path)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from s2slint.config import Config
from s2slint.findings import Finding
from s2slint.rule import Evaluated, NotApplicable, NotEvaluated, Outcome

if TYPE_CHECKING:
    from s2slint.registry import Registry
    from s2slint.results import RunResult

BundleWriter = Callable[[Path], Path]
"""Writes a bundle below the given folder and returns the path to lint."""
OutcomeName = Literal["evaluated", "not evaluated", "not applicable"]

DEFAULT_AS_OF = datetime(2026, 11, 21, tzinfo=UTC)
"""The evaluation date cases use unless they name their own (fixed: tests never read the clock)."""

_REGISTRIES: dict[bool, Registry] = {}


@dataclass(frozen=True, slots=True)
class Case:
    """One row of a rule's test table.

    `expect` lists the display paths of the rule's findings (one entry per finding,
    order free); empty means the rule passes. `contains` are texts that must each
    appear in some finding's message; `fix_contains` in some finding's fix. `checked`,
    when given, is how many objects an evaluated rule must report it looked at.
    """

    name: str
    bundle: BundleWriter
    expect: tuple[str, ...] = ()
    outcome: OutcomeName = "evaluated"
    options: Mapping[str, object] = field(default_factory=dict)
    as_of: datetime = DEFAULT_AS_OF
    contains: tuple[str, ...] = ()
    fix_contains: tuple[str, ...] = ()
    checked: int | None = None

    @property
    def fails(self) -> bool:
        """Whether the rule is expected to report something in this case."""
        return bool(self.expect)


def case_id(case: Case) -> str:
    """Return the case's name, for `pytest.mark.parametrize(ids=...)`."""
    return case.name


def registry(*, entry_points: bool = False) -> Registry:
    """Return the plugin registry (built-in rules; installed plugins when asked), loaded once."""
    from s2slint.plugins import load_registry

    if entry_points not in _REGISTRIES:
        _REGISTRIES[entry_points] = load_registry(entry_points=entry_points)
    return _REGISTRIES[entry_points]


def lint_bundle(
    bundle: Path,
    *,
    as_of: datetime = DEFAULT_AS_OF,
    rule_options: Mapping[str, Mapping[str, object]] | None = None,
    config: Config | None = None,
    plugins: Registry | None = None,
) -> RunResult:
    """Lint `bundle` in-process as of `as_of`, with every registered rule selected."""
    from s2slint.engine import lint

    base = config or Config(root=bundle)
    if rule_options:
        base = replace(base, rule_settings={**base.rule_settings, **rule_options})
    return lint([bundle], plugins or registry(), base, as_of, cwd=bundle)


def findings_of(result: RunResult, code: str) -> list[Finding]:
    """Return one rule's findings from a run."""
    return [finding for finding in result.findings if finding.code == code]


def outcome_name(outcome: Outcome | None) -> str:
    """Name an outcome as `Case.outcome` does ("not selected" when the rule did not run)."""
    if isinstance(outcome, Evaluated):
        return "evaluated"
    if isinstance(outcome, NotEvaluated):
        return "not evaluated"
    if isinstance(outcome, NotApplicable):
        return "not applicable"
    return "not selected"


def check_case(
    case: Case, code: str, tmp_path: Path, *, plugins: Registry | None = None
) -> RunResult:
    """Write the case's bundle, lint it, and assert what the case expects of rule `code`.

    Returns the run's result so a test can assert more (messages, related locations).
    """
    bundle = case.bundle(tmp_path)
    options = {code: case.options} if case.options else None
    result = lint_bundle(bundle, as_of=case.as_of, rule_options=options, plugins=plugins)
    outcome = result.coverage.get(code)
    found = findings_of(result, code)
    summary = "\n".join(f"  {f.location.path}: {f.message}" for f in found) or "  (none)"
    assert outcome_name(outcome) == case.outcome, (
        f"{case.name}: {code} was {outcome_name(outcome)} ({outcome}), "
        f"expected {case.outcome}; findings:\n{summary}"
    )
    assert sorted(f.location.path for f in found) == sorted(case.expect), (
        f"{case.name}: {code} findings differ from {sorted(case.expect)}:\n{summary}"
    )
    for text in case.contains:
        assert any(text in f.message for f in found), (
            f"{case.name}: no {code} message contains {text!r}:\n{summary}"
        )
    for text in case.fix_contains:
        assert any(text in f.fix for f in found), (
            f"{case.name}: no {code} fix contains {text!r}:\n" + "\n".join(f.fix for f in found)
        )
    if case.checked is not None:
        assert isinstance(outcome, Evaluated) and outcome.checked == case.checked, (
            f"{case.name}: {code} checked {outcome}, expected {case.checked} objects"
        )
    return result
