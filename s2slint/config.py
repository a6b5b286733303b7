"""Find, read and validate configuration; resolve each rule's severity and options.

Like ruff, the closest configuration wins with no merging: `s2slint.toml` or
`.s2slint.toml`, else a `pyproject.toml` that has a `[tool.s2slint]` table, searched
from the linted path upwards. The file is validated with the JSON Schema shipped in
the package, and each rule's options against the rule's own options dataclass
(`s2slint.options`), so a typo is an error naming the key and the valid choices, never
a silent default. Which rules run is decided by `s2slint.selection`.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from s2slint.errors import ConfigError
from s2slint.findings import Severity
from s2slint.limits import Limits
from s2slint.options import build_options
from s2slint.rule import Rule
from s2slint.shipped import shipped_text

CONFIG_NAMES = ("s2slint.toml", ".s2slint.toml")
DEFAULT_PFX_PASSWORD_ENV = "S2SLINT_PFX_PASSWORD"
DEFAULT_EXCLUDE = (
    ".*",
    "s2slint.toml",
    "pyproject.toml",
    "*.md",
    "LICENSE*",
    "__pycache__",
)


@dataclass(frozen=True, slots=True)
class SuppressEntry:
    """A `[[suppress]]` table: accept one rule's findings on one object or path, with a reason.

    `code` is a selector (code, prefix or name); `key` a glob over the logical object
    key a finding carries (`partner-application:microsoft.sharepoint`); `path` a glob
    over the file, relative to the configuration's folder. `line` is where the table
    starts in the configuration file, so an unused entry can be pointed at. `owner`,
    `ticket` and `expires` record who accepted the risk, where that is written down and
    the last day the acceptance holds; the audit report shows them, and from the day
    after `expires` the entry no longer hides anything (SUP003).
    """

    code: str
    reason: str
    key: str | None = None
    path: str | None = None
    line: int | None = None
    owner: str = ""
    ticket: str = ""
    expires: date | None = None


@dataclass(frozen=True, slots=True)
class Config:
    """The settings of one run, from the configuration file and the command line."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    respect_gitignore: bool = True
    fail_on: Severity = Severity.WARNING
    output_format: str = "full"
    pfx_password_env: str = DEFAULT_PFX_PASSWORD_ENV
    pfx_password_file: Path | None = None
    rule_settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    suppressions: tuple[SuppressEntry, ...] = ()
    non_suppressible: tuple[str, ...] = ()
    baseline: Path | None = None
    bundle: tuple[BundleEntry, ...] = ()
    dns_mode: str = "offline"
    nameservers: tuple[str, ...] = ()
    dns_port: int = 53
    dns_timeout: float = 2.0
    dns_retries: int = 1
    limits: Limits | None = None  # None: the defaults of `s2slint.limits`


def discover(start: Path) -> Path | None:
    """Return the closest configuration file at or above `start`, if any."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(pyproject: Path) -> bool:
    """Tell whether a pyproject.toml configures s2slint.

    A file that mentions `[tool.s2slint]` but is not valid TOML is an error, not a
    reason to fall back silently to the defaults.
    """
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        if re.search(r"^\s*\[\s*tool\s*\.\s*s2slint\b", text, re.MULTILINE):
            raise ConfigError(f"{pyproject}: invalid TOML: {error}") from None
        return False
    return isinstance(data.get("tool"), dict) and "s2slint" in data["tool"]


def read_table(path: Path) -> dict[str, Any]:
    """Return the s2slint table of a configuration file (raises `ConfigError`)."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("s2slint", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.s2slint] must be a table")
        return table
    return data


def _where(path: Path) -> str:
    return f"{path}: [tool.s2slint]" if path.name == "pyproject.toml" else str(path)


def describe(config: Config) -> str:
    """Return how to name the configuration in messages (its file, or "configuration")."""
    return _where(config.path) if config.path is not None else "configuration"


def validate_table(table: Mapping[str, Any], path: Path, memo: Path | None = None) -> None:
    """Validate a configuration table against the shipped JSON Schema.

    Importing jsonschema alone costs a run about 100 ms, more than the rest of a run on
    an unchanged bundle or on a small one. A table the schema plainly accepts (see
    `plainly_valid`: nearly every real configuration) is therefore accepted without it;
    jsonschema decides, and words the error, whenever that check is not sure. With a
    cache folder (`memo`), a table jsonschema found valid once is not validated again.
    The mark is keyed on the table, the schema and the version; it only ever skips a
    check the same table passed.
    """
    schema_text = shipped_text("config_schema.json")
    schema = json.loads(schema_text)
    if plainly_valid(table, schema):
        return
    mark = _valid_mark(memo, table, schema_text) if memo is not None else None
    if mark is not None and mark.is_file():
        return
    _validate(table, path, schema)
    if mark is not None:
        _write_mark(mark)


_ANNOTATIONS = frozenset({"$schema", "$comment", "title", "description", "default", "examples"})
"""Keywords that never make an instance invalid."""
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "null": (type(None),),
}


def plainly_valid(instance: object, schema: Mapping[str, Any]) -> bool:
    """Tell whether `instance` is certainly valid against a draft-7 `schema`.

    Only the keywords the configuration schema uses are understood, each read at its
    narrowest (an integer is an `int` and never a `bool` or a float; an `enum` member
    must have the instance's very type): anything else, and every doubt, answers
    False and leaves the decision to jsonschema. A True answer is thus never wrong; a
    False one only costs the import.
    """
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        if not _keyword_holds(keyword, value, instance, schema):
            return False
    return True


def _keyword_holds(keyword: str, value: Any, instance: object, schema: Mapping[str, Any]) -> bool:
    """Tell whether one keyword of `schema` certainly holds for `instance`."""
    number = isinstance(instance, int | float) and not isinstance(instance, bool)
    if keyword == "type":
        names = [value] if isinstance(value, str) else value
        return isinstance(names, list) and any(_is_type(instance, name) for name in names)
    if keyword in ("minimum", "maximum", "exclusiveMinimum"):
        if not number:
            return not isinstance(instance, int | float)  # a bool: jsonschema would decide
        assert isinstance(instance, int | float)
        if keyword == "minimum":
            return bool(instance >= value)
        if keyword == "maximum":
            return bool(instance <= value)
        return bool(instance > value)
    if keyword == "minLength":
        return not isinstance(instance, str) or len(instance) >= value
    if keyword == "pattern":
        return not isinstance(instance, str) or re.search(value, instance) is not None
    if keyword == "enum":
        scalar = isinstance(instance, str | int | float | bool) or instance is None
        return scalar and any(type(c) is type(instance) and c == instance for c in value)
    if keyword == "items":
        if not isinstance(instance, list):
            return True
        return isinstance(value, dict) and all(plainly_valid(item, value) for item in instance)
    if keyword == "required":
        return not isinstance(instance, dict) or all(name in instance for name in value)
    if keyword == "properties":
        if not isinstance(instance, dict):
            return True
        return all(plainly_valid(instance[k], sub) for k, sub in value.items() if k in instance)
    if keyword == "additionalProperties":
        if not isinstance(instance, dict):
            return True
        if "patternProperties" in schema:
            return False  # not understood here
        named = schema.get("properties", {})
        extra = [key for key in instance if key not in named]
        if value is False:
            return not extra
        return isinstance(value, dict) and all(plainly_valid(instance[k], value) for k in extra)
    if keyword == "anyOf":
        return any(plainly_valid(instance, sub) for sub in value)
    return False  # a keyword not understood here: jsonschema decides


def _is_type(instance: object, name: str) -> bool:
    """Tell whether `instance` is certainly of the JSON type `name` (narrowly read)."""
    if isinstance(instance, bool):
        return name == "boolean"
    return isinstance(instance, _TYPES.get(name, ()))


def _valid_mark(memo: Path, table: Mapping[str, Any], schema_text: str) -> Path:
    """Return the file whose presence says this table passed this schema."""
    import hashlib

    from s2slint import __version__

    digest = hashlib.sha256(f"{__version__}\0{schema_text}\0{_canonical(table)}".encode())
    return memo / "valid-configurations" / digest.hexdigest()


def _canonical(value: object) -> str:
    """Return a TOML value as text that no other value has: tables sorted, scalars `repr`'d.

    JSON with `repr` for what JSON lacks gave a TOML date and the text of its `repr` the
    same form, so a table that failed the schema could pass as one that had passed it.
    Here text is quoted and a date is not, and so on for every TOML type.
    """
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(f"{key!r}:{_canonical(item)}" for key, item in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_canonical(item) for item in value) + "]"
    return f"{type(value).__name__}:{value!r}"


def _write_mark(mark: Path) -> None:
    """Create the mark (best effort: a read-only or full cache folder only costs time)."""
    try:
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.touch()
    except OSError:
        pass


def _validate(table: Mapping[str, Any], path: Path, schema: Mapping[str, Any]) -> None:
    """Validate `table` with jsonschema, raising the first error as a `ConfigError`."""
    import jsonschema

    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(dict(table)), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    error = errors[0]
    key = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "required" and isinstance(error.validator_value, list):
        missing = [name for name in error.validator_value if name not in error.instance]
        raise ConfigError(f'{_where(path)}: {key or "(top level)"}: missing "{missing[0]}"')
    if error.validator == "pattern" and key.endswith(".reason"):
        raise ConfigError(f"{_where(path)}: {key}: give the reason the finding is accepted")
    if error.validator == "pattern" and key.endswith(".expires"):
        raise ConfigError(f'{_where(path)}: {key}: give a date (2027-06-30 or "2027-06-30")')
    if error.validator == "anyOf" and key.startswith("suppress."):
        raise ConfigError(
            f"{_where(path)}: {key}: name the object (key) or the files (path) to suppress"
        )
    if error.validator == "additionalProperties" and not error.absolute_path:
        unknown = sorted(set(table) - set(schema["properties"]))
        valid = ", ".join(sorted(schema["properties"]))
        raise ConfigError(f'{_where(path)}: unknown key "{unknown[0]}" (valid: {valid})')
    if error.validator == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        raise ConfigError(
            f'{_where(path)}: {key}: "{error.instance}" is not one of the valid choices: {choices}'
        )
    raise ConfigError(f"{_where(path)}: {key or '(top level)'}: {error.message}")


def load_config(path: Path | None, memo: Path | None = None) -> Config:
    """Read and validate `path` (or return the defaults when there is no file).

    Only the keys the file sets are passed on: every default is stated once, in
    `Config`. `extend-exclude` adds to `exclude` (given or default); `suppress`
    entries also need the file's text, for their line numbers. `memo` is the cache
    folder, where a table found valid is remembered (see `validate_table`).
    """
    if path is None:
        return Config()
    table = _dates_as_text(read_table(path))
    validate_table(table, path, memo)
    root = path.parent.resolve()
    values: dict[str, Any] = {"path": path, "root": root}
    for key, (name, convert) in KEYS.items():
        if key in table:
            values[name] = convert(table[key], root)
    if "extend-exclude" in table:
        exclude = values.get("exclude", _default("exclude"))
        values["exclude"] = (*exclude, *table["extend-exclude"])
    values["suppressions"] = _suppress_entries(table.get("suppress", ()), path)
    return Config(**values)


def _default(name: str) -> Any:
    """Return the default of a `Config` field (where the defaults are stated)."""
    (found,) = (f for f in fields(Config) if f.name == name)
    return found.default


def _strings(value: Any, root: Path) -> tuple[str, ...]:
    return tuple(value)


def _as_is(value: Any, root: Path) -> Any:
    return value


def _under_root(value: Any, root: Path) -> Path | None:
    """A file named relative to the configuration's folder ("" names none)."""
    return root / value if value else None


KEYS: dict[str, tuple[str, Callable[[Any, Path], Any]]] = {
    "select": ("select", _strings),
    "extend-select": ("extend_select", _strings),
    "ignore": ("ignore", _strings),
    "per-path-ignores": (
        "per_path_ignores",
        lambda value, root: tuple((pattern, tuple(codes)) for pattern, codes in value.items()),
    ),
    "exclude": ("exclude", _strings),
    "respect-gitignore": ("respect_gitignore", _as_is),
    "fail-on": ("fail_on", lambda value, root: Severity.parse(value)),
    "output-format": ("output_format", _as_is),
    "pfx-password-env": ("pfx_password_env", _as_is),
    "pfx-password-file": ("pfx_password_file", _under_root),
    "rules": ("rule_settings", _as_is),
    "bundle": ("bundle", lambda value, root: _bundle_entries(value)),
    "non-suppressible": ("non_suppressible", _strings),
    "baseline": ("baseline", _under_root),
    "dns": ("dns_mode", _as_is),
    "nameservers": ("nameservers", _strings),
    "dns-port": ("dns_port", _as_is),
    "dns-timeout": ("dns_timeout", lambda value, root: float(value)),
    "dns-retries": ("dns_retries", _as_is),
    "limits": ("limits", lambda value, root: Limits.from_table(value)),
}
"""Configuration keys that set one `Config` field each: the field and how to read the value."""


_SUPPRESS_HEADER = re.compile(
    r"^[ \t]*\[\[[ \t]*(?:tool[ \t]*\.[ \t]*s2slint[ \t]*\.[ \t]*)?suppress[ \t]*\]\]", re.M
)


@dataclass(frozen=True, slots=True)
class BundleEntry:
    """A manifest entry: files (glob relative to the configuration) and what they are."""

    path: str
    server: str | None = None
    pfx_password_env: str | None = None

    def matches(self, relative: str) -> bool:
        """Tell whether the file at `relative` (to the configuration's folder) is described."""
        return fnmatch.fnmatch(relative, self.path.strip("/"))


def _bundle_entries(tables: Iterable[Mapping[str, Any]]) -> tuple[BundleEntry, ...]:
    return tuple(BundleEntry(t["path"], t.get("server"), t.get("pfx-password-env")) for t in tables)


def _dates_as_text(table: dict[str, Any]) -> dict[str, Any]:
    """Write TOML dates of `[[suppress]]` entries as text, the form the schema checks.

    `expires = 2027-06-30` (a TOML date) and `expires = "2027-06-30"` mean the same;
    JSON Schema knows no date type, so the first is turned into the second.
    """
    entries = table.get("suppress")
    if not isinstance(entries, list):
        return table
    fixed = []
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("expires"), date):
            day = entry["expires"]
            entry = {**entry, "expires": date(day.year, day.month, day.day).isoformat()}
        fixed.append(entry)
    return {**table, "suppress": fixed}


def parse_expiry(text: str | None, where: str) -> date | None:
    """Return the date an `expires` value names (None when absent); raise on a bad one."""
    if text is None or text == "":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f'{where}: expires: "{text}" is not a date (YYYY-MM-DD)') from None


def _suppress_entries(tables: Iterable[Mapping[str, Any]], path: Path) -> tuple[SuppressEntry, ...]:
    """Build the `[[suppress]]` entries, each with the line its table starts on.

    tomllib keeps no positions, so the n-th `[[suppress]]` header of the raw text is
    taken as the n-th entry; written as an inline array, the entries get no line.
    """
    entries = list(tables)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    headers = [text.count("\n", 0, m.start()) + 1 for m in _SUPPRESS_HEADER.finditer(text)]
    lines: list[int | None] = (
        list(headers) if len(headers) == len(entries) else [None] * len(entries)
    )
    return tuple(
        SuppressEntry(
            code=str(table["code"]),
            reason=str(table["reason"]).strip(),
            key=table.get("key"),
            path=table.get("path"),
            line=line,
            owner=str(table.get("owner", "")).strip(),
            ticket=str(table.get("ticket", "")).strip(),
            expires=parse_expiry(table.get("expires"), f"{_where(path)}: suppress.{number}"),
        )
        for number, (table, line) in enumerate(zip(entries, lines, strict=True))
    )


# ------------------------------------------------------------------ rule settings


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class RuleSettings:
    """The configured severity and options of one rule."""

    severity: Severity
    options: object


def resolve_rule_settings(rules: Sequence[Rule], config: Config) -> dict[str, RuleSettings]:
    """Apply `[rules.<code or name>]` tables: severity and typed options.

    Raises `ConfigError` for a table naming no rule, an unknown option (listing the
    valid ones) or a value of the wrong type.
    """
    where = _where(config.path) if config.path else "configuration"
    by_key: dict[str, Rule] = {}
    for rule in rules:
        by_key[rule.code] = rule
        by_key[rule.name] = rule
    configured: dict[str, Mapping[str, Any]] = {}
    for key, table in config.rule_settings.items():
        named = by_key.get(key.upper()) or by_key.get(key.lower())
        if named is None:
            raise ConfigError(f"{where}: rules.{key}: no rule has this code or name")
        configured[named.code] = table
    settings: dict[str, RuleSettings] = {}
    for rule in rules:
        table = configured.get(rule.code, {})
        severity = Severity.parse(table["severity"]) if "severity" in table else rule.severity
        settings[rule.code] = RuleSettings(severity, build_options(rule, table, where))
    return settings


def read_pfx_password(config: Config) -> tuple[str | None, str]:
    """Return the PFX password and a description of where it came from (never the value).

    The password comes from the environment variable the configuration names, else
    from the first line of `pfx-password-file`; never from the command line, where
    it would land in shell history and process listings.
    """
    value = os.environ.get(config.pfx_password_env)
    if value:
        return value, f"environment variable {config.pfx_password_env}"
    if config.pfx_password_file is not None:
        try:
            first = config.pfx_password_file.read_text(encoding="utf-8-sig").splitlines()
        except OSError:
            return None, f"password file {config.pfx_password_file} cannot be read"
        if first and first[0]:
            return first[0], f"password file {config.pfx_password_file}"
        return None, f"password file {config.pfx_password_file} is empty"
    return (
        None,
        f"no password was supplied: set the environment variable {config.pfx_password_env} "
        "or the setting pfx-password-file",
    )
