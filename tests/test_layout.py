"""The shape of the built-in rules: one module per rule, named after it, listed in its
family, independent of every other rule module, with a table of failing and passing
cases. These are the conventions a newcomer relies on to find a rule and its tests."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

import rules
from s2slint.rule import Rule
from s2slint.testing import Case

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "rules"


def rule_modules() -> list[tuple[str, str]]:
    """Return `(family, module)` for every public module of every family package."""
    found = []
    for family in rules.FAMILIES:
        package = importlib.import_module(f"rules.{family}")
        assert hasattr(package, "__path__"), f"rules.{family} is not a package"
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.startswith("_"):
                found.append((family, info.name))
    return found


MODULES = rule_modules()
LIVE_ONLY = {"dns_lookup_failed"}
"""Rules that fail only on live lookups: their failing cases run a DNS server on loopback
(bespoke tests in the same file), which a case table's offline bundle cannot."""


def load_rule(family: str, name: str) -> Rule:
    module = importlib.import_module(f"rules.{family}.{name}")
    rule = getattr(module, "RULE", None)
    assert isinstance(rule, Rule), f"rules/{family}/{name}.py defines no RULE"
    return rule


@pytest.mark.parametrize(("family", "name"), MODULES, ids=lambda v: str(v))
def test_the_module_is_named_after_its_rule(family: str, name: str) -> None:
    assert load_rule(family, name).name.replace("-", "_") == name


@pytest.mark.parametrize("family", rules.FAMILIES)
def test_every_rule_module_is_listed_in_its_family(family: str) -> None:
    listed = {rule.code for rule in importlib.import_module(f"rules.{family}").RULES}
    modules = {load_rule(f, n).code for f, n in MODULES if f == family}
    assert listed == modules


def imported_modules(path: Path) -> list[tuple[int, str | None, int]]:
    """Return `(level, module, line)` for every import statement of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str | None, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((0, alias.name, node.lineno) for alias in node.names)
    return found


@pytest.mark.parametrize(("family", "name"), MODULES, ids=lambda v: str(v))
def test_no_rule_module_imports_another_rule_module(family: str, name: str) -> None:
    path = RULES_DIR / family / f"{name}.py"
    for level, module, line in imported_modules(path):
        where = f"{path.relative_to(ROOT)}:{line}"
        if level == 0:
            assert not (module or "").startswith(("rules", "s2slint.rules")), where
            continue
        first = (module or "").split(".")[0]
        if level == 1:  # inside the family: only its private helpers
            assert first.startswith("_"), f"{where} imports a sibling rule module"
        else:  # above the family: only the shared private package
            assert level == 2 and first == "_shared", f"{where} reaches another family"


def test_module(family: str, name: str) -> ModuleType:
    path = ROOT / "tests" / "rules" / family / f"test_{name}.py"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    spec = importlib.util.spec_from_file_location(f"layout_{family}_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))  # as pytest does: the folder's helper modules
    sys.modules[spec.name] = module  # dataclasses defined in the test look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
        del sys.modules[spec.name]
    return module


@pytest.mark.parametrize(("family", "name"), MODULES, ids=lambda v: str(v))
def test_every_rule_has_failing_and_passing_cases(family: str, name: str) -> None:
    cases = getattr(test_module(family, name), "CASES", ())
    assert all(isinstance(case, Case) for case in cases)
    if name not in LIVE_ONLY:
        assert any(case.fails for case in cases), f"{name}: no failing case"
        assert any(not case.fails and case.outcome == "evaluated" for case in cases), (
            f"{name}: no passing case"
        )
    assert any(case.outcome != "evaluated" for case in cases), f"{name}: no not-evaluated case"


test_module.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def test_every_family_package_is_installed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = set(config["tool"]["setuptools"]["packages"])
    expected = {"s2slint.rules", "s2slint.rules._shared"} | {
        f"s2slint.rules.{family}" for family in rules.FAMILIES
    }
    core = ROOT / "s2slint"
    expected |= {
        ".".join(("s2slint", *init.parent.relative_to(core).parts))
        for init in core.rglob("__init__.py")
    }
    assert expected <= packages, sorted(expected - packages)
