"""The audit report's stylesheet, inlined so the file is self-contained.

No fonts, images or scripts are fetched: the report is often read on an auditor's
machine without network access, or archived as evidence, and must look the same
years later. Status is always written in words; colour only reinforces it, so the
report stays readable printed in black and white.

Print (A4 or Letter) must clip nothing: long thumbprints, URLs and paths may break
anywhere, tables have fixed layouts with their widths set per column, pictures scale
to the page, headings stay with what follows them, and `@page` margin boxes carry a
running header (the bundle digest and the evaluation date) and page numbers.
"""

from __future__ import annotations

import re

CSS = """
:root { --ink:#1b1f24; --muted:#57606a; --line:#d0d7de; --bad:#b42318; --bad-bg:#fdecea;
  --warn:#8a5a00; --warn-bg:#fff4d6; --ok:#1a7f37; --ok-bg:#e6f4ea; --na:#57606a;
  --na-bg:#eef1f4; --code-bg:#f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 76rem; padding: 1.5rem 2rem 3rem; color: var(--ink);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; padding-bottom: .3rem;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
p.meta { color: var(--muted); margin: 0 0 .5rem; }
nav.contents { margin: .5rem 0 0; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 1rem; font-size: .9rem;
  table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid var(--line); overflow-wrap: anywhere; word-break: break-word; }
th { background: var(--code-bg); font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
thead { display: table-header-group; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: .85rem; overflow-wrap: anywhere; word-break: break-all; }
p code, td code, dd code, li code { background: var(--code-bg); padding: 0 .2em;
  border-radius: 3px; }
pre { background: var(--code-bg); border: 1px solid var(--line); padding: .6rem .75rem;
  white-space: pre-wrap; margin: .25rem 0 .75rem; max-width: 100%; }
a { overflow-wrap: anywhere; word-break: break-all; }
table.evidence-header { font-size: .85rem; margin-top: .75rem; }
table.evidence-header th { width: 11rem; background: none; color: var(--muted); }
code.digest { word-break: break-all; }
table.controls col.c-status { width: 9.5rem; }
table.controls col.c-control { width: 36%; }
table.controls col.c-rules { width: 12rem; }
table.files col.c-file { width: 38%; }
table.files col.c-kind { width: 16%; }
table.files col.c-size { width: 7rem; }
table.accepted-findings { font-size: .8rem; }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem;
  min-width: 8.5rem; flex: 1 1 8.5rem; }
.card .n { font-size: 1.5rem; font-weight: 700; display: block; }
.status, .sev { display: inline-block; padding: .05rem .45rem; border-radius: 4px;
  font-weight: 600; font-size: .78rem; text-transform: uppercase; letter-spacing: .02em;
  border: 1px solid currentColor; }
.failed, .sev-error, tr.bad td.tone { color: var(--bad); background: var(--bad-bg); }
.sev-warning, .accepted, tr.warn td.tone { color: var(--warn); background: var(--warn-bg); }
.passed, tr.ok td.tone { color: var(--ok); background: var(--ok-bg); }
.not-evaluated, .not-applicable, .sev-info { color: var(--na); background: var(--na-bg); }
.finding { border: 1px solid var(--line); border-left: 6px solid var(--na);
  border-radius: 4px; padding: .5rem 1rem .75rem; margin: 0 0 1rem; }
.finding.error { border-left-color: var(--bad); }
.finding.warning { border-left-color: var(--warn); }
.finding h3 { margin-top: .4rem; }
.finding .message { font-weight: 600; }
dl.evidence { display: grid; grid-template-columns: max-content minmax(0, 1fr);
  gap: .15rem 1rem; margin: .5rem 0; }
dl.evidence dt { color: var(--muted); }
dl.evidence dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
code.value { font-weight: 600; }
.muted { color: var(--muted); }
ul.refs { margin: .25rem 0; padding-left: 1.25rem; }
figure.picture { margin: 1rem 0; break-inside: avoid; }
figure.picture svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .85rem; margin-top: .35rem; }
table.sign-off td { height: 3rem; }
table.sign-off td:first-child { width: 9rem; font-weight: 600; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; }
@page { margin: 18mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2 { margin-top: 1.25rem; }
  tr, pre, figure, dl.evidence, .finding h3, .finding .message, .card { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  nav.contents { display: none; }
  .cards .card { border-color: #999; }
  code, pre { font-size: 8pt; }
  table { font-size: 8.5pt; }
  table.accepted-findings { font-size: 8pt; }
  #sign-off { break-inside: avoid; }
}
"""

_UNSAFE = re.compile(r"[^0-9A-Za-z .,:;()\u00b7+_\-/]")


def _css_string(text: str) -> str:
    """Return `text` as a CSS string literal, keeping only harmless characters."""
    return '"' + _UNSAFE.sub("", text) + '"'


def page_css(left: str, right: str) -> str:
    """Return the `@page` rules: running header (`left`, `right`) and page numbers.

    Chromium prints `@page` margin boxes; other browsers show the report unchanged
    without them. Only digits, letters and a little punctuation reach the CSS.
    """
    return (
        "@page { @top-left { content: " + _css_string(left) + "; font: 8pt system-ui, sans-serif;"
        " color: #57606a; } @top-right { content: " + _css_string(right) + "; font: 8pt"
        ' system-ui, sans-serif; color: #57606a; } @bottom-right { content: "Page "'
        ' counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; color: #57606a;'
        ' } @bottom-left { content: "s2slint server-to-server authentication audit";'
        " font: 8pt system-ui, sans-serif; color: #57606a; } }\n"
    )
