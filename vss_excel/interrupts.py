"""Interruptions (Ctrl+C, SIGTERM, SIGHUP) held back over a few steps that must not be cut.

Python runs a signal's handler between any two bytecodes, also inside a fork's at-fork callbacks
(where the KeyboardInterrupt it raises is printed and lost) or between starting a process and
keeping its handle (which leaves the process running with nobody to stop it).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

# What ends a run: SIGTERM (a stop), SIGHUP (the terminal closed; POSIX only) and Ctrl+C, which
# Python already turns into KeyboardInterrupt.
STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
ENDING = (signal.SIGINT, *STOPPING)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """The interruptions wait until the block is done, then take effect as they would have.
    Python's handlers run in the main thread only: elsewhere nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[tuple[int, FrameType | None]] = []
    previous = {sig: signal.signal(sig, lambda sig, frame: caught.append((sig, frame))) for sig in ENDING}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig, frame in caught[:1]:  # the first is enough: it ends the run
            handler = previous[sig]
            if callable(handler):
                handler(sig, frame)  # KeyboardInterrupt, from Python's or the CLI's handler
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), sig)
