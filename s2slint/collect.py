"""`s2slint collect-script`: the PowerShell that writes a bundle s2slint reads.

Administrators used to learn what to export from a README table and type each command
by hand, in four different shells. The collector does it for them: one script, run in
each management shell that applies (Skype for Business Server / Lync Server, Exchange,
SharePoint, a DNS server or a machine with the DnsServer module), with the same
`-OutputPath`. Each run writes the part of the bundle its shell can read, in the layout
the README describes, and says which parts it skipped and why.

The script is data: fixed text written here, assembled from `LAYOUT` (one entry per
file of the bundle) so that the layout tests and the script cannot drift apart. It
reads and never changes anything; it never exports a private key (the OAuthTokenIssuer
certificate is written from its `RawData`, the public DER); one server that cannot be
reached is recorded and the collection goes on. The same version of s2slint always
prints the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LAYOUT", "SCRIPT_NAME", "BundlePart", "collect_script"]

SCRIPT_NAME = "Export-S2SBundle.ps1"
"""The file name the README and the script's own help use."""

SHELLS = {
    "lync": "Skype for Business Server / Lync Server Management Shell",
    "exchange": "Exchange Management Shell",
    "sharepoint": "SharePoint Management Shell",
    "dns": "DNS server (DnsServer module or dnscmd)",
}
"""The management shells, by the key `BundlePart.shell` uses."""


@dataclass(frozen=True, slots=True)
class BundlePart:
    """One file (or one file per server, zone or certificate) the collector writes.

    `path` is relative to the bundle, with forward slashes; `SERVER`, `ZONE` and
    `THUMBPRINT` stand for the per-item part of the name (a server's FQDN in lower case,
    a DNS zone, a certificate thumbprint). `source` is the command whose output the file
    holds, `form` how it is written, `shell` the key of `SHELLS` that can read it.
    `simple` parts are one `Export-Clixml` of one command, generated from this entry.
    """

    path: str
    source: str
    form: str
    shell: str
    simple: bool = True

    @property
    def folder(self) -> str:
        """Return the folder of the bundle the file lies in (`lync`, `exchange`...)."""
        return self.path.split("/")[0]

    @property
    def name(self) -> str:
        """Return the file's name."""
        return self.path.rsplit("/", 1)[-1]


_CLIXML = "Export-Clixml (UTF-8 with BOM)"

LAYOUT: tuple[BundlePart, ...] = (
    BundlePart("lync/topology.xml", "Get-CsTopology -AsXml", "XML (UTF-8 with BOM)", "lync", False),
    BundlePart("lync/oauth-configuration.xml", "Get-CsOAuthConfiguration", _CLIXML, "lync"),
    BundlePart("lync/partner-applications.xml", "Get-CsPartnerApplication", _CLIXML, "lync"),
    BundlePart("lync/oauth-servers.xml", "Get-CsOAuthServer", _CLIXML, "lync"),
    BundlePart("lync/user-services-policies.xml", "Get-CsUserServicesPolicy", _CLIXML, "lync"),
    BundlePart("lync/archiving-configuration.xml", "Get-CsArchivingConfiguration", _CLIXML, "lync"),
    BundlePart(
        "servers/SERVER/certificates.xml",
        "Invoke-Command -ComputerName SERVER { Get-CsCertificate }",
        _CLIXML + ", PSComputerName kept",
        "lync",
        False,
    ),
    BundlePart(
        "certs/oauth-token-issuer-THUMBPRINT.cer",
        "the OAuthTokenIssuer certificate's RawData (public part only)",
        "DER certificate",
        "lync",
        False,
    ),
    BundlePart("exchange/auth-config.xml", "Get-AuthConfig", _CLIXML, "exchange"),
    BundlePart("exchange/auth-servers.xml", "Get-AuthServer", _CLIXML, "exchange"),
    BundlePart("exchange/partner-applications.xml", "Get-PartnerApplication", _CLIXML, "exchange"),
    BundlePart("exchange/exchange-servers.xml", "Get-ExchangeServer", _CLIXML, "exchange"),
    BundlePart(
        "exchange/client-access.xml",
        "Get-ClientAccessService (Get-ClientAccessServer on Exchange 2013)",
        _CLIXML,
        "exchange",
        False,
    ),
    BundlePart(
        "exchange/hybrid-configuration.xml",
        "Get-HybridConfiguration (when Exchange is hybrid)",
        _CLIXML,
        "exchange",
    ),
    BundlePart(
        "exchange/servers/SERVER/certificates.xml",
        "Get-ExchangeCertificate -Server SERVER",
        _CLIXML + ", PSComputerName set to SERVER",
        "exchange",
        False,
    ),
    BundlePart(
        "sharepoint/trusted-security-token-issuers.xml",
        "Get-SPTrustedSecurityTokenIssuer",
        _CLIXML,
        "sharepoint",
    ),
    BundlePart(
        "sharepoint/security-token-service-config.xml",
        "Get-SPSecurityTokenServiceConfig",
        _CLIXML,
        "sharepoint",
    ),
    BundlePart(
        "dns/ZONE.dns",
        "Export-DnsServerZone, else dnscmd /ZoneExport",
        "zone file",
        "dns",
        False,
    ),
)
"""Every file of the bundle the collector writes, in the order it writes them."""


# The fixed parts of the script. Rules for editing them: ASCII only; single quotes
# wherever nothing is expanded; no `$name:` inside double quotes (PowerShell reads a
# scope); no angle brackets (pscheck reads them as placeholders); every command and
# parameter must exist in Windows PowerShell 5.1 or the product's shell (the test suite
# runs pscheck on the script).

_HEAD = r"""<#
.SYNOPSIS
Collects the exports s2slint reads (a bundle), from the management shell it runs in.

.DESCRIPTION
Run this script in each management shell that applies, every time with the same
-OutputPath (a local folder, or a share that all of them can write to):

  - the Skype for Business Server (or Lync Server) Management Shell: the topology,
    the OAuth configuration, partner applications, OAuth servers, user services
    policies, archiving configuration; Get-CsCertificate on every OAuth server of the
    topology (Front End pools, Standard Edition servers and Director pools, never a
    Survivable Branch Appliance), through Invoke-Command so that PSComputerName names
    the server; the OAuthTokenIssuer certificate, public part only (.cer);
  - the Exchange Management Shell: Get-AuthConfig, Get-AuthServer,
    Get-PartnerApplication, Get-ExchangeServer, Get-ClientAccessService (or
    Get-ClientAccessServer on Exchange 2013), Get-HybridConfiguration when Exchange is
    hybrid, and Get-ExchangeCertificate of every Exchange server;
  - the SharePoint Management Shell: Get-SPTrustedSecurityTokenIssuer and
    Get-SPSecurityTokenServiceConfig;
  - a DNS server, or a machine with the DnsServer module (-DnsServer names the
    server): the zones that hold the autodiscover, pool and metadata host names the
    exports above name (and every zone given with -Zone), with Export-DnsServerZone,
    else dnscmd /ZoneExport.

Sections whose shell is not loaded are skipped, and the script says so. A server that
cannot be reached is recorded in collection-log.md and the collection goes on.
Nothing is changed anywhere, and no private key is ever exported.

.PARAMETER OutputPath
The bundle folder; created when missing.

.PARAMETER DnsServer
The DNS server to export zones from (default: this computer).

.PARAMETER Zone
DNS zones to export in addition to those found from the exports.

.EXAMPLE
.\Export-S2SBundle.ps1 -OutputPath \\fileserver\exports\s2s-bundle
#>
[CmdletBinding()]
param(
    [string]$OutputPath = '.\s2s-bundle',
    [string]$DnsServer = '',
    [string[]]$Zone = @()
)

$bundle = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
$script:notes = @()
$script:unreachable = @()

function Write-S2SNote {
    # Say what happened, and keep it for collection-log.md.
    param([string]$Text)
    Write-Host -Object $Text
    $script:notes += $Text
}

function New-S2SFolder {
    # Create a folder of the bundle (and its parents) and return its path.
    param([string]$Relative)
    $path = Join-Path -Path $bundle -ChildPath $Relative
    New-Item -ItemType Directory -Force -Path $path | Out-Null
    return $path
}

function Test-S2SCommand {
    # Tell whether a command (cmdlet, function or program) is available in this shell.
    param([string]$Name)
    return [bool](Get-Command -Name $Name -ErrorAction SilentlyContinue)
}

function Save-S2SExport {
    # Run one read-only command and write what it returns with Export-Clixml. Nothing
    # returned, nothing written: an empty export tells s2slint nothing.
    param([string]$Folder, [string]$Name, [string]$Command, [scriptblock]$Read)
    $ErrorActionPreference = 'Stop'
    try {
        $objects = @(& $Read)
    } catch {
        Write-S2SNote ('  {0}/{1} not written: {2} failed: {3}' -f $Folder, $Name, $Command, $_.Exception.Message)
        return
    }
    if ($objects.Count -eq 0) {
        Write-S2SNote ('  {0}/{1} not written: {2} returned nothing' -f $Folder, $Name, $Command)
        return
    }
    $path = Join-Path -Path (New-S2SFolder -Relative $Folder) -ChildPath $Name
    $objects | Export-Clixml -Path $path -Encoding UTF8
    Write-S2SNote ('  {0}/{1}: {2} ({3} objects)' -f $Folder, $Name, $Command, $objects.Count)
}

function Get-S2SOAuthPool {
    # The OAuth servers' pools, from the published topology: clusters where UserServices
    # is installed (Front End pools, Standard Edition servers) and clusters with both
    # Registrar and WebServices (Director pools). A Survivable Branch Appliance has a
    # Registrar and no WebServices: it is not one. Each pool is returned with its machines.
    param([xml]$Topology)
    $roles = @{}
    foreach ($service in @($Topology.Topology.Services.Service)) {
        if ($null -eq $service) { continue }
        $cluster = $service.InstalledOn.ClusterId
        if ($null -eq $cluster) { continue }
        $key = '{0}:{1}' -f $cluster.SiteId, $cluster.Number
        if (-not $roles.ContainsKey($key)) { $roles[$key] = @() }
        $roles[$key] += [string]$service.ServiceId.RoleName
    }
    foreach ($cluster in @($Topology.Topology.Clusters.Cluster)) {
        if ($null -eq $cluster) { continue }
        $key = '{0}:{1}' -f $cluster.ClusterId.SiteId, $cluster.ClusterId.Number
        $installed = @($roles[$key])
        $frontEnd = $installed -contains 'UserServices'
        $director = ($installed -contains 'Registrar') -and ($installed -contains 'WebServices')
        if (-not ($frontEnd -or $director)) { continue }
        $machines = @()
        foreach ($machine in @($cluster.Machine)) {
            if ($machine -and $machine.Fqdn) { $machines += ([string]$machine.Fqdn).ToLowerInvariant() }
        }
        if ($machines.Count -eq 0) { $machines = @(([string]$cluster.Fqdn).ToLowerInvariant()) }
        New-Object -TypeName PSObject -Property @{ Fqdn = ([string]$cluster.Fqdn).ToLowerInvariant(); Machines = $machines }
    }
}

function Get-S2SHost {
    # The host of a URL, in lower case; nothing when the text is no absolute URL.
    param([string]$Url)
    if (-not $Url) { return }
    $text = $Url -replace '^[Vv]alue=', ''
    $uri = $null
    if ([uri]::TryCreate($text.Trim(), [UriKind]::Absolute, [ref]$uri) -and $uri.Host) {
        return $uri.Host.ToLowerInvariant()
    }
}

function Read-S2SExport {
    # Read back a CLIXML file of the bundle (written by this run or an earlier one).
    param([string]$Relative)
    $path = Join-Path -Path $bundle -ChildPath $Relative
    if (-not (Test-Path -LiteralPath $path)) { return }
    try {
        Import-Clixml -LiteralPath $path
    } catch {
        Write-S2SNote ('  {0} could not be read back: {1}' -f $Relative, $_.Exception.Message)
    }
}

New-Item -ItemType Directory -Force -Path $bundle | Out-Null
Write-S2SNote ('s2slint bundle: {0}' -f $bundle)
Write-S2SNote ('collected on {0} at {1}' -f $env:COMPUTERNAME, (Get-Date -Format 's'))

# Load the Skype for Business Server (or Lync Server) module and the SharePoint snap-in
# when they are installed here but not loaded (their own shells load them so).
if (-not (Test-S2SCommand -Name 'Get-CsTopology')) {
    foreach ($module in @('SkypeForBusiness', 'Lync')) {
        if (Get-Module -ListAvailable -Name $module) {
            Import-Module -Name $module -ErrorAction SilentlyContinue
            break
        }
    }
}
if (-not (Test-S2SCommand -Name 'Get-SPTrustedSecurityTokenIssuer')) {
    if (Get-PSSnapin -Registered -Name 'Microsoft.SharePoint.PowerShell' -ErrorAction SilentlyContinue) {
        Add-PSSnapin -Name 'Microsoft.SharePoint.PowerShell' -ErrorAction SilentlyContinue
    }
}
"""

_LYNC_OPEN = r"""
# ----------------------------------------------------------------------------------
# Skype for Business Server / Lync Server
# ----------------------------------------------------------------------------------
if (Test-S2SCommand -Name 'Get-CsTopology') {
    Write-S2SNote 'Skype for Business Server / Lync Server Management Shell:'
    $topologyXml = $null
    try {
        $topologyXml = (Get-CsTopology -AsXml -ErrorAction Stop).ToString()
        $path = Join-Path -Path (New-S2SFolder -Relative 'lync') -ChildPath 'topology.xml'
        $topologyXml | Out-File -FilePath $path -Encoding UTF8
        Write-S2SNote '  lync/topology.xml: Get-CsTopology -AsXml'
    } catch {
        Write-S2SNote ('  lync/topology.xml not written: Get-CsTopology failed: {0}' -f $_.Exception.Message)
    }
"""

_LYNC_SERVERS = r"""
    # Get-CsCertificate reads the certificates of the computer it runs on: run it on every
    # OAuth server, remotely, so that each object carries PSComputerName; the folder is
    # named after the server too.
    $certificateRead = {
        if (-not (Get-Command -Name 'Get-CsCertificate' -ErrorAction SilentlyContinue)) {
            foreach ($module in @('SkypeForBusiness', 'Lync')) {
                if (Get-Module -ListAvailable -Name $module) {
                    Import-Module -Name $module
                    break
                }
            }
        }
        Get-CsCertificate
    }
    $servers = @()
    if ($topologyXml) {
        foreach ($pool in @(Get-S2SOAuthPool -Topology $topologyXml)) { $servers += $pool.Machines }
    }
    $servers = @($servers | Sort-Object -Unique)
    if ($servers.Count -eq 0) {
        Write-S2SNote '  servers: no OAuth server found in the topology; nothing to collect'
    }
    $oauthIssuers = @{}
    foreach ($server in $servers) {
        try {
            $entries = @(Invoke-Command -ComputerName $server -ScriptBlock $certificateRead -ErrorAction Stop)
        } catch {
            $script:unreachable += $server
            Write-S2SNote ('  servers/{0}/certificates.xml not written: {0} could not be reached: {1}' -f $server, $_.Exception.Message)
            continue
        }
        if ($entries.Count -eq 0) {
            Write-S2SNote ('  servers/{0}/certificates.xml not written: Get-CsCertificate returned nothing' -f $server)
            continue
        }
        $path = Join-Path -Path (New-S2SFolder -Relative ('servers\' + $server)) -ChildPath 'certificates.xml'
        $entries | Export-Clixml -Path $path -Encoding UTF8
        Write-S2SNote ('  servers/{0}/certificates.xml: Get-CsCertificate ({1} certificates)' -f $server, $entries.Count)
        foreach ($entry in $entries) {
            $thumbprint = [string]$entry.Thumbprint
            if (([string]$entry.Use -eq 'OAuthTokenIssuer') -and $thumbprint -and -not $oauthIssuers.ContainsKey($thumbprint)) {
                $oauthIssuers[$thumbprint] = $server
            }
        }
    }

    # The OAuthTokenIssuer certificates: their RawData is the public certificate (DER),
    # never the private key.
    foreach ($thumbprint in @($oauthIssuers.Keys | Sort-Object)) {
        $server = $oauthIssuers[$thumbprint]
        try {
            $base64 = Invoke-Command -ComputerName $server -ArgumentList $thumbprint -ErrorAction Stop -ScriptBlock {
                param([string]$Thumbprint)
                $certificate = Get-Item -Path ('Cert:\LocalMachine\My\' + $Thumbprint) -ErrorAction Stop
                [Convert]::ToBase64String($certificate.RawData)
            }
            $name = 'oauth-token-issuer-{0}.cer' -f $thumbprint
            $path = Join-Path -Path (New-S2SFolder -Relative 'certs') -ChildPath $name
            [System.IO.File]::WriteAllBytes($path, [Convert]::FromBase64String([string]$base64))
            Write-S2SNote ('  certs/{0}: the OAuthTokenIssuer certificate from {1} (public part)' -f $name, $server)
        } catch {
            Write-S2SNote ('  certs: OAuthTokenIssuer certificate {0} not written: {1}' -f $thumbprint, $_.Exception.Message)
        }
    }
} else {
    Write-S2SNote 'Skype for Business Server / Lync Server: skipped (Get-CsTopology is not loaded here; run this script in the Skype for Business Server Management Shell too)'
}
"""

_EXCHANGE_OPEN = r"""
# ----------------------------------------------------------------------------------
# Exchange
# ----------------------------------------------------------------------------------
if (Test-S2SCommand -Name 'Get-AuthConfig') {
    Write-S2SNote 'Exchange Management Shell:'
"""

_EXCHANGE_SERVERS = r"""
    if (Test-S2SCommand -Name 'Get-ClientAccessService') {
        Save-S2SExport -Folder 'exchange' -Name 'client-access.xml' -Command 'Get-ClientAccessService' -Read { Get-ClientAccessService }
    } else {
        Save-S2SExport -Folder 'exchange' -Name 'client-access.xml' -Command 'Get-ClientAccessServer' -Read { Get-ClientAccessServer }
    }

    # Get-ExchangeCertificate of every Exchange server (Edge Transport servers aside):
    # the Auth certificate must be on each one.
    $exchangeServers = @()
    try {
        $exchangeServers = @(Get-ExchangeServer -ErrorAction Stop | Where-Object { [string]$_.ServerRole -notmatch 'Edge' })
    } catch {
        Write-S2SNote ('  exchange/servers not written: Get-ExchangeServer failed: {0}' -f $_.Exception.Message)
    }
    foreach ($exchangeServer in $exchangeServers) {
        $server = [string]$exchangeServer.Fqdn
        if (-not $server) { $server = [string]$exchangeServer.Name }
        $server = $server.ToLowerInvariant()
        try {
            $certificates = @(Get-ExchangeCertificate -Server $server -ErrorAction Stop)
        } catch {
            $script:unreachable += $server
            Write-S2SNote ('  exchange/servers/{0}/certificates.xml not written: {0} could not be reached: {1}' -f $server, $_.Exception.Message)
            continue
        }
        if ($certificates.Count -eq 0) {
            Write-S2SNote ('  exchange/servers/{0}/certificates.xml not written: Get-ExchangeCertificate returned nothing' -f $server)
            continue
        }
        # The Exchange Management Shell stamps every object with the server of its own
        # session: name the server whose certificates these are, as s2slint reads it.
        foreach ($certificate in $certificates) {
            Add-Member -InputObject $certificate -NotePropertyName 'PSComputerName' -NotePropertyValue $server -Force
        }
        $path = Join-Path -Path (New-S2SFolder -Relative ('exchange\servers\' + $server)) -ChildPath 'certificates.xml'
        $certificates | Export-Clixml -Path $path -Encoding UTF8
        Write-S2SNote ('  exchange/servers/{0}/certificates.xml: Get-ExchangeCertificate ({1} certificates)' -f $server, $certificates.Count)
    }
} else {
    Write-S2SNote 'Exchange: skipped (Get-AuthConfig is not loaded here; run this script in the Exchange Management Shell too)'
}
"""

_SHAREPOINT_OPEN = r"""
# ----------------------------------------------------------------------------------
# SharePoint Server
# ----------------------------------------------------------------------------------
if (Test-S2SCommand -Name 'Get-SPTrustedSecurityTokenIssuer') {
    Write-S2SNote 'SharePoint Management Shell:'
"""

_SHAREPOINT_CLOSE = r"""} else {
    Write-S2SNote 'SharePoint: skipped (Get-SPTrustedSecurityTokenIssuer is not loaded here; run this script in the SharePoint Management Shell too, if Lync is integrated with SharePoint)'
}
"""

_DNS = r"""
# ----------------------------------------------------------------------------------
# DNS: the zones that hold the names the exports use
# ----------------------------------------------------------------------------------
$dnsModule = Test-S2SCommand -Name 'Export-DnsServerZone'
$dnsTool = Test-S2SCommand -Name 'dnscmd.exe'
if ($dnsModule -or $dnsTool) {
    Write-S2SNote 'DNS server:'
    # The names: the autodiscover hosts (Lync's ExchangeAutodiscoverUrl, Exchange's
    # AutoDiscoverServiceInternalUri), the OAuth pools of the topology and the hosts of
    # Lync's partner application metadata URLs, read from the bundle.
    $names = @()
    foreach ($item in @(Read-S2SExport -Relative 'lync\oauth-configuration.xml')) {
        if ($item) { $names += Get-S2SHost -Url ([string]$item.ExchangeAutodiscoverUrl) }
    }
    foreach ($item in @(Read-S2SExport -Relative 'exchange\client-access.xml')) {
        if ($item) { $names += Get-S2SHost -Url ([string]$item.AutoDiscoverServiceInternalUri) }
    }
    foreach ($item in @(Read-S2SExport -Relative 'lync\partner-applications.xml')) {
        if ($item) {
            $names += Get-S2SHost -Url ([string]$item.MetadataUrl)
            $names += Get-S2SHost -Url ([string]$item.AuthToken)
        }
    }
    $topologyPath = Join-Path -Path $bundle -ChildPath 'lync\topology.xml'
    if (Test-Path -LiteralPath $topologyPath) {
        foreach ($pool in @(Get-S2SOAuthPool -Topology ([string](Get-Content -LiteralPath $topologyPath -Raw)))) {
            $names += $pool.Fqdn
        }
    }
    $names = @($names | Where-Object { $_ } | Sort-Object -Unique)

    $target = @{}
    if ($DnsServer) { $target['ComputerName'] = $DnsServer }
    $known = @()
    if ($dnsModule) {
        try {
            $known = @(Get-DnsServerZone @target -ErrorAction Stop | Where-Object { -not $_.IsReverseLookupZone } | ForEach-Object { ([string]$_.ZoneName).ToLowerInvariant() })
        } catch {
            Write-S2SNote ('  Get-DnsServerZone failed: {0} (name the DNS server with -DnsServer)' -f $_.Exception.Message)
        }
    } else {
        $server = $DnsServer
        if (-not $server) { $server = '.' }
        foreach ($line in @(dnscmd $server /EnumZones)) {
            if ([string]$line -match '^\s*(\S+)\s+(Primary|Secondary|Stub)\s') { $known += $Matches[1].ToLowerInvariant() }
        }
    }
    $zones = @()
    foreach ($name in $names) {
        $best = ''
        foreach ($candidate in $known) {
            if ((($name -eq $candidate) -or $name.EndsWith('.' + $candidate)) -and $candidate.Length -gt $best.Length) { $best = $candidate }
        }
        if ($best) { $zones += $best } else { Write-S2SNote ('  no zone of this DNS server holds {0}' -f $name) }
    }
    $zones = @(@($zones) + @($Zone | ForEach-Object { ([string]$_).ToLowerInvariant() }) | Where-Object { $_ } | Sort-Object -Unique)
    if ($zones.Count -eq 0) {
        Write-S2SNote '  no zone to export: run the other shells first (their exports name the hosts), or name zones with -Zone'
    }

    # Both tools write into the DNS server's own dns folder; the file is copied into the
    # bundle, then removed from there.
    if ($DnsServer) {
        $dnsFolder = '\\{0}\admin$\System32\dns' -f $DnsServer
    } else {
        $dnsFolder = Join-Path -Path $env:SystemRoot -ChildPath 'System32\dns'
    }
    foreach ($zoneName in $zones) {
        $file = 's2slint-{0}.dns' -f $zoneName
        $source = Join-Path -Path $dnsFolder -ChildPath $file
        Remove-Item -LiteralPath $source -ErrorAction SilentlyContinue
        try {
            if ($dnsModule) {
                Export-DnsServerZone -Name $zoneName -FileName $file @target -ErrorAction Stop
            } else {
                dnscmd $server /ZoneExport $zoneName $file | Out-Null
                if ($LASTEXITCODE -ne 0) { throw ('dnscmd /ZoneExport exited with {0}' -f $LASTEXITCODE) }
            }
            $destination = Join-Path -Path (New-S2SFolder -Relative 'dns') -ChildPath ($zoneName + '.dns')
            Copy-Item -LiteralPath $source -Destination $destination -Force -ErrorAction Stop
            Remove-Item -LiteralPath $source -ErrorAction SilentlyContinue
            Write-S2SNote ('  dns/{0}.dns: the zone {0}' -f $zoneName)
        } catch {
            Write-S2SNote ('  dns/{0}.dns not written: {1}' -f $zoneName, $_.Exception.Message)
        }
    }
} else {
    Write-S2SNote 'DNS: skipped (neither the DnsServer module nor dnscmd is here; run this script on a DNS server too, or where the DnsServer module is installed, with -DnsServer)'
}
"""

_TAIL = r"""
# ----------------------------------------------------------------------------------
# What was left out, and what to run next
# ----------------------------------------------------------------------------------
if ($script:unreachable.Count -gt 0) {
    Write-S2SNote ('Not reached: {0}. Run this script again when they answer, or export Get-CsCertificate / Get-ExchangeCertificate on each of them into the folder named after it.' -f (($script:unreachable | Sort-Object -Unique) -join ', '))
}
$log = Join-Path -Path $bundle -ChildPath 'collection-log.md'
Add-Content -LiteralPath $log -Value (@('', '## Export-S2SBundle.ps1', '') + @($script:notes | ForEach-Object { '    ' + $_ })) -Encoding UTF8
Write-Host -Object ''
Write-Host -Object 'When every shell has run this script, check the bundle where s2slint is installed:'
Write-Host -Object ('    s2slint check "{0}"' -f $bundle)
"""


def _simple_export(part: BundlePart, indent: str = "    ") -> str:
    """Return the `Save-S2SExport` line that writes one simple part."""
    command = part.source.split(" (")[0]
    return (
        f"{indent}Save-S2SExport -Folder '{part.folder}' -Name '{part.name}' "
        f"-Command '{command}' -Read {{ {command} }}\n"
    )


def _simple_exports(shell: str) -> str:
    """Return the `Save-S2SExport` lines of one shell's simple parts, in layout order."""
    return "".join(_simple_export(p) for p in LAYOUT if p.shell == shell and p.simple)


def collect_script() -> str:
    """Return the collector script (the same bytes for the same s2slint version)."""
    return "".join(
        (
            _HEAD,
            _LYNC_OPEN,
            _simple_exports("lync"),
            _LYNC_SERVERS,
            _EXCHANGE_OPEN,
            _simple_exports("exchange"),
            _EXCHANGE_SERVERS,
            _SHAREPOINT_OPEN,
            _simple_exports("sharepoint"),
            _SHAREPOINT_CLOSE,
            _DNS,
            _TAIL,
        )
    )
