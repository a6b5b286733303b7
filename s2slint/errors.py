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


def debug_traceback() -> None:
    """Log the traceback of a contained failure, only when asked (`S2SLINT_DEBUG=1`).

    Rules, loaders and plugins that raise become findings and the run goes on; the
    traceback a bug report needs is shown on demand, never by default.
    """
    import os

    if os.environ.get("S2SLINT_DEBUG"):
        import logging
        import traceback

        logging.getLogger("s2slint").error("%s", traceback.format_exc())
