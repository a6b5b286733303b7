"""PAP010 conflicting-partner-app-parameters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from bundle_lint import AS_OF, findings, lint_spec, registry, spec
from pap_bundles import (
    EXCHANGE_APPS,
    EXCHANGE_ID,
    NO_PARTNER_EXPORTS,
    assert_documented_fix_valid,
    check_with_fixes,
    pscheck_problems,
)

from s2slint.findings import Location
from s2slint.model import Located, LyncPartnerApplication, Model
from s2slint.rule import Evaluated, RuleContext
from s2slint.testing import Case, case_id

CASES = (
    # Lync shows the identifier it read from the metadata; Exchange the certificates.
    Case("an identifier shown next to a metadata URL is no conflict", spec(), checked=3),
    Case(
        "Exchange's application for Lync with metadata and UseAuthServer",
        spec(exchange_lync_app_use_auth_server=True),
        expect=(EXCHANGE_APPS,),
        contains=("has both an AuthMetadataUrl",),
        # Recreated from the pool's metadata only, then IIS restarted on Exchange.
        fix_contains=(
            "Remove-PartnerApplication -Identity 'LyncEnterprise-",
            "cd $exscripts\n.\\Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl "
            "'https://atl-cs-001.litwareinc.com/metadata/json/1' -ApplicationType Lync\n"
            "iisreset atl-exch-001.litwareinc.com",
        ),
    ),
    Case("no partner application export", NO_PARTNER_EXPORTS, outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_conflicting_partner_app_parameters(case: Case, tmp_path: Path) -> None:
    check_with_fixes(case, "PAP010", tmp_path)


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
        identity=Located.at("microsoft.exchange", where),
        application_identifier=Located.at(EXCHANGE_ID, where),
        application_trust_level=Located.at("Full", where),
        metadata_url=Located.at(
            "https://autodiscover.litwareinc.com/autodiscover/metadata/json/1",
            where.with_pointer("obj[0].MetadataUrl"),
        ),
        enabled=Located.at(True, where),
        realm=None,
        certificate=Located.at("MIIC8DCCAdig...", where.with_pointer("obj[0].CertificateRawData")),
    )
    rule = registry().rule("PAP010")
    assert rule is not None and rule.check is not None
    state = rule.check(Model(lync_partner_applications=(app,)), RuleContext(now=AS_OF))
    assert isinstance(state, Evaluated) and state.checked == 1
    (issue,) = state.issues
    assert issue.location.pointer == "obj[0].CertificateRawData"
    assert "explicit certificate data" in issue.message
    assert issue.fix.endswith(
        "Remove-CsPartnerApplication -Identity 'microsoft.exchange'\n"
        "New-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full "
        "-MetadataUrl 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'"
    )
    assert pscheck_problems(issue.fix) == []


def test_documented_fix_is_valid_powershell() -> None:
    assert_documented_fix_valid("PAP010")
