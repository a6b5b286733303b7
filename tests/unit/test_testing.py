"""`s2slint.testing`: the case-table helper judges a rule's outcome and findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import spec

from s2slint.testing import Case, check_case


def test_a_passing_case_passes(tmp_path: Path) -> None:
    check_case(Case("healthy", spec()), "CRT003", tmp_path)


def test_a_failing_case_names_its_findings(tmp_path: Path) -> None:
    case = Case(
        "a 1024-bit OAuth key",
        spec(oauth_key_bits=1024),
        expect=("certs/oauth-token-issuer.cer",),
        contains=("1024",),
    )
    check_case(case, "CRT003", tmp_path)


def test_options_reach_the_rule(tmp_path: Path) -> None:
    case = Case(
        "min-key-bits above every key",
        spec(),
        options={"min-key-bits": 4096},
        expect=("certs/oauth-token-issuer.cer", "exchange/certificates.xml"),
    )
    check_case(case, "CRT003", tmp_path)


def test_a_wrong_expectation_is_reported_with_the_findings(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="1024"):
        check_case(Case("claims a pass", spec(oauth_key_bits=1024)), "CRT003", tmp_path)


def test_a_wrong_outcome_is_reported(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="expected not applicable"):
        check_case(Case("claims n/a", spec(), outcome="not applicable"), "CRT003", tmp_path)
