"""JSON output: a stable contract other tools parse (sorted, no timestamps)."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from s2slint import __version__
from s2slint.findings import Location, Severity
from s2slint.neutral import json_safe
from s2slint.reporters.base import ReportOptions
from s2slint.rule import Evaluated, NotEvaluated, not_applicable_rules

if TYPE_CHECKING:
    from s2slint.results import RunResult


def _location(location: Location) -> dict[str, object]:
    return {
        "path": location.path,
        "line": location.line,
        "column": location.column,
        "pointer": location.pointer,
    }


def render_json(result: RunResult, options: ReportOptions) -> str:
    """Render the run as one JSON object (see the README for the schema)."""
    counts = Counter(f.severity for f in result.findings)
    document = {
        "version": __version__,
        "findings": [
            {
                "code": f.code,
                "name": f.name,
                "severity": f.severity.label,
                "message": f.message,
                **_location(f.location),
                "related": [_location(r) for r in f.related],
                **({"fix": f.fix} if f.fix else {}),
            }
            for f in result.findings
        ],
        "summary": {
            "files": len(result.files),
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
