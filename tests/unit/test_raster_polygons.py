"""Polygons from rasters are valid: GDAL's 8-connected rings that touch themselves at a corner are repaired."""

from __future__ import annotations

import numpy as np
import rasterio.features
from affine import Affine
from shapely.geometry import shape

from alliantie.raster.polygons import valid_polygonal


def test_a_ring_touching_itself_at_a_corner_becomes_valid_with_the_same_area() -> None:
    cells = np.array([[1, 1, 0],
                      [1, 0, 1],
                      [0, 1, 1]], dtype=np.uint8)  # two L's joined 8-connected at their corners
    found = [shape(g) for g, v in rasterio.features.shapes(cells, mask=cells == 1, transform=Affine.identity(),
                                                           connectivity=8) if v == 1]
    assert len(found) == 1
    before = found[0]
    assert not before.is_valid  # what GDAL draws: a self-touching ring
    after = valid_polygonal(before)
    assert after.is_valid and after.geom_type in ("Polygon", "MultiPolygon")
    assert after.area == before.area == float(cells.sum())
    assert valid_polygonal(after) is after  # a valid one is left as it is
