"""INP: problems with the inputs themselves, reported by the engine while reading.

These rules have no check function: loaders and the engine emit them. They are rules
all the same, so they can be selected, ignored and re-graded like any other.
"""

from __future__ import annotations

from s2slint.findings import Severity
from s2slint.rule import Rule, RuleDoc

_EVIDENCE = "every file of the bundle"

RULES = (
    Rule(
        code="INP001",
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
            evidence=_EVIDENCE,
        ),
    ),
    Rule(
        code="INP002",
        name="unrecognized-input",
        severity=Severity.WARNING,
        summary="A file in the bundle is of no kind s2slint knows",
        doc=RuleDoc(
            what=(
                "Lists every file whose content is of no kind s2slint reads (topology XML, "
                "CLIXML exports of the cmdlets it knows, certificates, zone files), every "
                "empty file, and anything in the bundle that is not a regular file. Kinds are "
                "recognised from content, never from file names."
            ),
            why=(
                "A file that is silently skipped looks checked but is not. Listing it tells "
                "you that an export was made with the wrong cmdlet or format (for example "
                "`Format-List` output saved as text instead of `Export-Clixml`)."
            ),
            bad="Identity                : Global\nExchangeAutodiscoverUrl : https://autodiscover...",
            good='<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">',
            fix="Get-CsOAuthConfiguration | Export-Clixml -Path .\\lync\\oauth-configuration.xml",
            evidence=_EVIDENCE,
            snippet_language="text",
        ),
    ),
    Rule(
        code="INP003",
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
        code="INP004",
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
            evidence=_EVIDENCE,
        ),
    ),
    Rule(
        code="INP005",
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
)
