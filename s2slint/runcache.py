"""The outcome of a whole run, reused when nothing that decides it has changed.

s2slint's rules join files (the same certificate on every Front End, a partner
application against the Exchange side), so a per-file cache alone still leaves every
repeated run decoding every record and running every rule. Most repeated runs (a
pre-commit hook, a CI job on an unchanged bundle) change nothing at all. This cache
keys the run's findings, coverage, file list and suppressed findings on everything
that decides them: the tool version, the rules and loaders, the configuration, the
selection, the evaluation date, the baseline, and the path and content of every file.

It is never used when the run depends on something the key cannot see: live DNS
answers, or a PFX password (the password must not become key material on disk).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from s2slint.codec import Codec, Unsupported
from s2slint.findings import Finding, Issue, Location, Severity, Suppressed
from s2slint.model import InputFile
from s2slint.rule import Evaluated, NotApplicable, NotEvaluated, Outcome

FORMAT = 2


@dataclass(frozen=True, slots=True)
class CachedRun:
    """What a run produced, apart from the model (rebuilt on demand from the file cache)."""

    findings: tuple[Finding, ...]
    coverage: tuple[tuple[str, Outcome], ...]
    files: tuple[InputFile, ...]
    enabled: tuple[str, ...]
    suppressed: tuple[Suppressed, ...]


_CODEC = Codec(
    (
        CachedRun,
        Finding,
        Issue,
        Location,
        Severity,
        InputFile,
        Evaluated,
        NotEvaluated,
        NotApplicable,
        Suppressed,
    )
)


def run_key(settings: Iterable[str], file_keys: Iterable[str]) -> str:
    """Return the key of a run from its settings and the cache keys of its files.

    `settings` are texts that decide the outcome (version, rules, configuration, ...),
    each written in full; a file's cache key covers its path, folders and content.
    """
    digest = hashlib.sha256(f"run-format={FORMAT}\0".encode())
    for text in (*settings, *file_keys):
        digest.update(text.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


class RunCache:
    """A folder of run outcomes, one file per run key (next to the per-file entries)."""

    def __init__(self, directory: Path, root: Path) -> None:
        """Keep entries in `directory`/runs; `root` is the cache folder the user named."""
        self.directory = directory / "runs"
        self.root = root

    def get(self, key: str) -> CachedRun | None:
        """Return the cached outcome for `key`; anything unreadable is a miss."""
        try:
            document = json.loads((self.directory / key).read_text(encoding="utf-8"))
            if document.get("format") != FORMAT:
                return None
            run = _CODEC.decode(document["run"])
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return run if isinstance(run, CachedRun) else None

    def put(self, key: str, run: CachedRun) -> None:
        """Store an outcome (quietly skipping one the format cannot hold)."""
        try:
            text = json.dumps({"format": FORMAT, "run": _CODEC.encode(run)}, separators=(",", ":"))
        except Unsupported:
            return
        from s2slint.cache import write_atomically

        write_atomically(self.directory / key, text, self.root)
