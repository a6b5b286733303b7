"""PAP012 partner-cert-stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec, spec
from cert_bundles import FRONT_ENDS, integrated_thumbprint, staged_oauth_roll
from pap_bundles import EXCHANGE_APPS, SHAREPOINT_ONLY, without

from s2slint.testing import BundleWriter, Case, case_id, check_case

CODE = "PAP012"
APP = "LyncEnterprise-6ed3786051be5bb9994218868e02a308"
PREVIOUS = integrated_thumbprint("previous-oauth")
CURRENT = integrated_thumbprint("oauth")
ROLL_DATE = datetime(2026, 12, 1, 14, tzinfo=UTC)


def rolled(**changes: object) -> BundleWriter:
    """Lync stages a roll, effective 2026-12-01 14:00 UTC, to the "previous" certificate.

    Only the thumbprints matter: the roll's certificate is the one Exchange may hold.
    """
    writer = sharepoint_spec(**changes)

    def write(tmp_path: Path) -> Path:
        folder = writer(tmp_path)
        staged_oauth_roll(PREVIOUS, ROLL_DATE)(folder)
        return folder

    return write


CASES = (
    Case("Exchange holds Lync's certificate in force", sharepoint_spec(), checked=1),
    Case(
        "Exchange holds the certificate Lync replaced",
        sharepoint_spec(exchange_lync_app_certificates="previous"),
        expect=(EXCHANGE_APPS,),
        contains=(
            f'Exchange partner application "{APP}" holds {PREVIOUS}',
            f"certificate in force is {CURRENT}",
        ),
        fix_contains=(f"Set-PartnerApplication -Identity {APP} -RefreshAuthMetadata",),
    ),
    Case(
        "an empty CertificateStrings is not judged",
        spec(),
        checked=0,
    ),
    Case(
        "12 hours before a roll, Exchange may already hold the rolled certificate",
        rolled(exchange_lync_app_certificates="previous"),
        as_of=ROLL_DATE - timedelta(hours=12),
        checked=1,
    ),
    Case(
        "three days before a roll, the rolled certificate alone is not enough",
        rolled(exchange_lync_app_certificates="previous"),
        as_of=ROLL_DATE - timedelta(days=3),
        expect=(EXCHANGE_APPS,),
    ),
    Case(
        "after the roll, Exchange still holds the certificate rolled away from",
        rolled(),
        as_of=ROLL_DATE + timedelta(days=1),
        expect=(EXCHANGE_APPS,),
        contains=(f"certificate in force is {PREVIOUS}",),
    ),
    Case(
        "no Get-CsCertificate export",
        sharepoint_spec(omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
    Case("no Exchange partner applications", without(EXCHANGE_APPS), outcome="not evaluated"),
    Case(
        "no on-premises Exchange integration on either side",
        spec(partner_trust_levels=SHAREPOINT_ONLY, exchange_lync_app=False),
        outcome="not applicable",
    ),
    Case(
        "no on-premises integration, and no Get-CsCertificate export either",
        spec(
            partner_trust_levels=SHAREPOINT_ONLY,
            exchange_lync_app=False,
            omit_server_exports=FRONT_ENDS,
        ),
        outcome="not applicable",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_partner_cert_stale(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)
