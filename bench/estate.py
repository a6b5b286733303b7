"""Generate a synthetic Lync/Exchange estate in the real export formats, for benchmarks.

N Front End servers in pools of 10: one published topology (UTF-16), a
`Get-CsCertificate` CLIXML export per server (UTF-16, as Windows PowerShell writes it),
a DER copy of the OAuth certificate per pool, the Lync OAuth and partner application
exports and the Exchange exports of `fixtures/healthy`, and a dnscmd zone export with
every host plus 20 x N filler records. Usage: `python bench/estate.py N DIR`.
"""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent
HEALTHY = ROOT / "fixtures" / "healthy"
DOMAIN = "litwareinc.com"
NS = "http://schemas.microsoft.com/powershell/2004/04"


def oauth_certificate() -> x509.Certificate:
    """Return a self-signed 2048-bit OAuth certificate (the same for every pool)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, DOMAIN)])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0x5151)
        .not_valid_before(datetime(2026, 1, 15, tzinfo=UTC))
        .not_valid_after(datetime(2028, 1, 15, tzinfo=UTC))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(DOMAIN)]), critical=False)
        .sign(key, hashes.SHA256())
    )


def front_ends(count: int) -> list[tuple[str, list[str]]]:
    """Return pools of ten Front Ends: [(pool fqdn, [server fqdns])]."""
    pools = []
    for pool in range((count + 9) // 10):
        members = [f"fe{pool:03d}-{i:02d}.{DOMAIN}" for i in range(min(10, count - pool * 10))]
        # The first pool is the one the healthy exports' metadata URLs name.
        name = "atl-cs-001" if pool == 0 else f"pool{pool:03d}"
        pools.append((f"{name}.{DOMAIN}", members))
    return pools


def topology(pools: list[tuple[str, list[str]]]) -> str:
    """Return a published topology (`Get-CsTopology -AsXml`) with the pools."""
    clusters, services = [], []
    for number, (pool, members) in enumerate(pools, start=1):
        machines = "".join(
            f'      <Machine OrdinalInCluster="{i + 1}" Fqdn="{fqdn}" FaultDomain="{fqdn}" UpgradeDomain="{fqdn}">\n'
            '        <NetInterface InterfaceSide="Primary" InterfaceNumber="1" IPAddress="0.0.0.0" />\n'
            "      </Machine>\n"
            for i, fqdn in enumerate(members)
        )
        clusters.append(
            f'    <Cluster Fqdn="{pool}" RequiresReplication="true" RequiresSetup="true">\n'
            f'      <ClusterId SiteId="1" Number="{number}" />\n{machines}    </Cluster>\n'
        )
        for role in ("UserServices", "Registrar"):
            services.append(
                f'    <Service RoleVersion="1" ServiceVersion="7">\n'
                f'      <ServiceId SiteId="1" RoleName="{role}" Instance="{number}" />\n'
                f'      <InstalledOn><ClusterId SiteId="1" Number="{number}" /></InstalledOn>\n'
                "    </Service>\n"
            )
    return (
        '<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008" '
        'Signature="6c2d8f9a-0000-4000-8000-000000000001">\n'
        f'  <InternalDomains AllowAllDomains="false" DefaultDomain="{DOMAIN}">\n'
        f'    <InternalDomain Name="{DOMAIN}" Authoritative="false" AllowSubDomains="false" />\n'
        "  </InternalDomains>\n"
        '  <Sites><CentralSite SiteId="1"><Name>Atlanta</Name><Location /></CentralSite></Sites>\n'
        f"  <Clusters>\n{''.join(clusters)}  </Clusters>\n"
        f"  <Services>\n{''.join(services)}  </Services>\n</Topology>\n"
    )


def certificate_export(server: str, index: int, oauth_thumbprint: str) -> str:
    """Return `Get-CsCertificate | Export-Clixml` run on `server`."""
    objects = []
    uses = (
        ("Default", 3),
        ("WebServicesInternal", 10),
        ("WebServicesExternal", 9),
        ("OAuthTokenIssuer", 12),
    )
    for ref, (use, value) in enumerate(uses):
        thumbprint = oauth_thumbprint if use == "OAuthTokenIssuer" else f"{index:08X}{ref:032X}"
        type_list = (
            '    <TN RefId="0">\n      <T>Microsoft.Rtc.Management.Deployment.CertificateReference</T>\n'
            "      <T>System.Object</T>\n    </TN>\n"
            if ref == 0
            else '    <TNRef RefId="0" />\n'
        )
        enum_list = (
            f'      <Obj N="Use" RefId="{100 + ref}">\n        <TN RefId="1">\n'
            "          <T>Microsoft.Rtc.Management.Deployment.CertType</T>\n"
            "          <T>System.Enum</T>\n          <T>System.ValueType</T>\n"
            "          <T>System.Object</T>\n        </TN>\n"
            if ref == 0
            else f'      <Obj N="Use" RefId="{100 + ref}">\n        <TNRef RefId="1" />\n'
        )
        objects.append(
            f'  <Obj RefId="{ref}">\n{type_list}'
            "    <ToString>Microsoft.Rtc.Management.Deployment.CertificateReference</ToString>\n"
            "    <Props>\n"
            f'      <S N="Issuer">CN=LitwareInc Enterprise CA, DC=litwareinc, DC=com</S>\n'
            '      <DT N="NotAfter">2028-01-15T09:00:00-05:00</DT>\n'
            '      <DT N="NotBefore">2026-01-15T09:00:00-05:00</DT>\n'
            f'      <S N="SerialNumber">{index:04X}{ref:04X}</S>\n'
            f'      <S N="Subject">CN={server}</S>\n'
            f'      <S N="Thumbprint">{thumbprint}</S>\n'
            f"{enum_list}        <ToString>{use}</ToString>\n        <I32>{value}</I32>\n      </Obj>\n"
            '      <Nil N="EffectiveDate" />\n'
            "    </Props>\n"
            f'    <MS>\n      <S N="PSComputerName">{server}</S>\n    </MS>\n'
            "  </Obj>\n"
        )
    return f'<Objs Version="1.1.0.1" xmlns="{NS}">\n{"".join(objects)}</Objs>\n'


def zone(pools: list[tuple[str, list[str]]], fillers: int) -> str:
    """Return a dnscmd /ZoneExport text with every host and `fillers` extra records."""
    lines = [
        ";",
        f";  Database file {DOMAIN}.dns for {DOMAIN} zone.",
        ";      Zone version:  1",
        ";",
        "",
        f"@                       IN  SOA atl-dc-001.{DOMAIN}.  hostmaster.{DOMAIN}. (",
        "                        \t\t1            ; serial number",
        "                        \t\t900          ; refresh",
        "                        \t\t600          ; retry",
        "                        \t\t86400        ; expire",
        "                        \t\t3600       ) ; default TTL",
        "",
        ";  Zone NS records",
        "",
        f"@                       NS\tatl-dc-001.{DOMAIN}.",
        "",
        ";  Zone records",
        "",
        "atl-dc-001              A\t10.0.0.10",
        "autodiscover            CNAME\tatl-exch-001.litwareinc.com.",
        "atl-exch-001            A\t10.0.2.21",
        "atl-cs-001              A\t10.0.1.10",
        "sharepoint              A\t10.0.3.10",
    ]
    address = 0
    for pool, members in pools:
        for host in [pool, *members]:
            address += 1
            lines.append(
                f"{host.split('.')[0]:<24}[AGE:3702112]\t1200\tA\t10.{address >> 16 & 255}.{address >> 8 & 255}.{address & 255}"
            )
    for i in range(fillers):
        lines.append(f"filler{i:06d}             A\t172.16.{i >> 8 & 255}.{i & 255}")
    return "\r\n".join(lines) + "\r\n"


def generate(count: int, target: Path) -> None:
    """Write an estate of `count` Front Ends into `target` (replacing it)."""
    if target.exists():
        shutil.rmtree(target)
    certificate = oauth_certificate()
    thumbprint = certificate.fingerprint(hashes.SHA1()).hex().upper()
    der = certificate.public_bytes(serialization.Encoding.DER)
    pools = front_ends(count)
    (target / "lync").mkdir(parents=True)
    (target / "lync" / "topology.xml").write_bytes(topology(pools).encode("utf-16"))
    for export in sorted((HEALTHY / "lync").iterdir()):
        if export.name != "topology.xml":
            shutil.copy(export, target / "lync" / export.name)
    shutil.copytree(HEALTHY / "exchange", target / "exchange")
    index = 0
    for pool, members in pools:
        (target / "certs").mkdir(exist_ok=True)
        (target / "certs" / f"{pool}.cer").write_bytes(der)
        for server in members:
            folder = target / "servers" / server
            folder.mkdir(parents=True)
            export = certificate_export(server, index, thumbprint)
            (folder / "certificates.xml").write_bytes(export.encode("utf-16"))
            index += 1
    (target / "dns").mkdir()
    (target / "dns" / f"{DOMAIN}.dns").write_bytes(zone(pools, 20 * count).encode("ascii"))


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
