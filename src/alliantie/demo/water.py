"""Water of the demo region as vectors: river, brooks, canals, ditches, lakes and ponds.

Geometries are built in the layout frame and returned in real coordinates.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from alliantie.demo import layout as L
from alliantie.demo.layout import Frame
from alliantie.grid import RD_NEW

DITCH_SPACING_M = 100.0  # real metres between polder ditches (strokenverkaveling)
DITCH_WIDTH_M = 3.0
SAND_DITCH_SPACING_M = 300.0
SAND_DITCH_WIDTH_M = 1.5


def _offset_point(line: LineString, at: float, offset: float) -> tuple[float, float]:
    """The point ``offset`` m left of ``line`` at chainage ``at`` (layout m)."""
    a = np.asarray(line.interpolate(at).coords[0])
    b = np.asarray(line.interpolate(min(at + 20.0, line.length)).coords[0])
    t = (b - a) / max(float(np.hypot(*(b - a))), 1e-9)
    n = np.array([-t[1], t[0]])
    p = a + n * offset
    return (float(p[0]), float(p[1]))


def floodplain_lakes() -> list[tuple[str, Polygon]]:
    """Oxbow-like lakes in the floodplain (layout frame)."""
    out = []
    for i, (at, side) in enumerate([(1500.0, 1.0), (2300.0, -1.0), (3000.0, 1.0)]):
        cx, cy = _offset_point(L.RIVER, at, side * 0.55 * L.FLOODPLAIN_HALF_WIDTH)
        ellipse = shapely.affinity.scale(Point(cx, cy).buffer(1.0, quad_segs=12), 120.0, 45.0)
        ellipse = shapely.affinity.rotate(ellipse, 70.0 + 25.0 * side, origin=(cx, cy))
        out.append((f"Eemplas {i + 1}", ellipse))
    return out


def district_ponds() -> list[tuple[str, Polygon]]:
    """Ponds in the new district and a pond in the town park (layout frame)."""
    return [
        ("Waterrijkvijver", shapely.affinity.rotate(
            shapely.affinity.scale(Point(6600, 5000).buffer(1.0, quad_segs=12), 260.0, 35.0), 20.0)),
        ("Vathorstplas", shapely.affinity.rotate(
            shapely.affinity.scale(Point(6350, 5250).buffer(1.0, quad_segs=12), 160.0, 40.0), -15.0)),
        ("Stadsparkvijver", shapely.affinity.scale(Point(5650, 4150).buffer(1.0, quad_segs=12), 45.0, 25.0)),
    ]


def sand_lake() -> tuple[str, Polygon]:
    """A former sand extraction lake next to the motorway (layout frame)."""
    return ("Zandwinplas De Vlasakker", shapely.affinity.rotate(
        shapely.affinity.scale(Point(3000, 1300).buffer(1.0, quad_segs=16), 170.0, 110.0), 10.0))


def polder_polygon() -> Polygon:
    """The peat-meadow polder (layout frame): north of the polder edge."""
    edge = list(L.POLDER_EDGE)
    return Polygon([*edge, (L.LAYOUT_WIDTH, L.LAYOUT_HEIGHT), (edge[0][0], L.LAYOUT_HEIGHT)])


def floodplain_polygon(frame: Frame) -> BaseGeometry:
    """River plus floodplain plus dikes (real coordinates), tapered near the town."""
    river = frame.geom(L.RIVER)
    start = 300.0 * frame.scale
    reach = shapely.ops.substring(river, start, river.length)
    half = L.FLOODPLAIN_HALF_WIDTH * frame.scale + max(L.DIKE_BASE_M, 3 * frame.size.res)
    return reach.buffer(half, cap_style="flat")


def _parallel_lines(area: BaseGeometry, angle_deg: float, spacing: float) -> list[LineString]:
    """Parallel lines at ``spacing`` across ``area`` at ``angle_deg`` (from east, counter-clockwise)."""
    cx, cy = area.centroid.coords[0]
    minx, miny, maxx, maxy = area.bounds
    reach = float(np.hypot(maxx - minx, maxy - miny))
    a = np.deg2rad(angle_deg)
    d = np.array([np.cos(a), np.sin(a)])
    n = np.array([-d[1], d[0]])
    offsets = np.arange(-reach / 2, reach / 2, spacing)
    lines = []
    for o in offsets:
        p0 = np.array([cx, cy]) + n * o - d * reach
        p1 = np.array([cx, cy]) + n * o + d * reach
        lines.append(LineString([p0, p1]))
    clipped = shapely.intersection(np.array(lines, dtype=object), area)
    out: list[LineString] = []
    for g in clipped:
        if g.is_empty:
            continue
        if isinstance(g, LineString):
            out.append(g)
        elif isinstance(g, MultiLineString):
            out.extend(g.geoms)
    return [g for g in out if g.length > spacing * 0.5]


def watercourses(frame: Frame, town: BaseGeometry) -> gpd.GeoDataFrame:
    """Lines: river, brooks, canals, polder ditches and field ditches (real coordinates)."""
    rows: list[tuple[str, str, float, BaseGeometry]] = [
        ("river", "Eem", L.RIVER_WIDTH_M, frame.geom(L.RIVER)),
        ("stream", "Valleibeek", L.STREAM_WIDTH_M, frame.geom(L.STREAM)),
        ("stream", "Veldbeek", L.TRIBUTARY_WIDTH_M, frame.geom(L.TRIBUTARY)),
        ("canal", "Valleikanaal", L.CANAL_WIDTH_M, frame.geom(L.CANAL)),
        ("canal", "Stadsgracht", 10.0, frame.geom(
            shapely.Point(L.TOWN_CENTRE).buffer(345.0, quad_segs=16).exterior)),
    ]
    keep_out = shapely.union_all([
        floodplain_polygon(frame),
        town.buffer(30.0),
        frame.geom(L.STREAM).buffer(20.0),
    ])
    polder = frame.geom(polder_polygon()).intersection(frame.geom(
        shapely.box(0, 0, L.LAYOUT_WIDTH, L.LAYOUT_HEIGHT))).difference(keep_out)
    # strokenverkaveling: long narrow plots perpendicular to the river
    for line in _parallel_lines(polder, 22.0, DITCH_SPACING_M):
        rows.append(("ditch", "", DITCH_WIDTH_M, line))
    # field ditches in the wetter sand plain along the brooks
    sand = frame.geom(shapely.box(3300, 600, 9800, 5000)).difference(
        frame.geom(polder_polygon()).buffer(50.0)).difference(keep_out.buffer(100.0))
    for line in _parallel_lines(sand, 80.0, SAND_DITCH_SPACING_M):
        rows.append(("ditch", "", SAND_DITCH_WIDTH_M, line))
    kind, name, width, geom = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"kind": list(kind), "name": list(name), "width_m": np.array(width, dtype=float)},
        geometry=list(geom), crs=RD_NEW,
    )


def waterbodies(frame: Frame) -> gpd.GeoDataFrame:
    """Polygons: the river bed, floodplain lakes, a sand lake and ponds (real coordinates)."""
    river = frame.geom(L.RIVER).buffer(L.RIVER_WIDTH_M / 2, cap_style="flat")
    rows: list[tuple[str, str, BaseGeometry]] = [("river", "Eem", river)]
    rows += [("floodplain_lake", n, frame.geom(p)) for n, p in floodplain_lakes()]
    rows.append(("lake", sand_lake()[0], frame.geom(sand_lake()[1])))
    rows += [("pond", n, frame.geom(p)) for n, p in district_ponds()]
    kind, name, geom = zip(*rows, strict=True)
    return gpd.GeoDataFrame({"kind": list(kind), "name": list(name)}, geometry=list(geom), crs=RD_NEW)
