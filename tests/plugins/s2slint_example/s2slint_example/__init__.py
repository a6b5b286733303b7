"""An example s2slint plugin: XMP001 `realm-not-set`.

Lync's `Get-CsOAuthConfiguration` may leave `Realm` empty, in which case the default
SIP domain is used. Some organisations prefer it set explicitly so that a later
change of the default SIP domain cannot change the realm silently; this rule encodes
that house policy. It is an example of the plugin contract, not a Microsoft
requirement, so its default severity is `info`.
"""

from __future__ import annotations

from s2slint.findings import Issue, Severity
from s2slint.hookspecs import hookimpl
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_evaluated

__all__ = ["RULES", "check_realm_not_set", "s2slint_rules"]

EVIDENCE = "a Get-CsOAuthConfiguration export"


def check_realm_not_set(model: Model, ctx: RuleContext) -> Outcome:
    """Report every Lync OAuth configuration whose Realm is empty or missing."""
    configs = model.oauth_configurations
    if not configs:
        return not_evaluated(EVIDENCE)
    issues = []
    for config in configs:
        realm = config.realm
        if realm is not None and realm.value.strip():
            continue
        issues.append(
            Issue(
                "the Lync OAuth configuration has no Realm; set it to the default SIP domain",
                realm.loc if realm is not None else config.loc,
                key="oauth-configuration:Realm",
            )
        )
    return evaluated(issues, len(configs))


RULES = (
    Rule(
        code="XMP001",
        name="realm-not-set",
        severity=Severity.INFO,
        summary="Lync's OAuth configuration leaves Realm empty (house policy: set it explicitly)",
        check=check_realm_not_set,
        doc=RuleDoc(
            what=(
                "Reports a `Get-CsOAuthConfiguration` export whose `Realm` is empty or absent. "
                "The finding points at the `Realm` property, or at the object when the "
                "property was not exported at all."
            ),
            why=(
                "With an empty Realm, Lync uses the default SIP domain. Setting it explicitly "
                "documents the value the partner applications must agree on and keeps it "
                "stable if the default SIP domain ever changes."
            ),
            bad='<S N="Realm"></S>',
            good='<S N="Realm">litwareinc.com</S>',
            fix='Set-CsOAuthConfiguration -Identity global -Realm "litwareinc.com"',
            evidence=EVIDENCE,
            references=(
                "https://learn.microsoft.com/en-us/powershell/module/skype/set-csoauthconfiguration",
            ),
        ),
    ),
)


@hookimpl
def s2slint_rules() -> list[Rule]:
    """Provide this plugin's rules."""
    return list(RULES)
