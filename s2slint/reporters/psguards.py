"""What one command of a fix does, which shell runs it, and how to tell it is still needed.

Every change the runbook makes is preceded by a read of the current state and a test
that is true only while the change is still needed (a second run changes nothing). The
test is derived from the command itself wherever the command says enough:

- `Set-Noun -Identity I -P V ...` reads `Get-Noun -Identity I` and changes when one of
  the properties differs (`P -ne V`); a few parameters name a property of another name
  (`_PROPERTIES`);
- `New-Noun -Identity I` (or `-Name I`) runs when `Get-Noun -Identity I` finds nothing,
  `Remove-Noun -Identity I` when it finds something;
- `Set-CsCertificate -Type T -Thumbprint X`, `Add-DnsServerResourceRecord*`, and
  Exchange's `Configure-EnterprisePartnerApplication.ps1` have guards of their own.

Follow-ups (IIS restarts, metadata refreshes, certificate publication) run only when the
change before them was needed. Read-only commands are shown as checks. Anything else,
and anything that requests a certificate, imports key material or takes a password, is
a manual step: printed with its exact commands, never executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from s2slint.reporters.pscommands import Command, Value, quote, render_value

__all__ = [
    "SHELL_LABELS",
    "Action",
    "Guard",
    "canonical",
    "classify",
    "shell_of",
    "shell_of_comment",
    "shell_of_text",
]

Shell = Literal["lync", "exchange", "sharepoint", "dns", "any"]
ActionKind = Literal["change", "follow", "check", "context", "note", "manual"]

SHELL_LABELS: dict[str, str] = {
    "lync": "Skype for Business Server / Lync Server Management Shell",
    "exchange": "Exchange Management Shell",
    "sharepoint": "SharePoint Management Shell",
    "dns": "DNS server (DnsServer module or dnscmd)",
    "any": "Windows PowerShell on the server concerned",
}
"""How each management shell is named to the administrator."""

EXCHANGE_NOUNS = frozenset(
    {
        "activesyncvirtualdirectory",
        "authconfig",
        "authredirect",
        "authserver",
        "autodiscovervirtualdirectory",
        "clientaccessserver",
        "clientaccessservice",
        "ecpvirtualdirectory",
        "exchangecertificate",
        "exchangeserver",
        "hybridconfiguration",
        "intraorganizationconnector",
        "mapivirtualdirectory",
        "oabvirtualdirectory",
        "oauthconnectivity",
        "organizationconfig",
        "owavirtualdirectory",
        "partnerapplication",
        "servercomponentstate",
        "webservicesvirtualdirectory",
    }
)
"""Nouns of the Exchange cmdlets fixes use (Lync's carry `Cs`, SharePoint's `SP`)."""

EXCHANGE_SCRIPTS = frozenset({"configure-enterprisepartnerapplication.ps1"})

MANUAL_ONLY = frozenset(
    {
        "request-cscertificate",
        "import-cscertificate",
        "export-cscertificate",
        "new-exchangecertificate",
        "import-exchangecertificate",
        "export-exchangecertificate",
        "import-pfxcertificate",
        "export-pfxcertificate",
        "import-certificate",
        "export-certificate",
        "get-certificate",
        "certreq",
        "certreq.exe",
        "certutil",
        "certutil.exe",
        "publish-cstopology",
        "enable-cstopology",
        "invoke-expression",
        "start-process",
    }
)
"""Commands that are always manual: certificate requests and key material (your CA and
your hands), topology publication, and anything that runs arbitrary text."""

CERTIFICATE_WORK = (
    "certificates are requested from your certification authority and key material is "
    "handled by hand"
)
READ_VERBS = frozenset({"get", "test", "resolve", "measure", "select", "format", "write"})
READ_PROGRAMS = frozenset({"s2slint", "nslookup", "nslookup.exe", "klist", "klist.exe"})
RESTART_PROGRAMS = frozenset({"iisreset", "iisreset.exe"})
RESTART_CMDLETS = frozenset({"restart-service", "restart-webapppool", "restart-computer"})
LOCATION_CMDLETS = frozenset({"cd", "set-location", "push-location", "pop-location", "chdir"})

_ACTION_SWITCHES = {
    "set-partnerapplication": frozenset({"refreshauthmetadata"}),
    "set-authconfig": frozenset({"publishcertificate", "clearpreviouscertificate"}),
    "set-authserver": frozenset({"refreshauthmetadata"}),
}
"""Switches that act rather than set a property: a command of only these is a follow-up."""
_REPEATABLE = frozenset({"refreshauthmetadata"})
"""Action switches that only re-read a partner's metadata: safe to run again."""
_NEUTRAL = frozenset(
    {"force", "confirm", "whatif", "erroraction", "warningaction", "domaincontroller"}
)
"""Parameters that neither select an object nor set a property."""
_SECRET = re.compile(r"(?i)password|securestring|-pin\b|credential|\.pfx\b|\.p12\b")

_PROPERTIES: dict[tuple[str, str], str | None] = {
    ("set-cspartnerapplication", "metadataurl"): "(Get-S2SMetadataUrl -InputObject $current)",
    ("set-authconfig", "newcertificatethumbprint"): "NextCertificateThumbprint",
    ("set-authconfig", "newcertificateeffectivedate"): None,
    ("set-authconfig", "certificatethumbprint"): "CurrentCertificateThumbprint",
    ("set-sptrustedsecuritytokenissuer", "metadataendpoint"): "MetadataEndPoint",
}
"""Parameters whose property has another name (None: set along, not compared)."""
_SWITCH_PROPERTIES: dict[tuple[str, str], tuple[str, str]] = {
    ("set-sptrustedsecuritytokenissuer", "istrustbroker"): ("IsSelfIssuer", "$false"),
}
"""Switches that set a boolean property: (property, the value the switch gives it)."""


@dataclass(frozen=True, slots=True)
class Guard:
    """How a change first reads the current state and tells whether it is still needed.

    `read` are statements that set `$current`; `needed` is a condition that is true
    while the change is needed; `reads` the cmdlets `read` calls (for the shell test).
    `state` says in words what is compared, for the "already done" message.
    """

    read: tuple[str, ...]
    needed: str
    reads: tuple[str, ...]
    state: str


@dataclass(frozen=True, slots=True)
class Action:
    """One command of a fix, classified.

    `kind` "change" (with a `guard`), "follow" (run after a needed change), "check"
    (read-only, shown), "context" (`cd $exscripts`: the runbook calls scripts by their
    path instead), "note" (a comment line of the fix, kept beside its command) or
    "manual" (printed, never run: `why` says why). `shell` is
    the key of `SHELL_LABELS`, or None when the command runs in whichever shell the
    fix is in. `run` is the command as the runbook writes it; `target` names the
    object it changes, for `-WhatIf` and `-Confirm`; `subject` the kind of object a
    change makes or removes (the cmdlet noun, lower case), `removes` and `creates` what
    it does to it: a step that removes and creates the same kind is never run unattended.
    `repeatable` follow-ups (a metadata refresh) change no setting and may run on their
    own, in a step of their own.
    """

    kind: ActionKind
    text: str
    shell: str | None
    run: str = ""
    target: str = ""
    guard: Guard | None = None
    why: str = ""
    commands: tuple[str, ...] = field(default=())
    subject: str = ""
    removes: bool = False
    creates: bool = False
    repeatable: bool = False


_PASSWORD_VALUE = re.compile(
    r"(?i)(-\w*password\w*(?::|\s+)|convertto-securestring\s+(?:-string\s+)?)"
    r"('(?:[^']|'')*'|\"[^\"]*\"|[^\s)]+)"
)


def redact(text: str) -> str:
    """Replace every literal password in a line by a prompt, so that none is ever printed."""
    return _PASSWORD_VALUE.sub(
        lambda m: (
            m.group(1) + "(Read-Host -AsSecureString -Prompt 'password')"
            if m.group(2).startswith(("'", '"')) or not m.group(2).startswith(("$", "("))
            else m.group(0)
        ),
        text,
    )


_EXCHANGE_SCRIPT_PATH = re.compile(
    r"^&\s*([\"'])\$(?:env:ExchangeInstallPath\\Scripts|exscripts)\\"
    r"(Configure-EnterprisePartnerApplication\.ps1)\1(\s.*)?$",
    re.IGNORECASE,
)


def canonical(code: str) -> str:
    """Return a line with Exchange's scripts folder written one way (`.\\Script.ps1`).

    `& "$env:ExchangeInstallPath\\Scripts\\X.ps1"` and `& "$exscripts\\X.ps1"` name the
    script `cd $exscripts; .\\X.ps1` runs; the runbook calls it by its path itself.
    """
    found = _EXCHANGE_SCRIPT_PATH.match(code.strip())
    if found is None:
        return code
    return f".\\{found.group(2)}{found.group(3) or ''}"


def shell_of_comment(comment: str) -> str | None:
    """Return the shell a fix's comment line names ("# Exchange Management Shell"), or None."""
    text = comment.lower()
    if "exchange management shell" in text:
        return "exchange"
    if "sharepoint" in text and "shell" in text:
        return "sharepoint"
    if ("skype for business" in text or "lync" in text) and "shell" in text:
        return "lync"
    if "dns server" in text:
        return "dns"
    return None


def shell_of(command: Command) -> str | None:
    """Return the shell a command needs, or None when any shell runs it."""
    name, noun = command.base_name.lower(), command.noun.lower()
    if noun.startswith("cs"):
        return "lync"
    if noun.startswith("sp"):
        return "sharepoint"
    if noun.startswith("dnsserver") or name in ("dnscmd", "dnscmd.exe"):
        return "dns"
    if noun in EXCHANGE_NOUNS or name in EXCHANGE_SCRIPTS:
        return "exchange"
    return None


def _manual(text: str, shell: str | None, why: str) -> Action:
    return Action("manual", text, shell, why=why)


def classify(text: str, command: Command | None, servers: tuple[str, ...] = ()) -> Action:
    """Classify one line of a fix (its code, without comment) read as `command`.

    `servers` are the OAuth servers of the bundle's topology: a global certificate
    assignment is done only when every one of them carries the certificate.
    """
    shell = shell_of(command) if command is not None else shell_of_text(text)
    if _SECRET.search(text):
        return _manual(
            redact(text), shell, "it handles a password or key material: type it yourself"
        )
    if command is None:
        if _reads_only(text):
            return Action("check", text, shell)
        if any(m.group(0).lower() in MANUAL_ONLY for m in _CMDLET.finditer(text)):
            return _manual(text, shell, CERTIFICATE_WORK)
        shown = text if len(text) <= 60 else text[:57] + "..."
        return _manual(
            text, shell, f"s2slint cannot read {shown} as one simple command, so it never runs it"
        )
    name = command.base_name.lower()
    if name in MANUAL_ONLY:
        return _manual(text, shell, CERTIFICATE_WORK)
    if any(a.value is not None and a.value.kind == "variable" for a in command.arguments) and (
        name not in LOCATION_CMDLETS
    ):
        return _manual(text, shell, "it uses a variable s2slint cannot read")
    if name in LOCATION_CMDLETS:
        return Action("context", text, shell)
    if command.verb.lower() in READ_VERBS or name in READ_PROGRAMS:
        return Action("check", text, shell)
    if name in RESTART_PROGRAMS or name in RESTART_CMDLETS:
        return _follow(command, shell)
    if name == "set-cscertificate":
        return _set_certificate(command, text, shell, servers)
    builder = _SPECIAL_GUARDS.get(name)
    if builder is not None:
        return builder(command, text, shell)
    verb = command.verb.lower()
    if verb == "set":
        return _set(command, text, shell)
    if verb in ("new", "remove"):
        return _exists(command, text, shell, create=verb == "new")
    return _manual(text, shell, "s2slint cannot derive from it a safe test of the current state")


_CMDLET = re.compile(r"(?<![\w$-])([A-Za-z]+)-([A-Za-z]+)(?![\w-])")
_READ_ONLY_CMDLETS = frozenset(
    {"invoke-command", "where-object", "foreach-object", "select-object", "sort-object"}
)


def shell_of_text(text: str) -> str | None:
    """Return the shell of the first cmdlet a line names that belongs to one, or None."""
    for match in _CMDLET.finditer(text):
        shell = shell_of(Command(match.group(0), ()))
        if shell is not None:
            return shell
    return None


def _reads_only(text: str) -> bool:
    """Tell whether a line s2slint cannot run is safe to show as a check (it reads only).

    Every cmdlet it names reads (`Get-`, `Test-`, or runs the reads of a script block
    remotely or over a pipeline), and it assigns, redirects and invokes nothing.
    """
    code = re.sub(r"'[^']*'", "''", text)
    if re.search(r"(?<![-=!<>])=(?!=)|>|&|(?:^|\s)\.\s", code):
        return False
    cmdlets = [m.group(0).lower() for m in _CMDLET.finditer(code)]
    return bool(cmdlets) and all(
        c.split("-", 1)[0] in READ_VERBS or c in _READ_ONLY_CMDLETS for c in cmdlets
    )


def _follow(command: Command, shell: str | None) -> Action:
    """A restart or refresh: run after a needed change, under -WhatIf like every change."""
    target = " ".join(a.value.text for a in command.arguments if a.value is not None)
    return Action(
        "follow",
        command.render(),
        shell,
        run=command.render(),
        target=target or "this server",
        commands=_cmdlets(command),
    )


def _cmdlets(command: Command) -> tuple[str, ...]:
    """Return the cmdlet a command runs, for the shell test (programs and scripts aside)."""
    return (command.base_name,) if command.verb and not command.name.startswith(".\\") else ()


def _identity(command: Command) -> Value | None:
    return command.value_of("Identity")


def _get(noun: str, identity: Value | None) -> str:
    """Return the Get- command that reads the object (all of them without an identity)."""
    if identity is None:
        return f"Get-{noun}"
    return f"Get-{noun} -Identity {render_value(identity)}"


def _set(command: Command, text: str, shell: str | None) -> Action:
    """`Set-Noun -Identity I -P V`: change while some property differs from its value."""
    name = command.base_name.lower()
    identity = _identity(command)
    actions = _ACTION_SWITCHES.get(name, frozenset())
    compared: list[str] = []
    described: list[str] = []
    switches: list[str] = []
    for argument in command.arguments:
        parameter = (argument.parameter or "").lower()
        if argument.parameter is None:
            return _manual(text, shell, "a positional argument: s2slint cannot tell what it sets")
        if parameter == "identity" or parameter in _NEUTRAL:
            continue
        if argument.value is None:
            if parameter in actions:
                switches.append(argument.parameter)
                continue
            mapped_switch = _SWITCH_PROPERTIES.get((name, parameter))
            if mapped_switch is None:
                return _manual(
                    text, shell, f"s2slint cannot read the state -{argument.parameter} sets"
                )
            prop, wanted = mapped_switch
            compared.append(f"($current.{prop} -ne {wanted})")
            described.append(f"{prop} {wanted}")
            continue
        condition = _differs(name, argument.parameter, argument.value)
        if condition is None:
            continue
        compared.append(condition)
        described.append(f"{argument.parameter} {render_value(argument.value)}")
    target = identity.text if identity is not None else command.noun
    if not compared:
        if switches:
            return Action(
                "follow",
                command.render(),
                shell,
                run=command.render(),
                target=target,
                commands=_cmdlets(command),
                repeatable={s.lower() for s in switches} <= _REPEATABLE,
            )
        return _manual(
            text, shell, "s2slint cannot derive from it a safe test of the current state"
        )
    if switches:
        return _manual(text, shell, "it both sets properties and acts; run it by hand")
    read = _get(command.noun, identity)
    guard = Guard(
        read=(f"$current = Get-S2SSingle -Found @({read} -ErrorAction Stop) -What {quote(read)}",),
        needed=" -or ".join(compared),
        reads=(f"Get-{command.noun}",),
        state=", ".join(described),
    )
    return Action(
        "change",
        text,
        shell,
        run=command.render(),
        target=target,
        guard=guard,
        commands=(*_cmdlets(command), *guard.reads),
        subject=command.noun.lower(),
    )


def _differs(cmdlet: str, parameter: str, value: Value) -> str | None:
    """Return the condition "the property differs from `value`", or None (not compared)."""
    key = (cmdlet, parameter.lower())
    if key in _PROPERTIES:
        mapped = _PROPERTIES[key]
        if mapped is None:
            return None
        prop = mapped if mapped.startswith("(") else f"$current.{mapped}"
    else:
        prop = f"$current.{parameter}"
    if value.kind in ("bool", "null"):
        return f"({prop} -ne {render_value(value)})"
    return f"([string]{prop} -ne {quote(value.text)})"


def _exists(command: Command, text: str, shell: str | None, *, create: bool) -> Action:
    """`New-Noun -Identity I` runs when nothing has that identity; `Remove-Noun` when something has."""
    identity = _identity(command) or (command.value_of("Name") if create else None)
    if identity is None:
        return _manual(
            text, shell, "it names no identity, so s2slint cannot tell whether it is done"
        )
    read = _get(command.noun, identity)
    guard = Guard(
        read=(f"$current = @(Get-S2SFound -Read {{ {read} -ErrorAction Stop }})",),
        needed="($current.Count -eq 0)" if create else "($current.Count -gt 0)",
        reads=(f"Get-{command.noun}",),
        state=f"{identity.text} exists" if create else f"{identity.text} is gone",
    )
    return Action(
        "change",
        text,
        shell,
        run=command.render(),
        target=identity.text,
        guard=guard,
        commands=(*_cmdlets(command), *guard.reads),
        subject=command.noun.lower(),
        removes=not create,
        creates=create,
    )


def _set_certificate(
    command: Command, text: str, shell: str | None, servers: tuple[str, ...]
) -> Action:
    """`Set-CsCertificate -Type T -Thumbprint X`: assign while X is not everywhere.

    A global assignment (`-Identity global`) is done when the global entries carry X and
    so does every OAuth server of the topology (read remotely, as the collector does):
    a server with a certificate of its own is exactly what such a fix is for. Any other
    assignment is done when the entries it reads carry X.
    """
    kind = command.value_of("Type")
    thumbprint = command.value_of("Thumbprint")
    if kind is None or thumbprint is None or command.named("Path") is not None:
        return _manual(
            text, shell, "s2slint cannot derive from it a safe test of the current state"
        )
    identity = _identity(command)
    scope = identity.text if identity is not None else ""
    where = servers if scope.lower() == "global" else ()
    listed = ", ".join(quote(server) for server in where)
    guard = Guard(
        read=(
            f"$current = Test-S2SCertificate -Type {quote(kind.text)} -Thumbprint "
            f"{quote(thumbprint.text)} -Identity {quote(scope)} -Server @({listed})",
        ),
        needed="(-not $current)",
        reads=("Get-CsCertificate",),
        state=(
            f"{kind.text} certificate {thumbprint.text} assigned"
            + (f" and on {', '.join(where)}" if where else "")
        ),
    )
    return Action(
        "change",
        text,
        shell,
        run=command.render(),
        target=f"{kind.text} {thumbprint.text}",
        guard=guard,
        commands=("Set-CsCertificate", "Get-CsCertificate"),
        subject="cscertificate",
    )


def _add_dns_record(command: Command, text: str, shell: str | None) -> Action:
    """`Add-DnsServerResourceRecord* -ZoneName Z -Name N`: add while the name has no record."""
    zone = command.value_of("ZoneName")
    name = command.value_of("Name")
    if zone is None or name is None:
        return _manual(
            text, shell, "it names no zone and name, so s2slint cannot tell whether it is done"
        )
    read = f"Get-DnsServerResourceRecord -ZoneName {render_value(zone)} -Name {render_value(name)}"
    server = command.value_of("ComputerName")
    if server is not None:
        read += f" -ComputerName {render_value(server)}"
    read += " -ErrorAction Stop"
    guard = Guard(
        read=(f"$current = @(Get-S2SFound -Read {{ {read} }})",),
        needed="($current.Count -eq 0)",
        reads=("Get-DnsServerResourceRecord",),
        state=f"{name.text}.{zone.text} has a record",
    )
    return Action(
        "change",
        text,
        shell,
        run=command.render(),
        target=f"{name.text}.{zone.text}",
        guard=guard,
        commands=(command.base_name, "Get-DnsServerResourceRecord"),
    )


def _configure_partner_application(command: Command, text: str, shell: str | None) -> Action:
    """Exchange's script: create the application while none reads that metadata URL."""
    url = command.value_of("AuthMetadataUrl")
    if url is None:
        return _manual(
            text, shell, "it names no metadata URL, so s2slint cannot tell whether it is done"
        )
    guard = Guard(
        read=("$current = @(Get-S2SFound -Read { Get-PartnerApplication -ErrorAction Stop })",),
        needed=(
            f"(@($current | Where-Object {{ [string]$_.AuthMetadataUrl -eq {quote(url.text)} }})"
            ".Count -eq 0)"
        ),
        reads=("Get-PartnerApplication",),
        state=f"a partner application reads {url.text}",
    )
    script = (
        "& (Join-Path -Path $exscripts -ChildPath 'Configure-EnterprisePartnerApplication.ps1')"
    )
    return Action(
        "change",
        text,
        "exchange",
        run=command.render(name=script),
        target=url.text,
        guard=guard,
        commands=("Get-PartnerApplication",),
        subject="partnerapplication",
        creates=True,
    )


_SPECIAL_GUARDS = {
    "add-dnsserverresourcerecord": _add_dns_record,
    "add-dnsserverresourcerecorda": _add_dns_record,
    "add-dnsserverresourcerecordaaaa": _add_dns_record,
    "add-dnsserverresourcerecordcname": _add_dns_record,
    "configure-enterprisepartnerapplication.ps1": _configure_partner_application,
}
