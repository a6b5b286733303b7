"""The runbook reads a fix line into a command and writes it back with its own quoting;
what it cannot read exactly, it never runs. Then each command is classified and, for a
change, given a test of the current state."""

from __future__ import annotations

import pytest

from s2slint.reporters.pscommands import Value, parse_command, quote, render_value, split_comment
from s2slint.reporters.psguards import classify, shell_of, shell_of_comment


def _classify(line: str):  # type: ignore[no-untyped-def]
    return classify(line, parse_command(line, frozenset({"exscripts"})))


# ----------------------------------------------------------------------- reading


def test_a_simple_command_is_read_with_decoded_values() -> None:
    command = parse_command(
        "Set-CsPartnerApplication -Identity 'it''s' -ApplicationTrustLevel Full -Enabled $True"
    )
    assert command is not None
    assert (command.verb, command.noun) == ("Set", "CsPartnerApplication")
    assert command.value_of("identity") == Value("string", "it's")
    assert command.value_of("ApplicationTrustLevel") == Value("word", "Full")
    assert command.value_of("Enabled") == Value("bool", "True")


@pytest.mark.parametrize(
    "line",
    [
        "Get-CsPartnerApplication | Remove-CsPartnerApplication",
        "Set-CsOAuthConfiguration -Realm a; Remove-Item C:\\",
        "Set-CsOAuthConfiguration -Realm $(Remove-Item C:\\)",
        'Set-CsOAuthConfiguration -Realm "$env:USERDNSDOMAIN"',
        "Set-CsOAuthConfiguration -Realm $realm",
        "Set-CsOAuthConfiguration -Realm 'unclosed",
        "Set-CsOAuthConfiguration -Realm @('a')",
        "Set-CsOAuthConfiguration -Realm a,b",
        "& { Remove-Item C:\\ }",
        "Set-X -Realm 'a'b",
    ],
)
def test_anything_but_one_simple_command_is_not_read(line: str) -> None:
    assert parse_command(line) is None
    assert _classify(line).kind == "manual"


def test_every_single_quote_powershell_knows_is_doubled() -> None:
    hostile = "x\u2019; Remove-Item C:\\ -Recurse; \u2018'"
    written = quote(hostile)
    assert written == "'x\u2019\u2019; Remove-Item C:\\ -Recurse; \u2018\u2018'''"
    again = parse_command(f"Set-CsOAuthConfiguration -Realm {written}")
    assert again is not None and again.value_of("Realm") == Value("string", hostile)


def test_values_are_written_bare_only_when_plain() -> None:
    assert render_value(Value("word", "atl-exch-001.litwareinc.com")) == (
        "atl-exch-001.litwareinc.com"
    )
    assert render_value(Value("word", "/RecordAdd")) == "/RecordAdd"
    assert render_value(Value("word", "https://a/b")) == "'https://a/b'"
    assert render_value(Value("string", "Full")) == "'Full'"
    assert render_value(Value("bool", "False")) == "$false"


def test_a_trailing_comment_is_split_off_outside_quotes() -> None:
    assert split_comment("iisreset  # on every server") == ("iisreset", "on every server")
    assert split_comment("Set-X -Name 'a # b'") == ("Set-X -Name 'a # b'", "")
    assert split_comment("# Exchange Management Shell") == ("", "Exchange Management Shell")


def test_shells_are_told_by_cmdlet_and_by_comment() -> None:
    def shell(line: str) -> str | None:
        command = parse_command(line)
        assert command is not None
        return shell_of(command)

    assert shell("Set-CsOAuthConfiguration -Realm a") == "lync"
    assert shell("Set-PartnerApplication -Identity a -Enabled $true") == "exchange"
    assert shell(".\\Configure-EnterprisePartnerApplication.ps1 -ApplicationType Lync") == (
        "exchange"
    )
    assert shell("New-SPTrustedSecurityTokenIssuer -Name a") == "sharepoint"
    assert shell("Add-DnsServerResourceRecordA -ZoneName z -Name n -IPv4Address 1.2.3.4") == "dns"
    assert shell("iisreset") is None
    assert shell_of_comment("Exchange Management Shell: read it again") == "exchange"
    assert (
        shell_of_comment(
            "Skype for Business Server Management Shell (Lync Server Management Shell)"
        )
        == "lync"
    )


# ------------------------------------------------------------------------ guards


def test_set_compares_every_property_it_sets() -> None:
    action = _classify(
        "Set-CsPartnerApplication -Identity 'microsoft.exchange' -ApplicationTrustLevel Full "
        "-MetadataUrl 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'"
    )
    assert action.kind == "change" and action.guard is not None
    assert action.guard.read == (
        "$current = Get-S2SSingle -Found @(Get-CsPartnerApplication -Identity "
        "'microsoft.exchange' -ErrorAction Stop) -What 'Get-CsPartnerApplication -Identity "
        "''microsoft.exchange'''",
    )
    assert action.guard.needed == (
        "([string]$current.ApplicationTrustLevel -ne 'Full') -or "
        "([string](Get-S2SMetadataUrl -InputObject $current) -ne "
        "'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1')"
    )
    assert action.target == "microsoft.exchange"


def test_booleans_and_renamed_properties() -> None:
    enabled = _classify("Set-PartnerApplication -Identity 'Lync' -Enabled $true")
    assert enabled.guard is not None and enabled.guard.needed == "($current.Enabled -ne $true)"
    auth = _classify(
        "Set-AuthConfig -NewCertificateThumbprint ABC -NewCertificateEffectiveDate '2027-01-01'"
    )
    assert auth.guard is not None
    assert auth.guard.needed == "([string]$current.NextCertificateThumbprint -ne 'ABC')"
    assert auth.guard.read[0].startswith("$current = Get-S2SSingle -Found @(Get-AuthConfig -Error")


def test_new_runs_while_missing_and_remove_while_present() -> None:
    new = _classify(
        "New-CsOAuthServer -Identity evoSTS -MetadataUrl "
        "'https://login.windows.net/common/FederationMetadata/2007-06/FederationMetadata.xml'"
    )
    assert new.guard is not None and new.guard.needed == "($current.Count -eq 0)"
    assert "Get-CsOAuthServer -Identity evoSTS -ErrorAction Stop" in new.guard.read[0]
    sharepoint = _classify(
        "New-SPTrustedSecurityTokenIssuer -Name Lync -MetadataEndPoint "
        "'https://atl-cs-001.litwareinc.com/metadata/json/1' -IsTrustBroker"
    )
    assert sharepoint.guard is not None
    assert "Get-SPTrustedSecurityTokenIssuer -Identity Lync" in sharepoint.guard.read[0]
    remove = _classify("Remove-CsPartnerApplication -Identity 'old'")
    assert remove.guard is not None and remove.guard.needed == "($current.Count -gt 0)"
    assert remove.removes and remove.subject == "cspartnerapplication"


def test_special_guards() -> None:
    line = "Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ABC123 -Roll"
    servers = ("atl-fe-01.litwareinc.com", "atl-fe-02.litwareinc.com")
    certificate = classify(line, parse_command(line), servers)
    assert certificate.guard is not None and certificate.guard.needed == "(-not $current)"
    assert certificate.guard.read == (
        "$current = Test-S2SCertificate -Type 'OAuthTokenIssuer' -Thumbprint 'ABC123' "
        "-Identity 'global' -Server @('atl-fe-01.litwareinc.com', 'atl-fe-02.litwareinc.com')",
    )
    plain = line.replace("-Identity global ", "")
    local = classify(plain, parse_command(plain), servers)
    assert local.guard is not None and local.guard.read[0].endswith("-Server @()")
    record = _classify(
        "Add-DnsServerResourceRecordCName -ZoneName litwareinc.com -Name autodiscover "
        "-HostNameAlias atl-exch-001.litwareinc.com"
    )
    assert record.guard is not None
    assert (
        "Get-DnsServerResourceRecord -ZoneName litwareinc.com -Name autodiscover"
        in (record.guard.read[0])
    )
    script = _classify(
        ".\\Configure-EnterprisePartnerApplication.ps1 -AuthMetadataUrl "
        "'https://atl-cs-001.litwareinc.com/metadata/json/1' -ApplicationType Lync"
    )
    assert script.kind == "change" and script.shell == "exchange"
    assert script.run.startswith("& (Join-Path -Path $exscripts -ChildPath ")
    assert script.guard is not None
    assert "AuthMetadataUrl -eq 'https://atl-cs-001.litwareinc.com/metadata/json/1'" in (
        script.guard.needed
    )


def test_a_line_that_only_reads_is_a_check_even_when_not_simple() -> None:
    remote = (
        "Invoke-Command -ComputerName 'atl-fe-03.litwareinc.com' -ScriptBlock "
        "{ Get-CsCertificate -Type OAuthTokenIssuer }"
    )
    assert _classify(remote).kind == "check"
    assert _classify(remote).shell == "lync"
    for changing in (
        "Invoke-Command -ComputerName a -ScriptBlock { Remove-CsCertificate -Type OAuthTokenIssuer }",
        "$cert = Get-CsCertificate -Type OAuthTokenIssuer",
        "Get-CsCertificate > certs.txt",
        "Get-Item -Path 'Cert:\\LocalMachine\\My\\AB' | Export-Certificate -FilePath a.cer",
    ):
        assert _classify(changing).kind == "manual", changing
    assert _classify("$cert = Request-CsCertificate -New -Type OAuthTokenIssuer").shell == "lync"


def test_follow_ups_checks_and_context() -> None:
    assert _classify("iisreset atl-exch-001.litwareinc.com").kind == "follow"
    refresh = _classify("Set-PartnerApplication -Identity 'Lync' -RefreshAuthMetadata")
    assert refresh.kind == "follow" and refresh.repeatable
    publish = _classify("Set-AuthConfig -PublishCertificate")
    assert publish.kind == "follow" and not publish.repeatable
    assert _classify("Test-CsExStorageConnectivity -SipUri 'sip:a@litwareinc.com'").kind == (
        "check"
    )
    assert _classify("cd $exscripts").kind == "context"


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("Request-CsCertificate -New -Type OAuthTokenIssuer -FriendlyName x", "certification"),
        ("New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true", "certification"),
        ("Import-PfxCertificate -FilePath a.pfx -Password $pw", "password or key"),
        ("Set-CsCertificate -Type OAuthTokenIssuer -Path a.pfx", "password or key"),
        ("Enable-ExchangeCertificate -Thumbprint ABC -Services SMTP", "safe test"),
        ("Set-PartnerApplication -Identity a -RefreshAuthMetadata -Enabled $true", "acts"),
        ("Set-CsOAuthConfiguration Global", "positional"),
        ("New-CsPartnerApplication -ApplicationTrustLevel Full", "names no identity"),
    ],
)
def test_what_cannot_be_guarded_is_manual(line: str, why: str) -> None:
    action = _classify(line)
    assert action.kind == "manual"
    assert why in action.why


def test_passwords_are_replaced_by_a_prompt() -> None:
    action = _classify("Import-PfxCertificate -FilePath 'C:\\a.pfx' -Password 'Secret-1'")
    assert action.kind == "manual" and "Secret-1" not in action.text
    assert "-Password (Read-Host -AsSecureString -Prompt 'password')" in action.text
    secure = _classify("$p = ConvertTo-SecureString 'Secret-2' -AsPlainText -Force")
    assert "Secret-2" not in secure.text
