"""Each limit of `s2slint.limits` holds exactly at its value, in the loader that owns it.

Limits are lowered with monkeypatch so that inputs stay small: a value at the limit is
read, one past it is refused with INP004 at the place it was crossed. The defaults
themselves are checked against the hostile inputs in `test_hostile_inputs.py`.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from conftest import make_source
from hostile import (
    OAUTH_TYPE,
    OBJS,
    ZONE_HEAD,
    bad_values,
    clixml_list,
    dangling_ref,
    deep_nesting,
    deep_objects,
    escape_run,
    many_attributes,
    pem_blocks,
    pfx,
    run_check,
    self_ref,
    unknown_tags,
    write_good_bundle,
    xinclude,
    zone_many_records,
)
from lxml import etree

from s2slint import limits as input_limits
from s2slint.loaders import certs, zone
from s2slint.loaders.base import LoadContext, LoadResult, Source
from s2slint.loaders.clixml import PSObject, read_clixml, unescape
from s2slint.loaders.dispatch import load_file
from s2slint.loaders.powershell import load_clixml
from s2slint.loaders.xmldoc import XmlDocument, XmlRejected
from s2slint.model import Certificate
from s2slint.plugins import load_registry


@pytest.fixture
def lower(monkeypatch: pytest.MonkeyPatch) -> object:
    """Return a function that sets some limits for the duration of a test."""

    def apply(**changes: int) -> None:
        replaced = dataclasses.replace(input_limits.Limits(), **changes)
        monkeypatch.setattr(input_limits, "DEFAULT_LIMITS", replaced)

    return apply


def _rejected(data: bytes | str) -> XmlRejected:
    with pytest.raises(XmlRejected) as caught:
        XmlDocument.parse(make_source(data))
    return caught.value


def _codes(result: LoadResult) -> list[str]:
    return [problem.code for problem in result.problems]


# ------------------------------------------------------------------ the dataclass


def test_defaults_are_documented_values_and_frozen() -> None:
    limits = input_limits.Limits()
    assert limits == input_limits.DEFAULT_LIMITS
    assert input_limits.active() is input_limits.DEFAULT_LIMITS
    assert limits.max_xml_depth <= input_limits.LIBXML2_MAX_DEPTH
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.max_file_bytes = 1  # type: ignore[misc]


@pytest.mark.parametrize("value", [0, -1, True, 1.5, "10"])
def test_a_limit_that_would_switch_a_protection_off_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="max_lines must be a positive integer"):
        input_limits.Limits(max_lines=value)  # type: ignore[arg-type]


def test_depth_beyond_what_libxml2_enforces_is_refused() -> None:
    with pytest.raises(ValueError, match="at most 256"):
        input_limits.Limits(max_xml_depth=257)
    assert input_limits.Limits(max_xml_depth=256).max_xml_depth == 256


def test_replacing_the_defaults_takes_effect_at_the_next_file(lower: object) -> None:
    text = f"{OBJS}<Obj/></Objs>"
    XmlDocument.parse(make_source(text))
    lower(max_xml_depth=1)  # type: ignore[operator]
    assert "1 levels deep" in _rejected(text).problem.message


# -------------------------------------------------------------------------- XML


def test_depth_at_the_limit_is_read_and_one_more_refused_where_it_is(lower: object) -> None:
    lower(max_xml_depth=10)  # type: ignore[operator]
    XmlDocument.parse(make_source(deep_nesting(9)))  # Objs + 9 levels = 10
    problem = _rejected(deep_nesting(10)).problem
    assert problem.code == "INP004"
    # The 11th element is the 10th <Obj>: located at its own start tag.
    assert (problem.location.line, problem.location.column) == (1, len(OBJS) + 9 * 5 + 1)


def test_nesting_beyond_libxml2s_own_ceiling_is_inp004_not_a_parse_error() -> None:
    problem = _rejected(deep_nesting(300)).problem
    assert problem.code == "INP004"
    assert "levels deep" in problem.message and "XML_PARSE_HUGE" not in problem.message


def test_attributes_at_the_limit_are_read_and_one_more_refused(lower: object) -> None:
    lower(max_xml_attributes=5)  # type: ignore[operator]
    XmlDocument.parse(make_source(many_attributes(5)))
    problem = _rejected(many_attributes(6)).problem
    assert (problem.code, problem.location.line) == ("INP004", 2)
    assert "6 attributes" in problem.message


def test_elements_beyond_the_limit_are_refused_before_parsing(lower: object) -> None:
    lower(max_xml_elements=20)  # type: ignore[operator]
    text = OBJS + "<S>a</S>" * 19 + "</Objs>"
    XmlDocument.parse(make_source(text))
    problem = _rejected(OBJS + "<S>a</S>" * 20 + "</Objs>").problem
    assert (problem.code, problem.location.line) == ("INP004", None)
    assert "21 tags" in problem.message


def test_lines_and_line_length_limits(lower: object) -> None:
    lower(max_lines=5, max_line_chars=100)  # type: ignore[operator]
    XmlDocument.parse(make_source(OBJS + "\n\n\n\n</Objs>"))  # 5 lines
    assert "6 lines" in _rejected(OBJS + "\n\n\n\n\n</Objs>").problem.message
    wide = f"{OBJS}\n<S>{'x' * 100}</S></Objs>"
    problem = _rejected(wide).problem
    assert (problem.code, problem.location.line, problem.location.column) == ("INP004", 2, 1)


def test_file_size_limit_applies_to_sources_that_did_not_come_from_the_walk(
    lower: object,
) -> None:
    lower(max_file_bytes=50)  # type: ignore[operator]
    assert "bytes" in _rejected(f"{OBJS}</Objs>").problem.message


def test_text_node_beyond_libxml2s_limit_is_inp004() -> None:
    # 11 MB of text in one node, on short lines: within s2slint's own text limits,
    # beyond libxml2's ten million characters.
    text = f"{OBJS}<S>" + ("x" * 999 + "\n") * 11_000 + "</S></Objs>"
    problem = _rejected(text).problem
    assert problem.code == "INP004"
    assert "Text node too long" in problem.message


def test_name_beyond_libxml2s_limit_is_inp004() -> None:
    problem = _rejected(f"{OBJS}<{'a' * 60_000}/></Objs>").problem
    assert problem.code == "INP004"


def test_the_encoding_is_never_guessed_from_the_bytes_lxml_sees() -> None:
    # Text that decoded as UTF-8 but whose bytes, re-encoded, would start like UTF-16
    # to libxml2 (a NUL after each character): refused as malformed, never reread as
    # UTF-16 with a DOCTYPE the check did not see.
    doc = '<!DOCTYPE Objs [<!ENTITY a "b">]><Objs>&a;</Objs>'
    data = b"\xef\xbb\xbf" + doc.encode("utf-16-le")
    assert _rejected(data).problem.code == "INP001"


def test_xinclude_is_never_processed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Canary-XInclude-Content\n")
    document = XmlDocument.parse(make_source(xinclude(secret)))
    assert b"Canary-XInclude-Content" not in etree.tostring(document.root)
    assert [child.get("href") for child in document.root if isinstance(child.tag, str)] == [
        f"file://{secret}",
        str(secret),
    ]


def test_attribute_location_ignores_a_value_that_looks_like_the_attribute() -> None:
    text = '<Root>\n  <Cluster Note="Fqdn=wrong" Fqdn="pool.litwareinc.com"/>\n</Root>'
    document = XmlDocument.parse(make_source(text))
    location = document.attribute_location(document.root[0], "Fqdn")
    assert (location.line, location.column) == (2, text.splitlines()[1].index(" Fqdn=") + 2)


def test_many_elements_on_one_line_get_exact_columns() -> None:
    # The former scan counted earlier siblings on the line for every element
    # (quadratic); the index gives each its column in one pass.
    count = 5_000
    text = f'{OBJS}<Obj RefId="0"><Props>' + '<S N="x">v</S>' * count + "</Props></Obj></Objs>"
    document = XmlDocument.parse(make_source(text))
    props = document.root[0][0]
    first = len(OBJS) + len('<Obj RefId="0"><Props>') + 1
    for index in (0, 1, count // 2, count - 1):
        location = document.element_location(props[index])
        assert (location.line, location.column) == (1, first + index * len('<S N="x">v</S>'))


def test_one_line_of_ninety_thousand_values_is_read_without_hanging(tmp_path: Path) -> None:
    # 1.7 MB on one line: within every limit, read in a subprocess under the hang
    # guard (the former position scan took minutes on this).
    bundle = tmp_path / "bundle"
    write_good_bundle(bundle)
    items = "<S>autodiscover.litwareinc.com</S>" * 90_000
    text = (
        f'{OBJS}<Obj RefId="0"><TN RefId="0"><T>{OAUTH_TYPE}</T></TN><Props>'
        '<S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/'
        f'autodiscover.svc</S><Obj N="Names" RefId="1"><LST>{items}</LST></Obj>'
        "</Props></Obj></Objs>"
    )
    (bundle / "one-line.xml").write_text(text, encoding="utf-8")
    run = run_check(tmp_path, "bundle")
    assert run.codes("bundle/one-line.xml") == []
    assert "OAU001" in run.codes("bundle/lync/oauth-configuration.xml")


# ------------------------------------------------------------------------ CLIXML


def _clixml(data: bytes | str) -> LoadResult:
    return load_clixml(make_source(data), LoadContext())


def test_list_at_the_limit_is_read_and_one_more_refuses_the_file(lower: object) -> None:
    lower(max_clixml_list_items=50)  # type: ignore[operator]
    assert "INP004" not in _codes(_clixml(clixml_list(50)))
    result = _clixml(clixml_list(51))
    assert [(p.code, p.location.line) for p in result.problems] == [("INP004", 3)]
    assert "LST with 51 items" in result.problems[0].message
    assert result.records == ()


def test_dictionary_beyond_the_limit_is_refused(lower: object) -> None:
    lower(max_clixml_list_items=2)  # type: ignore[operator]
    entry = '<En><S N="Key">k</S><S N="Value">v</S></En>'
    text = f'{OBJS}\n<Obj RefId="0"><DCT>{entry * 3}</DCT></Obj></Objs>'
    assert _codes(_clixml(text)) == ["INP004"]


def test_problems_beyond_the_per_file_limit_are_counted_not_listed(lower: object) -> None:
    lower(max_problems_per_file=3)  # type: ignore[operator]
    document = read_clixml(XmlDocument.parse(make_source(bad_values(10))))
    assert [p.location.line for p in document.problems] == [3, 4, 5, 6]
    assert "7 more problems" in document.problems[-1].message


def test_objects_nested_to_the_depth_limit_are_read_without_recursion_trouble(
    lower: object,
) -> None:
    # Each object adds two XML levels (Obj, Props); at the highest depth libxml2
    # allows, the reader's recursion must still be far from Python's limit.
    lower(max_xml_depth=input_limits.LIBXML2_MAX_DEPTH)  # type: ignore[operator]
    document = read_clixml(XmlDocument.parse(make_source(deep_objects(127))))
    value = document.objects[0].value
    depth = 0
    while isinstance(value, PSObject):
        depth += 1
        inner = value.get("p")
        value = inner.value if inner is not None else None
    assert depth == 127


def test_references_resolve_only_backwards_so_no_cycle_can_form() -> None:
    for data in (dangling_ref(), self_ref()):
        document = read_clixml(XmlDocument.parse(make_source(data)))
        assert [p.code for p in document.problems] == ["INP001"]
        assert isinstance(document.objects[0].value, PSObject)


def test_unknown_tags_are_kept_and_the_object_still_recognised() -> None:
    result = _clixml(unknown_tags())
    assert result.kind == "clixml:lync-oauth-configuration"
    assert [p.code for p in result.problems] == []


def test_a_long_run_of_escapes_is_decoded_in_one_pass() -> None:
    assert unescape("_x0041_" * 200_000) == "A" * 200_000
    assert unescape("_xD83D__xDE00_ and _xD800_") == "\U0001f600 and \ufffd"
    document = read_clixml(XmlDocument.parse(make_source(escape_run(100_000))))
    assert document.objects[0].value == "A" * 100_000


# ------------------------------------------------------------------------- zones


def _zone(data: bytes) -> LoadResult:
    return zone.load(make_source(data, display="dns/litwareinc.com.dns"), LoadContext())


def test_records_at_the_limit_are_read_and_one_more_refuses_the_zone(lower: object) -> None:
    lower(max_zone_records=23)  # type: ignore[operator]
    assert _codes(_zone(zone_many_records(20))) == []  # SOA, NS and A of the head + 20
    result = _zone(zone_many_records(21))
    assert [(p.code, p.location.line) for p in result.problems] == [("INP004", 26)]
    assert result.records == ()


def test_generate_counts_towards_the_record_limit(lower: object) -> None:
    lower(max_zone_records=100, max_zone_generate=60)  # type: ignore[operator]
    ok = ZONE_HEAD + "$GENERATE 1-60 a$ A 10.0.0.1\n"
    assert _codes(_zone(ok.encode())) == []
    over = ok + "$GENERATE 1-60 b$ A 10.0.0.1\n"
    assert [(p.code, p.location.line) for p in _zone(over.encode()).problems] == [("INP004", 7)]
    single = ZONE_HEAD + "$GENERATE 1-61 c$ A 10.0.0.1\n"
    assert "more than the 60" in _zone(single.encode()).problems[0].message


def test_zone_lines_and_line_length_limits(lower: object) -> None:
    lower(max_lines=8, max_line_chars=200)  # type: ignore[operator]
    assert _codes(_zone((ZONE_HEAD + "\n\n").encode())) == []
    assert "lines" in _zone((ZONE_HEAD + "\n\n\n\n").encode()).problems[0].message
    wide = (ZONE_HEAD + 'txt IN TXT "' + "a" * 200 + '"\n').encode()
    assert [(p.code, p.location.line) for p in _zone(wide).problems] == [("INP004", 6)]


# ------------------------------------------------------------------ certificates


def test_pem_blocks_beyond_the_limit_are_refused(lower: object) -> None:
    lower(max_pem_blocks=3)  # type: ignore[operator]
    source = make_source(pem_blocks(3), display="certs/bundle.pem")
    assert "INP004" not in _codes(certs.load_pem(source, LoadContext()))
    source = make_source(pem_blocks(4), display="certs/bundle.pem")
    result = certs.load_pem(source, LoadContext())
    assert _codes(result) == ["INP004"] and "4 blocks" in result.problems[0].message


def test_certificate_problems_beyond_the_per_file_limit_are_counted(lower: object) -> None:
    lower(max_problems_per_file=2)  # type: ignore[operator]
    result = certs.load_pem(make_source(pem_blocks(5), display="b.pem"), LoadContext())
    assert [p.location.line for p in result.problems] == [1, 4, 7]
    assert "3 more problems" in result.problems[-1].message


def test_oversized_certificate_files_are_refused(lower: object) -> None:
    lower(max_file_bytes=100)  # type: ignore[operator]
    data = pfx("x")
    source = Source(Path("a.pfx"), "a.pfx", data)
    assert _codes(certs.load_binary(source, LoadContext())) == ["INP004"]


def _negative_serial_certificate() -> bytes:
    """A DER certificate whose serial number is negative (cryptography warns on it)."""
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    container = pfx("x")
    _, cert, _ = pkcs12.load_key_and_certificates(container, b"x")
    assert cert is not None
    der = cert.public_bytes(Encoding.DER)
    at = der.index(b"\x02\x01\x01")  # the serial number 1
    return der[:at] + b"\x02\x01\xff" + der[at + 3 :]


def test_certificates_that_make_cryptography_warn_are_read_without_a_warning() -> None:
    # Under this suite's filterwarnings = error, an escaping warning would be an
    # exception, hence INP005: each container is read quietly instead.
    import base64
    import warnings

    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        pkcs7,
        pkcs12,
    )

    der = _negative_serial_certificate()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cert = x509.load_der_x509_certificate(der)
    p7b = pkcs7.serialize_certificates([cert], Encoding.DER)
    container = pkcs12.serialize_key_and_certificates(b"n", None, cert, None, NoEncryption())
    pem = b"-----BEGIN PKCS7-----\n" + base64.encodebytes(p7b) + b"-----END PKCS7-----\n"
    loaders = load_registry(entry_points=False).loaders
    for name, data in (("a.cer", der), ("a.p7b", p7b), ("a.pfx", container), ("a.pem", pem)):
        result = load_file(Source(Path(name), name, data), loaders, LoadContext())
        assert _codes(result) == [], (name, result.problems)
        (record,) = result.records
        assert isinstance(record, Certificate) and record.serial_number == "FF", name


def test_limits_module_imports_nothing_from_s2slint() -> None:
    tree = ast.parse(Path(input_limits.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [name for name in imported if name and name.startswith("s2slint")]
