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

# Windows writes the time a dynamic record was last refreshed as `[AGE:3702112]`
# between the owner and the TTL; no RFC 1035 parser knows the token.
_AGE_RE = re.compile(r"\[AGE:\d+\]", re.IGNORECASE)

# dnspython splits lines the same way (a CR alone also ends a line), so line numbers
# computed here agree with the ones in its error messages.
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_PARENS_RE = re.compile(r"[()]")
_TOKEN_SPLIT_RE = re.compile(r"[ \t]+")


@dataclass(frozen=True, slots=True)
class ZoneEntry:
    """One logical line of a zone file (parentheses may make it span several lines).

    `indented` means the first line starts with white space: the record has no owner
    of its own and belongs to the previous one.
    """

    line: int
    end_line: int
    indented: bool
    tokens: tuple[str, ...]

    @property
    def directive(self) -> str | None:
        """Return the upper-case directive (`$ORIGIN`, ...) this entry is, if any."""
        if not self.indented and self.tokens and self.tokens[0].startswith("$"):
            return self.tokens[0].upper()
        return None


@dataclass(frozen=True, slots=True)
class Scan:
    """The logical lines of a zone and where a parenthesis was left open, if one was."""

    entries: tuple[ZoneEntry, ...]
    unclosed_line: int | None


def split_lines(text: str) -> list[str]:
    """Split `text` into lines exactly where dnspython counts them."""
    return _LINE_BREAK_RE.split(text)


def strip_age(line: str) -> str:
    """Blank out dnscmd `[AGE:n]` tokens, keeping every other column where it was.

    Only the part before a quoted string is touched, so TXT data stays as written.
    """
    if "[" not in line:
        return line
    quote = line.find('"')
    head, tail = (line, "") if quote < 0 else (line[:quote], line[quote:])
    return _AGE_RE.sub(lambda match: " " * len(match.group(0)), head) + tail


def tokenize(line: str, depth: int) -> tuple[list[str], int]:
    """Return the tokens of one line and the parenthesis depth after it.

    Mirrors dnspython's tokenizer: `;` starts a comment, `(`/`)` only nest, quoted
    strings and backslash escapes keep their delimiters literal.
    """
    if '"' not in line and "\\" not in line:
        # The common case, with no quoting to respect: cut the comment, count parentheses.
        code = line.partition(";")[0]
        for paren in _PARENS_RE.findall(code):
            depth = depth + 1 if paren == "(" else max(depth - 1, 0)
        code = _PARENS_RE.sub(" ", code).strip(" \t")
        return (_TOKEN_SPLIT_RE.split(code) if code else []), depth
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
    for number, line in enumerate(lines, start=1):
        line_tokens, new_depth = tokenize(line, depth)
        if depth == 0:
            if not line_tokens and new_depth == 0:
                continue
            start, indented, tokens = number, line[:1] in (" ", "\t"), []
        tokens.extend(line_tokens)
        depth = new_depth
        if depth == 0:
            entries.append(ZoneEntry(start, number, indented, tuple(tokens)))
    if depth:
        entries.append(ZoneEntry(start, len(lines), indented, tuple(tokens)))
        return Scan(tuple(entries), start)
    return Scan(tuple(entries), None)


NameResolver = Callable[[str, "str | None"], "str | None"]
"""Turns an owner token and the origin in effect into an absolute name (None: cannot)."""


@dataclass(frozen=True, slots=True)
class Owned:
    """An entry with the names in effect where it stands.

    `origin` is the `$ORIGIN` in effect after the entry (None: unknown or invalid).
    For a record, `owner` is its owner (an indented entry repeats the previous one;
    None: the name could not be resolved) and `rest` its tokens after the owner. For a
    directive, `owner` is the last record's owner and `rest` the directive's arguments;
    an entry without tokens gets no owner.
    """

    entry: ZoneEntry
    origin: str | None
    owner: str | None
    rest: tuple[str, ...]


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
        tokens = entry.tokens
        if entry.directive is not None:
            if entry.directive == "$ORIGIN":
                current = resolve(tokens[1], current) if len(tokens) > 1 else None
            yield Owned(entry, current, owner, tokens[1:])
        elif not tokens:
            yield Owned(entry, current, None, ())
        elif entry.indented:
            yield Owned(entry, current, owner, tokens)
        else:
            owner = resolve(tokens[0], current)
            yield Owned(entry, current, owner, tokens[1:])
