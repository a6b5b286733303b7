"""What the loaded plugins provide: plain data the engine and the command line read.

The plugin host (`s2slint.plugins`) builds a `Registry`; the engine only reads one.
Keeping the type here, apart from the host and pluggy, means the engine never
imports the machinery that finds and loads plugins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from s2slint.loaders.base import Loader
from s2slint.model import Model
from s2slint.reporters.base import Reporter
from s2slint.rule import Rule

DnsHostProvider = Callable[[Model], Iterable[str]]
"""A plugin's `s2slint_dns_hosts`: the host names its rules need resolved live."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class PluginFailure:
    """A plugin that could not be loaded or whose hook raised."""

    plugin: str
    error: str

    def describe(self) -> str:
        """Return a one-line message for the user."""
        return f'plugin "{self.plugin}" failed to load: {self.error}'


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Registry:
    """Everything the loaded plugins provide, in a stable order."""

    rules: tuple[Rule, ...]
    loaders: tuple[Loader, ...]
    reporters: dict[str, Reporter]
    failures: tuple[PluginFailure, ...]
    dns_host_providers: tuple[DnsHostProvider, ...] = ()

    def rule(self, code_or_name: str) -> Rule | None:
        """Return a rule by code (any case) or name."""
        wanted = code_or_name.strip()
        for rule in self.rules:
            if rule.code == wanted.upper() or rule.name == wanted.lower():
                return rule
        return None
