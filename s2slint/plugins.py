"""Find, load and isolate plugins; gather every rule, loader and reporter.

pluggy's own entry-point loader lets one broken plugin abort the whole run, so each
entry point is loaded, and each hook implementation called, on its own: a failure is
reported by the plugin's name and the rest of the run goes on.

`importlib.metadata` (and the email parser behind it) costs a run more than every
built-in plugin together, and most installations have no third-party plugin: it is
imported only when a distribution on `sys.path` may declare an `s2slint` entry point
(see `s2slint.installed`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import TYPE_CHECKING, TypeVar, cast

import pluggy

from s2slint import hookspecs
from s2slint.errors import PluginError
from s2slint.hooks import PROJECT
from s2slint.installed import ENTRY_POINT_GROUP
from s2slint.installed import may_declare_plugins as _may_declare_plugins
from s2slint.loaders.base import Loader
from s2slint.registry import DnsHostProvider, PluginFailure, Registry
from s2slint.reporters.base import Reporter
from s2slint.rule import Rule

if TYPE_CHECKING:
    from importlib import metadata

BUILTIN_PLUGINS = (
    "s2slint.diagnostics",
    "s2slint.loaders.plugin",
    "s2slint.reporters.plugin",
    "s2slint.rules",
)
"""Registered by the host before any entry point: the core's own INP/SUP rules first."""
T = TypeVar("T")


def __getattr__(name: str) -> ModuleType:
    """Provide `metadata` (`importlib.metadata`, once imported here) only when asked for."""
    if name == "metadata":
        from importlib import metadata

        return metadata
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".rstrip(": ")


def _import_builtin(name: str) -> ModuleType:
    __import__(name)
    return sys.modules[name]


def create_manager(
    *, entry_points: bool = True
) -> tuple[pluggy.PluginManager, list[PluginFailure]]:
    """Build the plugin manager: hook specs, built-ins, then third-party entry points."""
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(hookspecs)
    for name in BUILTIN_PLUGINS:
        manager.register(_import_builtin(name), name=name)
    failures: list[PluginFailure] = []
    labels: dict[str, str] = {}
    if entry_points:
        for entry_point in _entry_points():
            label = _label(entry_point)
            try:
                plugin = entry_point.load()
                name = f"{ENTRY_POINT_GROUP}:{entry_point.name}"
                manager.register(plugin, name=name)
                labels[name] = label
            except Exception as error:  # a broken plugin must not stop the run
                failures.append(PluginFailure(label, _describe(error)))
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        name = manager.get_name(error.plugin) or repr(error.plugin)
        # pluggy's message ends with the module's repr; the label already names it.
        message = str(error).split(" in plugin ")[0]
        failures.append(PluginFailure(labels.get(name, name), message))
    return manager, failures


def _entry_points() -> list[metadata.EntryPoint]:
    """Return the installed entry points of the `s2slint` group, sorted by name."""
    if not _may_declare_plugins():
        return []
    from importlib import metadata

    return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def _label(entry_point: metadata.EntryPoint) -> str:
    dist = entry_point.dist
    if dist is not None:
        return f"{entry_point.name} ({dist.name} {dist.version})"
    return entry_point.name


def _collect(
    manager: pluggy.PluginManager,
    hook_name: str,
    failures: list[PluginFailure],
    accept: Callable[[object], bool],
) -> list[tuple[str, object]]:
    """Call one hook implementation at a time, so a failing plugin is named alone."""
    results: list[tuple[str, object]] = []
    hook = getattr(manager.hook, hook_name)
    for impl in hook.get_hookimpls():
        try:
            provided = impl.function()
        except Exception as error:
            failures.append(
                PluginFailure(impl.plugin_name, f"{hook_name}() raised {_describe(error)}")
            )
            continue
        items: Iterable[object] = provided.items() if isinstance(provided, dict) else provided or ()
        for item in items:
            if accept(item):
                results.append((impl.plugin_name, item))
            else:
                failures.append(
                    PluginFailure(
                        impl.plugin_name, f"{hook_name}() returned {item!r}, not a valid item"
                    )
                )
    return results


def load_registry(*, entry_points: bool = True) -> Registry:
    """Load every plugin and check that rule codes and names are unique.

    Raises `PluginError` when two rules share a code or a name: which of the two
    would run is not something to decide silently.
    """
    manager, failures = create_manager(entry_points=entry_points)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for plugin, item in _collect(manager, "s2slint_rules", failures, lambda i: isinstance(i, Rule)):
        assert isinstance(item, Rule)
        rule = item if plugin in BUILTIN_PLUGINS else _owned(item, plugin)
        for key in (rule.code, rule.name):
            if key in seen:
                raise PluginError(
                    f'rule {key} is defined twice: by plugin "{seen[key]}" and by plugin "{plugin}"'
                )
            seen[key] = plugin
        rules.append(rule)
    loaders = [
        item
        for _, item in _collect(
            manager, "s2slint_loaders", failures, lambda i: isinstance(i, Loader)
        )
        if isinstance(item, Loader)
    ]
    reporters: dict[str, Reporter] = {}
    for plugin, item in _collect(
        manager,
        "s2slint_reporters",
        failures,
        lambda i: isinstance(i, tuple) and len(i) == 2 and isinstance(i[0], str),
    ):
        assert isinstance(item, tuple)
        name, reporter = item
        if name in reporters:
            failures.append(PluginFailure(plugin, f'output format "{name}" is already provided'))
            continue
        reporters[name] = reporter
    providers = tuple(
        cast(DnsHostProvider, impl.function)
        for impl in manager.hook.s2slint_dns_hosts.get_hookimpls()
    )
    return Registry(
        rules=tuple(sorted(rules, key=lambda r: r.code)),
        loaders=tuple(sorted(loaders, key=lambda loader: (loader.priority, loader.kind))),
        reporters=reporters,
        failures=tuple(failures),
        dns_host_providers=providers,
    )


def _owned(rule: Rule, plugin: str) -> Rule:
    """Record which plugin a third-party rule came from (shown in `s2slint rules`)."""
    from dataclasses import replace

    return replace(rule, plugin=plugin.removeprefix(f"{ENTRY_POINT_GROUP}:"))
