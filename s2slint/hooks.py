"""The pluggy markers of the `s2slint` project: the ground floor every plugin stands on.

A plugin package (built-in or third-party) needs only `hookimpl`; the host needs
`PROJECT` and the specs. Keeping the markers here, apart from the specs in
`hookspecs.py` (which name the loader, reporter and rule contracts), lets the
built-in plugin packages import a leaf instead of a module that imports them back.
"""

from __future__ import annotations

import pluggy

PROJECT = "s2slint"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

__all__ = ["PROJECT", "hookimpl", "hookspec"]
