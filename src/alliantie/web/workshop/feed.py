"""The move feed: events of the changes other server processes wrote, read from the store's move log.

Two server processes on one database (``uvicorn --workers 2``, or two ``alliantie serve`` on one PostgreSQL
server) each have their own :class:`~alliantie.web.workshop.events.EventBus`. Every change of a workshop is a
row of the move log, committed with the change, with an increasing id; so the log is the channel between them,
on SQLite and on PostgreSQL alike. While a stream is open in this process, a thread asks the store every
:data:`POLL_S` for the moves after the last one it saw (one query on the primary key) and publishes those not
yet delivered here; the writer's own process has published them already, right after the commit, so within a
process nothing waits for the poll. A move of another process also schedules this process's live indicators
of that workshop.

The same reading answers a reconnecting browser: :meth:`MoveFeed.since` gives the events after the
``Last-Event-ID`` it sends back.

PostgreSQL hands out ids when a row is inserted, not when it is committed, so a move may become visible after
a higher one: an id skipped in a poll is asked for again in the following polls for :data:`GAP_S` (a rolled-back
transaction leaves a gap for good).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from alliantie.web.store.database import Store
from alliantie.web.store.models import Move, Sketch
from alliantie.web.workshop.events import Event, EventBus
from alliantie.web.workshop.features import sketch_feature

log = logging.getLogger(__name__)

#: How often the feed reads the log while a stream is open, s (an event of another process arrives within it).
POLL_S = 0.25
#: How long an id skipped by a poll is looked for again, s.
GAP_S = 5.0
#: Moves read per poll, and replayed to a reconnecting stream at most (more: the browser reloads anyway).
BATCH = 1000

#: (workshop id, event kind, data, move id)
FeedEvent = tuple[str, str, dict[str, Any], int]


def sketch_action(move: Move) -> str:
    """The ``action`` of the sketch event of ``move``: created, updated or deleted."""
    if move.action == "create":
        return "created"
    if move.action == "delete":
        return "deleted"
    after, before = move.after or {}, move.before or {}
    if move.action == "undo" and after.get("deleted"):
        return "deleted"
    if move.action == "undo" and before.get("deleted"):
        return "created"
    return "updated"


def move_events(s: Session, moves: Sequence[Move]) -> list[FeedEvent]:
    """The events the writers published of ``moves`` (in their order): a sketch with the state the move left
    (its author and times from the store), a synthesis, a participant who joined."""
    sketch_ids = {m.target_id for m in moves if m.target_kind == "sketch"}
    sketches = {k.id: k for k in s.scalars(select(Sketch).options(selectinload(Sketch.author))
                                           .where(Sketch.id.in_(sketch_ids)))} if sketch_ids else {}
    events: list[FeedEvent] = []
    for move in moves:
        after = move.after or {}
        if move.target_kind == "sketch":
            sketch = sketches.get(move.target_id)
            if sketch is None:
                continue
            feature = sketch_feature(sketch)
            if "geometry" in after:
                feature["geometry"] = after["geometry"]
            for name in ("measure", "level", "comment", "width_m", "count"):
                if name in after:
                    feature["properties"][name] = after[name]
            events.append((move.workshop_id, "sketch", {"action": sketch_action(move), "feature": feature},
                           move.id))
        elif move.target_kind == "synthesis":
            action = "created" if move.action == "create" else "updated"
            events.append((move.workshop_id, "synthesis", {"action": action, "synthesis": after}, move.id))
        elif move.target_kind == "participant" and move.action == "join":
            events.append((move.workshop_id, "participant", after, move.id))
    return events


class MoveFeed:
    def __init__(self, store: Store, bus: EventBus, on_remote: Callable[[str], None] = lambda _w: None,
                 poll_s: float = POLL_S) -> None:
        self.store = store
        self.bus = bus
        self.on_remote = on_remote
        self.poll_s = poll_s
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None
        self._last: int | None = None  # the highest move id seen; None: not polling
        self._gaps: dict[int, float] = {}  # skipped id -> until when it is looked for

    # -- the thread -------------------------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="move-feed", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._closed.set()
        self.bus.listening.set()  # wakes the thread
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _loop(self) -> None:
        while not self._closed.is_set():
            if not self.bus.listening.is_set():
                self._last = None  # nobody listens: stop reading; start again from the newest move
                self._gaps.clear()
                self.bus.listening.wait()
                continue
            try:
                self.poll()
            except SQLAlchemyError as exc:  # the database is away for a moment: try again at the next poll
                log.warning("move feed: %s", exc)
            self._closed.wait(self.poll_s)

    # -- reading ----------------------------------------------------------------------------------------------------

    def poll(self) -> int:
        """Publish the moves written since the last poll that this process has not delivered; the number."""
        with self.store.sessions() as s:
            if self._last is None:
                self._last = s.scalar(select(func.max(Move.id))) or 0
                return 0
            since = self._last
            now = time.monotonic()
            self._gaps = {i: until for i, until in self._gaps.items() if until > now}
            where = Move.id > since if not self._gaps else or_(Move.id > since, Move.id.in_(list(self._gaps)))
            rows = s.execute(select(Move.id, Move.workshop_id).where(where).order_by(Move.id).limit(BATCH)).all()
            ids = [r.id for r in rows]
            for i in ids:
                self._gaps.pop(i, None)
            newer = [i for i in ids if i > since]
            previous = since
            for i in newer:
                self._gaps.update({gap: now + GAP_S for gap in range(previous + 1, min(i, previous + 101))})
                previous = i
            if newer:
                self._last = newer[-1]
            fresh = [(r.id, r.workshop_id) for r in rows if not self.bus.delivered(r.id)]
            if not fresh:
                return 0
            watched = self.bus.workshops()
            wanted = [i for i, w in fresh if w in watched]
            if wanted:
                moves = s.scalars(select(Move).where(Move.id.in_(wanted)).order_by(Move.id)).all()
                self._publish(move_events(s, moves))
        for workshop_id in dict.fromkeys(w for _, w in fresh):
            self.on_remote(workshop_id)
        return len(fresh)

    def since(self, workshop_id: str, move_id: int) -> list[Event]:
        """The events of the workshop's moves after ``move_id`` (at most :data:`BATCH`), for a reconnection."""
        with self.store.sessions() as s:
            moves = s.scalars(select(Move).where(Move.workshop_id == workshop_id, Move.id > move_id)
                              .order_by(Move.id).limit(BATCH)).all()
            return [Event.of(kind, data, i) for _, kind, data, i in move_events(s, moves)]

    def _publish(self, events: Iterable[FeedEvent]) -> None:
        for workshop_id, kind, data, move_id in events:
            self.bus.publish(workshop_id, kind, data, move_id)
