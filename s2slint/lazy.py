"""Functions imported on first call, and values computed on first use.

Every run builds the registry of rules, loaders and reporters, but most runs use one
reporter and, with a warm cache, no loader at all: importing all of them (and lxml,
cryptography, dnspython behind them) would cost every run what only some need. A
`LazyFunction` names its module and function as strings, so it is also picklable and
travels to `--jobs` worker processes. A `Lazy` value is computed at most once, when
first asked for (the model of a run served from the run cache, built only if a report
needs it).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


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


class Lazy(Generic[T]):
    """A value computed by `factory` on first `get()`, then kept.

    Unlike a captured list filled in later, the state is explicit: either the factory
    is still pending or the value is there, and `Lazy.ready` makes one that is.
    """

    __slots__ = ("_factory", "_value")

    _PENDING: Any = object()

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory: Callable[[], T] | None = factory
        self._value: T = Lazy._PENDING

    @classmethod
    def ready(cls, value: T) -> Lazy[T]:
        """Return a lazy value that is already computed."""
        lazy: Lazy[T] = cls(lambda: value)
        lazy._value = value
        lazy._factory = None
        return lazy

    @property
    def computed(self) -> bool:
        """Whether the value exists yet (asking for it would not run the factory)."""
        return self._factory is None

    def get(self) -> T:
        """Return the value, computing it on the first call."""
        if self._factory is not None:
            self._value = self._factory()
            self._factory = None
        return self._value

    def __repr__(self) -> str:
        return f"Lazy({self._value!r})" if self.computed else "Lazy(<pending>)"
