"""A run-cache hit served before the plugins are loaded.

Loading the plugins imports every rule module and pluggy: a third of what a run served
from the run cache imports, though such a run evaluates nothing. The run cache's key
names the rules (codes, names, severities, checks), so it cannot be worked out without
them. A replay key can: it names the installed code instead (`installed.builtin_identity`:
editing a rule changes it), together with what the rules' plan is made of (the
configuration and the selection) and everything else the run key holds (the request,
what could not be read, every file's cache key). After a run that used the run cache,
its replay key is stored pointing at its run key; the next identical run finds the
outcome through it and loads the plugins only if a reporter reads the rules.

It is used only where the run cache is, and only when no third-party plugin may be
installed (its code is not in the identity). A replay entry is authenticated like every
cache entry; a missing, damaged or planted one is a miss, and the run goes on as usual
with the files already read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from s2slint import cachefiles
from s2slint import limits as input_limits
from s2slint.cache import LoadCache, store_document
from s2slint.lazy import Lazy
from s2slint.results import RunResult
from s2slint.runcache import RunCache

from .loading import file_cache, keyed_run_cache, run_cache_allowed, served
from .request import Progress, RunRequest

if TYPE_CHECKING:
    from s2slint.loaders.base import Loader
    from s2slint.rule import Rule

    from .inputs import Bundle

FORMAT = 1
"""Of a replay entry: the run key it points at and the codes of every registered rule."""


@dataclass(frozen=True, slots=True)
class Replay:
    """The replay key of a run, with the caches it reads (see the module's docstring)."""

    files: LoadCache
    runs: RunCache
    key: str

    @property
    def path(self) -> Path:
        """Where this run's replay entry is kept (beside the run entries)."""
        return self.files.directory / "replays" / self.key

    @classmethod
    def open(
        cls, request: RunRequest, bundle: Bundle, loaders: Sequence[Loader], identity: str
    ) -> Replay | None:
        """Return the replay key of a run, or None where the run cache would not be used.

        The conditions are the run cache's (`loading.run_cache_allowed`).
        """
        if request.cache_dir is None or not run_cache_allowed(request, bundle):
            return None
        files = file_cache(request, bundle, loaders)
        if files.secret is None:
            return None
        settings = (
            f"replay-format={FORMAT}",
            identity,
            files.salt,
            repr(request.config),
            repr(request.selection),
            *request.fingerprint(),
            *bundle.fingerprint(),
        )
        return cls(files, *keyed_run_cache(request, files, bundle, settings))

    def recall(
        self,
        request: RunRequest,
        bundle: Bundle,
        loaders: Sequence[Loader],
        rules: Callable[[], Sequence[Rule]],
        progress: Progress,
    ) -> RunResult | None:
        """Return the stored outcome of an identical run, or None.

        `rules` loads the plugins' rules: called only if a reporter reads them. The
        model is rebuilt from the per-file cache only if a reporter asks for it.
        """
        entry = self._read()
        if entry is None:
            return None
        key, available = entry
        cached = self.runs.get(key, request.now)
        if cached is None:
            return None
        selected = set(cached.enabled)
        chosen = Lazy(lambda: tuple(r for r in rules() if r.code in selected))
        return served(cached, request, bundle, loaders, self.files, chosen, available, progress)

    def remember(self, key: str, available: tuple[str, ...]) -> None:
        """Point this replay key at the run key `key` (quietly skipping what fails)."""
        secret = self.files.secret
        if secret is None:
            return
        document = {"format": FORMAT, "run": key, "available": list(available)}
        store_document(self.path, secret, "replay", self.key, document, self.files.root)

    def _read(self) -> tuple[str, tuple[str, ...]] | None:
        """Return the run key and rule codes this replay key points at, if authentic."""
        secret = self.files.secret
        if secret is None:
            return None
        document = cachefiles.read_document(
            self.path, secret, "replay", self.key, input_limits.CACHE_MAX_ENTRY_BYTES, FORMAT
        )
        if document is None:
            return None
        key, available = document.get("run"), document.get("available")
        if not isinstance(key, str) or not isinstance(available, list):
            return None
        if not all(isinstance(code, str) for code in available):
            return None
        with suppress(OSError):
            os.utime(self.path)  # recently used: pruned last
        return key, tuple(available)
