"""What a run produced: the contract between the engine and everything that reports.

Reporters, controls, the command line and tests read a `RunResult`; none of them
needs to know how the engine made it. Keeping it in this leaf module (it imports
only findings, the model and rule outcomes) is what lets the reporters stand below
the engine instead of importing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from s2slint.findings import Finding, Suppressed
from s2slint.inputfiles import InputFile
from s2slint.lazy import Lazy
from s2slint.rule import Outcome, Rule

if TYPE_CHECKING:
    from s2slint.model import Model


@dataclass(frozen=True, slots=True)
class RunResult:
    """What a run produced: sorted findings, per-rule coverage, the files read.

    `rules` are the rules that were selected; `available` the codes of every rule
    registered (so a report can tell "not selected" from "not in this version");
    `suppressed` the findings suppressions hid; `now` the evaluation date.
    `lazy_model` is the model the rules saw: a run served from the run cache builds
    it only when a reporter asks (the HTML report's deployment tables). `lazy_rules`
    likewise: a run served before the plugins were loaded (`s2slint.engine.replay`)
    loads them only when a reporter reads the rules (SARIF, JSON, the audit formats).
    """

    findings: tuple[Finding, ...]
    coverage: dict[str, Outcome]
    files: tuple[InputFile, ...]
    lazy_rules: Lazy[tuple[Rule, ...]] = field(repr=False, compare=False)
    lazy_model: Lazy[Model] = field(repr=False, compare=False)
    suppressed: tuple[Suppressed, ...] = ()
    available: tuple[str, ...] = ()
    now: datetime | None = None

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Return the selected rules, loading the plugins on first use if need be."""
        return self.lazy_rules.get()

    @property
    def model(self) -> Model:
        """Return the model the rules saw, building it on first use if need be."""
        return self.lazy_model.get()
