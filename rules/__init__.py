"""The built-in rules (installed as `s2slint.rules`), registered like any plugin's.

The INP and SUP rules, which the core reports itself, are not here: they live in
`s2slint.diagnostics`, a built-in plugin of the core.

Each family is a package (`rules/<family>/`) with one module per rule and an explicit
`RULES` tuple; `FAMILIES` lists the families. A layout test checks that every rule
module is listed, so nothing is silently left out.
"""

from __future__ import annotations

import importlib

from s2slint.hooks import hookimpl
from s2slint.model import Model
from s2slint.rule import Rule

FAMILIES = (
    "certificates",
    "dns",
    "features",
    "hybrid",
    "oauth",
    "partner_apps",
    "topology",
    "sharepoint",
)
"""The rule families, in the order their rules are registered."""


@hookimpl
def s2slint_rules() -> list[Rule]:
    """Provide every built-in rule; modules are imported only when rules are needed."""
    rules: list[Rule] = []
    for family in FAMILIES:
        rules.extend(importlib.import_module(f"{__name__}.{family}").RULES)
    return rules


@hookimpl
def s2slint_dns_hosts(model: Model) -> list[str]:
    """Name the hosts the DNS rules need when `--dns live` is on."""
    from .dns import hosts_to_resolve

    return hosts_to_resolve(model)
