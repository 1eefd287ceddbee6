"""What the routes share: the app's context (settings, store, service, indicators, move feed) and the bearer
token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Header, Request

from alliantie.web.settings import WebSettings
from alliantie.web.store.database import Store
from alliantie.web.workshop.events import EventBus
from alliantie.web.workshop.feed import MoveFeed
from alliantie.web.workshop.indicators import IndicatorRunner
from alliantie.web.workshop.join_guard import JoinGuard
from alliantie.web.workshop.service import WorkshopService


@dataclass
class AppContext:
    settings: WebSettings
    store: Store
    bus: EventBus
    service: WorkshopService
    indicators: IndicatorRunner
    feed: MoveFeed
    join_guard: JoinGuard = field(default_factory=JoinGuard)


async def _context(request: Request) -> AppContext:  # async: no worker thread for a lookup
    ctx: AppContext = request.app.state.context
    return ctx


async def _bearer(authorization: Annotated[str | None, Header(description="Bearer TOKEN")] = None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


Context = Annotated[AppContext, Depends(_context)]
Token = Annotated[str | None, Depends(_bearer)]
