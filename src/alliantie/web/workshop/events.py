"""The event bus of one server process: changes of a workshop pushed to its open server-sent-event streams.

Writers run in worker threads (the routes are synchronous); each subscriber is an :class:`asyncio.Queue` on
the server's event loop, filled through ``call_soon_threadsafe``. A slow subscriber whose queue is full loses
its oldest events rather than holding up the writers (the browser reloads the sketches on reconnection).

An event of a change in the move log carries the move's id (the SSE ``id``). It reaches the bus twice at most:
from the writer of this process right after its commit, and from the move feed
(:mod:`alliantie.web.workshop.feed`), which reads the moves other server processes wrote; the bus delivers
each id once, whichever comes first.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import math
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

#: Events kept per subscriber before the oldest are dropped.
QUEUE_SIZE = 1000
#: Move ids remembered as delivered (the feed reads only moves newer than its last poll, seconds ago).
DELIVERED_KEPT = 10_000


@dataclass(frozen=True)
class Event:
    kind: str  # sketch | synthesis | participant | indicators
    data: dict[str, Any]
    #: ``data`` as JSON, serialised once for every stream (30 streams of a large indicators event would
    #: otherwise each encode it again on the event loop)
    text: str = ""
    #: the id of the move the event tells of (the SSE ``id``, which a reconnecting browser sends back as
    #: ``Last-Event-ID``); None for events outside the log (indicators)
    id: int | None = None

    @classmethod
    def of(cls, kind: str, data: dict[str, Any], move_id: int | None = None) -> Event:
        return cls(kind, data, _json(data), move_id)

    @functools.cached_property
    def wire(self) -> bytes:
        """The event as the bytes of a server-sent event (``event:``, ``id:``, ``data:``, a blank line), made
        once for all the streams that send it."""
        return sse_bytes(self.kind, self.text, self.id)


def sse_bytes(kind: str, text: str, move_id: int | None = None, retry_ms: int | None = None) -> bytes:
    """One server-sent event; ``text`` over several lines becomes several ``data:`` lines (the browser joins
    them with line breaks), so no line of it can end the event early or pass for another field."""
    head = f"event: {kind}\n"
    if move_id is not None:
        head += f"id: {move_id}\n"
    if retry_ms is not None:
        head += f"retry: {retry_ms}\n"
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return (head + "".join(f"data: {line}\n" for line in lines) + "\n").encode()


@dataclass(eq=False)
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Event]

    def put(self, event: Event) -> None:
        if self.queue.full():
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
        self.queue.put_nowait(event)


def _fan_out(subscribers: list[_Subscriber], event: Event) -> None:
    for sub in subscribers:
        sub.put(event)


def _json(data: Any) -> str:
    """Compact JSON; a non-finite number (NaN, inf) becomes null, as FastAPI renders it in a response."""
    try:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=str)
    except ValueError:
        return _json(_finite(data))


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[_Subscriber]] = {}
        self._delivered: OrderedDict[int, None] = OrderedDict()
        #: set while at least one stream is open (the move feed polls only then)
        self.listening = threading.Event()

    def publish(self, workshop_id: str, kind: str, data: dict[str, Any], move_id: int | None = None) -> None:
        """Send an event to every open stream of the workshop; callable from any thread. An event of move
        ``move_id`` is sent once: a second publication of the same move is ignored."""
        with self._lock:
            if move_id is not None:
                if move_id in self._delivered:
                    return
                self._delivered[move_id] = None
                if len(self._delivered) > DELIVERED_KEPT:
                    self._delivered.popitem(last=False)
            subscribers = list(self._subscribers.get(workshop_id, ()))
        if not subscribers:
            return
        event = Event.of(kind, data, move_id)
        by_loop: dict[asyncio.AbstractEventLoop, list[_Subscriber]] = {}
        for sub in subscribers:
            by_loop.setdefault(sub.loop, []).append(sub)
        # one hand-over per event loop, not one per stream: each wakes the loop (a write to its self-pipe,
        # which lets go of the GIL), and under load each such hand-over waits for the GIL again (measured with
        # the workshop benchmark: the publish phase of a sketch write, 30 streams, with the indicators' scheduler
        # thread of the same commit, p95 from 144 to 0.4 ms)
        for loop, subs in by_loop.items():
            with contextlib.suppress(RuntimeError):  # the loop has closed (server stopping)
                loop.call_soon_threadsafe(_fan_out, subs, event)

    def delivered(self, move_id: int) -> bool:
        with self._lock:
            return move_id in self._delivered

    def count(self, workshop_id: str) -> int:
        with self._lock:
            return len(self._subscribers.get(workshop_id, ()))

    def workshops(self) -> set[str]:
        """The workshops with an open stream in this process."""
        with self._lock:
            return set(self._subscribers)

    @asynccontextmanager
    async def subscribe(self, workshop_id: str) -> AsyncIterator[asyncio.Queue[Event]]:
        sub = _Subscriber(asyncio.get_running_loop(), asyncio.Queue(QUEUE_SIZE))
        with self._lock:
            self._subscribers.setdefault(workshop_id, set()).add(sub)
            self.listening.set()
        try:
            yield sub.queue
        finally:
            with self._lock:
                subs = self._subscribers.get(workshop_id, set())
                subs.discard(sub)
                if not subs:
                    self._subscribers.pop(workshop_id, None)
                if not self._subscribers:
                    self.listening.clear()
