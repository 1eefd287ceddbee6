"""Sketches: list, draw, change, delete, undo."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from alliantie.web.routers.deps import Context, Token
from alliantie.web.workshop.schemas import SketchIn, SketchPatch

router = APIRouter(prefix="/api/workshops/{workshop_id}", tags=["sketches"])


@router.get("/sketches", summary="The workshop's sketches as a GeoJSON FeatureCollection (EPSG:4326)")
def sketches(workshop_id: str, ctx: Context, token: Token) -> dict[str, Any]:
    return ctx.service.sketches(workshop_id, token)


@router.post("/sketches", status_code=201, summary="Draw a sketch (answered after it is committed)")
def create_sketch(workshop_id: str, body: SketchIn, ctx: Context, token: Token) -> dict[str, Any]:
    return ctx.service.create_sketch(workshop_id, token, body)


@router.patch("/sketches/{sketch_id}", summary="Change a sketch (own sketch; the facilitator: any)")
def update_sketch(workshop_id: str, sketch_id: str, body: SketchPatch, ctx: Context, token: Token) -> dict[str, Any]:
    return ctx.service.update_sketch(workshop_id, sketch_id, token, body)


@router.delete("/sketches/{sketch_id}", status_code=204, summary="Delete a sketch (undo brings it back)")
def delete_sketch(workshop_id: str, sketch_id: str, ctx: Context, token: Token) -> Response:
    ctx.service.delete_sketch(workshop_id, sketch_id, token)
    return Response(status_code=204)


@router.post("/undo", summary="Undo the caller's last sketch move")
def undo(workshop_id: str, ctx: Context, token: Token) -> dict[str, Any]:
    return ctx.service.undo(workshop_id, token)
