"""Server-sent events of a workshop: ``sketch``, ``synthesis``, ``participant``, ``indicators``.

``EventSource`` cannot send headers, so the token may come as ``?token=``; a comment line keeps an idle stream
open. Every event of a change has the id of its move (SSE ``id``); a browser that reconnects sends the last one
back as ``Last-Event-ID`` (a client without that header may pass ``?last_event_id=``) and first gets what it
missed.

Each event is encoded once for all streams (:attr:`Event.wire`), and a stream sends the events waiting in its
queue in one write: when 30 participants draw at the same moment, 30 streams get 30 events each at once, and
a stream wakes and writes once for what has come in, not once per event (docs/web.md, the cold minute).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from alliantie.web.routers.deps import Context, Token
from alliantie.web.workshop.events import sse_bytes

router = APIRouter(prefix="/api/workshops/{workshop_id}", tags=["events"])

#: How often a stream checks whether its browser has gone, s.
POLL_S = 1.0
#: A comment line sent after this many quiet seconds, so that nothing between closes the idle stream.
PING_S = 15.0
PING = b": ping\n\n"
#: How long a browser waits before it reconnects a broken stream (the SSE ``retry`` field), ms.
RETRY_MS = 2000


def _reader(workshop_id: str, ctx: Context, bearer: Token, token: str | None = None) -> str:
    """Checked before the stream opens, so a bad token is a 401/403, not a broken stream."""
    ctx.service.check_reader(workshop_id, token or bearer)
    return workshop_id


def _move_id(value: str | None) -> int | None:
    """A Last-Event-ID as a move id; anything else (a browser's stale or foreign id) is ignored."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


@router.get("/events", response_class=StreamingResponse, summary="The workshop's changes as server-sent events",
            responses={200: {"content": {"text/event-stream": {}}, "description": "server-sent events"}})
async def events(workshop_id: Annotated[str, Depends(_reader)], request: Request, ctx: Context,
                 last_event_id: str | None = None,
                 resume: Annotated[str | None, Header(alias="Last-Event-ID", include_in_schema=False)] = None,
                 ) -> StreamingResponse:
    after = _move_id(resume) if _move_id(resume) is not None else _move_id(last_event_id)
    return StreamingResponse(_stream(workshop_id, request, ctx, after), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _stream(workshop_id: str, request: Request, ctx: Context, after: int | None) -> AsyncIterator[bytes]:
    async with ctx.bus.subscribe(workshop_id) as queue:  # before the replay: nothing falls between the two
        yield sse_bytes("ready", json.dumps({"workshop_id": workshop_id}), retry_ms=RETRY_MS)
        replayed = 0
        if after is not None:
            missed = await run_in_threadpool(ctx.feed.since, workshop_id, after)
            if missed:
                yield b"".join(event.wire for event in missed)
                replayed = max((event.id or 0) for event in missed)
        quiet = 0.0
        while not await request.is_disconnected():
            try:
                waiting = [await asyncio.wait_for(queue.get(), timeout=POLL_S)]
            except TimeoutError:
                quiet += POLL_S
                if quiet >= PING_S:
                    quiet = 0.0
                    yield PING
                continue
            quiet = 0.0
            while not queue.empty():  # everything that came in meanwhile goes in the same write
                waiting.append(queue.get_nowait())
            chunk = b"".join(event.wire for event in waiting if event.id is None or event.id > replayed)
            if chunk:  # (events the replay sent already are left out)
                yield chunk
