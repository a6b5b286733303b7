"""Parse XML exports safely and give every element and attribute a line and column.

lxml reports only a line per element, and for a start tag spread over several lines it
is the line where the tag *closes* (style.md B4). `XmlDocument` therefore keeps the
decoded text, indexes every start tag once, and scans a tag's attributes to `Name=`,
so findings point where an administrator would look.

Safety: documents come from many hands. No DTD is read and a DOCTYPE is refused, so no
entity (internal, external or parameter) is ever expanded and a document can make
s2slint read no file and open no connection; XInclude is never processed. Size, line,
depth, element and attribute limits (`s2slint.limits`) are enforced before a loader
sees the tree, and every scan over the text is linear, so no input makes a run hang.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, TypeVar, cast

from s2slint import limits as input_limits
from s2slint.findings import Location
from s2slint.loaders.base import InputProblem, Source
from s2slint.loaders.text import exceeds_text_limits
from s2slint.model import Located

if TYPE_CHECKING:
    from lxml import etree

T = TypeVar("T")

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
# Markup in document order. Comments, CDATA sections and processing instructions are
# consumed whole (they may contain "<"); end tags and declarations are matched so that
# they are not taken for start tags. Group 1 is the qualified name of a start tag. In a
# document lxml accepted, "<" occurs nowhere else, so the n-th match with group 1 is
# the n-th element of the tree in document order.
_MARKUP = r"(?s)<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<[!/]|<([^\s/>]+)"
_START_TAG = re.compile(r"<(?!/)")
_START_TAG_NAME = re.compile(r"<[^\s/>]+")
_NEWLINE = re.compile("\n")
# One attribute of a start tag, with the white space before it (values hold no "<").
_ATTRIBUTE = re.compile(r"""\s+([^\s=/>]+)\s*=\s*(?:"[^"]*"|'[^']*')""")
_HUGE_ADVICE = r"(?i),?\s*(?:try|use) XML_PARSE_HUGE(?: option)?"
# `_MARKUP` (documents with comments) and `_HUGE_ADVICE` (documents refused) are compiled
# on first use, and kept by `re`'s cache: most runs need neither.


class XmlRejected(Exception):
    """The document cannot be read; `problem` says why (INP001 or INP004)."""

    def __init__(self, problem: InputProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _blank(match: re.Match[str]) -> str:
    """Replace a matched span by spaces, keeping its line breaks (positions stay put)."""
    return re.sub(r"[^\n]", " ", match.group(0))


class ElementPosition(NamedTuple):
    """An element of a parsed document, turned into a `Location` only when asked.

    A CLIXML file has dozens of values per object and the records built from it keep
    a few; locating each value as it is read was most of the cost of reading a file.
    Holders of positions live only while one file is read: records keep `Location`s
    and located values (`located`), which hold the line and column themselves.
    """

    document: XmlDocument
    element: etree._Element
    pointer: str | None = None

    def location(self) -> Location:
        """Return where the element's start tag begins (see `element_location`)."""
        return self.document.element_location(self.element, self.pointer)

    def located(self, value: T) -> Located[T]:
        """Return `value` located where the element's start tag begins."""
        return self.document.element_located(value, self.element, self.pointer)

    def __repr__(self) -> str:
        return f"ElementPosition({self.location()!r})"


@dataclass(eq=False, repr=False)
class XmlDocument:
    """A parsed XML file with the text it came from, for positions."""

    source: Source
    root: etree._Element
    text: str
    _starts: dict[etree._Element, int] | None = field(default=None, repr=False)
    _line_starts: list[int] | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, source: Source) -> XmlDocument:
        """Parse `source` with DTDs, entities, network and file access switched off.

        The XML declaration is blanked out before parsing: the bytes were already
        decoded (see `loaders.text`), and PowerShell's `Out-File` writes UTF-16 text
        whose declaration still says utf-8. For the same reason the parser is told the
        encoding, so that libxml2 never guesses it from the first bytes (a guess could
        read as UTF-16 a DOCTYPE the check below did not see). A DOCTYPE is refused
        outright: no genuine export carries one, and it is how entity-expansion and
        external-entity attacks begin; entity resolution, DTD loading and the network
        are switched off as well, in case one ever got through. The limits of
        `s2slint.limits` are checked before parsing where the text alone tells (size,
        lines, tags) and right after it otherwise (depth, attributes), so nothing beyond
        them reaches a loader. XInclude is never processed (lxml only does it when asked).

        Raises:
            XmlRejected: INP004 when a safety rule or limit refuses the document,
                INP001 when it is not well-formed.
        """
        from lxml import etree

        limits = input_limits.active()
        text = _XML_DECLARATION.sub(_blank, source.text, count=1)
        too_big = exceeds_text_limits(source.data, text, limits)
        if too_big is not None:
            reason, line = too_big
            raise _refused(source, f"XML file refused: {reason}", line, 1 if line else None)
        doctype = _DOCTYPE.search(text)
        if doctype is not None:
            line, column = _line_column(text, doctype.start())
            raise _refused(
                source,
                "document type declaration (DOCTYPE) refused: exports never carry one "
                "and s2slint does not process DTDs or entities",
                line,
                column,
            )
        tags = text.count("<") - text.count("</")
        if tags > limits.max_xml_elements:
            raise _refused(
                source,
                f"XML file refused: it has {tags:,} tags, more than the "
                f"{limits.max_xml_elements:,} elements s2slint reads",
                None,
                None,
            )
        try:
            root = etree.fromstring(text.encode("utf-8"), _parser())
        except etree.XMLSyntaxError as error:
            raise XmlRejected(_syntax_problem(source, error, limits)) from None
        if root is None:
            raise XmlRejected(InputProblem("INP001", "empty XML document", source.location()))
        document = cls(source=source, root=root, text=text)
        document._check_shape(limits, tags)
        return document

    def _check_shape(self, limits: input_limits.Limits, tags: int) -> None:
        """Refuse a tree deeper, or with more attributes on an element, than allowed.

        The element count needs no check here: every element has a start tag, and the
        tags were counted before parsing (`tags`, at least the number of elements).
        Nor does the walk run when the text alone rules both limits out, as it does for
        most exports: no element is nested deeper than there are elements, and every
        attribute is written with an "=", so no element has more attributes than the
        text has "=" signs.
        """
        from lxml import etree

        if tags <= limits.max_xml_depth and self.text.count("=") <= limits.max_xml_attributes:
            return
        depth = 0
        for event, element in etree.iterwalk(self.root, events=("start", "end")):
            if event == "end":
                depth -= 1
                continue
            depth += 1
            reason = None
            attributes = len(element.attrib)
            if depth > limits.max_xml_depth:
                reason = f"XML elements nested more than {limits.max_xml_depth} levels deep refused"
            elif attributes > limits.max_xml_attributes:
                reason = (
                    f"XML element with {attributes:,} attributes refused (more than "
                    f"{limits.max_xml_attributes:,})"
                )
            if reason is not None:
                raise XmlRejected(InputProblem("INP004", reason, self.element_location(element)))

    def element_location(self, element: etree._Element, pointer: str | None = None) -> Location:
        """Return where `element`'s start tag begins (`<` of `<Tag`)."""
        line, column = self._element_position(element)
        return Location(self.source.display, line, column, pointer)

    def element_located(
        self, value: T, element: etree._Element, pointer: str | None = None
    ) -> Located[T]:
        """Return `value` located where `element`'s start tag begins.

        The same place as `element_location`, built without a `Location` in between:
        most values a record keeps are located this way.
        """
        line, column = self._element_position(element)
        return Located(value, self.source.display, line, column, pointer)

    def _element_position(self, element: etree._Element) -> tuple[int | None, int | None]:
        """Return the line and column of `element`'s start tag (lxml's line alone if unknown)."""
        offset = self._start(element)
        if offset is None:
            return _sourceline(element), None
        return self._line_column(offset)

    def attribute_location(
        self, element: etree._Element, attribute: str, pointer: str | None = None
    ) -> Location:
        """Return where attribute `attribute` (any prefix) of `element` is written.

        Only the element's own start tag is scanned, attribute by attribute, so a value
        that happens to contain `Name=` is never mistaken for the attribute.
        """
        offset = self._start(element)
        if offset is None:
            return self.source.location(_sourceline(element), None, pointer)
        name_end = _START_TAG_NAME.match(self.text, offset)
        position = name_end.end() if name_end is not None else offset
        while (match := _ATTRIBUTE.match(self.text, position)) is not None:
            name = match.group(1)
            if name == attribute or (
                name.endswith(":" + attribute) and not name.startswith("xmlns:")
            ):
                line, column = self._line_column(match.start(1))
                return self.source.location(line, column, pointer)
            position = match.end()
        line, column = self._line_column(offset)
        return self.source.location(line, column, pointer)

    def _start(self, element: etree._Element) -> int | None:
        """Return the offset of an element's start tag (None if it cannot be told).

        lxml reports only a line per element, the one where the start tag *closes*
        (style.md B4). The offsets of every start tag are found once, on first use,
        in one pass over the text, and paired with the elements in document order;
        lines and columns are worked out only for the elements someone asks about.
        """
        if self._starts is None:
            self._starts = _index_starts(self.text, self.root)
        return self._starts.get(element)

    def _line_column(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of a character offset of the text.

        The offsets where lines start are listed once, on first use, so that each
        position costs a binary search however long the lines are and in whatever
        order positions are asked for.
        """
        if self._line_starts is None:
            self._line_starts = [0] + [match.end() for match in _NEWLINE.finditer(self.text)]
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


_PARSERS = threading.local()


def _parser() -> etree.XMLParser:
    """Return this thread's parser, with every unsafe feature switched off.

    A new parser costs a quarter of parsing an export on its first document, and lxml
    lets one parse document after document, though never two threads at once: one
    parser per thread (`--jobs` forks processes, each with its own).
    """
    parser: etree.XMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        from lxml import etree

        parser = _PARSERS.parser = etree.XMLParser(
            encoding="utf-8",
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=False,
            collect_ids=False,
        )
    return parser


def _index_starts(text: str, root: etree._Element) -> dict[etree._Element, int]:
    """Pair every element with the offset of its start tag, in document order.

    The dictionary keeps the element proxies alive, so lxml hands out the same objects
    for the same nodes and lookups by identity work. If the counts disagree (they
    should not for a document lxml parsed), positions fall back to lxml's lines.
    """
    from lxml import etree

    elements = list(root.iter(etree.Element))
    if "<!" in text or "<?" in text:
        # A comment, CDATA section or processing instruction may hold a "<" of its own.
        # `lastindex` is set only when group 1 (a start tag's name) took part in a match.
        offsets = [match.start() for match in re.finditer(_MARKUP, text) if match.lastindex]
    else:
        # Every "<" opens a start or an end tag (the XML declaration is blanked).
        offsets = [match.start() for match in _START_TAG.finditer(text)]
    if len(offsets) != len(elements):
        return {}
    return dict(zip(elements, offsets, strict=True))


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of a character offset of `text`."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _refused(source: Source, message: str, line: int | None, column: int | None) -> XmlRejected:
    """Return the exception that refuses a document for safety (INP004)."""
    return XmlRejected(InputProblem("INP004", message, source.location(line, column)))


def _syntax_problem(
    source: Source, error: etree.XMLSyntaxError, limits: input_limits.Limits
) -> InputProblem:
    """Turn a libxml2 error into INP001 (malformed) or INP004 (one of its safety limits).

    libxml2 enforces its own ceilings (nesting deeper than 256, a text node or name
    longer than its maximum) unless XML_PARSE_HUGE is set; hitting one means the input
    is beyond what s2slint accepts, not that it is malformed. Its advice to set that
    option is for programmers and is left out of the message.
    """
    from lxml import etree

    line, column = error.position if error.position else (None, None)
    message = str(error.msg or error).split(", line ")[0].strip()
    location = source.location(line or None, column or None)
    # libxml2's own ceilings (nesting, text node and name sizes) fail with these codes.
    code = cast("int", getattr(error, "code", 0))  # untyped in lxml-stubs
    if code not in (etree.ErrorTypes.ERR_RESOURCE_LIMIT, etree.ErrorTypes.ERR_NAME_TOO_LONG):
        return InputProblem("INP001", f"malformed XML: {message}", location)
    if "depth" in message.lower():
        reason = f"XML elements nested more than {limits.max_xml_depth} levels deep refused"
    else:
        reason = f"XML refused, beyond libxml2's safety limits: {re.sub(_HUGE_ADVICE, '', message)}"
    return InputProblem("INP004", reason, location)


def _sourceline(element: etree._Element) -> int | None:
    """Return lxml's line number of an element (the stubs type it loosely)."""
    return cast("int | None", element.sourceline)


def _local(element: etree._Element) -> str:
    """Return an element's name without its namespace."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def local_name(element: etree._Element) -> str:
    """Return an element's local name (namespace-agnostic matching, never by prefix)."""
    return _local(element)


def namespace(element: etree._Element) -> str:
    """Return an element's namespace URI ("" when it has none)."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].partition("}")[0]


def root_signature(head: str) -> tuple[str, str] | None:
    """Return (local name, namespace) of the root element from a text prefix, cheaply.

    Used by loaders' `sniff` so that recognising a file does not parse all of it.
    """
    position = 0
    while True:
        start = head.find("<", position)
        if start < 0 or start + 1 >= len(head):
            return None
        following = head[start + 1]
        if following in "?!":
            position = start + 1
            if head.startswith("<!--", start):
                end = head.find("-->", start)
                if end < 0:
                    return None
                position = end + 3
            continue
        match = re.match(r"<([\w.-]+:)?([\w.-]+)([^>]*)", head[start:])
        if match is None:
            return None
        prefix = (match.group(1) or "").rstrip(":")
        attrs = match.group(3)
        ns_attr = "xmlns:" + prefix if prefix else "xmlns"
        ns = re.search(re.escape(ns_attr) + r"\s*=\s*[\"']([^\"']*)[\"']", attrs)
        return (match.group(2), ns.group(1) if ns else "")
