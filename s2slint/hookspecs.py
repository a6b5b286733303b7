"""The hooks a plugin implements: rules, loaders (input kinds) and reporters.

Built-in rules, loaders and reporters are registered through these same hooks, so a
third-party plugin (entry-point group `s2slint`) has exactly the powers the core has.
Hooks only ever gain arguments, never lose them, so old plugins keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from s2slint.loaders.base import Loader
    from s2slint.model import Model
    from s2slint.reporters.base import Reporter
    from s2slint.rule import Rule

PROJECT = "s2slint"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


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
