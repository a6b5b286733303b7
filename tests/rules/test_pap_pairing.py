"""PAP004 exchange-partner-app-missing, PAP005 lync-partner-app-missing, PAP008
partner-app-disabled, PAP009 duplicate-partner-app, PAP010
conflicting-partner-app-parameters and PAP011 wrong-application-identifier."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bundle_lint import AS_OF, findings, lint_path, lint_spec, outcome, registry

from s2slint.findings import Location
from s2slint.model import Located, LyncPartnerApplication, Model
from s2slint.rule import Evaluated, NotEvaluated, RuleContext

EXCHANGE_ID = "00000002-0000-0ff1-ce00-000000000000"
SHAREPOINT_ID = "00000003-0000-0ff1-ce00-000000000000"
LYNC_ID = "00000004-0000-0ff1-ce00-000000000000"
SHAREPOINT_ONLY = (("microsoft.sharepoint", "Full"),)


def _without(tmp_path: Path, *paths: str, **changes: object) -> Path:
    lint_spec(tmp_path, **changes)
    bundle = tmp_path / "bundle"
    for path in paths:
        (bundle / path).unlink()
    return bundle


# ------------------------------------------------------------------- PAP004 / PAP005


def test_both_sides_trusting_each_other_pass(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    for code in ("PAP004", "PAP005"):
        assert findings(result, code) == []
        assert outcome(result, code) == Evaluated((), 1)


def test_lync_without_an_exchange_application_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, partner_trust_levels=SHAREPOINT_ONLY)
    (finding,) = findings(result, "PAP004")
    assert finding.message == (
        "Exchange integration is configured, but Lync has no partner application for "
        'Exchange (Get-CsPartnerApplication has "microsoft.sharepoint")'
    )
    assert finding.location.path == "lync/partner-applications.xml"
    assert [r.path for r in finding.related] == [
        "lync/oauth-configuration.xml",
        "exchange/partner-applications.xml",
    ]
    # Lync does not trust Exchange, so PAP005 has nothing to pair.
    assert outcome(result, "PAP005") == Evaluated((), 0)


def test_no_exchange_integration_needs_no_exchange_application(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        partner_trust_levels=SHAREPOINT_ONLY,
        exchange_autodiscover_url="",
        exchange_lync_app=False,
    )
    assert outcome(result, "PAP004") == Evaluated((), 0)


def test_pap004_needs_the_lync_export_and_a_sign_of_integration(tmp_path: Path) -> None:
    bundle = _without(tmp_path, "lync/oauth-configuration.xml", "exchange/partner-applications.xml")
    state = outcome(lint_path(bundle), "PAP004")
    assert isinstance(state, NotEvaluated) and "Get-CsOAuthConfiguration" in state.missing
    (bundle / "lync" / "partner-applications.xml").unlink()
    assert outcome(lint_path(bundle), "PAP004") == NotEvaluated("a Get-CsPartnerApplication export")


def test_exchange_without_an_application_for_lync_is_reported(tmp_path: Path) -> None:
    # Exchange Online's partner application (00000002-...) is not one for Lync.
    result = lint_spec(tmp_path, exchange_lync_app=False)
    (finding,) = findings(result, "PAP005")
    assert finding.message == (
        'Lync trusts Exchange (partner application "microsoft.exchange"), but Exchange has no '
        f"partner application for Lync (identifier {LYNC_ID} or a metadata URL on a Lync pool); "
        'Get-PartnerApplication has "Exchange Online"'
    )
    # Reported in the export that lacks it, with Lync's application related.
    assert finding.location.path == "exchange/partner-applications.xml"
    assert [r.path for r in finding.related] == ["lync/partner-applications.xml"]


def test_a_metadata_url_on_the_pool_identifies_exchanges_lync_application(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_lync_app_id="8a3f7b1c-0d2e-4f5a-9b6c-7d8e9f0a1b2c")
    assert findings(result, "PAP005") == []


def test_pap005_needs_exchanges_partner_applications(tmp_path: Path) -> None:
    bundle = _without(tmp_path, "exchange/partner-applications.xml")
    state = outcome(lint_path(bundle), "PAP005")
    assert state == NotEvaluated("an Exchange Get-PartnerApplication export")


# --------------------------------------------------------------------------- PAP008


def test_enabled_applications_pass(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "PAP008") == []
    assert outcome(result, "PAP008") == Evaluated((), 3)


def test_disabled_lync_applications_are_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, partner_apps_enabled=False)
    assert [f.message for f in findings(result, "PAP008")] == [
        'partner application "microsoft.exchange" (Exchange) is disabled',
        'partner application "microsoft.sharepoint" (SharePoint) is disabled',
    ]
    assert {f.location.pointer for f in findings(result, "PAP008")} == {
        "obj[0].Enabled",
        "obj[1].Enabled",
    }


def test_disabled_exchange_application_for_lync_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_lync_app_enabled=False)
    (finding,) = findings(result, "PAP008")
    assert finding.location.path == "exchange/partner-applications.xml"
    assert finding.message.endswith("(Lync) is disabled")


def test_pap008_without_partner_exports_is_not_evaluated(tmp_path: Path) -> None:
    bundle = _without(
        tmp_path, "lync/partner-applications.xml", "exchange/partner-applications.xml"
    )
    assert isinstance(outcome(lint_path(bundle), "PAP008"), NotEvaluated)


# --------------------------------------------------------------------------- PAP009


def test_distinct_applications_pass(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "PAP009") == []
    assert outcome(result, "PAP009") == Evaluated((), 3)


def test_two_applications_for_exchange_are_reported(tmp_path: Path) -> None:
    levels = (
        ("Exchange", "Full"),
        ("microsoft.exchange", "Full"),
        ("microsoft.sharepoint", "Full"),
    )
    result = lint_spec(tmp_path, partner_trust_levels=levels)
    (finding,) = findings(result, "PAP009")
    assert finding.message == (
        'partner applications "Exchange" and "microsoft.exchange" share the '
        f'ApplicationIdentifier "{EXCHANGE_ID}"'
    )
    assert finding.location.pointer == "obj[1].ApplicationIdentifier"
    assert [r.pointer for r in finding.related] == ["obj[0]"]


def test_the_same_export_twice_is_not_a_duplicate(tmp_path: Path) -> None:
    lint_spec(tmp_path)
    bundle = tmp_path / "bundle"
    copy = bundle / "lync" / "partner-applications-again.xml"
    copy.write_bytes((bundle / "lync" / "partner-applications.xml").read_bytes())
    assert findings(lint_path(bundle), "PAP009") == []


def test_pap009_without_partner_exports_is_not_evaluated(tmp_path: Path) -> None:
    bundle = _without(
        tmp_path, "lync/partner-applications.xml", "exchange/partner-applications.xml"
    )
    assert isinstance(outcome(lint_path(bundle), "PAP009"), NotEvaluated)


# --------------------------------------------------------------------------- PAP010


def test_identifier_shown_next_to_a_metadata_url_is_not_a_conflict(tmp_path: Path) -> None:
    # Lync shows the identifier it read from the metadata; Exchange the certificates.
    result = lint_spec(tmp_path)
    assert findings(result, "PAP010") == []
    assert outcome(result, "PAP010") == Evaluated((), 3)


def test_exchange_application_with_metadata_and_auth_server_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, exchange_lync_app_use_auth_server=True)
    (finding,) = findings(result, "PAP010")
    assert finding.location.pointer == "obj[0].UseAuthServer"
    assert "has both an AuthMetadataUrl" in finding.message
    assert [r.pointer for r in finding.related] == ["obj[0].AuthMetadataUrl"]


@dataclass(frozen=True, slots=True)
class _AppWithCertificate(LyncPartnerApplication):
    """A Lync partner application record as a loader reading certificate data makes it."""

    certificate: Located[str] | None = None


def test_lync_application_with_certificate_data_and_a_metadata_url_is_reported() -> None:
    where = Location("lync/partner-applications.xml", 12, 7, "obj[0]")
    app = _AppWithCertificate(
        loc=where,
        identity=Located("microsoft.exchange", where),
        application_identifier=Located(EXCHANGE_ID, where),
        application_trust_level=Located("Full", where),
        metadata_url=Located(
            "https://autodiscover.litwareinc.com/autodiscover/metadata/json/1",
            where.with_pointer("obj[0].MetadataUrl"),
        ),
        enabled=Located(True, where),
        realm=None,
        certificate=Located("MIIC8DCCAdig...", where.with_pointer("obj[0].CertificateRawData")),
    )
    rule = registry().rule("PAP010")
    assert rule is not None and rule.check is not None
    state = rule.check(Model(lync_partner_applications=(app,)), RuleContext(now=AS_OF))
    assert isinstance(state, Evaluated) and state.checked == 1
    (issue,) = state.issues
    assert issue.location.pointer == "obj[0].CertificateRawData"
    assert "explicit certificate data" in issue.message


def test_pap010_without_partner_exports_is_not_evaluated(tmp_path: Path) -> None:
    bundle = _without(
        tmp_path, "lync/partner-applications.xml", "exchange/partner-applications.xml"
    )
    assert isinstance(outcome(lint_path(bundle), "PAP010"), NotEvaluated)


# --------------------------------------------------------------------------- PAP011


def test_well_known_identifiers_on_the_right_products_pass(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "PAP011") == []
    assert outcome(result, "PAP011") == Evaluated((), 3)


def test_exchange_application_with_sharepoints_identifier_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, partner_app_ids=(("microsoft.exchange", SHAREPOINT_ID),))
    (finding,) = findings(result, "PAP011")
    assert finding.message == (
        'partner application "microsoft.exchange" is for Exchange but carries SharePoint\'s '
        f"ApplicationIdentifier {SHAREPOINT_ID} (expected {EXCHANGE_ID})"
    )
    assert finding.location.pointer == "obj[0].ApplicationIdentifier"
    # PAP001's product detection trusts the identifier: it is SharePoint's app there.
    assert findings(result, "PAP001") == []


def test_exchanges_application_for_lync_with_exchanges_identifier_is_reported(
    tmp_path: Path,
) -> None:
    result = lint_spec(tmp_path, exchange_lync_app_id=EXCHANGE_ID)
    (finding,) = findings(result, "PAP011")
    assert finding.location.path == "exchange/partner-applications.xml"
    assert "is for Lync but carries Exchange's ApplicationIdentifier" in finding.message


def test_pap011_without_partner_exports_is_not_evaluated(tmp_path: Path) -> None:
    bundle = _without(
        tmp_path, "lync/partner-applications.xml", "exchange/partner-applications.xml"
    )
    assert isinstance(outcome(lint_path(bundle), "PAP011"), NotEvaluated)
