"""Features onto the grid: the cells each measure covers, its size, and the buildings it touches.

* polygon: the cells whose centre lies inside (a polygon smaller than a cell
  gets the cell of its representative point); area = the polygon's area;
* line: the line buffered by half its width (flat ends); area = length x width;
* point: ``count`` pieces; with a crown area per piece, a disc of that total
  area around the point, else the cell of the point; area = count x crown area
  (or the cells' area);
* building: every building whose footprint the geometry intersects, with the
  cells of its footprint; area = the footprints' area (roofs).

Rasterised in a window around each feature, so a sketch of a few dozen
features costs milliseconds on a grid of millions of cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely
from affine import Affine

from alliantie.grid import Grid
from alliantie.measures.sketch import Feature


@dataclass(frozen=True)
class BuildingLayer:
    """The buildings of the baseline: footprints (row order = building number - 1) and the id raster."""

    frame: gpd.GeoDataFrame
    ids: np.ndarray  #: int32 building number per cell (0 none)

    @classmethod
    def none(cls, grid: Grid) -> BuildingLayer:
        return cls(gpd.GeoDataFrame(geometry=[], crs=grid.crs), np.zeros(grid.shape, np.int32))

    def cells_of(self, rows: np.ndarray) -> np.ndarray:
        """Flat cell indices of the footprints of buildings ``rows`` (0-based), from an index built once."""
        if not hasattr(self, "_order"):
            flat = self.ids.reshape(-1)
            order = np.argsort(flat, kind="stable").astype(np.int64)
            starts = np.searchsorted(flat[order], np.arange(len(self.frame) + 2))
            object.__setattr__(self, "_order", order)
            object.__setattr__(self, "_starts", starts)
        order, starts = self._order, self._starts  # type: ignore[attr-defined]
        numbers = np.asarray(rows, dtype=np.int64) + 1
        parts = [order[starts[n]:starts[n + 1]] for n in numbers]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Placement:
    """One feature on the grid."""

    feature: Feature
    cells: np.ndarray  #: flat cell indices (row-major), unique, sorted
    area_m2: float  #: the measure's own area (m²)
    length_m: float  #: the line's length (m; 0 for other kinds)
    count: float  #: pieces (points), buildings (building measures), 1 otherwise
    buildings: np.ndarray  #: building numbers - 1 (building measures), else empty
    #: the cells whose ground the measure changes: without building footprints, except for building measures
    ground_cells: np.ndarray

    @property
    def params(self) -> dict[str, float]:
        return self.feature.params


def _window_cells(geometry: shapely.Geometry, grid: Grid, *, all_touched: bool = False) -> np.ndarray:
    """Flat indices of the cells of ``geometry`` (centre inside, or touched), rasterised in its bounding window."""
    xmin, ymin, xmax, ymax = geometry.bounds
    t = grid.transform
    res = grid.res
    c0 = max(math.floor((xmin - t.c) / res) - 1, 0)
    c1 = min(math.ceil((xmax - t.c) / res) + 1, grid.width)
    r0 = max(math.floor((t.f - ymax) / res) - 1, 0)
    r1 = min(math.ceil((t.f - ymin) / res) + 1, grid.height)
    if c1 <= c0 or r1 <= r0:
        return np.zeros(0, dtype=np.int64)
    window = t @ Affine.translation(c0, r0)
    mask = rasterio.features.rasterize([(geometry, 1)], out_shape=(r1 - r0, c1 - c0), transform=window, fill=0,
                                       dtype="uint8", all_touched=all_touched)
    rows, cols = np.nonzero(mask)
    return ((rows + r0) * grid.width + (cols + c0)).astype(np.int64)


def _point_cells(geometry: shapely.Geometry, grid: Grid) -> np.ndarray:
    t = grid.transform
    points = shapely.get_parts(shapely.point_on_surface(geometry) if geometry.geom_type not in
                               ("Point", "MultiPoint") else geometry)
    cols = np.floor((shapely.get_x(points) - t.c) / grid.res).astype(np.int64)
    rows = np.floor((t.f - shapely.get_y(points)) / grid.res).astype(np.int64)
    inside = (rows >= 0) & (rows < grid.height) & (cols >= 0) & (cols < grid.width)
    return np.unique(rows[inside] * grid.width + cols[inside])


def place(feature: Feature, grid: Grid, buildings: BuildingLayer) -> Placement:
    """The cells, size and buildings of one feature."""
    kind = feature.measure.geometry
    geometry = feature.geometry
    length = 0.0
    count = 1.0
    touched = np.zeros(0, dtype=np.int64)
    if kind == "polygon":
        cells = _window_cells(geometry, grid)
        if not cells.size:
            cells = _point_cells(geometry, grid)
        area = float(geometry.area)
    elif kind == "line":
        assert feature.width_m is not None
        length = float(geometry.length)
        shape = shapely.buffer(geometry, feature.width_m / 2.0, cap_style="flat")
        cells = _window_cells(shape, grid)
        if not cells.size:
            cells = _window_cells(shape, grid, all_touched=True)
        area = length * feature.width_m
    elif kind == "point":
        count = feature.count
        crown = feature.params.get("canopy_m2_per_piece")
        points = shapely.get_parts(geometry)
        if crown:
            radius = math.sqrt(crown * count / len(points) / math.pi)
            cells = _window_cells(shapely.buffer(geometry, radius), grid, all_touched=radius < grid.res)
            area = crown * count
        else:
            cells = _point_cells(geometry, grid)
            area = float(cells.size) * grid.cell_area
    else:  # building
        frame = buildings.frame
        if len(frame):
            touched = np.asarray(frame.sindex.query(geometry, predicate="intersects"), dtype=np.int64)
        touched = np.unique(touched)
        count = float(touched.size)
        if touched.size:
            cells = buildings.cells_of(touched)
            area = float(frame.geometry.iloc[touched].area.sum())
        else:
            cells = np.zeros(0, dtype=np.int64)
            area = 0.0
    cells = np.unique(cells).astype(np.int64)
    ground = cells if kind == "building" else cells[buildings.ids.reshape(-1)[cells] == 0]
    return Placement(feature=feature, cells=cells, area_m2=area, length_m=length, count=count, buildings=touched,
                     ground_cells=ground)
