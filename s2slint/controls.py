"""Controls: map rules to the requirements auditors check, and judge each from a run.

Like compliance frameworks in trivy or prowler, a control names the rules that give
evidence for it. Its status is computed, never assumed: FAILED when one of its rules
reported a finding, PASSED only when every one of its rules ran on evidence and
reported nothing, NOT EVALUATED otherwise, with the reason (the missing input, a rule
not selected, a rule this version does not have). The mapping ships as
`controls.toml`; `--controls FILE` replaces it (TOML or JSON, same layout).
"""

from __future__ import annotations

import enum
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from s2slint import __version__
from s2slint.errors import ConfigError
from s2slint.findings import Finding
from s2slint.rule import Evaluated, NotApplicable, NotEvaluated

if TYPE_CHECKING:
    from s2slint.results import RunResult

SHIPPED = "controls.toml"

_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["control"],
    "properties": {
        "title": {"type": "string"},
        "version": {"type": "string"},
        "control": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "title", "rules"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "title": {"type": "string", "minLength": 1},
                    "rationale": {"type": "string"},
                    "rules": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    "references": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


@dataclass(frozen=True, slots=True)
class Control:
    """One requirement: its id, title, why it matters, and the rules that evidence it."""

    id: str
    title: str
    rationale: str
    rules: tuple[str, ...]
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ControlSet:
    """A control mapping (framework) and where it came from."""

    title: str
    version: str
    source: str
    controls: tuple[Control, ...]


class Status(enum.IntEnum):
    """A control's or rule's verdict; ordered worst first."""

    FAILED = 0
    NOT_EVALUATED = 1
    PASSED = 2
    NOT_APPLICABLE = 3
    """Every rule of the control found its precondition absent (never counted as passed)."""

    @property
    def label(self) -> str:
        """Return the words reports print (status is never shown by colour alone)."""
        return self.name.replace("_", " ").lower()


@dataclass(frozen=True, slots=True)
class RuleVerdict:
    """What one rule says about a control, with the reason in words."""

    code: str
    status: Status
    detail: str
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class ControlVerdict:
    """A control's status, from the verdicts of its rules."""

    control: Control
    status: Status
    rules: tuple[RuleVerdict, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Return the findings of the control's rules."""
        return tuple(f for verdict in self.rules for f in verdict.findings)

    @property
    def detail(self) -> str:
        """Return a one-line explanation of the status."""
        if self.status is Status.FAILED:
            count = len(self.findings)
            return f"{count} finding{'s' if count != 1 else ''}"
        if self.status is Status.NOT_EVALUATED:
            if not self.rules:
                return "no rule gives evidence for this control: check it by hand"
            reasons = [v for v in self.rules if v.status is Status.NOT_EVALUATED]
            return "; ".join(f"{v.code}: {v.detail}" for v in reasons)
        if self.status is Status.NOT_APPLICABLE:
            return "; ".join(f"{v.code}: {v.detail}" for v in self.rules)
        passed = sum(1 for v in self.rules if v.status is Status.PASSED)
        text = f"{passed} rule{'s' if passed != 1 else ''} passed"
        inapplicable = len(self.rules) - passed
        return text + (f", {inapplicable} not applicable" if inapplicable else "")


# ------------------------------------------------------------------------ loading


def _parse(text: str, name: str) -> Mapping[str, Any]:
    try:
        data = json.loads(text) if name.endswith(".json") else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{name}: invalid control mapping: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: invalid control mapping: expected a table of controls")
    return data


def _validate(data: Mapping[str, Any], name: str) -> None:
    import jsonschema

    errors = sorted(
        jsonschema.Draft7Validator(_SCHEMA).iter_errors(dict(data)),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        error = errors[0]
        where = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        raise ConfigError(f"{name}: invalid control mapping: {where}: {error.message}")
    seen: set[str] = set()
    for control in data["control"]:
        if control["id"] in seen:
            raise ConfigError(f'{name}: control "{control["id"]}" is defined twice')
        seen.add(control["id"])


def load_controls(path: Path | None = None) -> ControlSet:
    """Read a control mapping (the shipped one when `path` is None).

    Raises `ConfigError` (exit 2) naming the file and the faulty entry.
    """
    if path is None:
        name = f"s2slint/{SHIPPED}"
        text = resources.files("s2slint").joinpath(SHIPPED).read_text(encoding="utf-8")
    else:
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot read the control mapping: {error}") from None
    data = _parse(text, name)
    _validate(data, name)
    controls = tuple(
        Control(
            id=item["id"],
            title=item["title"],
            rationale=" ".join(item.get("rationale", "").split()),
            rules=tuple(code.strip().upper() for code in item["rules"]),
            references=tuple(item.get("references", ())),
        )
        for item in data["control"]
    )
    return ControlSet(
        title=data.get("title", "Controls"),
        version=data.get("version", ""),
        source="built-in" if path is None else name,
        controls=controls,
    )


# --------------------------------------------------------------------- evaluating


def judge_rule(code: str, result: RunResult) -> RuleVerdict:
    """Return what one rule's run says: findings, passed, or why it was not evaluated."""
    findings = tuple(f for f in result.findings if f.code == code)
    outcome = result.coverage.get(code)
    if findings:
        return RuleVerdict(code, Status.FAILED, f"{len(findings)} finding(s)", findings)
    if isinstance(outcome, NotEvaluated):
        return RuleVerdict(code, Status.NOT_EVALUATED, f"missing {outcome.missing}")
    if isinstance(outcome, NotApplicable):
        return RuleVerdict(code, Status.NOT_APPLICABLE, f"not applicable: {outcome.reason}")
    if isinstance(outcome, Evaluated):
        accepted = sum(1 for s in result.suppressed if s.finding.code == code)
        detail = f"passed ({outcome.checked} checked)"
        if accepted:
            detail += f"; {accepted} accepted finding(s) suppressed"
        return RuleVerdict(code, Status.PASSED, detail)
    if code in result.available:
        return RuleVerdict(code, Status.NOT_EVALUATED, "rule not selected in this run")
    return RuleVerdict(code, Status.NOT_EVALUATED, f"rule not available in s2slint {__version__}")


def evaluate(controls: ControlSet, result: RunResult) -> tuple[ControlVerdict, ...]:
    """Judge every control; worst first (failed, not evaluated, passed), then by id."""
    verdicts = []
    for control in controls.controls:
        rules = tuple(judge_rule(code, result) for code in control.rules)
        status = min((v.status for v in rules), default=Status.NOT_EVALUATED)
        verdicts.append(ControlVerdict(control, status, rules))
    return tuple(sorted(verdicts, key=lambda v: (v.status, v.control.id)))
