"""The log of moves, as JSON and as CSV."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from alliantie.web.routers.deps import Context, Token

router = APIRouter(prefix="/api/workshops/{workshop_id}", tags=["moves"])


@router.get("/moves", summary="Every change of the workshop: who, what, when, before and after")
def moves(workshop_id: str, ctx: Context, token: Token) -> list[dict[str, Any]]:
    return ctx.service.moves(workshop_id, token)


@router.get("/moves.csv", summary="The log of moves as CSV", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def moves_csv(workshop_id: str, ctx: Context, token: Token) -> Response:
    text = ctx.service.moves_csv(workshop_id, token)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="moves-{workshop_id[:32]}.csv"'})
