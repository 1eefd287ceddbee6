"""The demo's example sketch (``inputs/example_sketch.gpkg``): a dozen measures across the four themes.

What a workshop table might draw on the demo region: wadis in the three deepest
bluespots next to houses, a water square and a cool place in the centre, green
roofs on a centre block, depaving and a row of street trees, thresholds in the
low-lying new district with a retention pond beside it, a raised ditch level in
the peat polder, conifer-to-broadleaf conversion on the moraine, brook
restoration upstream of the town and a dike reinforcement over the breach of the flood product.
Positions come from the layout (and, for the wadis, from the pits of the demo's
own ground next to buildings), so both demo sizes get the same sketch in their own frame.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely
import shapely.ops
from scipy import ndimage
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

from alliantie.demo import layout as L
from alliantie.demo.layout import Frame
from alliantie.grid import RD_NEW
from alliantie.hazards.bluespots import building_ids


def _bluespot_spots(frame: Frame, core: BaseGeometry, buildings: gpd.GeoDataFrame, dem: np.ndarray, count: int,
                    spacing_m: float) -> list[Point]:
    """The ``count`` deepest pits of the ground in ``core`` next to buildings (where bluespots form).

    Pits of the ground at least 10 cm deep, on open ground within 30 m of a building, at least
    ``spacing_m`` apart: where a street's water gathers against the houses. The
    pit depth is the DEM's morphological closing over about 90 m minus the DEM (a
    cheap stand-in for filling, without the hydrology kernels in the demo maker).
    """
    grid = frame.grid
    ids = building_ids(buildings, grid)
    ground = np.asarray(dem, dtype=np.float64)
    window = max(3, round(90.0 / grid.res) | 1)
    depth = ndimage.grey_closing(np.nan_to_num(ground, nan=np.nanmax(ground)), size=(window, window)) - ground
    inside = rasterio.features.geometry_mask([core], out_shape=grid.shape, transform=grid.transform, invert=True)
    near = ndimage.distance_transform_edt(ids == 0) * grid.res <= 30.0
    candidate = inside & near & (ids == 0) & np.isfinite(depth) & (depth >= 0.1)
    rows, cols = np.nonzero(candidate)
    order = np.lexsort((cols, rows, -depth[rows, cols]))
    chosen: list[Point] = []
    for i in order:
        x = grid.transform.c + (cols[i] + 0.5) * grid.res
        y = grid.transform.f - (rows[i] + 0.5) * grid.res
        p = Point(x, y)
        if all(p.distance(c) >= spacing_m for c in chosen):
            chosen.append(p)
        if len(chosen) == count:
            break
    return chosen


def example_sketch(frame: Frame, core: BaseGeometry, buildings: gpd.GeoDataFrame,
                   dem: np.ndarray) -> gpd.GeoDataFrame:
    """The example sketch as a GeoDataFrame (columns ``measure``, ``level``, ``comment``)."""
    cx, cy = L.TOWN_CENTRE
    wx, wy = L.WET_SPOT
    rows: list[tuple[str, str, str, BaseGeometry]] = []
    footprints = buildings.geometry.buffer(1.0).union_all() if len(buildings) else None
    for i, spot in enumerate(_bluespot_spots(frame, core, buildings, dem, 3, 150.0)):
        wadi = spot.buffer(max(10.0, 25.0 * frame.scale))
        if footprints is not None:
            wadi = wadi.difference(footprints)
        rows.append(("wadi", "neighbourhood", f"wadi in de blauwe plek bij de huizen {i + 1}", wadi))
    g = frame.geom
    rows += [
        ("water_square", "neighbourhood", "waterplein bij het centrum", g(box(cx + 120, cy - 160, cx + 190, cy - 110))),
        ("cool_place", "neighbourhood", "koele plek in het centrum", g(box(cx - 200, cy + 60, cx - 120, cy + 140))),
        ("green_roof", "neighbourhood", "groene daken op een bouwblok", g(box(cx - 120, cy - 80, cx + 40, cy + 40))),
        ("depaving", "neighbourhood", "tegels eruit in achtertuinen", g(box(cx + 200, cy + 100, cx + 320, cy + 180))),
        ("street_trees", "neighbourhood", "bomenrij langs de hoofdstraat",
         g(LineString([(cx - 400, cy - 20), (cx + 400, cy - 20)]))),
        ("thresholds", "neighbourhood", "drempels in de lage nieuwe wijk",
         g(box(wx - 250, wy - 200, wx + 250, wy + 200))),
        ("retention_pond", "town", "retentievijver naast de nieuwe wijk", g(Point(wx + 330, wy - 260).buffer(70))),
        ("raised_ditch_level", "region", "hoger slootpeil in de veenweidepolder",
         g(box(3300, 6300, 4000, 6900))),
        ("conifer_to_broadleaf", "region", "naaldbos omvormen tot loofbos op de stuwwal",
         g(box(L.MORAINE_CREST_X0 - 400, 2500, L.MORAINE_CREST_X0 + 400, 3500))),
        ("brook_restoration", "region", "beekherstel bovenstrooms van de stad",
         g(shapely.ops.substring(L.STREAM, 800.0, 2000.0))),
        ("dike_reinforcement", "region", "dijkversterking langs de rivier",
         # on the east dike, over the breach of [parameters.flood] (demo/flood.py: right of the river at 1300 m)
         g(shapely.ops.substring(L.RIVER, 800.0, 1800.0).offset_curve(-(L.FLOODPLAIN_HALF_WIDTH + L.DIKE_BASE_M / 2)))),
    ]
    return gpd.GeoDataFrame({"measure": [r[0] for r in rows], "level": [r[1] for r in rows],
                             "comment": [r[2] for r in rows]}, geometry=[r[3] for r in rows], crs=RD_NEW)
