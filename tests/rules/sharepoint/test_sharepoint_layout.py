"""The SharePoint family's layout: one module per rule, named after it, all registered."""

from __future__ import annotations

import importlib
import pkgutil

import s2slint.rules.sharepoint as family


def test_every_rule_module_is_registered_under_its_own_name() -> None:
    modules = sorted(
        info.name for info in pkgutil.iter_modules(family.__path__) if not info.name.startswith("_")
    )
    registered = [rule.name.replace("-", "_") for rule in family.RULES]
    assert sorted(registered) == modules
    for name in modules:
        module = importlib.import_module(f"s2slint.rules.sharepoint.{name}")
        assert module.RULE in family.RULES
    assert [rule.code for rule in family.RULES] == [f"SPS00{i}" for i in range(1, 7)]
