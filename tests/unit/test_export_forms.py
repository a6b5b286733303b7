"""The other forms administrators export in: JSON, CSV, ZIP archives, DNS CLIXML."""

from __future__ import annotations

import io
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import fixturegen
from bundle_lint import findings, lint_path
from conftest import make_source

from s2slint.findings import Location
from s2slint.loaders.archive import load_archive, sniff_archive
from s2slint.loaders.base import LoadContext
from s2slint.loaders.powershell import load_clixml
from s2slint.loaders.pscsv import load_csv, parse_csv_value, sniff_csv
from s2slint.loaders.psjson import load_json, parse_json_date, sniff_json
from s2slint.model import (
    CsCertificate,
    DnsZone,
    LyncPartnerApplication,
    OAuthConfiguration,
    Topology,
)

# What `Get-CsOAuthConfiguration | ConvertTo-Json` writes in Windows PowerShell 5.1.
OAUTH_JSON = """{
    "Identity":  "Global",
    "PartnerApplications":  [

                            ],
    "OAuthServers":  [

                     ],
    "Realm":  "",
    "ServiceName":  "00000004-0000-0ff1-ce00-000000000000",
    "ClientAuthorizationOAuthServerIdentity":  "",
    "ClientAdalAuthOverride":  0,
    "ExchangeAutodiscoverUrl":  "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml",
    "ExchangeAutodiscoverAllowedDomains":  "*"
}
"""

PARTNER_APPS_JSON = """[
    {
        "Identity":  "microsoft.exchange",
        "AuthToken":  "Value=https://autodiscover.litwareinc.com/autodiscover/metadata/json/1",
        "ApplicationIdentifier":  "00000002-0000-0ff1-ce00-000000000000",
        "ApplicationTrustLevel":  1,
        "Enabled":  true
    },
    {
        "Identity":  "microsoft.sharepoint",
        "MetadataUrl":  "https://sharepoint.litwareinc.com/_layouts/15/metadata/json/1",
        "ApplicationTrustLevel":  "User",
        "Enabled":  true
    }
]
"""

CERTIFICATES_CSV = (
    "#TYPE Deserialized.Microsoft.Rtc.Management.Deployment.CertificateReference\r\n"
    '"Issuer";"NotAfter";"NotBefore";"Subject";"AlternativeNames";"Thumbprint";"Use"\r\n'
    '"CN=LitwareInc Enterprise CA";"1/15/2028 2:00:00 PM";"2026-01-15T14:00:00";'
    '"CN=litwareinc.com";"System.Collections.Generic.List`1[System.String]";'
    '"7054C1277959708FAB91422CFE5982E3C7AE81CB";"OAuthTokenIssuer"\r\n'
)


def test_json_dates_and_sniffing() -> None:
    assert parse_json_date("/Date(1700000000000)/") == datetime(
        2023, 11, 14, 22, 13, 20, tzinfo=UTC
    )
    assert parse_json_date("/Date(1700000000000+0100)/") == datetime(
        2023, 11, 14, 22, 13, 20, tzinfo=UTC
    )
    assert parse_json_date("yesterday") is None
    assert sniff_json(make_source(OAUTH_JSON, "lync/oauth.json", "utf-16"))
    assert not sniff_json(make_source('{"name": "package.json"}'))


def test_json_oauth_configuration_keeps_key_positions() -> None:
    result = load_json(make_source(OAUTH_JSON, "lync/oauth.json", "utf-16"), LoadContext())
    assert result.kind == "json:lync-oauth-configuration"
    (config,) = result.records
    assert isinstance(config, OAuthConfiguration)
    url = config.exchange_autodiscover_url
    assert url is not None and url.value.endswith("autodiscover.xml")
    lines = OAUTH_JSON.splitlines()
    line = next(i for i, t in enumerate(lines, 1) if '"ExchangeAutodiscoverUrl"' in t)
    column = lines[line - 1].index('"ExchangeAutodiscoverUrl"') + 1
    assert (url.loc.line, url.loc.column, url.loc.pointer) == (
        line,
        column,
        "obj[0].ExchangeAutodiscoverUrl",
    )


def test_json_enum_numbers_are_unknown_never_guessed() -> None:
    result = load_json(make_source(PARTNER_APPS_JSON, "lync/apps.json"), LoadContext())
    exchange, sharepoint = (r for r in result.records if isinstance(r, LyncPartnerApplication))
    assert exchange.application_trust_level is None  # "1" means nothing documented
    assert exchange.metadata_url is not None and exchange.metadata_url.loc.line == 4
    assert sharepoint.application_trust_level is not None
    assert sharepoint.application_trust_level.value == "User"  # PowerShell 7 -EnumsAsStrings


def test_malformed_json_is_a_parse_error_with_position() -> None:
    result = load_json(
        make_source('{\n  "ExchangeAutodiscoverUrl": "x",\n  oops\n}'), LoadContext()
    )
    (problem,) = result.problems
    assert problem.code == "INP001" and problem.location.line == 3


def test_csv_with_type_line_semicolons_and_culture_dates() -> None:
    source = make_source(CERTIFICATES_CSV, "servers/atl-fe-01.litwareinc.com/certs.csv", "ascii")
    assert sniff_csv(source)
    result = load_csv(source, LoadContext())
    assert result.kind == "csv:lync-certificate"
    (entry,) = result.records
    assert isinstance(entry, CsCertificate)
    assert entry.is_oauth
    assert entry.not_after is not None and entry.not_after.value == datetime(
        2028, 1, 15, 14, tzinfo=UTC
    )
    assert entry.not_before is not None and entry.not_before.value.year == 2026
    assert entry.alternative_names is None  # written as a type name: the values are lost
    assert entry.thumbprint is not None
    row = CERTIFICATES_CSV.split("\r\n")[2]
    assert (entry.thumbprint.loc.line, entry.thumbprint.loc.column) == (3, row.index('"7054C') + 1)
    assert entry.source_dirs == ("servers", "atl-fe-01.litwareinc.com")


def test_csv_values_are_read_as_powershell_wrote_them() -> None:
    assert parse_csv_value("True") is True
    assert parse_csv_value("03/04/2027 10:00:00") == "03/04/2027 10:00:00"  # culture unknown
    assert parse_csv_value("System.String[]") is None


def test_csv_without_type_line_needs_cmdlet_headers() -> None:
    assert sniff_csv(
        make_source('"Identity","ApplicationTrustLevel"\n"microsoft.exchange","Full"\n')
    )
    assert not sniff_csv(make_source('"name","age"\n"bob","3"\n'))


def _zip(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 21, 0, 0, 0))
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _healthy_lync_files(tmp_path: Path) -> dict[str, bytes]:
    fixturegen.write_bundle(fixturegen.BundleSpec(), tmp_path / "b")
    lync = tmp_path / "b" / "lync"
    return {f"Config/{p.name}": p.read_bytes() for p in sorted(lync.iterdir())}


def test_zip_members_are_sniffed_and_read_in_memory(tmp_path: Path) -> None:
    members = _healthy_lync_files(tmp_path)
    members["DocItemSet.xml"] = b"<DocItemSet/>"
    source = make_source(_zip(members), "exports/CsConfiguration.zip")
    assert sniff_archive(source)
    result = load_archive(source, LoadContext())
    kinds = {type(r) for r in result.records}
    assert {Topology, OAuthConfiguration, LyncPartnerApplication} <= kinds
    (unknown,) = result.problems
    assert unknown.code == "INP002" and '"DocItemSet.xml"' in unknown.message
    config = next(r for r in result.records if isinstance(r, OAuthConfiguration))
    assert config.loc.path == "exports/CsConfiguration.zip!/Config/oauth-configuration.xml"


def test_zip_traversal_links_and_bombs_are_refused_and_the_rest_is_read(tmp_path: Path) -> None:
    members = _healthy_lync_files(tmp_path)
    members["../../etc/evil.xml"] = b"<x/>"
    members["/abs/evil.xml"] = b"<x/>"
    members["link.xml"] = b"/etc/passwd"
    members["bomb.xml"] = b"\x00" * (5 * 1024 * 1024)
    result = load_archive(make_source(_zip(members, links=("link.xml",)), "c.zip"), LoadContext())
    refused = sorted(p.message for p in result.problems if p.code == "INP004")
    assert len(refused) == 4
    assert any('".." path component' in m for m in refused)
    assert any("absolute path" in m for m in refused)
    assert any("symbolic link" in m for m in refused)
    assert any("compression ratio" in m for m in refused)
    assert any(isinstance(r, OAuthConfiguration) for r in result.records)


def test_broken_zip_is_a_parse_error() -> None:
    result = load_archive(make_source(b"PK\x03\x04garbage", "x.zip"), LoadContext())
    assert [p.code for p in result.problems] == ["INP001"]


DNS_CLIXML_OBJECT = """  <Obj RefId="{ref}">
    <TN RefId="{ref}">
      <T>Microsoft.Management.Infrastructure.CimInstance#root/Microsoft/Windows/DNS/DnsServerResourceRecord</T>
      <T>Microsoft.Management.Infrastructure.CimInstance#DnsServerResourceRecord</T>
      <T>Microsoft.Management.Infrastructure.CimInstance</T>
      <T>System.Object</T>
    </TN>
    <ToString>DnsServerResourceRecord</ToString>
    <Props>
      <S N="DistinguishedName">DC={host},DC=litwareinc.com,cn=MicrosoftDNS,DC=DomainDnsZones,DC=litwareinc,DC=com</S>
      <S N="HostName">{host}</S>
      <S N="RecordType">{rtype}</S>
      <Obj N="RecordData" RefId="{data_ref}">
        <TN RefId="{data_ref}"><T>Microsoft.Management.Infrastructure.CimInstance#root/Microsoft/Windows/DNS/DnsServerResourceRecord{rtype}</T></TN>
        <Props><S N="{field}">{value}</S></Props>
      </Obj>
    </Props>
  </Obj>
"""


def test_dns_records_exported_as_clixml_become_zones(tmp_path: Path) -> None:
    objects = DNS_CLIXML_OBJECT.format(
        ref=0,
        data_ref=1,
        host="autodiscover",
        rtype="CNAME",
        field="HostNameAlias",
        value="atl-exch-001.litwareinc.com.",
    ) + DNS_CLIXML_OBJECT.format(
        ref=2, data_ref=3, host="atl-exch-001", rtype="A", field="IPv4Address", value="10.0.2.21"
    )
    text = (
        '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
        + objects
        + "</Objs>\n"
    )
    result = load_clixml(make_source(text, "dns/records.xml", "utf-16"), LoadContext())
    assert result.kind == "clixml:dns-record"
    (zone,) = result.records
    assert isinstance(zone, DnsZone) and zone.origin == "litwareinc.com"
    (cname,) = zone.lookup("autodiscover.litwareinc.com", ("CNAME",))
    assert cname.data == "atl-exch-001.litwareinc.com"
    # At its HostName element (not column 1, as a zone file's records are).
    assert cname.loc == Location("dns/records.xml", 12, 7, "autodiscover.litwareinc.com/CNAME")


def test_dns_clixml_replaces_a_zone_file_for_dns001(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    fixturegen.write_bundle(fixturegen.BundleSpec(), bundle)
    (bundle / "dns" / "litwareinc.com.dns").unlink()
    objects = DNS_CLIXML_OBJECT.format(
        ref=0,
        data_ref=1,
        host="meet",
        rtype="CNAME",
        field="HostNameAlias",
        value="atl-cs-001.litwareinc.com.",
    )
    (bundle / "dns" / "records.xml").write_text(
        '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
        + objects
        + "</Objs>\n",
        encoding="utf-16",
    )
    (finding,) = findings(lint_path(bundle), "DNS001")
    assert finding.location.path == "dns/records.xml"
