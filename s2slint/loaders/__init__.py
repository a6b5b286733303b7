"""Built-in input kinds, registered through the same hook plugins use."""

from __future__ import annotations

from s2slint.hookspecs import hookimpl
from s2slint.loaders.base import Loader


@hookimpl
def s2slint_loaders() -> list[Loader]:
    """Provide the archive, CLIXML, topology, JSON, CSV, certificate and zone loaders."""
    from s2slint.loaders import archive, certs, powershell, pscsv, psjson, topology, zone

    return [
        *archive.LOADERS,
        *powershell.LOADERS,
        *topology.LOADERS,
        *psjson.LOADERS,
        *pscsv.LOADERS,
        *certs.LOADERS,
        *zone.LOADERS,
    ]
