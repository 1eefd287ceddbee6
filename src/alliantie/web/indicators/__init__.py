"""The workshop's live indicators: the step 3 measure engine on the saved baseline, per sketch, synthesis and total."""

from alliantie.web.indicators.service import IndicatorService, SketchInput

__all__ = ["IndicatorService", "SketchInput"]
