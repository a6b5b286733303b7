"""Positions and safety of the XML layer every XML loader uses."""

from __future__ import annotations

import pytest
from conftest import make_source

from s2slint.loaders.text import decode, detect_encoding
from s2slint.loaders.xmldoc import XmlDocument, XmlRejected, root_signature

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
