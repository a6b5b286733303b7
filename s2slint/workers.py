"""Worker processes of `--jobs` end with the process that started them.

The pool's workers wait for work on a pipe that every process of the pool holds open,
so when the parent is killed (a CI job cancelled, a terminal closed, `kill -9`) no
worker ever sees the pipe close: they lived on forever, each holding its share of the
bundle in memory. Each worker therefore asks Linux to kill it when its parent dies
(`PR_SET_PDEATHSIG`), and elsewhere watches its parent from a thread.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent"]

PR_SET_PDEATHSIG = 1
"""prctl(2) option: the signal this process gets when its parent thread ends."""
POLL_SECONDS = 0.5
"""How often a worker without `PR_SET_PDEATHSIG` checks that its parent is alive."""


def die_with_parent(parent: int) -> None:
    """Make this worker end when `parent` does (the pool's initializer).

    If the parent died already, before the request took effect, the worker ends now.
    """
    if not _ask_the_kernel():
        threading.Thread(target=_watch, args=(parent,), name="s2slint-parent", daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _ask_the_kernel() -> bool:
    """Ask Linux for SIGKILL when the parent dies; tell whether it was granted."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    """End this process as soon as its parent is no longer `parent` (it was re-parented)."""
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)
