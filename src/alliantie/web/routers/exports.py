"""Export of a workshop into the dossier (``inputs/sketches.gpkg``) and expert corrections of the
vulnerability map (``inputs/corrections.gpkg``): the writing is :mod:`alliantie.web.export` and
:mod:`alliantie.web.corrections`, imported when first used (``503`` while they are not installed)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Body
from fastapi.responses import FileResponse

from alliantie.web.http_errors import Forbidden, NotFound, Unavailable
from alliantie.web.routers.deps import Context, Token

router = APIRouter(prefix="/api/workshops/{workshop_id}", tags=["export"])


def _function(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        raise Unavailable("web_api.errors.unavailable_part", part=module) from None


def _sketches_file(ctx: Context) -> Path:
    return ctx.settings.dossier_file.parent / "inputs" / "sketches.gpkg"


@router.post("/export", summary="Write the sketches and syntheses to inputs/sketches.gpkg (facilitator)")
def export(workshop_id: str, ctx: Context, token: Token) -> dict[str, Any]:
    me = ctx.service.check_reader(workshop_id, token)
    if me.role != "facilitator":
        raise Forbidden("web_api.errors.facilitator_only")
    write = _function("alliantie.web.export", "export_workshop")
    features = ctx.service.sketches(workshop_id, token)
    syntheses = ctx.service.syntheses(workshop_id, token)
    path = write(ctx.settings.dossier_file, features, syntheses)
    return {"path": str(path), "sketches": len(features["features"]), "syntheses": len(syntheses)}


@router.get("/export.gpkg", summary="Download the exported GeoPackage", response_class=FileResponse)
def export_file(workshop_id: str, ctx: Context, token: Token) -> FileResponse:
    ctx.service.check_reader(workshop_id, token)
    path = _sketches_file(ctx)
    if not path.is_file():
        raise NotFound("web_api.errors.no_export")
    return FileResponse(path, media_type="application/geopackage+sqlite3", filename="sketches.gpkg")


@router.post("/corrections", status_code=201, summary="Add an expert correction of the vulnerability map")
def correction(workshop_id: str, ctx: Context, token: Token,
               feature: dict[str, Any] = Body(..., description="GeoJSON Feature: Polygon, properties "  # noqa: B008
                                              "{theme, action, reason, level?, scenario?}")) -> dict[str, Any]:
    me = ctx.service.check_writer(workshop_id, token)
    add = _function("alliantie.web.corrections", "add_correction")
    result: dict[str, Any] = add(ctx.settings.dossier_file, feature, f"{me.name} ({me.organisation})".strip())
    return result
