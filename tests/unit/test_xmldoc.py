"""Positions and safety of the XML layer every XML loader uses."""

from __future__ import annotations

import random
import re

import pytest
from conftest import make_source

from s2slint.loaders.text import decode, detect_encoding
from s2slint.loaders.xmldoc import ElementPosition, XmlDocument, XmlRejected, root_signature

MULTILINE = """<Root xmlns="urn:x">
  <Item Name="a" />
  <Machine
      OrdinalInCluster="1"
      Fqdn="atl-fe-01.litwareinc.com">
    <Inner/>
  </Machine>
  <S N="x">1</S><S N="y">2</S>
</Root>
"""


def test_multiline_start_tag_points_at_its_opening_line_not_its_closing_line() -> None:
    document = XmlDocument.parse(make_source(MULTILINE))
    machine = document.root[1]
    assert machine.sourceline == 5  # what lxml says: the line the tag closes on
    loc = document.element_location(machine)
    assert (loc.line, loc.column) == (3, 3)


def test_attribute_location_finds_the_line_of_the_attribute() -> None:
    document = XmlDocument.parse(make_source(MULTILINE))
    loc = document.attribute_location(document.root[1], "Fqdn", "/Machine/@Fqdn")
    assert (loc.line, loc.column, loc.pointer) == (5, 7, "/Machine/@Fqdn")


def test_two_elements_of_one_name_on_one_line_get_their_own_columns() -> None:
    document = XmlDocument.parse(make_source(MULTILINE))
    first, second = document.root[2], document.root[3]
    assert document.element_location(first).column == 3
    assert (
        document.element_location(second).column == MULTILINE.splitlines()[7].index('<S N="y"') + 1
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-8"])
def test_positions_survive_every_encoding_and_crlf(encoding: str) -> None:
    text = MULTILINE.replace("\n", "\r\n")
    document = XmlDocument.parse(make_source(text, encoding=encoding))
    loc = document.element_location(document.root[1])
    assert (loc.line, loc.column) == (3, 3)


# Elements sharing lines, start tags spread over lines, and markup holding "<" that is
# no element (a comment, CDATA, a processing instruction) before the elements it could
# be mistaken for. Every element carries a unique `id`; nothing else contains `id="`.
SHARED_AND_SPREAD = """<?xml version="1.0" encoding="utf-8"?>
<Objs id="e0" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <!-- <Obj id="x0"> is no element --><Obj id="e1"><S id="e2">a</S><S id="e3">b</S></Obj>
  <Obj
     N="Spread"
         id="e4"><![CDATA[ <S id="x1"> ]]><S id="e5"
  >c</S><?pi <S id="x2"> ?><I32 id="e6">1</I32></Obj><Nil id="e7" /><S id="e8">d</S>
</Objs>
"""


def expected_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column of a character offset, counted afresh (the test's own oracle)."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("order", ["document", "reversed", "shuffled"])
@pytest.mark.parametrize("other_markup", [True, False])
def test_every_element_and_attribute_is_located_exactly_in_whatever_order_asked(
    encoding: str, newline: str, order: str, other_markup: bool
) -> None:
    # Positions are worked out only when asked for; the order of asking (records ask
    # for properties in their own order) must never change a line or a column. Start
    # tags are found another way when no comment, CDATA or instruction can hold a "<".
    text = SHARED_AND_SPREAD.replace("\n", newline)
    if not other_markup:
        text = re.sub(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?pi.*?\?>", "", text)
        assert "<!" not in text and text.count("<?") == 1  # the declaration only
    document = XmlDocument.parse(make_source(text, encoding=encoding))
    elements = [element for element in document.root.iter() if isinstance(element.tag, str)]
    assert len(elements) == 9
    if order == "reversed":
        elements.reverse()
    elif order == "shuffled":
        random.Random(18).shuffle(elements)
    for element in elements:
        ident = element.get("id")
        assert ident is not None
        attribute = text.index(f'id="{ident}"')
        tag = text.rindex("<", 0, attribute)
        located = document.element_location(element, ident)
        assert (located.line, located.column, located.pointer) == (
            *expected_position(text, tag),
            ident,
        )
        at_attribute = document.attribute_location(element, "id")
        assert (at_attribute.line, at_attribute.column) == expected_position(text, attribute)
        missing = document.attribute_location(element, "Missing")
        assert (missing.line, missing.column) == (located.line, located.column)


def test_an_element_position_is_located_only_when_asked() -> None:
    document = XmlDocument.parse(make_source(SHARED_AND_SPREAD))
    spread = document.root[2]  # [0] is the comment
    position = ElementPosition(document, spread, "obj[1]")
    assert document._starts is None  # nothing located yet: no index was built
    assert position.location() == document.element_location(spread, "obj[1]")
    assert (position.location().line, position.location().column) == (4, 3)
    assert "obj[1]" in repr(position) and "line=4" in repr(position)


def test_utf16_file_whose_declaration_says_utf8_still_parses() -> None:
    # `Get-CsTopology -AsXml | Out-File` writes exactly this.
    text = '<?xml version="1.0" encoding="utf-8"?>\n<Topology xmlns="urn:x"><A/></Topology>'
    document = XmlDocument.parse(make_source(text, encoding="utf-16"))
    assert document.root[0].sourceline == 2


def test_utf16_without_bom_is_detected() -> None:
    data = "<Objs><Obj/></Objs>".encode("utf-16-le")
    assert detect_encoding(data) == "utf-16-le"
    assert decode(data) == "<Objs><Obj/></Objs>"


def test_doctype_is_refused_as_unsafe_input() -> None:
    text = '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa">]>\n<r>&a;</r>'
    with pytest.raises(XmlRejected) as caught:
        XmlDocument.parse(make_source(text))
    assert caught.value.problem.code == "INP004"
    assert caught.value.problem.location.line == 2


def test_malformed_xml_is_a_parse_error_with_its_position() -> None:
    text = "<Objs>\n  <Obj>\n    <S N='a'>x</Z>\n</Objs>\n"
    with pytest.raises(XmlRejected) as caught:
        XmlDocument.parse(make_source(text))
    problem = caught.value.problem
    assert problem.code == "INP001"
    assert problem.location.line == 3
    assert problem.message.startswith("malformed XML:")


def test_root_signature_reads_root_and_namespace_cheaply() -> None:
    head = '\ufeff<?xml version="1.0"?>\n<!-- c -->\n<ps:Objs xmlns:ps="urn:p" Version="1">'
    assert root_signature(head) == ("Objs", "urn:p")
    assert root_signature("plain text") is None


def test_a_document_after_a_malformed_one_parses_with_its_own_positions() -> None:
    # The parser is kept for the next file: what one document left in it must not show.
    broken = "<Objs>\n<Obj>\n<S N='a'>x</Z>\n</Objs>\n"
    with pytest.raises(XmlRejected):
        XmlDocument.parse(make_source(broken))
    document = XmlDocument.parse(make_source("<r>\n  <a>1</a>\n</r>\n", display="next.xml"))
    located = document.element_location(document.root[0])
    assert (located.path, located.line, located.column) == ("next.xml", 2, 3)
    with pytest.raises(XmlRejected) as caught:
        XmlDocument.parse(make_source("<r>\n\n<b></c>\n</r>\n", display="third.xml"))
    assert caught.value.problem.location.path == "third.xml"
    assert caught.value.problem.location.line == 3


def test_threads_parsing_at_once_each_parse_their_own_documents() -> None:
    from concurrent.futures import ThreadPoolExecutor

    def parse(number: int) -> tuple[str | None, ...]:
        lines = "".join(f"<v>{number}-{index}</v>\n" for index in range(200))
        document = XmlDocument.parse(make_source(f"<r>\n{lines}</r>\n"))
        return tuple(child.text for child in document.root)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(parse, range(64)))
    assert results == [tuple(f"{n}-{i}" for i in range(200)) for n in range(64)]
