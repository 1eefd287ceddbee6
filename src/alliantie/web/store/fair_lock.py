"""A first-come, first-served lock for the writers of one server process.

``threading.Lock`` promises no order: under load (30 participants writing at once) a writer could wait
seconds while later ones pass it (measured with ``benchmarks/bench_workshop.py``: server-side p99 of sketch
writes 2.6 s with ``threading.Lock``). Here each waiter gets its own event and the lock is handed to the
longest-waiting one.
"""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType


class FairLock:
    """A lock handed over in the order it was asked for (a context manager, like ``threading.Lock``)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiters: deque[threading.Event] = deque()
        self._held = False

    def acquire(self) -> None:
        with self._guard:
            if not self._held and not self._waiters:
                self._held = True
                return
            turn = threading.Event()
            self._waiters.append(turn)
        turn.wait()  # the releasing writer hands the lock over: ``_held`` stays True

    def release(self) -> None:
        with self._guard:
            if not self._held:
                raise RuntimeError("release of a FairLock that is not held")
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._held = False

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.release()
