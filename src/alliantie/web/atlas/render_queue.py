"""Tiles not yet rendered: rendered on a small pool of their own, each tile once however many ask for it.

Participants of a workshop look at the same three extents, so at the start of a workshop (and after a
re-run) many ask for the same new tiles at the same moment. Rendered in the shared worker threads of the
synchronous routes, each request rendered its own copy: measured with ``benchmarks/bench_workshop.py``
(30 participants, first seconds of a fresh server), dozens of renders of the same tiles at once held both
cores and the interpreter for seconds, the event loop woke a few times a second and the event streams stood
still (the cold minute's event p99 of 3.5 s, ``docs/web.md``). Here a tile being rendered is rendered once;
the others who ask for it wait for that render. Renders run on :data:`RENDER_THREADS` threads of their own,
so a burst of new tiles queues there and neither takes every core nor the threads that sketch writes use.

All bookkeeping happens on the event loop (one thread), so the table of renders under way needs no lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

#: Threads that render tiles (rendering is mostly GDAL's warping and numpy, which let go of the interpreter;
#: two keep a 2-core laptop's second core for the rest; our estimate, see docs/web.md).
RENDER_THREADS = 2


class RenderQueue:
    """Renders ``bytes`` answers off the event loop, once per key while a render of that key is under way."""

    def __init__(self, threads: int = RENDER_THREADS) -> None:
        if threads < 1:
            raise ValueError(f"a render queue needs at least one thread, got {threads}")
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="tile-render")
        self._running: dict[Hashable, asyncio.Future[bytes]] = {}
        self.renders = 0  # renders started (for tests and the benchmark's explanation)
        self.joined = 0  # requests that waited for a render another request had started

    async def render(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """``make()`` run on the pool; a request for a ``key`` under way waits for that render's result."""
        running = self._running.get(key)
        if running is not None:
            self.joined += 1
            return await asyncio.shield(running)  # one waiter's cancellation must not cancel the others' render
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, make)
        self._running[key] = future
        self.renders += 1
        future.add_done_callback(lambda done: self._finished(key, done))
        return await asyncio.shield(future)

    def _finished(self, key: Hashable, done: asyncio.Future[bytes]) -> None:
        self._running.pop(key, None)
        if not done.cancelled():
            done.exception()  # seen here, so an error nobody waits for any more is not logged as unretrieved

    def close(self) -> None:
        """Stop taking renders; those under way finish."""
        self._pool.shutdown(wait=False, cancel_futures=True)
