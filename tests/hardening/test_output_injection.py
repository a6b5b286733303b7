"""Issue 15, items 1, 7 and 16: what an export or a file name says cannot steer a log.

Item 1: control characters and `::` workflow commands from partner-application
identities and file names never reach a text output raw. Item 7: a file name that is
not UTF-8 is shown escaped in every format, and `-o` still writes. Item 16: Markdown
shows mentions and bare addresses as code; SARIF escapes `[text](link)`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from exports import PartnerApp, oauth_xml, partner_apps_xml
from round2 import (
    RAW_CONTROL,
    assert_cache_neutral,
    check,
    lines_starting_with_commands,
    temporary_files,
    write_files,
)

# PowerShell writes characters XML cannot carry as _xHHHH_; CLIXML decodes them.
HOSTILE_IDENTITY = (
    "microsoft.exchange_x000A_::add-mask::secret_x000A_::stop-commands::pwn_x000D_"
    "_x001B_[2J_x001B_[1;1HAll checks passed_x001B_]0;title_x0007_"
    "_x001B_]8;;https://evil.example_x001B_\\link_x009B_31m_x2028_::error ::x"
)
COMMAND_FILE = "::error title=pwned::All checks passed.xml"
TEXT_FORMATS = ("full", "concise", "markdown", "junit", "gitlab", "html", "json", "sarif")


@pytest.fixture
def hostile_bundle(tmp_path: Path) -> Path:
    """A bundle whose partner application identity and one file name carry commands."""
    bundle = tmp_path / "bundle"
    write_files(
        bundle,
        {
            "lync/partner-applications.xml": partner_apps_xml(
                PartnerApp(identity=HOSTILE_IDENTITY)
            ),
            "lync/oauth-configuration.xml": oauth_xml(),
            COMMAND_FILE: "<NotAnExport/>\n",
            "x\x1b[2Jy\x07.xml": "<NotAnExportEither/>\n",
        },
    )
    return bundle


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_no_control_character_or_command_line_reaches_a_text_output(
    hostile_bundle: Path, output_format: str
) -> None:
    ran = check(hostile_bundle, ".", "--output-format", output_format)
    assert ran.returncode == 1, ran.stderr
    assert "PAP001" in ran.text and "INP002" in ran.text
    assert RAW_CONTROL.search(ran.stdout) is None
    assert RAW_CONTROL.search(ran.stderr) is None
    assert "\u2028" not in ran.text
    assert lines_starting_with_commands(ran.stdout) == []


def test_the_text_formats_show_the_values_escaped(hostile_bundle: Path) -> None:
    ran = check(hostile_bundle, ".", "--output-format", "concise")
    assert "microsoft.exchange\\n::add-mask::secret\\n" in ran.text
    assert "\\x1b[2J" in ran.text and "\\x07" in ran.text and "\\x9b" in ran.text
    assert "\\u2028" in ran.text
    # The file named like a command is still listed, as a path that opens the same file.
    assert f"./{COMMAND_FILE}: INP002" in ran.text
    assert "x\\x1b[2Jy\\x07.xml: INP002" in ran.text


def test_github_prints_only_its_own_commands(hostile_bundle: Path) -> None:
    ran = check(hostile_bundle, ".", "--output-format", "github")
    lines = [line for line in ran.stdout.split(b"\n") if line]
    assert lines and all(re.match(rb"::(error|warning|notice) file=", line) for line in lines)
    assert RAW_CONTROL.search(ran.stdout) is None


def test_hostile_values_print_the_same_with_and_without_the_cache(
    hostile_bundle: Path, tmp_path: Path
) -> None:
    assert_cache_neutral(hostile_bundle, tmp_path / "cache", ".", "--output-format", "full")


# ------------------------------------------------------------------------- item 7


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_a_file_name_that_is_not_utf8_is_shown_escaped_everywhere(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    write_files(bundle, {"lync/oauth.xml": oauth_xml()})
    odd = os.fsencode(bundle / "lync") + b"/caf\xe9-\xff.xml"
    with open(odd, "wb") as handle:
        handle.write(oauth_xml().encode("utf-8"))
    reports = tmp_path / "reports"
    reports.mkdir()
    formats = ("sarif", "gitlab", "json", "junit", "markdown", "html", "full")
    outputs = [f"--output={name}={reports / name}" for name in formats]
    for name in ("sarif", "gitlab", "full"):
        ran = check(tmp_path, "bundle", "--output-format", name, *outputs)
        assert ran.returncode == 1, ran.stderr
        assert "caf\\xe9-\\xff.xml" in _unescaped(ran.text), name
    for name in formats:
        written = (reports / name).read_text(encoding="utf-8")
        assert "caf\\xe9-\\xff.xml" in _unescaped(written), name
    assert temporary_files(reports) == []


def _unescaped(text: str) -> str:
    """Undo JSON's doubled backslashes and SARIF's percent-encoding of URIs."""
    from urllib.parse import unquote

    return unquote(text.replace("\\\\", "\\"))


# ------------------------------------------------------------------------ item 16

LINKS_IDENTITY = (
    "microsoft.exchange @octocat @github/security-team admin@evil.example "
    "https://evil.example/login www.evil.example [click here](https://evil.example/x)"
)


@pytest.fixture
def links_bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "bundle"
    write_files(
        bundle,
        {"lync/partner-applications.xml": partner_apps_xml(PartnerApp(identity=LINKS_IDENTITY))},
    )
    return bundle


def _outside_code(markdown: str) -> str:
    """Return Markdown with its inline code spans removed."""
    return re.sub(r"(`+)(.+?)\1", "", markdown)


def test_markdown_neither_mentions_nor_links(links_bundle: Path) -> None:
    ran = check(links_bundle, ".", "--output-format", "markdown")
    # The finding's row of the findings table (the header's rule ranges name PAP001 too).
    row = next(line for line in ran.text.splitlines() if line.startswith("| ") and "PAP001" in line)
    prose = _outside_code(row)
    assert "@" not in prose
    assert "://" not in prose and "www." not in prose
    assert "`@octocat`" in row and "`https://evil.example/login`" in row


def test_sarif_messages_cannot_carry_links(links_bundle: Path) -> None:
    import json

    ran = check(links_bundle, ".", "--output-format", "sarif")
    results = json.loads(ran.stdout)["runs"][0]["results"]
    text = next(r["message"]["text"] for r in results if r["ruleId"] == "PAP001")
    assert re.search(r"(?<!\\)[\[\]]", text) is None, text
    assert "\\[click here\\](https://evil.example/x)" in text


def test_link_neutralising_prints_the_same_with_and_without_the_cache(
    links_bundle: Path, tmp_path: Path
) -> None:
    assert_cache_neutral(links_bundle, tmp_path / "cache", ".", "--output-format", "markdown")


@pytest.mark.parametrize("char", [chr(point) for point in range(128)], ids=repr)
def test_ascii_text_is_neutralised_as_the_pattern_says(char: str) -> None:
    """ASCII text skips the pattern when it is printable: the fast path may not differ."""
    from s2slint import neutral

    text = f"pool{char}fe01"
    unsafe = re.search(neutral._UNSAFE, text) is not None
    assert (neutral.neutralize(text) != text) is unsafe
    if not unsafe:
        assert neutral.neutralize(text) is text  # ordinary text comes back as it was
    else:
        assert neutral.neutralize(text) == re.sub(neutral._UNSAFE, neutral._escape, text)
