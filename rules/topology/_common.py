"""What the TOP rules share: PowerShell quoting for their fixes."""

from __future__ import annotations


def quote(text: str) -> str:
    """Return `text` as a single-quoted PowerShell string (data, never code)."""
    return "'" + text.replace("'", "''").replace("\u2018", "''").replace("\u2019", "''") + "'"


def win_path(*parts: str) -> str:
    """Return a Windows path from its parts as a quoted string (`'.\\servers\\x'`)."""
    return quote("\\".join(parts))
