"""Gaps of a terrain model (AHN DTM) filled the way the pluvial engines need.

The AHN DTM ("maaiveld") has no data under buildings and on water. The
hydrology treats no-data cells as outlets (``hydrology/api.py``): left as they
are, every building would swallow the rain that reaches it and every pond would
drain the street beside it. So the *enclosed* gaps (no-data regions that do not
touch the edge of the raster, where the data simply ends) are filled:

1. by inverse-distance interpolation from the gap's edges
   (``rasterio.fill.fillnodata``, GDAL's FillNodata, no smoothing), up to
   ``max_distance_m`` from the nearest cell with data. Under a building this is
   the ground level around it, the level the floor-level and damage rules expect;
2. what is farther from any edge than that (the middle of a gap more than about
   twice ``max_distance_m`` wide: a lake, a wide canal, a very large hall) takes
   the lowest elevation on the gap's edge, a stand-in for the water level (the
   bank is the highest the water can stand without spilling), so water gathers
   there instead of running off a surface interpolated to bank height.

Gaps that touch the raster's edge (outside the AHN's coverage, over the border)
stay no data: nothing is extrapolated. The result says how many cells each
rule filled, so the provenance and ``alliantie check`` report the filled share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rasterio.fill import fillnodata
from scipy import ndimage

#: Default search distance of the interpolation, m. Most buildings are narrower than twice this (a terraced
#: row 10-15 m deep, an apartment block 20-40 m, a school 50-80 m), so their gap is interpolated from the street
#: around it; only larger gaps keep a core at the lowest edge. alliantie estimate.
MAX_DISTANCE_M = 100.0
#: The method in words, written into provenance next to the counts.
METHOD = ("enclosed gaps: inverse-distance interpolation from the edges (GDAL FillNodata, no smoothing) up to "
          "{distance:g} m; beyond that the lowest elevation on the gap's edge (water level); gaps touching the "
          "edge of the data are left empty")

_SENTINEL = np.float32(-3.0e38)


@dataclass(frozen=True)
class GapFill:
    """A filled DEM and what was filled."""

    array: np.ndarray
    interpolated: int
    lowest_edge: int
    left_open: int

    @property
    def filled(self) -> int:
        return self.interpolated + self.lowest_edge


def _frame_labels(labels: np.ndarray) -> np.ndarray:
    edge = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    return np.unique(edge[edge > 0])


def fill_gaps(dem: np.ndarray, res: float, *, max_distance_m: float = MAX_DISTANCE_M) -> GapFill:
    """Fill the enclosed NaN gaps of ``dem`` (float, NaN = no data; cell size ``res`` m); see the module text.

    >>> dem = np.array([[1, 1, 1, 1], [1, np.nan, np.nan, 1], [1, 1, 1, 1]], dtype=np.float32)
    >>> result = fill_gaps(dem, 5.0)
    >>> result.array.tolist()[1], result.interpolated
    ([1.0, 1.0, 1.0, 1.0], 2)
    """
    values = np.asarray(dem, dtype=np.float32)
    gaps = np.isnan(values)
    if not gaps.any() or gaps.all():
        return GapFill(values.copy(), 0, 0, int(gaps.sum()))
    labels, _ = ndimage.label(gaps)
    open_labels = _frame_labels(labels)
    enclosed = gaps & ~np.isin(labels, open_labels)
    if not enclosed.any():
        return GapFill(values.copy(), 0, 0, int(gaps.sum()))
    image = np.where(gaps, _SENTINEL, values).astype(np.float32)
    cells = max(1, math.ceil(max_distance_m / res))
    interpolated = fillnodata(image, mask=(~gaps).astype(np.uint8), max_search_distance=cells,
                              smoothing_iterations=0)
    out = values.copy()
    reached = enclosed & (interpolated > _SENTINEL / 2)
    out[reached] = interpolated[reached]
    rest = enclosed & ~reached
    lowest = 0
    if rest.any():
        objects = ndimage.find_objects(labels)
        for label in np.unique(labels[rest]):
            rows, cols = objects[label - 1]
            r0, r1 = max(0, rows.start - 1), min(values.shape[0], rows.stop + 1)
            c0, c1 = max(0, cols.start - 1), min(values.shape[1], cols.stop + 1)
            region = labels[r0:r1, c0:c1] == label
            ring = ndimage.binary_dilation(region, structure=np.ones((3, 3), bool)) & ~gaps[r0:r1, c0:c1]
            if not ring.any():  # pragma: no cover - an enclosed gap always has an edge with data
                continue
            level = float(values[r0:r1, c0:c1][ring].min())
            todo = region & rest[r0:r1, c0:c1]
            out[r0:r1, c0:c1][todo] = level
            lowest += int(todo.sum())
    return GapFill(out, int(reached.sum()), lowest, int((gaps & ~enclosed).sum()))
