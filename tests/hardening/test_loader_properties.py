"""Property tests: whatever bytes a loader is given, it answers with findings only.

Random bytes, byte-level mutations of every genuine-looking export of the healthy
fixture bundle, and structure-aware mutations (XML fragments spliced into CLIXML and
topology files, odd directives into zone files) are given to the loader registry the
way the engine does, and to every registered loader directly, whether its sniffer
claims the input or not. Only INP001-INP004 may come back: an INP005 is an exception a
loader raised, a warning is an exception under this suite's `filterwarnings = error`.

The example counts keep this part of the suite to seconds; the examples are
derandomized so that CI is reproducible. Set `S2SLINT_PROPERTY_EXAMPLES=5000` to
explore with fresh random examples (the atheris harness in `tests/fuzz/` goes further).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bundle_lint import registry
from conftest import FIXTURES
from hypothesis import given
from hypothesis import strategies as st
from properties import QUIET_PATCH_SUGGESTIONS, property_settings

from s2slint.loaders.base import LoadContext, Loader, LoadResult, Secret, Source
from s2slint.loaders.dispatch import load_file
from s2slint.loaders.text import decode
from s2slint.loaders.xmldoc import XmlDocument

pytestmark = QUIET_PATCH_SUGGESTIONS


SEEDS: tuple[Path, ...] = tuple(
    sorted(
        path
        for bundle in (FIXTURES / "healthy", FIXTURES / "pfx-protected")
        for path in bundle.rglob("*")
        if path.is_file()
    )
)
XML_SEEDS = tuple(p for p in SEEDS if p.suffix in (".xml", ".tbxml"))
ZONE_SEEDS = tuple(p for p in SEEDS if p.suffix == ".dns")
CONTEXTS = (LoadContext(), LoadContext(Secret("Litware-Pfx-2026!"), "a test"))
ALLOWED = frozenset({"INP001", "INP002", "INP003", "INP004"})

# Fragments a damaged or hostile export may carry, spliced in anywhere.
XML_FRAGMENTS = (
    "<Obj>",
    "</Obj>",
    '<Obj RefId="0">',
    '<Ref N="x" RefId="0" />',
    '<Ref N="y" RefId="77" />',
    '<TNRef RefId="0" />',
    '<TN RefId="5"><T>Deserialized.System.Object</T></TN>',
    "<LST>",
    "</LST>",
    '<DCT><En><S N="Key">k</S><Obj N="Value"><Props /></Obj></En></DCT>',
    '<S N="Thumbprint">_x0041__xD83D__xDE00__xD800_</S>',
    "<DT>not a date</DT>",
    '<DT N="NotAfter">9999-99-99T99:99:99.99999999Z</DT>',
    "<I32>99999999999999999999999</I32>",
    "<Db>NaN</Db>",
    "<BA>!!notbase64</BA>",
    '<B N="Enabled">maybe</B>',
    "<Nil />",
    "<![CDATA[<Obj><S>]]>",
    "<!-- <Obj RefId='9'> -->",
    "<?pi <Obj?>",
    "&amp;&lt;&#x1F600;&#0;",
    "&undefined;",
    '<!DOCTYPE Objs [<!ENTITY a "aaaa">]>',
    '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>',
    '<Machine Fqdn="x" Fqdn="y"/>',
    '<Cluster Fqdn="a.b" Name="Fqdn=x">',
    "\x00",
    "\ufffe",
    "]]>",
    "<",
    ">",
    '"',
)
ZONE_FRAGMENTS = (
    "$ORIGIN .",
    "$ORIGIN relative",
    "$TTL 1h30m",
    "$TTL x",
    "$INCLUDE /etc/passwd",
    "$GENERATE 1-5 h$ A 10.0.0.$",
    "$GENERATE 1-99999999 h$ A 10.0.0.1",
    "$GENERATE x-y h$ A 10.0.0.1",
    "( ",
    " )",
    '"unterminated',
    "\\",
    "; comment (",
    "[AGE:3702112]",
    "@ IN SOA ns1 hostmaster 1 2 3 4 5",
    "autodiscover IN CNAME autodiscover",
    "autodiscover IN A 10.0.0.1",
    "_sip._tls IN SRV 0 0 443 sip.",
    "x IN WINS 10.0.0.1",
    "x IN TYPE65535 \\# 2 abcd",
    "x IN TXT " + '"a" ' * 300,
    "\x00",
    "\r",
)


def _forced(loader: Loader) -> Loader:
    """Return `loader` claiming every input, as if its sniffer had said yes."""
    return Loader(loader.kind, lambda source: True, loader.load, loader.priority)


def _source(data: bytes, name: str = "bundle/export.xml") -> Source:
    return Source(path=Path(name), display=name, data=data, folders=("bundle",))


def _assert_only_findings(result: LoadResult, what: str) -> None:
    codes = [problem.code for problem in result.problems]
    unexpected = [p for p in result.problems if p.code not in ALLOWED]
    assert not unexpected, f"{what}: {[(p.code, p.message) for p in unexpected]}"
    assert all(isinstance(p.message, str) and p.message for p in result.problems), codes


def _give_to_every_loader(data: bytes, name: str = "bundle/export.xml") -> None:
    """Load `data` through the registry and through every loader on its own."""
    loaders = registry().loaders
    for context in CONTEXTS:
        _assert_only_findings(load_file(_source(data, name), loaders, context), "registry")
        for loader in loaders:
            result = load_file(_source(data, name), (_forced(loader),), context)
            _assert_only_findings(result, loader.kind)


def test_every_registered_loader_is_covered() -> None:
    kinds = {loader.kind for loader in registry().loaders}
    # The built-in kinds at least; loaders added later are covered automatically.
    assert {"clixml", "topology", "certificate-pem", "certificate-binary", "dns-zone"} <= kinds
    assert len(SEEDS) >= 13 and XML_SEEDS and ZONE_SEEDS


def test_the_property_can_fail() -> None:
    # A loader that raises is caught by the engine as INP005, which the check rejects.
    def boom(source: Source, context: LoadContext) -> LoadResult:
        raise ValueError("boom")

    result = load_file(_source(b"x"), (Loader("boom", lambda s: True, boom),), CONTEXTS[0])
    with pytest.raises(AssertionError):
        _assert_only_findings(result, "boom")


def test_csv_without_header_row_is_a_finding() -> None:
    # Found by the property tests (b"\x0b" forced into the CSV loader); reachable
    # through the registry too, since the #TYPE line alone makes the file CSV.
    result = load_file(_source(b"#TYPE Deserialized.X\n\x0b"), registry().loaders, CONTEXTS[0])
    assert [p.code for p in result.problems] == ["INP002"]


@property_settings(120)
@given(st.binary(max_size=3000))
def test_random_bytes_give_only_findings(data: bytes) -> None:
    _give_to_every_loader(data)


@st.composite
def _mutated(draw: st.DrawFn, seeds: tuple[Path, ...]) -> bytes:
    """A seed file with a few byte-level mutations (flip, cut, insert, drop, repeat)."""
    data = bytearray(draw(st.sampled_from(seeds)).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        size = len(data)
        where = draw(st.integers(0, max(size - 1, 0)))
        action = draw(st.sampled_from(("flip", "cut", "insert", "drop", "repeat")))
        if action == "flip" and size:
            data[where] ^= 1 << draw(st.integers(0, 7))
        elif action == "cut":
            del data[where:]
        elif action == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=16))
        elif action == "drop":
            del data[where : where + draw(st.integers(1, 64))]
        elif action == "repeat":
            data[where:where] = data[where : where + draw(st.integers(1, 64))] * 3
    return bytes(data)


@property_settings(150)
@given(_mutated(SEEDS))
def test_mutated_exports_give_only_findings(data: bytes) -> None:
    _give_to_every_loader(data)


@st.composite
def _spliced(draw: st.DrawFn, seeds: tuple[Path, ...], fragments: tuple[str, ...]) -> str:
    """A seed file's text with fragments spliced in at random places."""
    text = decode(draw(st.sampled_from(seeds)).read_bytes())
    for _ in range(draw(st.integers(1, 5))):
        where = draw(st.integers(0, len(text)))
        text = text[:where] + draw(st.sampled_from(fragments)) + text[where:]
    return text


@property_settings(150)
@given(_spliced(XML_SEEDS, XML_FRAGMENTS), st.sampled_from(("utf-8", "utf-16", "utf-8-sig")))
def test_xml_exports_with_spliced_fragments_give_only_findings(text: str, encoding: str) -> None:
    _give_to_every_loader(text.encode(encoding, errors="surrogatepass"))


@property_settings(80)
@given(_spliced(ZONE_SEEDS, tuple(f"\n{f}\n" for f in ZONE_FRAGMENTS) + ZONE_FRAGMENTS))
def test_zone_files_with_spliced_directives_give_only_findings(text: str) -> None:
    _give_to_every_loader(text.encode("utf-8", errors="surrogatepass"), "bundle/zone.dns")


WELL_FORMED_FRAGMENTS = (
    "<!-- <Obj RefId='9'> <S N=\"x\"> -->",
    '<![CDATA[<Obj><S N="y">]]>',
    "<?pi <Obj?>",
    '<S N="x">1</S>',
    '<S N="a">x</S><S N="a">y</S><S N="a">z</S>',
    "<Nil />",
    '<ps:S xmlns:ps="urn:x" N="q">v</ps:S>',
    '<Machine\n   Fqdn="x"\n/>',
    "\n",
    "&lt;Obj&gt;",
)


@st.composite
def _well_formed(draw: st.DrawFn) -> str:
    """An XML seed with well-formed fragments inserted between its tags."""
    text = decode(draw(st.sampled_from(XML_SEEDS)).read_bytes())
    first = re.search(r"<[A-Za-z]", text)
    assert first is not None
    # After a ">" of the seed's own markup, inside the root: never inside a fragment.
    inside = [i + 1 for i in range(first.end(), text.rindex("</")) if text[i] == ">"]
    places = draw(st.lists(st.sampled_from(inside), min_size=1, max_size=8, unique=True))
    for where in sorted(places, reverse=True):
        text = text[:where] + draw(st.sampled_from(WELL_FORMED_FRAGMENTS)) + text[where:]
    return text


@property_settings(60)
@given(_well_formed())
def test_every_element_is_located_at_its_own_start_tag(text: str) -> None:
    # Comments, CDATA and processing instructions that contain "<", and elements of
    # one name sharing a line, must not shift positions: every element's location
    # points at "<" + its qualified name.
    document = XmlDocument.parse(_source(text.encode("utf-8")))
    lines = document.text.split("\n")
    located = 0
    for element in document.root.iter():
        if not isinstance(element.tag, str):
            continue
        location = document.element_location(element)
        assert location.line is not None and location.column is not None
        name = (element.prefix + ":" if element.prefix else "") + re.sub(r"^{.*}", "", element.tag)
        at = lines[location.line - 1][location.column - 1 :]
        assert at.startswith("<" + name), (location, at[:40])
        located += 1
    assert located > 10
