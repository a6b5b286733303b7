"""Issue 17: a README a newcomer can follow, checked as a newcomer would use it.

The quick start is exactly two commands after one line about the virtual environment;
the README says how long the tests take and what they need; every `s2slint` command in
its shell examples runs as written from the repository root (in a copy of what they
name, so that the files they write land in a temporary folder); the JSON example
follows the shipped schema; the pre-commit example shows the subfolder layout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def section(title: str) -> str:
    """Return the text of the README section with this heading, up to the next one."""
    start = README.index(f"\n{title}\n")
    following = re.search(r"^#{1,3} ", README[start + len(title) + 2 :], re.M)
    end = start + len(title) + 2 + following.start() if following else len(README)
    return README[start:end]


def test_the_quick_start_is_one_line_and_two_commands() -> None:
    quick = section("## Quick start")
    [(language, body)] = BLOCK.findall(quick)[:1]
    assert language == "sh"
    assert len(body.strip().splitlines()) == 2
    before = [line for line in quick[: quick.index("```")].splitlines() if line.strip()]
    assert len(before) == 2 and before[0] == "## Quick start"  # one line, then the block
    assert "virtual environment" in before[1] and "Python 3.11 or newer" in before[1]


def test_the_readme_says_how_long_the_tests_take_and_what_they_need() -> None:
    quick = section("## Quick start")
    assert re.search(r"test suite takes about \d+ minutes", quick)
    for package in ("`knotd`", "`chromium`", "`openssl`", "`.ci/run`", "`../shared`"):
        assert package in quick, package


def usage_commands() -> list[str]:
    """Return every s2slint command of the README's shell blocks, in order."""
    commands = []
    for language, body in BLOCK.findall(README):
        if language != "sh":
            continue
        for line in body.splitlines():
            for part in line.split("&&"):
                command = re.sub(r"\s+#.*$", "", part.strip())
                if command.startswith(("s2slint ", "python -m s2slint ")):
                    commands.append(command)
    return commands


def test_every_usage_example_runs_as_written_from_the_repository_root(tmp_path: Path) -> None:
    commands = usage_commands()
    assert len(commands) >= 15
    assert not [c for c in commands if re.search(r"\bexports/", c)], "a folder that does not exist"
    # What the examples name, copied: the files they write stay out of the checkout.
    shutil.copytree(ROOT / "fixtures" / "example", tmp_path / "fixtures" / "example")
    (tmp_path / "s2slint").mkdir()
    shutil.copy(ROOT / "s2slint" / "controls.toml", tmp_path / "s2slint" / "controls.toml")
    (tmp_path / "docs").mkdir()
    python = f'"{sys.executable}" -m s2slint '
    for command in commands:
        line = re.sub(r"^(python -m s2slint|s2slint) ", python, command)
        done = subprocess.run(
            ["bash", "-c", line + " >/dev/null"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode in (0, 1), f"{command}: {done.stderr}"
        assert "error:" not in done.stderr, f"{command}: {done.stderr}"


def test_the_json_example_follows_the_shipped_schema() -> None:
    [example] = [body for language, body in BLOCK.findall(section("### JSON output"))]
    schema = json.loads(resources.files("s2slint").joinpath("output_schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(example))


def test_the_pre_commit_example_shows_the_subfolder_layout() -> None:
    [example] = [body for language, body in BLOCK.findall(section("### pre-commit"))]
    assert "files: ^exports/" in example and "args: [exports/]" in example


def test_the_example_output_is_what_the_quick_start_prints() -> None:
    quick = section("## Quick start")
    shown = quick[quick.index("```text\n") + len("```text\n") :]
    shown = shown[: shown.index("```")]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "s2slint",
            "check",
            "fixtures/example",
            "--as-of",
            "2026-11-21",
            "--no-cache",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "FORCE_COLOR"},
    )
    assert done.returncode == 1
    assert done.stdout == shown
