"""An example s2slint plugin: XMP001 `realm-not-set`.

Lync's `Get-CsOAuthConfiguration` may leave `Realm` empty, in which case the default
SIP domain is used. Some organisations prefer it set explicitly so that a later
change of the default SIP domain cannot change the realm silently; this rule encodes
that house policy. It is an example of the plugin contract, not a Microsoft
requirement, so its default severity is `info`.

It shows the whole rule API in one screen: `requires=` declares the export the check
reads (without it the engine reports the rule as not evaluated, in the export's own
words, and `s2slint rule XMP001` prints the same words); `not_applicable` says the
policy has nothing to judge here; `evaluated(issues, checked)` says what was looked at.
"""

from __future__ import annotations

from s2slint import hookimpl
from s2slint.evidence import Export, any_of
from s2slint.findings import Issue, Severity
from s2slint.model import Model
from s2slint.rule import Outcome, Rule, RuleContext, RuleDoc, evaluated, not_applicable

__all__ = ["RULES", "check", "s2slint_rules"]

DOC = RuleDoc(
    what=(
        "Reports a `Get-CsOAuthConfiguration` export whose `Realm` is empty or absent. "
        "The finding points at the `Realm` property, or at the object when the "
        "property was not exported at all. The policy applies where Lync is set up for "
        "server-to-server authentication with Exchange (`ExchangeAutodiscoverUrl` set); "
        "elsewhere the rule is not applicable."
    ),
    why=(
        "With an empty Realm, Lync uses the default SIP domain. Setting it explicitly "
        "documents the value the partner applications must agree on and keeps it "
        "stable if the default SIP domain ever changes."
    ),
    bad='<S N="Realm"></S>',
    good='<S N="Realm">litwareinc.com</S>',
    fix='Set-CsOAuthConfiguration -Identity global -Realm "litwareinc.com"',
    references=(
        "https://learn.microsoft.com/en-us/powershell/module/skype/set-csoauthconfiguration",
    ),
)


def check(model: Model, ctx: RuleContext) -> Outcome:
    """Report every Lync OAuth configuration whose Realm is empty or missing.

    The engine runs this only when an OAuth configuration export is present
    (`requires=` below), so the check never tests for it itself.
    """
    configs = model.oauth_configurations
    if not any(c.exchange_autodiscover_url and c.exchange_autodiscover_url.value for c in configs):
        return not_applicable(
            "Lync is not set up for server-to-server authentication with Exchange"
        )
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


RULE = Rule(
    code="XMP001",
    name="realm-not-set",
    severity=Severity.INFO,
    summary="Lync's OAuth configuration leaves Realm empty (house policy: set it explicitly)",
    doc=DOC,
    check=check,
    requires=(any_of(Export.OAUTH_CONFIGURATION),),
)

RULES = (RULE,)


@hookimpl
def s2slint_rules() -> list[Rule]:
    """Provide this plugin's rules."""
    return list(RULES)
