"""Hand one file to the loader that claims it, containing whatever goes wrong.

Both the engine (for every file of the bundle) and the archive loader (for every
member of an archive) read files this way, so it lives with the loaders rather than in
the engine: a loader never has to call up into the engine to read what it contains.
"""

from __future__ import annotations

from collections.abc import Sequence

from s2slint.errors import debug_traceback
from s2slint.loaders.base import InputProblem, LoadContext, Loader, LoadResult, Source
from s2slint.loaders.text import is_blank


def load_file(source: Source, loaders: Sequence[Loader], context: LoadContext) -> LoadResult:
    """Find the loader that claims `source` and read it; contain any exception.

    Loaders are tried in the order given (the registry's: by priority). An empty file,
    and one no loader claims, is INP002; a loader that raises is INP005.
    """
    if is_blank(source.data):
        return LoadResult("", problems=(InputProblem("INP002", "empty file", source.location()),))
    for loader in loaders:
        try:
            claimed = loader.sniff(source)
        except Exception as error:  # a plugin's sniff must not stop the run
            return internal_error(source, f"loader {loader.kind} failed to sniff", error)
        if not claimed:
            continue
        try:
            return loader.load(source, context)
        except Exception as error:
            return internal_error(source, f"loader {loader.kind} failed", error)
    return LoadResult(
        "",
        problems=(
            InputProblem(
                "INP002",
                "file of no kind s2slint reads (not a topology, CLIXML export, certificate "
                "or zone file)",
                source.location(),
            ),
        ),
    )


def internal_error(source: Source, what: str, error: Exception) -> LoadResult:
    """Return the INP005 result of a loader that raised (its traceback on request)."""
    debug_traceback()
    return LoadResult(
        "",
        problems=(
            InputProblem("INP005", f"{what}: {type(error).__name__}: {error}", source.location()),
        ),
    )
