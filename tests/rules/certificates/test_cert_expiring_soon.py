"""CRT008 cert-expiring-soon."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bundle_lint import sharepoint_spec
from cert_bundles import (
    FRONT_ENDS,
    append_objects,
    auth_config_next,
    auth_thumbprint,
    bundle,
    cs_certificate_entry,
    days_after,
    exchange_certificates_export,
    exchange_certificates_properties_export,
    exchange_servers_export,
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


def _second_exchange_server_without(folder: Path) -> None:
    """ATL-EXCH-002 joins; its export holds the current Auth certificate, not the next one."""
    exchange_servers_export(
        folder / "exchange" / "exchange-servers-2.xml",
        [("ATL-EXCH-002", "atl-exch-002.litwareinc.com", "Mailbox")],
    )
    exchange_certificates_properties_export(
        folder / "exchange" / "atl-exch-002-certificates.xml",
        "ATL-EXCH-002",
        [(auth_thumbprint(folder), 2048, days_after(-500), days_after(30))],
    )


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
    # Catalogue v2: a valid successor staged in time silences the warning on the
    # certificate in force.
    Case(
        "a valid roll staged well before the expiry",
        bundle(oauth_not_after=days_after(30), oauth_roll_effective=days_after(10)),
        checked=3,
    ),
    Case(
        "a roll staged on one Front End only is no successor",
        bundle(
            oauth_not_after=days_after(30),
            oauth_roll_effective=days_after(10),
            oauth_roll_on=(FRONT_ENDS[0],),
        ),
        expect=("certs/oauth-token-issuer.cer",),
    ),
    Case(
        "a roll under 24 hours before the expiry is no successor",
        bundle(
            oauth_not_after=days_after(30),
            oauth_roll_effective=days_after(30) - timedelta(hours=23),
        ),
        expect=("certs/oauth-token-issuer.cer",),
    ),
    Case(
        "a roll not valid yet when it takes effect is no successor",
        bundle(
            oauth_not_after=days_after(30),
            oauth_roll_effective=days_after(10),
            oauth_roll_not_before=days_after(15),
        ),
        expect=("certs/oauth-token-issuer.cer",),
    ),
    Case(
        "a valid next Exchange certificate on the server silences the warning",
        bundle(
            next_exchange_certificate(days_after(500)),
            exchange_auth_not_after=days_after(30),
        ),
        checked=3,
    ),
    Case(
        "a next Exchange certificate missing on a second server is no successor",
        bundle(
            next_exchange_certificate(days_after(500)),
            _second_exchange_server_without,
            exchange_auth_not_after=days_after(30),
        ),
        expect=("exchange/atl-exch-002-certificates.xml",),
        contains=("Exchange Auth certificate",),
    ),
    Case(
        "nothing in scope",
        bundle(unlink("exchange/auth-config.xml"), omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
    Case(
        "SharePoint's STS certificate expires within warn-days",
        sharepoint_spec(
            sharepoint_sts_not_before=datetime(2016, 12, 20, tzinfo=UTC),
            sharepoint_sts_not_after=datetime(2026, 12, 20, tzinfo=UTC),
        ),
        expect=("sharepoint/sts-config.xml",),
        contains=("SharePoint STS signing certificate",),
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_cert_expiring_soon(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_next_certificate_is_named_by_its_thumbprint(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(NEXT_120, CODE, tmp_path), CODE)
    assert thumbprint(_next_certificate(days_after(120))) in finding.message


EXPIRING_OAUTH = Case(
    "the OAuth certificate expires in 30 days",
    bundle(oauth_not_after=days_after(30)),
    expect=("certs/oauth-token-issuer.cer",),
    # A renewed certificate for every SIP domain from the same CA, rolled in two days ahead.
    fix_contains=(
        "$caName = 'LitwareInc Enterprise CA'",
        "-DomainName 'litwareinc.com,fabrikam.com'",
        "-Roll -EffectiveDate '2026-11-23T00:00:00Z'",
    ),
)


def test_the_fix_rolls_a_renewed_certificate_in(tmp_path: Path) -> None:
    check_case(EXPIRING_OAUTH, CODE, tmp_path)


def test_with_under_two_days_left_the_roll_comes_24_hours_before_the_expiry(
    tmp_path: Path,
) -> None:
    case = Case(
        "36 hours left",
        bundle(oauth_not_after=days_after(1.5)),
        expect=("certs/oauth-token-issuer.cer",),
        fix_contains=("-Roll -EffectiveDate '2026-11-21T12:00:00Z'",),
    )
    (finding,) = findings_of(check_case(case, CODE, tmp_path), CODE)
    assert "AddDays" not in finding.fix


def test_an_exchange_certificate_still_valid_gets_the_staged_rotation(tmp_path: Path) -> None:
    case = Case(
        "the Exchange Auth certificate expires in 30 days",
        bundle(exchange_auth_not_after=days_after(30)),
        expect=("exchange/certificates.xml",),
        fix_contains=(
            "New-ExchangeCertificate -KeySize 2048",
            "Set-AuthConfig -NewCertificateThumbprint $cert.Thumbprint "
            "-NewCertificateEffectiveDate '2026-11-23T00:00:00Z'",
        ),
    )
    (finding,) = findings_of(check_case(case, CODE, tmp_path), CODE)
    assert "PublishCertificate" not in finding.fix
