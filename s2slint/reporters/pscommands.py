"""Read one line of a finding's PowerShell fix into a command, and write it back safely.

The runbook (`s2slint.reporters.powershell`) never pastes a fix's text into a script it
will run: it reads each line into a `Command` (a name and its arguments, every value
decoded), derives the guard from that, and writes the command back with quoting of its
own. Values come from the bundle, and the bundle may come from someone else's hands, so
this is where injection is stopped:

- a value is written back bare only when it is a plain word, else in single quotes with
  every character PowerShell takes for a single quote doubled (PowerShell also closes a
  single-quoted string at U+2018-U+201B, not only at `'`);
- a line this reader does not fully understand (a pipeline, `;`, a script block, a
  subexpression, a double-quoted string that expands something, a variable other than
  `$true`, `$false`, `$null` or a name the caller allows) is not a `Command`: the runbook
  then prints the line as a manual step and never runs it.

This module imports nothing from s2slint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Argument",
    "Command",
    "Value",
    "parse_command",
    "quote",
    "render_value",
    "split_comment",
]

SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"
"""Every character PowerShell reads as a single quote."""
DOUBLE_QUOTES = '"\u201c\u201d\u201e'
"""Every character PowerShell reads as a double quote."""
DASHES = "-\u2013\u2014\u2015"
"""Every character PowerShell reads as the dash that starts a parameter."""

_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_NATIVE_SWITCH = re.compile(r"^/[A-Za-z][A-Za-z0-9]*$")
_NAME = re.compile(r"^(?:\.\\)?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?:\.ps1|\.exe)?$")
_PARAMETER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_BARE_VALUE = re.compile(r"^[A-Za-z0-9/.][^\s'\"`$@(){}\[\];|&<>#,\u2018-\u201e]*$")
_VARIABLE = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$")
_SPECIAL = set(";|&(){}@`<>,") | {"\u2018", "\u2019", "\u201a", "\u201b"}

ValueKind = Literal["string", "word", "bool", "null", "number", "variable"]


@dataclass(frozen=True, slots=True)
class Value:
    """A decoded argument value: `text` is what the command receives.

    `kind` "string" was quoted in the fix, "word" a bare word (`Full`, a host name),
    "bool" `$true`/`$false` (text "True"/"False"), "null" `$null`, "number" digits,
    "variable" a variable the caller allowed (text = its name, without `$`).
    """

    kind: ValueKind
    text: str


@dataclass(frozen=True, slots=True)
class Argument:
    """A named parameter (`-Name value`, `-Name:value`, a switch `-Name`) or a positional value."""

    parameter: str | None
    value: Value | None


@dataclass(frozen=True, slots=True)
class Command:
    """One simple command: a cmdlet, a script (`.\\X.ps1`) or a native program, and its arguments."""

    name: str
    arguments: tuple[Argument, ...]

    @property
    def verb(self) -> str:
        """Return the cmdlet's verb (`Set`), or "" for scripts and programs."""
        base = self.base_name
        return base.split("-", 1)[0] if "-" in base and not base.endswith(".ps1") else ""

    @property
    def noun(self) -> str:
        """Return the cmdlet's noun (`CsPartnerApplication`), or ""."""
        base = self.base_name
        return base.split("-", 1)[1] if self.verb else ""

    @property
    def base_name(self) -> str:
        """Return the name without a leading `.\\` (scripts are invoked by path)."""
        return self.name[2:] if self.name.startswith(".\\") else self.name

    def named(self, parameter: str) -> Argument | None:
        """Return the argument of a parameter (case-insensitive), or None."""
        wanted = parameter.lower()
        return next(
            (a for a in self.arguments if a.parameter and a.parameter.lower() == wanted), None
        )

    def value_of(self, parameter: str) -> Value | None:
        """Return the value given to a parameter, or None (absent, or a switch)."""
        argument = self.named(parameter)
        return argument.value if argument is not None else None

    def render(self, name: str | None = None) -> str:
        """Write the command back with this module's quoting (`name` replaces the name)."""
        parts = [name or self.name]
        for argument in self.arguments:
            if argument.parameter is None:
                assert argument.value is not None
                parts.append(render_value(argument.value))
            elif argument.value is None:
                parts.append(f"-{argument.parameter}")
            else:
                parts.append(f"-{argument.parameter} {render_value(argument.value)}")
        return " ".join(parts)


def quote(text: str) -> str:
    """Return `text` as a PowerShell single-quoted string that holds exactly `text`."""
    return "'" + "".join(ch * 2 if ch in SINGLE_QUOTES else ch for ch in text) + "'"


def render_value(value: Value) -> str:
    """Return a value as PowerShell source: bare when that is safe, else single-quoted."""
    if value.kind == "bool":
        return "$true" if value.text == "True" else "$false"
    if value.kind == "null":
        return "$null"
    if value.kind == "variable":
        return f"${value.text}"
    if value.kind == "number" or (
        value.kind == "word" and (_PLAIN.match(value.text) or _NATIVE_SWITCH.match(value.text))
    ):
        return value.text
    return quote(value.text)


def split_comment(line: str) -> tuple[str, str]:
    """Split a line into its code and its trailing comment (`# ...`), quotes respected."""
    quote_char: str | None = None
    for index, char in enumerate(line):
        if quote_char is not None:
            if char in quote_char:
                quote_char = None
            continue
        if char in SINGLE_QUOTES:
            quote_char = SINGLE_QUOTES
        elif char in DOUBLE_QUOTES:
            quote_char = DOUBLE_QUOTES
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index].rstrip(), line[index + 1 :].strip()
    return line.strip(), ""


def _tokens(code: str) -> list[tuple[str, str]] | None:
    """Split code into (kind, text) tokens: "quoted" (decoded text) or "bare" (as written).

    None when the line holds anything a simple command does not (see the module doc).
    """
    tokens: list[tuple[str, str]] = []
    index, size = 0, len(code)
    while index < size:
        char = code[index]
        if char.isspace():
            index += 1
            continue
        if char in SINGLE_QUOTES:
            text, index = _single_quoted(code, index + 1)
            if index < 0:
                return None
            tokens.append(("quoted", text))
        elif char in DOUBLE_QUOTES:
            end = next((i for i in range(index + 1, size) if code[i] in DOUBLE_QUOTES), -1)
            text = code[index + 1 : end]
            if end < 0 or "$" in text or "`" in text:
                return None
            tokens.append(("quoted", text))
            index = end + 1
        else:
            end = index
            while end < size and not code[end].isspace():
                if code[end] in _SPECIAL or code[end] in DOUBLE_QUOTES:
                    return None
                end += 1
            tokens.append(("bare", code[index:end]))
            index = end
        if index < size and not code[index].isspace() and tokens[-1][0] == "quoted":
            return None  # 'a'b: one argument PowerShell glues together; not worth reading
    return tokens


def _single_quoted(code: str, index: int) -> tuple[str, int]:
    """Decode a single-quoted string from `index` (after the quote); -1 when unclosed."""
    out: list[str] = []
    while index < len(code):
        char = code[index]
        if char in SINGLE_QUOTES:
            if index + 1 < len(code) and code[index + 1] in SINGLE_QUOTES:
                out.append(char)
                index += 2
                continue
            return "".join(out), index + 1
        out.append(char)
        index += 1
    return "", -1


def _bare_value(text: str, variables: frozenset[str]) -> Value | None:
    """Read a bare argument: a word, a number, `$true`/`$false`/`$null`, an allowed variable."""
    lowered = text.lower()
    if lowered in ("$true", "$false"):
        return Value("bool", "True" if lowered == "$true" else "False")
    if lowered == "$null":
        return Value("null", "")
    variable = _VARIABLE.match(text)
    if variable:
        name = variable.group(1)
        return Value("variable", name) if name.lower() in variables else None
    if _NUMBER.match(text):
        return Value("number", text)
    if _BARE_VALUE.match(text) and "$" not in text:
        return Value("word", text)
    return None


def parse_command(code: str, variables: frozenset[str] = frozenset()) -> Command | None:
    """Read one line of code (no comment) as a simple command, or None (see the module doc).

    `variables` names the variables (lower case, without `$`) a value may be, such as
    `exscripts` in the Exchange Management Shell.
    """
    tokens = _tokens(code)
    if not tokens or tokens[0][0] != "bare" or not _NAME.match(tokens[0][1]):
        return None
    arguments: list[Argument] = []
    index = 1
    while index < len(tokens):
        kind, text = tokens[index]
        if kind == "bare" and text[:1] in DASHES and len(text) > 1 and not _NUMBER.match(text):
            name, colon, attached = text[1:].partition(":")
            if not _PARAMETER.match(name):
                return None
            if colon:
                value = _bare_value(attached, variables) if attached else None
                if value is None:
                    return None
                arguments.append(Argument(name, value))
                index += 1
                continue
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is None or (following[0] == "bare" and following[1][:1] in DASHES):
                arguments.append(Argument(name, None))
                index += 1
                continue
            value = _value(following, variables)
            if value is None:
                return None
            arguments.append(Argument(name, value))
            index += 2
            continue
        value = _value((kind, text), variables)
        if value is None:
            return None
        arguments.append(Argument(None, value))
        index += 1
    return Command(tokens[0][1], tuple(arguments))


def _value(token: tuple[str, str], variables: frozenset[str]) -> Value | None:
    kind, text = token
    return Value("string", text) if kind == "quoted" else _bare_value(text, variables)
