"""The one place where errors become HTTP answers.

Our own errors (:mod:`alliantie.errors` and the web error classes below) carry a catalogue key; here each class
gets its status code and the answer is ``{"detail": {"key": ..., "message": ...}}`` in the request's language.
FastAPI's validation errors (bad JSON, a missing field) become a 422 with the same shape; Starlette's own HTTP
errors (404 of an unknown route, 413 of a too large body) too. Anything else is a bug: it is logged with its
traceback and answered with a 500 that shows no traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alliantie.errors import (
    AlliantieError,
    ConfigError,
    CRSError,
    InputDataError,
    ProductError,
    ReportError,
    RunBusyError,
    StorageError,
)
from alliantie.i18n import DEFAULT_LANGUAGE, Language, as_language, translate

log = logging.getLogger(__name__)


class WebError(AlliantieError):
    """An error of a web request; ``status`` is its HTTP status code."""

    key = "web_api.errors.generic"
    status = 400


class Invalid(WebError):
    """The request is well-formed but its content cannot be accepted (geometry, measure, size)."""

    key = "web_api.errors.invalid"
    status = 422


class Unauthorized(WebError):
    """No token, or a token nobody holds."""

    key = "web_api.errors.unauthorized"
    status = 401


class Forbidden(WebError):
    """A valid token whose role or workshop does not allow the request."""

    key = "web_api.errors.forbidden"
    status = 403


class NotFound(WebError):
    key = "web_api.errors.not_found"
    status = 404


class Conflict(WebError):
    key = "web_api.errors.conflict"
    status = 409


class TooLarge(WebError):
    key = "web_api.errors.too_large"
    status = 413


class TooManyAttempts(WebError):
    """Too many wrong join codes from one client in a short time."""

    key = "web_api.errors.too_many_attempts"
    status = 429


class Unavailable(WebError):
    """A part of the app that is not installed or not ready (indicators, export)."""

    key = "web_api.errors.unavailable"
    status = 503


#: Status codes of the library's errors, most specific class first.
STATUS: tuple[tuple[type[AlliantieError], int], ...] = (
    (WebError, 400),  # replaced by the class's own status
    (CRSError, 422),
    (InputDataError, 422),
    (RunBusyError, 409),
    (ProductError, 503),
    (ReportError, 503),
    (StorageError, 507),
    (ConfigError, 500),
    (AlliantieError, 500),
)

#: Catalogue keys of Starlette's own HTTP errors.
_STARLETTE_KEYS = {
    404: "web_api.errors.no_route",
    405: "web_api.errors.method",
    413: "web_api.errors.too_large",
}


def status_of(exc: AlliantieError) -> int:
    if isinstance(exc, WebError):
        return exc.status
    return next(code for cls, code in STATUS if isinstance(exc, cls))


def request_language(request: Request, default: str = DEFAULT_LANGUAGE) -> Language:
    """``?lang=`` first, then the first language of ``Accept-Language``, else ``default``."""
    lang = request.query_params.get("lang")
    if lang:
        return as_language(lang)
    header = request.headers.get("accept-language", "")
    first = header.split(",")[0].strip()
    return as_language(first or default)


def _body(key: str, message: str) -> dict[str, Any]:
    return {"detail": {"key": key, "message": message}}


def _language(request: Request) -> Language:
    default = getattr(request.app.state, "default_language", DEFAULT_LANGUAGE)
    return request_language(request, default)


async def _alliantie_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AlliantieError)
    status = status_of(exc)
    if status >= 500:
        log.error("%s %s: %s", request.method, request.url.path, exc.message("en"))
    return JSONResponse(_body(exc.key, exc.message(_language(request))), status_code=status)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = _language(request)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return JSONResponse(_body("web_api.errors.bad_json", translate("web_api.errors.bad_json", lang)), 422)
    details = "; ".join(f"{_field(e.get('loc', ()))}: {e.get('msg', '')}" for e in errors[:5])
    key = "web_api.errors.bad_request"
    return JSONResponse(_body(key, translate(key, lang, details=details)), status_code=422)


async def _starlette_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    key = _STARLETTE_KEYS.get(exc.status_code, "web_api.errors.generic")
    return JSONResponse(_body(key, translate(key, _language(request))), status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    key = "web_api.errors.internal"
    return JSONResponse(_body(key, translate(key, _language(request))), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""
    app.add_exception_handler(AlliantieError, _alliantie_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _starlette_error)
    app.add_exception_handler(Exception, _bug)


class BodyLimit:
    """Bodies larger than ``max_body_bytes`` get our 413: one that announces its length is refused before it is
    read; one that does not is counted while it is read."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, default_language: str = DEFAULT_LANGUAGE) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.default_language = default_language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            key = "web_api.errors.too_large"
            lang = request_language(request, self.default_language)
            await JSONResponse(_body(key, translate(key, lang)), status_code=413)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:  # an HTTPException: FastAPI passes it on as it is
                    raise StarletteHTTPException(413)
            return message

        await self.app(scope, counted, send)
