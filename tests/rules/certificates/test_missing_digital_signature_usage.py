"""CRT013 missing-digital-signature-usage."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec
from cert_bundles import (
    auth_thumbprint,
    bundle,
    exchange_certificates_properties_export,
    make_certificate,
    replace_oauth_certificate,
    unlink,
)

from s2slint.testing import Case, case_id, check_case

CODE = "CRT013"


def _encipher_only(folder: Path) -> None:
    certificate, _ = make_certificate("oauth-encipher-only", digital_signature=False)
    replace_oauth_certificate(folder, certificate)


def _local_auth_export(folder: Path) -> None:
    """Replace the Exchange export by a local one: properties only, no RawData."""
    (folder / "exchange" / "certificates.xml").unlink()
    exchange_certificates_properties_export(
        folder / "exchange" / "certificates-local.xml",
        "ATL-EXCH-001",
        [
            (
                auth_thumbprint(folder),
                2048,
                datetime(2025, 6, 1, tzinfo=UTC),
                datetime(2030, 6, 1, tzinfo=UTC),
            )
        ],
    )


CASES = (
    Case("digitalSignature allowed passes", bundle(), checked=2),
    Case(
        "a KeyUsage without digitalSignature",
        bundle(_encipher_only),
        expect=("certs/oauth-token-issuer.cer",),
        contains=("KeyUsage extension without digitalSignature",),
        fix_contains=("Request-CsCertificate -New -Type OAuthTokenIssuer",),
    ),
    # Only the OAuth certificate's extension could be seen.
    Case("a property export does not show the key usage", bundle(_local_auth_export), checked=1),
    Case(
        "without any certificate",
        bundle(unlink("exchange/certificates.xml"), include_oauth_cer=False),
        outcome="not evaluated",
    ),
    Case(
        "a SharePoint STS certificate for key encipherment only",
        sharepoint_spec(sharepoint_sts_encipherment_only=True),
        expect=("sharepoint/sts-config.xml",),
        contains=("SharePoint STS signing certificate",),
    ),
    Case("SharePoint's STS certificate without a KeyUsage extension", sharepoint_spec()),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_missing_digital_signature_usage(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)
