"""Ctrl-C that always ends a run: a SIGINT remembered even when the KeyboardInterrupt is swallowed.

Python raises ``KeyboardInterrupt`` wherever the main thread happens to be. In
a weakref callback or a ``__del__`` it is printed as "Exception ignored" and
lost, and inside a library it can surface as another error (the reliability
review saw a run go on to exit 0, and a false "product failed" from GDAL). While
:func:`interrupt_guard` is active, a SIGINT also sets a flag; the runner calls
:func:`raise_if_interrupted` between products and treats any error raised after
a SIGINT as the interruption, so the run always ends as interrupted (exit 130,
nothing half written).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_interrupted = threading.Event()


def _handler(signum: int, frame: FrameType | None) -> None:
    _interrupted.set()
    raise KeyboardInterrupt


@contextmanager
def interrupt_guard() -> Iterator[None]:
    """Remember every SIGINT while the block runs (main thread only; elsewhere a no-op)."""
    _interrupted.clear()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.default_int_handler:  # someone else handles Ctrl-C (a test runner, a server)
        yield
        return
    signal.signal(signal.SIGINT, _handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def interrupted() -> bool:
    """Whether a SIGINT arrived since the guard started (even if its KeyboardInterrupt was swallowed)."""
    return _interrupted.is_set()


def raise_if_interrupted() -> None:
    """Raise KeyboardInterrupt when a SIGINT arrived, whatever became of the first one."""
    if _interrupted.is_set():
        raise KeyboardInterrupt
