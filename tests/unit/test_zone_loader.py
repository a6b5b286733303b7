"""Tests of the DNS zone loader: both export shapes, encodings, positions and safety."""

from __future__ import annotations

import builtins
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from s2slint.loaders import zone as zone_loader
from s2slint.loaders.base import LoadContext, LoadResult, Source
from s2slint.model import DnsRecord, DnsZone

REPO_ROOT = Path(__file__).resolve().parents[2]

# A BIND-style file. Line numbers matter: tests below name them.
RFC_ZONE = """\
; litwareinc.com internal zone, kept by the network team
$ORIGIN litwareinc.com.
$TTL 3600
@       IN  SOA  atl-dc-01.litwareinc.com. hostmaster.litwareinc.com. (
                 2024061501 ; serial
                 900        ; refresh
                 600        ; retry
                 86400      ; expire
                 3600 )     ; minimum
                 IN  NS   atl-dc-01
                 IN  NS   atl-dc-02.litwareinc.com.
atl-dc-01        IN  A    192.168.10.5
atl-dc-02            A    192.168.10.6
atl-cs-001       IN  A    192.168.10.20
atl-fe-01        IN  A    192.168.10.21
atl-fe-02        IN  A    192.168.10.22
atl-fe-03    300 IN  A    192.168.10.23
atl-exch-001     IN  A    192.168.10.40
autodiscover     IN  CNAME Atl-Exch-001.LitwareInc.com.
lyncdiscoverinternal IN CNAME atl-cs-001
meet             IN  CNAME atl-cs-001
dialin           IN  CNAME atl-cs-001
_sipinternaltls._tcp IN SRV 0 0 5061 atl-cs-001.litwareinc.com.
*.apps           IN  A    192.168.10.90
@                IN  TXT  "v=spf1 mx -all; (note)"
$ORIGIN _tcp.litwareinc.com.
_sipinternal     IN  SRV  0 0 5061 atl-cs-001.litwareinc.com.
"""

# What `dnscmd atl-dc-01 /ZoneExport litwareinc.com litwareinc.com.dns` writes: no
# $ORIGIN, tab-separated columns, [AGE:n] before the TTL of dynamic records.
DNSCMD_ZONE = (
    ";\n"
    ";  Database file litwareinc.com.dns for litwareinc.com zone.\n"
    ";      Zone version:  42\n"
    ";\n"
    "\n"
    "@                       IN  SOA atl-dc-01.litwareinc.com.  hostmaster.litwareinc.com. (\n"
    "                        42           ; serial number\n"
    "                        900          ; refresh\n"
    "                        600          ; retry\n"
    "                        86400        ; expire\n"
    "                        3600       ) ; default TTL\n"
    "\n"
    ";\n"
    ";  Zone NS records\n"
    ";\n"
    "\n"
    "@                       NS\tatl-dc-01.litwareinc.com.\n"
    "\n"
    ";\n"
    ";  Zone records\n"
    ";\n"
    "\n"
    "@                       [AGE:3702112]\t600\tA\t192.168.10.10\n"
    "_sipinternaltls._tcp    [AGE:3702150]\t600\tSRV\t0 0 5061\tatl-cs-001.litwareinc.com.\n"
    "atl-cs-001              [AGE:3702113]\t1200\tA\t192.168.10.20\n"
    "                        [AGE:3702113]\t1200\tA\t192.168.10.21\n"
    "atl-dc-01               A\t192.168.10.5\n"
    "atl-exch-001            [AGE:37021]\t1200\tA\t192.168.10.40\n"
    "autodiscover            CNAME\tatl-exch-001.litwareinc.com.\n"
    "lyncdiscoverinternal    CNAME\tatl-cs-001.litwareinc.com.\n"
    "meet                    CNAME\tatl-cs-001.litwareinc.com.\n"
)

CLIXML = """\
<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>Deserialized.System.String</T></TN>
    <S N="ZoneText">
$ORIGIN litwareinc.com.
$TTL 3600
@ IN SOA atl-dc-01.litwareinc.com. hostmaster.litwareinc.com. 1 900 600 86400 3600
</S>
  </Obj>
</Objs>
"""

PEM = """\
subject=CN = atl-cs-001.litwareinc.com
issuer=DC = com, DC = litwareinc, CN = litwareinc-ATL-DC-01-CA
$TTL 3600
-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUZ3Vlc3NlZC1ub3QtYS1yZWFsLWNlcnQwCgYIKoZIzj0E
-----END CERTIFICATE-----
"""

README = """\
Bundle for the litwareinc.com Lync/Exchange integration review.

Put the zone export under dns/ (run dnscmd /ZoneExport on a domain controller).
The SOA record of litwareinc.com is on atl-dc-01.
Lync SOA checks need the autodiscover record too.

    $TTL = 3600
    $origin = "litwareinc.com"
$ttl = 3600
"""


def make_source(
    text: str | None = None, *, data: bytes | None = None, display: str = "dns/litwareinc.com.dns"
) -> Source:
    """Return a bundle file holding `text` (UTF-8) or the raw `data`."""
    raw = data if data is not None else (text or "").encode("utf-8")
    return Source(path=Path(display), display=display, data=raw, folders=("dns",))


def load(source: Source) -> LoadResult:
    """Load `source` with the zone loader and default settings."""
    return zone_loader.load(source, LoadContext())


def only_zone(result: LoadResult) -> DnsZone:
    """Return the single zone a successful load produced."""
    assert result.kind == "dns-zone"
    assert len(result.records) == 1
    zone = result.records[0]
    assert isinstance(zone, DnsZone)
    return zone


def find(zone: DnsZone, name: str, rtype: str) -> list[DnsRecord]:
    """Return the records of `name` and `rtype`."""
    return [r for r in zone.records if r.name == name and r.rtype == rtype]


def one(zone: DnsZone, name: str, rtype: str) -> DnsRecord:
    """Return the only record of `name` and `rtype`."""
    found = find(zone, name, rtype)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------------ RFC 1035


def test_rfc1035_zone_records_and_origin() -> None:
    result = load(make_source(RFC_ZONE))
    assert result.problems == ()
    zone = only_zone(result)
    assert zone.origin == "litwareinc.com"
    assert (zone.loc.path, zone.loc.line, zone.loc.column) == ("dns/litwareinc.com.dns", 4, 1)

    soa = one(zone, "litwareinc.com", "SOA")
    assert soa.data == (
        "atl-dc-01.litwareinc.com hostmaster.litwareinc.com 2024061501 900 600 86400 3600"
    )
    assert soa.loc.line == 4
    assert sorted(r.data for r in find(zone, "litwareinc.com", "NS")) == [
        "atl-dc-01.litwareinc.com",
        "atl-dc-02.litwareinc.com",
    ]
    assert one(zone, "atl-cs-001.litwareinc.com", "A").data == "192.168.10.20"
    assert one(zone, "atl-dc-02.litwareinc.com", "A").data == "192.168.10.6"
    assert one(zone, "atl-fe-03.litwareinc.com", "A").data == "192.168.10.23"
    assert one(zone, "lyncdiscoverinternal.litwareinc.com", "CNAME").data == (
        "atl-cs-001.litwareinc.com"
    )
    assert one(zone, "meet.litwareinc.com", "CNAME").data == "atl-cs-001.litwareinc.com"
    assert one(zone, "dialin.litwareinc.com", "CNAME").data == "atl-cs-001.litwareinc.com"
    assert one(zone, "litwareinc.com", "TXT").data == '"v=spf1 mx -all; (note)"'


def test_rfc1035_target_names_are_lower_case_absolute_without_dot() -> None:
    zone = only_zone(load(make_source(RFC_ZONE)))
    autodiscover = one(zone, "autodiscover.litwareinc.com", "CNAME")
    assert autodiscover.data == "atl-exch-001.litwareinc.com"
    srv = one(zone, "_sipinternaltls._tcp.litwareinc.com", "SRV")
    assert srv.data == "0 0 5061 atl-cs-001.litwareinc.com"


def test_rfc1035_line_numbers_and_pointers() -> None:
    zone = only_zone(load(make_source(RFC_ZONE)))
    expected = {
        ("litwareinc.com", "NS"): 10,  # blank owner: the SOA's owner, first NS line
        ("atl-dc-02.litwareinc.com", "A"): 13,
        ("atl-fe-01.litwareinc.com", "A"): 15,
        ("atl-fe-03.litwareinc.com", "A"): 17,
        ("autodiscover.litwareinc.com", "CNAME"): 19,
        ("_sipinternaltls._tcp.litwareinc.com", "SRV"): 23,
        ("*.apps.litwareinc.com", "A"): 24,
        ("litwareinc.com", "TXT"): 25,
        ("_sipinternal._tcp.litwareinc.com", "SRV"): 27,  # after a second $ORIGIN
    }
    for (name, rtype), line in expected.items():
        for record in find(zone, name, rtype):
            assert record.loc.line == line, (name, rtype)
            assert record.loc.column == 1
            assert record.loc.path == "dns/litwareinc.com.dns"
            assert record.loc.pointer == f"{name}/{rtype}"
    assert len(find(zone, "litwareinc.com", "NS")) == 2


def test_records_are_sorted_and_every_record_has_a_line() -> None:
    zone = only_zone(load(make_source(RFC_ZONE)))
    keys = [(r.name, r.rtype, r.data) for r in zone.records]
    assert keys == sorted(keys)
    assert len(zone.records) == 18
    assert all(r.loc.line is not None for r in zone.records)


def test_wildcard_record_answers_lookups() -> None:
    zone = only_zone(load(make_source(RFC_ZONE)))
    found = zone.lookup("portal.apps.litwareinc.com", ["A"])
    assert [(r.name, r.data) for r in found] == [("*.apps.litwareinc.com", "192.168.10.90")]


def test_bind_dump_starting_with_root_origin_takes_the_soa_owner() -> None:
    text = (
        "$ORIGIN .\n"
        "$TTL 3600\n"
        "litwareinc.com IN SOA atl-dc-01.litwareinc.com. hostmaster.litwareinc.com. "
        "7 900 600 86400 3600\n"
        "               NS atl-dc-01.litwareinc.com.\n"
        "$ORIGIN litwareinc.com.\n"
        "autodiscover   CNAME atl-exch-001\n"
    )
    zone = only_zone(load(make_source(text)))
    assert zone.origin == "litwareinc.com"
    assert zone.loc.line == 3
    assert one(zone, "litwareinc.com", "NS").loc.line == 4
    record = one(zone, "autodiscover.litwareinc.com", "CNAME")
    assert (record.data, record.loc.line) == ("atl-exch-001.litwareinc.com", 6)


# --------------------------------------------------------------------- dnscmd export


def check_dnscmd_zone(result: LoadResult) -> None:
    """Assert what the dnscmd export above must yield, whatever its encoding."""
    assert result.problems == ()
    zone = only_zone(result)
    assert zone.origin == "litwareinc.com"  # from the header comment: there is no $ORIGIN
    assert zone.loc.line == 6
    soa = one(zone, "litwareinc.com", "SOA")
    assert soa.data == "atl-dc-01.litwareinc.com hostmaster.litwareinc.com 42 900 600 86400 3600"
    assert one(zone, "litwareinc.com", "NS").loc.line == 17
    apex = one(zone, "litwareinc.com", "A")
    assert (apex.data, apex.loc.line) == ("192.168.10.10", 23)
    srv = one(zone, "_sipinternaltls._tcp.litwareinc.com", "SRV")
    assert (srv.data, srv.loc.line) == ("0 0 5061 atl-cs-001.litwareinc.com", 24)
    pool = find(zone, "atl-cs-001.litwareinc.com", "A")
    assert sorted(r.data for r in pool) == ["192.168.10.20", "192.168.10.21"]
    assert {r.loc.line for r in pool} == {25}
    exch = one(zone, "atl-exch-001.litwareinc.com", "A")
    assert (exch.data, exch.loc.line) == ("192.168.10.40", 28)  # a 5-digit [AGE:]
    autodiscover = one(zone, "autodiscover.litwareinc.com", "CNAME")
    assert (autodiscover.data, autodiscover.loc.line) == ("atl-exch-001.litwareinc.com", 29)
    assert autodiscover.loc.pointer == "autodiscover.litwareinc.com/CNAME"
    assert one(zone, "meet.litwareinc.com", "CNAME").loc.line == 31
    assert len(zone.records) == 11
    assert not any("age" in r.data.lower() for r in zone.records)


def test_dnscmd_export_with_age_tokens_and_tabs() -> None:
    check_dnscmd_zone(load(make_source(DNSCMD_ZONE)))


def test_dnscmd_export_with_crlf_line_endings() -> None:
    text = DNSCMD_ZONE.replace("\n", "\r\n")
    source = make_source(text)
    assert zone_loader.sniff(source)
    check_dnscmd_zone(load(source))


def test_rfc1035_zone_with_crlf_keeps_line_numbers() -> None:
    zone = only_zone(load(make_source(RFC_ZONE.replace("\n", "\r\n"))))
    assert one(zone, "autodiscover.litwareinc.com", "CNAME").loc.line == 19
    assert len(zone.records) == 18


def test_dnscmd_export_in_utf16_with_bom() -> None:
    data = DNSCMD_ZONE.replace("\n", "\r\n").encode("utf-16")
    assert data[:2] == b"\xff\xfe"
    source = Source(
        path=Path("dns/litwareinc.com.dns"),
        display="dns/litwareinc.com.dns",
        data=data,
        folders=("dns",),
    )
    assert zone_loader.sniff(source)
    check_dnscmd_zone(load(source))


def test_origin_comes_from_an_absolute_soa_owner() -> None:
    text = (
        "litwareinc.com. 3600 IN SOA atl-dc-01.litwareinc.com. hostmaster.litwareinc.com. "
        "1 900 600 86400 3600\n"
        "atl-exch-001.litwareinc.com. 3600 IN A 192.168.10.40\n"
    )
    zone = only_zone(load(make_source(text)))
    assert zone.origin == "litwareinc.com"
    assert one(zone, "atl-exch-001.litwareinc.com", "A").loc.line == 2


def test_unknown_origin_is_inp001_at_the_soa_line() -> None:
    text = (
        "; exported without a header\n"
        "@ 3600 IN SOA atl-dc-01.litwareinc.com. hostmaster.litwareinc.com. 1 900 600 86400 3600\n"
        "atl-exch-001 3600 IN A 192.168.10.40\n"
    )
    result = load(make_source(text))
    assert result.records == ()
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.code == "INP001"
    assert problem.message.startswith("cannot tell the zone's origin")
    assert problem.location.line == 2


# ------------------------------------------------------------------------- $INCLUDE


@pytest.mark.parametrize("directive", ["$INCLUDE {path}", "$include {path} sub"])
def test_include_is_never_followed(
    directive: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    included = tmp_path / "extra.zone"
    included.write_text("evil IN A 10.66.66.66\n", encoding="utf-8")
    text = RFC_ZONE + directive.format(path=included) + "\nafter-include IN A 192.168.10.99\n"
    load(make_source(RFC_ZONE))  # import dnspython before open() is locked

    opened: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        opened.append(args)
        raise AssertionError(f"the zone loader opened {args!r}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    result = load(make_source(text))
    monkeypatch.undo()

    assert opened == []
    assert [p.code for p in result.problems] == ["INP004"]
    problem = result.problems[0]
    assert problem.message == (
        'zone file directive "$INCLUDE" not followed: s2slint never reads files a zone '
        "file names; records it would add are not checked"
    )
    assert (problem.location.path, problem.location.line) == ("dns/litwareinc.com.dns", 28)
    zone = only_zone(result)
    names = {r.name for r in zone.records}
    assert not any(name.startswith("evil.") for name in names)
    # The rest of the zone loads, positions unchanged; $ORIGIN is still _tcp after 27.
    after = one(zone, "after-include._tcp.litwareinc.com", "A")
    assert (after.data, after.loc.line) == ("192.168.10.99", 29)
    assert one(zone, "autodiscover.litwareinc.com", "CNAME").loc.line == 19


def test_generate_is_expanded_only_within_a_limit() -> None:
    small = RFC_ZONE + "$ORIGIN litwareinc.com.\n$GENERATE 4-6 atl-fe-0$ A 192.168.10.2$\n"
    zone = only_zone(load(make_source(small)))
    assert one(zone, "atl-fe-05.litwareinc.com", "A").data == "192.168.10.25"

    huge = RFC_ZONE + "$GENERATE 1-4000000000 host$ A 10.0.0.1\n"
    result = load(make_source(huge))
    assert [p.code for p in result.problems] == ["INP004"]
    assert result.problems[0].location.line == 28
    assert '"$GENERATE"' in result.problems[0].message
    assert len(only_zone(result).records) == 18


# ---------------------------------------------------------------------- parse errors


def replace_line(text: str, number: int, new: str) -> str:
    """Return `text` with line `number` (1-based) replaced by `new`."""
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("line", "content", "detail"),
    [
        (15, "atl-fe-01        IN  A    192.168.10.321", "malformed"),
        (16, "atl-fe-02        IN  FROB 192.168.10.22", "FROB"),
        (23, "_sipinternaltls._tcp IN SRV 0 0 sip atl-cs-001.litwareinc.com.", "integer"),
        (25, '@                IN  TXT  "v=spf1 mx -all', "quoted string"),
        (12, "atl-dc-01        IN  A    192.168.10.5 192.168.10.6", "after the end"),
    ],
)
def test_malformed_record_is_inp001_at_its_line(line: int, content: str, detail: str) -> None:
    for eol in ("\n", "\r\n"):
        text = replace_line(RFC_ZONE, line, content).replace("\n", eol)
        result = load(make_source(text))
        assert result.records == ()
        assert len(result.problems) == 1
        problem = result.problems[0]
        assert problem.code == "INP001"
        assert problem.location.line == line
        assert problem.location.path == "dns/litwareinc.com.dns"
        assert detail in problem.message
        assert "s2slint-zone" not in problem.message
        assert "<string>" not in problem.message
        assert "<class" not in problem.message


def test_unclosed_soa_parenthesis_points_at_the_soa() -> None:
    text = replace_line(RFC_ZONE, 9, "                 3600       ; minimum, ) forgotten")
    result = load(make_source(text))
    assert result.records == ()
    assert [p.code for p in result.problems] == ["INP001"]
    assert "line 4" in result.problems[0].message


def test_cname_with_other_data_is_inp001_at_the_conflicting_line() -> None:
    text = RFC_ZONE + "$ORIGIN litwareinc.com.\nautodiscover IN A 192.168.10.41\n"
    result = load(make_source(text))
    assert result.records == ()
    assert [p.code for p in result.problems] == ["INP001"]
    assert result.problems[0].location.line == 29
    assert "autodiscover.litwareinc.com" in result.problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "$ORIGIN litwareinc.com.\n)\n",
        "$ORIGIN litwareinc.com.\n@ IN SOA a b (\n",
        "$TTL\n",
        "$ORIGIN\n",
        '$ORIGIN litwareinc.com.\nx IN TXT "\\',
        "$ORIGIN litwareinc.com.\n\tIN A 1.2.3.4\n$GENERATE x-y a A b\n",
        "$ORIGIN litwareinc.com.\n" + "a" * 70 + " IN A 1.2.3.4\n",
        "$ORIGIN litwareinc.com.\nx IN A 1.2.3.4\n\x00\ufffd IN A\n",
    ],
)
def test_garbage_never_raises(text: str) -> None:
    result = load(make_source(text))
    assert result.kind == "dns-zone"
    assert all(p.code in ("INP001", "INP004") for p in result.problems)


# --------------------------------------------------------------------------- sniff


def test_sniff_accepts_both_zone_forms() -> None:
    assert zone_loader.sniff(make_source(RFC_ZONE))
    assert zone_loader.sniff(make_source(DNSCMD_ZONE))
    only_soa = "@\t[AGE:3702112]\t3600\tIN\tSOA\tatl-dc-01.litwareinc.com. hostmaster. 1 2 3 4 5\n"
    assert zone_loader.sniff(make_source(only_soa))


@pytest.mark.parametrize(
    ("text", "data"),
    [
        (CLIXML, None),
        ("\ufeff" + CLIXML, None),
        (PEM, None),
        (README, None),
        ("", b"\x30\x82\x03\x0c\x30\x82\x01\xf4\xa0\x03\x02\x01\x02\x02\x10" * 4),
    ],
    ids=["clixml", "clixml-bom", "pem", "readme", "der"],
)
def test_sniff_rejects_other_files(text: str, data: bytes | None) -> None:
    assert not zone_loader.sniff(make_source(text, data=data))


def test_loaders_registration() -> None:
    from s2slint.loaders import builtin_loaders

    (loader,) = [ldr for ldr in builtin_loaders() if ldr.kind == "dns-zone"]
    assert loader.priority == 80
    assert resolve(loader.sniff) is zone_loader.sniff
    assert resolve(loader.load) is zone_loader.load
    assert loader.description == "RFC 1035 zone file or dnscmd /ZoneExport"


def resolve(function: object) -> object:
    """Return the module function a lazily imported loader function stands for."""
    import importlib

    return getattr(importlib.import_module(function.module), function.name)  # type: ignore[attr-defined]


def test_module_import_does_not_import_dnspython() -> None:
    code = (
        "import sys, s2slint.loaders.zone; "
        "print(any(m == 'dns' or m.startswith('dns.') for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_windows_only_wins_records_are_dropped_not_fatal() -> None:
    text = (
        ";  Database file litwareinc.com.dns for litwareinc.com zone.\r\n"
        "@                       IN  SOA atl-dc-001.litwareinc.com.  hostmaster.litwareinc.com. "
        "( 1 900 600 86400 3600 )\r\n"
        "@                       WINS    L2 C900 ( 10.0.0.5 10.0.0.6 )\r\n"
        "autodiscover            CNAME   atl-exch-001.litwareinc.com.\r\n"
    )
    source = Source(path=Path("z.dns"), display="dns/z.dns", data=text.encode(), folders=("dns",))
    result = zone_loader.load(source, LoadContext())
    assert result.problems == ()
    (zone,) = result.records
    assert isinstance(zone, DnsZone)
    (cname,) = zone.lookup("autodiscover.litwareinc.com", ("CNAME",))
    assert cname.loc.line == 4


@pytest.mark.parametrize("wins", ["wins", "WINS-R", "w\u0131ns", "WIN\u017f"])
def test_wins_records_are_found_however_their_type_is_spelt(wins: str) -> None:
    """The loader looks for WINS records only where the upper-cased text says WINS.

    "w\u0131ns" (dotless i) and "WIN\u017f" (long s) upper-case to WINS, as the type
    check upper-cases them; a lower-casing search would miss them and fail the zone.
    """
    text = (
        "$ORIGIN litwareinc.com.\n$TTL 60\n"
        f"@ {wins} L2 C900 ( 10.0.0.5 )\n"
        "autodiscover CNAME atl-exch-001\n"
    )
    result = load(make_source(text))
    assert result.problems == ()
    zone = only_zone(result)
    assert [(r.name, r.rtype, r.loc.line) for r in zone.records] == [
        ("autodiscover.litwareinc.com", "CNAME", 4)
    ]
