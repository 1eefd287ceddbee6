"""The workshop's live indicators (computed in the background; ``unavailable`` without the service)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from alliantie.web.routers.deps import Context, Token

router = APIRouter(prefix="/api/workshops/{workshop_id}", tags=["indicators"])


@router.get("/indicators", summary="Indicators of the whole, of each synthesis and of each sketch")
def indicators(workshop_id: str, ctx: Context, token: Token,
               sketch: Annotated[list[str] | None, Query(description="only these sketches' values "
                                                         "(default: every sketch's)")] = None) -> dict[str, Any]:
    ctx.service.check_reader(workshop_id, token)
    return ctx.indicators.current(workshop_id, sketch)
