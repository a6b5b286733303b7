"""The HTML audit report: one self-contained, printable file for auditors.

Sections, in the order an auditor reads them: the verdict (controls and findings
counted), the deployment as exported, the per-control table (failed, not evaluated
with the missing input named, passed), every finding worst first with its evidence,
the PowerShell fix and Microsoft's references, the accepted (suppressed) findings
with their reasons, and the files read. Every value from an export or a rule passes
through `html.escape`; there are no scripts and nothing is fetched.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import TYPE_CHECKING

from s2slint import __version__
from s2slint.controls import ControlVerdict, Status
from s2slint.findings import Finding, Location, Severity
from s2slint.neutral import neutralize
from s2slint.reporters import audit, deployment
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.html_style import CSS
from s2slint.reporters.ruleinfo import help_uri
from s2slint.reporters.text import position
from s2slint.rule import Rule, not_applicable_rules, not_evaluated_rules

if TYPE_CHECKING:
    from s2slint.results import RunResult

_STATUS_CLASS = {
    Status.FAILED: "failed",
    Status.NOT_EVALUATED: "not-evaluated",
    Status.PASSED: "passed",
    Status.NOT_APPLICABLE: "not-applicable",
}


_CONTENTS = (
    '<nav class="contents"><a href="#controls">Controls</a> · <a href="#findings">Findings</a>'
    ' · <a href="#suppressed">Accepted findings</a> · <a href="#deployment">Deployment</a>'
    ' · <a href="#inputs">Inputs</a></nav>'
)


def e(value: object) -> str:
    """Escape any value for HTML text and attributes (control characters shown escaped)."""
    return escape(neutralize(str(value)), quote=True)


def _status(status: Status) -> str:
    return f'<span class="status {_STATUS_CLASS[status]}">{e(status.label)}</span>'


def _severity(severity: Severity) -> str:
    return f'<span class="sev sev-{severity.label}">{e(severity.label)}</span>'


def _where(location: Location) -> str:
    text = f"<code>{e(position(location))}</code>"
    if location.pointer:
        text += f' <span class="muted">({e(location.pointer)})</span>'
    return text


def _table(table: deployment.Table) -> str:
    parts = [f"<h3>{e(table.title)}</h3>"]
    if not table.rows:
        return parts[0] + f'<p class="muted">{e(table.empty)}</p>'
    parts.append("<table><thead><tr>")
    parts += [f"<th>{e(h)}</th>" for h in table.headers]
    parts.append("</tr></thead><tbody>")
    for number, row in enumerate(table.rows):
        tone = table.tones[number] if number < len(table.tones) else ""
        parts.append(f'<tr class="{e(tone)}">' if tone else "<tr>")
        for column, cell in enumerate(row):
            is_tone = tone and table.headers[column] == "expires"
            parts.append(f'<td class="tone">{e(cell)}</td>' if is_tone else f"<td>{e(cell)}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _verdict(result: RunResult, verdicts: tuple[ControlVerdict, ...]) -> str:
    statuses = Counter(v.status for v in verdicts)
    severities = Counter(f.severity for f in result.findings)
    cards = [
        (statuses[Status.FAILED], "controls failed", "failed"),
        (statuses[Status.NOT_EVALUATED], "controls not evaluated", "not-evaluated"),
        (statuses[Status.PASSED], "controls passed", "passed"),
        (statuses[Status.NOT_APPLICABLE], "controls not applicable", "not-applicable"),
        (severities[Severity.ERROR], audit.plural(severities[Severity.ERROR], "error"), ""),
        (severities[Severity.WARNING], audit.plural(severities[Severity.WARNING], "warning"), ""),
        (len(result.suppressed), "accepted (suppressed)", ""),
    ]
    parts = ['<section id="verdict"><div class="cards">']
    for number, label, css in cards:
        words = label.split(" ", 1)[1] if label[0].isdigit() else label
        parts.append(f'<div class="card {css}"><span class="n">{number}</span>{e(words)}</div>')
    parts.append("</div></section>")
    return "".join(parts)


def _controls(verdicts: tuple[ControlVerdict, ...], source: str) -> str:
    parts = [
        '<section id="controls"><h2>Controls</h2>',
        f'<p class="muted">Control mapping: {e(source)}. A control passes only when every '
        "rule mapped to it ran on evidence and found nothing.</p>",
        "<table><thead><tr><th>status</th><th>control</th><th>rules</th><th>detail</th>"
        "</tr></thead><tbody>",
    ]
    for verdict in verdicts:
        control = verdict.control
        rules = "<br>".join(
            f'{e(v.code)} <span class="muted">({e(v.status.label)})</span>' for v in verdict.rules
        )
        parts.append(
            f'<tr id="control-{e(control.id)}" data-status="{e(verdict.status.label)}">'
            f"<td>{_status(verdict.status)}</td>"
            f"<td><strong>{e(control.id)}</strong> {e(control.title)}"
            f'<br><span class="muted">{e(control.rationale)}</span></td>'
            f"<td>{rules}</td><td>{e(verdict.detail)}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return "".join(parts)


def _finding(number: int, finding: Finding, rule: Rule | None) -> str:
    parts = [
        f'<article class="finding {e(finding.severity.label)}" id="finding-{number}"'
        f' data-code="{e(finding.code)}">',
        f"<h3>{_severity(finding.severity)} {e(finding.code)} {e(finding.name)}</h3>",
        f'<p class="message">{e(finding.message)}</p>',
        '<dl class="evidence">',
        f"<dt>file</dt><dd><code>{e(finding.location.path)}</code></dd>",
        f"<dt>line</dt><dd>{e(finding.location.line or 'none (the whole file, or a binary one)')}</dd>",
    ]
    if finding.location.column is not None:
        parts.append(f"<dt>column</dt><dd>{e(finding.location.column)}</dd>")
    if finding.location.pointer:
        parts.append(f"<dt>value</dt><dd><code>{e(finding.location.pointer)}</code></dd>")
    if finding.key:
        parts.append(f"<dt>object</dt><dd><code>{e(finding.key)}</code></dd>")
    for related in finding.related:
        parts.append(f"<dt>related</dt><dd>{_where(related)}</dd>")
    parts.append("</dl>")
    if finding.fix.strip():
        parts.append(
            "<p><strong>Fix for this finding</strong></p>"
            f'<pre class="fix"><code>{e(finding.fix.strip())}</code></pre>'
        )
    if rule is not None:
        parts.append(f"<p><strong>Why it matters.</strong> {e(' '.join(rule.doc.why.split()))}</p>")
        if rule.doc.fix.strip():
            title = "How to fix (in general)" if finding.fix.strip() else "Fix"
            parts.append(
                f"<p><strong>{title}</strong></p>"
                f'<pre class="fix"><code>{e(rule.doc.fix.strip())}</code></pre>'
            )
        references = list(rule.doc.references)
        uri = help_uri(rule)
        if references or uri:
            parts.append('<p><strong>References</strong></p><ul class="refs">')
            parts += [f'<li><a href="{e(url)}">{e(url)}</a></li>' for url in references]
            if uri:
                parts.append(
                    f'<li><a href="{e(uri)}">s2slint documentation of {e(rule.code)}</a></li>'
                )
            parts.append("</ul>")
    parts.append("</article>")
    return "".join(parts)


def _findings(result: RunResult) -> str:
    rules = audit.rules_by_code(result)
    ordered = audit.worst_first(result.findings)
    parts = ['<section id="findings"><h2>Findings</h2>']
    if not ordered:
        parts.append('<p class="muted">No findings.</p>')
    parts += [_finding(n, f, rules.get(f.code)) for n, f in enumerate(ordered, start=1)]
    parts.append("</section>")
    return "".join(parts)


def _suppressed(result: RunResult) -> str:
    parts = [
        '<section id="suppressed"><h2>Accepted findings (suppressed)</h2>',
    ]
    if not result.suppressed:
        parts.append('<p class="muted">No finding was suppressed.</p></section>')
        return "".join(parts)
    parts.append(
        "<table><thead><tr><th>rule</th><th>finding</th><th>where</th><th>accepted by</th>"
        "<th>reason</th></tr></thead><tbody>"
    )
    for item in result.suppressed:
        finding = item.finding
        parts.append(
            f"<tr><td>{e(finding.code)} {e(finding.name)}</td><td>{e(finding.message)}</td>"
            f"<td>{_where(finding.location)}</td>"
            f"<td>{e(item.source)} {_where(item.where)}</td><td>{e(item.reason)}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return "".join(parts)


def _inputs(result: RunResult) -> str:
    not_evaluated = not_evaluated_rules(result.coverage)
    parts = ['<section id="inputs"><h2>Inputs</h2>']
    rows = tuple((f.path, f.kind or "not recognised") for f in result.files)
    parts.append(_table(deployment.Table("Files read", ("file", "recognised as"), rows)))
    rows = tuple((code, missing) for code, missing in not_evaluated)
    parts.append(
        _table(
            deployment.Table(
                "Rules not evaluated",
                ("rule", "missing input"),
                rows,
                empty="every selected rule was evaluated",
            )
        )
    )
    rows = tuple(not_applicable_rules(result.coverage))
    parts.append(
        _table(
            deployment.Table(
                "Rules not applicable to this deployment",
                ("rule", "reason"),
                rows,
                empty="every evaluated rule applies",
            )
        )
    )
    parts.append("</section>")
    return "".join(parts)


def render_html(result: RunResult, options: ReportOptions) -> str:
    """Render the audit report as one HTML document."""
    controls = audit.control_set(options)
    verdicts = audit.verdicts(result, options)
    summary = (
        f"s2slint {e(__version__)} · evaluated as of {e(audit.as_of(result.now))} · "
        f"{e(audit.plural(len(result.files), 'file'))} · "
        f"{e(audit.plural(len(result.findings), 'finding'))}"
    )
    body = [
        "<header><h1>Server-to-server authentication audit</h1>",
        f'<p class="meta">{summary}</p>',
        f'<p class="meta">{e(controls.title)}'
        + (f" (version {e(controls.version)})" if controls.version else "")
        + "</p></header>",
        _CONTENTS,
        _verdict(result, verdicts),
        _controls(verdicts, controls.source),
        _findings(result),
        _suppressed(result),
        '<section id="deployment"><h2>Deployment</h2>',
        *(_table(t) for t in deployment.tables(result.model, result.now)),
        "</section>",
        _inputs(result),
        "<footer>Generated offline by s2slint from exported configuration; no server was "
        "contacted. Findings are sorted worst first.</footer>",
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="s2slint {e(__version__)}">'
        "<title>s2slint audit report</title>"
        f"<style>{CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
