"""Rule metadata every machine-readable format derives the same way.

Only the generic `Rule` fields are used (code prefix, severity, plugin), so rules
added later, by s2slint or by plugins, get sensible values without a table to update.
"""

from __future__ import annotations

import re

from s2slint.findings import Severity
from s2slint.rule import Rule

HOMEPAGE = "https://github.com/s2slint/s2slint"
"""The project homepage (as in pyproject.toml), where docs/rules.md is published."""
RULES_PAGE = f"{HOMEPAGE}/blob/main/docs/rules.md"

FAMILIES = {
    "INP": "inputs",
    "TOP": "topology",
    "CRT": "certificates",
    "OAU": "oauth-configuration",
    "PAP": "partner-applications",
    "DNS": "dns",
    "FEA": "features",
    "HYB": "hybrid",
    "SUP": "suppressions",
}
"""Rule families by code prefix (see rules.md); an unknown prefix is used as is."""

_HYGIENE = ("INP", "SUP")
"""Families about the tool's own inputs and suppressions, not the deployment."""

SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
"""GitHub's scale: 7.0-8.9 high (broken authentication), 4.0-6.9 medium, below 4 low.

Strings, because GitHub rejects a number here.
"""


def family(rule: Rule) -> str:
    """Return the family of a rule from its code prefix."""
    prefix = re.match(r"[A-Z]+", rule.code)
    letters = prefix.group(0) if prefix else rule.code
    return FAMILIES.get(letters, letters.lower())


def is_builtin(rule: Rule) -> bool:
    """Tell whether the rule ships with s2slint (and so is in docs/rules.md)."""
    return rule.plugin == "s2slint"


def help_uri(rule: Rule) -> str | None:
    """Return the rule's section of docs/rules.md on the homepage (built-in rules only).

    The anchor is GitHub's: the heading `CRT003 weak-key` lower-cased, punctuation
    dropped, spaces turned into hyphens.
    """
    if not is_builtin(rule):
        return None
    anchor = re.sub(r"[^a-z0-9 -]", "", f"{rule.code} {rule.name}".lower()).replace(" ", "-")
    return f"{RULES_PAGE}#{anchor}"


def tags(rule: Rule) -> list[str]:
    """Return SARIF/code-scanning tags: security for deployment checks, and the family."""
    kind = "maintainability" if rule.code.startswith(_HYGIENE) else "security"
    return [kind, "s2s-oauth", family(rule)]


def precision(rule: Rule) -> str:
    """Return how often a finding is right: exact for export checks, high for DNS.

    Rules read exported configuration, so a finding is a fact about the export; DNS
    zone exports may omit records another server holds, hence only "high".
    """
    return "high" if rule.code.startswith("DNS") else "very-high"
