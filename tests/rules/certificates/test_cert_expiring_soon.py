"""CRT008 cert-expiring-soon."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cert_bundles import (
    FRONT_ENDS,
    append_objects,
    auth_config_next,
    bundle,
    cs_certificate_entry,
    days_after,
    exchange_certificates_export,
    make_certificate,
    thumbprint,
    unlink,
)
from cryptography import x509

from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "CRT008"


def _next_certificate(not_after: datetime) -> x509.Certificate:
    certificate, _ = make_certificate(
        "exchange-auth-next",
        subject_cn="Microsoft Exchange Server Auth Certificate",
        dns_names=(),
        not_before=datetime(2026, 11, 1, tzinfo=UTC),
        not_after=not_after,
    )
    return certificate


def next_exchange_certificate(not_after: datetime) -> Callable[[Path], None]:
    """Stage a next Exchange Auth certificate (in AuthConfig and a certificate export)."""

    def edit(folder: Path) -> None:
        certificate = _next_certificate(not_after)
        exchange_certificates_export(
            folder / "exchange" / "certificates-next.xml",
            [certificate],
            "atl-exch-001.litwareinc.com",
        )
        auth_config_next(folder, thumbprint(certificate), days_after(5))

    return edit


def _rolled_lync_certificate(folder: Path) -> None:
    """Stage a rolled OAuth certificate (expiring in 100 days) on the first Front End."""
    rolled, _ = make_certificate("oauth-rolled", not_after=days_after(100))
    entry = cs_certificate_entry(
        thumbprint(rolled),
        not_before=datetime(2026, 11, 1, tzinfo=UTC),
        not_after=days_after(100),
        effective=days_after(10),
    )
    append_objects(folder / "servers" / FRONT_ENDS[0] / "certificates.xml", entry)


ROLLED = bundle(_rolled_lync_certificate)
NEXT_120 = Case(
    "a next Exchange certificate uses next-warn-days",
    bundle(next_exchange_certificate(days_after(120))),
    expect=("exchange/certificates-next.xml",),
    contains=('next Exchange Auth certificate "CN=Microsoft', "within 120 days"),
)

CASES = (
    Case("valid certificates pass", bundle(), checked=2),
    Case(
        "a current certificate expiring within warn-days",
        bundle(oauth_not_after=days_after(60)),
        expect=("certs/oauth-token-issuer.cer",),
        contains=("expires on 2027-01-20 00:00 UTC, in 60 days (within 60 days",),
    ),
    Case(
        "one second beyond warn-days passes",
        bundle(oauth_not_after=days_after(60) + timedelta(seconds=1)),
        checked=2,
    ),
    Case("90 days left pass by default", bundle(oauth_not_after=days_after(90))),
    Case(
        "warn-days is an option",
        bundle(oauth_not_after=days_after(90)),
        options={"warn-days": 90},
        expect=("certs/oauth-token-issuer.cer",),
    ),
    NEXT_120,
    Case(
        "a next Exchange certificate beyond next-warn-days passes",
        bundle(next_exchange_certificate(days_after(121))),
        checked=3,
    ),
    Case(
        "a rolled Lync certificate uses next-warn-days",
        ROLLED,
        expect=("servers/atl-fe-01.litwareinc.com/certificates.xml",),
        contains=("rolled OAuthTokenIssuer certificate", "within 120 days"),
    ),
    Case("next-warn-days is an option", ROLLED, options={"next-warn-days": 99}),
    Case(
        "nothing in scope",
        bundle(unlink("exchange/auth-config.xml"), omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_cert_expiring_soon(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_next_certificate_is_named_by_its_thumbprint(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(NEXT_120, CODE, tmp_path), CODE)
    assert thumbprint(_next_certificate(days_after(120))) in finding.message
