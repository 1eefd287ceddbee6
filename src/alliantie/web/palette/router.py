"""``palette_router(dossier_file)``: ``GET /api/measures`` and ``GET /api/palette`` (see :mod:`.lookup`).

Errors are web errors (answered by :mod:`alliantie.web.http_errors`): 422 for a point outside the
dossier or an unknown level, 409 when the dossier's products are not there yet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query

from alliantie.errors import AlliantieError
from alliantie.i18n import as_language
from alliantie.web.http_errors import Conflict, Invalid, WebError
from alliantie.web.palette.lookup import Palette, check_level

#: Error keys answered with 409 (the dossier must be run first); every other error of a request is 422.
CONFLICT = frozenset({"web_indicators.errors.no_product"})


def _language(lang: str | None, accept: str | None) -> str:
    return as_language(lang or accept)


def _refuse(exc: AlliantieError, language: str) -> WebError:
    """The library's refusal as a web error (rendered by :mod:`alliantie.web.http_errors`)."""
    return (Conflict if exc.key in CONFLICT else Invalid)(exc.key, **exc.params)


def palette_router(dossier_file: Path) -> APIRouter:
    """The palette's routes for the dossier ``dossier_file``."""
    palette = Palette(dossier_file)
    router = APIRouter(tags=["palette"])

    @router.get("/api/measures")
    def measures(lang: Annotated[str | None, Query(pattern="^(nl|en)$")] = None,
                 level: str | None = None,
                 accept_language: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        """The measure catalogue for the palette (only the measures of ``level`` when given)."""
        language = _language(lang, accept_language)
        try:
            return {"measures": palette.measures(check_level(level), language)}
        except AlliantieError as exc:
            raise _refuse(exc, language) from None

    @router.get("/api/palette")
    def at(lon: Annotated[float, Query(ge=-180, le=180)], lat: Annotated[float, Query(ge=-90, le=90)],
           level: str | None = None, lang: Annotated[str | None, Query(pattern="^(nl|en)$")] = None,
           accept_language: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        """The landscape type and guide model at (lon, lat) and the measures in that model's order."""
        language = _language(lang, accept_language)
        try:
            return palette.at(lon, lat, check_level(level), language)
        except AlliantieError as exc:
            raise _refuse(exc, language) from None

    return router
