"""A one-line progress indicator on a terminal's stderr, for runs that take a while.

Most runs finish in a fraction of a second and must print nothing extra (pre-commit
and CI logs stay clean); only a run on a terminal that is still going after `delay`
seconds shows what it is doing, on one line that is rewritten and then erased.
The clock is injectable so tests drive it without sleeping.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

FRAMES = "|/-\\"
CLEAR = "\r\033[2K"


class Progress:
    """Show the latest status after `delay` seconds; erase it when stopped."""

    def __init__(
        self,
        stream: TextIO,
        *,
        delay: float = 1.0,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._delay = delay
        self._interval = interval
        self._clock = clock
        self._start = clock()
        self._text = ""
        self._frame = 0
        self._shown = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def shown(self) -> bool:
        """Tell whether anything was written (the run took longer than the delay)."""
        return self._shown

    def update(self, text: str) -> None:
        """Record what the run is doing now (cheap: nothing is written here)."""
        self._text = text

    def tick(self) -> None:
        """Redraw the status line if the delay has passed (called by the thread)."""
        if self._clock() - self._start < self._delay or not self._text:
            return
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        frame = FRAMES[self._frame % len(FRAMES)]
        self._frame += 1
        line = f"s2slint {frame} {self._text}"[:width]
        with self._lock:
            self._stream.write(CLEAR + line)
            self._stream.flush()
            self._shown = True

    def start(self) -> Progress:
        """Start redrawing in a background thread; return self."""
        self._thread = threading.Thread(target=self._run, name="s2slint-progress", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.tick()

    def stop(self) -> None:
        """Stop redrawing and erase the status line, so reports start on a clean line."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self._shown:
                self._stream.write(CLEAR)
                self._stream.flush()

    def __enter__(self) -> Progress:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
