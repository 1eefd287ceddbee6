"""Map layers that one product's maps borrow from another product's files.

Every step draws its maps over the relief of ``baseinfo.elevation``; the spec
of that layer (which file, which product, how it is drawn) lives here, on the
contract floor, so no step imports another step's product module for it.
"""

from __future__ import annotations

from alliantie.contract.names import ELEVATION
from alliantie.contract.spec import Layer

#: Opacity of the hillshade over coloured layers (a style choice).
HILLSHADE_ALPHA = 0.3
#: The hillshade file of ``baseinfo.elevation``.
HILLSHADE_FILE = "hillshade.tif"


def hillshade_layer(alpha: float = HILLSHADE_ALPHA) -> Layer:
    """The hillshade of ``baseinfo.elevation``: grey shading, drawn over the coloured layers with ``alpha``."""
    return Layer(file=HILLSHADE_FILE, product=ELEVATION, type="raster_hillshade", alpha=alpha)
