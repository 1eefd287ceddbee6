"""Server-sent events of a workshop: ``sketch``, ``synthesis``, ``participant``, ``indicators``.

``EventSource`` cannot send headers, so the token may come as ``?token=``; FastAPI adds keep-alive comments.
Every event of a change has the id of its move (SSE ``id``); a browser that reconnects sends the last one back
as ``Last-Event-ID`` (a client without that header may pass ``?last_event_id=``) and first gets what it missed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from alliantie.web.routers.deps import Context, Token

router = APIRouter(prefix="/api/workshops/{workshop_id}", tags=["events"])

#: How often a stream checks whether its browser has gone, s.
POLL_S = 1.0


def _reader(workshop_id: str, ctx: Context, bearer: Token, token: str | None = None) -> str:
    """Checked before the stream opens, so a bad token is a 401/403, not a broken stream."""
    ctx.service.check_reader(workshop_id, token or bearer)
    return workshop_id


def _move_id(value: str | None) -> int | None:
    """A Last-Event-ID as a move id; anything else (a browser's stale or foreign id) is ignored."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


@router.get("/events", response_class=EventSourceResponse, summary="The workshop's changes as server-sent events")
async def events(workshop_id: Annotated[str, Depends(_reader)], request: Request, ctx: Context,
                 last_event_id: str | None = None,
                 resume: Annotated[str | None, Header(alias="Last-Event-ID", include_in_schema=False)] = None,
                 ) -> AsyncIterator[ServerSentEvent]:
    after = _move_id(resume) if _move_id(resume) is not None else _move_id(last_event_id)
    async with ctx.bus.subscribe(workshop_id) as queue:  # before the replay: nothing falls between the two
        yield ServerSentEvent(event="ready", data={"workshop_id": workshop_id}, retry=2000)
        replayed = 0
        if after is not None:
            for missed in await run_in_threadpool(ctx.feed.since, workshop_id, after):
                yield ServerSentEvent(event=missed.kind, raw_data=missed.text, id=str(missed.id))
                replayed = missed.id or replayed
        while not await request.is_disconnected():
            try:
                event = await asyncio.wait_for(queue.get(), timeout=POLL_S)
            except TimeoutError:
                continue
            if event.id is not None and event.id <= replayed:
                continue  # sent by the replay already
            yield ServerSentEvent(event=event.kind, raw_data=event.text,
                                  id=str(event.id) if event.id is not None else None)
