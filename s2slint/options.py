"""Rule options: a rule's `[rules.<code>]` table checked against its options dataclass.

A rule declares its options as a frozen dataclass whose defaults are the documented
defaults; configuration keys are the field names with `-` for `_`. An unknown key,
or a value of the wrong type, is an error naming the rule, the key and the valid
choices, never a silent default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from s2slint.errors import ConfigError
from s2slint.rule import Rule, option_key


def build_options(rule: Rule, table: Mapping[str, Any], where: str) -> object:
    """Return the rule's options built from its table (`where` names the configuration).

    Raises `ConfigError` for an unknown option (listing the valid ones) or a value of
    the wrong type; `severity` is not an option and is skipped here.
    """
    fields = {option_key(f.name): f for f in rule.option_fields()}
    values: dict[str, object] = {}
    for key, value in table.items():
        if key == "severity":
            continue
        option = fields.get(key)
        if option is None:
            valid = ", ".join(["severity", *sorted(fields)])
            raise ConfigError(
                f'{where}: rules.{rule.code}: unknown option "{key}" (valid: {valid})'
            )
        expected = _option_type(option)
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ConfigError(
                f"{where}: rules.{rule.code}.{key}: expected an integer, got {value!r}"
            )
        if expected is not int and not isinstance(value, expected):
            raise ConfigError(
                f"{where}: rules.{rule.code}.{key}: expected {expected.__name__}, got {value!r}"
            )
        values[option.name] = value
    if rule.options is None:
        return None
    try:
        return rule.options(**values)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{where}: rules.{rule.code}: {error}") from None


def _option_type(option: dataclasses.Field[object]) -> type:
    annotation = (
        option.type if isinstance(option.type, str) else getattr(option.type, "__name__", "")
    )
    return {"int": int, "bool": bool, "float": float, "str": str}.get(str(annotation), object)
