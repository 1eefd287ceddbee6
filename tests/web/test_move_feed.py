"""The move feed: moves another server process wrote reach this process's streams once, in order, also when a
lower id becomes visible after a higher one (PostgreSQL hands out ids before the commit)."""

from __future__ import annotations

import asyncio

from alliantie.web.store.database import open_store
from alliantie.web.store.models import Move, Participant, Workshop
from alliantie.web.workshop.events import EventBus
from alliantie.web.workshop.feed import MoveFeed, sketch_action


def _move(i: int, workshop: str = "w1") -> Move:
    return Move(id=i, workshop_id=workshop, participant_id="p1", action="join", target_kind="participant",
                target_id="p1", before=None, after={"id": "p1", "n": i})


def test_the_feed_delivers_late_moves_once_and_only_of_watched_workshops(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite'}")
    with store.sessions.begin() as s:
        for w in ("w1", "w2"):
            s.add(Workshop(id=w, title=w, join_code=f"code{w}", language="nl"))
        s.add(Participant(id="p1", workshop_id="w1", name="P", organisation="", discipline="other",
                          role="participant", token_hash="h" * 64))
    bus = EventBus()
    remote: list[str] = []
    feed = MoveFeed(store, bus, on_remote=remote.append)

    async def scenario() -> list[int | None]:
        async with bus.subscribe("w1") as queue:
            assert feed.poll() == 0  # the first poll only notes where the log is
            with store.sessions.begin() as s:
                s.add_all([_move(1), _move(3), _move(4, "w2")])
            bus.publish("w1", "participant", {"id": "p1"}, 3)  # move 3 was this process's own: delivered
            assert feed.poll() == 2  # 1 and 4 (of a workshop nobody here watches: no event, but indicators)
            with store.sessions.begin() as s:
                s.add(_move(2))  # committed late, below the highest id seen
            assert feed.poll() == 1
            assert feed.poll() == 0  # nothing twice
            await asyncio.sleep(0.01)  # the events are handed to the loop (call_soon_threadsafe)
            got = []
            while not queue.empty():
                got.append(queue.get_nowait().id)
            return got

    assert asyncio.run(scenario()) == [3, 1, 2]
    assert remote == ["w1", "w2", "w1"]
    store.engine.dispose()


def test_the_action_of_an_undo_follows_what_it_did():
    def undo(before: dict, after: dict) -> Move:
        return Move(action="undo", target_kind="sketch", before=before, after=after)

    assert sketch_action(undo({"deleted": False}, {"deleted": True})) == "deleted"  # undo of a create
    assert sketch_action(undo({"deleted": True}, {"deleted": False})) == "created"  # undo of a delete
    assert sketch_action(undo({"deleted": False}, {"deleted": False})) == "updated"
    assert sketch_action(Move(action="delete", before={}, after={"deleted": True})) == "deleted"
