"""The demo's example sketch (``inputs/example_sketch.gpkg``): a dozen measures across the four themes.

What a workshop table might draw on the demo region: wadis at the three lowest
street spots of the town, a water square and a cool place in the centre, green
roofs on a centre block, depaving and a row of street trees, thresholds in the
low-lying new district with a retention pond beside it, a raised ditch level in
the peat polder, conifer-to-broadleaf conversion on the moraine, brook
restoration upstream of the town and a dike reinforcement over the breach of the flood product.
Positions come from the layout (and, for the wadis, from the demo's own DEM and
roads), so both demo sizes get the same sketch in their own frame.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

from alliantie.demo import layout as L
from alliantie.demo.layout import Frame
from alliantie.grid import RD_NEW


def _lowest_street_spots(frame: Frame, core: BaseGeometry, roads: gpd.GeoDataFrame,
                         buildings: gpd.GeoDataFrame, dem: np.ndarray, count: int,
                         spacing_m: float) -> list[Point]:
    """The ``count`` lowest points on the roads of ``core``, at least ``spacing_m`` apart, off the buildings."""
    grid = frame.grid
    lines = roads.geometry.intersection(core)
    lines = lines[~lines.is_empty]
    points = [shapely.line_interpolate_point(g, np.arange(0.0, g.length, grid.res)) for g in lines]
    if not points:
        return []
    pts = np.concatenate([np.atleast_1d(p) for p in points])
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    cols = ((x - grid.transform.c) / grid.res).astype(int)
    rows = ((grid.transform.f - y) / grid.res).astype(int)
    inside = (rows >= 0) & (rows < grid.height) & (cols >= 0) & (cols < grid.width)
    pts, rows, cols = pts[inside], rows[inside], cols[inside]
    z = dem[rows, cols].astype(np.float64)
    free = np.ones(pts.size, dtype=bool)
    if len(buildings):
        free[buildings.sindex.query(pts, predicate="intersects")[0]] = False
    order = np.lexsort((np.arange(z.size), np.where(free & np.isfinite(z), z, np.inf)))
    chosen: list[Point] = []
    for i in order:
        if not np.isfinite(z[i]):
            break
        p = pts[i]
        if all(p.distance(c) >= spacing_m for c in chosen):
            chosen.append(p)
        if len(chosen) == count:
            break
    return chosen


def example_sketch(frame: Frame, core: BaseGeometry, roads: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame,
                   dem: np.ndarray) -> gpd.GeoDataFrame:
    """The example sketch as a GeoDataFrame (columns ``measure``, ``level``, ``comment``)."""
    cx, cy = L.TOWN_CENTRE
    wx, wy = L.WET_SPOT
    rows: list[tuple[str, str, str, BaseGeometry]] = []
    footprints = buildings.geometry.buffer(1.0).union_all() if len(buildings) else None
    for i, spot in enumerate(_lowest_street_spots(frame, core, roads, buildings, dem, 3, 60.0 * frame.scale + 40.0)):
        wadi = spot.buffer(max(8.0, 25.0 * frame.scale))
        if footprints is not None:
            wadi = wadi.difference(footprints)
        rows.append(("wadi", "neighbourhood", f"wadi op laag punt in de straat {i + 1}", wadi))
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
