"""The HTML audit report: one self-contained, printable file an auditor can file as evidence.

Sections, in the order an auditor reads them: what was examined (a digest of the whole
bundle, the tool, the rules, the configuration and baseline with their digests, the
evaluation date), the verdict (controls and findings counted, accepted ones apart),
the per-control table, the trust relationships and certificate timeline pictures,
every finding worst first with the value found, the controls it maps to, its fix and
Microsoft's references, the accepted findings with who accepted them and until when,
the deployment as exported, every input file with its SHA-256 and size, and a
sign-off block.

Every value from an export or a rule passes through `e` (`html.escape`); pictures are
inline SVG drawn by `s2slint.reporters.svg`; there are no scripts and nothing is
fetched. Without `--report-timestamp` the report holds no clock time: the same run
writes the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from s2slint import __version__
from s2slint.controls import ControlSet, ControlVerdict, Status, mappings
from s2slint.findings import Finding, Location, Severity
from s2slint.integrity import FileDigest, bundle_digest, common_folder
from s2slint.neutral import neutralize, neutralize_lines
from s2slint.reporters import audit, deployment, pictures, timeline, trust
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.html_style import CSS, page_css
from s2slint.reporters.ruleinfo import help_uri
from s2slint.reporters.text import position
from s2slint.reporters.values import ValueIndex
from s2slint.rule import Evaluated, Rule, not_applicable_rules, not_evaluated_rules

if TYPE_CHECKING:
    from s2slint.findings import Suppressed
    from s2slint.results import RunResult

_STATUS_CLASS = {
    Status.FAILED: "failed",
    Status.NOT_EVALUATED: "not-evaluated",
    Status.ACCEPTED: "accepted",
    Status.PASSED: "passed",
    Status.NOT_APPLICABLE: "not-applicable",
}

_CONTENTS = (
    '<nav class="contents"><a href="#controls">Controls</a> · <a href="#pictures">Trust and'
    ' certificates</a> · <a href="#findings">Findings</a> · <a href="#suppressed">Accepted'
    ' findings</a> · <a href="#deployment">Deployment</a> · <a href="#inputs">Inputs</a>'
    ' · <a href="#sign-off">Sign-off</a></nav>'
)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def e(value: object) -> str:
    """Escape any value for HTML text and attributes (control characters shown escaped)."""
    return escape(neutralize(str(value)), quote=True)


def prose(text: str) -> str:
    """Escape prose and render its Markdown-style `code` spans as code, not backticks."""
    return _CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", e(" ".join(text.split())))


def e_lines(text: str) -> str:
    """Escape a multi-line text (a fix) for a `<pre>`: its line breaks are kept."""
    return escape(neutralize_lines(text), quote=True)


def _status(status: Status) -> str:
    return f'<span class="status {_STATUS_CLASS[status]}">{e(status.label)}</span>'


def _severity(severity: Severity) -> str:
    return f'<span class="sev sev-{severity.label}">{e(severity.label)}</span>'


def _table(table: deployment.Table, css: str = "") -> str:
    parts = [f"<h3>{e(table.title)}</h3>"]
    if not table.rows:
        return parts[0] + f'<p class="muted">{e(table.empty)}</p>'
    parts.append(f'<table class="{e(css)}">' if css else "<table>")
    parts.append("<thead><tr>")
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


# ------------------------------------------------------------------------ header


def _file_digest(path: Path | None) -> str:
    if path is None:
        return '<span class="muted">none</span>'
    digest = audit.file_digest(path)
    shown = f"<code>{e(path)}</code>"
    if digest.sha256 is None:
        return f'{shown} <span class="muted">({e(digest.note)})</span>'
    return f'{shown}<br><span class="muted">SHA-256</span> <code class="digest">{e(digest.sha256)}</code>'


def _evidence_header(
    result: RunResult,
    options: ReportOptions,
    controls: ControlSet,
    bundle: tuple[str, int, str],
) -> str:
    digest, hashed, folder = bundle
    selected = [rule.code for rule in result.rules]
    rows = [
        (
            "Bundle digest",
            f'<code class="digest">{e(digest)}</code><br><span class="muted">SHA-256 over'
            f" {e(audit.plural(hashed, 'file'))} (lines <code>sha256  path</code>, sorted by"
            f" path, paths relative to <code>{e(folder or '.')}</code>; see Inputs)</span>",
        ),
        ("Evaluated as of", e(audit.as_of(result.now))),
        ("Tool", f"s2slint {e(__version__)}"),
        (
            "Rules selected",
            f"{e(len(selected))} of {e(len(result.available) or len(selected))}: "
            f"{e(audit.code_ranges(selected))}",
        ),
        ("Configuration", _file_digest(options.config_path)),
        ("Baseline", _file_digest(options.baseline_path)),
        (
            "Control mapping",
            e(controls.title)
            + (f" (version {e(controls.version)})" if controls.version else "")
            + f' <span class="muted">{e(controls.source)}</span>',
        ),
    ]
    if options.written_at is not None:
        rows.append(("Report written", e(options.written_at.strftime("%Y-%m-%d %H:%M:%S UTC"))))
    body = "".join(f"<tr><th>{e(name)}</th><td>{value}</td></tr>" for name, value in rows)
    return f'<table class="evidence-header">{body}</table>'


# ----------------------------------------------------------------------- verdict


def _verdict(result: RunResult, verdicts: tuple[ControlVerdict, ...]) -> str:
    statuses = Counter(v.status for v in verdicts)
    severities = Counter(f.severity for f in result.findings)
    cards = [
        (statuses[Status.FAILED], "controls failed", "failed"),
        (statuses[Status.NOT_EVALUATED], "controls not evaluated", "not-evaluated"),
        (statuses[Status.ACCEPTED], "controls accepted", "accepted"),
        (statuses[Status.PASSED], "controls passed", "passed"),
        (statuses[Status.NOT_APPLICABLE], "controls not applicable", "not-applicable"),
        (severities[Severity.ERROR], audit.plural(severities[Severity.ERROR], "error"), ""),
        (severities[Severity.WARNING], audit.plural(severities[Severity.WARNING], "warning"), ""),
        (len(result.suppressed), "findings accepted", ""),
    ]
    parts = ['<section id="verdict"><div class="cards">']
    for number, label, css in cards:
        words = label.split(" ", 1)[1] if label[0].isdigit() else label
        parts.append(
            f'<div class="card {css}" data-count="{e(number)}"><span class="n">{number}</span> '
            f"{e(words)}</div>"
        )
    parts.append("</div></section>")
    return "".join(parts)


_MEANINGS = (
    (Status.FAILED, "a rule reported a finding that was not accepted"),
    (Status.NOT_EVALUATED, "a rule lacked its export, was not selected or is not in this version"),
    (Status.ACCEPTED, "the only findings were accepted (suppressed or baselined), see below"),
    (Status.PASSED, "at least one rule checked at least one object and found nothing"),
    (Status.NOT_APPLICABLE, "nothing to check in this deployment (the reason is given)"),
)


def _controls(verdicts: tuple[ControlVerdict, ...], controls: ControlSet) -> str:
    legend = "; ".join(f"{_status(status)} {e(words)}" for status, words in _MEANINGS)
    parts = [
        '<section id="controls"><h2>Controls</h2>',
        f'<p class="muted">Control mapping: {e(controls.title)}. Statuses, worst first: '
        f"{legend}.</p>",
        '<table class="controls"><colgroup><col class="c-status"><col class="c-control">'
        '<col class="c-rules"><col class="c-detail"></colgroup>'
        "<thead><tr><th>status</th><th>control</th><th>rules</th><th>detail</th>"
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
            f'<br><span class="muted">{prose(control.rationale)}</span></td>'
            f"<td>{rules}</td><td>{prose(verdict.detail)}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return "".join(parts)


# ---------------------------------------------------------------------- pictures


def _pictures(result: RunResult) -> str:
    model = result.model
    graph = trust.build(model, result.findings, [s.finding for s in result.suppressed])
    now = result.now
    parts = ['<section id="pictures"><h2>Trust relationships and certificates</h2>']
    parts.append(
        '<figure class="picture" id="trust-picture">'
        + pictures.draw_trust(graph)
        + "<figcaption>Trust relationships as exported. Each arrow is a trust held by the"
        " party it leaves (a partner application, an OAuth or auth server); its colour and"
        " its words give its status and the rules that failed on it.</figcaption></figure>"
    )
    rows = tuple(
        (
            f"{_party(graph, edge.source)} \u2192 {_party(graph, edge.target)}",
            ", ".join(edge.objects) or "none",
            edge.words,
        )
        for edge in graph.edges
    )
    parts.append(
        _table(
            deployment.Table(
                "Trusts", ("trust", "trust object", "status"), rows, empty="no trust exported"
            ),
            "trusts",
        )
    )
    if now is not None:
        line = timeline.build(model, now, deployment.EXPIRY_WARNING_DAYS)
        parts.append(
            '<figure class="picture" id="timeline-picture">'
            + pictures.draw_timeline(line)
            + "<figcaption>Certificate timeline: each bar a certificate's validity (dashed:"
            " staged for a roll), the black line the evaluation date, the shaded band the"
            f" {deployment.EXPIRY_WARNING_DAYS} days before it in which an expiry is"
            " flagged, diamonds the effective dates of rolls.</figcaption></figure>"
        )
    parts.append("</section>")
    return "".join(parts)


def _party(graph: trust.TrustGraph, node_id: str) -> str:
    if node_id == trust.LYNC:
        return "Lync"
    node = graph.node(node_id)
    return node.title if node is not None else node_id


# ---------------------------------------------------------------------- findings


def _where(location: Location, values: ValueIndex) -> str:
    text = f"<code>{e(position(location))}</code>"
    if location.pointer:
        text += f' <span class="muted">({e(location.pointer)})</span>'
    found = values.value_at(location)
    if found is not None:
        text += f'<br><span class="muted">value</span> <code class="value">{e(found)}</code>'
    return text


def _mapped(code: str, controls: ControlSet) -> str:
    found = mappings(code, controls)
    if not found:
        return '<span class="muted">no control of the mapping names this rule</span>'
    return "<br>".join(
        f'<span class="muted">{e(label)}:</span> {e(", ".join(ids))}' for label, ids in found
    )


def _finding(
    number: int, finding: Finding, rule: Rule | None, values: ValueIndex, controls: ControlSet
) -> str:
    parts = [
        f'<article class="finding {e(finding.severity.label)}" id="finding-{number}"'
        f' data-code="{e(finding.code)}">',
        f"<h3>{_severity(finding.severity)} {e(finding.code)} {e(finding.name)}</h3>",
        f'<p class="message">{prose(finding.message)}</p>',
        '<dl class="evidence">',
        f"<dt>file</dt><dd><code>{e(finding.location.path)}</code></dd>",
        f"<dt>line</dt><dd>{e(finding.location.line or 'none (the whole file, or a binary one)')}</dd>",
    ]
    if finding.location.column is not None:
        parts.append(f"<dt>column</dt><dd>{e(finding.location.column)}</dd>")
    if finding.location.pointer:
        parts.append(f"<dt>pointer</dt><dd><code>{e(finding.location.pointer)}</code></dd>")
    found = values.value_at(finding.location)
    if found is not None:
        parts.append(f'<dt>value found</dt><dd><code class="value">{e(found)}</code></dd>')
    if finding.key:
        parts.append(f"<dt>object</dt><dd><code>{e(finding.key)}</code></dd>")
    for related in finding.related:
        parts.append(f"<dt>related</dt><dd>{_where(related, values)}</dd>")
    parts.append(f"<dt>controls</dt><dd>{_mapped(finding.code, controls)}</dd>")
    parts.append("</dl>")
    if finding.fix.strip():
        parts.append(
            "<p><strong>Fix for this finding</strong></p>"
            f'<pre class="fix"><code>{e_lines(finding.fix.strip())}</code></pre>'
        )
    if rule is not None:
        parts.append(f"<p><strong>Why it matters.</strong> {prose(rule.doc.why)}</p>")
        if rule.doc.fix.strip():
            title = "How to fix (in general)" if finding.fix.strip() else "Fix"
            parts.append(
                f"<p><strong>{title}</strong></p>"
                f'<pre class="fix"><code>{e_lines(rule.doc.fix.strip())}</code></pre>'
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


def _findings(result: RunResult, values: ValueIndex, controls: ControlSet) -> str:
    rules = audit.rules_by_code(result)
    ordered = audit.worst_first(result.findings)
    parts = ['<section id="findings"><h2>Findings</h2>']
    if not ordered:
        parts.append('<p class="muted">No findings.</p>')
    parts += [
        _finding(n, f, rules.get(f.code), values, controls) for n, f in enumerate(ordered, start=1)
    ]
    parts.append("</section>")
    return "".join(parts)


def _suppressed(items: Sequence[Suppressed], values: ValueIndex) -> str:
    parts = ['<section id="suppressed"><h2>Accepted findings (suppressed or baselined)</h2>']
    if not items:
        parts.append('<p class="muted">No finding was accepted.</p></section>')
        return "".join(parts)
    parts.append(
        '<table class="accepted-findings"><thead><tr><th>rule</th><th>finding</th><th>where</th>'
        "<th>accepted by</th><th>reason</th><th>owner</th><th>ticket</th><th>expires</th>"
        "</tr></thead><tbody>"
    )
    for item in items:
        finding = item.finding
        parts.append(
            f'<tr data-code="{e(finding.code)}"><td>{e(finding.code)} {e(finding.name)}</td>'
            f"<td>{prose(finding.message)}</td><td>{_where(finding.location, values)}</td>"
            f"<td>{e(item.source)} <code>{e(position(item.where))}</code></td>"
            f"<td>{prose(item.reason)}</td><td>{e(item.owner or '—')}</td>"
            f"<td>{e(item.ticket or '—')}</td><td>{e(item.expires or 'no date')}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return "".join(parts)


# -------------------------------------------------------------------------- inputs


def _inputs(result: RunResult, digests: Sequence[FileDigest]) -> str:
    kinds = {f.path: f.kind for f in result.files}
    parts = ['<section id="inputs"><h2>Inputs</h2>']
    parts.append(
        '<h3>Files read</h3><table class="files"><colgroup><col class="c-file"><col class="c-kind">'
        '<col class="c-size"><col class="c-digest"></colgroup><thead><tr><th>file</th>'
        "<th>recognised as</th><th>bytes</th><th>SHA-256</th></tr></thead><tbody>"
    )
    for digest in digests:
        sha = (
            f'<code class="digest">{e(digest.sha256)}</code>'
            if digest.sha256
            else f'<span class="muted">{e(digest.note)}</span>'
        )
        size = "" if digest.size is None else f"{digest.size:,}"
        parts.append(
            f"<tr><td><code>{e(digest.path)}</code></td>"
            f"<td>{e(kinds.get(digest.path) or 'not recognised')}</td>"
            f'<td class="num">{e(size)}</td><td>{sha}</td></tr>'
        )
    parts.append("</tbody></table>")
    rows = tuple(not_evaluated_rules(result.coverage))
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
    rows = tuple(sorted((*not_applicable_rules(result.coverage), *_nothing_checked(result))))
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


def _nothing_checked(result: RunResult) -> list[tuple[str, str]]:
    """Return the rules that ran on 0 objects: not applicable too, never passed."""
    return [
        (code, "nothing to check (0 objects)")
        for code, outcome in result.coverage.items()
        if isinstance(outcome, Evaluated)
        and outcome.checked == 0
        and not any(f.code == code for f in result.findings)
    ]


_SIGN_OFF = (
    '<section id="sign-off"><h2>Sign-off</h2>'
    '<p class="muted">The findings above were reviewed against the exports identified by the'
    " bundle digest.</p>"
    '<table class="sign-off"><thead><tr><th>role</th><th>name</th><th>signature</th>'
    "<th>date</th></tr></thead><tbody>"
    "<tr><td>Prepared by</td><td></td><td></td><td></td></tr>"
    "<tr><td>Reviewed by</td><td></td><td></td><td></td></tr>"
    "</tbody></table></section>"
)


def render_html(result: RunResult, options: ReportOptions) -> str:
    """Render the audit report as one HTML document."""
    controls = audit.control_set(options)
    verdicts = audit.verdicts(result, options)
    digests = audit.input_digests(result)
    digest, hashed = bundle_digest(digests)
    folder = common_folder(d.path for d in digests if d.sha256)
    values = ValueIndex(result.model)
    evaluated = audit.as_of(result.now)
    body = [
        "<header><h1>Server-to-server authentication audit</h1>",
        f'<p class="meta">s2slint {e(__version__)} · evaluated as of {e(evaluated)} · '
        f"{e(audit.plural(len(result.files), 'file'))} · "
        f"{e(audit.plural(len(result.findings), 'finding'))}</p>",
        _evidence_header(result, options, controls, (digest, hashed, folder)),
        "</header>",
        _CONTENTS,
        _verdict(result, verdicts),
        _controls(verdicts, controls),
        _pictures(result),
        _findings(result, values, controls),
        _suppressed(result.suppressed, values),
        '<section id="deployment"><h2>Deployment</h2>',
        *(_table(t) for t in deployment.tables(result.model, result.now)),
        "</section>",
        _inputs(result, digests),
        _SIGN_OFF,
        "<footer>Generated offline by s2slint from exported configuration; no server was "
        "contacted. Findings are sorted worst first.</footer>",
    ]
    style = CSS + page_css(f"s2slint audit \u00b7 bundle {digest[:16]}", f"evaluated {evaluated}")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="s2slint {e(__version__)}">'
        f'<meta name="s2slint-bundle-sha256" content="{e(digest)}">'
        "<title>s2slint audit report</title>"
        f"<style>{style}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
