"""The audit report's stylesheet, inlined so the file is self-contained.

No fonts, images or scripts are fetched: the report is often read on an auditor's
machine without network access, or archived as evidence, and must look the same
years later. Status is always written in words; colour only reinforces it, so the
report stays readable printed in black and white.
"""

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
p.meta { color: var(--muted); margin: 0 0 .5rem; }
nav.contents { margin: .5rem 0 0; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 1rem; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
th { background: var(--code-bg); font-weight: 600; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: .85rem; }
pre { background: var(--code-bg); border: 1px solid var(--line); padding: .6rem .75rem;
  white-space: pre-wrap; overflow-wrap: anywhere; margin: .25rem 0 .75rem; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .9rem;
  min-width: 10rem; }
.card .n { font-size: 1.6rem; font-weight: 700; display: block; }
.status, .sev { display: inline-block; padding: .05rem .45rem; border-radius: 4px;
  font-weight: 600; font-size: .8rem; text-transform: uppercase; letter-spacing: .02em;
  white-space: nowrap; border: 1px solid currentColor; }
.failed, .sev-error, tr.bad td.tone { color: var(--bad); background: var(--bad-bg); }
.sev-warning, tr.warn td.tone { color: var(--warn); background: var(--warn-bg); }
.passed, tr.ok td.tone { color: var(--ok); background: var(--ok-bg); }
.not-evaluated, .not-applicable, .sev-info { color: var(--na); background: var(--na-bg); }
.finding { border: 1px solid var(--line); border-left: 6px solid var(--na);
  border-radius: 4px; padding: .5rem 1rem .75rem; margin: 0 0 1rem;
  break-inside: avoid; }
.finding.error { border-left-color: var(--bad); }
.finding.warning { border-left-color: var(--warn); }
.finding h3 { margin-top: .4rem; }
.finding .message { font-weight: 600; }
dl.evidence { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  margin: .5rem 0; }
dl.evidence dt { color: var(--muted); }
dl.evidence dd { margin: 0; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
ul.refs { margin: .25rem 0; padding-left: 1.25rem; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; }
@page { margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  tr, .finding, pre { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  nav.contents { display: none; }
  .cards .card { border-color: #999; }
}
"""
