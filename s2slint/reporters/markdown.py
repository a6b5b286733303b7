"""Markdown for tickets and merge-request comments: findings, how to fix, controls.

Everything from an export is escaped for GitHub-flavoured Markdown (tables, emphasis,
HTML), so a value such as `<Obj>` or `a|b` cannot break the table or the page. Words
that GitHub would turn into links or notifications (`@someone`, `@org/team`, e-mail
addresses, bare `https://...` and `www.` addresses) are shown as inline code, where it
does neither: a report pasted into an issue must not ping people or link anywhere an
export's author chose. Control characters are shown as escapes (`s2slint.neutral`).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from s2slint import __version__
from s2slint.findings import Severity
from s2slint.neutral import neutralize, neutralize_lines
from s2slint.reporters import audit
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.text import position
from s2slint.rule import not_applicable_rules, not_evaluated_rules

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


def render_markdown(result: RunResult, options: ReportOptions) -> str:
    """Render the run as a Markdown report."""
    counts = Counter(f.severity for f in result.findings)
    tally = ", ".join(
        audit.plural(counts[s], s.label) for s in sorted(Severity, reverse=True) if counts[s]
    )
    lines = [
        "# s2slint report",
        "",
        f"s2slint {__version__} · evaluated as of {audit.as_of(result.now)} · "
        f"{audit.plural(len(result.files), 'file')} · "
        f"{audit.plural(len(result.findings), 'finding')}" + (f" ({tally})" if tally else ""),
        "",
    ]
    ordered = audit.worst_first(result.findings)
    if ordered:
        lines += ["| severity | rule | where | finding |", "|---|---|---|---|"]
        for finding in ordered:
            where = code(position(finding.location))
            lines.append(
                f"| {finding.severity.label} | {finding.code} {md(finding.name)} | {where} "
                f"| {md(finding.message)} |"
            )
        lines.append("")
        rules = audit.rules_by_code(result)
        lines += ["## How to fix", ""]
        for rule_code in dict.fromkeys(f.code for f in ordered):
            rule = rules.get(rule_code)
            if rule is None:
                continue
            lines += [f"### {rule.code} {md(rule.name)}", "", md(rule.summary), ""]
            for finding in ordered:
                if finding.code == rule_code and finding.fix.strip():
                    lines += [f"For {code(position(finding.location))}:", ""]
                    lines += [
                        "```powershell",
                        neutralize_lines(finding.fix).replace("```", "` ` `"),
                        "```",
                        "",
                    ]
            if rule.doc.fix.strip():
                lines += ["```powershell", rule.doc.fix.strip().replace("```", "` ` `"), "```", ""]
            lines += [f"- <{url}>" for url in rule.doc.references]
            if rule.doc.references:
                lines.append("")
    else:
        lines += ["No findings.", ""]
    lines += ["## Controls", "", "| status | control | detail |", "|---|---|---|"]
    for verdict in audit.verdicts(result, options):
        lines.append(
            f"| {verdict.status.label} | {md(verdict.control.id)} {md(verdict.control.title)} "
            f"| {md(verdict.detail)} |"
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
    if result.suppressed:
        lines += ["## Accepted (suppressed)", ""]
        for item in result.suppressed:
            lines.append(
                f"- {item.finding.code} {code(position(item.finding.location))}: "
                f"{md(item.finding.message)} (by {item.source}: {md(item.reason)})"
            )
        lines.append("")
    return "\n".join(lines)
