"""CRT007 cert-not-yet-valid."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec
from cert_bundles import AS_OF, FRONT_ENDS, bundle, unlink

from s2slint.testing import Case, case_id, check_case

CODE = "CRT007"

CASES = (
    Case("valid certificates pass", bundle(), checked=2),
    Case(
        "a certificate not yet valid",
        bundle(oauth_not_before=datetime(2026, 12, 1, tzinfo=UTC)),
        expect=("certs/oauth-token-issuer.cer",),
        contains=("is not valid before 2026-12-01 00:00 UTC",),
        # The certificate it replaced goes back in force; this one rolls in once valid.
        fix_contains=(
            "$previous = (Get-CsCertificate -Identity global -Type OAuthTokenIssuer",
            "Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $previous",
            "-Roll -EffectiveDate '2026-12-01T00:00:00Z'",
        ),
    ),
    Case(
        "an Exchange Auth certificate not yet valid",
        bundle(exchange_auth_not_before=datetime(2026, 12, 1, 9, 30, tzinfo=UTC)),
        expect=("exchange/certificates.xml",),
        fix_contains=(
            "$previous = (Get-AuthConfig).PreviousCertificateThumbprint",
            "Set-AuthConfig -CertificateThumbprint $previous",
            "-NewCertificateEffectiveDate '2026-12-01T10:00:00Z'",
        ),
    ),
    Case("valid from the evaluation date on", bundle(oauth_not_before=AS_OF)),
    Case(
        "nothing in scope",
        bundle(unlink("exchange/auth-config.xml"), omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
    Case(
        "SharePoint's STS certificate not yet valid",
        sharepoint_spec(
            sharepoint_sts_not_before=datetime(2027, 1, 4, tzinfo=UTC),
            sharepoint_sts_not_after=datetime(2037, 1, 4, tzinfo=UTC),
        ),
        expect=("sharepoint/sts-config.xml",),
        contains=("SharePoint STS signing certificate",),
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_cert_not_yet_valid(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)
