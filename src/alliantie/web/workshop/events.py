"""An in-process event bus: changes of a workshop pushed to its open server-sent-event streams.

Writers run in worker threads (the routes are synchronous); each subscriber is an :class:`asyncio.Queue` on
the server's event loop, filled through ``call_soon_threadsafe``. A slow subscriber whose queue is full loses
its oldest events rather than holding up the writers (the browser reloads the sketches on reconnection).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

#: Events kept per subscriber before the oldest are dropped.
QUEUE_SIZE = 1000


@dataclass(frozen=True)
class Event:
    kind: str  # sketch | synthesis | participant | indicators
    data: dict[str, Any]


@dataclass(eq=False)
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Event]

    def put(self, event: Event) -> None:
        if self.queue.full():
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
        self.queue.put_nowait(event)


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[_Subscriber]] = {}

    def publish(self, workshop_id: str, kind: str, data: dict[str, Any]) -> None:
        """Send an event to every open stream of the workshop; callable from any thread."""
        event = Event(kind, data)
        with self._lock:
            subscribers = list(self._subscribers.get(workshop_id, ()))
        for sub in subscribers:
            with contextlib.suppress(RuntimeError):  # the loop has closed (server stopping)
                sub.loop.call_soon_threadsafe(sub.put, event)

    def count(self, workshop_id: str) -> int:
        with self._lock:
            return len(self._subscribers.get(workshop_id, ()))

    @asynccontextmanager
    async def subscribe(self, workshop_id: str) -> AsyncIterator[asyncio.Queue[Event]]:
        sub = _Subscriber(asyncio.get_running_loop(), asyncio.Queue(QUEUE_SIZE))
        with self._lock:
            self._subscribers.setdefault(workshop_id, set()).add(sub)
        try:
            yield sub.queue
        finally:
            with self._lock:
                subs = self._subscribers.get(workshop_id, set())
                subs.discard(sub)
                if not subs:
                    self._subscribers.pop(workshop_id, None)
