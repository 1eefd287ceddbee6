"""The FastAPI application of ``alliantie serve``: :func:`create_app` wires settings, store, service and routes.

The routes of every part are included in :func:`_include_routers` (the one place to add a router); the built
front end (``web/static``) is served at ``/`` when it is there.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alliantie import __version__
from alliantie.i18n import use_language
from alliantie.web import timing
from alliantie.web.atlas import atlas_router
from alliantie.web.http_errors import BodyLimit, install_error_handlers, request_language
from alliantie.web.palette import palette_router
from alliantie.web.routers import events, exports, indicators, meta, moves, sketches, syntheses, workshops
from alliantie.web.routers.assess import assess_router
from alliantie.web.routers.deps import AppContext
from alliantie.web.settings import WebSettings
from alliantie.web.store.database import open_store
from alliantie.web.workshop.events import EventBus
from alliantie.web.workshop.feed import MoveFeed
from alliantie.web.workshop.indicators import Computer, IndicatorRunner, default_factory, snapshot_of
from alliantie.web.workshop.service import WorkshopService
from alliantie.web.workshop.validation import SketchValidator

log = logging.getLogger(__name__)

#: Makes the indicator service and its SketchInput class (None: unavailable); tests pass a double.
IndicatorFactory = Callable[[Path], tuple[Computer, Callable[..., Any]] | None]


class LanguageMiddleware:
    """Messages of one request in its language (``?lang=``, ``Accept-Language``, else the app's default)."""

    def __init__(self, app: ASGIApp, default: str) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with use_language(request_language(Request(scope), self.default)):
            await self.app(scope, receive, send)


class ServerTiming:
    """A ``Server-Timing: app;dur=MS`` header on every answer: the time the server took until it answered
    (browsers show it in their network panel; the workshop benchmark records it beside the client's time),
    followed by the phases the route marked (:mod:`alliantie.web.timing`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        timings = timing.begin()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", timings.header(time.perf_counter()).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, timed)


def create_app(settings: WebSettings, *, indicator_factory: IndicatorFactory | None = None) -> FastAPI:
    """The app for ``settings``: opens (and migrates) the store, builds the service and the routes."""
    dossier_file = settings.dossier_file
    store = open_store(settings.database_url)
    bus = EventBus()
    validator = SketchValidator(dossier_file)
    service = WorkshopService(store, validator, bus)
    factory = indicator_factory or default_factory
    runner = IndicatorRunner(lambda: factory(dossier_file), snapshot_of(service.live), bus,
                             delay_s=settings.indicator_delay_s)
    service.on_change = runner.schedule
    feed = MoveFeed(store, bus, on_remote=runner.refresh)
    context = AppContext(settings=settings, store=store, bus=bus, service=service, indicators=runner, feed=feed)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.warm_indicators:
            # the engine's imports before the first request (seconds on a busy machine: in the background they
            # slowed the first minute's writes), then its baseline and kernels in the worker process
            await run_in_threadpool(runner.prepare)
            runner.warm_in_background()
        # the study area and the catalogue the sketch checks use, read before the first participant draws
        # (else the first sketches of a workshop wait seconds for them)
        await run_in_threadpool(validator.prepare)
        feed.start()
        _freeze_startup_objects()
        yield
        gc.unfreeze()
        feed.close()
        runner.close()
        store.engine.dispose()

    app = FastAPI(title="alliantie", version=__version__, lifespan=lifespan,
                  description="Atlas and sketch workshop of an alliantie dossier.")
    app.state.context = context
    app.state.default_language = settings.language
    install_error_handlers(app)
    app.add_middleware(LanguageMiddleware, default=settings.language)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=False,
                           allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
                           allow_headers=["Authorization", "Content-Type", "Accept-Language"])
    app.add_middleware(BodyLimit, max_body_bytes=settings.max_body_bytes, default_language=settings.language)
    app.add_middleware(ServerTiming)
    _include_routers(app, settings)
    _mount_static(app)
    return app


def _freeze_startup_objects() -> None:
    """Leave the objects of the start (the engine's modules: some 300,000) out of the garbage collector's full
    collections. Each full collection scans every object while holding the GIL: measured 0.8-1.2 s on the
    2-core machine under load, a stall of every request; they came most often in the first minute, when the
    requests' objects push the start's objects into the oldest generation (the slow first minute of the
    workshop benchmark). After ``gc.freeze`` a full collection scans only what came later."""
    gc.collect()
    gc.freeze()


def app_from_environment() -> FastAPI:
    """The app of the settings in the environment (``ALLIANTIE_WEB_DOSSIER``, ...), for a server that starts
    several processes: ``uvicorn --factory alliantie.web.app:app_from_environment --workers 2`` (start
    ``alliantie serve`` once before on a new store, so the processes do not migrate it at the same time)."""
    return create_app(WebSettings())  # the dossier comes from the environment


def _include_routers(app: FastAPI, settings: WebSettings) -> None:
    """Every router of the app: the workshop's, the atlas of the saved products, the measure palette."""
    for module in (meta, workshops, sketches, syntheses, moves, events, indicators, exports):
        app.include_router(module.router)
    app.include_router(atlas_router(settings.dossier_file))
    app.include_router(palette_router(settings.dossier_file))
    app.include_router(assess_router(settings.dossier_file))


def _mount_static(app: FastAPI) -> None:
    """The built front end at ``/`` (after the API routes, which win), only when it has been built."""
    folder = Path(str(resources.files("alliantie.web") / "static"))
    if (folder / "index.html").is_file():
        app.mount("/", StaticFiles(directory=folder, html=True), name="static")
    else:
        log.info("no front end at %s (build it with npm run build in frontend/)", folder)
