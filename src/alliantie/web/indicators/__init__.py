"""The workshop's live indicators: the step 3 measure engine on the saved baseline, per sketch, synthesis and total.

``IndicatorService`` and ``SketchInput`` are imported on first use (PEP 562): the worker process of
:mod:`alliantie.web.indicators.process` lowers its priority before it loads the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alliantie.web.indicators.service import IndicatorService, SketchInput

__all__ = ["IndicatorService", "SketchInput"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from alliantie.web.indicators import service

        return getattr(service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
