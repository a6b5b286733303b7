"""Helpers of the second hostile-repository battery (issue 15): run the real CLI.

Every run is a subprocess of `python -m s2slint check` with a fixed evaluation date,
under a timeout that turns a hang into a failure. Output is kept as bytes, because
what is checked is exactly what a terminal or a CI log would receive.
`assert_cache_neutral` checks the promise every fix keeps: a run without the cache, a
cold cached run and a warm one print the same bytes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

AS_OF = "2026-11-21"
TIMEOUT = 120
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
"""Control bytes a text output must never send (C0 but tab and newline, DEL, C1 in UTF-8)."""


@dataclass(frozen=True)
class Ran:
    """What one run printed, as bytes, and its exit code."""

    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def text(self) -> str:
        """Return stdout decoded (bytes that are not UTF-8 shown as U+FFFD)."""
        return self.stdout.decode("utf-8", errors="replace")


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return this process's environment without S2SLINT_* variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("S2SLINT_")}
    env.update(extra or {})
    return env


def check(
    cwd: Path,
    *arguments: str,
    cache: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> Ran:
    """Run `s2slint check ARGUMENTS --isolated --as-of AS_OF` in `cwd`.

    `cache` None runs with `--no-cache`; else the cache lives there. A traceback on
    stderr fails the calling test.
    """
    caching = ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "s2slint",
            "check",
            *arguments,
            "--isolated",
            "--as-of",
            AS_OF,
            *caching,
        ],
        cwd=cwd,
        env=environment(env),
        capture_output=True,
        check=False,
        timeout=timeout,
    )
    assert b"Traceback" not in process.stderr, process.stderr.decode(errors="replace")
    return Ran(process.returncode, process.stdout, process.stderr)


def assert_cache_neutral(
    cwd: Path, cache: Path, *arguments: str, env: Mapping[str, str] | None = None
) -> Ran:
    """Check that `--no-cache`, a cold and a warm cached run print the same; return one."""
    uncached = check(cwd, *arguments, env=env)
    cold = check(cwd, *arguments, cache=cache, env=env)
    warm = check(cwd, *arguments, cache=cache, env=env)
    assert cold.stdout == uncached.stdout, "a cold cached run differs from --no-cache"
    assert warm.stdout == uncached.stdout, "a warm cached run differs from --no-cache"
    assert cold.returncode == warm.returncode == uncached.returncode
    return uncached


def lines_starting_with_commands(output: bytes) -> list[bytes]:
    """Return the lines of `output` a GitHub runner would execute as workflow commands."""
    return [line for line in output.split(b"\n") if line.startswith(b"::")]


def write_files(root: Path, files: Mapping[str, bytes | str]) -> Path:
    """Write `files` (relative path -> bytes or UTF-8 text) under `root`; return it."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
    return root


def temporary_files(folder: Path) -> Sequence[Path]:
    """Return the temporary files a report writer might have left in `folder`."""
    return sorted(p for p in folder.iterdir() if p.name.startswith("."))
