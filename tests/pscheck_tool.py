"""Run pscheck, the shared PowerShell checker, on a file the way its README says.

pscheck (`shared/tools/pscheck.py`, in a folder above the repository) parses PowerShell
with tree-sitter-powershell and checks every cmdlet and parameter against Microsoft's
cmdlet reference. Tests that need it skip only where the tool itself is absent; a missing
tree-sitter is a failure (the test extras install it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parent.parent


def pscheck_path() -> Path | None:
    """Return `shared/tools/pscheck.py` from the closest folder above the repository."""
    for folder in _ROOT.parents:
        candidate = folder / "shared" / "tools" / "pscheck.py"
        if candidate.is_file():
            return candidate
    return None


def pscheck_file(path: Path) -> str:
    """Run `python pscheck.py FILE` and return its report (the last line is the summary)."""
    tool = pscheck_path()
    if tool is None:
        pytest.skip("../shared/tools/pscheck.py is absent")
    done = subprocess.run(
        [sys.executable, str(tool), str(path)], capture_output=True, text=True, check=False
    )
    assert not done.stderr.strip(), done.stderr
    return done.stdout


def assert_pscheck_clean(path: Path) -> None:
    """Assert that pscheck reports 0 problems in the file at `path`."""
    report = pscheck_file(path)
    summary = report.strip().splitlines()[-1]
    assert summary.startswith("pscheck: 0 problems"), report
