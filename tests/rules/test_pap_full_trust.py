"""PAP001 partner-app-not-full-trust."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_lint import findings, lint_path, lint_spec, outcome

from s2slint.rule import Evaluated, NotEvaluated


def test_full_trust_passes(tmp_path: Path) -> None:
    result = lint_spec(tmp_path)
    assert findings(result, "PAP001") == []
    assert outcome(result, "PAP001") == Evaluated((), 2)


@pytest.mark.parametrize(
    ("identity", "level", "product"),
    [
        ("microsoft.exchange", "Application", "Exchange"),
        ("microsoft.sharepoint", "User", "SharePoint"),
    ],
)
def test_other_trust_levels_are_reported(
    tmp_path: Path, identity: str, level: str, product: str
) -> None:
    levels = tuple(
        (name, level if name == identity else "Full")
        for name in ("microsoft.exchange", "microsoft.sharepoint")
    )
    result = lint_spec(tmp_path, partner_trust_levels=levels)
    (finding,) = findings(result, "PAP001")
    assert finding.message == (
        f'partner application "{identity}" ({product}) has ApplicationTrustLevel "{level}"; '
        'the integration needs "Full"'
    )
    assert finding.location.pointer is not None
    assert finding.location.pointer.endswith(".ApplicationTrustLevel")


def test_no_partner_application_export_is_not_evaluated(tmp_path: Path) -> None:
    lint_spec(tmp_path)
    bundle = tmp_path / "bundle"
    (bundle / "lync" / "partner-applications.xml").unlink()
    assert isinstance(outcome(lint_path(bundle), "PAP001"), NotEvaluated)
