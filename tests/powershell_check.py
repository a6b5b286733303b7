"""Check printed PowerShell with pscheck, the project's reference checker.

pscheck (`shared/tools/pscheck.py` beside the repository, or `$S2SLINT_PSCHECK`) parses
the text with tree-sitter-powershell and checks every cmdlet and parameter against the
cmdlet reference (`shared/reference/cmdlets.json`), optionally for named product
versions. Tests that need it are skipped where it is not installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parent.parent


def pscheck_path() -> Path | None:
    """Return where pscheck is: `$S2SLINT_PSCHECK`, else `shared/tools/` above the repository."""
    named = os.environ.get("S2SLINT_PSCHECK")
    if named:
        return Path(named)
    for folder in _ROOT.parents:
        candidate = folder / "shared" / "tools" / "pscheck.py"
        if candidate.is_file():
            return candidate
    return None


def pscheck(text: str, *products: str, markdown: bool = False) -> list[str]:
    """Return pscheck's problems with `text` (PowerShell, or Markdown's powershell blocks)."""
    tool = pscheck_path()
    if tool is None:
        pytest.skip("pscheck (shared/tools/pscheck.py) is not present")
    argv = [sys.executable, str(tool), "--stdin", "--markdown" if markdown else "--powershell"]
    for product in products:
        argv += ["--product", product]
    done = subprocess.run(argv, input=text, capture_output=True, text=True, check=False)
    if "No module named" in done.stderr:
        pytest.skip(f"pscheck cannot run here: {done.stderr.strip().splitlines()[-1]}")
    return [line for line in done.stdout.splitlines() if not line.startswith("pscheck:")]


def assert_valid_powershell(text: str, *products: str) -> None:
    """Assert that `text` is non-empty PowerShell pscheck finds nothing wrong with."""
    assert text.strip(), "no PowerShell to check"
    problems = pscheck(text, *products)
    assert not problems, "\n".join([*problems, "--- in:", text])


def assert_documented_fix_is_valid(code: str) -> None:
    """Assert that the fix `s2slint rule CODE` prints is valid PowerShell (no placeholders)."""
    from s2slint.ruledoc import render_rule
    from s2slint.testing import registry

    (rule,) = [rule for rule in registry().rules if rule.code == code]
    problems = pscheck(render_rule(rule), markdown=True)
    assert not problems, "\n".join([*problems, "--- in:", rule.doc.fix])


def assert_file_passes(path: Path) -> None:
    """Assert that `python pscheck.py FILE` reports 0 problems (skipped only without pscheck).

    The generated scripts (the collector, the runbook) are checked as the files an
    administrator runs, the way pscheck's own README says.
    """
    tool = pscheck_path()
    if tool is None:
        pytest.skip("../shared/tools/pscheck.py is absent")
    done = subprocess.run(
        [sys.executable, str(tool), str(path)], capture_output=True, text=True, check=False
    )
    assert not done.stderr.strip(), done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("pscheck: 0 problems"), done.stdout
