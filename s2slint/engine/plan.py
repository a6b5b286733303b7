"""Stage 1, plan: which rules run, with which severity and options, before any I/O.

A mistake in the configuration or on the command line (a selector naming no rule,
an unknown option) is a `ConfigError` raised here, before a single file is read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from s2slint.bundle import under
from s2slint.config import Config, RuleSettings, resolve_rule_settings
from s2slint.rule import Rule
from s2slint.selection import ignored_at

from .request import RunRequest


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class RunPlan:
    """The rules of a run: all registered (in order), the enabled codes, their settings.

    It also holds the path policy: per-path ignores and suppressions name paths
    relative to the configuration's folder, and `relative` turns a display path into
    one.
    """

    rules: tuple[Rule, ...]
    enabled: frozenset[str]
    settings: Mapping[str, RuleSettings]
    config: Config
    cwd: Path

    @classmethod
    def build(cls, rules: Sequence[Rule], request: RunRequest) -> RunPlan:
        """Check every selector, resolve every rule's settings, decide what runs.

        Raises `ConfigError` (naming where the mistake was written) before any I/O.
        """
        request.selection.check(rules, request.config)
        settings = resolve_rule_settings(rules, request.config)
        enabled = request.selection.enabled(rules, request.config)
        return cls(tuple(rules), enabled, settings, request.config, request.cwd)

    @property
    def selected(self) -> tuple[Rule, ...]:
        """The rules that run, in registration order."""
        return tuple(rule for rule in self.rules if rule.code in self.enabled)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of every registered rule."""
        return tuple(rule.code for rule in self.rules)

    def rule(self, code: str) -> Rule | None:
        """Return the registered rule with `code`, if any."""
        return next((rule for rule in self.rules if rule.code == code), None)

    def relative(self, display: str) -> str:
        """Return a display path relative to the configuration's folder (for path globs)."""
        return config_relative(display, self.config, self.cwd)

    def ignored_at(self, display: str, rule: Rule) -> bool:
        """Tell whether a per-path ignore hides `rule` in the file shown as `display`."""
        return ignored_at(self.relative(display), rule.code, rule.name, self.config)

    def fingerprint(self) -> tuple[str, ...]:
        """Return the texts of the plan that decide the outcome (for the run cache)."""
        return (
            *(f"{r.code}:{r.name}:{r.severity}:{_origin(r.check)}" for r in self.rules),
            repr(self.config),
            repr(sorted(self.enabled)),
        )


def config_relative(display: str, config: Config, cwd: Path) -> str:
    """Return a display path relative to the configuration's folder (for path ignores).

    Links are resolved with `os.path.realpath`, which never raises: a loop of links (an
    INP004 of the walk) has a path like any other file.
    """
    return placed_at(os.path.realpath(os.path.join(cwd, display)), config) or display


def placed_at(real: str, config: Config) -> str | None:
    """Return a resolved path relative to the configuration's folder, None outside it."""
    return under(real, os.fspath(config.root))


def _origin(check: object) -> str:
    """Name where a rule's check function lives (part of the run cache's key)."""
    module = getattr(check, "__module__", "")
    return f"{module}.{getattr(check, '__qualname__', '')}"
