"""The palette of the workshop: the measure catalogue, and the measures of the guide model under the cursor."""

from alliantie.web.palette.router import palette_router

__all__ = ["palette_router"]
