"""The generic CLIXML reader and the recognition of cmdlet objects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import make_source
from exports import (
    CLIXML_HEADER,
    XML,
    PartnerApp,
    oauth_xml,
    partner_apps_xml,
    position_of,
    run_module,
)

from s2slint.engine.loading import PARALLEL_THRESHOLD
from s2slint.loaders.base import LoadContext
from s2slint.loaders.clixml import PSObject, PSProperty, parse_datetime, read_clixml, unescape
from s2slint.loaders.powershell import load_clixml, sniff_clixml
from s2slint.loaders.xmldoc import XmlDocument
from s2slint.model import CsCertificate, LyncPartnerApplication, OAuthConfiguration

PARTNER_APPS = partner_apps_xml(
    PartnerApp(
        metadata=(
            "AuthToken",
            "Value=https://autodiscover.litwareinc.com/autodiscover/metadata/json/1",
        )
    ),
    PartnerApp(
        "microsoft.sharepoint",
        application_id=None,
        enabled=False,
        metadata=("MetadataUrl", "https://sharepoint.litwareinc.com/_layouts/15/metadata/json/1"),
    ),
    deserialized=True,
)
"""Exchange and SharePoint through a remote session; SharePoint's trust level is a `Ref`."""


def test_unescape_handles_crlf_and_surrogate_pairs() -> None:
    assert unescape("a_x000D__x000A_b") == "a\r\nb"
    assert unescape("smile _xD83D__xDE00_") == "smile \U0001f600"
    assert unescape("no_escape_here") == "no_escape_here"


def test_parse_datetime_accepts_seven_fraction_digits_and_zulu() -> None:
    assert parse_datetime("2027-03-01T14:16:02.1234567+00:00") == datetime(
        2027, 3, 1, 14, 16, 2, 123456, tzinfo=UTC
    )
    assert parse_datetime("2027-03-01T14:16:02Z").tzinfo is not None
    assert parse_datetime("2027-03-01T14:16:02").tzinfo == UTC


def test_tnref_ref_enums_and_deserialized_prefix() -> None:
    document = read_clixml(XmlDocument.parse(make_source(PARTNER_APPS)))
    first, second = (value.value for value in document.objects)
    assert isinstance(first, PSObject) and isinstance(second, PSObject)
    assert first.deserialized
    assert first.type_names[0].endswith("SSAuth.PartnerApplication#Decorated")
    assert second.type_names == first.type_names  # through TNRef
    trust = second.get("applicationtrustlevel")  # case-insensitive like PowerShell
    assert trust is not None and trust.text == "Application"  # through Ref, enum by name
    assert document.problems == ()


def test_partner_applications_are_recognised_with_both_metadata_url_forms() -> None:
    result = load_clixml(make_source(PARTNER_APPS, encoding="utf-16"), LoadContext())
    assert result.kind == "clixml:lync-partner-application"
    apps = [r for r in result.records if isinstance(r, LyncPartnerApplication)]
    assert [a.name for a in apps] == ["microsoft.exchange", "microsoft.sharepoint"]
    exchange, sharepoint = apps
    assert exchange.metadata_url is not None
    assert (
        exchange.metadata_url.value
        == "https://autodiscover.litwareinc.com/autodiscover/metadata/json/1"
    )
    assert exchange.product == "exchange" and sharepoint.product == "sharepoint"
    assert exchange.application_trust_level is not None
    assert exchange.application_trust_level.loc.line == 12
    assert exchange.application_trust_level.loc.pointer == "obj[0].ApplicationTrustLevel"
    assert sharepoint.enabled is not None and sharepoint.enabled.value is False


def test_unknown_type_is_recognised_by_characteristic_properties() -> None:
    text = (
        CLIXML_HEADER
        + """  <Obj RefId="0">
    <TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>
    <MS>
      <S N="ExchangeAutodiscoverUrl">https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc</S>
      <S N="Realm">litwareinc.com</S>
    </MS>
  </Obj>
</Objs>"""
    )
    result = load_clixml(make_source(text), LoadContext())
    (config,) = result.records
    assert isinstance(config, OAuthConfiguration)
    assert config.realm is not None and config.realm.value == "litwareinc.com"


@pytest.mark.parametrize("extra", [0, 600])
def test_kinds_are_told_by_shape_whether_remembered_or_not(extra: int) -> None:
    # Kinds are remembered by type and property names, except for objects with too many
    # names to be worth keeping: both ways, the first matching kind in order wins, and
    # the same shape under another case of property names is recognised alike.
    padding = "".join(f'<S N="Extra{index}">x</S>' for index in range(extra))
    text = (
        CLIXML_HEADER
        + f"""  <Obj RefId="0">
    <TN RefId="0"><T>System.Management.Automation.PSCustomObject</T></TN>
    <MS><S N="ExchangeAutodiscoverUrl">{XML}</S><S N="ApplicationTrustLevel">Full</S>{padding}</MS>
  </Obj>
  <Obj RefId="1">
    <TNRef RefId="0" />
    <MS><S N="exchangeautodiscoverurl">{XML}</S><S N="ApplicationTrustLevel">Full</S>{padding}</MS>
  </Obj>
</Objs>"""
    )
    result = load_clixml(make_source(text), LoadContext())
    assert result.kind == "clixml:lync-oauth-configuration"
    assert [type(record) for record in result.records] == [OAuthConfiguration] * 2


def test_cs_certificate_keeps_computer_name_dates_and_lists() -> None:
    text = (
        CLIXML_HEADER
        + """  <Obj RefId="0">
    <TN RefId="0"><T>Microsoft.Rtc.Management.Deployment.CertificateReference</T><T>System.Object</T></TN>
    <Props>
      <S N="Thumbprint">1a 2b 3c</S>
      <DT N="NotAfter">2028-01-15T00:00:00+00:00</DT>
      <Obj N="AlternativeNames" RefId="1"><TN RefId="1"><T>System.Collections.Generic.List`1</T></TN>
        <LST><S>litwareinc.com</S><S>fabrikam.com</S></LST></Obj>
      <Obj N="Use" RefId="2"><TN RefId="2"><T>Microsoft.Rtc.Management.Deployment.CertType</T><T>System.Enum</T></TN>
        <ToString>OAuthTokenIssuer</ToString><I32>13</I32></Obj>
      <Nil N="EffectiveDate" />
    </Props>
    <MS><S N="PSComputerName">ATL-FE-01</S></MS>
  </Obj>
</Objs>"""
    )
    result = load_clixml(make_source(text, "servers/x/certs.xml"), LoadContext())
    (entry,) = result.records
    assert isinstance(entry, CsCertificate)
    assert entry.is_oauth
    assert entry.alternative_names == ("litwareinc.com", "fabrikam.com")
    assert entry.not_after is not None and entry.not_after.value.year == 2028
    assert entry.effective_date is None
    assert entry.computer_name is not None and entry.computer_name.value == "ATL-FE-01"
    assert entry.source_dirs == ("servers", "x")


def test_dangling_reference_is_a_parse_error_not_a_crash() -> None:
    text = (
        CLIXML_HEADER
        + '  <Obj RefId="0"><TNRef RefId="9" /><Props><Ref N="X" RefId="7" /></Props></Obj>\n</Objs>'
    )
    result = load_clixml(make_source(text), LoadContext())
    codes = sorted(p.code for p in result.problems)
    assert codes == ["INP001", "INP001", "INP002"]


def test_bad_primitive_value_is_reported_with_its_line() -> None:
    text = (
        CLIXML_HEADER
        + '  <Obj RefId="0">\n    <Props>\n      <I32 N="Depth">six</I32>\n    </Props>\n  </Obj>\n</Objs>'
    )
    result = load_clixml(make_source(text), LoadContext())
    bad = [p for p in result.problems if p.code == "INP001"]
    assert len(bad) == 1 and bad[0].location.line == 4 and "not a valid I32" in bad[0].message


# An OAuth configuration whose values share lines, with start tags spread over lines.
CRAMPED_OAUTH = oauth_xml().replace(
    '      <S N="Identity">Global</S>\n      <S N="ExchangeAutodiscoverUrl">',
    '      <S N="Identity">Global</S><S N="Realm2">x</S><I32 N="Port">1</I32><S\n'
    '         N="ExchangeAutodiscoverUrl"\n        >',
)


def located_values(values: Iterable[PSProperty]) -> Iterator[PSProperty]:
    """Every value of a document, nested objects' properties and list items included."""
    for value in values:
        yield value
        if isinstance(value.value, PSObject):
            yield from located_values(value.value.properties.values())
            yield from located_values(value.value.items or ())


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_every_value_is_located_at_its_own_start_tag_when_asked(encoding: str) -> None:
    # Values keep their element and are located only when a record asks (`loc`); the
    # position must be the one the eager index gave: the "<" of the value's own tag.
    text = CRAMPED_OAUTH.replace("\n", "\r\n")
    document = read_clixml(XmlDocument.parse(make_source(text, encoding=encoding)))
    values = list(located_values(document.objects))
    assert len(values) == 7
    for value in reversed(values):
        if value.name is None:
            tag, pointer = text.index('<Obj RefId="0">'), "obj[0]"
        else:
            tag, pointer = (
                text.rindex("<", 0, text.index(f'N="{value.name}"')),
                f"obj[0].{value.name}",
            )
        line = text.count("\n", 0, tag) + 1
        column = tag - text.rfind("\n", 0, tag)
        assert (value.loc.line, value.loc.column, value.loc.pointer) == (line, column, pointer)


def test_a_value_in_a_finding_has_one_position_fresh_cached_and_in_workers(
    tmp_path: Path,
) -> None:
    # The position of a value that ends up in a finding, computed lazily, must reach
    # the report unchanged whether the file was just read, read in a worker process
    # (the result is sent back) or served from the cache (the result was encoded).
    bundle = tmp_path / "bundle"
    for index in range(PARALLEL_THRESHOLD + 2):
        folder = bundle / f"pool{index:02d}"
        folder.mkdir(parents=True)
        (folder / "oauth.xml").write_text(CRAMPED_OAUTH, encoding="utf-16")
    line, column = position_of(CRAMPED_OAUTH, '<S\n         N="ExchangeAutodiscoverUrl"')
    check = ("check", str(bundle), "--isolated", "--output-format", "concise")
    cache = str(tmp_path / "cache")
    fresh = run_module(*check, "--no-cache", cwd=tmp_path).stdout
    assert fresh.count(f"/oauth.xml:{line}:{column}: OAU001 ") == PARALLEL_THRESHOLD + 2
    assert run_module(*check, "--no-cache", "--jobs", "2", cwd=tmp_path).stdout == fresh
    assert run_module(*check, "--cache-dir", cache, "--jobs", "2", cwd=tmp_path).stdout == fresh
    assert run_module(*check, "--cache-dir", cache, cwd=tmp_path).stdout == fresh


def test_clixml_of_unknown_objects_is_unrecognized_input() -> None:
    text = (
        CLIXML_HEADER
        + '  <Obj RefId="0"><TN RefId="0"><T>Foo.Bar</T></TN><Props><S N="A">b</S></Props></Obj>\n</Objs>'
    )
    result = load_clixml(make_source(text), LoadContext())
    assert [p.code for p in result.problems] == ["INP002"]
    assert '"Foo.Bar"' in result.problems[0].message


def test_sniff_needs_the_powershell_namespace() -> None:
    assert sniff_clixml(make_source(PARTNER_APPS, encoding="utf-16"))
    assert not sniff_clixml(make_source("<Objs><Obj/></Objs>"))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("exchange2019-GetAuthConfig.xml", "clixml:exchange-auth-config"),
        ("exchange2019-GetPartnerApplication.xml", "clixml:exchange-partner-application"),
        ("exchange2019-GetExchangeServer.xml", "clixml:exchange-server"),
        ("exchange2019-GetExchangeCertificate.xml", "clixml:exchange-certificate"),
    ],
)
def test_genuine_exchange_exports_load_fully(samples: Path, name: str, kind: str) -> None:
    path = samples / name
    source = make_source(path.read_bytes(), f"samples/{name}")
    assert sniff_clixml(source)
    result = load_clixml(source, LoadContext())
    assert result.kind == kind
    assert result.problems == ()
    assert result.records


def test_genuine_auth_config_and_certificate_agree(samples: Path) -> None:
    config = load_clixml(
        make_source((samples / "exchange2019-GetAuthConfig.xml").read_bytes()), LoadContext()
    ).records[0]
    certificates = load_clixml(
        make_source((samples / "exchange2019-GetExchangeCertificate.xml").read_bytes()),
        LoadContext(),
    ).records
    current = config.current_thumbprint
    assert current.value == "C3EDCF181EF4F9B53D01768ECA99564014BCA6E7"
    thumbprints = {c.thumbprint for c in certificates}
    assert current.value in thumbprints
    auth = next(c for c in certificates if c.thumbprint == current.value)
    assert auth.signature_hash == "sha1"
    assert auth.server == "solo-e19a.solo.com"
