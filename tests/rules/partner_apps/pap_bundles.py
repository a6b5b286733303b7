"""Bundles the PAP rule tests share: the healthy litwareinc bundle, changed or cut down.

Importable from the test modules beside it (pytest puts their folder on the path).
"""

from __future__ import annotations

import functools
from pathlib import Path

from bundle_lint import spec
from powershell_check import assert_documented_fix_is_valid, pscheck

from s2slint.results import RunResult
from s2slint.testing import BundleWriter, Case, check_case, findings_of

LYNC_APPS = "lync/partner-applications.xml"
EXCHANGE_APPS = "exchange/partner-applications.xml"
EXCHANGE_ID = "00000002-0000-0ff1-ce00-000000000000"
SHAREPOINT_ID = "00000003-0000-0ff1-ce00-000000000000"
LYNC_ID = "00000004-0000-0ff1-ce00-000000000000"
SHAREPOINT_ONLY = (("microsoft.sharepoint", "Full"),)
"""Lync trusts SharePoint only (`partner_trust_levels`)."""


def without(*paths: str, **changes: object) -> BundleWriter:
    """Return a writer of the healthy bundle changed by `changes`, with the exports at `paths` removed."""
    base = spec(**changes)

    def write(tmp_path: Path) -> Path:
        bundle = base(tmp_path)
        for path in paths:
            (bundle / path).unlink()
        return bundle

    return write


NO_PARTNER_EXPORTS = without(LYNC_APPS, EXCHANGE_APPS)
"""Neither side's partner applications were exported."""


OLDEST = ("Exchange Server 2013", "Lync Server 2013")
"""The oldest products of the integration: a printed fix must run there (and so later)."""


@functools.cache
def pscheck_problems(text: str) -> list[str]:
    """Return what pscheck says is wrong with PowerShell `text`, for the oldest products."""
    return pscheck(text, *OLDEST)


def check_with_fixes(case: Case, code: str, tmp_path: Path) -> RunResult:
    """Run a case and prove each finding's fix: present, and valid PowerShell for the products."""
    result = check_case(case, code, tmp_path)
    for finding in findings_of(result, code):
        assert finding.fix, f"{case.name}: {code} finding without a fix: {finding.message}"
        problems = pscheck_problems(finding.fix)
        assert not problems, f"{case.name}: {code} fix fails pscheck:\n{finding.fix}\n{problems}"
    return result


def assert_documented_fix_valid(code: str) -> None:
    """The rule's documented fix (as `s2slint rule CODE` prints it) passes pscheck."""
    assert_documented_fix_is_valid(code)
