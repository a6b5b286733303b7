"""Export text and command-line helpers shared by the unit tests.

- Realistic `Export-Clixml` output of the Lync/Skype cmdlets the rules read
  (`Get-CsOAuthConfiguration`, `Get-CsPartnerApplication`, `Get-CsCertificate`), built
  with parameters so that a test states only what it changes.
- A bundle writer: a folder of such exports, UTF-8 or UTF-16 with a BOM as Windows
  PowerShell writes them.
- The ways of running s2slint: in-process through `s2slint.cli.main`, or as
  `python -m s2slint` in a subprocess; neither ever lets a traceback through.
- Parsers of what it prints, and of the rule catalogue `rules.md`.

Tests compute expected lines and columns from the very text these builders return
(`position_of`), so a change of layout here moves expectation and input together.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from s2slint.cli import main
from s2slint.config import Config

# ---------------------------------------------------------------------- constants

SVC = "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc"
"""The Autodiscover URL the OAuth configuration should name."""
XML = "https://autodiscover.litwareinc.com/autodiscover/autodiscover.xml"
"""The Autodiscover URL that OAU001 reports."""
EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000"
SHAREPOINT_APP_ID = "00000003-0000-0ff1-ce00-000000000000"
LYNC_SERVICE_NAME = "00000004-0000-0ff1-ce00-000000000000"

CLIXML_HEADER = '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
"""The first line of every `Export-Clixml` file."""

RULES_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "rules.md"
"""The rule catalogue, beside the project (absent in a bare checkout)."""

SSAUTH = "Microsoft.Rtc.Management.WritableConfig.Settings.SSAuth"
TRUST_LEVEL_VALUES = {"Full": 2, "Application": 1, "User": 0}
UNKNOWN_EXPORT = '<?xml version="1.0" encoding="utf-8"?>\n<Notes>hello</Notes>\n'
"""A file that looks like an export (XML) but is of no kind s2slint reads: INP002.

Plain notes are not exports at all: they are listed as skipped, without a finding.
"""
"""The numbers behind the `ApplicationTrustLevel` enum's names."""


# ------------------------------------------------------------------------ exports


def clixml(*objects: str) -> str:
    """Wrap serialized `<Obj>` elements (each ending in a newline) in an `<Objs>` document."""
    return CLIXML_HEADER + "".join(objects) + "</Objs>\n"


def oauth_xml(url: str = XML, realm: str = "") -> str:
    """Return `Get-CsOAuthConfiguration | Export-Clixml` output."""
    return clixml(
        f"""  <Obj RefId="0">
    <TN RefId="0">
      <T>{SSAUTH}.OAuthSettings</T>
      <T>System.Object</T>
    </TN>
    <ToString>Global</ToString>
    <Props>
      <S N="Identity">Global</S>
      <S N="ExchangeAutodiscoverUrl">{url}</S>
      <S N="Realm">{realm}</S>
      <S N="ServiceName">{LYNC_SERVICE_NAME}</S>
    </Props>
  </Obj>
"""
    )


@dataclass(frozen=True)
class PartnerApp:
    """One object of `Get-CsPartnerApplication`: what the rules read of it.

    `metadata` is the property that locates the partner's metadata document, as
    `(name, value)`: `("AuthToken", "Value=<url>")` or `("MetadataUrl", "<url>")`;
    `application_id` None leaves `ApplicationIdentifier` out.
    """

    identity: str = "microsoft.exchange"
    application_id: str | None = EXCHANGE_APP_ID
    trust: str = "Application"
    enabled: bool = True
    metadata: tuple[str, str] | None = None


SHAREPOINT = PartnerApp("microsoft.sharepoint", SHAREPOINT_APP_ID, trust="User")
"""SharePoint with User trust: not Full, so PAP001 reports it (as Exchange's default)."""


def partner_apps_xml(*apps: PartnerApp, deserialized: bool = False) -> str:
    """Return `Get-CsPartnerApplication | Export-Clixml` output (Exchange alone by default).

    Run locally the type is the live one and `ToString` is `Identity=<name>`; through a
    remote session (`deserialized`) the type names carry `Deserialized.` and `#Decorated`
    and `ToString` is the bare name. As PowerShell writes it, only the first object
    spells out its type names (later ones point back with `TNRef`), and a trust level
    already written is pointed back to with `Ref`.
    """
    if deserialized:
        type_names = (
            f"Deserialized.{SSAUTH}.PartnerApplication#Decorated",
            "Deserialized.System.Object",
        )
    else:
        type_names = (f"{SSAUTH}.PartnerApplication", "System.Object")
    objects: list[str] = []
    trust_ref_ids: dict[str, int] = {}
    ref_id = 0
    for app in apps or (PartnerApp(),):
        first = not objects
        if first:
            app_type = f"""    <TN RefId="0">
      <T>{type_names[0]}</T>
      <T>{type_names[1]}</T>
    </TN>
"""
        else:
            app_type = '    <TNRef RefId="0" />\n'
        app_ref_id = ref_id
        ref_id += 1
        if app.trust in trust_ref_ids:
            trust = f'      <Ref N="ApplicationTrustLevel" RefId="{trust_ref_ids[app.trust]}" />\n'
        else:
            trust_ref_ids[app.trust] = ref_id
            if first:
                trust_type = f"""        <TN RefId="1">
          <T>{SSAUTH}.ApplicationTrustLevel</T>
          <T>System.Enum</T>
          <T>System.ValueType</T>
          <T>System.Object</T>
        </TN>
"""
            else:
                trust_type = '        <TNRef RefId="1" />\n'
            trust = f"""      <Obj N="ApplicationTrustLevel" RefId="{ref_id}">
{trust_type}        <ToString>{app.trust}</ToString>
        <I32>{TRUST_LEVEL_VALUES[app.trust]}</I32>
      </Obj>
"""
            ref_id += 1
        props = f'      <S N="Identity">{app.identity}</S>\n'
        if app.metadata is not None:
            props += f'      <S N="{app.metadata[0]}">{app.metadata[1]}</S>\n'
        if app.application_id is not None:
            props += f'      <S N="ApplicationIdentifier">{app.application_id}</S>\n'
        to_string = app.identity if deserialized else f"Identity={app.identity}"
        objects.append(
            f"""  <Obj RefId="{app_ref_id}">
{app_type}    <ToString>{to_string}</ToString>
    <Props>
{props}{trust}      <B N="Enabled">{str(app.enabled).lower()}</B>
    </Props>
  </Obj>
"""
        )
    return clixml(*objects)


def cs_certificate_xml(server: str, thumbprint: str) -> str:
    """`Get-CsCertificate | Export-Clixml` run remotely against `server` (PSComputerName)."""
    return clixml(
        f"""  <Obj RefId="0">
    <TN RefId="0">
      <T>Microsoft.Rtc.Management.Deployment.CertificateReference</T>
      <T>System.Object</T>
    </TN>
    <ToString>Microsoft.Rtc.Management.Deployment.CertificateReference</ToString>
    <Props>
      <S N="Issuer">CN=litwareinc-ATL-CA-01, DC=litwareinc, DC=com</S>
      <S N="Subject">CN=litwareinc.com</S>
      <S N="Thumbprint">{thumbprint}</S>
      <Nil N="EffectiveDate" />
      <Obj N="Use" RefId="1">
        <TN RefId="1">
          <T>Microsoft.Rtc.Management.Deployment.CertType</T>
          <T>System.Enum</T>
          <T>System.ValueType</T>
          <T>System.Object</T>
        </TN>
        <ToString>OAuthTokenIssuer</ToString>
        <I32>12</I32>
      </Obj>
    </Props>
    <MS>
      <S N="PSComputerName">{server}</S>
    </MS>
  </Obj>
"""
    )


def cut_short(text: str, lines: int) -> str:
    """Return the first `lines` lines of `text`: an export cut short (malformed XML)."""
    return "\n".join(text.splitlines()[:lines]) + "\n"


def position_of(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    """Return the 1-based line and column where `needle` starts in `text` (from `start`)."""
    offset = text.index(needle, start)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


# ------------------------------------------------------------------------ bundles


def write_bundle(root: Path, files: Mapping[str, str | tuple[str, str]]) -> Path:
    """Write `files` (relative path -> text, or (text, encoding)) under `root`; return it.

    Text without an encoding is written as UTF-8; "utf-16" writes it with a BOM, as
    Windows PowerShell's `Export-Clixml` does. Folders are made as needed.
    """
    for relative, content in files.items():
        text, encoding = (content, "utf-8") if isinstance(content, str) else content
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding=encoding)
    return root


PARTIAL = ("--ignore", "INP006")
"""`check` options for the small bundles here, which lack most exports on purpose.

INP006 (evidence-missing) would name every absent export; a test about something
else passes these options (or lints with `PARTIAL_CONFIG`), and INP006 has tests of
its own.
"""
PARTIAL_CONFIG = Config(ignore=("INP006",))
"""The configuration of `PARTIAL` for tests that call `s2slint.engine.lint` directly."""


def write_lync_bundle(
    root: Path,
    *,
    oauth: str = "lync/oauth-configuration.xml",
    partner_apps: str = "lync/partner-applications.xml",
) -> Path:
    """Write a bundle with one OAU001, one PAP001 and one INP002 finding; return `root`.

    It is a partial bundle: linted as a folder it also gets INP006 findings unless
    `PARTIAL` is passed.

    `oauth` (UTF-16) names the OAuth configuration with the `.xml` Autodiscover URL,
    `partner_apps` (UTF-8) Exchange with Application trust; `notes.txt` looks like an
    export (XML) of no kind s2slint reads.
    """
    return write_bundle(
        root,
        {
            oauth: (oauth_xml(), "utf-16"),
            partner_apps: partner_apps_xml(),
            "notes.txt": UNKNOWN_EXPORT,
        },
    )


# ------------------------------------------------------------------- the CLI


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return the exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def module_environment(
    env: Mapping[str, str] | None = None, unset: Iterable[str] = ()
) -> dict[str, str]:
    """Return this process's environment without S2SLINT_DEBUG, FORCE_COLOR and `unset`, updated by `env`."""
    dropped = {"S2SLINT_DEBUG", "FORCE_COLOR", *unset}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env or {})
    return environment


def run_module(
    *argv: str, cwd: Path, env: Mapping[str, str] | None = None, unset: Iterable[str] = ()
) -> subprocess.CompletedProcess[str]:
    """Run `python -m s2slint` in a subprocess; never a traceback on stderr.

    The environment is this process's, without S2SLINT_DEBUG and `unset`, updated by `env`.
    """
    process = subprocess.run(
        [sys.executable, "-m", "s2slint", *argv],
        cwd=cwd,
        env=module_environment(env, unset),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert "Traceback" not in process.stderr, process.stderr
    return process


# ---------------------------------------------------------------- output parsers

FINDING_LINE = re.compile(
    r"^(?P<path>[^:\s]+)(:(?P<line>\d+):(?P<column>\d+))?: "
    r"(?P<code>[A-Z]{2,4}\d{3}) \[(?P<severity>\w+)\] "
)
"""A finding line of a `full` or `concise` report: `path[:line:column]: CODE [severity] `."""


def findings_in(output: str) -> list[tuple[str, str, str]]:
    """Return (path, code, severity) of each finding line of a report, in order."""
    return [
        (m["path"], m["code"], m["severity"])
        for line in output.splitlines()
        if (m := FINDING_LINE.match(line))
    ]


def codes_in(output: str) -> list[str]:
    """Return the codes of the finding lines of a report, in order."""
    return [code for _, code, _ in findings_in(output)]


def reference_rows() -> dict[str, tuple[str, str]]:
    """Return code -> (name, default severity) from the tables of rules.md (skip without it)."""
    if not RULES_REFERENCE.is_file():
        pytest.skip(f"the rule catalogue {RULES_REFERENCE} is not present")
    rows: dict[str, tuple[str, str]] = {}
    for line in RULES_REFERENCE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"[A-Z]{3}\d{3}", cells[0]):
            rows[cells[0]] = (cells[1], cells[2])
    return rows
