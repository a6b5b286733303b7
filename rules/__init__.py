"""The built-in rules (installed as `s2slint.rules`), registered like any plugin's.

Every module of this package that defines `RULES` contributes them: adding a rule
family is adding a module, with no registration list to keep in step.
"""

from __future__ import annotations

import importlib
import pkgutil

from s2slint.hookspecs import hookimpl
from s2slint.model import Model
from s2slint.rule import Rule


@hookimpl
def s2slint_rules() -> list[Rule]:
    """Provide every built-in rule; modules are imported only when rules are needed."""
    rules: list[Rule] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        imported = importlib.import_module(f"{__name__}.{module.name}")
        rules.extend(getattr(imported, "RULES", ()))
    return rules


@hookimpl
def s2slint_dns_hosts(model: Model) -> list[str]:
    """Name the hosts the DNS rules need when `--dns live` is on."""
    from .dns import hosts_to_resolve

    return hosts_to_resolve(model)
