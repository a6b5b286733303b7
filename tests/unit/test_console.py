"""The console script runs `main` with the cycle collector off, frozen at the end."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_script_and_python_m_run_the_console_entry() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["s2slint"] == "s2slint.cli:console"
    assert "console()" in (ROOT / "s2slint" / "__main__.py").read_text()


def test_console_returns_mains_code_with_the_collector_off_and_frozen() -> None:
    """Run in a child: the collector must stay on in a longer-lived process (this one)."""
    probe = (
        "import gc, s2slint.cli as cli\n"
        "code = cli.console(['rule', 'NOPE999'])\n"
        "print(code, gc.isenabled(), gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.stdout.split() == ["2", "False", "True"], done.stderr


def test_main_leaves_the_collector_alone(capsys: object) -> None:
    import gc

    from s2slint import cli

    assert gc.isenabled()
    assert cli.main(["rule", "CRT001"]) == 0
    assert gc.isenabled()
