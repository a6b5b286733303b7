"""CRT015 auth-cert-missing-on-server."""

from __future__ import annotations

from pathlib import Path

import pytest
from cert_bundles import (
    Edit,
    auth_config_next,
    auth_thumbprint,
    bundle,
    days_after,
    exchange_certificates_export,
    exchange_certificates_properties_export,
    exchange_servers_export,
    make_certificate,
    thumbprint,
    unlink,
)

from s2slint.findings import Issue
from s2slint.rule import Evaluated
from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "CRT015"
EXCH2 = "atl-exch-002.litwareinc.com"


def second_server(role: str = "Mailbox") -> Edit:
    """Add ATL-EXCH-002 to the organisation (a second Get-ExchangeServer export)."""

    def edit(folder: Path) -> None:
        exchange_servers_export(
            folder / "exchange" / "exchange-servers-2.xml", [("ATL-EXCH-002", EXCH2, role)]
        )

    return edit


def iis_only_export(name: str, label: str) -> Edit:
    """Add a remote Get-ExchangeCertificate export of ATL-EXCH-002 with an IIS certificate only."""

    def edit(folder: Path) -> None:
        certificate, _ = make_certificate(label, subject_cn="mail.litwareinc.com")
        exchange_certificates_export(folder / "exchange" / name, [certificate], EXCH2)

    return edit


def _local_export(folder: Path) -> None:
    """A local export: no PSComputerName, the server is in Identity (SERVER\\thumbprint)."""
    exchange_certificates_properties_export(
        folder / "exchange" / "local.xml",
        "ATL-EXCH-002",
        [("5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C0D1E2F3A4B", 2048, days_after(-100), days_after(400))],
    )


SECOND_LACKS_IT = Case(
    "a server without the Auth certificate is named",
    bundle(second_server(), iis_only_export("atl-exch-002-certificates.xml", "iis-2")),
    expect=("exchange/atl-exch-002-certificates.xml",),
    contains=(f"Exchange server ATL-EXCH-002 ({EXCH2}) lacks the current Exchange Auth",),
    # Copied with its key from the server that has it to the one that lacks it.
    fix_contains=(
        "$pfx = Export-ExchangeCertificate -Server 'atl-exch-001.litwareinc.com' -Thumbprint '",
        f"Import-ExchangeCertificate -Server '{EXCH2}' -FileData $pfx.FileData",
    ),
)


def _next_on_the_first_server_only(folder: Path) -> None:
    """Stage a next Auth certificate; only ATL-EXCH-001's export holds it.

    ATL-EXCH-002's local export holds the current certificate alone.
    """
    certificate, _ = make_certificate(
        "exchange-auth-next-15",
        subject_cn="Microsoft Exchange Server Auth Certificate",
        dns_names=(),
        not_before=days_after(-20),
        not_after=days_after(1800),
    )
    exchange_certificates_export(
        folder / "exchange" / "certificates-next.xml", [certificate], "atl-exch-001.litwareinc.com"
    )
    exchange_certificates_properties_export(
        folder / "exchange" / "atl-exch-002-certificates.xml",
        "ATL-EXCH-002",
        [(auth_thumbprint(folder), 2048, days_after(-500), days_after(1200))],
    )
    auth_config_next(folder, thumbprint(certificate), days_after(10))


NEXT_ON_ONE = Case(
    "a next certificate on one of two servers is reported, saying which one",
    bundle(second_server(), _next_on_the_first_server_only),
    expect=("exchange/atl-exch-002-certificates.xml",),
    contains=(
        f"Exchange server ATL-EXCH-002 ({EXCH2}) lacks the next Exchange Auth certificate",
        "(Get-AuthConfig NextCertificateThumbprint)",
    ),
    fix_contains=("Export-ExchangeCertificate -Server 'atl-exch-001.litwareinc.com'",),
    checked=2,
)

CASES = (
    Case("the Auth certificate on every server passes", bundle(), checked=1),
    SECOND_LACKS_IT,
    Case(
        "a local export is attributed by its Identity",
        bundle(second_server(), _local_export),
        expect=("exchange/local.xml",),
        contains=("ATL-EXCH-002",),
    ),
    Case(
        "a server without an export is not assumed to lack it",
        bundle(second_server()),
        checked=1,
    ),
    Case(
        "an Edge server needs no Auth certificate",
        bundle(second_server("Edge"), iis_only_export("edge-certificates.xml", "edge")),
    ),
    NEXT_ON_ONE,
    Case(
        "without a certificate export",
        bundle(unlink("exchange/certificates.xml")),
        outcome="not evaluated",
    ),
    Case(
        "without Get-AuthConfig",
        bundle(unlink("exchange/auth-config.xml")),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_auth_cert_missing_on_server(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_finding_names_the_certificate_and_points_at_its_sources(tmp_path: Path) -> None:
    result = check_case(SECOND_LACKS_IT, CODE, tmp_path)
    (finding,) = findings_of(result, CODE)
    assert finding.message.startswith(
        f"Exchange server ATL-EXCH-002 ({EXCH2}) lacks the current Exchange Auth certificate "
        f"{auth_thumbprint(tmp_path / 'bundle')}"
    )
    # Get-AuthConfig names the certificate; Get-ExchangeServer names the server.
    assert [(r.path, r.pointer) for r in finding.related] == [
        ("exchange/auth-config.xml", "obj[0].CurrentCertificateThumbprint"),
        ("exchange/exchange-servers-2.xml", "obj[0].Name"),
    ]
    issue = Issue(finding.message, finding.location, finding.related, finding.key, fix=finding.fix)
    assert result.coverage[CODE] == Evaluated((issue,), 2)
