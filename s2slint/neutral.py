"""Make text from exports and file names safe to print in a terminal or a CI log.

s2slint's reports quote what the files of a bundle say, and those files may be written
by someone other than the person reading the report. A value holding a newline could
start a line of its own in a CI log (GitHub Actions executes `::add-mask::`,
`::stop-commands::` or `::error ...` from any log line); an escape sequence could
erase earlier lines on a terminal or print "All checks passed" over them. So every text
output passes values and paths through `neutralize`, which shows control characters
as escapes instead of sending them, and `guard_commands` keeps any line that would
still start with `::` from being read as a workflow command.

This module imports nothing from s2slint, so that any layer can use it.
"""

from __future__ import annotations

import re

__all__ = ["guard_commands", "json_safe", "neutralize", "neutralize_lines", "safe_path"]

# C0 controls, DEL and C1 controls; the line and paragraph separators some viewers
# break lines at; the bidirectional overrides and isolates that reorder what is shown
# ("trojan source"); and lone surrogates, which is how Python holds the bytes of a file
# name that is not valid UTF-8 (and which no UTF-8 output can encode).
# Compiled on first use (and kept by `re`'s cache): the ASCII text of nearly every
# report never needs it (see `neutralize`), and compiling it costs half a millisecond.
_UNSAFE = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE_ESCAPES = range(0xDC80, 0xDD00)
_COMMAND_LINE = re.compile(r"^::", re.MULTILINE)
# What `json.dumps(..., ensure_ascii=False)` leaves raw although a terminal or a log
# viewer would act on it (C0 controls it already escapes). Only the JSON formats use it:
# compiled on first use (and kept by `re`'s cache), not on every start.
_JSON_UNSAFE = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def _escape(match: re.Match[str]) -> str:
    """Return the visible escape of one unsafe character."""
    char = match.group(0)
    named = _NAMED.get(char)
    if named is not None:
        return named
    point = ord(char)
    if point in _SURROGATE_ESCAPES:
        # A byte of a non-UTF-8 file name (os.fsdecode's surrogateescape): show the byte.
        return f"\\x{point - 0xDC00:02x}"
    if point <= 0xFF:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}"


def neutralize(text: str) -> str:
    """Return `text` with every control character shown as an escape (`\\x1b`, `\\n`).

    Ordinary text is returned unchanged (the same object), so reports of genuine
    exports are byte for byte what they were. Backslashes are left alone: Windows
    paths and `SERVER\\thumbprint` identities are full of them.
    """
    if text.isascii() and text.isprintable():
        return text  # in ASCII, the unsafe characters are exactly the unprintable ones
    if re.search(_UNSAFE, text) is None:
        return text
    return re.sub(_UNSAFE, _escape, text)


def safe_path(path: str) -> str:
    """Return a display path fit to begin a printed line.

    The path is neutralised, and one that would begin with `:` is shown as `./` and
    the path (the same file), so that a file named `::error ...` never starts a line
    a CI runner would execute.
    """
    path = neutralize(path)
    return "./" + path if path.startswith(":") else path


def neutralize_lines(text: str) -> str:
    """Neutralise each line of a multi-line text (a fix), keeping its line breaks."""
    return "\n".join(neutralize(line) for line in text.strip("\n").splitlines())


def json_safe(text: str) -> str:
    """Return JSON text with DEL, C1 controls, separators and overrides as `\\u` escapes.

    JSON formats keep values exactly (a consumer parses them back unchanged), so the
    characters are escaped the JSON way, only where `json.dumps` wrote them raw: inside
    strings, since nothing else in a JSON document can hold them. Lone surrogates (a
    file name that is not UTF-8) become escapes too, so the text always encodes.
    """
    if re.search(_JSON_UNSAFE, text) is None:
        return text
    return re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group(0)):04x}", text)


def guard_commands(text: str) -> str:
    """Indent by one space every line of `text` that begins with `::`.

    The last line of defence for outputs that are not GitHub workflow commands: after
    `neutralize` no value can begin a line, but a plugin's format might still print
    one. A leading space stops the runner from reading the line as a command and
    changes nothing for formats whose lines begin with indentation or punctuation.
    """
    if "::" not in text:
        return text
    return _COMMAND_LINE.sub(" ::", text)
