"""The command line: `s2slint check`, `s2slint rule CODE`, `s2slint rules`.

Exit codes follow ruff: 0 nothing at or above `--fail-on` was found, 1 something
was, 2 the tool could not do its job (usage, configuration, unreadable path, plugin
failure). No traceback reaches the user; `S2SLINT_DEBUG=1` shows one for bug reports.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from s2slint import __version__
from s2slint.errors import S2SLintError, UsageError
from s2slint.findings import Severity

if TYPE_CHECKING:
    from s2slint.plugins import Registry

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
OUTPUT_FORMATS = ("full", "concise", "json")


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _as_of(value: str) -> datetime:
    """Parse `--as-of` (a date, or a date and time); a bare date is midnight UTC."""
    try:
        if len(value) == 10:
            return datetime.combine(datetime.fromisoformat(value).date(), time(), tzinfo=UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'"{value}" is not a date (use YYYY-MM-DD or an ISO 8601 date and time)'
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and a one-line message (no usage dump on stdout)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"s2slint: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of every subcommand."""
    parser = _Parser(
        prog="s2slint",
        description="Lint Lync / Skype for Business <-> Exchange server-to-server (OAuth) exports.",
    )
    parser.add_argument("--version", action="version", version=f"s2slint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="lint a bundle of exports")
    check.add_argument("paths", nargs="*", type=Path, default=[Path(".")], metavar="PATH")
    check.add_argument(
        "--select",
        type=_list,
        action="append",
        help="rules to enable (codes, prefixes, names; ALL)",
    )
    check.add_argument(
        "--extend-select",
        type=_list,
        action="append",
        default=[],
        help="rules to enable in addition",
    )
    check.add_argument("--ignore", type=_list, action="append", default=[], help="rules to disable")
    check.add_argument(
        "--output-format", choices=OUTPUT_FORMATS, help="output format (default: full)"
    )
    check.add_argument("-o", "--output-file", type=Path, help="write the report to this file")
    check.add_argument(
        "--as-of", type=_as_of, help="evaluation date for time-based rules (default: now)"
    )
    check.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="lowest severity that fails (default: warning)",
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when findings fail the run"
    )
    check.add_argument(
        "--statistics", action="store_true", help="show counts per rule instead of findings"
    )
    check.add_argument(
        "--config",
        type=Path,
        help="configuration file (default: the closest s2slint.toml or pyproject.toml)",
    )
    check.add_argument("--isolated", action="store_true", help="ignore every configuration file")

    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", nargs="?", help="rule code or name")
    rule.add_argument("--all", action="store_true", help="every rule's documentation")
    rule.add_argument("--output-format", choices=("text", "json"), default="text")

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--output-format", choices=("text", "json"), default="text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "rule":
            return _rule(args)
        return _rules(args)
    except S2SLintError as error:
        sys.stderr.write(f"s2slint: error: {error}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("s2slint: interrupted\n")
        return 130
    except Exception as error:  # the last line of defence: never a traceback
        if os.environ.get("S2SLINT_DEBUG"):
            raise
        sys.stderr.write(
            f"s2slint: internal error: {type(error).__name__}: {error} "
            "(set S2SLINT_DEBUG=1 for a traceback and report it)\n"
        )
        return EXIT_ERROR


def _registry() -> Registry:
    from s2slint.plugins import load_registry

    registry = load_registry()
    for failure in registry.failures:
        sys.stderr.write(f"s2slint: error: {failure.describe()}\n")
    return registry


def _check(args: argparse.Namespace) -> int:
    from s2slint import config as configuration
    from s2slint.engine import lint
    from s2slint.reporters.base import ReportOptions

    paths: list[Path] = args.paths
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: no such file or directory")
    config_path = None
    if args.config is not None:
        if not args.config.is_file():
            raise UsageError(f"{args.config}: configuration file not found")
        config_path = args.config
    elif not args.isolated:
        config_path = configuration.discover(paths[0])
    config = configuration.load_config(config_path)

    registry = _registry()
    output_format = args.output_format or config.output_format
    reporter = registry.reporters.get(output_format)
    if reporter is None:
        raise UsageError(f'unknown output format "{output_format}"')
    now = args.as_of or datetime.now(UTC)
    select = [item for group in args.select for item in group] if args.select else None
    result = lint(
        paths,
        registry,
        config,
        now,
        select=select,
        extend_select=[item for group in args.extend_select for item in group],
        ignore=[item for group in args.ignore for item in group],
    )
    color = (
        args.output_file is None
        and output_format != "json"
        and sys.stdout.isatty()
        and "NO_COLOR" not in os.environ
    )
    text = reporter.render(result, ReportOptions(statistics=args.statistics, color=color))
    if args.output_file is not None:
        write_atomically(args.output_file, text)
    else:
        sys.stdout.write(text)
    if registry.failures:
        return EXIT_ERROR
    threshold = Severity.parse(args.fail_on) if args.fail_on else config.fail_on
    failing = any(f.severity >= threshold for f in result.findings)
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_OK


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename.

    An interrupted run never leaves a truncated report that a CI step would upload.
    """
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            dir=directory,
            prefix=f".{path.name}.",
            delete=False,
            newline="\n",
        ) as handle:
            handle.write(text)
        os.replace(handle.name, path)
    except OSError as error:
        raise UsageError(f"{path}: cannot write the report: {error.strerror or error}") from None


def _rule(args: argparse.Namespace) -> int:
    from s2slint.ruledoc import render_all, render_rule, rule_as_dict

    registry = _registry()
    if args.all:
        if args.output_format == "json":
            sys.stdout.write(json.dumps([rule_as_dict(r) for r in registry.rules], indent=2) + "\n")
        else:
            sys.stdout.write(render_all(registry.rules))
        return EXIT_OK
    if not args.code:
        raise UsageError("name a rule code or name, or use --all")
    rule = registry.rule(args.code)
    if rule is None:
        raise UsageError(f'no rule "{args.code}" (see `s2slint rules`)')
    if args.output_format == "json":
        sys.stdout.write(json.dumps(rule_as_dict(rule), indent=2) + "\n")
    else:
        sys.stdout.write(render_rule(rule))
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    registry = _registry()
    if args.output_format == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.label,
                "summary": r.summary,
                "plugin": r.plugin,
            }
            for r in registry.rules
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    width = max((len(r.name) for r in registry.rules), default=4)
    for rule in registry.rules:
        sys.stdout.write(
            f"{rule.code}  {rule.name:<{width}}  {rule.severity.label:<7}  {rule.summary}\n"
        )
    return EXIT_OK
