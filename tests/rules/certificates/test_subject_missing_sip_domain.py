"""CRT004 subject-missing-sip-domain."""

from __future__ import annotations

from pathlib import Path

import pytest
from cert_bundles import FRONT_ENDS, bundle, unlink
from s2slint.rules.certificates.subject_missing_sip_domain import names_domain

from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "CRT004"

OTHER_DOMAIN = Case(
    "a subject of another domain",
    bundle(oauth_subject_cn="lync.contoso.net"),
    expect=("certs/oauth-token-issuer.cer",),
    contains=('does not contain the default SIP domain "litwareinc.com"', "CN=lync.contoso.net"),
    fix_contains=(
        "-DomainName 'litwareinc.com,fabrikam.com'",
        "-Roll -EffectiveDate '2026-11-23T00:00:00Z'",
    ),
)
FROM_ASSIGNMENT = Case(
    "without the certificate file the assignment's subject is read",
    bundle(include_oauth_cer=False, oauth_subject_cn="lync.contoso.net"),
    # The first Front End's Get-CsCertificate entry; the two others are related.
    expect=(f"servers/{FRONT_ENDS[0]}/certificates.xml",),
)

CASES = (
    Case("the healthy certificate names the default SIP domain", bundle(), checked=1),
    OTHER_DOMAIN,
    Case(
        "a host inside the SIP domain passes", bundle(oauth_subject_cn="atl-cs-001.litwareinc.com")
    ),
    FROM_ASSIGNMENT,
    Case("without a topology", bundle(unlink("lync/topology.xml")), outcome="not evaluated"),
    Case(
        "without an OAuth assignment",
        bundle(omit_server_exports=FRONT_ENDS),
        outcome="not evaluated",
    ),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_subject_missing_sip_domain(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_default_domain_is_the_other_side(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(OTHER_DOMAIN, CODE, tmp_path), CODE)
    assert [r.pointer for r in finding.related] == ["/InternalDomains/@DefaultDomain"]


def test_the_assignment_subject_is_pointed_at(tmp_path: Path) -> None:
    (finding,) = findings_of(check_case(FROM_ASSIGNMENT, CODE, tmp_path), CODE)
    assert finding.location.pointer is not None and finding.location.pointer.endswith(".Subject")
    assert len(finding.related) == 3  # two more assignments and the DefaultDomain


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("CN=litwareinc.com,O=Litware Inc", True),
        ("CN=sip.LitwareInc.com", True),
        ('CN="litwareinc.com"', True),
        ("CN=notlitwareinc.com", False),
        ("CN=litwareinc.com.example.net", False),
        ("CN=my-litwareinc.com", False),
        # An odd attribute Exchange-made certificates carry, shown as an OID with hex.
        ("1.2.840.113549.1.9.2=#0c0e6c6974776172652e6c6f63616c,CN=Microsoft Exchange", False),
    ],
)
def test_names_domain(subject: str, expected: bool) -> None:
    assert names_domain(subject, "litwareinc.com") is expected
