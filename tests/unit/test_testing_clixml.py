"""`s2slint.testing.clixml`, the one CLIXML writer: what it writes, s2slint reads back."""

from __future__ import annotations

from conftest import make_source

from s2slint.loaders.clixml import PSObject, read_clixml
from s2slint.loaders.xmldoc import XmlDocument
from s2slint.testing.clixml import Obj, Ref, b, clixml, enum, nil, s

SSAUTH = "Microsoft.Rtc.Management.WritableConfig.Settings.SSAuth"
TRUST = f"{SSAUTH}.ApplicationTrustLevel"


def app(identity: str, trust: Obj | Ref) -> Obj:
    return Obj(
        None,
        (f"Deserialized.{SSAUTH}.PartnerApplication#Decorated", "Deserialized.System.Object"),
        to_string=identity,
        props=(s("Identity", identity), trust, b("Enabled", True), nil("Realm")),
        ms=(s("PSComputerName", "atl-cs-001.litwareinc.com"),),
    )


def test_type_names_enums_references_and_escapes_round_trip() -> None:
    text = clixml(
        [
            app("microsoft.exchange", enum_key(enum("ApplicationTrustLevel", TRUST, "Full", 2))),
            app("line\nbreak", Ref("ApplicationTrustLevel", "full")),
        ]
    )
    assert text.count("<TN RefId=") == 2 and "<TNRef RefId=" in text  # written once each
    assert "line_x000A_break" in text
    document = read_clixml(XmlDocument.parse(make_source(text)))
    assert document.problems == ()
    first, second = (value.value for value in document.objects)
    assert isinstance(first, PSObject) and isinstance(second, PSObject)
    assert second.type_names == first.type_names
    assert first.deserialized
    trust = second.get("ApplicationTrustLevel")
    assert trust is not None and trust.text == "Full"
    identity = second.get("Identity")
    assert identity is not None and identity.text == "line\nbreak"
    realm = first.get("Realm")
    assert realm is not None and realm.value is None
    computer = first.get("PSComputerName")
    assert computer is not None and computer.text == "atl-cs-001.litwareinc.com"


def enum_key(value: Obj) -> Obj:
    """The enum, keyed so that a later object can refer back to it."""
    return Obj(
        value.name,
        value.types,
        to_string=value.to_string,
        enum_value=value.enum_value,
        key="full",
    )
