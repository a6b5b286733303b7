"""Controls: map rules to the requirements auditors check, and judge each from a run.

Like compliance frameworks in trivy or prowler, a control names the rules that give
evidence for it. Its status is computed, never assumed, from its rules' verdicts,
worst first:

- FAILED: a rule reported a finding that was not accepted;
- NOT EVALUATED: a rule lacked its input, was not selected, or is not in this version;
- ACCEPTED: a rule's only findings were accepted (suppressed or baselined);
- PASSED: at least one rule checked at least one object, and none of the above;
- NOT APPLICABLE: every rule found nothing to check (not applicable, or 0 objects).

A control marked `evidence` (the shipped S2S-01, "evidence is complete") also fails
when the bundle lacks an export a selected rule needs (see `evidence_verdict`).

The mapping ships as `controls.toml`; `--controls FILE` replaces it (TOML or JSON, same
layout) and `--controls builtin:NAME` picks a shipped one: `s2slint`, or a framework
(`nist-800-53`, `iso-27001`, `cis-v8`) built from the `maps` of the s2slint controls and
the control titles in `frameworks.toml`.
"""

from __future__ import annotations

import enum
import functools
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from s2slint import __version__
from s2slint.errors import ConfigError
from s2slint.findings import Finding, Suppressed
from s2slint.rule import Evaluated, NotApplicable, NotEvaluated, not_evaluated_rules
from s2slint.shipped import shipped_text

if TYPE_CHECKING:
    from s2slint.results import RunResult

SHIPPED = "controls.toml"
FRAMEWORKS = "frameworks.toml"
BUILTIN = "builtin:"
DEFAULT_NAME = "s2slint"
EVIDENCE_RULE = "INP006"
"""The rule that reports missing exports; an `evidence` control is judged by it."""

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
                    "evidence": {"type": "boolean"},
                    "maps": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "array",
                            "items": {"type": "string", "minLength": 1},
                        },
                    },
                },
            },
        },
    },
}


@dataclass(frozen=True, slots=True)
class Control:
    """One requirement: its id, title, why it matters, and the rules that evidence it.

    `maps` names, per framework, the framework controls this one gives evidence for
    (`(("nist-800-53", ("SC-12", "SC-17")), ...)`); `evidence` marks the control that
    fails when a selected rule lacked an export.
    """

    id: str
    title: str
    rationale: str
    rules: tuple[str, ...]
    references: tuple[str, ...] = ()
    maps: tuple[tuple[str, tuple[str, ...]], ...] = ()
    evidence: bool = False


@dataclass(frozen=True, slots=True)
class ControlSet:
    """A control mapping (framework) and where it came from.

    `name` is the built-in name (`s2slint`, `nist-800-53`, ...) or "" for a file;
    `label` the short name findings are tagged with ("NIST SP 800-53 Rev. 5").
    """

    title: str
    version: str
    source: str
    controls: tuple[Control, ...]
    name: str = ""
    label: str = ""

    def ids_for(self, code: str) -> tuple[str, ...]:
        """Return the ids of the controls whose rules include `code`, in mapping order."""
        return tuple(c.id for c in self.controls if code in c.rules)


class Status(enum.IntEnum):
    """A control's or rule's verdict; ordered worst first."""

    FAILED = 0
    NOT_EVALUATED = 1
    ACCEPTED = 2
    """Findings were reported and accepted (suppressed or baselined): never counted as passed."""
    PASSED = 3
    NOT_APPLICABLE = 4
    """Nothing to check: the precondition is absent or no object was there (never passed)."""

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
    accepted: tuple[Suppressed, ...] = ()


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number != 1 else ''}"


@dataclass(frozen=True, slots=True)
class ControlVerdict:
    """A control's status, from the verdicts of its rules."""

    control: Control
    status: Status
    rules: tuple[RuleVerdict, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Return the findings of the control's rules (not the accepted ones)."""
        return tuple(f for verdict in self.rules for f in verdict.findings)

    @property
    def accepted(self) -> tuple[Suppressed, ...]:
        """Return the accepted (suppressed or baselined) findings of the control's rules."""
        return tuple(s for verdict in self.rules for s in verdict.accepted)

    @property
    def detail(self) -> str:
        """Return a one-line explanation of the status."""
        accepted = len(self.accepted)
        also = f"; {accepted} accepted" if accepted else ""
        if self.status is Status.FAILED:
            if self.findings:
                return _count(len(self.findings), "finding") + also
            return "; ".join(v.detail for v in self.rules if v.status is Status.FAILED)
        if self.status is Status.NOT_EVALUATED:
            if not self.rules:
                return "no rule gives evidence for this control: check it by hand"
            reasons = [v for v in self.rules if v.status is Status.NOT_EVALUATED]
            return "; ".join(f"{v.code}: {v.detail}" for v in reasons)
        if self.status is Status.ACCEPTED:
            return "; ".join(f"{v.code}: {v.detail}" for v in self.rules if v.accepted)
        if self.status is Status.NOT_APPLICABLE:
            return "; ".join(f"{v.code}: {v.detail}" for v in self.rules)
        passed = sum(1 for v in self.rules if v.status is Status.PASSED)
        text = _count(passed, "rule") + " passed"
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


def _controls_of(data: Mapping[str, Any]) -> tuple[Control, ...]:
    return tuple(
        Control(
            id=item["id"],
            title=item["title"],
            rationale=" ".join(item.get("rationale", "").split()),
            rules=tuple(code.strip().upper() for code in item["rules"]),
            references=tuple(item.get("references", ())),
            maps=tuple((name, tuple(ids)) for name, ids in item.get("maps", {}).items()),
            evidence=bool(item.get("evidence", False)),
        )
        for item in data["control"]
    )


def load_controls(path: Path | None = None) -> ControlSet:
    """Read a control mapping (the shipped one when `path` is None).

    Raises `ConfigError` (exit 2) naming the file and the faulty entry.
    """
    if path is None:
        return load_builtin(DEFAULT_NAME)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the control mapping: {error}") from None
    data = _parse(text, str(path))
    _validate(data, str(path))
    title = data.get("title", "Controls")
    return ControlSet(title, data.get("version", ""), str(path), _controls_of(data), "", title)


def resolve(spec: str) -> ControlSet:
    """Return the mapping `--controls` names: `builtin:NAME`, or a TOML or JSON file."""
    if spec.startswith(BUILTIN):
        return load_builtin(spec[len(BUILTIN) :])
    path = Path(spec)
    if not path.is_file():
        raise ConfigError(f"{spec}: control mapping not found")
    return load_controls(path)


@functools.cache
def _frameworks() -> Mapping[str, Any]:
    """Return frameworks.toml: each framework's title, version and control titles."""
    return tomllib.loads(shipped_text(FRAMEWORKS))


def builtin_names() -> tuple[str, ...]:
    """Return the names `--controls builtin:NAME` accepts, s2slint's own first."""
    return (DEFAULT_NAME, *_frameworks())


@functools.cache
def load_builtin(name: str) -> ControlSet:
    """Return a shipped mapping: s2slint's controls, or a framework built from their `maps`.

    A framework control is judged from the rules of every s2slint control mapped to
    it; one no s2slint control maps to has no rule and reads NOT EVALUATED ("check it
    by hand"), so a framework is never shown as more covered than it is.
    """
    if name not in builtin_names():
        valid = ", ".join(BUILTIN + n for n in builtin_names())
        raise ConfigError(f'unknown built-in control mapping "{BUILTIN}{name}" (valid: {valid})')
    data = _parse(shipped_text(SHIPPED), f"s2slint/{SHIPPED}")
    _validate(data, f"s2slint/{SHIPPED}")
    own = ControlSet(
        data.get("title", "Controls"),
        data.get("version", ""),
        "built-in",
        _controls_of(data),
        DEFAULT_NAME,
        "s2slint",
    )
    if name == DEFAULT_NAME:
        return own
    framework = _frameworks()[name]
    controls = []
    for control_id, title in framework["controls"].items():
        sources = [c for c in own.controls if control_id in dict(c.maps).get(name, ())]
        rationale = "Judged from the s2slint controls " + "; ".join(
            f"{c.id} ({c.title})" for c in sources
        )
        controls.append(
            Control(
                id=control_id,
                title=title,
                rationale=rationale + "." if sources else "No s2slint control maps to it.",
                rules=tuple(dict.fromkeys(code for c in sources for code in c.rules)),
                maps=((DEFAULT_NAME, tuple(c.id for c in sources)),),
                evidence=any(c.evidence for c in sources),
            )
        )
    return ControlSet(
        f"{framework['title']}, as evidenced by s2slint's controls",
        framework.get("version", ""),
        f"built-in ({BUILTIN}{name})",
        tuple(controls),
        name,
        framework["title"],
    )


def mappings(code: str, selected: ControlSet) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return, for a rule, the controls it maps to: the selected mapping's, then the others.

    Every finding in the audit report shows these, so an auditor working from any of
    the shipped frameworks finds the control IDs without a lookup table.
    """
    found = [(selected.label or selected.title, selected.ids_for(code))]
    for name in builtin_names():
        if name != selected.name:
            other = load_builtin(name)
            found.append((other.label, other.ids_for(code)))
    return tuple((label, ids) for label, ids in found if ids)


# --------------------------------------------------------------------- evaluating


def _accepted_detail(accepted: tuple[Suppressed, ...]) -> str:
    first = accepted[0]
    parts = [f"{first.source}: {first.reason}"]
    parts += [f"owner {first.owner}"] if first.owner else []
    parts += [f"ticket {first.ticket}"] if first.ticket else []
    parts += [f"until {first.expires}"] if first.expires else []
    more = f" and {len(accepted) - 1} more" if len(accepted) > 1 else ""
    return f"{_count(len(accepted), 'finding')} accepted ({', '.join(parts)}){more}"


def judge_rule(code: str, result: RunResult) -> RuleVerdict:
    """Return what one rule's run says: findings, accepted, passed, or why not evaluated.

    A rule that ran on 0 objects is NOT APPLICABLE ("nothing to check"), never
    PASSED: it proves nothing about the deployment.
    """
    findings = tuple(f for f in result.findings if f.code == code)
    accepted = tuple(s for s in result.suppressed if s.finding.code == code)
    outcome = result.coverage.get(code)
    if findings:
        detail = f"{len(findings)} finding(s)" + (f", {len(accepted)} accepted" if accepted else "")
        return RuleVerdict(code, Status.FAILED, detail, findings, accepted)
    if accepted:
        return RuleVerdict(code, Status.ACCEPTED, _accepted_detail(accepted), (), accepted)
    if isinstance(outcome, NotEvaluated):
        return RuleVerdict(code, Status.NOT_EVALUATED, f"missing {outcome.missing}")
    if isinstance(outcome, NotApplicable):
        return RuleVerdict(code, Status.NOT_APPLICABLE, f"not applicable: {outcome.reason}")
    if isinstance(outcome, Evaluated):
        if outcome.checked == 0:
            return RuleVerdict(
                code, Status.NOT_APPLICABLE, "not applicable: nothing to check (0 objects)"
            )
        return RuleVerdict(code, Status.PASSED, f"passed ({outcome.checked} checked)")
    if code in result.available:
        return RuleVerdict(code, Status.NOT_EVALUATED, "rule not selected in this run")
    return RuleVerdict(code, Status.NOT_EVALUATED, f"rule not available in s2slint {__version__}")


def _live_only(missing: str) -> bool:
    """Tell whether a not-evaluated rule waits for live lookups, not for an export.

    INP006 is not raised for live-only evidence (DNS004 without `--dns live`, catalogue
    v2); the engine words that need "... (--dns live)".
    """
    return "--dns live" in missing


def evidence_gaps(result: RunResult) -> list[tuple[str, str]]:
    """Return `(code, missing)` for each selected rule not evaluated for want of an export."""
    return [(c, m) for c, m in not_evaluated_rules(result.coverage) if not _live_only(m)]


def evidence_verdict(result: RunResult) -> RuleVerdict:
    """Judge "the evidence is complete" for a control marked `evidence`.

    When INP006 ran, its own findings decide (it knows which export each gap needs,
    and leaves out live-only and not-applicable rules). When it did not run (not
    selected, or not in this version of s2slint) the control judges the coverage
    itself: any selected rule NOT EVALUATED for a missing export FAILS it, listing the
    rules and what they miss; otherwise it passes over the rules that were selected.
    Either way missing evidence is a failure, never a pass.
    """
    if isinstance(result.coverage.get(EVIDENCE_RULE), Evaluated | NotApplicable):
        return judge_rule(EVIDENCE_RULE, result)
    why = "not selected" if EVIDENCE_RULE in result.available else "not in this version"
    gaps = evidence_gaps(result)
    if gaps:
        listed = "; ".join(f"{code}: missing {missing}" for code, missing in gaps)
        return RuleVerdict(
            EVIDENCE_RULE,
            Status.FAILED,
            f"{_count(len(gaps), 'selected rule')} not evaluated for want of an export "
            f"(judged from the coverage, {EVIDENCE_RULE} {why}): {listed}",
        )
    return RuleVerdict(
        EVIDENCE_RULE,
        Status.PASSED,
        f"every selected rule had the exports it needs ({_count(len(result.coverage), 'rule')}; "
        f"judged from the coverage, {EVIDENCE_RULE} {why})",
    )


def judge_control(control: Control, result: RunResult) -> ControlVerdict:
    """Judge one control: the worst of its rules' verdicts (see the module's order)."""
    rules = [judge_rule(code, result) for code in control.rules]
    if control.evidence:
        verdict = evidence_verdict(result)
        rules = [verdict if r.code == EVIDENCE_RULE else r for r in rules]
        if EVIDENCE_RULE not in control.rules:
            rules.append(verdict)
    status = min((v.status for v in rules), default=Status.NOT_EVALUATED)
    return ControlVerdict(control, status, tuple(rules))


def evaluate(controls: ControlSet, result: RunResult) -> tuple[ControlVerdict, ...]:
    """Judge every control; worst first (see `Status`), then in the mapping's order.

    The mapping's order, not the ids' spelling: "SC-8" comes before "SC-12".
    """
    verdicts = [judge_control(control, result) for control in controls.controls]
    order = {id(v): n for n, v in enumerate(verdicts)}
    return tuple(sorted(verdicts, key=lambda v: (v.status, order[id(v)])))
