"""JUnit XML for CI test tabs: one test suite per file, one test case per finding.

The document is valid against the Jenkins/Ant JUnit schema (`junit-10.xsd`), which
CI servers validate reports with: a `testcase` carries only `name`, `classname`,
`time`, `assertions` and `status` (no `file` or `line` attribute, no `properties`
inside it), and its children come in the schema's order (`skipped`, `error`,
`failure`, `system-out`). Test names hold the rule and the logical object, never a
line, so a regenerated export whose lines moved keeps its test history.

Only findings at or above `--fail-on` are failures, as they are for the exit code;
the others are passing cases whose output says what was found. A file without
findings gets one passing case, and a file skipped as no export one skipped case, so
the test tab shows what was checked and not only what failed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from s2slint.findings import Finding
from s2slint.neutral import neutralize
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.text import position

if TYPE_CHECKING:
    from s2slint.results import RunResult


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FILE_CASE = "s2slint"
"""The name of the case that stands for a whole file (no findings, or skipped)."""


def _xml(text: str) -> str:
    """Return text from an export fit for XML 1.0 and for a CI log that shows it.

    Control characters are shown as escapes (`s2slint.neutral`); anything XML 1.0
    still cannot carry is replaced.
    """
    return _NOT_XML.sub("\ufffd", neutralize(text))


def case_name(finding: Finding) -> str:
    """Return a finding's test name: rule and logical object, never a line number.

    A finding without a key is named by its message, which says what is wrong
    without saying where.
    """
    subject = finding.key or finding.message
    return _xml(f"{finding.code} {finding.name}: {subject}")


def _details(finding: Finding) -> str:
    lines = [
        f"{position(finding.location)}: {finding.code} [{finding.severity.label}] "
        f"{neutralize(finding.message)}"
    ]
    lines += [
        f"related: {position(r)}" + (f" ({neutralize(r.pointer)})" if r.pointer else "")
        for r in finding.related
    ]
    if finding.key:
        lines.append(f"object: {neutralize(finding.key)}")
    if finding.fix:
        lines += ["fix:", *(f"    {neutralize(step)}" for step in finding.fix.splitlines())]
    return _xml("\n".join(lines))


def _names(findings: list[Finding]) -> list[str]:
    """Return each finding's test name, numbered where two in one file would share one."""
    names = [case_name(f) for f in findings]
    totals = Counter(names)
    seen: Counter[str] = Counter()
    numbered = []
    for name in names:
        seen[name] += 1
        numbered.append(name if totals[name] == 1 else f"{name} ({seen[name]})")
    return numbered


def _suite(
    root: ET.Element, path: str, findings: list[Finding], skipped: str, options: ReportOptions
) -> tuple[int, int]:
    """Write one file's suite; return its (tests, failures)."""
    failing = [f for f in findings if f.severity >= options.fail_on]
    tests = max(1, len(findings))
    suite = ET.SubElement(
        root,
        "testsuite",
        {
            "name": _xml(path),
            "tests": str(tests),
            "failures": str(len(failing)),
            "errors": "0",
            "skipped": "1" if skipped and not findings else "0",
        },
    )
    if not findings:
        case = ET.SubElement(suite, "testcase", {"name": FILE_CASE, "classname": _xml(path)})
        if skipped:
            ET.SubElement(case, "skipped", {"message": _xml(skipped)})
    for finding, name in zip(findings, _names(findings), strict=True):
        case = ET.SubElement(suite, "testcase", {"name": name, "classname": _xml(path)})
        if finding.severity >= options.fail_on:
            failure = ET.SubElement(
                case,
                "failure",
                {"message": _xml(finding.message), "type": finding.code},
            )
            failure.text = _details(finding)
        else:
            # Below --fail-on: reported, but it does not fail the run, nor the test.
            ET.SubElement(case, "system-out").text = _details(finding)
    return tests, len(failing)


def render_junit(result: RunResult, options: ReportOptions) -> str:
    """Render the run as a JUnit XML document (junit-10.xsd)."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_path[finding.location.path].append(finding)
    skipped = {f.path: f.skipped for f in result.files if f.skipped}
    paths = sorted({f.path for f in result.files} | set(by_path))
    root = ET.Element("testsuites", {"name": "s2slint"})
    tests = failures = 0
    for path in paths:
        counted = _suite(root, path, by_path[path], skipped.get(path, ""), options)
        tests += counted[0]
        failures += counted[1]
    root.set("tests", str(tests))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
