"""CRT004 subject-missing-sip-domain and CRT005 san-missing-sip-domain."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome
from cert_bundles import FRONT_ENDS, write_spec
from s2slint.rules.certificates import covers_domain, names_domain

from s2slint.rule import Evaluated, NotEvaluated


def test_the_healthy_certificate_names_every_sip_domain(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "CRT004") == [] and findings(result, "CRT005") == []
    assert outcome(result, "CRT004") == Evaluated((), 1)
    assert outcome(result, "CRT005") == Evaluated((), 1)


# ------------------------------------------------------------------------- CRT004


def test_a_subject_of_another_domain_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_subject_cn="lync.contoso.net")
    (finding,) = findings(result, "CRT004")
    assert finding.location.path == "certs/oauth-token-issuer.cer"
    assert 'does not contain the default SIP domain "litwareinc.com"' in finding.message
    assert "CN=lync.contoso.net" in finding.message
    # The topology's DefaultDomain is the other side of the disagreement.
    assert [r.pointer for r in finding.related] == ["/InternalDomains/@DefaultDomain"]


def test_a_host_inside_the_sip_domain_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_subject_cn="atl-cs-001.litwareinc.com")
    assert findings(result, "CRT004") == []


def test_without_the_certificate_file_the_assignment_subject_is_read(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, include_oauth_cer=False, oauth_subject_cn="lync.contoso.net")
    (finding,) = findings(result, "CRT004")
    # The first Front End's Get-CsCertificate entry; the two others are related.
    assert finding.location.path == f"servers/{FRONT_ENDS[0]}/certificates.xml"
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


def test_without_a_topology_crt004_is_not_evaluated(tmp_path: Path) -> None:
    bundle = write_spec(tmp_path)
    (bundle / "lync" / "topology.xml").unlink()
    result = lint_path(bundle)
    assert isinstance(outcome(result, "CRT004"), NotEvaluated)
    assert isinstance(outcome(result, "CRT005"), NotEvaluated)


def test_without_an_oauth_assignment_crt004_is_not_evaluated(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, omit_server_exports=FRONT_ENDS)
    assert isinstance(outcome(result, "CRT004"), NotEvaluated)


# ------------------------------------------------------------------------- CRT005


def test_an_additional_domain_missing_from_the_sans_is_reported(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_dns_names=("litwareinc.com",))
    (finding,) = findings(result, "CRT005")
    assert finding.location.path == "certs/oauth-token-issuer.cer"
    assert 'does not name the SIP domain "fabrikam.com"' in finding.message
    assert "(litwareinc.com)" in finding.message
    assert finding.related[-1].pointer == "/InternalDomains/InternalDomain[1]/@Name"
    assert findings(result, "CRT004") == []


def test_each_missing_domain_is_its_own_finding(tmp_path: Path) -> None:
    result = lint_spec(
        tmp_path,
        additional_sip_domains=("fabrikam.com", "contoso.com"),
        oauth_dns_names=("litwareinc.com",),
    )
    reported = findings(result, "CRT005")
    assert sorted(f.key.rsplit(":", 1)[1] for f in reported) == ["contoso.com", "fabrikam.com"]


def test_a_host_or_wildcard_in_the_domain_covers_it(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, oauth_dns_names=("litwareinc.com", "sip.fabrikam.com"))
    assert findings(result, "CRT005") == []
    assert covers_domain(["*.fabrikam.com"], "fabrikam.com")
    assert not covers_domain(["fabrikam.com.evil.net"], "fabrikam.com")


def test_the_assignment_names_are_used_without_the_certificate_file(tmp_path: Path) -> None:
    result = lint_spec(tmp_path, include_oauth_cer=False, oauth_dns_names=("litwareinc.com",))
    (finding,) = findings(result, "CRT005")
    assert finding.location.path == f"servers/{FRONT_ENDS[0]}/certificates.xml"
