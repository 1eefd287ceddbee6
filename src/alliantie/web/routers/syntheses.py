"""Syntheses: the perspectives' selections of sketches."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from alliantie.web.routers.deps import Context, Token
from alliantie.web.workshop.schemas import SynthesisIn, SynthesisPut

router = APIRouter(prefix="/api/workshops/{workshop_id}/syntheses", tags=["syntheses"])


@router.get("", summary="The workshop's syntheses with their sketch ids")
def syntheses(workshop_id: str, ctx: Context, token: Token) -> list[dict[str, Any]]:
    return ctx.service.syntheses(workshop_id, token)


@router.post("", status_code=201, summary="A new synthesis")
def create_synthesis(workshop_id: str, body: SynthesisIn, ctx: Context, token: Token) -> dict[str, Any]:
    return ctx.service.create_synthesis(workshop_id, token, body)


@router.put("/{synthesis_id}", summary="Set a synthesis's sketches (and name)")
def update_synthesis(workshop_id: str, synthesis_id: str, body: SynthesisPut, ctx: Context,
                     token: Token) -> dict[str, Any]:
    return ctx.service.update_synthesis(workshop_id, synthesis_id, token, body)
