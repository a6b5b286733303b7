"""Scan a zone file's text into logical entries, and walk their owners.

Both zone readers (the plain one and the dnspython one) start from the same scan:
lines split where dnspython splits them, dnscmd's `[AGE:n]` tokens blanked, tokens cut
as dnspython's tokenizer cuts them, and parentheses joining lines into one logical
entry. `owners` is the one walk that decides, entry by entry, which `$ORIGIN` is in
effect and which name a record belongs to; each reader passes its own name resolver.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

# Windows writes the time a dynamic record was last refreshed as `[AGE:3702112]`
# between the owner and the TTL; no RFC 1035 parser knows the token.
_AGE_RE = re.compile(r"\[AGE:\d+\]", re.IGNORECASE)

_PARENS_RE = re.compile(r"[()]")
_TOKEN_SPLIT_RE = re.compile(r"[ \t]+")
# Blanks `str.split()` cuts at besides spaces and tabs (line breaks are gone by then);
# six substring searches are much faster than a character class over the whole text.
_ODD_BLANKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


class ZoneEntry(NamedTuple):
    """One logical line of a zone file (parentheses may make it span several lines).

    `indented` means the first line starts with white space: the record has no owner
    of its own and belongs to the previous one. `directive` is the upper-case
    directive (`$ORIGIN`, ...) the entry is, None for a record.

    A typed named tuple rather than a frozen dataclass: an estate's zone has hundreds
    of thousands of entries, and a tuple is built in a third of the time.
    """

    line: int
    end_line: int
    indented: bool
    tokens: tuple[str, ...]
    directive: str | None


def entry(line: int, end_line: int, indented: bool, tokens: tuple[str, ...]) -> ZoneEntry:
    """Return the entry of these lines and tokens, telling whether it is a directive."""
    directive = None
    if not indented and tokens and tokens[0].startswith("$"):
        directive = tokens[0].upper()
    return ZoneEntry(line, end_line, indented, tokens, directive)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Scan:
    """The logical lines of a zone and where a parenthesis was left open, if one was."""

    entries: tuple[ZoneEntry, ...]
    unclosed_line: int | None


def split_lines(text: str) -> list[str]:
    """Split `text` into lines exactly where dnspython counts them: at CRLF, CR or LF.

    (String replacement, then a split at LF: twice as fast as a regular expression.)
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def strip_age(line: str) -> str:
    """Blank out dnscmd `[AGE:n]` tokens, keeping every other column where it was.

    Only the part before a quoted string is touched, so TXT data stays as written.
    """
    if "[" not in line:
        return line
    quote = line.find('"')
    head, tail = (line, "") if quote < 0 else (line[:quote], line[quote:])
    return _AGE_RE.sub(lambda match: " " * len(match.group(0)), head) + tail


def split_blanks(code: str) -> list[str]:
    """Cut `code` at runs of spaces and tabs, the only blanks dnspython's tokenizer knows."""
    code = code.strip(" \t")
    return _TOKEN_SPLIT_RE.split(code) if code else []


def tokenize(
    line: str, depth: int, split: Callable[[str], list[str]] = split_blanks
) -> tuple[list[str], int]:
    """Return the tokens of one line and the parenthesis depth after it.

    Mirrors dnspython's tokenizer: `;` starts a comment, `(`/`)` only nest, quoted
    strings and backslash escapes keep their delimiters literal. `split` cuts text
    without quotes into tokens (`scan_lines` passes `str.split` when it is safe).
    """
    if '"' not in line and "\\" not in line:
        # The common case, with no quoting to respect: cut the comment, count parentheses.
        code = line.partition(";")[0]
        if "(" in code or ")" in code:
            for paren in _PARENS_RE.findall(code):
                depth = depth + 1 if paren == "(" else max(depth - 1, 0)
            code = _PARENS_RE.sub(" ", code)
        return split(code), depth
    tokens: list[str] = []
    current: list[str] = []
    index = 0
    length = len(line)
    while index < length:
        char = line[index]
        if char == "\\" and index + 1 < length:
            current.append(line[index : index + 2])
            index += 2
            continue
        if char == '"':
            end = index + 1
            while end < length and line[end] != '"':
                end += 2 if line[end] == "\\" else 1
            current.append(line[index : end + 1])
            index = end + 1
            continue
        if char in " \t;()":
            if current:
                tokens.append("".join(current))
                current = []
            if char == ";":
                break
            if char == "(":
                depth += 1
            elif char == ")":
                depth = max(depth - 1, 0)
        else:
            current.append(char)
        index += 1
    if current:
        tokens.append("".join(current))
    return tokens, depth


def scan_lines(lines: list[str]) -> Scan:
    """Group the lines into logical entries; skip blank lines and comments."""
    entries: list[ZoneEntry] = []
    depth = 0
    start = 0
    indented = False
    tokens: list[str] = []
    split = _splitter(lines)
    for number, line in enumerate(lines, start=1):
        if depth or '"' in line or "\\" in line or "(" in line or ")" in line:
            line_tokens, new_depth = tokenize(line, depth, split)
        else:  # what `tokenize` does with a line of no quote, escape or parenthesis
            line_tokens, new_depth = split(line.partition(";")[0]), 0
        if depth == 0 == new_depth:  # a whole entry on one line, nearly every one
            if line_tokens:
                indented = line[:1] in (" ", "\t")
                entries.append(entry(number, number, indented, tuple(line_tokens)))
            continue
        if depth == 0:
            start, indented, tokens = number, line[:1] in (" ", "\t"), []
        tokens.extend(line_tokens)
        depth = new_depth
        if depth == 0:
            entries.append(entry(start, number, indented, tuple(tokens)))
    if depth:
        entries.append(entry(start, len(lines), indented, tuple(tokens)))
        return Scan(tuple(entries), start)
    return Scan(tuple(entries), None)


def _splitter(lines: list[str]) -> Callable[[str], list[str]]:
    """Return `str.split` if it cuts these lines' tokens as dnspython does, else `split_blanks`.

    `str.split()` is four times faster than a regular expression, but it also cuts at
    vertical tabs, form feeds, \\x1c-\\x1f and Unicode spaces, which dnspython keeps
    inside tokens. One look at the whole text tells whether any occurs.
    """
    text = "".join(lines)
    if text.isascii() and not any(blank in text for blank in _ODD_BLANKS):
        return str.split
    return split_blanks


NameResolver = Callable[[str, "str | None"], "str | None"]
"""Turns an owner token and the origin in effect into an absolute name (None: cannot)."""


Owned = tuple[ZoneEntry, str | None, str | None, tuple[str, ...]]
"""An entry with the names in effect where it stands: (entry, origin, owner, rest).

`origin` is the `$ORIGIN` in effect after the entry (None: unknown or invalid).
For a record, `owner` is its owner (an indented entry repeats the previous one;
None: the name could not be resolved) and `rest` its tokens after the owner. For a
directive, `owner` is the last record's owner and `rest` the directive's arguments;
an entry without tokens gets no owner. A bare tuple, unpacked by the callers: one is
made per record, and a named tuple costs four times as much to build.
"""


def owners(
    entries: Iterable[ZoneEntry], origin: str | None, resolve: NameResolver
) -> Iterator[Owned]:
    """Walk the entries as dnspython does, naming each one's origin and owner.

    `$ORIGIN` may be relative to the previous one; an indented entry repeats the
    previous owner; before the first owner, the owner is the origin. What to do with
    an owner that cannot be resolved is the caller's: the plain reader gives up, the
    dnspython path skips the record.
    """
    current = origin
    owner = origin
    for entry in entries:
        _, _, indented, tokens, directive = entry
        if directive is not None:
            if directive == "$ORIGIN":
                current = resolve(tokens[1], current) if len(tokens) > 1 else None
            yield entry, current, owner, tokens[1:]
        elif not tokens:
            yield entry, current, None, ()
        elif indented:
            yield entry, current, owner, tokens
        else:
            owner = resolve(tokens[0], current)
            yield entry, current, owner, tokens[1:]
