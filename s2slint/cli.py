"""The command line: `s2slint check`, `s2slint rule CODE`, `s2slint rules`, `s2slint collect-script`.

Exit codes follow ruff: 0 nothing at or above `--fail-on` was found, 1 something
was, 2 the tool could not do its job (usage, configuration, unreadable path, plugin
failure). No traceback reaches the user; `S2SLINT_DEBUG=1` shows one for bug reports.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime, time
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING

from s2slint import __version__
from s2slint.errors import S2SLintError, UsageError
from s2slint.findings import Severity
from s2slint.neutral import guard_commands, neutralize

if TYPE_CHECKING:
    from s2slint.baseline import Baseline
    from s2slint.config import Config
    from s2slint.engine import Prepared, RunRequest
    from s2slint.registry import Registry
    from s2slint.reporters.base import Reporter, ReportOptions
    from s2slint.results import RunResult

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
OUTPUT_FORMATS = (
    "full",
    "concise",
    "json",
    "sarif",
    "github",
    "gitlab",
    "junit",
    "markdown",
    "html",
    "powershell",
)
"""The built-in formats; plugins may add more (checked against the registry)."""
TEXT_FORMATS = ("full", "concise")
"""Formats that may be coloured (on a terminal, unless NO_COLOR is set)."""


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _output(value: str) -> tuple[str, Path]:
    """Parse `--output FORMAT=FILE`."""
    name, sep, file = value.partition("=")
    if not sep or not name.strip() or not file.strip():
        raise argparse.ArgumentTypeError(f'"{value}" is not FORMAT=FILE (e.g. sarif=s2slint.sarif)')
    return name.strip(), Path(file.strip())


def _as_of(value: str) -> datetime:
    """Parse `--as-of` (a date, or a date and time); a bare date is midnight UTC."""
    try:
        if len(value) == 10:
            parsed = datetime.combine(datetime.fromisoformat(value).date(), time(), tzinfo=UTC)
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'"{value}" is not a date (use YYYY-MM-DD or an ISO 8601 date and time)'
        ) from None
    moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    # Rules work days and years around the instant (a roll two days ahead, a timeline
    # sixty days back) and read it in UTC: the first and last years cannot be either.
    if not AS_OF_YEARS[0] <= moment.year <= AS_OF_YEARS[1]:
        raise argparse.ArgumentTypeError(
            f'"{value}" is out of range (years {AS_OF_YEARS[0]} to {AS_OF_YEARS[1]})'
        )
    return moment


AS_OF_YEARS = (1900, 9000)
"""The years `--as-of` accepts: far from where date arithmetic overflows."""


def _port(value: str) -> int:
    """Parse a TCP/UDP port number."""
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f'"{value}" is not a port number (1-65535)')
    return int(value)


def _seconds(value: str) -> float:
    """Parse a positive number of seconds (at most a minute)."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 60:
        raise argparse.ArgumentTypeError(f'"{value}" is not a number of seconds from 0 to 60')
    return seconds


def _jobs(value: str) -> int:
    """Parse `--jobs`: a process count, 0 meaning one per CPU."""
    if not value.isdigit() or int(value) > 256:
        raise argparse.ArgumentTypeError(f'"{value}" is not a number of processes (0-256)')
    return int(value) or (os.cpu_count() or 1)


def _cache_dir(args: argparse.Namespace) -> Path | None:
    """Return the cache folder: `--cache-dir`, `S2SLINT_CACHE_DIR`, else the user's cache.

    The default lies outside the linted repository (`$XDG_CACHE_HOME/s2slint`, else
    `~/.cache/s2slint`), so a run never adds files to the bundle's working tree.
    """
    if args.no_cache:
        return None
    if args.cache_dir is not None:
        return Path(args.cache_dir)
    if os.environ.get("S2SLINT_CACHE_DIR"):
        return Path(os.environ["S2SLINT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "s2slint"


def _usable_cache_dir(args: argparse.Namespace) -> Path | None:
    """Return the cache folder if it may be used; else say why once and return None.

    A folder of another user, or one others may write to, could hold entries planted
    to hide findings: the run goes on without a cache rather than trust it.
    """
    directory = _cache_dir(args)
    if directory is None:
        return None
    from s2slint.cachefiles import refusal

    reason = refusal(directory)
    if reason is None:
        return directory
    say(f"warning: not using the cache: {reason}")
    return None


def _with_dns_options(config: Config, args: argparse.Namespace) -> Config:
    """Apply the command line's DNS options over the configuration's."""
    changes: dict[str, object] = {}
    if args.dns:
        changes["dns_mode"] = args.dns
    if args.nameserver:
        changes["nameservers"] = tuple(args.nameserver)
    if args.dns_port is not None:
        changes["dns_port"] = args.dns_port
    if args.dns_timeout is not None:
        changes["dns_timeout"] = args.dns_timeout
    if args.dns_retries is not None:
        changes["dns_retries"] = args.dns_retries
    if (args.nameserver or args.dns_port) and changes.get("dns_mode", config.dns_mode) != "live":
        raise UsageError("--nameserver and --dns-port need --dns live")
    return replace(config, **changes)  # type: ignore[arg-type]


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and a one-line message (no usage dump on stdout)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        say(f"error: {message}")
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
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[],
        metavar="PATH",
        help="folders and files to lint (default: the current folder)",
    )
    check.add_argument("--version", action="version", version=f"s2slint {__version__}")
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
        "--output-format",
        metavar="FORMAT",
        help=f"output format: {', '.join(OUTPUT_FORMATS)} (default: full)",
    )
    check.add_argument("-o", "--output-file", type=Path, help="write the report to this file")
    check.add_argument(
        "--output",
        type=_output,
        action="append",
        default=[],
        metavar="FORMAT=FILE",
        help="also write FORMAT to FILE (repeatable), e.g. --output sarif=s2slint.sarif",
    )
    check.add_argument(
        "--controls",
        metavar="FILE|builtin:NAME",
        help="control mapping for the html and markdown reports: a TOML or JSON file, or "
        "builtin:s2slint (the default), builtin:nist-800-53, builtin:iso-27001, builtin:cis-v8",
    )
    check.add_argument(
        "--report-timestamp",
        action="store_true",
        help="print when the html and markdown reports were written (off: reruns are identical)",
    )
    check.add_argument(
        "--baseline", type=Path, metavar="FILE", help="hide the findings this baseline lists"
    )
    check.add_argument(
        "--generate-baseline",
        type=Path,
        metavar="FILE",
        help="write the current findings to a baseline (rewrites FILE, pruning fixed ones)",
    )
    check.add_argument(
        "--explain-coverage",
        action="store_true",
        help="show, for every selected rule, what it checked or which input it missed",
    )
    check.add_argument(
        "--as-of",
        type=_as_of,
        help="evaluation date for time-based rules, years 1900-9000 (default: now)",
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
    files = check.add_argument_group("file selection")
    files.add_argument(
        "--exclude",
        type=_list,
        action="append",
        metavar="GLOBS",
        help="globs of files and folders not to read (replaces the configuration's)",
    )
    files.add_argument(
        "--extend-exclude",
        type=_list,
        action="append",
        default=[],
        metavar="GLOBS",
        help="globs not to read, in addition to the configured ones",
    )
    files.add_argument(
        "--respect-gitignore",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="skip what .gitignore ignores (default: on, or the configuration's respect-gitignore)",
    )
    shown = check.add_argument_group("introspection and terminal")
    shown.add_argument(
        "--show-settings",
        action="store_true",
        help="print the resolved settings and the file they came from, then exit",
    )
    shown.add_argument(
        "--show-files",
        action="store_true",
        help="print every file considered with its recognised kind or why it is skipped, then exit",
    )
    loudness = shown.add_mutually_exclusive_group()
    loudness.add_argument(
        "-q", "--quiet", action="store_true", help="print the findings and nothing else"
    )
    loudness.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also say on stderr which configuration, paths and files were used, and how long it took",
    )
    shown.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text formats: auto (a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always, never",
    )
    speed = check.add_argument_group("speed")
    speed.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the cache of parsed files"
    )
    speed.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="where parsed files are cached (default: $XDG_CACHE_HOME/s2slint or ~/.cache/s2slint)",
    )
    speed.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="parse files in N processes (0: one per CPU; default 1); the output is the same",
    )
    dns = check.add_argument_group("DNS (offline zone exports by default)")
    dns.add_argument(
        "--dns",
        choices=("offline", "live", "off"),
        help="evidence for the DNS rules: zone exports (default), live lookups, or none",
    )
    dns.add_argument(
        "--nameserver",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="nameserver for --dns live (repeatable; default: the system resolver)",
    )
    dns.add_argument("--dns-port", type=_port, metavar="PORT", help="nameserver port (default 53)")
    dns.add_argument(
        "--dns-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="time budget of the whole live DNS phase (default 2)",
    )
    dns.add_argument(
        "--dns-retries",
        type=int,
        choices=range(6),
        metavar="N",
        help="tries after the first (default 1)",
    )

    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", nargs="?", help="rule code or name")
    rule.add_argument("--all", action="store_true", help="every rule's documentation")
    rule.add_argument("--output-format", choices=("text", "json"), default="text")

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--output-format", choices=("text", "json"), default="text")

    collect = commands.add_parser(
        "collect-script",
        help="print the PowerShell script that collects a bundle (run it in each management shell)",
    )
    collect.add_argument(
        "-o",
        "--output-file",
        type=Path,
        help="write the script to this file (e.g. Export-S2SBundle.ps1)",
    )
    return parser


def console(argv: Sequence[str] | None = None) -> int:
    """Run the command line as its own process (the `s2slint` script, `python -m s2slint`).

    A run creates hundreds of thousands of small immutable records that form no
    cycles. In a process that ends when the run does, Python's cycle collector would
    only walk them again and again, and once more at exit (about 0.1-0.3 s of CPU on a
    2,000-server estate, a third of a run over one edited export): it is switched off
    for the process, and what is alive at the end is frozen, so the collection at exit
    skips it. Reference counting still frees everything as before; `main`, called in
    a longer-lived process (tests, an editor), leaves the collector alone.
    """
    import gc

    gc.disable()
    try:
        return main(argv)
    finally:
        gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        _working_folder()
        if args.command == "check":
            return _run_check_command(args)
        if args.command == "rule":
            return _rule(args)
        if args.command == "collect-script":
            return _collect_script(args)
        return _rules(args)
    except S2SLintError as error:
        say(f"error: {error}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("s2slint: interrupted\n")
        return 130
    except Exception as error:  # the last line of defence: never a traceback
        if os.environ.get("S2SLINT_DEBUG"):
            raise
        say(
            f"internal error: {type(error).__name__}: {error} "
            "(set S2SLINT_DEBUG=1 for a traceback and report it)"
        )
        return EXIT_ERROR


def _working_folder() -> None:
    """Refuse to run in a working folder that was deleted (paths are shown relative to it)."""
    try:
        os.getcwd()
    except OSError as error:
        raise UsageError(
            f"the working folder cannot be read ({error.strerror or error}): change to one"
        ) from None


def say(message: str) -> None:
    """Write one line to stderr, prefixed with `s2slint: `, with values neutralised.

    Messages quote paths and values from the bundle and the configuration; neither may
    print control characters or begin a line a CI runner would execute.
    """
    sys.stderr.write(f"s2slint: {neutralize(message)}\n")


def _registry() -> Registry:
    from s2slint.plugins import load_registry

    registry = load_registry()
    for failure in registry.failures:
        say(f"error: {failure.describe()}")
    return registry


def _builtin_reporters() -> Mapping[str, Reporter]:
    """Return the built-in output formats (all there are when no plugin is installed)."""
    from s2slint.reporters import builtin_reporters

    return builtin_reporters()


def _replay(
    request: RunRequest, identity: str, progress: Callable[[str], None]
) -> tuple[RunResult | None, Prepared | None]:
    """Serve an identical earlier run without loading the plugins, if the cache has it.

    Whatever goes wrong here is left to the full run, which meets it again in its own
    order (a configuration error before the files are read).
    """
    from s2slint.engine import replay
    from s2slint.loaders import builtin_loaders

    try:
        return replay(request, builtin_loaders(), identity, lambda: _registry().rules, progress)
    except S2SLintError:
        return None, None
    except Exception:
        if os.environ.get("S2SLINT_DEBUG"):
            raise  # a fault of the replay itself: shown for bug reports
        return None, None


def _cannot_examine(path: Path, absent: str, *, file: bool = False) -> str | None:
    """Say why a path named on the command line cannot be used (`absent` if it is not there).

    A name too long for the file system, or in a folder that cannot be searched, is
    said so rather than ending the run with an internal error.
    """
    try:
        there = path.is_file() if file else path.exists()
    except OSError as error:
        return f"cannot be examined: {error.strerror or error}"
    return None if there else absent


def _run_check_command(args: argparse.Namespace) -> int:
    from s2slint import limits as input_limits
    from s2slint.engine import RunRequest, quiet, run
    from s2slint.selection import Selection

    started = perf_counter()
    paths: list[Path] = args.paths or [Path(".")]
    for path in paths:
        problem = _cannot_examine(path, "no such file or directory")
        if problem is not None:
            raise UsageError(f"{path}: {problem}")
    cache_dir = _usable_cache_dir(args)
    config = _configuration(args, paths[0], cache_dir)
    if args.show_settings:
        sys.stdout.write(guard_commands(_settings_text(args, config, paths)))
        return EXIT_OK
    if not args.paths and not args.quiet:
        say(f"linting the current folder, {Path.cwd()} (name a folder to lint another)")

    # A run the cache may serve whole needs no plugin loaded, when the built-in code is
    # all there is (see `s2slint.engine.replay`); any other run loads them first.
    identity = None
    if cache_dir is not None and not args.show_files and args.generate_baseline is None:
        from s2slint.installed import builtin_identity

        identity = builtin_identity(__version__)
    registry = _registry() if identity is None else None
    reporters = registry.reporters if registry is not None else _builtin_reporters()
    targets = _targets(args, config.output_format, reporters)
    options = _options(args, config)
    baseline = _baseline(args, config)
    select = [item for group in args.select for item in group] if args.select else None
    request = RunRequest(
        paths=tuple(paths),
        config=config,
        now=args.as_of or datetime.now(UTC),
        selection=Selection(
            tuple(select) if select is not None else None,
            tuple(item for group in args.extend_select for item in group),
            tuple(item for group in args.ignore for item in group),
        ),
        baseline=baseline,
        cache_dir=cache_dir,
        jobs=args.jobs,
    )
    if args.show_files:
        from s2slint.engine.survey import survey  # only --show-files lists the files

        assert registry is not None
        listing = survey(request, registry.loaders)
        sys.stdout.write(guard_commands("".join(f"{f.path}: {f.status}\n" for f in listing)))
        return EXIT_ERROR if registry.failures else EXIT_OK
    with _progress(args.quiet) as progress:
        result, prepared = None, None
        if identity is not None:
            result, prepared = _replay(request, identity, progress or quiet)
        if result is None:
            registry = registry or _registry()
            result = run(request, registry, progress or quiet, prepared=prepared)
    failures = registry.failures if registry is not None else ()
    if args.verbose:
        _say_verbose(config, paths, result, perf_counter() - started)
    if args.generate_baseline is not None:
        if failures:
            raise UsageError(
                "not writing the baseline: a plugin failed to load, and the entries of its "
                "rules would be lost"
            )
        return _write_baseline(args.generate_baseline, result)
    with input_limits.in_force(config.limits):  # reports may read files again (audit)
        _write_reports(result, targets, options, reporters, explain=args.explain_coverage)
    if failures:
        return EXIT_ERROR
    if args.explain_coverage:
        return EXIT_OK  # introspection: it reports coverage, it does not judge the bundle
    failing = any(f.severity >= options.fail_on for f in result.findings)
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_OK


def _configuration(args: argparse.Namespace, first: Path, memo: Path | None = None) -> Config:
    """Find and read the configuration, then apply the command line's settings over it.

    `memo` is the run's (usable) cache folder, where a configuration found valid is
    remembered so that an unchanged one is not validated again.
    """
    from s2slint.config import discover, load_config

    config_path = None
    if args.config is not None:
        problem = _cannot_examine(args.config, "configuration file not found", file=True)
        if problem is not None:
            raise UsageError(f"{args.config}: {problem}")
        config_path = args.config
    elif not args.isolated:
        config_path = discover(first)
    config = _with_dns_options(load_config(config_path, memo), args)
    changes: dict[str, object] = {}
    if args.exclude is not None:
        changes["exclude"] = tuple(item for group in args.exclude for item in group)
    if args.extend_exclude:
        extra = tuple(item for group in args.extend_exclude for item in group)
        changes["exclude"] = (*changes.get("exclude", config.exclude), *extra)  # type: ignore[misc]
    if args.respect_gitignore is not None:
        changes["respect_gitignore"] = args.respect_gitignore
    if args.baseline is not None:
        # The baseline in use is never an input, whoever names it.
        changes["baseline"] = args.baseline
    if args.fail_on:
        changes["fail_on"] = Severity.parse(args.fail_on)
    if args.output_format:
        changes["output_format"] = args.output_format
    return replace(config, **changes)  # type: ignore[arg-type]


def _settings_text(args: argparse.Namespace, config: Config, paths: Sequence[Path]) -> str:
    """Return `--show-settings`: where the settings came from, then every setting as TOML.

    Values are the resolved ones: the file's over the defaults, the command line's over
    both (those say so). Paths named in the configuration are shown resolved.
    """
    from s2slint.config import KEYS, describe

    if config.path is not None:
        origin = f"# settings file: {describe(config)}"
    elif args.isolated:
        origin = "# settings file: none (--isolated: the defaults)"
    else:
        origin = (
            "# settings file: none found at or above "
            f"{paths[0]} (s2slint.toml, .s2slint.toml, pyproject.toml [tool.s2slint]): the defaults"
        )
    overridden = {
        "exclude": args.exclude is not None or bool(args.extend_exclude),
        "respect-gitignore": args.respect_gitignore is not None,
        "baseline": args.baseline is not None,
        "fail-on": bool(args.fail_on),
        "output-format": bool(args.output_format),
        "dns": bool(args.dns),
        "nameservers": bool(args.nameserver),
        "dns-port": args.dns_port is not None,
        "dns-timeout": args.dns_timeout is not None,
        "dns-retries": args.dns_retries is not None,
    }
    lines = [
        origin,
        f"# linted paths: {', '.join(str(path) for path in paths)}",
        f"# version: s2slint {__version__}",
    ]
    for key, (name, _) in KEYS.items():
        value = getattr(config, name)
        note = "  # command line" if overridden.get(key) else ""
        if value is None:
            lines.append(f"# {key} = (not set){note}")
        elif key == "per-path-ignores":
            lines.append(f"{key} = {_toml(dict(value))}{note}")
        else:
            lines.append(f"{key} = {_toml(value)}{note}")
    if config.suppressions:
        lines.append(f"# [[suppress]] entries: {len(config.suppressions)}")
    for flag, chosen in (
        ("--select", args.select),
        ("--extend-select", args.extend_select),
        ("--ignore", args.ignore),
    ):
        if chosen:
            lines.append(f"# {flag} {','.join(item for group in chosen for item in group)}")
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    """Return a setting's value written as TOML (for `--show-settings`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Severity):
        return json.dumps(value.label)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Path | str):
        return json.dumps(str(value))
    if isinstance(value, Mapping):
        items = value.items()
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in items) + "}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return _toml({k: v for k, v in asdict(value).items() if v is not None})  # type: ignore[call-overload]
    return json.dumps(str(value))


def _say_verbose(config: Config, paths: Sequence[Path], result: RunResult, seconds: float) -> None:
    """Say, with `-v`, what the run used and did (stderr, so reports stay clean)."""
    from s2slint.config import describe

    read = [f for f in result.files if not f.skipped]
    skipped = len(result.files) - len(read)
    say(f"configuration: {describe(config) if config.path else 'none (the defaults)'}")
    say(f"paths: {', '.join(str(path) for path in paths)}")
    say(
        f"{len(read)} file{'s' if len(read) != 1 else ''} read, {skipped} skipped "
        "(--show-files says why), "
        f"{len(result.rules)} rules selected, {len(result.findings)} findings, {seconds:.2f} s"
    )


def _targets(
    args: argparse.Namespace, default_format: str, reporters: Mapping[str, Reporter]
) -> list[tuple[str, Path | None]]:
    """Return every (format, file) to write; file None is stdout. Reject bad names early."""
    targets: list[tuple[str, Path | None]] = [
        (args.output_format or default_format, args.output_file),
        *args.output,
    ]
    seen: set[Path] = set()
    for name, file in targets:
        if name not in reporters:
            valid = ", ".join(sorted(reporters))
            raise UsageError(f'unknown output format "{name}" (valid: {valid})')
        if file is not None:
            resolved = file.resolve()
            if resolved in seen:
                raise UsageError(f"{file}: named as the output of two formats")
            seen.add(resolved)
    return targets


def _options(args: argparse.Namespace, config: Config) -> ReportOptions:
    from s2slint.reporters.base import ReportOptions

    controls = None
    if args.controls is not None:
        from s2slint.controls import resolve

        controls = resolve(args.controls)
    baseline = None if args.generate_baseline is not None else args.baseline or config.baseline
    return ReportOptions(
        statistics=args.statistics,
        controls=controls,
        config_path=config.path,
        baseline_path=baseline,
        written_at=datetime.now(UTC) if args.report_timestamp else None,
        quiet=args.quiet,
        fail_on=config.fail_on,
        color=_color(args.color, sys.stdout.isatty()),
    )


def _baseline(args: argparse.Namespace, config: Config) -> Baseline | None:
    """Load the baseline to apply: `--baseline`, else the configuration's `baseline`.

    When generating a baseline nothing is applied: the new file must list every
    current finding, including those the old one accepted.
    """
    if args.generate_baseline is not None:
        return None
    path = args.baseline or config.baseline
    if path is None:
        return None
    from s2slint import baseline

    return baseline.load(path, Path.cwd())


def _write_baseline(path: Path, result: RunResult) -> int:
    from s2slint import baseline
    from s2slint.rule import Evaluated
    from s2slint.suppressions import EXPIRED, NO_REASON, UNUSED

    previous = None
    if path.is_file():
        try:
            previous = baseline.load(path, Path.cwd())
        except UsageError:
            previous = None  # not a baseline yet: it is replaced as asked
    findings = [f for f in result.findings if f.code not in (UNUSED, NO_REASON, EXPIRED)]
    ran = {code for code, outcome in result.coverage.items() if isinstance(outcome, Evaluated)}
    generated = baseline.generate(findings, previous, carry=lambda entry: entry.code not in ran)
    write_atomically(path, generated.text)
    say(
        f"wrote {generated.entries} baseline entries to {path} "
        f"({generated.added} new, {generated.pruned} pruned)"
    )
    return EXIT_OK


def _color(choice: str, stream_is_terminal: bool) -> bool:
    """Decide whether the text formats on stdout are coloured.

    `--color always`/`never` decide; with `auto`, a non-empty NO_COLOR (no-color.org)
    turns colour off, else a non-empty FORCE_COLOR (force-color.org) turns it on (a CI
    log that renders ANSI), else only a terminal gets colour.
    """
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream_is_terminal


def _write_reports(
    result: RunResult,
    targets: list[tuple[str, Path | None]],
    options: ReportOptions,
    reporters: Mapping[str, Reporter],
    *,
    explain: bool,
) -> None:
    """Write every report: files first (atomically), then stdout, then notices."""
    from dataclasses import replace

    from s2slint.reporters.text import explain_coverage

    stdout: str | None = None
    notices: list[str] = []
    for name, file in targets:
        reporter = reporters[name]
        if file is None and explain:
            stdout = guard_commands(explain_coverage(result))
            continue
        colored = file is None and name in TEXT_FORMATS and options.color
        text = reporter.render(result, replace(options, color=colored))
        if not options.quiet:
            notices.extend(n for n in reporter.notices(result) if n not in notices)
        if file is None:
            # Only the github format's own lines may start with "::" (see s2slint.neutral).
            stdout = text if name == "github" else guard_commands(text)
        else:
            write_atomically(file, text)
    if stdout is not None:
        try:
            sys.stdout.write(stdout)
            sys.stdout.flush()
        except OSError as error:
            raise UsageError(f"cannot write the report: {error.strerror or error}") from None
    for notice in notices:
        say(f"warning: {notice}")


@contextmanager
def _progress(silent: bool = False) -> Iterator[Callable[[str], None] | None]:
    """Yield a progress callback when stderr is a terminal (else None: stay silent)."""
    if silent or not sys.stderr.isatty():
        yield None
        return
    from s2slint.progress import Progress

    with Progress(sys.stderr) as progress:
        yield lambda text: progress.update(neutralize(text))


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename.

    An interrupted run never leaves a truncated report that a CI step would upload,
    and whatever goes wrong (a full disk, a folder in the way, an interrupt) the
    temporary file is removed. A FIFO or a character device (`/dev/stdout`, a named
    pipe a CI step reads) is written to directly: renaming over it would replace it
    with a regular file. Any other target that is not a regular file (a folder, a
    socket, a block device) is refused. Text a UTF-8 file cannot hold (a plugin's
    lone surrogate) is written as a backslash escape rather than failing the run.
    """
    data = text.encode("utf-8", "backslashreplace")
    try:
        status: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise UsageError(f"{path}: cannot write the report: {error.strerror or error}") from None
    if status is not None and not stat.S_ISREG(status.st_mode):
        if stat.S_ISFIFO(status.st_mode) or stat.S_ISCHR(status.st_mode):
            _write_through(path, data)
            return
        raise UsageError(
            f"{path}: cannot write the report: not a regular file (a folder, socket or "
            "block device)"
        )
    _replace(path, data)


def _write_through(path: Path, data: bytes) -> None:
    """Write a report into an existing FIFO or character device, never creating a file."""
    try:
        descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
    except OSError as error:
        raise UsageError(f"{path}: cannot write the report: {error.strerror or error}") from None


def _replace(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path` and rename it over `path`.

    The temporary file is removed on every failure, including an interrupt.
    """
    import tempfile

    directory = path.parent if str(path.parent) else Path(".")
    temporary: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise UsageError(f"{path}: cannot write the report: {error.strerror or error}") from None
    finally:
        if temporary is not None:
            with suppress(OSError):
                os.unlink(temporary)


def _file_mode(path: Path) -> int:
    """Return the mode a report should get: the replaced file's, else 0666 less the umask.

    Temporary files are created private (0600); a report read by a web server or a
    CI artefact store should be as readable as any file the user creates.
    """
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


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


def _collect_script(args: argparse.Namespace) -> int:
    """Print or write the collector script; a file is written atomically like a report."""
    from s2slint.collect import collect_script

    script = collect_script()
    if args.output_file is None:
        sys.stdout.write(script)
    else:
        write_atomically(args.output_file, script)
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
