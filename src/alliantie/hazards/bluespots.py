"""Post-processing of the hydrology engine's results into what a municipality asks about.

Pure functions on numpy arrays and GeoDataFrames, no file I/O:

* buildings rasterised and raised in the DEM (the bluespot convention: water
  flows around them);
* water depth with small depths hidden;
* bluespots (the leaf depressions of the depression hierarchy) with their
  catchment area, storage capacity, stored volume, maximum depth and the rain
  needed to fill them (capacity / catchment area);
* flow paths as classes of upstream area;
* buildings with water against the facade or above floor level;
* road pieces by depth class (impassable for cars / for all traffic);
* counts per neighbourhood.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely

from alliantie.grid import Grid
from alliantie.raster.polygons import valid_polygonal

#: Building classes: 0 dry, 1 water against the facade, 2 water above floor level.
DRY, FACADE, ABOVE_FLOOR = 0, 1, 2
#: Road classes: 0 passable, 1 impassable for cars (first depth class), 2 impassable for all (second).
PASSABLE, NO_CARS, NO_TRAFFIC = 0, 1, 2

_OFFSETS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


def _shifted(dr: int, dc: int, h: int, w: int) -> tuple[tuple[slice, slice], tuple[slice, slice]]:
    """Slices (cell, neighbour at offset dr, dc) over every cell whose neighbour is inside the grid."""
    cell = (slice(max(0, -dr), h - max(0, dr)), slice(max(0, -dc), w - max(0, dc)))
    neighbour = (slice(max(0, dr), h - max(0, -dr)), slice(max(0, dc), w - max(0, -dc)))
    return cell, neighbour


# --- buildings in the DEM ---------------------------------------------------------------------------

def building_ids(buildings: gpd.GeoDataFrame | None, grid: Grid) -> np.ndarray:
    """int32 raster of building numbers (row position + 1; 0 = no building).

    A cell belongs to the footprint that covers its centre; a building too small
    to cover any cell centre gets the cell of its representative point (when
    that cell is free), so every building inside the grid is present.
    """
    ids = np.zeros(grid.shape, dtype=np.int32)
    if buildings is None or buildings.empty:
        return ids
    geoms = buildings.geometry.values
    numbers = np.arange(1, len(buildings) + 1, dtype=np.int32)
    ok = ~(shapely.is_empty(geoms) | shapely.is_missing(geoms))
    shapes = [(g, int(n)) for g, n in zip(geoms[ok], numbers[ok], strict=True)]
    if shapes:
        ids = rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform, fill=0,
                                          dtype="int32")
    present = np.zeros(len(buildings) + 1, dtype=bool)
    present[ids.ravel()] = True
    missing = np.nonzero(~present[1:] & ok)[0]
    if missing.size:
        points = shapely.point_on_surface(geoms[missing])
        rows, cols = cell_of(shapely.get_x(points), shapely.get_y(points), grid)
        inside = (rows >= 0) & (rows < grid.height) & (cols >= 0) & (cols < grid.width)
        rows, cols, which = rows[inside], cols[inside], missing[inside]
        free = ids[rows, cols] == 0
        ids[rows[free], cols[free]] = which[free] + 1
    return ids


def cell_of(x: np.ndarray, y: np.ndarray, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """Row and column (int64, may be outside the grid) of points ``x, y``."""
    t = grid.transform
    cols = np.floor((np.asarray(x, dtype=np.float64) - t.c) / t.a).astype(np.int64)
    rows = np.floor((np.asarray(y, dtype=np.float64) - t.f) / t.e).astype(np.int64)
    return rows, cols


def raise_buildings(dem: np.ndarray, ids: np.ndarray, raise_m: float) -> np.ndarray:
    """The DEM (float32, NaN = nodata) with building cells raised by ``raise_m`` (nodata stays)."""
    out = np.array(dem, dtype=np.float32, copy=True)
    out[ids > 0] += np.float32(raise_m)
    return out


# --- depth ------------------------------------------------------------------------------------------

def shown_depth(depth: np.ndarray, min_depth_m: float, hide: np.ndarray | None = None) -> np.ndarray:
    """Depth (float32) with NaN where there is no data, below ``min_depth_m`` or where ``hide`` is True."""
    out = np.array(depth, dtype=np.float32, copy=True)
    with np.errstate(invalid="ignore"):
        out[~(out >= np.float32(min_depth_m))] = np.nan
    if hide is not None:
        out[hide] = np.nan
    return out


# --- bluespots --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bluespots:
    """The bluespots (leaf depressions) kept, as columns; ``id`` is the leaf id of the hierarchy."""

    id: np.ndarray
    catchment_ha: np.ndarray
    capacity_m3: np.ndarray
    max_depth_m: np.ndarray
    area_m2: np.ndarray
    rain_to_fill_mm: np.ndarray

    def __len__(self) -> int:
        return int(self.id.size)


def bluespot_table(
    table: Mapping[str, np.ndarray], bluespot: np.ndarray, cell_area: float, *,
    min_depth_m: float = 0.02, min_area_m2: float = 0.0,
) -> Bluespots:
    """Attributes of the leaf depressions from the hierarchy ``table`` and the ``bluespot`` label raster.

    ``rain_to_fill_mm`` = capacity / catchment area (the runoff depth over the
    whole catchment that fills the bluespot). Leaves shallower than
    ``min_depth_m`` or smaller than ``min_area_m2`` are left out.
    """
    ids = np.asarray(table["id"], dtype=np.int64)
    leaf = np.asarray(table["is_leaf"], dtype=bool)
    n = int(ids.max()) + 1 if ids.size else 1
    flooded = np.bincount(bluespot[bluespot > 0].ravel(), minlength=n)[:n]
    area = flooded[ids] * cell_area if ids.size else np.zeros(0)
    catchment_m2 = np.asarray(table["catchment_cells"], dtype=np.float64) * cell_area
    capacity = np.asarray(table["capacity_m3"], dtype=np.float64)
    max_depth = np.asarray(table["max_depth_m"], dtype=np.float64)
    keep = leaf & (max_depth >= min_depth_m) & (area >= max(min_area_m2, 1e-12)) & (capacity > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        fill = np.where(catchment_m2 > 0, capacity / catchment_m2 * 1000.0, np.inf)
    return Bluespots(
        id=ids[keep], catchment_ha=catchment_m2[keep] / 1e4, capacity_m3=capacity[keep],
        max_depth_m=max_depth[keep], area_m2=area[keep].astype(np.float64), rain_to_fill_mm=fill[keep],
    )


def stored_per_bluespot(bluespot: np.ndarray, depth: np.ndarray, ids: np.ndarray, cell_area: float) -> np.ndarray:
    """Water volume (m3) in each bluespot ``ids`` from the depth raster (NaN counts as 0)."""
    if ids.size == 0:
        return np.zeros(0)
    n = max(int(ids.max()), int(bluespot.max(initial=0))) + 1
    inside = bluespot > 0
    weights = np.nan_to_num(depth[inside].astype(np.float64), nan=0.0)
    sums = np.bincount(bluespot[inside].ravel(), weights=weights, minlength=n)
    return np.asarray(sums[ids] * cell_area)


def bluespot_polygons(bluespot: np.ndarray, spots: Bluespots, grid: Grid) -> gpd.GeoDataFrame:
    """Polygons of the kept bluespots with their attributes (one row per bluespot)."""
    columns = {
        "id": spots.id.astype(np.int64),
        "catchment_ha": np.round(spots.catchment_ha, 3),
        "capacity_m3": np.round(spots.capacity_m3, 1),
        "max_depth_m": np.round(spots.max_depth_m, 3),
        "area_m2": np.round(spots.area_m2, 1),
        "rain_to_fill_mm": np.round(np.minimum(spots.rain_to_fill_mm, 1e6), 1),
    }
    if len(spots) == 0:
        return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=grid.crs), crs=grid.crs)
    lookup = np.zeros(int(bluespot.max(initial=0)) + 1, dtype=bool)
    lookup[spots.id[spots.id < lookup.size]] = True
    labels = np.where(lookup[np.clip(bluespot, 0, None)] & (bluespot > 0), bluespot, 0).astype(np.int32)
    geoms: dict[int, list[Any]] = {}
    for geom, value in rasterio.features.shapes(labels, mask=labels > 0, transform=grid.transform,
                                                connectivity=8):
        geoms.setdefault(int(value), []).append(valid_polygonal(shapely.geometry.shape(geom)))
    polys = [
        shapely.union_all(geoms[i]) if len(geoms.get(int(i), [])) > 1 else (geoms.get(int(i)) or [None])[0]
        for i in spots.id
    ]
    polys = [shapely.MultiPolygon([p]) if isinstance(p, shapely.Polygon) else p for p in polys]
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(polys, crs=grid.crs), crs=grid.crs)


# --- flow paths -------------------------------------------------------------------------------------

def flow_path_classes(accumulation: np.ndarray, cell_area: float, min_area_ha: float) -> np.ndarray:
    """uint8 classes of upstream area: 1 from ``min_area_ha``, 2 from 10x, 3 from 100x; 0 below or no data."""
    area_ha = np.nan_to_num(np.asarray(accumulation, dtype=np.float64), nan=0.0) * cell_area / 1e4
    out = np.zeros(area_ha.shape, dtype=np.uint8)
    out[area_ha >= min_area_ha] = 1
    out[area_ha >= 10 * min_area_ha] = 2
    out[area_ha >= 100 * min_area_ha] = 3
    return out


#: D8 codes (ESRI: E=1, SE=2, S=4, SW=8, W=16, NW=32, N=64, NE=128) -> (row step, column step).
D8_STEPS = {1: (0, 1), 2: (1, 1), 4: (1, 0), 8: (1, -1), 16: (0, -1), 32: (-1, -1), 64: (-1, 0), 128: (-1, 1)}


def flow_path_lines(directions: np.ndarray, classes: np.ndarray, grid: Grid) -> gpd.GeoDataFrame:
    """Flow paths as lines: from each cell of class > 0 to its D8 downstream cell, merged per class.

    Column ``class`` is the class of upstream area (see :func:`flow_path_classes`);
    cells without an outflow direction (pits, nodata) end a line.
    """
    codes = np.asarray(directions)
    step_r = np.zeros(256, dtype=np.int64)
    step_c = np.zeros(256, dtype=np.int64)
    has = np.zeros(256, dtype=bool)
    for d8, (dr, dc) in D8_STEPS.items():
        step_r[d8], step_c[d8], has[d8] = dr, dc, True
    rows, cols = np.nonzero(classes > 0)
    code = codes[rows, cols].astype(np.int64) & 255
    ok = has[code]
    rows, cols, code = rows[ok], cols[ok], code[ok]
    t = grid.transform
    x0 = t.c + (cols + 0.5) * t.a
    y0 = t.f + (rows + 0.5) * t.e
    x1 = x0 + step_c[code] * t.a
    y1 = y0 + step_r[code] * t.e
    klass = classes[rows, cols]
    out_class: list[int] = []
    out_geom: list[Any] = []
    for k in sorted({int(v) for v in np.unique(klass)}):
        sel = klass == k
        segments = shapely.linestrings(np.stack([np.stack([x0[sel], y0[sel]], 1), np.stack([x1[sel], y1[sel]], 1)], 1))
        merged = shapely.line_merge(shapely.MultiLineString(list(segments)))
        parts = shapely.get_parts(merged)
        out_geom.extend(parts)
        out_class.extend([k] * len(parts))
    return gpd.GeoDataFrame({"class": np.array(out_class, dtype=np.int64)},
                            geometry=gpd.GeoSeries(out_geom, crs=grid.crs), crs=grid.crs)


# --- buildings --------------------------------------------------------------------------------------

def facade_water(ids: np.ndarray, count: int, depth: np.ndarray, level: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per building 1..count: the largest depth and water level in cells touching its footprint (8-neighbours).

    ``depth`` and ``level`` are NaN (or 0) where dry; cells of the footprint
    itself do not count. Returns arrays of length ``count + 1`` (index = building
    number; index 0 unused), NaN where no touching cell is wet.
    """
    max_depth = np.full(count + 1, -np.inf)
    max_level = np.full(count + 1, -np.inf)
    h, w = ids.shape
    d = np.nan_to_num(np.asarray(depth, dtype=np.float64), nan=-np.inf)
    lv = np.where(d > -np.inf, np.asarray(level, dtype=np.float64), -np.inf)
    lv = np.nan_to_num(lv, nan=-np.inf)
    for dr, dc in _OFFSETS:
        cell, nb = _shifted(dr, dc, h, w)
        src, nb_ids, nb_d, nb_l = ids[cell], ids[nb], d[nb], lv[nb]
        sel = (src > 0) & (nb_ids != src) & (nb_d > -np.inf)
        if sel.any():
            np.maximum.at(max_depth, src[sel], nb_d[sel])
            np.maximum.at(max_level, src[sel], nb_l[sel])
    max_depth[~np.isfinite(max_depth)] = np.nan
    max_level[~np.isfinite(max_level)] = np.nan
    return max_depth, max_level


def building_classes(
    facade_depth: np.ndarray, facade_level: np.ndarray, floor_level: np.ndarray, min_depth_m: float
) -> np.ndarray:
    """uint8 class per building: :data:`DRY`, :data:`FACADE` (depth > min at the facade) or :data:`ABOVE_FLOOR`.

    All arrays are per building (same length). Above floor: the water level at
    the facade exceeds the floor level (m NAP); a NaN floor level never counts.
    """
    out = np.zeros(facade_depth.shape, dtype=np.uint8)
    with np.errstate(invalid="ignore"):
        wet = facade_depth > min_depth_m
        out[wet] = FACADE
        out[wet & (facade_level > floor_level)] = ABOVE_FLOOR
    return out


def floor_levels(buildings: gpd.GeoDataFrame, dem: np.ndarray, ids: np.ndarray, floor_height_m: float) -> np.ndarray:
    """Floor level (m NAP) per building: ``floor_level_m`` where given, else the lowest ground around + height."""
    count = len(buildings)
    given = np.full(count, np.nan)
    if "floor_level_m" in buildings.columns:
        given = np.asarray(buildings["floor_level_m"], dtype=np.float64)
    if np.isnan(given).any():
        ground = footprint_ground(ids, count, dem)
        given = np.where(np.isnan(given), ground + floor_height_m, given)
    return given


def footprint_ground(ids: np.ndarray, count: int, dem: np.ndarray) -> np.ndarray:
    """Lowest ground (m) in the cells touching each building's footprint (NaN when unknown)."""
    ground = np.full(count + 1, np.inf)
    h, w = ids.shape
    z = np.nan_to_num(np.asarray(dem, dtype=np.float64), nan=np.inf)
    for dr, dc in _OFFSETS:
        cell, nb = _shifted(dr, dc, h, w)
        src, nb_ids, nb_z = ids[cell], ids[nb], z[nb]
        sel = (src > 0) & (nb_ids == 0)
        if sel.any():
            np.minimum.at(ground, src[sel], nb_z[sel])
    ground[~np.isfinite(ground)] = np.nan
    return ground[1:]


# --- roads ------------------------------------------------------------------------------------------

def road_pieces(roads: gpd.GeoDataFrame, step_m: float) -> gpd.GeoDataFrame:
    """Roads cut into straight pieces of at most ``step_m`` (columns ``road`` = row position, kind, name)."""
    crs = roads.crs
    if roads.empty:
        return gpd.GeoDataFrame({"road": np.zeros(0, dtype=np.int64)}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    lines = shapely.segmentize(roads.geometry.values, step_m)
    parts, owner = shapely.get_parts(lines, return_index=True)
    coords, index = shapely.get_coordinates(parts, return_index=True)
    same = index[1:] == index[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    road = owner[index[:-1][same]]
    keep = np.any(a != b, axis=1)
    a, b, road = a[keep], b[keep], road[keep]
    geoms = shapely.linestrings(np.stack([a, b], axis=1))
    out = gpd.GeoDataFrame({"road": road.astype(np.int64)}, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)
    for column in ("kind", "name"):
        if column in roads.columns:
            out[column] = roads[column].to_numpy()[road]
    return out


def sample_max(raster: np.ndarray, pieces: gpd.GeoDataFrame, grid: Grid) -> np.ndarray:
    """Largest value of ``raster`` (NaN as 0) at the start, middle and end of each straight piece."""
    if pieces.empty:
        return np.zeros(0)
    coords = shapely.get_coordinates(pieces.geometry.values).reshape(-1, 2, 2)
    values = np.nan_to_num(np.asarray(raster, dtype=np.float64), nan=0.0)
    out = np.zeros(len(coords))
    for pt in (coords[:, 0], (coords[:, 0] + coords[:, 1]) / 2, coords[:, 1]):
        rows, cols = cell_of(pt[:, 0], pt[:, 1], grid)
        inside = (rows >= 0) & (rows < grid.height) & (cols >= 0) & (cols < grid.width)
        v = np.zeros(len(coords))
        v[inside] = values[rows[inside], cols[inside]]
        out = np.maximum(out, v)
    return out


def road_classes(depth_m: np.ndarray, classes_m: tuple[float, float]) -> np.ndarray:
    """uint8 per piece: :data:`PASSABLE` below the first depth, :data:`NO_CARS`, :data:`NO_TRAFFIC` from the second."""
    out = np.zeros(depth_m.shape, dtype=np.uint8)
    out[depth_m >= classes_m[0]] = NO_CARS
    out[depth_m >= classes_m[1]] = NO_TRAFFIC
    return out


# --- neighbourhoods ---------------------------------------------------------------------------------

def zone_of_points(zones: np.ndarray, x: np.ndarray, y: np.ndarray, grid: Grid) -> np.ndarray:
    """Value of the zone raster at points (0 outside the grid)."""
    rows, cols = cell_of(x, y, grid)
    inside = (rows >= 0) & (rows < grid.height) & (cols >= 0) & (cols < grid.width)
    out = np.zeros(len(rows), dtype=np.int64)
    out[inside] = zones[rows[inside], cols[inside]]
    return out


def count_by_zone(zone: np.ndarray, n_zones: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Sum of ``weights`` (or count) per zone 1..n_zones (index 0 = outside every zone)."""
    return np.bincount(zone, weights=weights, minlength=n_zones + 1)[: n_zones + 1]
