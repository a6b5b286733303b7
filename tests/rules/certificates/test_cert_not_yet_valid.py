"""CRT007 cert-not-yet-valid."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
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
    ),
    Case("valid from the evaluation date on", bundle(oauth_not_before=AS_OF)),
    Case(
        "nothing in scope",
        bundle(unlink("exchange/auth-config.xml"), omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_cert_not_yet_valid(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)
