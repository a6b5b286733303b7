"""Which rules run: selectors, where each was written, and which one wins.

A selector is a rule code, a code prefix, a rule name or `ALL`. Selectors come from
the configuration (`select`, `extend-select`, `ignore`, `per-path-ignores`) and from
the command line (`--select`, `--extend-select`, `--ignore`); like ruff, the most
specific selector wins and `ignore` wins ties. Every selector must name some rule,
and the error says where the one that does not was written.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from s2slint.config import Config, describe
from s2slint.errors import ConfigError
from s2slint.rule import Rule


@dataclass(frozen=True, slots=True)
class Selection:
    """The command line's selectors; `select` None leaves the configuration's in force."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def selectors(self, config: Config) -> tuple[str, ...]:
        """Return every selector that enables rules, the configuration's and the command line's."""
        chosen = self.select if self.select is not None else config.select
        return (*chosen, *config.extend_select, *self.extend_select)

    def ignores(self, config: Config) -> tuple[str, ...]:
        """Return every selector that disables rules."""
        return (*config.ignore, *self.ignore)

    def enabled(self, rules: Sequence[Rule], config: Config) -> frozenset[str]:
        """Return the codes of the rules that run (the DNS rules not when DNS is off)."""
        selectors, ignores = self.selectors(config), self.ignores(config)
        codes = {rule.code for rule in rules if is_selected(rule, selectors, ignores)}
        if config.dns_mode == "off":
            codes = {code for code in codes if not code.startswith("DNS")}
        return frozenset(codes)

    def check(self, rules: Sequence[Rule], config: Config) -> None:
        """Reject every selector that names no rule, saying where it was written."""
        where = describe(config)
        if self.select is None:
            check_selectors(config.select, rules, f"{where}: select")
        else:
            check_selectors(self.select, rules, "--select")
        check_selectors(config.extend_select, rules, f"{where}: extend-select")
        check_selectors(config.ignore, rules, f"{where}: ignore")
        check_selectors(self.extend_select, rules, "--extend-select")
        check_selectors(self.ignore, rules, "--ignore")
        for pattern, path_selectors in config.per_path_ignores:
            check_selectors(path_selectors, rules, f'{where}: per-path-ignores."{pattern}"')
        check_selectors(config.non_suppressible, rules, f"{where}: non-suppressible")
        for entry in config.suppressions:
            check_selectors([entry.code], rules, f"{where}: suppress.code")


def _specificity(selector: str, rule: Rule) -> int | None:
    """Return how specifically `selector` names `rule` (None if it does not)."""
    token = selector.strip()
    if token.upper() == "ALL":
        return 0
    if token.lower() == rule.name:
        return 100
    if rule.code.startswith(token.upper()) and token:
        return len(token)
    return None


def check_selectors(selectors: Iterable[str], rules: Sequence[Rule], where: str) -> None:
    """Reject selectors that name no rule, so a typo never disables checking silently."""
    for selector in selectors:
        if not any(_specificity(selector, rule) is not None for rule in rules):
            raise ConfigError(f'{where}: "{selector}" matches no rule code, prefix or name')


def selector_matches(selector: str, code: str, name: str) -> bool:
    """Tell whether one selector (code, prefix, name or ALL) names the rule `code`/`name`."""
    token = selector.strip()
    if not token:
        return False
    return token.upper() == "ALL" or code.startswith(token.upper()) or token.lower() == name


def is_selected(rule: Rule, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Decide whether a rule runs: the most specific selector wins, ignore on ties."""
    best_select = max((s for x in select if (s := _specificity(x, rule)) is not None), default=None)
    best_ignore = max((s for x in ignore if (s := _specificity(x, rule)) is not None), default=None)
    if best_select is None:
        return False
    return best_ignore is None or best_select > best_ignore


def ignored_at(path: str, code: str, name: str, config: Config) -> bool:
    """Tell whether a per-path ignore hides rule `code` in the file at display `path`."""
    for pattern, selectors in config.per_path_ignores:
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, "*/" + pattern):
            for selector in selectors:
                token = selector.strip()
                if token.upper() == "ALL" or code.startswith(token.upper()) or token == name:
                    return True
    return False
