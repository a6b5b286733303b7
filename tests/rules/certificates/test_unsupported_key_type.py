"""CRT012 unsupported-key-type."""

from __future__ import annotations

from pathlib import Path

import pytest
from cert_bundles import bundle, make_certificate, replace_oauth_certificate

from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "CRT012"


def _elliptic_curve(folder: Path) -> None:
    certificate, _ = make_certificate("oauth-ec", key_type="ec")
    replace_oauth_certificate(folder, certificate)


EC_KEY = Case(
    "an elliptic-curve OAuth certificate",
    bundle(_elliptic_curve),
    expect=("certs/oauth-token-issuer.cer",),
    contains=("has an EC key; Lync signs OAuth tokens with RSA keys only",),
    # The file is self-signed; the assignment names the CA that issued the one before.
    fix_contains=("$caName = 'LitwareInc Enterprise CA'", "-KeySize 2048"),
)

CASES = (
    Case("an RSA key passes (the OAuth certificate only)", bundle(), checked=1),
    EC_KEY,
    Case("without certificate files", bundle(include_oauth_cer=False), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_unsupported_key_type(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_an_ec_key_has_no_rsa_size_to_judge(tmp_path: Path) -> None:
    assert findings_of(check_case(EC_KEY, CODE, tmp_path), "CRT003") == []
