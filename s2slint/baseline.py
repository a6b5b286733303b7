"""Baselines: accept the findings of today, report only new ones from now on.

An entry is keyed on the rule code and the finding's logical object (see
`s2slint.fingerprints`), never on a line number, because exports are regenerated and
their lines move. The file is JSON with one entry per line, so diffs stay readable
and an entry that no longer matches (SUP001) can be pointed at by its line.
Generating over an existing baseline rewrites it: fixed findings drop out (the
prune), and the `reason`, `owner`, `ticket` and `expires` someone added to a kept
entry survive. An entry whose `expires` date is before the evaluation date no longer
hides its finding (SUP003, see `s2slint.suppressions`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
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
    """One accepted finding: code and logical key; path and message are for people.

    `reason`, `owner`, `ticket` and `expires` are written by people (never generated)
    and shown in the audit report; `expires` is the last day the acceptance holds.
    """

    code: str
    key: str
    path: str = ""
    message: str = ""
    reason: str = ""
    line: int | None = None
    owner: str = ""
    ticket: str = ""
    expires: date | None = None

    def notes(self) -> dict[str, str]:
        """Return what people wrote on the entry, as the file spells it (empty ones left out)."""
        values = {
            "reason": self.reason,
            "owner": self.owner,
            "ticket": self.ticket,
            "expires": self.expires.isoformat() if self.expires else "",
        }
        return {name: value for name, value in values.items() if value}


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
                owner=str(item.get("owner", "")),
                ticket=str(item.get("ticket", "")),
                expires=_expiry(item.get("expires"), path, index),
            )
        )
    return Baseline(display_path(path, cwd), tuple(entries))


def _expiry(value: object, path: Path, index: int) -> date | None:
    """Return an entry's `expires` date; a value that is not one is a usage error."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise UsageError(
        f'{path}: baseline entry {index + 1}: expires must be a date ("YYYY-MM-DD"), '
        f"not {json.dumps(value)}"
    )


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
    notes = {(e.code, e.key): e.notes() for e in old}
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
        row.update(notes.get(ident, {}))
        lines.append("    " + json.dumps(row, ensure_ascii=False))
    body = ",\n".join(lines)
    text = (
        "{\n"
        f'  "{FORMAT_KEY}": {FORMAT_VERSION},\n'
        f'  "comment": {json.dumps(COMMENT)},\n'
        '  "entries": [' + (f"\n{body}\n  " if lines else "") + "]\n"
        "}\n"
    )
    before = set(notes)
    after = set(rows)
    return Generated(text, len(after), len(after - before), len(before - after))
