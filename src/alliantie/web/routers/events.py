"""Server-sent events of a workshop: ``sketch``, ``synthesis``, ``participant``, ``indicators``.

``EventSource`` cannot send headers, so the token may come as ``?token=``; FastAPI adds keep-alive comments.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from alliantie.web.routers.deps import Context, Token

router = APIRouter(prefix="/api/workshops/{workshop_id}", tags=["events"])

#: How often a stream checks whether its browser has gone, s.
POLL_S = 1.0


def _reader(workshop_id: str, ctx: Context, bearer: Token, token: str | None = None) -> str:
    """Checked before the stream opens, so a bad token is a 401/403, not a broken stream."""
    ctx.service.check_reader(workshop_id, token or bearer)
    return workshop_id


@router.get("/events", response_class=EventSourceResponse, summary="The workshop's changes as server-sent events")
async def events(workshop_id: Annotated[str, Depends(_reader)], request: Request,
                 ctx: Context) -> AsyncIterator[ServerSentEvent]:
    async with ctx.bus.subscribe(workshop_id) as queue:
        yield ServerSentEvent(event="ready", data={"workshop_id": workshop_id}, retry=2000)
        while not await request.is_disconnected():
            try:
                event = await asyncio.wait_for(queue.get(), timeout=POLL_S)
            except TimeoutError:
                continue
            yield ServerSentEvent(event=event.kind, data=event.data)
