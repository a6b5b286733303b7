"""The data files shipped inside the s2slint package (schemas, control mappings).

Read through the package's own loader: `importlib.resources` would do the same but
imports zipfile, tempfile and threading on the way, more than a pre-commit run spends
on reading its configuration.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["shipped_text"]


def shipped_text(name: str) -> str:
    """Return the text (UTF-8) of the data file `name` shipped in the `s2slint` package.

    This module lives in that package, so its own folder and loader are the package's.
    """
    loader = __spec__.loader if __spec__ is not None else None
    folder = os.path.dirname(__file__)
    if loader is not None and hasattr(loader, "get_data"):
        return bytes(loader.get_data(os.path.join(folder, name))).decode("utf-8")
    return Path(folder, name).read_text(encoding="utf-8")  # pragma: no cover
