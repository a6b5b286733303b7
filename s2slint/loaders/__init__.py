"""Built-in input kinds, registered through the same hook plugins use (`loaders.plugin`).

The loader modules (and lxml, cryptography, dnspython behind them) are imported only
when a file has to be sniffed or parsed: a run served from the cache imports none, nor
pluggy (the hook lives in `loaders.plugin`, which only the plugin host imports).
"""

from __future__ import annotations

from s2slint.lazy import LazyFunction
from s2slint.loaders.base import Loader

# kind, module, sniff function, load function, priority, description
_BUILTIN = (
    (
        "zip",
        "archive",
        "sniff_archive",
        "load_archive",
        5,
        "Export-CsConfiguration ZIP archive (read in memory)",
    ),
    (
        "clixml",
        "powershell",
        "sniff_clixml",
        "load_clixml",
        10,
        "PowerShell Export-Clixml of Get-Cs* and Exchange cmdlets",
    ),
    (
        "topology",
        "topology",
        "sniff_topology",
        "load_topology",
        20,
        "Get-CsTopology -AsXml or Topology Builder .tbxml",
    ),
    ("json", "psjson", "sniff_json", "load_json", 30, "cmdlet output saved with ConvertTo-Json"),
    ("csv", "pscsv", "sniff_csv", "load_csv", 40, "cmdlet output saved with Export-Csv"),
    (
        "certificate-pem",
        "certs",
        "sniff_pem",
        "load_pem",
        50,
        "PEM certificates, bundles and PKCS#7",
    ),
    (
        "certificate-binary",
        "certs",
        "sniff_binary",
        "load_binary",
        60,
        "DER certificate, PKCS#7 or PFX/PKCS#12",
    ),
    ("dns-zone", "zone", "sniff", "load", 80, "RFC 1035 zone file or dnscmd /ZoneExport"),
)
# Sniffs that live apart from their loader, in a module that imports no parser.
_SNIFF_MODULES = {
    "zip": "exportsniff",
    "json": "exportsniff",
    "csv": "exportsniff",
    "dns-zone": "zonesniff",
}


def builtin_loaders() -> list[Loader]:
    """Return the built-in loaders, each importing its module on first use."""
    loaders = []
    for kind, module, sniff, load, priority, description in _BUILTIN:
        path = f"s2slint.loaders.{module}"
        sniffer = f"s2slint.loaders.{_SNIFF_MODULES.get(kind, module)}"
        loaders.append(
            Loader(
                kind, LazyFunction(sniffer, sniff), LazyFunction(path, load), priority, description
            )
        )
    return loaders
