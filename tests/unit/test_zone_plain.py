"""The dnspython-free reader of plain zones must give exactly what dnspython gives.

`zone.plain.read_plain` reads the common subset of zone files itself and hands anything
else to dnspython. The differential property below loads random zones twice, once as
shipped and once with the plain reader switched off, and demands identical results
(records, locations, problems): so the plain reader may decline anything, but it may
never accept what dnspython refuses nor read a record differently.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from unittest import mock

import pytest
from conftest import make_source
from hypothesis import given
from hypothesis import strategies as st
from properties import QUIET_PATCH_SUGGESTIONS, property_settings
from test_zone_loader import DNSCMD_ZONE, RFC_ZONE

from s2slint.loaders import zone as zone_loader
from s2slint.loaders.base import LoadContext, LoadResult
from s2slint.loaders.zone import full as zone_full
from s2slint.loaders.zone import plain as zoneplain
from s2slint.loaders.zone import scan as zone_scan

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = QUIET_PATCH_SUGGESTIONS

# Each field has ordinary values and odd ones; odd ones are drawn one time in thirty, so
# most zones stay plain (and exercise the plain reader) while every odd corner still
# comes up often (and exercises the hand-over to dnspython).
OWNERS = (
    ["@", "", "atl-fe-01", "ATL-FE-02", "atl-cs-001.litwareinc.com.", "_sip._tls", "*.apps"],
    ["www.other.example.", "a" * 64, "a\\.b", "häus", "$weird", "x..y"],
)
# "\u0661" is an Arabic-Indic digit one: a digit to str.isdigit, not to dnspython.
TTLS = (["", "3600", "0", "010"], ["4294967295", "4294967296", "1h", "\u0661"])
CLASSES = (["", "IN", "in"], ["CH", "CLASS1"])
RDATA = {
    "A": (["10.0.0.1", "0.0.0.0", "192.168.10.255"], ["10.0.0.01", "256.1.1.1", "1.2.3", "1 2"]),
    "AAAA": (
        ["2001:db8::1", "2001:DB8:0:0:1:0:0:1", "2001:0db8:0000:0000:0000:0000:0000:0001", "::"],
        ["::ffff:1.2.3.4", "1::2::3", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9"],
    ),
    "CNAME": (["atl-exch-001", "Atl-Exch-001.LitwareInc.com.", "@"], [".", "a\\066c", "a b"]),
    "NS": (["atl-dc-01", "atl-dc-02.litwareinc.com."], ["ns.other.example", "b" * 64]),
    "PTR": (["host.litwareinc.com."], ["1.2.3.4"]),
    "MX": (["10 mail", "010 mail.litwareinc.com."], ["70000 mail", "10", "x mail"]),
    "SRV": (["0 0 5061 atl-cs-001", "00 1 443 sip."], ["1 2 3 .", "0 0 70000 x", "0 0 5061"]),
    "TXT": (
        ['"v=spf1 mx -all"', "bare-word", '"a" "b"', '""', '"semi;colon (x)"'],
        ['"esc\\"q"', '"' + "x" * 256 + '"', '"ümlaut"', '"open', 'a"b"'],
    ),
    # A second SOA fails unless its owner is the apex, so it is one of the odd types.
    "SOA": (
        [],
        [
            "ns1 hostmaster 1 2 3 4 5",
            "ns1.litwareinc.com. host. ( 1 2 3 4 5 )",
            "ns1 h 1 2 3 4 1h",
            "ns1 h 1 2 3",
            "ns1 h 99999999999 2 3 4 5",
        ],
    ),
    "SPF": ([], ['"v=spf1 -all"']),
    "CAA": ([], ['0 issue "ca.example"']),
    "TYPE1": ([], ["\\# 4 0a000001"]),
    "WINS": ([], ["L2 C0 10.0.0.1"]),
}
DIRECTIVES = (
    ["$TTL 600", "$ORIGIN sub", "$ORIGIN litwareinc.com."],
    [
        "$TTL 1h",
        "$TTL",
        "$ORIGIN other.example.",
        "$ORIGIN .",
        "$GENERATE 1-3 h$ A 10.0.0.$",
        "$X y",
    ],
)
HEADERS = [
    "$ORIGIN litwareinc.com.\n",
    ";  Database file litwareinc.com.dns for litwareinc.com zone.\n",
    "$ORIGIN litwareinc.com.\n$TTL 3600\n",
    "",
]


def pick(draw: st.DrawFn, choices: tuple[list[str], list[str]]) -> str:
    """Draw an ordinary value, or one time in thirty an odd one (when there is one)."""
    ordinary, odd = choices
    if not ordinary or (odd and draw(st.integers(0, 29)) == 0):
        return draw(st.sampled_from(odd))
    return draw(st.sampled_from(ordinary))


@st.composite
def record_lines(draw: st.DrawFn) -> str:
    """One record line (or a directive), sometimes with parentheses and a comment."""
    if draw(st.integers(0, 9)) == 0:
        return pick(draw, DIRECTIVES)
    owner = pick(draw, OWNERS)
    ttl = pick(draw, TTLS)
    klass = pick(draw, CLASSES)
    common = sorted(name for name, (ordinary, _) in RDATA.items() if ordinary)
    rtype = draw(st.sampled_from(common if draw(st.integers(0, 15)) else sorted(RDATA)))
    data = pick(draw, RDATA[rtype])
    if draw(st.booleans()):
        rtype = rtype.lower()
    middle = [ttl, klass] if draw(st.booleans()) else [klass, ttl]
    if draw(st.integers(0, 5)) == 0:
        head, _, tail = data.partition(" ")
        data = f"{head} (\n    {tail} )" if tail else f"( {head} )"
    comment = draw(st.sampled_from(["", " ; note", "\t; (paren) in comment"]))
    fields = [field for field in (*middle, rtype, data) if field]
    separator = draw(st.sampled_from([" ", "\t", "  "]))
    return (owner if owner else separator) + separator + separator.join(fields) + comment


@st.composite
def zones(draw: st.DrawFn) -> str:
    header = draw(st.sampled_from(HEADERS))
    soa = draw(
        st.sampled_from(
            [
                "@ 3600 IN SOA ns1 hostmaster 1 900 600 86400 3600\n",
                "@ IN SOA ns1.litwareinc.com. hostmaster.litwareinc.com. 7 1 2 3 4\n",
                "litwareinc.com. IN SOA ns1 h 1 2 3 4 5\n",
                "",
            ]
        )
    )
    body = draw(st.lists(record_lines(), min_size=1, max_size=12))
    return header + soa + "\n".join(body) + "\n"


def load(text: str, *, plain: bool) -> LoadResult:
    """Load `text` as a zone file, with or without the plain reader."""
    source = make_source(text, "dns/litwareinc.com.dns")
    if plain:
        return zone_loader.load(source, LoadContext())
    with mock.patch.object(zoneplain, "read_plain", lambda entries, origin: None):
        return zone_loader.load(source, LoadContext())


@property_settings(600)
@given(zones())
def test_plain_reader_gives_what_dnspython_gives(text: str) -> None:
    assert load(text, plain=True) == load(text, plain=False)


PLAIN_ZONES = {
    "rfc": RFC_ZONE,
    "dnscmd": DNSCMD_ZONE,
    "aaaa": "$ORIGIN x.com.\n$TTL 60\n@ SOA ns h 1 2 3 4 5\nh AAAA 2001:DB8:0:0:1:0:0:1\n",
    "mx and txt": '$ORIGIN x.com.\n@ 60 IN MX 010 mail\n@ 60 TXT "v=spf1 -all" bare\n',
}


@pytest.mark.parametrize("name", sorted(PLAIN_ZONES))
def test_common_zones_take_the_plain_path(name: str) -> None:
    """The property above would pass if the plain reader declined everything."""
    with mock.patch.object(zone_full, "parse", side_effect=AssertionError("dnspython")):
        result = load(PLAIN_ZONES[name], plain=True)
    assert result.problems == ()
    assert result.records and result.records[0].records


def test_plain_path_normalises_like_dnspython() -> None:
    result = load(PLAIN_ZONES["aaaa"] + "m 60 MX 010 Mail.X.com.\n", plain=True)
    rows = {(r.name, r.rtype): r.data for r in result.records[0].records}
    assert rows[("h.x.com", "AAAA")] == "2001:db8::1:0:0:1"
    assert rows[("m.x.com", "MX")] == "10 mail.x.com"
    assert rows[("x.com", "SOA")] == "ns.x.com h.x.com 1 2 3 4 5"


@pytest.mark.parametrize(
    "record",
    [
        "h 60 A 10.0.0.01",  # dnspython refuses leading zeros
        "h 1h A 10.0.0.1",  # unit TTLs are dnspython's to read
        "h 60 CH A 10.0.0.1",  # another class
        'h 60 SPF "v=spf1 -all"',  # a type the plain reader does not know
        'h 60 TXT "a\\"b"',  # an escape
        "a\\.b 60 A 10.0.0.1",  # an escaped owner
        "h 60 AAAA ::ffff:1.2.3.4",  # an embedded IPv4 form
        "$GENERATE 1-3 h$ A 10.0.0.$",
        "h 60 CNAME a\nh 60 A 10.0.0.1",  # a CNAME beside other data
        "h 60 CNAME a\nh 60 CNAME b",  # dnspython keeps only the last
        "h 60 A 10.0.0.1\nh 60 CNAME a",  # the CNAME after the other data
        "@ 60 SOA ns h 1 2 3 4 5\n@ 60 SOA ns h 2 2 3 4 5",  # two SOAs: the last is kept
        "h \u0661 A 10.0.0.1",  # an Arabic-Indic digit is a digit to str, not a TTL
        "h 6\u00b2 A 10.0.0.1",  # a superscript two, likewise
    ],
)
def test_plain_reader_declines_what_it_does_not_fully_know(record: str) -> None:
    text = "$ORIGIN x.com.\n" + record + "\n"
    source = make_source(text, "dns/x.dns")
    entries = zone_scan.scan_lines(zone_scan.split_lines(source.text)).entries
    assert zoneplain.read_plain(entries, "x.com") is None
    assert load(text, plain=True) == load(text, plain=False)


def test_missing_ttl_is_left_to_dnspython_and_reported() -> None:
    text = "$ORIGIN x.com.\nh A 10.0.0.1\n"
    result = load(text, plain=True)
    assert [p.code for p in result.problems] == ["INP001"]
    assert "Missing default TTL" in result.problems[0].message


def test_records_outside_the_zone_are_dropped_as_dnspython_drops_them() -> None:
    text = "$ORIGIN x.com.\n$TTL 60\nh A 10.0.0.1\nwww.other.example. A 10.0.0.2\n"
    result = load(text, plain=True)
    assert [r.name for r in result.records[0].records] == ["h.x.com"]
    assert result == load(text, plain=False)


def test_the_zone_is_located_where_dnspython_would_locate_it() -> None:
    """With no SOA at the apex, the zone points at the first SOA line, in or out of it."""
    text = "$ORIGIN x.com.\n$TTL 60\nh A 10.0.0.1\nother.example. SOA ns h 1 2 3 4 5\n"
    with mock.patch.object(zone_full, "parse", side_effect=AssertionError("dnspython")):
        plain = load(text, plain=True)
    assert plain.records[0].loc.line == 4
    assert plain == load(text, plain=False)


def test_a_plain_zone_never_imports_dnspython(tmp_path: Path) -> None:
    """The cold example run saves dnspython's import (about 60 ms) on plain zones."""
    zone_file = tmp_path / "litwareinc.com.dns"
    zone_file.write_text(RFC_ZONE)
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from s2slint.loaders import zone
        from s2slint.loaders.base import LoadContext, Source
        data = Path({str(zone_file)!r}).read_bytes()
        source = Source(path=Path("z.dns"), display="z.dns", data=data, folders=())
        result = zone.load(source, LoadContext())
        assert result.records and not result.problems, result
        print(sorted(m for m in sys.modules if m == "dns" or m.startswith("dns.")))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_a_plain_zone_never_imports_dnspythons_reader() -> None:
    """`full` (dnspython's reader) is imported only for a zone the plain reader declines."""
    declined = "$ORIGIN x.com.\nh A 10.0.0.1\n"  # no TTL: dnspython reads and reports it
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from s2slint.loaders import zone
        from s2slint.loaders.base import LoadContext, Source
        for name, text in (("plain.dns", {RFC_ZONE!r}), ("declined.dns", {declined!r})):
            source = Source(path=Path(name), display=name, data=text.encode(), folders=())
            zone.load(source, LoadContext())
            print(name, "s2slint.loaders.zone.full" in sys.modules)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["plain.dns False", "declined.dns True"]


LONG = ".".join(["a" * 63] * 3)  # 191 characters


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("a" * 63, "a" * 63 + ".x.com"),
        ("a" * 64, None),  # a label of 64 characters
        ("a" * 63 + "." + "b" * 64, None),  # a long second label of a long name
        (f"{LONG}.{'b' * 55}", f"{LONG}.{'b' * 55}.x.com"),  # 253 characters: 255 on the wire
        (f"{LONG}.{'b' * 56}", None),  # 254 characters: 256 on the wire
        ("a" * 63 + ".", "a" * 63),
    ],
)
def test_plain_names_keep_dns_length_limits(token: str, expected: str | None) -> None:
    """Short names skip the per-label count; the limits still hold at their edges."""
    assert zoneplain.join_plain_name(token, "x.com") == expected


@pytest.mark.parametrize("blank", ["\x0b", "\x0c", "\x1c", "\x1f", "\u00a0", "\u3000"])
def test_tokens_are_cut_at_spaces_and_tabs_only(blank: str) -> None:
    """str.split() cuts at more blanks than dnspython: a file with any keeps them in tokens."""
    lines = ["$ORIGIN x.com.", f"a{blank}b 60 A 10.0.0.1", "c\t60  A 10.0.0.2 ; note"]
    entries = zone_scan.scan_lines(lines).entries
    assert [e.tokens for e in entries[1:]] == [
        (f"a{blank}b", "60", "A", "10.0.0.1"),
        ("c", "60", "A", "10.0.0.2"),
    ]
    text = "\n".join(lines) + "\n"
    assert load(text, plain=True) == load(text, plain=False)


def test_line_breaks_are_counted_as_dnspython_counts_them() -> None:
    assert zone_scan.split_lines("a\r\nb\rc\nd\r\r\ne") == ["a", "b", "c", "d", "", "e"]
    assert zone_scan.split_lines("a\n\r") == ["a", "", ""]


@pytest.mark.parametrize(
    "line",
    [
        "h 60 IN A 10.0.0.1",
        "h\t60\tA\t10.0.0.1 ; a comment",
        "h 60 A 10.0.0.1 ; (parentheses) in a comment",
        '@ 60 TXT "a; b" ; c',
        "a\\ b 60 A 10.0.0.1",
        "@ SOA ns h ( 1 2 3 4 5 )",
        "   ; only a comment",
        "",
    ],
)
def test_scan_cuts_each_line_as_the_tokenizer_does(line: str) -> None:
    """Lines without quotes, escapes or parentheses skip `tokenize`: same tokens either way."""
    tokens, depth = zone_scan.tokenize(line, 0)
    assert depth == 0
    entries = zone_scan.scan_lines(["$ORIGIN x.com.", line]).entries
    assert [e.tokens for e in entries[1:]] == ([tuple(tokens)] if tokens else [])
