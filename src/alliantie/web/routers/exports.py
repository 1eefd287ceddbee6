"""Export of a workshop into the dossier (``inputs/sketches.gpkg`` and ``inputs/moves.csv``) and expert corrections
of the vulnerability map (``inputs/corrections.gpkg``); the writing is :mod:`alliantie.web.export` and
:mod:`alliantie.web.corrections`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from alliantie.i18n import current_language
from alliantie.web.corrections import append_correction
from alliantie.web.export import export_workshop, workshop_input
from alliantie.web.http_errors import Forbidden, NotFound
from alliantie.web.routers.deps import Context, Token

router = APIRouter(prefix="/api/workshops/{workshop_id}", tags=["export"])


class CorrectionProperties(BaseModel):
    model_config = ConfigDict(extra="forbid")
    theme: str = Field(max_length=32)
    action: str = Field(max_length=32)
    reason: str = Field(min_length=1, max_length=2000)
    level: int | None = Field(default=None, ge=0, le=3)
    scenario: str | None = Field(default=None, max_length=32)


class CorrectionFeature(BaseModel):
    """A GeoJSON Feature: a Polygon in longitude/latitude and what the expert says about it."""

    model_config = ConfigDict(extra="ignore")
    type: str = Field(pattern="^Feature$")
    geometry: dict[str, Any]
    properties: CorrectionProperties


@router.post("/export", summary="Write the sketches and syntheses to inputs/sketches.gpkg (facilitator)")
def export(workshop_id: str, ctx: Context, token: Token) -> dict[str, Any]:
    me = ctx.service.check_reader(workshop_id, token)
    if me.role != "facilitator":
        raise Forbidden("web_api.errors.facilitator_only")
    features = ctx.service.sketches(workshop_id, token)["features"]
    syntheses = ctx.service.syntheses(workshop_id, token)
    member_of: dict[str, list[str]] = {}
    for synthesis in syntheses:
        for sid in synthesis["sketch_ids"]:
            member_of.setdefault(str(sid), []).append(synthesis["name"])
    for feature in features:
        feature["properties"]["syntheses"] = member_of.get(str(feature["id"]), [])
    written = export_workshop(ctx.settings.dossier_file, features, ctx.service.moves(workshop_id, token),
                              language=current_language())
    return {"path": str(written.gpkg), "moves": str(written.moves) if written.moves else None,
            "layers": list(written.layers), "sketches": written.count, "syntheses": len(syntheses),
            **workshop_input(ctx.settings.dossier_file, written.gpkg)}


@router.get("/export.gpkg", summary="Download the exported GeoPackage", response_class=FileResponse)
def export_file(workshop_id: str, ctx: Context, token: Token) -> FileResponse:
    ctx.service.check_reader(workshop_id, token)
    path = ctx.settings.dossier_file.parent / "inputs" / "sketches.gpkg"
    if not path.is_file():
        raise NotFound("web_api.errors.no_export")
    return FileResponse(path, media_type="application/geopackage+sqlite3", filename="sketches.gpkg")


@router.post("/corrections", status_code=201, summary="Add an expert correction of the vulnerability map")
def correction(workshop_id: str, ctx: Context, token: Token, feature: CorrectionFeature) -> dict[str, Any]:
    me = ctx.service.check_writer(workshop_id, token)
    p = feature.properties
    author = f"{me.name} ({me.organisation})" if me.organisation else me.name
    added = append_correction(ctx.settings.dossier_file, feature.geometry, theme=p.theme, action=p.action,
                              reason=p.reason, author=author, level=p.level, scenario=p.scenario)
    return {"path": str(added.path), "layer": added.layer, "row": added.row, "configured": added.configured}
