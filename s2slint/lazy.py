"""Functions imported on first call, so that building the registry stays cheap.

Every run builds the registry of rules, loaders and reporters, but most runs use one
reporter and, with a warm cache, no loader at all: importing all of them (and lxml,
cryptography, dnspython behind them) would cost every run what only some need. A
`LazyFunction` names its module and function as strings, so it is also picklable and
travels to `--jobs` worker processes.
"""

from __future__ import annotations

import importlib
from typing import Any


class LazyFunction:
    """A function of module `module` called `name`, imported when first called."""

    __slots__ = ("_function", "module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name
        self._function: Any = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._function is None:
            self._function = getattr(importlib.import_module(self.module), self.name)
        return self._function(*args, **kwargs)

    def __getstate__(self) -> tuple[str, str]:
        return (self.module, self.name)

    def __setstate__(self, state: tuple[str, str]) -> None:
        self.module, self.name = state
        self._function = None

    def __repr__(self) -> str:
        return f"LazyFunction({self.module}.{self.name})"
