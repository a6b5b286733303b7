"""Decode export files the way Windows writes them.

Windows PowerShell 5.1 writes `Export-Clixml` and `Out-File` as UTF-16 LE with a
byte-order mark, `Export-Csv` as ASCII; PowerShell 7 writes UTF-8 without one. A
topology saved with `Out-File` may be UTF-16 while its XML declaration still says
utf-8, so the bytes, not the declaration, decide.
"""

from __future__ import annotations

import codecs
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from s2slint.limits import Limits

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(data: bytes) -> str:
    """Return the codec for `data`: its byte-order mark, else a UTF-16 guess, else UTF-8.

    Without a BOM, text whose every other byte is NUL near the start is UTF-16
    (little- or big-endian by where the NULs fall); anything else is UTF-8 if it
    decodes, else Windows-1252 (the "ANSI" code page of most administrators).
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-32" and data.startswith(codecs.BOM_UTF16_LE) and len(data) % 4:
                return "utf-16"
            return codec
    head = data[:200]
    if len(head) >= 4:
        even_nuls = head[0::2].count(0)
        odd_nuls = head[1::2].count(0)
        half = len(head) // 2
        if odd_nuls > half * 0.6 and even_nuls == 0:
            return "utf-16-le"
        if even_nuls > half * 0.6 and odd_nuls == 0:
            return "utf-16-be"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def decode(data: bytes) -> str:
    """Return `data` as text, without its byte-order mark.

    Undecodable bytes become U+FFFD rather than an exception: a damaged export still
    yields what can be read, and the parser reports the damage with its position.
    """
    codec = detect_encoding(data)
    text = data.decode(codec, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


# The encodings `decode` may read a file in, by its byte-order mark (a UTF-32 LE mark
# starts like UTF-16's, and such a file may still be read as UTF-16), and without one
# (Windows-1252 writes an ASCII word as UTF-8 does).
_READ_AS: tuple[tuple[bytes, tuple[str, ...]], ...] = (
    (codecs.BOM_UTF8, ("utf-8",)),
    (codecs.BOM_UTF32_LE, ("utf-32-le", "utf-16-le")),
    (codecs.BOM_UTF32_BE, ("utf-32-be",)),
    (codecs.BOM_UTF16_LE, ("utf-16-le",)),
    (codecs.BOM_UTF16_BE, ("utf-16-be",)),
)
_READ_WITHOUT_MARK = ("utf-8", "utf-16-le", "utf-16-be")


def may_contain(data: bytes, word: str) -> bool:
    """Tell cheaply, without decoding, whether the text of `data` may contain ASCII `word`.

    The word is looked for as `decode` could read the file: in the encoding its
    byte-order mark names, else as UTF-8 and both UTF-16s. True may be wrong (the bytes
    of the word inside other text), False never is.
    """
    for mark, codecs_read in _READ_AS:
        if data.startswith(mark):
            return any(form in data for form in _forms(word, codecs_read))
    return any(form in data for form in _forms(word, _READ_WITHOUT_MARK))


@cache
def _forms(word: str, codecs_read: tuple[str, ...]) -> tuple[bytes, ...]:
    return tuple(word.encode(codec) for codec in codecs_read)


BLANK = b"\x00\t\r\n \xef\xbb\xbf\xff\xfe"
"""Bytes a file may hold and still be empty: white space, NULs and byte-order marks."""


def is_blank(data: bytes) -> bool:
    """Tell whether a file holds nothing but `BLANK` bytes (an export that failed to be written).

    Every file is asked, so the answer comes from its first bytes where they tell:
    stripping a whole export only to see that something is left copied it each time.
    """
    if data[:64].strip(BLANK):
        return False
    return not data.strip(BLANK)


def looks_binary(data: bytes) -> bool:
    """Tell whether `data` is not text in any encoding s2slint reads (DER, PFX, ZIP)."""
    if not data:
        return False
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return False
    if detect_encoding(data).startswith("utf-16"):
        return False
    head = data[:512]
    return b"\x00" in head or (head[:1] == b"\x30" and len(head) > 1 and head[1] >= 0x80)


def exceeds_text_limits(data: bytes, text: str, limits: Limits) -> tuple[str, int | None] | None:
    """Say which size limit a text file breaks, and on which line; None if none.

    Lines end at LF (a lone CR does not end one). Checked before any parsing, with
    C-speed string operations only, so that a file of millions of tiny lines or one
    20 MB line is refused without the per-line work (and the memory of one string per
    line) the loaders would otherwise spend on it.

    Returns:
        The reason (for an INP004 message) and the 1-based line it concerns, if any.
    """
    if len(data) > limits.max_file_bytes:
        return (
            f"file is {len(data):,} bytes, more than the {limits.max_file_bytes:,} s2slint reads",
            None,
        )
    line_count = text.count("\n") + 1
    if line_count > limits.max_lines:
        return (
            f"file has {line_count:,} lines, more than the {limits.max_lines:,} s2slint reads",
            None,
        )
    if len(text) <= limits.max_line_chars:
        return None  # no line is longer than the whole text: spare the split
    lines = text.split("\n")
    longest = max(map(len, lines))
    if longest <= limits.max_line_chars:
        return None
    number = next(i for i, line in enumerate(lines, 1) if len(line) > limits.max_line_chars)
    return (
        f"line {number} is {len(lines[number - 1]):,} characters long, more than the "
        f"{limits.max_line_chars:,} s2slint reads",
        number,
    )
