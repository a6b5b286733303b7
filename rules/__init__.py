"""The built-in rules (installed as `s2slint.rules`), registered like any plugin's."""

from __future__ import annotations

from s2slint.hookspecs import hookimpl
from s2slint.rule import Rule


@hookimpl
def s2slint_rules() -> list[Rule]:
    """Provide every built-in rule; modules are imported only when rules are needed."""
    from . import certificates, dns, inputs, oauth, partner_apps

    return [*inputs.RULES, *certificates.RULES, *oauth.RULES, *partner_apps.RULES, *dns.RULES]
