"""A located value holds its position inline and still reports the `Location` it did.

`Located` keeps path, line, column and pointer as its own fields (one object per value
instead of two); `loc` rebuilds the equal `Location`. Values located straight from a
CLIXML element must be where `element_location` says, the cache writes one flat list
per located value, and an entry whose inline position has a field of the wrong type
is a miss.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from conftest import make_source
from exports import CLIXML_HEADER, position_of

from s2slint.cache import FORMAT, decode_result, encode_result
from s2slint.findings import Location
from s2slint.loaders.base import LoadResult
from s2slint.loaders.clixml import PSObject, PSProperty, read_clixml
from s2slint.loaders.powershell import flag, moment, name_of, text
from s2slint.loaders.xmldoc import XmlDocument
from s2slint.model import Located, Machine, OAuthConfiguration, Pool, Topology

HERE = Location("lync/oauth.xml", 9, 7, "obj[0].Realm")

EXPORT = (
    CLIXML_HEADER
    + """  <Obj RefId="0">
    <TN RefId="0"><T>Some.Type</T></TN>
    <ToString>Global</ToString>
    <Props>
      <S N="Identity">Global</S>
      <B N="Enabled">true</B>
      <DT N="NotAfter">2027-03-01T14:16:02Z</DT>
      <S
          N="Realm">litwareinc.com</S>
    </Props>
  </Obj>
</Objs>
"""
)


def _object(document: XmlDocument) -> PSObject:
    (top,) = read_clixml(document).objects
    assert isinstance(top.value, PSObject)
    return top.value


def test_located_at_keeps_every_part_of_the_location() -> None:
    value = Located.at("litwareinc.com", HERE)
    assert (value.value, value.path, value.line, value.column, value.pointer) == (
        "litwareinc.com",
        "lync/oauth.xml",
        9,
        7,
        "obj[0].Realm",
    )
    assert value.loc == HERE
    assert value == Located("litwareinc.com", "lync/oauth.xml", 9, 7, "obj[0].Realm")
    assert hash(value) == hash(Located.at("litwareinc.com", HERE))
    assert value != Located.at("litwareinc.com", HERE.with_pointer("obj[1].Realm"))
    assert Located.at("x", Location("a.cer")).loc == Location("a.cer")


def test_a_clixml_value_located_inline_is_where_its_element_is() -> None:
    source = make_source(EXPORT)
    document = XmlDocument.parse(source)
    obj = _object(document)
    for name in ("Identity", "Enabled", "NotAfter", "Realm"):
        prop = obj.properties[name]
        assert prop.located(prop.value).loc == prop.loc
    realm = text(obj, "Realm")
    assert realm is not None
    # The start tag spread over two lines is located where it opens.
    line, column = position_of(EXPORT, "<S\n")
    assert (realm.path, realm.line, realm.column, realm.pointer) == (
        "lync/export.xml",
        line,
        column,
        "obj[0].Realm",
    )
    enabled, not_after, name = flag(obj, "Enabled"), moment(obj, "NotAfter"), name_of(obj)
    assert enabled is not None and not_after is not None and name is not None
    assert enabled.loc == obj.properties["Enabled"].loc
    assert (enabled.line, enabled.column) == position_of(EXPORT, '<B N="Enabled"')
    assert not_after.value == datetime(2027, 3, 1, 14, 16, 2, tzinfo=UTC)
    assert not_after.loc == obj.properties["NotAfter"].loc
    assert name.loc == obj.loc and (name.line, name.column) == position_of(EXPORT, "<Obj ")


def test_without_start_tag_offsets_a_value_keeps_lxml_s_line_and_no_column() -> None:
    document = XmlDocument.parse(make_source(EXPORT))
    document._starts = {}  # the fallback when the tags cannot be paired with elements
    obj = _object(document)
    prop = obj.properties["Realm"]
    located = prop.located("litwareinc.com")
    assert located.loc == prop.loc
    assert (located.line, located.column) == (position_of(EXPORT, "litwareinc.com")[0], None)


def test_a_value_read_from_json_or_csv_is_located_at_its_location() -> None:
    prop = PSProperty("Realm", "litwareinc.com", "S", HERE)
    assert prop.located("litwareinc.com") == Located.at("litwareinc.com", HERE)


RESULT = LoadResult(
    "clixml:lync-oauth-configuration",
    records=(
        OAuthConfiguration(
            loc=HERE,
            identity=Located.at("Global", HERE.with_pointer("obj[0].Identity")),
            exchange_autodiscover_url=None,
            realm=Located.at("litwareinc.com", HERE),
            service_name=None,
        ),
        Topology(
            form="published",
            loc=Location("lync/topology.xml", 1, 1),
            default_domain=Located.at("litwareinc.com", Location("lync/topology.xml", 3, 5)),
            sip_domains=(
                Located.at("litwareinc.com", Location("lync/topology.xml", 4, 7, "/a")),
                Located.at("contoso.com", Location("lync/topology.xml")),
            ),
            sites=("Atlanta",),
            pools=(
                Pool(
                    Located.at("pool.litwareinc.com", Location("lync/topology.xml", 9, 3)),
                    "Atlanta",
                    (Machine(Located.at("fe.litwareinc.com", Location("lync/topology.xml"))),),
                    ("UserServices",),
                ),
            ),
        ),
    ),
)


def test_the_cache_writes_a_located_value_as_one_flat_list_and_reads_it_back() -> None:
    body = encode_result(RESULT)
    assert '["litwareinc.com","lync/oauth.xml",9,7,"obj[0].Realm"]' in body
    assert decode_result(body) == RESULT
    realm = decode_result(body).records[0].realm  # type: ignore[union-attr]
    assert type(realm) is Located and realm.loc == HERE


@pytest.mark.parametrize(
    "damaged",
    [
        '["litwareinc.com","lync/oauth.xml","9",7,"obj[0].Realm"]',  # line as text
        '["litwareinc.com","lync/oauth.xml",9,[7],"obj[0].Realm"]',  # column as a list
        '["litwareinc.com","lync/oauth.xml",9,7.5,"obj[0].Realm"]',  # column a float
        '["litwareinc.com",null,9,7,"obj[0].Realm"]',  # no path
        '["litwareinc.com","lync/oauth.xml",9,7,4]',  # pointer as a number
        '["litwareinc.com","lync/oauth.xml",9,7]',  # a field short
        '["litwareinc.com",["lync/oauth.xml",9,7,"obj[0].Realm"]]',  # the old nested shape
    ],
)
def test_an_entry_whose_inline_position_does_not_fit_is_a_miss(damaged: str) -> None:
    genuine = encode_result(RESULT)
    body = genuine.replace('["litwareinc.com","lync/oauth.xml",9,7,"obj[0].Realm"]', damaged)
    assert body != genuine
    assert json.loads(body)["format"] == FORMAT
    assert decode_result(body) is None
