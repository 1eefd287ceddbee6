"""Open water on the dossier grid, shared by the step 1 themes.

Pluvial flooding uses it for the outlets of the runoff (water that reaches a
water course or water body joins the water system); heat stress for the cooling
of open water.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import rasterio.features

from alliantie.grid import Grid


def water_mask(layers: Sequence[gpd.GeoDataFrame | None], grid: Grid) -> np.ndarray:
    """True in cells touched by the water courses (lines) and water bodies (polygons) given."""
    shapes = [g for layer in layers if layer is not None for g in layer.geometry.values
              if g is not None and not g.is_empty]
    if not shapes:
        return np.zeros(grid.shape, dtype=bool)
    burnt = rasterio.features.rasterize([(g, 1) for g in shapes], out_shape=grid.shape, transform=grid.transform,
                                        fill=0, all_touched=True, dtype="uint8")
    return np.asarray(burnt, dtype=bool)
