"""SARIF 2.1.0 for code-scanning dashboards, shaped to what GitHub accepts as is.

Beyond the OASIS schema, GitHub has rules of its own (see the README and
../shared/reference/linter-conventions.md): non-empty descriptions and help,
`security-severity` as a string, `startLine` >= 1, repository-relative URIs, at most
25,000 results per run, one run per category. Fingerprints are keyed on the logical
object, so an alert survives a regenerated export whose lines moved.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from s2slint import __version__
from s2slint.findings import Finding, Location, Severity
from s2slint.fingerprints import FINGERPRINT_VERSION, fingerprints
from s2slint.neutral import json_safe, neutralize, neutralize_lines
from s2slint.reporters import ruleinfo
from s2slint.reporters.base import ReportOptions
from s2slint.rule import NotEvaluated, Rule, not_applicable_rules
from s2slint.ruledoc import render_rule

if TYPE_CHECKING:
    from s2slint.results import RunResult

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
MAX_RESULTS = 25_000
"""GitHub's limit of results per run; more and the upload is rejected."""
MAX_RELATED = 1_000
"""GitHub's limit of locations per result."""
DESCRIPTION_LIMIT = 1024
"""GitHub's limit on shortDescription and fullDescription."""
SRCROOT = "SRCROOT"
AUTOMATION_ID = "s2slint/"
"""Category "s2slint", no run id: a new upload replaces the previous s2slint results."""
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
KEY_PROPERTY = f"s2slint/{FINGERPRINT_VERSION}"
_BRACKET = re.compile(r"[\[\]]")


def _clip(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def plain(text: str) -> str:
    """Return text from an export as a SARIF plain-text message.

    SARIF reads `[text](target)` in a message as a link (§3.11.6), so an export value
    could put a link of its author's choosing into the code-scanning alert; brackets
    are escaped as the specification says, and control characters are shown escaped.
    """
    return _BRACKET.sub(r"\\\g<0>", neutralize(text))


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    markdown = render_rule(rule)
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _clip(rule.summary)},
        "fullDescription": {"text": _clip(rule.doc.what or rule.summary)},
        "help": {"text": markdown, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": ruleinfo.tags(rule),
            "precision": ruleinfo.precision(rule),
            "security-severity": ruleinfo.SECURITY_SEVERITY[rule.severity],
        },
    }
    uri = ruleinfo.help_uri(rule)
    if uri is not None:
        descriptor["helpUri"] = uri
    return descriptor


def artifact(path: str) -> dict[str, str]:
    """Return a SARIF artifactLocation: relative to SRCROOT, or a file URI if absolute."""
    posix = PurePosixPath(path)
    if posix.is_absolute():
        return {"uri": "file://" + quote(posix.as_posix())}
    return {"uri": quote(posix.as_posix()), "uriBaseId": SRCROOT}


def _physical(location: Location) -> dict[str, Any]:
    """Return a physicalLocation; one about the whole file (or a binary file) is line 1.

    GitHub code scanning needs a region with `startLine` on every location: without
    one an alert is dropped or shown nowhere, so a whole-file finding points at the
    file's first line.
    """
    region: dict[str, int] = {"startLine": 1}
    if location.line is not None and location.line >= 1:
        region["startLine"] = location.line
        if location.column is not None and location.column >= 1:
            region["startColumn"] = location.column
    return {"artifactLocation": artifact(location.path), "region": region}


def _result(finding: Finding, index: int, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": plain(finding.message)},
        "locations": [{"physicalLocation": _physical(finding.location)}],
        # GitHub reads only primaryLocationLineHash; filled by s2slint it follows the
        # logical object rather than a line's text, so moved lines keep their alert.
        "partialFingerprints": {
            "primaryLocationLineHash": f"{fingerprint[:16]}:1",
            KEY_PROPERTY: fingerprint,
        },
    }
    if finding.location.pointer:
        result["locations"][0]["logicalLocations"] = [
            {"fullyQualifiedName": neutralize(finding.location.pointer), "kind": "element"}
        ]
    related = []
    for number, location in enumerate(finding.related[:MAX_RELATED], start=1):
        item: dict[str, Any] = {"id": number, "physicalLocation": _physical(location)}
        if location.pointer:
            item["message"] = {"text": plain(location.pointer)}
        related.append(item)
    if related:
        result["relatedLocations"] = related
    properties: dict[str, str] = {}
    if finding.key:
        properties["key"] = finding.key
    if finding.fix:
        # GitHub renders a result's message markdown; the fix with the bundle's values
        # is shown there as a PowerShell block, and kept verbatim in the properties.
        fence = "~~~~" if "```" in finding.fix else "```"
        result["message"]["markdown"] = (
            f"{markdown_text(finding.message)}\n\n**Fix**\n\n{fence}powershell\n"
            f"{neutralize_lines(finding.fix)}\n{fence}"
        )
        properties["fix"] = finding.fix
    if properties:
        result["properties"] = properties
    return result


def markdown_text(text: str) -> str:
    """Return plain text safe in SARIF message markdown (no links, emphasis or HTML)."""
    return "".join(f"\\{ch}" if ch in "\\`*_{}[]()<>#+-.!|~" else ch for ch in text)


INPUT_PREFIX = "INP"
"""Findings about the inputs themselves: what the cap may fold and leave out first."""


@dataclass(frozen=True, slots=True)
class Selection:
    """The findings a SARIF file holds when there are more than GitHub accepts.

    `findings` are written (a folded INP finding's message says how many it stands
    for); `folded` counts by code the INP findings folded into the first of their
    file and code; `dropped` counts by code those left out entirely.
    """

    findings: list[Finding]
    folded: dict[str, int]
    dropped: dict[str, int]


def select(findings: Sequence[Finding], cap: int | None = None) -> Selection:
    """Choose the findings to write so that there are at most `cap` (GitHub's limit).

    Under the cap nothing changes. Over it, every deployment finding is kept (code
    scanning would otherwise close its alert as fixed), repeated INP findings of one
    file and code are folded into the first of them, and if that is still too many,
    the least severe INP findings are left out; deployment findings are left out only
    when they alone exceed the cap (the least severe first).
    """
    cap = MAX_RESULTS if cap is None else cap
    if len(findings) <= cap:
        return Selection(list(findings), {}, {})
    deployment = [f for f in findings if not f.code.startswith(INPUT_PREFIX)]
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.code.startswith(INPUT_PREFIX):
            groups.setdefault((finding.location.path, finding.code), []).append(finding)
    folded: Counter[str] = Counter()
    inputs: list[Finding] = []
    for (_, code), group in groups.items():
        first = group[0]
        if len(group) > 1:
            folded[code] += len(group) - 1
            more = f"{len(group) - 1:,} more {code} finding{'s' if len(group) > 2 else ''}"
            first = replace(
                first,
                message=f"{first.message} (and {more} in this file, left out of the SARIF "
                "file by GitHub's result limit; the other formats list them all)",
            )
        inputs.append(first)
    kept = _most_severe(deployment, cap) + _most_severe(inputs, cap - min(len(deployment), cap))
    chosen = set(kept)
    dropped = Counter(f.code for f in (*deployment, *inputs) if f not in chosen)
    ordered = sorted(kept, key=Finding.sort_key)
    return Selection(ordered, dict(sorted(folded.items())), dict(sorted(dropped.items())))


def _most_severe(findings: list[Finding], room: int) -> list[Finding]:
    """Return at most `room` findings, the most severe first (ties in report order)."""
    if len(findings) <= room:
        return findings
    return sorted(findings, key=lambda f: (-f.severity, *f.sort_key()))[: max(room, 0)]


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {code}" for code, n in counts.items())


def omission(total: int, selection: Selection) -> str | None:
    """Say exactly what a capped SARIF file leaves out, or None if it leaves out nothing."""
    if not selection.folded and not selection.dropped:
        return None
    parts = [f"{total:,} findings exceed GitHub's limit of {MAX_RESULTS:,} results per run"]
    if selection.folded:
        parts.append(
            "repeated input findings are folded into the first of their file and code "
            f"({_counts(selection.folded)} folded)"
        )
    deployment = {c: n for c, n in selection.dropped.items() if not c.startswith(INPUT_PREFIX)}
    inputs = {c: n for c, n in selection.dropped.items() if c.startswith(INPUT_PREFIX)}
    if inputs:
        parts.append(f"the least severe input findings are left out ({_counts(inputs)})")
    if deployment:
        parts.append(
            f"deployment findings alone exceed the limit: left out {_counts(deployment)}, "
            "the least severe"
        )
    else:
        parts.append("every deployment finding is kept")
    return "; ".join(parts) + " (every other format has them all)"


def render_sarif(result: RunResult, options: ReportOptions) -> str:
    """Render the run as one SARIF 2.1.0 log with one run."""
    rules = sorted(result.rules, key=lambda r: r.code)
    index = {rule.code: number for number, rule in enumerate(rules)}
    selection = select(result.findings)
    findings = selection.findings
    prints = fingerprints(findings)
    notifications = [
        {
            "level": "note",
            "message": {"text": plain(f"{code} not evaluated: missing {outcome.missing}")},
            "associatedRule": {"id": code, "index": index[code]},
        }
        for code, outcome in sorted(result.coverage.items())
        if isinstance(outcome, NotEvaluated) and code in index
    ] + [
        {
            "level": "note",
            "message": {"text": f"{code} not applicable: {reason}"},
            "associatedRule": {"id": code, "index": index[code]},
        }
        for code, reason in not_applicable_rules(result.coverage)
        if code in index
    ]
    left_out = omission(len(result.findings), selection)
    if left_out is not None:
        notifications.insert(0, {"level": "warning", "message": {"text": plain(left_out)}})
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "s2slint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": ruleinfo.HOMEPAGE,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }
        },
        "automationDetails": {"id": AUTOMATION_ID},
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {
                    "text": "The folder s2slint ran in (the repository root in CI); "
                    "result paths are relative to it."
                }
            }
        },
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.code], fp) for f, fp in zip(findings, prints, strict=True)],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json_safe(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"


def sarif_notices(result: RunResult) -> tuple[str, ...]:
    """Say when the result cap folded or left findings out of the SARIF file, and which."""
    left_out = omission(len(result.findings), select(result.findings))
    return () if left_out is None else (f"SARIF: {left_out}",)
