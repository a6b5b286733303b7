"""Tell, from content, the files of a bundle folder that are not exports at all.

A configuration repository holds more than exports: a README, notes, the reports
s2slint wrote there (`-o audit.html`, `--output sarif=...`) and its baseline.
Catalogue v2's INP002 lists such files as skipped, without a finding: a commit of the
baseline must not fail the pre-commit hook. Only a file that *looks like* an export
(XML, CLIXML, JSON, CSV, a certificate, a ZIP, or PowerShell's formatted table or
list output saved instead of an export) and is of no kind s2slint reads is INP002.

Everything here reads content, never names: exports are named as their authors
chose, and so are notes.
"""

from __future__ import annotations

import re

from s2slint.loaders.text import decode, looks_binary

_HEAD = 4096
"""Bytes read to recognise a report, a baseline or an export's shape: the markers come first."""

_OWN_REPORTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an s2slint baseline", re.compile(r'\A\s*\{\s*"s2slint-baseline"\s*:')),
    (
        "s2slint's SARIF report",
        re.compile(
            r'\A\s*\{\s*"\$schema"\s*:\s*"[^"]*sarif[^"]*".*?"driver"\s*:\s*\{\s*"name"\s*:\s*"s2slint"',
            re.S,
        ),
    ),
    ("s2slint's JSON report", re.compile(r'\A\s*\{\s*"tool"\s*:\s*"s2slint"\s*,')),
    # The JSON contract before version 2 opened with the tool version and the findings.
    (
        "s2slint's JSON report",
        re.compile(r'\A\s*\{\s*"version"\s*:\s*"[^"]*"\s*,\s*"findings"\s*:\s*\['),
    ),
    (
        "s2slint's GitLab Code Quality report",
        re.compile(r'\A\s*\[\s*\{\s*"type"\s*:\s*"issue"\s*,\s*"engine_name"\s*:\s*"s2slint"'),
    ),
    (
        "s2slint's JUnit report",
        re.compile(r'\A\s*(<\?xml[^>]*\?>\s*)?<testsuites\s+name="s2slint"'),
    ),
    (
        "s2slint's HTML report",
        re.compile(r'\A\s*<!DOCTYPE html>.{0,400}<meta name="generator" content="s2slint ', re.S),
    ),
    ("s2slint's Markdown report", re.compile(r"\A# s2slint report\n")),
    (
        "s2slint's PowerShell runbook",
        re.compile(r"\A<#\s*\.SYNOPSIS\s*Remediation runbook written by s2slint "),
    ),
    (
        "s2slint's collector script",
        re.compile(r"\A<#\s*\.SYNOPSIS\s*Collects the exports s2slint reads"),
    ),
    (
        "s2slint's text report",
        re.compile(
            r"\A(?:[^\n]*: [A-Z]{3}\d{3} \[(?:error|warning|info)\] "
            r"|All checks passed on \d+ files?|Found \d+ findings? \()"
        ),
    ),
)
"""s2slint's own outputs, each by the opening it always writes."""

_MARKDOWN = r"(?m)^(?:#{1,6} \S|```|~~~|[-*+] \S|\d+\. \S|> |\|.*\|\s*$)|\[[^\]\n]+\]\([^)\n]+\)"
"""Markdown's marks, for a file that is no export (compiled on first use, not on import)."""
_CSV_HEADER = re.compile(r'\A(?:#TYPE [^\n]*\n)?"[^"\r\n]*"(?:[,;\t]"[^"\r\n]*")+\s*(?:\n|\Z)')
_FORMATTED = re.compile(r"^[A-Za-z][A-Za-z0-9]{2,}\s*: \S", re.M)
"""A line of `Format-List` output (`Identity : Global`): an export saved the wrong way."""
_TABLE_RULE = re.compile(r"^-{3,}(?: +-{3,})+\s*$", re.M)
"""The dashed line under `Format-Table` headings."""


def own_output(data: bytes) -> str | None:
    """Name the s2slint report or baseline `data` is, or None when it is neither."""
    if looks_binary(data):
        return None
    head = decode(data[:_HEAD])
    for name, pattern in _OWN_REPORTS:
        if pattern.search(head):
            return name
    return None


def looks_like_export(data: bytes) -> bool:
    """Tell whether `data` has the shape of an export, whatever its kind.

    XML (not HTML), JSON, CSV with a header of quoted names, PEM, DER or PKCS#12,
    ZIP, and PowerShell's `Format-List`/`Format-Table` text all do; prose, notes and
    binary files of other kinds (an image, a PDF) do not.
    """
    if looks_binary(data):
        if data[:4] in (b"PK\x03\x04", b"PK\x05\x06") or data[:1] == b"\x30":
            return True
        # Text behind stray NULs (a damaged or hostile export) still looks like one.
        return data[:_HEAD].lstrip(b"\x00\t\r\n ").startswith((b"<", b"{", b"["))
    head = decode(data[:_HEAD]).lstrip()
    if head.startswith("<"):
        return not re.match(r"<(?:!DOCTYPE\s+html|html)\b", head, re.I)
    if head.startswith(("{", "[", "-----BEGIN ")):
        return True
    if _CSV_HEADER.match(head):
        return True
    return len(_FORMATTED.findall(head)) >= 2 or bool(_TABLE_RULE.search(head))


def prose(data: bytes) -> str:
    """Say what a file that is not an export is: Markdown, plain text or a binary file."""
    if looks_binary(data):
        return "a binary file of no export kind"
    head = decode(data[:_HEAD])
    if head.lstrip().lower().startswith(("<!doctype html", "<html")):
        return "HTML"
    return "Markdown" if re.search(_MARKDOWN, head) else "plain text"


def not_an_export(data: bytes) -> str | None:
    """Return why a file no loader claims is skipped without a finding, or None.

    None means it looks like an export of no known kind (INP002).
    """
    if looks_like_export(data):
        return None
    return f"not an export: {prose(data)}"
