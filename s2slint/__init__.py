"""s2slint: lint Lync / Skype for Business server-to-server authentication exports.

Plugins import `hookimpl` from here and the types they need from `s2slint.rule`,
`s2slint.model` and `s2slint.findings`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from s2slint.hooks import hookimpl as hookimpl

__all__ = ["__version__", "hookimpl"]


def __getattr__(name: str) -> Any:
    """Import pluggy only when a plugin asks for `hookimpl`."""
    if name == "hookimpl":
        from s2slint.hooks import hookimpl

        return hookimpl
    raise AttributeError(name)
