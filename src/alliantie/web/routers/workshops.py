"""Workshops and participants: create, join, look."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from alliantie.web.http_errors import Forbidden
from alliantie.web.routers.deps import Context, Token
from alliantie.web.workshop.schemas import JoinIn, WorkshopIn

router = APIRouter(prefix="/api/workshops", tags=["workshops"])


@router.post("", status_code=201, summary="Create a workshop (the caller becomes its facilitator)")
def create_workshop(body: WorkshopIn, ctx: Context) -> dict[str, Any]:
    return ctx.service.create_workshop(body)


@router.post("/{workshop_id}/participants", status_code=201, summary="Join a workshop with its join code")
def join(workshop_id: str, body: JoinIn, ctx: Context, request: Request) -> dict[str, Any]:
    client = request.client.host if request.client else "?"
    ctx.join_guard.check(workshop_id, client)
    try:
        return ctx.service.join(workshop_id, body)
    except Forbidden:
        ctx.join_guard.wrong(workshop_id, client)
        raise


@router.get("/{workshop_id}", summary="The workshop, its participants and syntheses")
def workshop(workshop_id: str, ctx: Context, token: Token) -> dict[str, Any]:
    return ctx.service.workshop(workshop_id, token)
