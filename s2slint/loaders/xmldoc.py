"""Parse XML exports safely and give every element and attribute a line and column.

lxml reports only a line per element, and for a start tag spread over several lines it
is the line where the tag *closes* (style.md B4). `XmlDocument` therefore keeps the
decoded text and scans it back to the `<Tag` and forward to `Name=` so findings point
where an administrator would look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from s2slint.findings import Location
from s2slint.loaders.base import InputProblem, Source

if TYPE_CHECKING:
    from lxml import etree

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)


class XmlRejected(Exception):
    """The document cannot be read; `problem` says why (INP001 or INP004)."""

    def __init__(self, problem: InputProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _blank(match: re.Match[str]) -> str:
    """Replace a matched span by spaces, keeping its line breaks (positions stay put)."""
    return re.sub(r"[^\n]", " ", match.group(0))


@dataclass
class XmlDocument:
    """A parsed XML file with the text it came from, for positions."""

    source: Source
    root: etree._Element
    lines: list[str]
    _seen: dict[tuple[int, str], int] = field(default_factory=dict)

    @classmethod
    def parse(cls, source: Source) -> XmlDocument:
        """Parse `source` with entities, DTDs and network access switched off.

        The XML declaration is blanked out before parsing: the bytes were already
        decoded (see `loaders.text`), and PowerShell's `Out-File` writes UTF-16 text
        whose declaration still says utf-8. A DOCTYPE is refused outright: no genuine
        export carries one, and it is how entity-expansion attacks begin.
        """
        from lxml import etree

        text = _XML_DECLARATION.sub(_blank, source.text, count=1)
        doctype = _DOCTYPE.search(text)
        if doctype is not None:
            line = text.count("\n", 0, doctype.start()) + 1
            column = doctype.start() - (text.rfind("\n", 0, doctype.start()) + 1) + 1
            raise XmlRejected(
                InputProblem(
                    "INP004",
                    "document type declaration (DOCTYPE) refused: exports never carry one "
                    "and s2slint does not process DTDs or entities",
                    source.location(line, column),
                )
            )
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=False,
        )
        try:
            root = etree.fromstring(text.encode("utf-8"), parser)
        except etree.XMLSyntaxError as error:
            line, column = error.position if error.position else (None, None)
            message = str(error.msg or error).split(", line ")[0]
            raise XmlRejected(
                InputProblem(
                    "INP001",
                    f"malformed XML: {message}",
                    source.location(line or None, column or None),
                )
            ) from None
        if root is None:
            raise XmlRejected(InputProblem("INP001", "empty XML document", source.location()))
        return cls(source=source, root=root, lines=text.split("\n"))

    def element_location(self, element: etree._Element, pointer: str | None = None) -> Location:
        """Return where `element`'s start tag begins (`<` of `<Tag`)."""
        line, column = self._start_of(element)
        return self.source.location(line, column, pointer)

    def attribute_location(
        self, element: etree._Element, attribute: str, pointer: str | None = None
    ) -> Location:
        """Return where attribute `attribute` of `element` is written."""
        line, column = self._start_of(element)
        if line is None:
            return self.source.location(None, None, pointer)
        end = _sourceline(element) or line
        pattern = re.compile(r"(?<![\w:.-])(?:[\w.-]+:)?" + re.escape(attribute) + r"\s*=")
        for number in range(line, min(end, len(self.lines)) + 1):
            text = self.lines[number - 1]
            start = (column or 1) - 1 if number == line else 0
            match = pattern.search(text, start)
            if match is not None:
                return self.source.location(number, match.start() + 1, pointer)
        return self.source.location(line, column, pointer)

    def _start_of(self, element: etree._Element) -> tuple[int | None, int | None]:
        """Find the line and column of `<Tag` for an element lxml placed on its end line."""
        end = _sourceline(element)
        if end is None or end < 1 or end > len(self.lines):
            return (end, None)
        qname = element.prefix + ":" if element.prefix else ""
        qname += _local(element)
        pattern = re.compile("<" + re.escape(qname) + r"(?=[\s/>]|$)")
        # Several elements of the same name may share one line (`<S>..</S><S>..</S>`):
        # count the earlier siblings on that line to pick the right occurrence.
        index = 0
        sibling = element.getprevious()
        while sibling is not None and _sourceline(sibling) == end:
            if sibling.tag == element.tag:
                index += 1
            sibling = sibling.getprevious()
        matches = list(pattern.finditer(self.lines[end - 1]))
        if len(matches) > index:
            return (end, matches[index].start() + 1)
        for number in range(end - 1, 0, -1):
            found = list(pattern.finditer(self.lines[number - 1]))
            if found:
                return (number, found[-1].start() + 1)
        return (end, None)


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
