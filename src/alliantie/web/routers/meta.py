"""Small routes of the app itself: health and the browser's texts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from alliantie.i18n import LANGUAGES, catalogue
from alliantie.web.http_errors import NotFound

router = APIRouter(prefix="/api", tags=["app"])


@router.get("/health", summary="Whether the server answers")
def health() -> dict[str, Any]:
    return {"status": "ok"}


@router.get("/i18n/{lang}", summary="Every text the browser shows (keys under web.), in one language")
def texts(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise NotFound("web_api.errors.no_language", language=lang[:10], known=", ".join(LANGUAGES))
    return {key: entry[lang] for key, entry in catalogue().items() if key.startswith("web.")}
