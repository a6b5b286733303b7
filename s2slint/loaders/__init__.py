"""Built-in input kinds, registered through the same hook plugins use."""

from __future__ import annotations

from s2slint.hookspecs import hookimpl
from s2slint.loaders.base import Loader


@hookimpl
def s2slint_loaders() -> list[Loader]:
    """Provide CLIXML, topology, certificate and DNS zone loaders."""
    from s2slint.loaders import certs, powershell, topology, zone

    return [*powershell.LOADERS, *topology.LOADERS, *certs.LOADERS, *zone.LOADERS]
