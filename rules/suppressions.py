"""SUP: suppression hygiene, reported by the engine after suppressions are applied.

Like the INP rules these have no check function: `s2slint.suppressions` emits them
once every other rule has run, since only then is it known which suppressions and
baseline entries matched a finding. They can be selected, ignored and re-graded
like any other rule.
"""

from __future__ import annotations

from s2slint.findings import Severity
from s2slint.rule import Rule, RuleDoc

_EVIDENCE = (
    "the [[suppress]] entries of the configuration, inline `s2slint: ignore[...]` comments "
    "and the baseline file"
)
_RUFF_NOQA = "https://docs.astral.sh/ruff/linter/#error-suppression"
_RUFF_RUF100 = "https://docs.astral.sh/ruff/rules/unused-noqa/"
_DETEKT_BASELINE = "https://detekt.dev/docs/introduction/baseline/"

RULES = (
    Rule(
        code="SUP001",
        name="unused-suppression",
        severity=Severity.WARNING,
        summary="A suppression or baseline entry matches no finding",
        doc=RuleDoc(
            what=(
                "Reports a suppression that hid nothing in this run: a `[[suppress]]` entry "
                "of the configuration, one rule of an inline `s2slint: ignore[...]` comment, "
                "or a baseline entry whose rule and object no longer produce a finding. It "
                "also reports a suppression of a rule the configuration lists as "
                "`non-suppressible`, which never takes effect. A suppression of a rule that "
                "did not run (not selected, or not evaluated for lack of evidence) is not "
                "reported."
            ),
            why=(
                "An exception outlives the problem it excused: once the partner application "
                "is fixed, a leftover suppression would silently hide the same mistake when "
                "someone makes it again. Reporting unused suppressions keeps the list of "
                "accepted risks equal to the risks that actually exist, which is what an "
                "auditor reads."
            ),
            bad=(
                "# s2slint.toml: microsoft.sharepoint was set to Full trust last month\n"
                "[[suppress]]\n"
                'code = "PAP001"\n'
                'key = "partner-application:microsoft.sharepoint"\n'
                'reason = "SharePoint farm is being migrated"'
            ),
            good=(
                '# s2slint.toml: the entry is gone with the problem it excused\nselect = ["ALL"]'
            ),
            fix=(
                "# remove the entry or comment; for a baseline, regenerate it to prune\n"
                "s2slint check exports/ --generate-baseline s2slint-baseline.json"
            ),
            evidence=_EVIDENCE,
            references=(_RUFF_RUF100, _DETEKT_BASELINE),
            snippet_language="toml",
        ),
    ),
    Rule(
        code="SUP002",
        name="suppression-without-reason",
        severity=Severity.WARNING,
        summary="An inline suppression gives no reason",
        doc=RuleDoc(
            what=(
                "Reports an inline `<!-- s2slint: ignore[CODE] -->` comment (or `; s2slint: "
                "ignore[CODE]` in a zone file) that says which rule it silences but not why. "
                "The suppression still applies; the reason goes after `reason:` in the same "
                "comment. Suppressions in the configuration cannot omit their reason at all: "
                "`reason` is a required key there."
            ),
            why=(
                "A suppression is an accepted risk. Without a reason nobody can later tell a "
                "deliberate exception (a lab pool, a migration window) from a shortcut taken "
                "to make the pipeline pass, and the audit report cannot show auditors why "
                "the finding was accepted."
            ),
            bad=('<!-- s2slint: ignore[CRT003] -->\n<Obj RefId="0">'),
            good=(
                "<!-- s2slint: ignore[CRT003] reason: lab pool atl-lab-001, retired 2027-06 -->\n"
                '<Obj RefId="0">'
            ),
            fix=(
                "# edit the comment in the export file; nothing to run in PowerShell\n"
                "# <!-- s2slint: ignore[CRT003] reason: <why this is accepted> -->"
            ),
            evidence=_EVIDENCE,
            references=(_RUFF_NOQA,),
        ),
    ),
)
