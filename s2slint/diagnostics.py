"""The core's own rules: INP (problems with the inputs) and SUP (suppression hygiene).

The engine, the loaders and `s2slint.suppressions` report these codes themselves:
none of them has a check function. They are rules all the same, so they can be
selected, ignored and re-graded like any other, and `s2slint rule INP001` documents
them. The core registers this module as a built-in plugin of its own, apart from the
built-in rules plugin, so the engine's findings about unreadable or unsafe input
never depend on the rules plugin loading.

INP rules are reported while reading inputs; SUP rules once every other rule has
run, since only then is it known which suppressions and baseline entries matched a
finding; the engine then sets their coverage to what they looked at (suppressions,
inline comments, entries with an `expires` date), never the number of files, which
would make the accepted-risk control look passed on a bundle with no suppression.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from s2slint.corecodes import (
    EVIDENCE_MISSING,
    INTERNAL_ERROR,
    PARSE_ERROR,
    PFX_UNREADABLE,
    SUPPRESSION_EXPIRED,
    SUPPRESSION_WITHOUT_REASON,
    UNRECOGNIZED_INPUT,
    UNSAFE_INPUT,
    UNUSED_SUPPRESSION,
)
from s2slint.evidence import Export, unmet_requirements
from s2slint.findings import Issue, Location, Severity
from s2slint.hooks import hookimpl
from s2slint.rule import NotEvaluated, Outcome, Rule, RuleDoc

if TYPE_CHECKING:
    from s2slint.model import Model


_INPUT_EVIDENCE = "every file of the bundle"

_SUPPRESSION_EVIDENCE = (
    "the [[suppress]] entries of the configuration, inline `s2slint: ignore[...]` comments "
    "and the baseline file"
)
_RUFF_NOQA = "https://docs.astral.sh/ruff/linter/#error-suppression"
_RUFF_RUF100 = "https://docs.astral.sh/ruff/rules/unused-noqa/"
_DETEKT_BASELINE = "https://detekt.dev/docs/introduction/baseline/"

_EVIDENCE_MISSING_RULE = Rule(
    code=EVIDENCE_MISSING,
    name="evidence-missing",
    severity=Severity.WARNING,
    summary="A selected rule could not be evaluated because an export it needs is absent",
    doc=RuleDoc(
        what=(
            "Reports each kind of export the bundle lacks that a selected rule needs: one "
            "finding per missing export, naming it, the command that makes it, and the "
            "rules it leaves not evaluated. Only what rules declare they need counts "
            "(`s2slint rule CODE` shows it under Evidence); a rule that does not apply to "
            "the deployment (no SharePoint farm for the SPS rules) asks for nothing, and "
            "the live DNS lookups of DNS004 (`--dns live`) are no export. Reported when a "
            "folder (a bundle) is linted: files named one by one say nothing of what else "
            "exists."
        ),
        why=(
            "A rule without its evidence is neither passed nor failed: the report lists it "
            "as not evaluated, which is easy to read past. A bundle that misses the "
            "SharePoint farm's or the hybrid configuration's exports leaves whole trusts "
            'unexamined, and the audit report\'s "evidence is complete" control must fail '
            "on it rather than pass."
        ),
        bad="sharepoint/   <!-- empty: Get-SPTrustedSecurityTokenIssuer was never run -->",
        good="sharepoint/trusted-issuers.xml   <!-- Get-SPTrustedSecurityTokenIssuer | "
        "Export-Clixml -->",
        fix=(
            "# run the command the finding names, in the shell of its product, e.g.\n"
            + Export.SHAREPOINT_ISSUERS.command()
        ),
        evidence="the evidence each selected rule declares it needs",
        snippet_language="text",
    ),
)


def evidence_missing(
    rules: Iterable[Rule], coverage: Mapping[str, Outcome], model: Model, where: Location
) -> list[Issue]:
    """Return one INP006 issue per kind of export that leaves selected rules not evaluated.

    A rule counts when it is not evaluated and some requirement it declares is unmet
    (a rule that does not apply meets its conditional requirements); it is listed
    under every export it lacks. A requirement met by any of several exports is one
    missing export ("a Get-CsOAuthConfiguration export or a topology"). The issues
    point at the bundle, in the order the rules first name their exports.
    """
    blocked: dict[tuple[Export, ...], list[str]] = {}
    for rule in rules:
        if not isinstance(coverage.get(rule.code), NotEvaluated):
            continue
        for requirement in unmet_requirements(rule.requires, model):
            codes = blocked.setdefault(requirement.kinds, [])
            if rule.code not in codes:
                codes.append(rule.code)
    zone = model.default_sip_domain.value if model.default_sip_domain is not None else None
    issues = []
    for kinds, codes in blocked.items():
        export = " or ".join(kind.phrase for kind in kinds)
        listed = ", ".join(sorted(codes))
        verb = "is" if len(codes) == 1 else "are"
        fix = "\n# or\n".join(kind.command(zone) for kind in kinds)
        issues.append(
            Issue(
                f"{export} is missing from the bundle: {listed} {verb} not evaluated",
                where,
                key="evidence:" + "+".join(kind.field for kind in kinds),
                fix=fix,
            )
        )
    return issues


INPUT_RULES = (
    Rule(
        code=PARSE_ERROR,
        name="parse-error",
        severity=Severity.ERROR,
        summary="A file could not be parsed (malformed XML, CLIXML, zone file or certificate)",
        doc=RuleDoc(
            what=(
                "Reports a file that s2slint recognised but could not read: XML that is not "
                "well-formed, a CLIXML value that is not of its declared type, a zone file "
                "record that does not parse, a certificate whose base64 or DER is damaged. "
                "The location is the line and column of the error where the parser knows it."
            ),
            why=(
                "A damaged export hides the configuration it should show: every rule that "
                "needs it is then not evaluated. Exports are usually damaged by editing them "
                "by hand, by truncated copies, or by re-saving them in another encoding."
            ),
            bad='<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
            '  <Obj RefId="0">\n    <Props>\n      <S N="Identity">Global</S>\n',
            good='<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
            '  <Obj RefId="0">\n    <Props>\n      <S N="Identity">Global</S>\n    </Props>\n'
            "  </Obj>\n</Objs>",
            fix="Get-CsOAuthConfiguration | Export-Clixml -Path .\\lync\\oauth-configuration.xml",
            evidence=_INPUT_EVIDENCE,
        ),
    ),
    Rule(
        code=UNRECOGNIZED_INPUT,
        name="unrecognized-input",
        severity=Severity.WARNING,
        summary="A file that looks like an export is of no kind s2slint knows",
        doc=RuleDoc(
            what=(
                "Lists every file that looks like an export (XML, CLIXML, JSON, CSV, a "
                "certificate, a ZIP, or PowerShell's `Format-List`/`Format-Table` text) but "
                "is of no kind s2slint reads, every empty file, and anything in the bundle "
                "that is not a regular file. Files that are not exports at all (Markdown, "
                "plain notes, s2slint's own reports and baselines, and whatever `.gitignore` "
                "ignores unless `respect-gitignore = false`) are listed in the inputs as "
                "skipped, without a finding: `--show-files` shows each with the reason. Kinds "
                "are recognised from content, never from file names."
            ),
            why=(
                "A file that is silently skipped looks checked but is not. Listing it tells "
                "you that an export was made with the wrong cmdlet or format (for example "
                "`Format-List` output saved as text instead of `Export-Clixml`)."
            ),
            bad="Identity                : Global\nExchangeAutodiscoverUrl : https://autodiscover...",
            good='<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">',
            fix="Get-CsOAuthConfiguration | Export-Clixml -Path .\\lync\\oauth-configuration.xml",
            evidence=_INPUT_EVIDENCE,
            snippet_language="text",
        ),
    ),
    Rule(
        code=PFX_UNREADABLE,
        name="pfx-unreadable",
        severity=Severity.ERROR,
        summary="A PFX/PKCS#12 file needs a password that was not supplied or is wrong",
        doc=RuleDoc(
            what=(
                "Reports a PFX (PKCS#12) file that cannot be opened: no password was supplied "
                "and it needs one, or the supplied password is wrong. The password is read "
                "from the environment variable named by `pfx-password-env` (default "
                "`S2SLINT_PFX_PASSWORD`) or from the file named by `pfx-password-file`; never "
                "from the command line, and it is never printed."
            ),
            why=(
                "The OAuthTokenIssuer certificate is usually kept as the PFX it was exported "
                "in, with its private key. A PFX that cannot be opened leaves the key size, "
                "the private key and the thumbprint unchecked."
            ),
            bad="$ s2slint check exports/          # S2SLINT_PFX_PASSWORD not set",
            good="$ S2SLINT_PFX_PASSWORD=... s2slint check exports/",
            fix=(
                "# supply the password through the environment (not the command line)\n"
                "$env:S2SLINT_PFX_PASSWORD = Read-Host -Prompt 'PFX password'"
            ),
            evidence="PFX files in the bundle",
            snippet_language="text",
        ),
    ),
    Rule(
        code=UNSAFE_INPUT,
        name="unsafe-input-rejected",
        severity=Severity.ERROR,
        summary="Input refused for safety (DTD or entities, $INCLUDE, size or depth limits)",
        doc=RuleDoc(
            what=(
                "Reports input that s2slint refuses to process: XML with a document type "
                "declaration (the start of entity-expansion attacks), a zone file `$INCLUDE` "
                "(s2slint never reads files a document names), and inputs beyond the size or "
                "nesting limits."
            ),
            why=(
                "s2slint runs in pre-commit hooks and CI on files from many hands. Genuine "
                "exports never need these constructs, so refusing them costs nothing and "
                "closes the door to denial of service and file disclosure."
            ),
            bad='<!DOCTYPE Objs [<!ENTITY a "...">]>\n<Objs xmlns="http://schemas.microsoft.com/powershell/2004/04"/>',
            good='<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"/>',
            fix="# re-create the export with the cmdlet instead of editing it\nGet-CsPartnerApplication | Export-Clixml -Path .\\lync\\partner-applications.xml",
            evidence=_INPUT_EVIDENCE,
        ),
    ),
    Rule(
        code=INTERNAL_ERROR,
        name="internal-error",
        severity=Severity.ERROR,
        summary="A rule or loader raised; the run went on with every other rule and file",
        doc=RuleDoc(
            what=(
                "Reports a rule or loader (built-in or from a plugin) that failed with an "
                "exception. The rule is marked not evaluated; every other rule and file is "
                "still checked and reported."
            ),
            why=(
                "A failure in one check must never hide the findings of the others, nor pass "
                "silently. Run with `S2SLINT_DEBUG=1` to see the traceback and report it."
            ),
            bad="rule OAU001 (autodiscover-xml-not-svc) failed: KeyError: 'x'; the other rules ran",
            good="",
            fix="",
            evidence="every rule and loader",
            snippet_language="text",
        ),
    ),
    _EVIDENCE_MISSING_RULE,
)


SUPPRESSION_RULES = (
    Rule(
        code=UNUSED_SUPPRESSION,
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
            evidence=_SUPPRESSION_EVIDENCE,
            references=(_RUFF_RUF100, _DETEKT_BASELINE),
            snippet_language="toml",
        ),
    ),
    Rule(
        code=SUPPRESSION_WITHOUT_REASON,
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
            evidence=_SUPPRESSION_EVIDENCE,
            references=(_RUFF_NOQA,),
        ),
    ),
    Rule(
        code=SUPPRESSION_EXPIRED,
        name="suppression-expired",
        severity=Severity.WARNING,
        summary="A suppression or baseline entry is past its expires date",
        doc=RuleDoc(
            what=(
                "Reports a `[[suppress]]` entry of the configuration or a baseline entry whose "
                "`expires` date is before the evaluation date (`--as-of`, default today). "
                "The entry no longer hides anything: the findings it accepted are reported "
                "again, and this finding points at the entry, naming its owner and ticket. "
                "An entry is in force up to and including its `expires` day. An expired entry "
                "is reported once, as expired, never also as unused (SUP001)."
            ),
            why=(
                "An accepted risk is accepted for a time: until the Exchange 2013 servers "
                "retire, until the certificate is renewed in the change window. Without a "
                "date the exception quietly becomes permanent; with one, the finding comes "
                "back when the acceptance runs out, and the audit report shows who accepted "
                "it and under which ticket, so it can be renewed on purpose or fixed."
            ),
            bad=(
                "# s2slint.toml, evaluated on 2027-07-01\n"
                "[[suppress]]\n"
                'code = "PAP001"\n'
                'key = "partner-application:microsoft.exchange"\n'
                'reason = "Exchange 2013 retires in June"\n'
                'owner = "j.doe@litwareinc.com"\n'
                'ticket = "CHG-4711"\n'
                "expires = 2027-06-30"
            ),
            good=(
                "# renewed on purpose, with the ticket that extends it\n"
                "[[suppress]]\n"
                'code = "PAP001"\n'
                'key = "partner-application:microsoft.exchange"\n'
                'reason = "Exchange 2013 retirement moved to September"\n'
                'owner = "j.doe@litwareinc.com"\n'
                'ticket = "CHG-4890"\n'
                "expires = 2027-09-30"
            ),
            fix=(
                "# fix the finding the entry accepted and remove the entry, or renew it:\n"
                "# edit expires (and ticket) in s2slint.toml or in the baseline file;\n"
                "# nothing to run in PowerShell"
            ),
            evidence=_SUPPRESSION_EVIDENCE,
            references=(_DETEKT_BASELINE,),
            snippet_language="toml",
        ),
    ),
)


RULES = (*INPUT_RULES, *SUPPRESSION_RULES)
"""Every rule the core reports itself."""


@hookimpl
def s2slint_rules() -> tuple[Rule, ...]:
    """Provide the INP and SUP rules (registered by the plugin host as a built-in)."""
    return RULES
