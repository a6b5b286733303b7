"""JSON output: a stable contract other tools parse (sorted, no timestamps).

The contract is versioned by `schema_version` and described by the JSON Schema
shipped in the package (`s2slint/output_schema.json`). Version 2 added, per finding,
the logical object (`key`), the same `fingerprint` SARIF and GitLab carry, the rule's
documentation (`url`) and the exact fix (`fix`, "" when none); and the list of
`inputs`, each file with the kind it was recognised as or why it was skipped.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from s2slint import __version__
from s2slint.findings import Finding, Location, Severity
from s2slint.fingerprints import fingerprints
from s2slint.neutral import json_safe
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.ruleinfo import help_uri
from s2slint.rule import Evaluated, NotEvaluated, not_applicable_rules

SCHEMA_VERSION = 2
"""The version of the JSON contract; bumped when a field changes meaning or is removed
(2: `key`, `fingerprint`, `url`, `fix` on every finding, `inputs`)."""

if TYPE_CHECKING:
    from s2slint.results import RunResult


def _location(location: Location) -> dict[str, object]:
    return {
        "path": location.path,
        "line": location.line,
        "column": location.column,
        "pointer": location.pointer,
    }


def _finding(finding: Finding, fingerprint: str, urls: dict[str, str | None]) -> dict[str, object]:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.label,
        "message": finding.message,
        **_location(finding.location),
        "related": [_location(r) for r in finding.related],
        "key": finding.key,
        "fingerprint": fingerprint,
        "url": urls.get(finding.code),
        "fix": finding.fix,
    }


def render_json(result: RunResult, options: ReportOptions) -> str:
    """Render the run as one JSON object (see `s2slint/output_schema.json`)."""
    counts = Counter(f.severity for f in result.findings)
    urls = {rule.code: help_uri(rule) for rule in result.rules}
    prints = fingerprints(result.findings)
    document = {
        "tool": "s2slint",
        "schema_version": SCHEMA_VERSION,
        "version": __version__,
        "findings": [_finding(f, fp, urls) for f, fp in zip(result.findings, prints, strict=True)],
        "inputs": [
            {"path": f.path, "kind": f.kind, "skipped": f.skipped or None} for f in result.files
        ],
        "summary": {
            "files": sum(1 for f in result.files if not f.skipped),
            "skipped": sum(1 for f in result.files if f.skipped),
            "by_severity": {s.label: counts[s] for s in sorted(Severity, reverse=True)},
            "by_code": dict(sorted(Counter(f.code for f in result.findings).items())),
            "evaluated": {
                code: outcome.checked
                for code, outcome in sorted(result.coverage.items())
                if isinstance(outcome, Evaluated)
            },
            "not_evaluated": sorted(
                code for code, o in result.coverage.items() if isinstance(o, NotEvaluated)
            ),
            "not_evaluated_reasons": {
                code: o.missing
                for code, o in sorted(result.coverage.items())
                if isinstance(o, NotEvaluated)
            },
            "not_applicable": [code for code, _ in not_applicable_rules(result.coverage)],
            "not_applicable_reasons": dict(not_applicable_rules(result.coverage)),
        },
    }
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
