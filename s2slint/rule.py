"""What a rule is: its identity, documentation, options and check function.

Rules are stateless functions over the `Model`. They return an `Evaluated` outcome
(the issues, and how many objects were checked), `NotEvaluated` (which input was
missing) or `NotApplicable` (the rule's precondition is absent from the deployment,
e.g. no on-premises Exchange integration), so a report can tell "passed" from "could
not be checked" from "does not apply here". What a rule reads is declared with
`requires=` (see `s2slint.evidence`); the engine derives "not evaluated" from it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

from s2slint.evidence import Requirement, describe
from s2slint.findings import Issue, Severity

OptionsT = TypeVar("OptionsT")
if TYPE_CHECKING:
    from s2slint.model import Model

if TYPE_CHECKING:  # a default keeps a bare `RuleContext` valid (PEP 696; typing has it from 3.13)
    from typing_extensions import TypeVar as DefaultingTypeVar

    OptionsCo = DefaultingTypeVar("OptionsCo", covariant=True, default=object)
else:
    OptionsCo = TypeVar("OptionsCo", covariant=True)

CODE_PATTERN = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Evaluated:
    """The rule ran: these are its issues, after looking at `checked` objects."""

    issues: tuple[Issue, ...]
    checked: int


@dataclass(frozen=True, slots=True)
class NotEvaluated:
    """The rule could not run: `missing` names the input that would let it."""

    missing: str


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """The rule does not apply to this deployment: `reason` says which precondition is absent.

    Distinct from `NotEvaluated`: the evidence is there and shows the rule has nothing
    to judge (for example "on-premises Exchange integration is not configured").
    """

    reason: str


Outcome = Evaluated | NotEvaluated | NotApplicable


def evaluated(issues: Iterable[Issue], checked: int) -> Evaluated:
    """Return an `Evaluated` outcome (a convenience for rule functions)."""
    return Evaluated(tuple(issues), checked)


def not_evaluated(missing: str) -> NotEvaluated:
    """Return a `NotEvaluated` outcome naming the missing input."""
    return NotEvaluated(missing)


def not_applicable(reason: str) -> NotApplicable:
    """Return a `NotApplicable` outcome naming the absent precondition."""
    return NotApplicable(reason)


@dataclass(frozen=True, slots=True)
class RuleContext(Generic[OptionsCo]):
    """What a check receives besides the model: the evaluation date and its options.

    A check that has options annotates its context with them, `ctx: RuleContext[Options]`,
    and reads `ctx.options` typed: the engine builds them from the rule's own options
    dataclass, so no cast is needed. `options` is None for a rule without options.
    """

    now: datetime
    options: OptionsCo = None  # type: ignore[assignment]  # None: the rule has no options

    def options_as(self, kind: type[OptionsT]) -> OptionsT:
        """Return the options, typed as the rule's own options dataclass.

        Kept for checks written before `RuleContext` was generic; prefer annotating
        the check's context `RuleContext[Options]` and reading `ctx.options`.
        """
        if not isinstance(self.options, kind):
            raise TypeError(f"rule options are {type(self.options).__name__}, not {kind.__name__}")
        return self.options


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """The user documentation of a rule, in the sections `s2slint rule` prints.

    `bad` and `good` are export snippets (XML or zone text); `fix` is the exact
    PowerShell to run; `references` are the Microsoft articles the rule is built on.
    """

    what: str
    why: str
    bad: str
    good: str
    fix: str
    evidence: str = ""
    references: tuple[str, ...] = ()
    snippet_language: str = "xml"


Check: TypeAlias = "Callable[[Model, RuleContext[Any]], Outcome]"
"""A rule's check: any `RuleContext[Options]` the rule's options dataclass fits."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: stable code, kebab-case name, default severity, docs, options, check.

    `check` is `None` for the INP rules, which the engine itself reports while reading
    inputs. `options` is a frozen dataclass type whose defaults are the documented
    defaults; configuration keys are its field names with `-` for `_`. `requires`
    names the exports the check reads: when one is absent the engine reports the rule
    as not evaluated without running it, and the documentation prints the same words.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    doc: RuleDoc
    check: Check | None = None
    options: type | None = None
    plugin: str = field(default="s2slint", compare=False)
    requires: tuple[Requirement, ...] = ()

    def __post_init__(self) -> None:
        if not CODE_PATTERN.match(self.code):
            raise ValueError(
                f'rule code "{self.code}" is not two to four capitals and three digits'
            )
        if not NAME_PATTERN.match(self.name):
            raise ValueError(f'rule name "{self.name}" is not kebab-case')

    @property
    def evidence(self) -> str:
        """What the rule reads, as its documentation says it: `requires`, then the doc's own words."""
        parts = [text for text in (describe(self.requires), self.doc.evidence) if text]
        return "; ".join(parts)

    def default_options(self) -> object:
        """Return the rule's options with every default, or None if it has none."""
        return self.options() if self.options is not None else None

    def option_fields(self) -> tuple[dataclasses.Field[object], ...]:
        """Return the fields of the options dataclass (empty when there are none)."""
        if self.options is None:
            return ()
        return tuple(dataclasses.fields(self.options))


def not_evaluated_rules(coverage: Mapping[str, Outcome]) -> list[tuple[str, str]]:
    """Return `(code, missing input)` for every rule that was not evaluated, by code."""
    return sorted((c, o.missing) for c, o in coverage.items() if isinstance(o, NotEvaluated))


def not_applicable_rules(coverage: Mapping[str, Outcome]) -> list[tuple[str, str]]:
    """Return `(code, reason)` for every rule that does not apply to the deployment, by code."""
    return sorted((c, o.reason) for c, o in coverage.items() if isinstance(o, NotApplicable))


def option_key(field_name: str) -> str:
    """Return the configuration spelling of an option field (`min_key_bits` -> `min-key-bits`)."""
    return field_name.replace("_", "-")
