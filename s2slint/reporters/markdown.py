"""Markdown for tickets and merge-request comments: controls, then findings with their fix.

The same statuses as the HTML report (failed, not evaluated, accepted, passed, not
applicable), then every finding worst first with the value found, the controls it maps
to and its fix, then the accepted findings with who accepted them and until when.

Everything from an export is escaped for GitHub-flavoured Markdown (tables, emphasis,
HTML), so a value such as `<Obj>` or `a|b` cannot break the table or the page. Words
that GitHub would turn into links or notifications (`@someone`, `@org/team`, e-mail
addresses, bare `https://...` and `www.` addresses) are shown as inline code, where it
does neither: a report pasted into an issue must not ping people or link anywhere an
export's author chose. Control characters are shown as escapes (`s2slint.neutral`).
`md` and `code` are the only escaping functions: every export value goes through one of
them (prose with `code` spans is split between them by `prose`; fixes are fenced by
`_fence`), so what a value may do in a pasted report is decided in one place.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from s2slint import __version__
from s2slint.controls import ControlSet, mappings
from s2slint.findings import Finding, Severity
from s2slint.integrity import bundle_digest
from s2slint.neutral import neutralize, neutralize_lines
from s2slint.reporters import audit
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.text import position
from s2slint.reporters.values import ValueIndex
from s2slint.rule import Rule, not_applicable_rules, not_evaluated_rules

if TYPE_CHECKING:
    from s2slint.results import RunResult

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~])")


def _linkable(word: str) -> bool:
    """Tell whether GitHub would autolink a word or read it as a mention."""
    return "@" in word or "://" in word or word.lower().startswith("www.")


def _escape(word: str) -> str:
    return _SPECIAL.sub(r"\\\1", word.replace("&", "&amp;"))


def md(text: str) -> str:
    """Escape text for a Markdown paragraph or table cell (one line)."""
    words = neutralize(" ".join(text.split())).split(" ")
    return " ".join(code(word) if _linkable(word) else _escape(word) for word in words)


def code(text: str) -> str:
    """Return inline code that holds `text` whatever backticks it contains."""
    text = neutralize(" ".join(text.split())).replace("|", "\\|")
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def prose(text: str) -> str:
    """Escape prose with `md`, keeping its Markdown-style `code` spans as code (via `code`)."""
    parts = re.split(r"`([^`\n]+)`", " ".join(text.split()))
    out = []
    for number, part in enumerate(parts):
        if number % 2:
            out.append(code(part))
        elif part.strip():
            lead = " " if part.startswith(" ") else ""
            trail = " " if part.endswith(" ") else ""
            out.append(f"{lead}{md(part)}{trail}")
        elif part:
            out.append(" ")
    return "".join(out)


def _fence(text: str) -> list[str]:
    """Fence PowerShell (a finding's fix holds export values: control characters escaped)."""
    return ["```powershell", neutralize_lines(text.strip()).replace("```", "` ` `"), "```", ""]


def _header(result: RunResult, options: ReportOptions, controls: ControlSet) -> list[str]:
    counts = Counter(f.severity for f in result.findings)
    tally = ", ".join(
        audit.plural(counts[s], s.label) for s in sorted(Severity, reverse=True) if counts[s]
    )
    digest, hashed = bundle_digest(audit.input_digests(result))
    selected = [rule.code for rule in result.rules]
    lines = [
        "# s2slint report",
        "",
        f"s2slint {__version__} · evaluated as of {audit.as_of(result.now)} · "
        f"{audit.plural(len(result.files), 'file')} · "
        f"{audit.plural(len(result.findings), 'finding')}" + (f" ({tally})" if tally else ""),
        "",
        f"- Bundle digest (SHA-256 over {audit.plural(hashed, 'file')}): {code(digest)}",
        f"- Rules selected: {len(selected)} of {len(result.available) or len(selected)} "
        f"({md(audit.code_ranges(selected))})",
        f"- Configuration: {_file(options.config_path)}",
        f"- Baseline: {_file(options.baseline_path)}",
        f"- Control mapping: {md(controls.title)}"
        + (f" (version {md(controls.version)})" if controls.version else ""),
    ]
    if options.written_at is not None:
        lines.append(f"- Report written: {options.written_at.strftime('%Y-%m-%d %H:%M:%S UTC')}")
    return [*lines, ""]


def _file(path: Path | None) -> str:
    if path is None:
        return "none"
    digest = audit.file_digest(path)
    shown = code(str(path))
    return (
        f"{shown}, SHA-256 {code(digest.sha256)}" if digest.sha256 else f"{shown} ({digest.note})"
    )


def _controls(result: RunResult, options: ReportOptions) -> list[str]:
    lines = ["## Controls", "", "| status | control | detail |", "|---|---|---|"]
    for verdict in audit.verdicts(result, options):
        lines.append(
            f"| {verdict.status.label} | {md(verdict.control.id)} {md(verdict.control.title)} "
            f"| {prose(verdict.detail)} |"
        )
    return [*lines, ""]


def _finding(
    number: int, finding: Finding, rule: Rule | None, values: ValueIndex, controls: ControlSet
) -> list[str]:
    lines = [
        f"### {number}. {finding.severity.label}: {finding.code} {md(finding.name)}",
        "",
        prose(finding.message),
        "",
        f"- Where: {code(position(finding.location))}",
    ]
    found = values.value_at(finding.location)
    if found is not None:
        lines.append(f"- Value found: {code(found)}")
    for related in finding.related:
        value = values.value_at(related)
        lines.append(
            f"- Related: {code(position(related))}" + (f", value {code(value)}" if value else "")
        )
    mapped = "; ".join(
        f"{md(label)}: {md(', '.join(ids))}" for label, ids in mappings(finding.code, controls)
    )
    lines += [f"- Controls: {mapped or 'none'}", ""]
    if finding.fix.strip():
        lines += ["Fix for this finding:", "", *_fence(finding.fix)]
    if rule is not None:
        if rule.doc.fix.strip():
            general = "How to fix (in general):" if finding.fix.strip() else "Fix:"
            lines += [general, "", *_fence(rule.doc.fix)]
        lines += [f"- <{url}>" for url in rule.doc.references]
        if rule.doc.references:
            lines.append("")
    return lines


def render_markdown(result: RunResult, options: ReportOptions) -> str:
    """Render the run as a Markdown report: controls first, then findings worst first."""
    controls = audit.control_set(options)
    lines = [*_header(result, options, controls), *_controls(result, options)]
    ordered = audit.worst_first(result.findings)
    lines += ["## Findings", ""]
    if ordered:
        lines += ["| severity | rule | where | finding |", "|---|---|---|---|"]
        for finding in ordered:
            lines.append(
                f"| {finding.severity.label} | {finding.code} {md(finding.name)} "
                f"| {code(position(finding.location))} | {prose(finding.message)} |"
            )
        lines.append("")
        rules = audit.rules_by_code(result)
        values = ValueIndex(result.model)
        for number, finding in enumerate(ordered, start=1):
            lines += _finding(number, finding, rules.get(finding.code), values, controls)
    else:
        lines += ["No findings.", ""]
    if result.suppressed:
        lines += [
            "## Accepted findings (suppressed or baselined)",
            "",
            "| rule | where | finding | accepted by | reason | owner | ticket | expires |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for item in result.suppressed:
            lines.append(
                f"| {item.finding.code} | {code(position(item.finding.location))} "
                f"| {prose(item.finding.message)} | {item.source} {code(position(item.where))} "
                f"| {prose(item.reason)} | {md(item.owner) or '—'} | {md(item.ticket) or '—'} "
                f"| {md(item.expires) or 'no date'} |"
            )
        lines.append("")
    not_evaluated = not_evaluated_rules(result.coverage)
    if not_evaluated:
        lines += ["## Not evaluated", ""]
        lines += [f"- {c}: missing {md(missing)}" for c, missing in not_evaluated]
        lines.append("")
    not_applicable = not_applicable_rules(result.coverage)
    if not_applicable:
        lines += ["## Not applicable", ""]
        lines += [f"- {c}: {md(reason)}" for c, reason in not_applicable]
        lines.append("")
    return "\n".join(lines)
