"""The tile render queue: a tile asked for by many at once is rendered once, on the queue's own threads."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from alliantie.web.atlas.render_queue import RenderQueue


def test_requests_for_a_tile_under_way_share_its_render():
    calls: list[str] = []
    threads: set[str] = set()

    def make(name: str) -> bytes:
        calls.append(name)
        threads.add(threading.current_thread().name)
        time.sleep(0.2)  # long enough that all requests arrive while the first render runs
        return name.encode()

    async def main() -> list[bytes]:
        queue = RenderQueue(threads=2)
        try:
            same = [queue.render(("t", 1), lambda: make("a")) for _ in range(20)]
            other = [queue.render(("t", 2), lambda: make("b"))]
            return await asyncio.gather(*same, *other)
        finally:
            queue.close()

    answers = asyncio.run(main())
    assert answers == [b"a"] * 20 + [b"b"]
    assert sorted(calls) == ["a", "b"]  # one render per tile, not one per request
    assert threads and all(name.startswith("tile-render") for name in threads)


def test_a_finished_render_is_not_reused_and_an_error_reaches_every_waiter():
    count = 0

    def make() -> bytes:
        nonlocal count
        count += 1
        time.sleep(0.05)
        raise OSError(f"unreadable {count}")

    async def main() -> list[object]:
        queue = RenderQueue(threads=1)
        try:
            first = await asyncio.gather(*(queue.render("k", make) for _ in range(5)), return_exceptions=True)
            second = await asyncio.gather(queue.render("k", make), return_exceptions=True)
            return [*first, *second]
        finally:
            queue.close()

    results = asyncio.run(main())
    assert [str(r) for r in results] == ["unreadable 1"] * 5 + ["unreadable 2"]  # the key is free again after it
    assert count == 2


def test_a_queue_needs_a_thread():
    with pytest.raises(ValueError, match="at least one thread"):
        RenderQueue(threads=0)
