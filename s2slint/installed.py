"""What is installed, told without importing it: plugins that may be declared, and the built-in code.

Both answers are needed before anything heavy is imported: whether `importlib.metadata`
(and the email parser behind it) must be imported to look for third-party plugins, and
whether a run served from the run cache may skip loading the plugins at all (see
`s2slint.engine.replay`), which it may only when the code that would decide the run is
known by its identity.
"""

from __future__ import annotations

import hashlib
import os
import sys
from importlib.machinery import PathFinder
from importlib.util import find_spec

ENTRY_POINT_GROUP = "s2slint"
BUILTIN_PACKAGES = ("s2slint", "s2slint.rules")
"""The packages whose files make up the built-in plugins (the rules install as `s2slint.rules`)."""


def builtin_identity(version: str) -> str | None:
    """Return a digest of the installed built-in code, or None when a plugin may add to it.

    It covers s2slint's version (passed in), the interpreter, and the path, size and
    modification time of every file of s2slint and its built-in rules (modules, schemas,
    control mappings): editing a rule, a loader or a reporter changes it, as
    reinstalling does. Reading them is a few hundred `stat` calls, far less than
    importing the rule modules whose identity it stands for. A third-party plugin's code is not covered: with one that
    may be installed the answer is None and the plugins are loaded as usual.
    """
    if may_declare_plugins():
        return None
    digest = hashlib.sha256(f"{version}\0{sys.version}\0".encode())
    for package in BUILTIN_PACKAGES:
        spec = find_spec(package)
        folders = spec.submodule_search_locations if spec is not None else None
        if not folders:
            return None
        for folder in sorted(folders):
            digest.update(f"{package}={folder}\0".encode("utf-8", "surrogateescape"))
            for line in _files(folder):
                digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _files(folder: str) -> list[str]:
    """Return a line per file under `folder` (bytecode caches left out), in a stable order."""
    lines = []
    for here, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(names):
            path = os.path.join(here, name)
            try:
                status = os.stat(path)
            except OSError:
                status = None
            shape = f"{status.st_size}:{status.st_mtime_ns}" if status is not None else "?"
            lines.append(f"{os.path.relpath(path, folder)}\0{shape}\0")
    return lines


def may_declare_plugins() -> bool:
    """Tell, without importing `importlib.metadata`, whether it may find an `s2slint` plugin.

    The distributions it would read are looked for the way its path finder does: the
    `*.dist-info` and `*.egg-info` folders (and an `.egg`'s `EGG-INFO`) of every
    `sys.path` folder, whose `entry_points.txt` must have an `[s2slint]` section. The
    answer errs towards yes, leaving the decision to `importlib.metadata`, whenever this
    scan could miss something: it is loaded already (a plugin or a library imported it),
    another finder provides distributions, a path entry is a file (a zip) or cannot be
    listed, or an `entry_points.txt` cannot be read.
    """
    if "importlib.metadata" in sys.modules:
        return True
    if any(
        finder is not PathFinder and hasattr(finder, "find_distributions")
        for finder in sys.meta_path
    ):
        return True
    for entry in sys.path:
        if not isinstance(entry, str):
            return True
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except OSError:
            if os.path.exists(folder):
                return True
            continue
        egg = os.path.basename(entry).lower().endswith(".egg")
        for name in names:
            low = name.lower()
            if (low.endswith((".dist-info", ".egg-info")) or (egg and low == "egg-info")) and (
                _declares_group(os.path.join(folder, name, "entry_points.txt"))
            ):
                return True
    return False


def _declares_group(path: str) -> bool:
    """Tell whether an `entry_points.txt` may have an `[s2slint]` section (errs towards yes)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return False  # importlib.metadata finds no entry points there either
    except OSError:
        return True
    if ENTRY_POINT_GROUP.encode() not in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    # Sections as importlib.metadata reads them: a stripped line within brackets.
    return any(
        line.startswith("[") and line.endswith("]") and line.strip("[]") == ENTRY_POINT_GROUP
        for line in map(str.strip, text.splitlines())
    )
