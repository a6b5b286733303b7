"""The hook that registers the built-in loaders (`s2slint.loaders.builtin_loaders`).

Apart from the package so that a run served from the cache, which names the loaders
but registers no plugin, does not import pluggy.
"""

from __future__ import annotations

from s2slint.hooks import hookimpl
from s2slint.loaders import builtin_loaders
from s2slint.loaders.base import Loader


@hookimpl
def s2slint_loaders() -> list[Loader]:
    """Provide the archive, CLIXML, topology, JSON, CSV, certificate and zone loaders."""
    return builtin_loaders()
