"""`--output-format powershell`: the findings' fixes as one safe, ordered runbook.

Administrators used to read a report, then type its commands by hand, in the right
order and the right shell. This format writes the script for them, from the exact fix
each finding carries (`Finding.fix`, with the bundle's real values):

- **one step per cause**: findings with the same fix text, or about the same logical
  object (`Finding.key`), are fixed once; the step's comments list each finding's code,
  location and message (neutralised, see `s2slint.neutral`);
- **in dependency order**: certificates and their rolls (CRT, TOP), Lync's OAuth
  configuration (OAU), partner applications on both sides with their metadata refresh
  and the restarts Microsoft documents (PAP; `iisreset` after Exchange's
  `Configure-EnterprisePartnerApplication.ps1`), SharePoint issuers (SPS), DNS, features
  (FEA), hybrid (HYB) last;
- **safe**: `[CmdletBinding(SupportsShouldProcess)]`, every change under
  `$PSCmdlet.ShouldProcess` (so `-WhatIf` and `-Confirm` work), every change preceded by
  a read of the current state and made only while it differs (see
  `s2slint.reporters.psguards`); each step names its management shell and runs only
  where that shell's cmdlets are loaded, the others are listed for another shell; a
  failing step stops the run with its number. Commands s2slint cannot guard, and all
  certificate requests, are printed as manual steps and never executed. No secret is
  ever written: s2slint's findings hold none, and a fix line that handles a password is
  a manual step.

The same findings give the same bytes. The text is ASCII unless a value of the bundle
is not; then it starts with a byte order mark, so that Windows PowerShell 5.1 reads it
as UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from s2slint import __version__
from s2slint.findings import Finding
from s2slint.neutral import neutralize, safe_path
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.pscommands import (
    Command,
    Value,
    parse_command,
    quote,
    render_value,
    split_comment,
)
from s2slint.reporters.psguards import (
    CERTIFICATE_WORK,
    SHELL_LABELS,
    Action,
    canonical,
    classify,
    shell_of,
    shell_of_comment,
)

if TYPE_CHECKING:
    from s2slint.model import Model
    from s2slint.results import RunResult

__all__ = ["Cause", "Step", "plan", "render_powershell"]

FAMILY_ORDER = ("CRT", "TOP", "OAU", "PAP", "SPS", "DNS", "FEA", None, "HYB")
"""The order causes are fixed in, by rule family; None stands for every other family."""
_RANK = {family: rank for rank, family in enumerate(FAMILY_ORDER)}
_RANK["TOP"] = _RANK["CRT"]
_VARIABLES = frozenset({"exscripts"})
"""Variables a fix may use: `$exscripts` is the Exchange Management Shell's scripts folder."""
_RULE = "# " + "-" * 86


@dataclass(frozen=True, slots=True)
class Cause:
    """Findings fixed by one set of commands, in the order the runbook fixes them.

    `lines` are the fix lines to run (each distinct line once); `alternatives` the lines
    a fix offers instead ("# or ..."), shown and never run.
    """

    findings: tuple[Finding, ...]
    lines: tuple[str, ...]
    alternatives: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """Return the codes of the findings, each once, in order."""
        return tuple(dict.fromkeys(f.code for f in self.findings))

    @property
    def rank(self) -> int:
        """Return the cause's place in the dependency order (its earliest family)."""
        return min(_rank(code) for code in self.codes)


@dataclass(frozen=True, slots=True)
class Step:
    """The part of a cause's fix that one management shell runs.

    `manual` steps are printed and never run; `why` says why. `part` and `parts` tell
    a step that continues its cause's fix in another shell.
    """

    number: int
    cause: Cause
    shell: str
    actions: tuple[Action, ...]
    manual: bool
    why: str = ""
    part: int = 1
    parts: int = 1


def _rank(code: str) -> int:
    family = code[:3]
    return _RANK.get(family, _RANK[None])


# --------------------------------------------------------------------------- causes


def causes(findings: Sequence[Finding]) -> tuple[list[Cause], list[Finding]]:
    """Group findings into causes; return them with the findings no fix covers.

    Two findings share a cause when their fixes are the same text, when their keys are
    the same object, or when their fixes make a same change (the same command, read and
    written back by `s2slint.reporters.pscommands`: two rules that both need Exchange's
    partner application for Lync create it once). A group whose findings carry no fix
    at all is not a cause s2slint can write steps for: its findings are returned apart.
    """
    findings = sorted(findings, key=Finding.sort_key)
    fixes = [split_alternative(_normal_fix(f.fix)) for f in findings]
    parent = list(range(len(findings)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first: dict[tuple[str, str], int] = {}
    for index, finding in enumerate(findings):
        labels = [("fix", _normal_fix(finding.fix)), ("key", finding.key)]
        labels += [("change", run) for run in _changes_of(fixes[index][0])]
        for label in labels:
            if not label[1]:
                continue
            if label in first:
                parent[root(index)] = root(first[label])
            else:
                first[label] = index
    groups: dict[int, list[int]] = {}
    for index in range(len(findings)):
        groups.setdefault(root(index), []).append(index)
    found: list[Cause] = []
    unfixed: list[Finding] = []
    for members in groups.values():
        lines = _merged(fixes[i][0] for i in members)
        alternatives = _merged(fixes[i][1] for i in members)
        chosen = tuple(findings[i] for i in members)
        if lines or alternatives:
            found.append(Cause(chosen, lines, alternatives))
        else:
            unfixed.extend(chosen)
    found.sort(key=lambda cause: (cause.rank, cause.findings[0].sort_key()))
    return found, unfixed


def _normal_fix(fix: str) -> str:
    return "\n".join(line.strip() for line in fix.strip().splitlines() if line.strip())


_ALTERNATIVE = re.compile(r"^#\s*(or\b|alternatively\b|instead\b)", re.IGNORECASE)


def split_alternative(fix: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split a fix into the commands to run and an alternative the runbook never runs.

    Fixes sometimes offer a choice ("# or turn hybrid modern authentication off"): doing
    both would undo the first. The alternative starts at that comment, together with
    the comment lines just before it (a shell named for the alternative alone).
    """
    lines = tuple(neutralize(line) for line in fix.splitlines())
    start = next((i for i, line in enumerate(lines) if _ALTERNATIVE.match(line)), len(lines))
    while start > 0 and start < len(lines) and lines[start - 1].startswith("#"):
        start -= 1
    return lines[:start], lines[start:]


def _changes_of(lines: Iterable[str]) -> list[str]:
    """Return the changes a fix's lines make, as the runbook writes them."""
    runs = []
    for line in lines:
        code, _ = split_comment(line)
        if code:
            action = classify(code, parse_command(canonical(code), _VARIABLES))
            if action.kind == "change":
                runs.append(action.run)
    return runs


def _merged(parts: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """Return every part's lines, each distinct line once, in order."""
    lines: dict[str, None] = {}
    for part in parts:
        for line in part:
            lines.setdefault(line, None)
    return tuple(lines)


# ---------------------------------------------------------------------------- steps


def _actions(cause: Cause, servers: tuple[str, ...] = ()) -> list[tuple[str | None, Action]]:
    """Classify a cause's lines; return each action with the shell it runs in (None: any).

    A comment line that names a shell ("# Exchange Management Shell") switches the
    shell of the lines after it; a command whose cmdlet belongs to a shell does too.
    Other comment lines are kept as notes of the command after them, in its shell.
    """
    shell: str | None = None
    out: list[tuple[str | None, Action]] = []
    notes: list[Action] = []
    for line in cause.lines:
        code, comment = split_comment(line)
        if not code:
            named = shell_of_comment(comment)
            if named is None:
                notes.append(Action("note", line, None))
            shell = named or shell  # the step's title names the shell
            continue
        action = classify(code, parse_command(canonical(code), _VARIABLES), servers)
        shell = action.shell or shell
        out += [(shell, note) for note in notes]
        notes = []
        out.append((shell, action))
    out += [(shell, note) for note in notes]
    return out


def _segments(actions: list[tuple[str | None, Action]]) -> list[tuple[str, list[Action]]]:
    """Split a cause's actions into runs of one shell; commands of any shell join a run."""
    known = next((shell for shell, _ in actions if shell is not None), "any")
    segments: list[tuple[str, list[Action]]] = []
    for shell, action in actions:
        where = shell or (segments[-1][0] if segments else known)
        if segments and segments[-1][0] == where:
            segments[-1][1].append(action)
        else:
            segments.append((where, [action]))
    return segments


def _with_documented_follow_ups(actions: list[Action], model: Model | None) -> list[Action]:
    """Drop repeated changes; add the restarts and refreshes Microsoft documents when missing.

    After `Configure-EnterprisePartnerApplication.ps1`, IIS is restarted on the Exchange
    servers; after an Exchange partner application's `-AuthMetadataUrl` changes,
    Exchange reads the metadata at once (`-RefreshAuthMetadata`).
    """
    seen: set[tuple[str, str]] = set()
    out = []
    for action in actions:  # two lines that make the same change, written two ways
        if action.kind in ("change", "follow") and (action.kind, action.run) in seen:
            continue
        seen.add((action.kind, action.run))
        out.append(action)
    if any(a.text.lower().startswith("iisreset ") for a in out):
        # a restart of named servers makes a bare `iisreset` (this server) redundant
        out = [a for a in out if a.text.lower() != "iisreset"]
    texts = {a.text.lower() for a in out}
    for action in list(out):
        run = action.run.lower()
        if action.kind != "change":
            continue
        if "configure-enterprisepartnerapplication.ps1" in run and not any(
            t.startswith("iisreset") for t in texts
        ):
            out.extend(_iisresets(model))
        if run.startswith("set-partnerapplication ") and "-authmetadataurl" in run:
            refresh = (
                f"Set-PartnerApplication -Identity {quote(action.target)} -RefreshAuthMetadata"
            )
            if not any("-refreshauthmetadata" in t for t in texts):
                out.append(classify(refresh, parse_command(refresh)))
    return out


def _iisresets(model: Model | None) -> list[Action]:
    """`iisreset` on every Exchange server of the exports (Edge Transport aside)."""
    servers: list[str] = []
    if model is not None:
        for server in model.exchange_servers:
            name = server.fqdn.value if server.fqdn is not None else server.name.value
            if name.strip() and not any(r.lower().startswith("edge") for r in server.roles):
                servers.append(name.strip().lower())
    lines = [
        f"iisreset {render_value(Value('word', s))}" for s in sorted(dict.fromkeys(servers))
    ] or ["iisreset"]
    return [classify(line, parse_command(line)) for line in lines]


def _alternative_shell(cause: Cause) -> str:
    """Return the shell an alternative names (by a comment or a cmdlet), else "any"."""
    for line in cause.alternatives:
        code, comment = split_comment(line)
        command = parse_command(canonical(code), _VARIABLES) if code else None
        shell = shell_of_comment(comment) if not code else (command and shell_of(command))
        if shell:
            return shell
    return "any"


def _manual_reason(actions: Sequence[Action]) -> str:
    """Return why a run of actions cannot be run safely, or "" when it can."""
    if not actions:
        return "the fix offers a choice only you can make (shown with this step); nothing is run"
    manual = [a for a in actions if a.kind == "manual"]
    if manual:  # the reason that matters most: certificate work, else the first line's
        return next((a.why for a in manual if a.why == CERTIFICATE_WORK), manual[0].why)
    removed = {a.subject for a in actions if a.kind == "change" and a.removes}
    created = {a.subject for a in actions if a.kind == "change" and a.creates}
    if removed & created:
        return (
            "it removes and creates the same object again: the current state cannot show "
            "whether that was done, so run it once, by hand"
        )
    if not any(a.kind == "change" for a in actions) and not any(
        a.kind == "follow" and a.repeatable for a in actions
    ):
        return "it has no change s2slint can test and make; it is shown for you to run"
    return ""


def plan(result: RunResult) -> tuple[list[Step], list[Finding]]:
    """Return the runbook's steps, numbered, and the findings no fix covers."""
    found, unfixed = causes(result.findings)
    model = _model(result)
    steps: list[Step] = []
    servers = tuple(model.front_end_servers()) if model is not None else ()
    for cause in found:
        segments = _segments(_actions(cause, servers))
        if not segments:  # only an alternative: shown, for the administrator to choose
            segments = [(_alternative_shell(cause), [])]
        waiting = 0  # a manual part of this cause that later parts must wait for
        for part, (shell, actions) in enumerate(segments, start=1):
            actions = _with_documented_follow_ups(actions, model)
            why = _manual_reason(actions)
            if not why and waiting:
                why = f"it continues step {waiting}, a manual step: run it once that is done"
            if why and not waiting:
                waiting = len(steps) + 1
            steps.append(
                Step(
                    len(steps) + 1,
                    cause,
                    shell,
                    tuple(actions),
                    bool(why),
                    why,
                    part,
                    len(segments),
                )
            )
    return steps, unfixed


def _model(result: RunResult) -> Model | None:
    """Return the run's model when it can be had (the Exchange servers to restart)."""
    try:
        return result.model
    except Exception:  # a cached run without its model: fall back to a local iisreset
        return None


# ------------------------------------------------------------------------- rendering

_PREAMBLE = r"""[CmdletBinding(SupportsShouldProcess)]
param()

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$script:left = @()
$script:manual = @()

function Test-S2SShell {
    # Tell whether this shell can run a step: every command it uses is loaded here.
    param([int]$Step, [string]$Shell, [string[]]$Command)
    foreach ($name in $Command) {
        if (-not (Get-Command -Name $name -ErrorAction SilentlyContinue)) {
            $script:left += $Step
            Write-Host -Object ('Step {0}: left for the {1} ({2} is not loaded here)' -f $Step, $Shell, $name)
            return $false
        }
    }
    return $true
}

function Test-S2SExchangeScripts {
    # Tell whether the Exchange Management Shell's scripts folder ($exscripts) is known.
    param([int]$Step)
    if ((Test-Path -Path 'variable:exscripts') -and (Test-Path -LiteralPath $exscripts)) { return $true }
    $script:left += $Step
    Write-Host -Object ('Step {0}: left for the Exchange Management Shell ($exscripts is not set here)' -f $Step)
    return $false
}

function Get-S2SSingle {
    # The one object a Set- command changes: none, or several, cannot be compared safely.
    param([object[]]$Found, [string]$What)
    if (@($Found).Count -ne 1) { throw ('{0} returned {1} objects, not one' -f $What, @($Found).Count) }
    return @($Found)[0]
}

function Get-S2SFound {
    # What a read finds. "Not found", which some cmdlets raise for a missing identity,
    # is nothing; any other error stops the step.
    param([scriptblock]$Read)
    try {
        return @(& $Read)
    } catch {
        $text = '{0} {1}' -f $_.FullyQualifiedErrorId, $_.Exception.Message
        if ($text -match 'NotFound|not found|does not exist|could not be found|cannot find') { return @() }
        throw
    }
}

function Test-S2SCertificate {
    # Tell whether a certificate is assigned for a use: in the entries of -Identity (every
    # entry without one), and on every server named, read remotely as the collector does.
    param([string]$Type, [string]$Thumbprint, [string]$Identity, [string[]]$Server)
    if ($Identity) {
        $entries = @(Get-CsCertificate -Identity $Identity -Type $Type -ErrorAction Stop)
    } else {
        $entries = @(Get-CsCertificate -Type $Type -ErrorAction Stop)
    }
    if (@($entries | Where-Object { [string]$_.Thumbprint -eq $Thumbprint }).Count -eq 0) { return $false }
    foreach ($name in $Server) {
        $remote = @(Invoke-Command -ComputerName $name -ArgumentList $Type -ErrorAction Stop -ScriptBlock {
            param([string]$Type)
            Get-CsCertificate -Type $Type
        })
        if (@($remote | Where-Object { [string]$_.Thumbprint -eq $Thumbprint }).Count -eq 0) { return $false }
    }
    return $true
}

function Get-S2SMetadataUrl {
    # A Lync partner application's metadata URL: MetadataUrl, else AuthToken "Value=URL".
    param([object]$InputObject)
    $names = @($InputObject.PSObject.Properties | ForEach-Object { $_.Name })
    if (($names -contains 'MetadataUrl') -and $InputObject.MetadataUrl) { return [string]$InputObject.MetadataUrl }
    if ($names -contains 'AuthToken') { return ([string]$InputObject.AuthToken) -replace '^Value=', '' }
    return ''
}

function Write-S2SManual {
    # Print a manual step: its shell, why it is manual, and its exact commands. Never run.
    param([int]$Step, [string]$Shell, [string]$Why, [string[]]$Command)
    $script:manual += $Step
    Write-Host -Object ('Step {0} (manual, in the {1}): {2}' -f $Step, $Shell, $Why)
    foreach ($line in $Command) { Write-Host -Object ('    ' + $line) }
}

function Stop-S2SRunbook {
    # A step failed: stop here, naming it; nothing after it runs.
    param([int]$Step, [object]$ErrorRecord)
    throw ('Step {0} failed, and the steps after it were not run: {1}' -f $Step, $ErrorRecord.Exception.Message)
}
"""


def render_powershell(result: RunResult, options: ReportOptions) -> str:
    """Render the run's fixes as a PowerShell runbook (see the module docstring)."""
    steps, unfixed = plan(result)
    lines = _header(result, steps)
    lines += _PREAMBLE.splitlines()
    for step in steps:
        lines += ["", *_render_step(step, len(steps))]
    lines += ["", *_closing(steps, unfixed)]
    text = "\n".join(lines) + "\n"
    return text if text.isascii() else "\ufeff" + text


def _header(result: RunResult, steps: Sequence[Step]) -> list[str]:
    shells: dict[str, list[int]] = {}
    for step in steps:
        shells.setdefault(step.shell, []).append(step.number)
    order = "; ".join(
        f"{SHELL_LABELS[shell]} (steps {', '.join(map(str, numbers))})"
        for shell, numbers in shells.items()
    )
    findings = len(result.findings)
    lines = [
        "<#",
        ".SYNOPSIS",
        f"Remediation runbook written by s2slint {__version__}: {len(steps)} steps for "
        f"{findings} findings.",
        "",
        ".DESCRIPTION",
        "Run it in each management shell it names; each run makes the changes whose shell",
        "is loaded and lists the steps left for another shell. Every change first reads the",
        "current state and is made only while it is still needed, so running the script",
        "again changes nothing more. -WhatIf shows what would change and -Confirm asks",
        "before each change. A step that fails stops the run. Manual steps are printed,",
        "never executed.",
    ]
    if order:
        lines += ["", "Shells, in the order of their first step:"]
        lines += [f"  {part}" for part in order.split("; ")]
    return [*lines, "#>"]


def _comments(step: Step) -> list[str]:
    lines = []
    for finding in step.cause.findings:
        where = _position(finding)
        lines.append(
            f"# {finding.code} [{finding.severity.label}] {where}: {neutralize(finding.message)}"
        )
    return lines


def _position(finding: Finding) -> str:
    location = finding.location
    where = safe_path(location.path)
    if location.line is not None:
        where += f":{location.line}"
        if location.column is not None:
            where += f":{location.column}"
    return where


def _title(step: Step, total: int) -> str:
    label = SHELL_LABELS[step.shell]
    manual = " (manual)" if step.manual else ""
    part = f", part {step.part} of {step.parts} of this fix" if step.parts > 1 else ""
    return f"# Step {step.number} of {total}{manual}: {label}{part}"


def _render_step(step: Step, total: int) -> list[str]:
    lines = [_RULE, _title(step, total), *_comments(step)]
    alternatives = step.cause.alternatives if step.part == step.parts else ()
    if alternatives:
        lines.append("# Instead, the fix offers (never run by this runbook):")
        lines += [f"#     {line}" for line in alternatives]
    if step.manual:
        lines += [f"# Why manual: {neutralize(step.why)}", _RULE]
        commands = [a.text for a in step.actions] or [
            line for line in alternatives if not line.startswith("#")
        ]
        lines += [
            f"Write-S2SManual -Step {step.number} -Shell {quote(SHELL_LABELS[step.shell])} "
            f"-Why {quote(step.why)} -Command @(",
            *[f"    {quote(text)}," for text in commands[:-1]],
            *[f"    {quote(text)}" for text in commands[-1:]],
            ")",
        ]
        return lines
    lines.append(_RULE)
    return lines + _automated(step)


def _automated(step: Step) -> list[str]:
    label = SHELL_LABELS[step.shell]
    commands = sorted({c for a in step.actions for c in a.commands})
    test = f"Test-S2SShell -Step {step.number} -Shell {quote(label)} -Command @({', '.join(quote(c) for c in commands)})"
    if any("$exscripts" in a.run for a in step.actions):
        test += f") -and (Test-S2SExchangeScripts -Step {step.number}"
        test = f"({test})"
    codes = ", ".join(step.cause.codes)
    body = [f"Write-Host -Object {quote(f'Step {step.number}: {codes}, in the {label}')}"]
    if any(a.kind == "change" for a in step.actions):
        body.append("$needed = $false")
    else:
        body += [
            "# Only a re-read of the partner's metadata: it changes no setting, so it is",
            "# safe to run whenever this step is reached.",
            "$needed = $true",
        ]
    for action in step.actions:
        body += _render_action(action)
    inner = [
        "try {",
        *_indent(body),
        "} catch {",
        f"    Stop-S2SRunbook -Step {step.number} -ErrorRecord $_",
        "}",
    ]
    return [f"if ({test}) {{", *_indent(inner), "}"]


def _render_action(action: Action) -> list[str]:
    if action.kind == "note":
        return [action.text]
    if action.kind == "context":
        return []
    if action.kind == "check":
        return [f"Write-Host -Object {quote('  to check afterwards: ' + action.text)}"]
    if action.kind == "follow":
        return [
            "if ($needed) {",
            *_indent(_should_process(action)),
            "}",
        ]
    assert action.guard is not None
    guard = action.guard
    return [
        *guard.read,
        f"if ({guard.needed}) {{",
        "    $needed = $true",
        *_indent(_should_process(action)),
        "} else {",
        f"    Write-Host -Object {quote('  already done: ' + guard.state)}",
        "}",
    ]


def _should_process(action: Action) -> list[str]:
    run = action.run
    native = Command(action.run.split(" ")[0], ()).verb == "" and not run.startswith("&")
    lines = [f"if ($PSCmdlet.ShouldProcess({quote(action.target)}, {quote(action.text)})) {{"]
    if native:
        program = run.split(" ")[0]
        lines += [
            f"    {run}",
            f"    if ($LASTEXITCODE -ne 0) {{ throw ({quote(program + ' exited with {0}')} -f $LASTEXITCODE) }}",
        ]
    elif run.startswith("&"):
        lines.append(f"    {run}")
    else:
        lines.append(f"    {run} -ErrorAction Stop")
    return [*lines, "}"]


def _indent(lines: Iterable[str]) -> list[str]:
    return [f"    {line}" if line else line for line in lines]


def _closing(steps: Sequence[Step], unfixed: Sequence[Finding]) -> list[str]:
    lines = [
        _RULE,
        "# What is left",
        _RULE,
    ]
    if unfixed:
        lines.append("# Findings this runbook has no exact fix for (see s2slint rule CODE):")
        for finding in unfixed:
            lines.append(
                f"# {finding.code} [{finding.severity.label}] {_position(finding)}: "
                f"{neutralize(finding.message)}"
            )
        codes = ", ".join(dict.fromkeys(f.code for f in unfixed))
        lines.append(
            f"Write-Host -Object {quote(f'Not fixed by this runbook (no exact fix in the bundle): {codes}; see s2slint rule CODE')}"
        )
    lines += [
        "Write-Host -Object ''",
        "if ($script:left.Count -gt 0) {",
        "    Write-Host -Object ('Left for another management shell: steps {0}. Run this script there too.' -f ($script:left -join ', '))",
        "}",
        "if ($script:manual.Count -gt 0) {",
        "    Write-Host -Object ('Manual steps, printed above: {0}.' -f ($script:manual -join ', '))",
        "}",
        "Write-Host -Object 'Then collect the exports again (s2slint collect-script) and run s2slint check on them.'",
    ]
    if not steps:
        lines.insert(3, "Write-Host -Object 'Nothing to remediate: no finding carries a fix.'")
    return lines
