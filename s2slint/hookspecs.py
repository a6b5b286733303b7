"""The hooks a plugin implements: rules, loaders (input kinds) and reporters.

Built-in rules, loaders and reporters are registered through these same hooks, so a
third-party plugin (entry-point group `s2slint`) has exactly the powers the core has.
Hooks only ever gain arguments, never lose them, so old plugins keep working.

Only the plugin host reads this module. The markers live in `s2slint.hooks`;
`hookimpl` is still importable from here because plugins written before the markers
moved import it from this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from s2slint.hooks import hookimpl, hookspec

if TYPE_CHECKING:
    from s2slint.loaders.base import Loader
    from s2slint.model import Model
    from s2slint.reporters.base import Reporter
    from s2slint.rule import Rule

__all__ = ["hookimpl", "s2slint_dns_hosts", "s2slint_loaders", "s2slint_reporters", "s2slint_rules"]


@hookspec
def s2slint_rules() -> Sequence[Rule]:  # type: ignore[empty-body]
    """Return the rules this plugin provides (each with a unique code and name)."""


@hookspec
def s2slint_loaders() -> Sequence[Loader]:  # type: ignore[empty-body]
    """Return the input kinds this plugin can recognise and read."""


@hookspec
def s2slint_reporters() -> Mapping[str, Reporter]:  # type: ignore[empty-body]
    """Return output formats by the name `--output-format` selects them with."""


@hookspec
def s2slint_dns_hosts(model: Model) -> Iterable[str]:  # type: ignore[empty-body]
    """Return the host names this plugin's rules need resolved when `--dns live` is on.

    The engine resolves every plugin's hosts together, concurrently and within one
    deadline, and puts the answers in `Model.live_dns` before any rule runs.
    """
