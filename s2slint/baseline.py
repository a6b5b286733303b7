"""Baselines: accept the findings of today, report only new ones from now on.

An entry is keyed on the rule code and the finding's logical object (see
`s2slint.fingerprints`), never on a line number, because exports are regenerated and
their lines move. The file is JSON with one entry per line, so diffs stay readable
and an entry that no longer matches (SUP001) can be pointed at by its line.
Generating over an existing baseline rewrites it: fixed findings drop out (the
prune), and a `reason` someone added to a kept entry survives.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from s2slint.bundle import display_path
from s2slint.errors import UsageError
from s2slint.findings import Finding
from s2slint.fingerprints import identity

FORMAT_KEY = "s2slint-baseline"
FORMAT_VERSION = 1
COMMENT = (
    "Findings accepted when s2slint was adopted. Regenerate with "
    "`s2slint check PATH --generate-baseline FILE` to drop the ones that were fixed."
)


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One accepted finding: code and logical key; path and message are for people."""

    code: str
    key: str
    path: str = ""
    message: str = ""
    reason: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Baseline:
    """A loaded baseline file and where it is shown in findings."""

    display: str
    entries: tuple[BaselineEntry, ...]


def load(path: Path, cwd: Path) -> Baseline:
    """Read a baseline file; raise `UsageError` (exit 2) when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            f"{path}: baseline not found (write one with --generate-baseline {path})"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the baseline: {error}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"{path}: not an s2slint baseline: invalid JSON: {error}") from None
    if not isinstance(document, dict) or document.get(FORMAT_KEY) != FORMAT_VERSION:
        raise UsageError(
            f'{path}: not an s2slint baseline (expected "{FORMAT_KEY}": {FORMAT_VERSION})'
        )
    raw = document.get("entries")
    if not isinstance(raw, list):
        raise UsageError(f'{path}: not an s2slint baseline: "entries" must be a list')
    entries = []
    offset = 0
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(name), str) and item.get(name) for name in ("code", "key")
        ):
            raise UsageError(f"{path}: baseline entry {index + 1} needs a code and a key")
        # Point at the entry: the first occurrence of its key after the previous one.
        found = text.find(json.dumps(item["key"], ensure_ascii=False), offset)
        if found < 0:
            found = text.find(json.dumps(item["key"]), offset)
        line = text.count("\n", 0, found) + 1 if found >= 0 else None
        offset = found + 1 if found >= 0 else offset
        entries.append(
            BaselineEntry(
                code=item["code"],
                key=item["key"],
                path=str(item.get("path", "")),
                message=str(item.get("message", "")),
                reason=str(item.get("reason", "")),
                line=line,
            )
        )
    return Baseline(display_path(path, cwd), tuple(entries))


@dataclass(frozen=True, slots=True)
class Generated:
    """The text of a new baseline and how it differs from the one it replaces."""

    text: str
    entries: int
    added: int
    pruned: int


def generate(
    findings: Iterable[Finding],
    previous: Baseline | None = None,
    carry: Callable[[BaselineEntry], bool] = lambda entry: False,
) -> Generated:
    """Return the baseline accepting `findings` (one entry per code and logical key).

    Entries of `previous` for which `carry` is true are kept as they are: the rules
    that did not run this time (not selected, or lacking evidence) cannot tell whether
    their entries are stale, so a partial run must not prune them.
    """
    old = previous.entries if previous else ()
    reasons = {(e.code, e.key): e.reason for e in old}
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for entry in old:
        if carry(entry):
            rows[(entry.code, entry.key)] = {
                "code": entry.code,
                "key": entry.key,
                "path": entry.path,
                "message": entry.message,
            }
    for finding in findings:
        code, key = identity(finding)
        rows.setdefault(
            (code, key),
            {"code": code, "key": key, "path": finding.location.path, "message": finding.message},
        )
    lines = []
    for ident, row in sorted(rows.items()):
        if reasons.get(ident):
            row["reason"] = reasons[ident]
        lines.append("    " + json.dumps(row, ensure_ascii=False))
    body = ",\n".join(lines)
    text = (
        "{\n"
        f'  "{FORMAT_KEY}": {FORMAT_VERSION},\n'
        f'  "comment": {json.dumps(COMMENT)},\n'
        '  "entries": [' + (f"\n{body}\n  " if lines else "") + "]\n"
        "}\n"
    )
    before = set(reasons)
    after = set(rows)
    return Generated(text, len(after), len(after - before), len(before - after))
