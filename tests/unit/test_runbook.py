"""`--output-format powershell`: one step per cause, in dependency order, each change
guarded by a read of the current state and by ShouldProcess, real values, manual steps
never run, pscheck-clean for every fixture."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest
from bundle_lint import registry
from conftest import FIXTURES
from exports import run
from powershell_check import assert_file_passes

from s2slint.findings import Finding, Location, Severity
from s2slint.reporters.base import ReportOptions
from s2slint.reporters.powershell import causes, plan, render_powershell
from s2slint.results import RunResult
from s2slint.testing import lint_bundle

EXAMPLE = FIXTURES / "example"
SVC = "https://autodiscover.litwareinc.com/autodiscover/autodiscover.svc"
POOL_METADATA = "https://atl-cs-001.litwareinc.com/metadata/json/1"
THUMBPRINT = "7054C1277959708FAB91422CFE5982E3C7AE81CB"
LYNC = "# Skype for Business Server Management Shell (Lync Server Management Shell)"
EXCHANGE = "# Exchange Management Shell"


@pytest.fixture(scope="module")
def example() -> RunResult:
    return lint_bundle(EXAMPLE, plugins=registry())


def finding(code: str, fix: str = "", key: str = "", line: int = 1, message: str = "") -> Finding:
    return Finding(
        code,
        f"rule-{code.lower()}",
        Severity.ERROR,
        message or f"{code} message",
        Location("lync/oauth-configuration.xml", line, 1),
        key=key,
        fix=fix,
    )


def runbook(result: RunResult, *findings: Finding) -> str:
    return render_powershell(replace(result, findings=tuple(findings)), ReportOptions())


# The fixes rules write for the example bundle's findings (the shapes of catalogue v2).
OAU001 = f"Set-CsOAuthConfiguration -Identity Global -ExchangeAutodiscoverUrl '{SVC}'"
PAP001 = (
    f"{LYNC}\nSet-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full"
)
PAP004 = (
    f"{EXCHANGE}\ncd $exscripts\n.\\Configure-EnterprisePartnerApplication.ps1 "
    f"-AuthMetadataUrl '{POOL_METADATA}' -ApplicationType Lync\niisreset atl-exch-001.litwareinc.com"
)
CRT002 = (
    f"{LYNC}\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint {THUMBPRINT}\n"
    f"{EXCHANGE}: read Lync's metadata (its certificate) again\n"
    "Set-PartnerApplication -Identity 'LyncEnterprise-ApplicationAccount' -RefreshAuthMetadata"
)
DNS001 = (
    "# DNS server\nAdd-DnsServerResourceRecordCName -ZoneName litwareinc.com -Name autodiscover "
    "-HostNameAlias atl-exch-001.litwareinc.com"
)
HYB003 = (
    "New-CsOAuthServer -Identity evoSTS -MetadataUrl "
    "'https://login.windows.net/common/FederationMetadata/2007-06/FederationMetadata.xml' -Type AzureAD"
)
SPS001 = (
    "# SharePoint Management Shell\nNew-SPTrustedSecurityTokenIssuer -Name 'Lync' "
    f"-MetadataEndPoint '{POOL_METADATA}' -IsTrustBroker"
)
FEA001 = PAP004
CRT003 = (
    f"{LYNC}\nRequest-CsCertificate -New -Type OAuthTokenIssuer -FriendlyName 'OAuth 2048' "
    "-CA 'atl-ca-001.litwareinc.com\\LitwareInc Enterprise CA' -KeySize 2048 -PrivateKeyExportable $true"
)

ALL = (
    finding("HYB003", HYB003, line=9),
    finding("FEA001", FEA001, line=8),
    finding("DNS001", DNS001, line=7),
    finding("SPS001", SPS001, line=6),
    finding("PAP004", PAP004, line=5),
    finding("PAP001", PAP001, line=4),
    finding("OAU001", OAU001, line=3),
    finding("XYZ001", "Set-CsUserServicesPolicy -Identity Global -UcsAllowed $true", line=2),
    finding("CRT002", CRT002, line=1),
)


# ------------------------------------------------------------------ what it checks


_CHANGING = re.compile(
    r"^(?:(?:Set|New|Remove|Add|Enable|Disable|Import|Export|Request|Restart|Install|Update|"
    r"Grant|Publish|Clear|Start|Stop)-(?!S2S)\w+|iisreset|dnscmd|certreq|certutil|& )",
    re.IGNORECASE,
)


def _body(script: str) -> list[str]:
    """The lines after the helper functions (the steps and the closing)."""
    lines = script.splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith("# Step ")), len(lines))
    return lines[first - 1 :]


def _changes(lines: list[str]) -> Iterable[int]:
    """Indexes of the lines that run a changing command (manual steps' text excluded)."""
    in_manual = False
    for index, line in enumerate(lines):
        code = line.strip()
        if code.startswith("Write-S2SManual "):
            in_manual = True
        if in_manual:
            in_manual = code != ")"
            continue
        if _CHANGING.match(code):
            yield index


def assert_every_change_is_guarded(script: str) -> int:
    """Each change: inside ShouldProcess, inside a guard on a fresh read or `$needed`."""
    lines = _body(script)
    count = 0
    for index in _changes(lines):
        count += 1
        indent = len(lines[index]) - len(lines[index].lstrip())
        should = lines[index - 1]
        assert should.strip().startswith("if ($PSCmdlet.ShouldProcess("), lines[index]
        assert len(should) - len(should.lstrip()) == indent - 4
        guard_at = index - 2
        if lines[guard_at].strip() == "$needed = $true":
            guard_at -= 1
        guard = lines[guard_at].strip()
        if guard == "if ($needed) {":
            continue
        assert guard.startswith("if (") and guard.endswith(") {"), (lines[index], guard)
        assert lines[guard_at - 1].strip().startswith("$current = "), lines[index]
    return count


# --------------------------------------------------------------------------- tests


def test_pscheck_finds_nothing_in_the_runbook_of_every_fixture(tmp_path: Path) -> None:
    for bundle in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        result = lint_bundle(bundle, plugins=registry())
        script = render_powershell(result, ReportOptions())
        path = tmp_path / f"{bundle.name}.ps1"
        path.write_text(script, encoding="utf-8")
        assert_file_passes(path)
        assert_every_change_is_guarded(script)


def test_pscheck_finds_nothing_in_a_runbook_of_every_kind_of_step(
    example: RunResult, tmp_path: Path
) -> None:
    path = tmp_path / "remediate.ps1"
    script = runbook(example, *ALL, finding("CRT003", CRT003, line=10))
    path.write_text(script, encoding="utf-8")
    assert_file_passes(path)


def test_steps_follow_the_dependency_order(example: RunResult) -> None:
    steps, _ = plan(replace(example, findings=ALL))
    order = [(step.cause.codes, step.shell) for step in steps]
    assert order == [
        (("CRT002",), "lync"),
        (("CRT002",), "exchange"),
        (("OAU001",), "lync"),
        (("PAP001",), "lync"),
        (("PAP004", "FEA001"), "exchange"),
        (("SPS001",), "sharepoint"),
        (("DNS001",), "dns"),
        (("XYZ001",), "lync"),
        (("HYB003",), "lync"),
    ]
    assert [step.number for step in steps] == list(range(1, 10))


def test_findings_with_one_cause_make_one_step(example: RunResult) -> None:
    same_fix = [finding("DNS001", DNS001, line=1), finding("DNS003", DNS003_FIX := DNS001, line=2)]
    same_key = [
        finding("PAP001", PAP001, key="partner-application:microsoft.exchange", line=3),
        finding(
            "PAP002",
            f"{LYNC}\nSet-CsPartnerApplication -Identity 'microsoft.exchange' -MetadataUrl "
            "'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'",
            key="partner-application:microsoft.exchange",
            line=4,
        ),
    ]
    found, unfixed = causes([*same_fix, *same_key, finding("CRT011", line=5)])
    assert [c.codes for c in found] == [("PAP001", "PAP002"), ("DNS001", "DNS003")]
    assert [f.code for f in unfixed] == ["CRT011"]
    assert DNS003_FIX
    # the merged fix holds each distinct line once
    assert found[0].lines == (
        LYNC,
        "Set-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full",
        "Set-CsPartnerApplication -Identity 'microsoft.exchange' -MetadataUrl "
        "'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'",
    )
    script = runbook(example, *same_fix, *same_key, finding("CRT011", line=5))
    assert script.count("Add-DnsServerResourceRecordCName -ZoneName") == 2  # guard text, run
    assert script.count("# Step ") == 2
    assert "# DNS001 [error]" in script and "# DNS003 [error]" in script
    assert "Not fixed by this runbook (no exact fix in the bundle): CRT011" in script


def test_every_change_reads_the_state_first_and_honours_whatif(example: RunResult) -> None:
    script = runbook(example, *ALL)
    assert script.splitlines()[script.splitlines().index("#>") + 1] == (
        "[CmdletBinding(SupportsShouldProcess)]"
    )
    assert assert_every_change_is_guarded(script) >= 10
    assert "already done: ApplicationTrustLevel Full" in script


def test_the_guard_checker_catches_an_unguarded_change(example: RunResult) -> None:
    script = runbook(example, finding("OAU001", OAU001))
    broken = script.replace("if ($PSCmdlet.ShouldProcess('Global'", "if ($true -or ('Global'")
    with pytest.raises(AssertionError):
        assert_every_change_is_guarded(broken)
    unread = re.sub(r"\n\s+\$current = Get-S2SSingle[^\n]*", "", script)
    with pytest.raises(AssertionError):
        assert_every_change_is_guarded(unread)


def test_the_bundles_real_values_are_in_the_commands(example: RunResult) -> None:
    script = runbook(example, *ALL)
    for value in (SVC, POOL_METADATA, THUMBPRINT, "atl-exch-001.litwareinc.com", "evoSTS"):
        assert value in script
    assert not re.search(r"<[A-Za-z][^<>\n]*>", script.replace("<#", "").replace("#>", ""))
    variables = set(re.findall(r"\$[A-Za-z_]\w*", "\n".join(_body(script))))
    assert variables <= {
        "$current", "$needed", "$true", "$false", "$script", "$exscripts", "$PSCmdlet",
        "$LASTEXITCODE", "$_",
    }  # fmt: skip


def test_partner_applications_are_followed_by_refresh_and_iisreset(example: RunResult) -> None:
    script = runbook(example, finding("PAP004", PAP004))
    configure = script.index("& (Join-Path -Path $exscripts -ChildPath 'Configure-Enterprise")
    restart = script.index("    iisreset atl-exch-001.litwareinc.com")
    assert configure < restart
    assert "(Test-S2SExchangeScripts -Step 1)" in script
    # left out by a fix: added from the exports (the Exchange servers to restart)
    bare = PAP004.rsplit("\n", 1)[0]
    script = runbook(example, finding("PAP004", bare))
    assert "    iisreset atl-exch-001.litwareinc.com" in script
    repoint = (
        f"{EXCHANGE}\nSet-PartnerApplication -Identity 'LyncEnterprise-ApplicationAccount' "
        f"-AuthMetadataUrl '{POOL_METADATA}'"
    )
    script = runbook(example, finding("PAP007", repoint))
    assert script.index("-AuthMetadataUrl") < script.index(
        "Set-PartnerApplication -Identity 'LyncEnterprise-ApplicationAccount' -RefreshAuthMetadata -ErrorAction Stop"
    )


def test_each_step_runs_only_in_its_shell(example: RunResult) -> None:
    script = runbook(example, *ALL)
    gates = re.findall(
        r"^if \(+Test-S2SShell -Step (\d+) -Shell '([^']+)' -Command @\(([^)]*)\)", script, re.M
    )
    shells = {int(number): (shell, commands) for number, shell, commands in gates}
    assert shells[3][0] == "Skype for Business Server / Lync Server Management Shell"
    assert (
        "'Set-CsOAuthConfiguration'" in shells[3][1]
        and "'Get-CsOAuthConfiguration'" in shells[3][1]
    )
    assert shells[5][0] == "Exchange Management Shell"
    assert shells[6][0] == "SharePoint Management Shell"
    assert "'New-SPTrustedSecurityTokenIssuer'" in shells[6][1]
    assert shells[7][0].startswith("DNS server")
    assert "Left for another management shell" in script
    assert "Stop-S2SRunbook -Step 7 -ErrorRecord $_" in script


def test_certificate_requests_and_rebuilds_are_manual_steps(example: RunResult) -> None:
    rebuild = (
        f"{LYNC}\nRemove-CsPartnerApplication -Identity 'microsoft.exchange'\n"
        "New-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full "
        "-MetadataUrl 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'"
    )
    script = runbook(example, finding("CRT003", CRT003), finding("PAP011", rebuild, line=2))
    assert script.count("Write-S2SManual -Step") == 2
    assert "certification authority" in script
    assert "removes and creates the same object again" in script
    for line in _body(script):
        code = line.strip()
        assert not code.startswith(("Request-CsCertificate", "Remove-CsPartnerApplication"))
    assert "    'Request-CsCertificate -New -Type OAuthTokenIssuer" in script


def test_no_secret_is_ever_written(example: RunResult) -> None:
    secret = "Litware-Pfx-2026!"
    fix = f"Set-CsCertificate -Type OAuthTokenIssuer -Path 'C:\\oauth.pfx' -Password '{secret}'"
    script = runbook(example, finding("CRT001", fix))
    assert secret not in script
    assert "Read-Host -AsSecureString" in script


def test_hostile_values_stay_values(example: RunResult) -> None:
    hostile = "x\u2019; Remove-Item C:\\ -Recurse; \u2019"
    fix = f"Set-CsOAuthConfiguration -Identity Global -Realm '{hostile.replace(chr(0x2019), chr(0x2019) * 2)}'"
    message = "realm\n::error file=x::owned\r\nRemove-Item C:\\"
    script = runbook(example, finding("OAU004", fix, message=message))
    assert script.startswith("\ufeff")  # not ASCII: a BOM, so Windows PowerShell reads UTF-8
    run_line = next(line for line in script.splitlines() if line.strip().startswith("Set-CsOAuth"))
    assert "-Realm 'x\u2019\u2019; Remove-Item C:\\ -Recurse; \u2019\u2019'" in run_line
    assert "\n::" not in script
    assert "# OAU004 [error] lync/oauth-configuration.xml:1:1: realm\\n::error" in script


def test_the_runbook_is_deterministic_and_ascii(example: RunResult) -> None:
    assert runbook(example, *ALL) == runbook(example, *reversed(ALL))
    assert runbook(example, *ALL).isascii()


def test_nothing_to_fix(example: RunResult) -> None:
    script = runbook(example)
    assert "Nothing to remediate" in script
    assert "# Step " not in script


def test_check_writes_the_runbook_with_o(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "remediate.ps1"
    code, out, _ = run(
        capsys, "check", str(EXAMPLE), "--output-format", "powershell", "-o", str(target),
        "--as-of", "2026-11-21", "--no-cache",
    )  # fmt: skip
    assert (code, out) == (1, "")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<#\n.SYNOPSIS\nRemediation runbook written by s2slint")
    assert "[CmdletBinding(SupportsShouldProcess)]" in text


HYB003_WITH_CHOICE = (
    f"{HYB003}\n# or turn hybrid modern authentication off\n"
    "Set-CsOAuthConfiguration -Identity Global -ClientAuthorizationOAuthServerIdentity ''"
)


def test_an_alternative_a_fix_offers_is_shown_and_never_run(example: RunResult) -> None:
    script = runbook(example, finding("HYB003", HYB003_WITH_CHOICE))
    assert "# Instead, the fix offers (never run by this runbook):" in script
    assert (
        "#     Set-CsOAuthConfiguration -Identity Global -ClientAuthorizationOAuthServerIdentity ''"
    ) in script
    code = [line.strip() for line in _body(script) if not line.strip().startswith("#")]
    assert not [line for line in code if "ClientAuthorizationOAuthServerIdentity" in line]
    assert any(line.startswith("New-CsOAuthServer -Identity evoSTS") for line in code)
    only_choice = "# or turn hybrid modern authentication off\nSet-CsOAuthConfiguration -Realm a"
    script = runbook(example, finding("HYB003", only_choice))
    assert "Write-S2SManual -Step 1 -Shell 'Skype for Business Server" in script
    assert "a choice only you can make" in script


def test_fixes_that_make_the_same_change_are_one_cause(example: RunResult) -> None:
    fea001 = (
        f'{EXCHANGE}\n& "$env:ExchangeInstallPath\\Scripts\\Configure-EnterprisePartnerApplication.ps1" '
        f"-AuthMetadataUrl '{POOL_METADATA}' -ApplicationType Lync\niisreset\n"
        "# Lync Server Management Shell\n# or keep contacts in Lync until it is done\n"
        "Set-CsUserServicesPolicy -Identity Global -UcsAllowed $False"
    )
    script = runbook(example, finding("PAP005", PAP004), finding("FEA001", fea001, line=2))
    assert script.count("# Step ") == 1
    assert "Step 1: PAP005, FEA001, in the Exchange Management Shell" in script
    code = [line.strip() for line in _body(script) if not line.strip().startswith("#")]
    assert sum(line.startswith("& (Join-Path -Path $exscripts") for line in code) == 1
    assert [line for line in code if line.startswith("iisreset")] == [
        "iisreset atl-exch-001.litwareinc.com"
    ]
    assert not [line for line in code if line.startswith("Set-CsUserServicesPolicy")]


def test_a_global_certificate_is_checked_on_every_oauth_server(example: RunResult) -> None:
    fix = (
        f"# assign {THUMBPRINT} once, globally; replication deploys it to every server\n"
        f"Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint '{THUMBPRINT}' "
        "-Roll -EffectiveDate '2026-11-23T00:00:00Z'\n"
        "# once it is in force, check the servers that differed\n"
        "Invoke-Command -ComputerName 'atl-fe-03.litwareinc.com' -ScriptBlock "
        "{ Get-CsCertificate -Type OAuthTokenIssuer }"
    )
    script = runbook(example, finding("CRT002", fix))
    assert "Write-S2SManual -Step" not in script
    assert (
        f"$current = Test-S2SCertificate -Type 'OAuthTokenIssuer' -Thumbprint '{THUMBPRINT}' "
        "-Identity 'global' -Server @('atl-fe-01.litwareinc.com', 'atl-fe-02.litwareinc.com', "
        "'atl-fe-03.litwareinc.com')"
    ) in script
    # the fix's comments stay beside their commands; the check is shown, not run
    assert "        # assign 7054C1277959708FAB91422CFE5982E3C7AE81CB once, globally" in script
    assert "to check afterwards: Invoke-Command -ComputerName" in script
    assert_every_change_is_guarded(script)


def test_a_part_after_a_manual_part_waits_for_it(example: RunResult) -> None:
    fix = (
        f"{LYNC}\n$cert = Request-CsCertificate -New -Type OAuthTokenIssuer -KeySize 2048\n"
        "Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $cert.Thumbprint\n"
        "# Exchange: read Lync's new certificate from its metadata now\n"
        "Set-PartnerApplication -Identity 'LyncEnterprise-ApplicationAccount' -RefreshAuthMetadata"
    )
    steps, _ = plan(replace(example, findings=(finding("CRT011", fix),)))
    assert [(s.shell, s.manual) for s in steps] == [("lync", True), ("exchange", True)]
    assert "certification authority" in steps[0].why  # the reason that matters most
    assert steps[1].why == "it continues step 1, a manual step: run it once that is done"
    assert (
        steps[1].actions[0].text == "# Exchange: read Lync's new certificate from its metadata now"
    )
