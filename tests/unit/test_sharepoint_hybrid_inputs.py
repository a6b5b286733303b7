"""The SharePoint, hybrid and certificate inputs of catalogue v2, in every form read.

`Get-SPTrustedSecurityTokenIssuer`, `Get-SPSecurityTokenServiceConfig`,
`Get-HybridConfiguration`, `Get-ChildItem Cert:\\...` and Exchange partner applications'
`CertificateStrings`, each as CLIXML (written by the fixture generator in the genuine
layout), `ConvertTo-Json`, `Export-Csv` and inside a ZIP.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import fixturegen
from bundle_lint import findings, lint_spec, outcome
from conftest import make_source

from s2slint.evidence import Export, any_of, unmet
from s2slint.loaders.archive import load_archive
from s2slint.loaders.base import LoadContext, LoadResult
from s2slint.loaders.powershell import load_clixml
from s2slint.loaders.pscsv import load_csv, sniff_csv
from s2slint.loaders.psjson import load_json, sniff_json
from s2slint.model import (
    Certificate,
    ExchangePartnerApplication,
    HybridConfiguration,
    Model,
    SharePointStsConfig,
    SharePointTrustedIssuer,
)
from s2slint.rule import Evaluated

SHAREPOINT = fixturegen.BundleSpec(
    sharepoint_exports=True,
    hybrid_configuration_changed=datetime(2025, 9, 16, 14, 9, 31, tzinfo=UTC),
    exchange_lync_app_certificates="current",
)
OAUTH_DER = fixturegen.certificate_der(SHAREPOINT, "oauth")
OAUTH_THUMBPRINT = hashlib.sha1(OAUTH_DER).hexdigest().upper()
STS_DER = fixturegen.certificate_der(SHAREPOINT, "sharepoint-sts")
STS_THUMBPRINT = hashlib.sha1(STS_DER).hexdigest().upper()
AUTH_DER = fixturegen.certificate_der(SHAREPOINT, "exchange-auth")
AUTH_THUMBPRINT = hashlib.sha1(AUTH_DER).hexdigest().upper()
LYNC_REGISTERED = "00000004-0000-0ff1-ce00-000000000000@litwareinc.com"
LYNC_METADATA = "https://atl-cs-001.litwareinc.com/metadata/json/1"


def _load_generated(tmp_path: Path, spec: fixturegen.BundleSpec, member: str) -> LoadResult:
    """Write `spec`'s bundle and load one of its CLIXML files."""
    fixturegen.write_bundle(spec, tmp_path / "b")
    data = (tmp_path / "b" / member).read_bytes()
    return load_clixml(make_source(data, member), LoadContext())


def _records(result: LoadResult, kind: type) -> list:  # type: ignore[type-arg]
    return [r for r in result.records if isinstance(r, kind)]


def _lync_issuer(result: LoadResult) -> SharePointTrustedIssuer:
    (issuer,) = [
        i
        for i in _records(result, SharePointTrustedIssuer)
        if i.application_identifier == "00000004-0000-0ff1-ce00-000000000000"
    ]
    return issuer


def _ps_json(value: object) -> str:
    """Write JSON the way Windows PowerShell 5.1's ConvertTo-Json lays it out."""
    return json.dumps(value, indent=4).replace('": ', '":  ')


# ------------------------------------------------------------------------- CLIXML


def test_trusted_issuers_clixml_with_uri_tag_and_decoded_signing_certificate(
    tmp_path: Path,
) -> None:
    result = _load_generated(tmp_path, SHAREPOINT, "sharepoint/trusted-issuers.xml")
    assert result.kind == "clixml:sharepoint-trusted-issuer"
    assert result.problems == ()
    exchange, lync = _records(result, SharePointTrustedIssuer)
    assert exchange.application_identifier == "00000002-0000-0ff1-ce00-000000000000"
    assert lync.title == "Skype for Business Server"
    assert lync.registered_issuer_name is not None
    assert lync.registered_issuer_name.value == LYNC_REGISTERED
    assert lync.realm == "litwareinc.com"
    assert lync.metadata_endpoint is not None and lync.metadata_endpoint.value == LYNC_METADATA
    assert lync.metadata_endpoint.loc.pointer == "obj[1].MetadataEndPoint"
    assert lync.is_self_issuer is not None and lync.is_self_issuer.value is False
    assert lync.signing_certificates is not None
    (certificate,) = lync.signing_certificates
    assert certificate.thumbprint == OAUTH_THUMBPRINT
    assert certificate.decoded is not None and certificate.decoded.key_bits == 2048
    assert certificate.loc.pointer == "obj[1].SigningCertificate.Thumbprint"
    assert certificate.not_after == datetime(2028, 1, 15, 14, tzinfo=UTC)


def test_trusted_issuer_metadata_endpoint_as_a_nested_uri_object(tmp_path: Path) -> None:
    spec = replace(SHAREPOINT, sharepoint_metadata_endpoint_as_object=True)
    lync = _lync_issuer(_load_generated(tmp_path, spec, "sharepoint/trusted-issuers.xml"))
    assert lync.metadata_endpoint is not None
    assert lync.metadata_endpoint.value == LYNC_METADATA
    assert lync.metadata_endpoint.loc.pointer == "obj[1].MetadataEndPoint.OriginalString"


CLIXML_HEAD = '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
ISSUER_TYPE = "Microsoft.SharePoint.Administration.Claims.SPTrustedSecurityTokenIssuer"
TO_STRING = (
    "[Subject]_x000D__x000A_  CN=litwareinc.com_x000D__x000A__x000D__x000A_"
    "[Thumbprint]_x000D__x000A_  {thumbprint}_x000D__x000A_"
)


def test_signing_certificate_past_the_depth_or_without_rawdata(tmp_path: Path) -> None:
    """`-Depth 1` keeps only the certificate's ToString; other exports only its properties."""
    text = (
        CLIXML_HEAD + f'  <Obj RefId="0"><TN RefId="0"><T>{ISSUER_TYPE}</T></TN><Props>\n'
        f'    <S N="RegisteredIssuerName">{LYNC_REGISTERED}</S>\n'
        f'    <S N="SigningCertificate">{TO_STRING.format(thumbprint=OAUTH_THUMBPRINT)}</S>\n'
        f'    <URI N="MetadataEndPoint">{LYNC_METADATA}</URI>\n'
        "  </Props></Obj>\n"
        '  <Obj RefId="1"><TNRef RefId="0" /><Props>\n'
        '    <S N="RegisteredIssuerName">00000002-0000-0ff1-ce00-000000000000@x</S>\n'
        '    <Obj N="SigningCertificate" RefId="2"><TN RefId="1"><T>System.Object</T></TN>\n'
        '      <Props><S N="Thumbprint">ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01'
        "</S>\n"
        '      <DT N="NotAfter">2030-06-01T09:12:07-04:00</DT></Props></Obj>\n'
        '    <Nil N="MetadataEndPoint" />\n'
        '    <Obj N="AdditionalSigningCertificates" RefId="3"><TN RefId="2"><T>List</T></TN>'
        f"<LST><S>{TO_STRING.format(thumbprint=AUTH_THUMBPRINT)}</S></LST></Obj>\n"
        "  </Props></Obj>\n</Objs>\n"
    )
    result = load_clixml(make_source(text, "sp/issuers.xml", "utf-16"), LoadContext())
    assert result.problems == ()
    lync, other = _records(result, SharePointTrustedIssuer)
    assert lync.signing_certificates is not None
    (from_text,) = lync.signing_certificates
    assert from_text.thumbprint == OAUTH_THUMBPRINT and from_text.subject == "CN=litwareinc.com"
    assert from_text.not_after is None  # a local, culture-formatted date is never guessed
    assert other.metadata_endpoint is None
    assert other.signing_certificates is not None
    from_properties, additional = other.signing_certificates
    assert from_properties.thumbprint == "ABCDEF0123456789ABCDEF0123456789ABCDEF01"
    assert from_properties.not_after == datetime(2030, 6, 1, 13, 12, 7, tzinfo=UTC)
    assert from_properties.decoded is None
    assert additional.thumbprint == AUTH_THUMBPRINT


def test_undecodable_signing_certificate_is_a_parse_error_not_a_crash() -> None:
    text = (
        CLIXML_HEAD + f'  <Obj RefId="0"><TN RefId="0"><T>{ISSUER_TYPE}</T></TN><Props>\n'
        f'    <S N="RegisteredIssuerName">{LYNC_REGISTERED}</S>\n'
        '    <Obj N="SigningCertificate" RefId="1"><TN RefId="1"><T>X</T></TN>\n'
        '      <Props><BA N="RawData">AAECAw==</BA></Props></Obj>\n'
        "  </Props></Obj>\n</Objs>\n"
    )
    result = load_clixml(make_source(text), LoadContext())
    assert [p.code for p in result.problems] == ["INP001"]
    (issuer,) = _records(result, SharePointTrustedIssuer)
    assert issuer.signing_certificates == ()


def test_sts_config_clixml(tmp_path: Path) -> None:
    spec = replace(SHAREPOINT, sharepoint_allow_oauth_over_http=True)
    result = _load_generated(tmp_path, spec, "sharepoint/sts-config.xml")
    assert result.kind == "clixml:sharepoint-sts-config"
    (config,) = _records(result, SharePointStsConfig)
    assert config.realm == SHAREPOINT.sharepoint_realm
    assert config.allow_oauth_over_http is not None and config.allow_oauth_over_http.value
    assert config.allow_metadata_over_http is not None
    assert config.allow_metadata_over_http.value is False
    assert config.signing_certificate is not None
    assert config.signing_certificate.thumbprint == STS_THUMBPRINT
    assert config.signing_certificate.subject is not None
    assert "SharePoint Security Token Service" in config.signing_certificate.subject


def test_hybrid_configuration_clixml_as_exchange_2019_writes_it(tmp_path: Path) -> None:
    result = _load_generated(tmp_path, SHAREPOINT, "exchange/hybrid-configuration.xml")
    assert result.kind == "clixml:exchange-hybrid-configuration"
    assert result.problems == ()
    (hybrid,) = _records(result, HybridConfiguration)
    assert hybrid.name is not None and hybrid.name.value == "Hybrid Configuration"
    assert hybrid.when_changed is not None
    assert hybrid.when_changed.value == datetime(2025, 9, 16, 14, 9, 31, tzinfo=UTC)
    assert hybrid.when_changed.loc.pointer == "obj[0].WhenChangedUTC"
    assert hybrid.features is not None and "FreeBusy" in hybrid.features
    assert hybrid.domains == ("litwareinc.com", "fabrikam.com")


def test_partner_application_certificate_strings_are_decoded(tmp_path: Path) -> None:
    result = _load_generated(tmp_path, SHAREPOINT, "exchange/partner-applications.xml")
    lync, online = _records(result, ExchangePartnerApplication)
    assert lync.certificates is not None
    (held,) = lync.certificates
    assert held.thumbprint == OAUTH_THUMBPRINT
    assert held.loc.pointer == "obj[0].CertificateStrings[0]"
    assert online.certificates == ()  # an empty list is a real "none"


def test_certificate_strings_that_are_no_certificate_are_parse_errors() -> None:
    text = (
        CLIXML_HEAD + '  <Obj RefId="0"><TN RefId="0">'
        "<T>Microsoft.Exchange.Data.Directory.SystemConfiguration.PartnerApplication</T></TN>"
        '<Props><S N="Name">LyncEnterprise-1</S>\n'
        '    <Obj N="CertificateStrings" RefId="1"><TN RefId="1"><T>MVP</T></TN><LST>'
        f"<S>{base64.b64encode(OAUTH_DER).decode()}</S><S>not base64!</S></LST></Obj>\n"
        "  </Props></Obj>\n</Objs>\n"
    )
    result = load_clixml(make_source(text), LoadContext())
    assert [p.code for p in result.problems] == ["INP001"]
    assert "CertificateStrings" in result.problems[0].message
    (app,) = _records(result, ExchangePartnerApplication)
    assert app.certificates is not None
    assert [c.thumbprint for c in app.certificates] == [OAUTH_THUMBPRINT]


def test_certificate_store_export_through_invoke_command(tmp_path: Path) -> None:
    spec = replace(SHAREPOINT, exchange_certificates_from_store=True)
    result = _load_generated(tmp_path, spec, "exchange/certificate-store.xml")
    assert result.kind == "clixml:certificate-store"
    auth, iis = _records(result, Certificate)
    assert auth.thumbprint == AUTH_THUMBPRINT
    assert auth.server == "atl-exch-001.litwareinc.com"
    assert auth.has_private_key and auth.private_key_matches is None
    assert "autodiscover.litwareinc.com" in iis.dns_names


def test_a_local_certificate_store_export_has_no_server() -> None:
    """The shape of a local `Get-ChildItem Cert:` export: RawData and the ToString text."""
    text = (
        CLIXML_HEAD + '  <Obj RefId="0"><TN RefId="0">'
        "<T>System.Security.Cryptography.X509Certificates.X509Certificate2</T>"
        "<T>System.Security.Cryptography.X509Certificates.X509Certificate</T><T>System.Object</T>"
        f"</TN><ToString>{TO_STRING.format(thumbprint=AUTH_THUMBPRINT)}</ToString>\n"
        f'    <Props><BA N="RawData">{base64.b64encode(AUTH_DER).decode()}</BA></Props>\n'
        "  </Obj>\n</Objs>\n"
    )
    result = load_clixml(make_source(text, "certs/store.xml"), LoadContext())
    assert result.kind == "clixml:certificate-store"
    (certificate,) = _records(result, Certificate)
    assert certificate.thumbprint == AUTH_THUMBPRINT and certificate.server is None


def test_store_certificates_are_exchange_certificate_evidence(tmp_path: Path) -> None:
    """CRT015 reads the certificate store export as it reads Get-ExchangeCertificate."""
    exchange = lint_spec(tmp_path / "a")
    store = lint_spec(tmp_path / "b", exchange_certificates_from_store=True)
    for code in ("CRT015", "CRT011", "CRT003"):
        assert outcome(store, code) == outcome(exchange, code), code
    assert isinstance(outcome(store, "CRT015"), Evaluated)
    assert findings(store, "CRT015") == []


# --------------------------------------------------------------------------- JSON

ISSUERS_JSON = _ps_json(
    [
        {
            "NameId": LYNC_REGISTERED,
            "RegisteredIssuerName": LYNC_REGISTERED,
            "IsSelfIssuer": False,
            "SigningCertificate": {
                "Archived": False,
                "Thumbprint": OAUTH_THUMBPRINT,
                "RawData": "System.Byte[]",  # past ConvertTo-Json's depth
                "Subject": "CN=litwareinc.com",
            },
            "MetadataEndPoint": {
                "AbsolutePath": "/metadata/json/1",
                "AbsoluteUri": LYNC_METADATA,
                "Host": "atl-cs-001.litwareinc.com",
                "OriginalString": LYNC_METADATA,
                "Scheme": "https",
            },
            "IsAutomaticallyUpdated": True,
            "Name": "Skype for Business Server",
        }
    ]
)


def test_trusted_issuers_json() -> None:
    source = make_source(ISSUERS_JSON, "sharepoint/issuers.json", "utf-16")
    assert sniff_json(source)
    result = load_json(source, LoadContext())
    assert result.kind == "json:sharepoint-trusted-issuer"
    (issuer,) = _records(result, SharePointTrustedIssuer)
    assert issuer.metadata_endpoint is not None
    assert issuer.metadata_endpoint.value == LYNC_METADATA
    assert issuer.metadata_endpoint.loc.line is not None
    assert issuer.signing_certificates is not None
    (certificate,) = issuer.signing_certificates
    assert certificate.thumbprint == OAUTH_THUMBPRINT and certificate.decoded is None


def test_sts_config_json_with_rawdata_as_numbers() -> None:
    text = _ps_json(
        {
            "NameIdentifier": "00000003-0000-0ff1-ce00-000000000000@litware-farm",
            "AllowOAuthOverHttp": True,
            "AllowMetadataOverHttp": False,
            "SigningCertificate": {"Thumbprint": STS_THUMBPRINT, "RawData": list(STS_DER)},
        }
    )
    result = load_json(make_source(text, "sharepoint/sts.json"), LoadContext())
    assert result.kind == "json:sharepoint-sts-config"
    (config,) = _records(result, SharePointStsConfig)
    assert config.realm == "litware-farm"
    assert config.allow_oauth_over_http is not None and config.allow_oauth_over_http.value
    assert config.signing_certificate is not None
    assert config.signing_certificate.decoded is not None
    assert config.signing_certificate.decoded.thumbprint == STS_THUMBPRINT


def test_hybrid_configuration_json_with_windows_powershell_dates() -> None:
    text = (
        "{\n"
        '    "OnPremisesSmartHost":  "mail.litwareinc.com",\n'
        '    "TlsCertificateName":  "<I>CN=LitwareInc Enterprise CA<S>CN=mail.litwareinc.com",\n'
        '    "Features":  [0, 1, 2],\n'
        '    "WhenChanged":  "\\/Date(1758031771000)\\/",\n'
        '    "WhenChangedUTC":  "\\/Date(1758031771000)\\/",\n'
        '    "Name":  "Hybrid Configuration"\n'
        "}\n"
    )
    result = load_json(make_source(text, "exchange/hybrid.json"), LoadContext())
    assert result.kind == "json:exchange-hybrid-configuration"
    (hybrid,) = _records(result, HybridConfiguration)
    assert hybrid.when_changed is not None
    assert hybrid.when_changed.value == datetime(2025, 9, 16, 14, 9, 31, tzinfo=UTC)


def test_certificate_store_json_and_partner_application_certificate_strings_json() -> None:
    store = _ps_json(
        [
            {
                "PSPath": "Microsoft.PowerShell.Security\\Certificate::LocalMachine\\My\\X",
                "PSParentPath": "Microsoft.PowerShell.Security\\Certificate::LocalMachine\\My",
                "Thumbprint": AUTH_THUMBPRINT,
                "HasPrivateKey": True,
                "RawData": list(AUTH_DER),
            }
        ]
    )
    result = load_json(make_source(store, "exchange/store.json"), LoadContext())
    assert result.kind == "json:certificate-store"
    (certificate,) = _records(result, Certificate)
    assert certificate.thumbprint == AUTH_THUMBPRINT and certificate.key_bits == 2048
    apps = _ps_json(
        [
            {
                "Name": "LyncEnterprise-1",
                "ApplicationIdentifier": "00000004-0000-0ff1-ce00-000000000000",
                "AuthMetadataUrl": LYNC_METADATA,
                "CertificateStrings": [base64.b64encode(OAUTH_DER).decode()],
            }
        ]
    )
    result = load_json(make_source(apps, "exchange/apps.json"), LoadContext())
    (app,) = _records(result, ExchangePartnerApplication)
    assert app.certificates is not None
    assert [c.thumbprint for c in app.certificates] == [OAUTH_THUMBPRINT]


# ---------------------------------------------------------------------------- CSV

CERTIFICATE_CELL = TO_STRING.replace("_x000D__x000A_", "\r\n").format(thumbprint=OAUTH_THUMBPRINT)


def test_trusted_issuers_csv_keeps_the_thumbprint_of_the_certificate_text() -> None:
    text = (
        f"#TYPE {ISSUER_TYPE}\r\n"
        '"NameId","RegisteredIssuerName","IsSelfIssuer","SigningCertificate",'
        '"MetadataEndPoint","Name"\r\n'
        f'"{LYNC_REGISTERED}","{LYNC_REGISTERED}","False","{CERTIFICATE_CELL}",'
        f'"{LYNC_METADATA}","Skype for Business Server"\r\n'
    )
    source = make_source(text, "sharepoint/issuers.csv", "ascii")
    assert sniff_csv(source)
    result = load_csv(source, LoadContext())
    assert result.kind == "csv:sharepoint-trusted-issuer"
    (issuer,) = _records(result, SharePointTrustedIssuer)
    assert issuer.is_self_issuer is not None and issuer.is_self_issuer.value is False
    assert issuer.metadata_endpoint is not None
    assert issuer.metadata_endpoint.value == LYNC_METADATA
    assert issuer.signing_certificates is not None
    assert [c.thumbprint for c in issuer.signing_certificates] == [OAUTH_THUMBPRINT]


def test_sts_config_and_hybrid_configuration_csv_without_type_lines() -> None:
    sts = (
        '"NameIdentifier";"AllowOAuthOverHttp";"AllowMetadataOverHttp"\r\n'
        '"00000003-0000-0ff1-ce00-000000000000@farm";"False";"True"\r\n'
    )
    result = load_csv(make_source(sts, "sharepoint/sts.csv", "ascii"), LoadContext())
    assert result.kind == "csv:sharepoint-sts-config"
    (config,) = _records(result, SharePointStsConfig)
    assert config.allow_metadata_over_http is not None and config.allow_metadata_over_http.value
    assert config.signing_certificate is None
    hybrid = (
        "#TYPE Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration."
        "HybridConfiguration\r\n"
        '"OnPremisesSmartHost","TlsCertificateName","WhenChangedUTC","Name"\r\n'
        '"mail.litwareinc.com","<I>CN=CA<S>CN=mail","9/16/2025 2:09:31 PM",'
        '"Hybrid Configuration"\r\n'
    )
    result = load_csv(make_source(hybrid, "exchange/hybrid.csv", "ascii"), LoadContext())
    assert result.kind == "csv:exchange-hybrid-configuration"
    (config_row,) = _records(result, HybridConfiguration)
    assert config_row.when_changed is not None
    assert config_row.when_changed.value == datetime(2025, 9, 16, 14, 9, 31, tzinfo=UTC)


def test_certificate_store_csv_and_certificate_strings_as_a_type_name() -> None:
    store = (
        "#TYPE System.Security.Cryptography.X509Certificates.X509Certificate2\r\n"
        '"PSParentPath","Thumbprint","NotAfter","NotBefore","Subject","Issuer","RawData",'
        '"HasPrivateKey"\r\n'
        f'"Certificate::LocalMachine\\My","{AUTH_THUMBPRINT}","6/1/2030 1:12:07 PM",'
        '"6/1/2025 1:12:07 PM","CN=Microsoft Exchange Server Auth Certificate",'
        '"CN=Microsoft Exchange Server Auth Certificate","System.Byte[]","True"\r\n'
    )
    result = load_csv(make_source(store, "exchange/store.csv", "ascii"), LoadContext())
    assert result.kind == "csv:certificate-store"
    (certificate,) = _records(result, Certificate)
    assert certificate.thumbprint == AUTH_THUMBPRINT
    assert certificate.key_type == "unknown"  # no RawData: the key is not shown
    apps = (
        "#TYPE Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration."
        "PartnerApplication\r\n"
        '"Name","ApplicationIdentifier","AuthMetadataUrl","CertificateStrings"\r\n'
        '"LyncEnterprise-1","00000004-0000-0ff1-ce00-000000000000",'
        f'"{LYNC_METADATA}","Microsoft.Exchange.Data.MultiValuedProperty`1[System.String]"\r\n'
    )
    result = load_csv(make_source(apps, "exchange/apps.csv", "ascii"), LoadContext())
    assert result.problems == ()
    (app,) = _records(result, ExchangePartnerApplication)
    assert app.certificates is None  # written as a type name: unknown, not "none"


# ---------------------------------------------------------------------------- ZIP


def test_sharepoint_and_hybrid_exports_inside_a_zip(tmp_path: Path) -> None:
    fixturegen.write_bundle(SHAREPOINT, tmp_path / "b")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in (
            "sharepoint/trusted-issuers.xml",
            "sharepoint/sts-config.xml",
            "exchange/hybrid-configuration.xml",
        ):
            info = zipfile.ZipInfo(member, date_time=(2026, 11, 21, 0, 0, 0))
            archive.writestr(info, (tmp_path / "b" / member).read_bytes())
    result = load_archive(make_source(buffer.getvalue(), "exports/farm.zip"), LoadContext())
    assert result.problems == ()
    kinds = {type(r) for r in result.records}
    assert {SharePointTrustedIssuer, SharePointStsConfig, HybridConfiguration} <= kinds
    sts = next(r for r in result.records if isinstance(r, SharePointStsConfig))
    assert sts.loc.path == "exports/farm.zip!/sharepoint/sts-config.xml"


# ------------------------------------------------------------------------- evidence


def test_every_kind_of_record_has_an_export_phrase() -> None:
    """A rule can only declare what it needs if the vocabulary names every kind."""
    fields = {
        name
        for name, kind in Model.__annotations__.items()
        if kind.startswith("tuple[") and name not in ("files", "extras", "live_dns")
    }
    assert {export.field for export in Export} == fields
    for export in (Export.SHAREPOINT_ISSUERS, Export.SHAREPOINT_STS_CONFIGS):
        assert "SharePoint Management Shell" in export.phrase
    assert Export.HYBRID_CONFIGURATIONS.phrase == "an Exchange Get-HybridConfiguration export"


def test_a_conditional_requirement_is_met_when_the_bundle_does_not_need_the_export() -> None:
    """No SharePoint farm to trust, no SharePoint export to ask for (and no INP006)."""
    requirement = any_of(
        Export.SHAREPOINT_ISSUERS, when=lambda model: bool(model.lync_partner_applications)
    )
    assert requirement.met(Model()) and not requirement.needed(Model())
    lync = Model(lync_partner_applications=(object(),))  # type: ignore[arg-type]
    assert requirement.needed(lync) and not requirement.met(lync)
    assert unmet((requirement,), lync) == Export.SHAREPOINT_ISSUERS.phrase
