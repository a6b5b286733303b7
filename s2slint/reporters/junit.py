"""JUnit XML for CI test tabs: one test suite per file, one test case per finding.

Files without findings get one passing case, so the test tab shows what was checked
and not only what failed (ruff's layout, with the files that passed added).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from s2slint.findings import Finding
from s2slint.neutral import neutralize
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.text import position

if TYPE_CHECKING:
    from s2slint.results import RunResult


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    """Return text from an export fit for XML 1.0 and for a CI log that shows it.

    Control characters are shown as escapes (`s2slint.neutral`); anything XML 1.0
    still cannot carry is replaced.
    """
    return _NOT_XML.sub("\ufffd", neutralize(text))


def _case(suite: ET.Element, finding: Finding) -> None:
    location = finding.location
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "name": f"{finding.code} {finding.name}"
            + (f" line {location.line}" if location.line else ""),
            "classname": _xml(location.path),
            "file": _xml(location.path),
        },
    )
    if location.line is not None:
        case.set("line", str(location.line))
    properties = ET.SubElement(case, "properties")
    ET.SubElement(properties, "property", {"name": "severity", "value": finding.severity.label})
    ET.SubElement(properties, "property", {"name": "code", "value": finding.code})
    if finding.key:
        ET.SubElement(properties, "property", {"name": "key", "value": _xml(finding.key)})
    details = [f"{position(location)}: {neutralize(finding.message)}"]
    details += [
        f"related: {position(r)}" + (f" ({neutralize(r.pointer)})" if r.pointer else "")
        for r in finding.related
    ]
    failure = ET.SubElement(
        case, "failure", {"message": _xml(finding.message), "type": finding.code}
    )
    failure.text = _xml("\n".join(details))


def render_junit(result: RunResult, options: ReportOptions) -> str:
    """Render the run as a JUnit XML document."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_path[finding.location.path].append(finding)
    paths = sorted({f.path for f in result.files} | set(by_path))
    root = ET.Element(
        "testsuites",
        {
            "name": "s2slint",
            "tests": str(sum(max(1, len(by_path[p])) for p in paths)),
            "failures": str(len(result.findings)),
            "errors": "0",
        },
    )
    for path in paths:
        findings = by_path[path]
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": _xml(path),
                "tests": str(max(1, len(findings))),
                "failures": str(len(findings)),
                "errors": "0",
                "skipped": "0",
            },
        )
        if not findings:
            ET.SubElement(
                suite, "testcase", {"name": "s2slint", "classname": _xml(path), "file": _xml(path)}
            )
        for finding in findings:
            _case(suite, finding)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
