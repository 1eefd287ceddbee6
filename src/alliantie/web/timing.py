"""Phases of a request for its ``Server-Timing`` header: ``app`` (the whole, until the answer starts) and the
phases a route marks with :func:`phase` (e.g. a sketch write: ``queue``, ``check``, ``lock``, ``write``,
``commit``, ``publish``).

The middleware (:class:`alliantie.web.app.ServerTiming`) gives every request a list through a context
variable; a synchronous route runs in a worker thread with a copy of the context, which holds the same list.
``queue`` is the time from the request's arrival to its first phase (reading the body, validating it, waiting
for a worker thread).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class Timings:
    started: float = field(default_factory=time.perf_counter)
    phases: list[tuple[str, float, float]] = field(default_factory=list)  # name, start, end (perf_counter)

    def header(self, until: float) -> str:
        parts = [f"app;dur={(until - self.started) * 1000.0:.1f}"]
        if self.phases:
            parts.append(f"queue;dur={(self.phases[0][1] - self.started) * 1000.0:.1f}")
        parts.extend(f"{name};dur={(end - start) * 1000.0:.1f}" for name, start, end in self.phases)
        return ", ".join(parts)


_current: ContextVar[Timings | None] = ContextVar("server_timing", default=None)


def begin() -> Timings:
    """The timings of the request now starting (in this context)."""
    timings = Timings()
    _current.set(timings)
    return timings


def record(name: str, start: float, end: float) -> None:
    """Note phase ``name`` from ``start`` to ``end`` (``time.perf_counter``) of the current request."""
    timings = _current.get()
    if timings is not None:
        timings.phases.append((name, start, end))


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Time the block as phase ``name`` of the current request (nothing outside a request)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        record(name, start, time.perf_counter())
