"""`s2slint collect-script`: the collector is valid PowerShell, reads only, and the bundle
it writes (its layout, its file forms) is read whole by s2slint, per-server files
attributed to their servers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import fixturegen
import pytest
from bundle_lint import registry
from exports import run
from powershell_check import assert_file_passes

from s2slint.collect import LAYOUT, SCRIPT_NAME, collect_script
from s2slint.testing import lint_bundle

SCRIPT = collect_script()


def _section(shell_gate: str) -> str:
    """Return the text of the script between a shell's gate and the `else` that skips it."""
    start = SCRIPT.index(f"if (Test-S2SCommand -Name '{shell_gate}') {{\n    Write-S2SNote")
    end = SCRIPT.index("\n} else {\n", start)
    return SCRIPT[start:end]


# ----------------------------------------------------------------------- the script


def test_the_script_passes_pscheck(tmp_path: Path) -> None:
    path = tmp_path / SCRIPT_NAME
    path.write_text(SCRIPT, encoding="utf-8")
    assert_file_passes(path)


def test_the_script_is_the_same_ascii_bytes_every_time() -> None:
    assert collect_script() == SCRIPT
    assert SCRIPT.isascii()
    assert "\t" not in SCRIPT and "\r" not in SCRIPT


def test_no_double_quoted_string_names_a_scope_by_accident() -> None:
    # "$Name: x" is a parse error in PowerShell (a scope or drive name), which the
    # grammar pscheck uses does not catch.
    for string in re.findall(r'"[^"\n]*"', SCRIPT):
        assert not re.search(r"\$\w+:(?!\w)", string), string


def test_the_script_only_reads_and_never_exports_a_private_key() -> None:
    verbs = {m.group(1) for m in re.finditer(r"(?<![\w-])([A-Z][a-z]+)-[A-Z]\w+", SCRIPT)}
    changing = verbs & {"Set", "Enable", "Disable", "Publish", "Request", "Update", "Clear"}
    assert not changing
    for remove in re.findall(r"Remove-\w+[^\n]*", SCRIPT):
        # only the script's own temporary zone file in the DNS server's folder
        assert remove.startswith("Remove-Item -LiteralPath $source"), remove
    for secret in ("Export-PfxCertificate", ".pfx", "PrivateKey", "-Password", "Export("):
        assert secret not in SCRIPT
    assert "[Convert]::ToBase64String($certificate.RawData)" in SCRIPT


def test_each_section_runs_only_in_its_shell_and_says_when_it_is_skipped() -> None:
    gates = {
        "lync": "Get-CsTopology",
        "exchange": "Get-AuthConfig",
        "sharepoint": "Get-SPTrustedSecurityTokenIssuer",
    }
    for shell, gate in gates.items():
        section = _section(gate)
        for part in LAYOUT:
            command = part.source.split(" ")[0]
            if part.shell == shell and command.startswith("Get-"):
                assert command in section, (shell, command)
        skipped = SCRIPT.index("\n} else {\n", SCRIPT.index(section))
        assert "skipped (" in SCRIPT[skipped : skipped + 200], shell
    assert "if ($dnsModule -or $dnsTool) {" in SCRIPT
    assert "Export-DnsServerZone -Name $zoneName" in SCRIPT
    assert "dnscmd $server /ZoneExport $zoneName $file" in SCRIPT
    assert "DNS: skipped (" in SCRIPT


def test_per_server_collection_goes_on_past_an_unreachable_server() -> None:
    lync = _section("Get-CsTopology")
    loop = lync[lync.index("foreach ($server in $servers) {") :]
    # the remote call is inside try; its catch records the server and continues
    assert re.search(
        r"try \{\n\s+\$entries = @\(Invoke-Command -ComputerName \$server[^\n]*\n"
        r"\s+\} catch \{\n\s+\$script:unreachable \+= \$server\n[^\n]*\n\s+continue",
        loop,
    )
    exchange = _section("Get-AuthConfig")
    assert re.search(
        r"\} catch \{\n\s+\$script:unreachable \+= \$server\n[^\n]*\n\s+continue", exchange
    )
    assert "collection-log.md" in SCRIPT
    assert "s2slint check" in SCRIPT.rsplit("Write-Host", 1)[-1]


def test_oauth_servers_are_front_end_director_and_standard_edition_pools_only() -> None:
    function = SCRIPT[SCRIPT.index("function Get-S2SOAuthPool") :]
    function = function[: function.index("\n}\n")]
    assert "$frontEnd = $installed -contains 'UserServices'" in function
    assert (
        "$director = ($installed -contains 'Registrar') -and ($installed -contains 'WebServices')"
    ) in function
    assert "if (-not ($frontEnd -or $director)) { continue }" in function


def test_every_part_of_the_layout_is_written_by_the_script() -> None:
    for part in LAYOUT:
        if part.simple:
            command = part.source.split(" (")[0]
            line = (
                f"Save-S2SExport -Folder '{part.folder}' -Name '{part.name}' "
                f"-Command '{command}' -Read {{ {command} }}"
            )
            assert line in SCRIPT, part.path
        else:
            stem = part.name.replace("THUMBPRINT", "{0}").replace("ZONE", "")
            assert stem in SCRIPT, part.path


# --------------------------------------------------------------------- the command


def test_collect_script_prints_the_script(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "collect-script")
    assert (code, out, err) == (0, SCRIPT, "")


def test_collect_script_writes_the_file_atomically(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new-folder" / SCRIPT_NAME
    code, out, _ = run(capsys, "collect-script", "-o", str(target))
    assert (code, out) == (0, "")
    assert target.read_bytes() == SCRIPT.encode("ascii")
    assert [p.name for p in target.parent.iterdir()] == [SCRIPT_NAME]
    code, _, err = run(capsys, "collect-script", "-o", str(tmp_path))
    assert code == 2 and "not a regular file" in err


# -------------------------------------------------- the bundle the collector writes


Writer = Callable[[fixturegen.BundleSpec], list[tuple[str, bytes, str | None]]]
"""Return (path, bytes, the server the file must be attributed to) for one part."""

_SPEC = replace(fixturegen.BundleSpec(), servers_without_computer_name=())
_SECOND_EXCHANGE = "atl-exch-002.litwareinc.com"


def _clixml(text: str) -> bytes:
    """Encode as `Export-Clixml -Encoding UTF8` writes in Windows PowerShell 5.1."""
    return fixturegen._encode(text, "utf-8-bom", "\r\n")


def _one(path: str, render: Callable[[fixturegen.BundleSpec], str]) -> Writer:
    return lambda spec: [(path, _clixml(render(spec)), None)]


def _lync_servers(spec: fixturegen.BundleSpec) -> list[tuple[str, bytes, str | None]]:
    return [
        (f"servers/{server}/certificates.xml", _clixml(text), server)
        for index, server in enumerate(spec.front_ends)
        if (text := fixturegen._cs_certificates(spec, server, index))
    ]


def _oauth_certificate(spec: fixturegen.BundleSpec) -> list[tuple[str, bytes, str | None]]:
    cert = fixturegen._oauth_cert(spec)
    return [(f"certs/oauth-token-issuer-{cert.thumbprint}.cer", cert.der, None)]


def _exchange_servers(spec: fixturegen.BundleSpec) -> list[tuple[str, bytes, str | None]]:
    # What the collector writes: PSComputerName names the server read, not the session's.
    return [
        (
            f"exchange/servers/{server}/certificates.xml",
            _clixml(fixturegen._exchange_certificates(replace(spec, exchange_server=server))),
            server,
        )
        for server in (spec.exchange_server, _SECOND_EXCHANGE)
    ]


def _zone(spec: fixturegen.BundleSpec) -> list[tuple[str, bytes, str | None]]:
    text = fixturegen._zone_export(spec)
    return [(f"dns/{spec.sip_domain}.dns", fixturegen._encode(text, "ascii", "\r\n"), None)]


WRITERS: dict[str, Writer] = {
    "lync/topology.xml": lambda spec: [
        (
            "lync/topology.xml",
            fixturegen._encode(fixturegen._published_topology(spec), "utf-8-bom", "\r\n"),
            None,
        )
    ],
    "lync/oauth-configuration.xml": _one(
        "lync/oauth-configuration.xml", fixturegen._oauth_configuration
    ),
    "lync/partner-applications.xml": _one(
        "lync/partner-applications.xml", fixturegen._lync_partner_applications
    ),
    "lync/oauth-servers.xml": _one("lync/oauth-servers.xml", fixturegen._oauth_servers),
    "lync/user-services-policies.xml": _one(
        "lync/user-services-policies.xml", fixturegen._user_services_policies
    ),
    "lync/archiving-configuration.xml": _one(
        "lync/archiving-configuration.xml", fixturegen._archiving_configuration
    ),
    "servers/SERVER/certificates.xml": _lync_servers,
    "certs/oauth-token-issuer-THUMBPRINT.cer": _oauth_certificate,
    "exchange/auth-config.xml": _one("exchange/auth-config.xml", fixturegen._auth_config),
    "exchange/auth-servers.xml": _one("exchange/auth-servers.xml", fixturegen._auth_servers),
    "exchange/partner-applications.xml": _one(
        "exchange/partner-applications.xml", fixturegen._exchange_partner_applications
    ),
    "exchange/exchange-servers.xml": _one(
        "exchange/exchange-servers.xml", fixturegen._exchange_servers
    ),
    "exchange/client-access.xml": _one("exchange/client-access.xml", fixturegen._client_access),
    "exchange/servers/SERVER/certificates.xml": _exchange_servers,
    "dns/ZONE.dns": _zone,
}
# The SharePoint and hybrid exports are written as soon as the fixture generator can
# write them (with the loaders that read them).
_LATER = {
    "exchange/hybrid-configuration.xml": "_hybrid_configuration",
    "sharepoint/trusted-security-token-issuers.xml": "_sharepoint_issuers",
    "sharepoint/security-token-service-config.xml": "_sharepoint_sts_config",
}
for _path, _function in _LATER.items():
    if hasattr(fixturegen, _function):
        WRITERS[_path] = _one(_path, getattr(fixturegen, _function))


def _spec_for_all_parts() -> fixturegen.BundleSpec:
    """The healthy spec, with SharePoint and hybrid exports when the generator has them."""
    base = getattr(fixturegen, "SHAREPOINT_INTEGRATED", fixturegen.BundleSpec())
    return replace(base, servers_without_computer_name=())


def _write_collected_bundle(root: Path) -> dict[str, str | None]:
    """Write every part of the layout a writer exists for; return path -> server."""
    spec = _spec_for_all_parts()
    written: dict[str, str | None] = {}
    for part in LAYOUT:
        writer = WRITERS.get(part.path)
        if writer is None:
            continue
        for path, data, server in writer(spec):
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written[path] = server
    return written


def test_every_part_has_a_writer_but_those_waiting_for_their_loaders() -> None:
    missing = {part.path for part in LAYOUT} - set(WRITERS)
    assert missing <= set(_LATER), missing
    assert set(WRITERS) <= {part.path for part in LAYOUT}


def test_s2slint_reads_every_file_of_the_collected_bundle(tmp_path: Path) -> None:
    written = _write_collected_bundle(tmp_path)
    result = lint_bundle(tmp_path, plugins=registry())
    assert not [f for f in result.findings if f.code == "INP002"]
    kinds = {file.path: file.kind for file in result.files}
    for path in written:
        assert kinds.get(path), (path, kinds.get(path))


def test_per_server_files_are_attributed_to_their_servers(tmp_path: Path) -> None:
    written = _write_collected_bundle(tmp_path)
    model = lint_bundle(tmp_path, plugins=registry()).model
    per_server = {path: server for path, server in written.items() if server is not None}
    assert len(per_server) == len(_SPEC.front_ends) + 2
    seen: dict[str, set[str | None]] = {}
    for entry in model.cs_certificates:
        seen.setdefault(entry.loc.path, set()).add(entry.server)
    for certificate in model.certificates:
        if certificate.loc.path.startswith("exchange/servers/"):
            seen.setdefault(certificate.loc.path, set()).add(certificate.server)
    for path, server in per_server.items():
        assert seen.get(path) == {server}, (path, seen.get(path))


def test_the_layout_names_its_shells_and_forms() -> None:
    assert {part.shell for part in LAYOUT} == {"lync", "exchange", "sharepoint", "dns"}
    assert all(part.form for part in LAYOUT)
