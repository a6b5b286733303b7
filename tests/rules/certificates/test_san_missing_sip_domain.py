"""CRT005 san-missing-sip-domain."""

from __future__ import annotations

from pathlib import Path

import pytest
from cert_bundles import FRONT_ENDS, bundle, unlink
from s2slint.rules.certificates.san_missing_sip_domain import covers_domain

from s2slint.testing import Case, case_id, check_case, findings_of

CODE = "CRT005"

FABRIKAM_MISSING = Case(
    "an additional domain missing from the SANs",
    bundle(oauth_dns_names=("litwareinc.com",)),
    expect=("certs/oauth-token-issuer.cer",),
    contains=('does not name the SIP domain "fabrikam.com"', "(litwareinc.com)"),
    # The request asks for every SIP domain, not only the default one.
    fix_contains=("-DomainName 'litwareinc.com,fabrikam.com'",),
)
TWO_MISSING = Case(
    "each missing domain is its own finding",
    bundle(
        additional_sip_domains=("fabrikam.com", "contoso.com"),
        oauth_dns_names=("litwareinc.com",),
    ),
    expect=("certs/oauth-token-issuer.cer", "certs/oauth-token-issuer.cer"),
)

CASES = (
    Case("the healthy certificate names every SIP domain", bundle(), checked=1),
    FABRIKAM_MISSING,
    TWO_MISSING,
    Case(
        "a host in the domain covers it",
        bundle(oauth_dns_names=("litwareinc.com", "sip.fabrikam.com")),
    ),
    Case(
        "without the certificate file the assignment's names are read",
        bundle(include_oauth_cer=False, oauth_dns_names=("litwareinc.com",)),
        expect=(f"servers/{FRONT_ENDS[0]}/certificates.xml",),
    ),
    Case("without a topology", bundle(unlink("lync/topology.xml")), outcome="not evaluated"),
)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_san_missing_sip_domain(case: Case, tmp_path: Path) -> None:
    check_case(case, CODE, tmp_path)


def test_the_missing_domain_is_related_and_crt004_is_silent(tmp_path: Path) -> None:
    result = check_case(FABRIKAM_MISSING, CODE, tmp_path)
    (finding,) = findings_of(result, CODE)
    assert finding.related[-1].pointer == "/InternalDomains/InternalDomain[1]/@Name"
    assert findings_of(result, "CRT004") == []


def test_each_finding_has_its_domain_in_its_key(tmp_path: Path) -> None:
    reported = findings_of(check_case(TWO_MISSING, CODE, tmp_path), CODE)
    assert sorted(f.key.rsplit(":", 1)[1] for f in reported) == ["contoso.com", "fabrikam.com"]


def test_covers_domain() -> None:
    assert covers_domain(["*.fabrikam.com"], "fabrikam.com")
    assert covers_domain(["sip.fabrikam.com"], "fabrikam.com")
    assert not covers_domain(["fabrikam.com.evil.net"], "fabrikam.com")
