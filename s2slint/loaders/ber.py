"""A small reader of BER/DER elements: enough to walk a PFX before OpenSSL opens it.

It reads tags (high tag numbers included), definite and indefinite lengths, and
constructed strings (BER allows an OCTET STRING in segments, as Windows and Java
write PFX files). Every read is bounded by the bytes given and by a nesting depth, and
anything malformed raises `BerError`; nothing is interpreted beyond what is asked.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BerError", "Element", "children", "integer", "octets", "oid", "read"]

SEQUENCE = 0x10
SET = 0x11
INTEGER = 0x02
OCTET_STRING = 0x04
OID = 0x06
UNIVERSAL, CONTEXT = 0, 2
MAX_DEPTH = 64
"""Deepest nesting read; a PFX nests about 15 levels."""


class BerError(ValueError):
    """The bytes are not the BER element they should be."""


@dataclass(frozen=True, slots=True)
class Element:
    """One element: its class, number and form, and where its content lies in `data`.

    For an indefinite length, `end` is where the content ends (before the two zero
    bytes that close it) and `after` is past them.
    """

    data: bytes
    tag_class: int
    number: int
    constructed: bool
    start: int
    end: int
    after: int
    depth: int

    def is_universal(self, number: int) -> bool:
        """Tell whether this is the universal type `number` (SEQUENCE, INTEGER, ...)."""
        return self.tag_class == UNIVERSAL and self.number == number

    def is_context(self, number: int) -> bool:
        """Tell whether this is the context-specific tag `[number]`."""
        return self.tag_class == CONTEXT and self.number == number

    @property
    def content(self) -> bytes:
        """Return the raw content bytes (of a primitive element)."""
        return self.data[self.start : self.end]


def read(data: bytes, offset: int = 0, limit: int | None = None, depth: int = 0) -> Element:
    """Read the element at `offset`, which must end by `limit` (the end of `data`)."""
    limit = len(data) if limit is None else limit
    if depth > MAX_DEPTH:
        raise BerError("nested too deeply")
    if offset + 2 > limit:
        raise BerError("truncated element")
    first = data[offset]
    tag_class, constructed, number = first >> 6, bool(first & 0x20), first & 0x1F
    position = offset + 1
    if number == 0x1F:  # high tag number: base-128 digits
        number = 0
        while True:
            if position >= limit or position - offset > 5:
                raise BerError("bad tag")
            byte = data[position]
            position += 1
            number = number << 7 | byte & 0x7F
            if not byte & 0x80:
                break
    if position >= limit:
        raise BerError("truncated length")
    length_byte = data[position]
    position += 1
    if length_byte == 0x80:
        if not constructed:
            raise BerError("indefinite length on a primitive element")
        end = _indefinite_end(data, position, limit, depth)
        return Element(data, tag_class, number, constructed, position, end, end + 2, depth)
    if length_byte & 0x80:
        count = length_byte & 0x7F
        if count > 8 or position + count > limit:
            raise BerError("bad length")
        length = int.from_bytes(data[position : position + count], "big")
        position += count
    else:
        length = length_byte
    end = position + length
    if end > limit:
        raise BerError("element longer than what holds it")
    return Element(data, tag_class, number, constructed, position, end, end, depth)


def _indefinite_end(data: bytes, position: int, limit: int, depth: int) -> int:
    """Return where the content of an indefinite-length element ends."""
    while True:
        if position + 2 > limit:
            raise BerError("unterminated indefinite length")
        if data[position] == 0 and data[position + 1] == 0:
            return position
        position = read(data, position, limit, depth + 1).after


def children(element: Element) -> list[Element]:
    """Return the elements inside a constructed element, in order."""
    if not element.constructed:
        raise BerError("not a constructed element")
    found = []
    position = element.start
    while position < element.end:
        child = read(element.data, position, element.end, element.depth + 1)
        found.append(child)
        position = child.after
    return found


def octets(element: Element) -> bytes:
    """Return the bytes of an OCTET STRING, joining the segments of a constructed one."""
    if not element.constructed:
        return element.content
    return b"".join(octets(child) for child in children(element))


def integer(element: Element) -> int:
    """Return the value of an INTEGER."""
    if not element.is_universal(INTEGER) or element.constructed or element.end == element.start:
        raise BerError("not an INTEGER")
    return int.from_bytes(element.content, "big", signed=True)


def oid(element: Element) -> str:
    """Return an OBJECT IDENTIFIER in dotted form."""
    if not element.is_universal(OID) or element.constructed or element.end == element.start:
        raise BerError("not an OBJECT IDENTIFIER")
    arcs: list[int] = []
    value = 0
    for byte in element.content:
        value = value << 7 | byte & 0x7F
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    if not arcs:
        raise BerError("empty OBJECT IDENTIFIER")
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in (first, arcs[0] - 40 * first, *arcs[1:]))
