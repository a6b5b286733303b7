"""Errors that stop a run (exit code 2). Problems with *inputs* are findings instead."""

from __future__ import annotations


class S2SLintError(Exception):
    """A failure of the tool's own use: bad arguments, configuration or plugins."""


class UsageError(S2SLintError):
    """The command line asks for something impossible (unknown rule, missing path)."""


class ConfigError(S2SLintError):
    """The configuration file is invalid; the message names the key and valid choices."""


class PluginError(S2SLintError):
    """Plugins conflict (for example two rules with one code)."""
