"""The soil map of the demo region, consistent with its terrain.

Podzol and other sand on the moraine and the cover-sand plain, thick earth soils
(eerd, plaggen) around the old settlements, some loam on the moraine flank,
peaty soils (moerig) and peat strips in the brook valleys, peat in the polder,
river clay in the floodplain and along the river, marine clay near the lake in
the far north, and 'bebouwd' (not mapped) under the old town.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import rasterio.features
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from alliantie.demo import layout as L
from alliantie.demo.fields import NoiseSource, smoothstep
from alliantie.demo.layout import Frame
from alliantie.demo.terrain import Terrain
from alliantie.grid import RD_NEW, Grid

SOIL_CLASSES = ("veen", "moerig", "podzol", "eerd", "zand", "zeeklei", "rivierklei", "oude_klei",
                "leem", "bebouwd", "water")
CODE = {name: i + 1 for i, name in enumerate(SOIL_CLASSES)}
#: soils on which pre-1940 buildings stand on wooden piles and later ones on concrete piles
SOFT_SOILS = frozenset({"veen", "moerig", "zeeklei", "rivierklei", "oude_klei"})


def geology(frame: Frame, noise: NoiseSource, t: Terrain) -> np.ndarray:
    """Soil class codes per cell, without 'bebouwd' (the soil under the town as it was)."""
    X = t.x[None, :]
    Y = t.y[:, None]
    n = noise.field(350.0)
    n2 = noise.field(180.0)
    soil = np.full(frame.grid.shape, CODE["zand"], dtype=np.uint8)
    soil[t.ridge + 0.4 * n > 0.75] = CODE["podzol"]
    # old arable land (essen) around the town and villages
    near_old = np.zeros(frame.grid.shape, dtype=np.float32)
    for cx, cy, r in [(*L.TOWN_CENTRE, 1100.0), *[(x, y, 750.0) for x, y in L.VILLAGES.values()]]:
        near_old = np.maximum(near_old, 1.0 - smoothstep(np.hypot(X - cx, Y - cy), 0.6 * r, r))
    soil[(near_old + 0.35 * n2 > 0.6) & (t.ridge > 0.2)] = CODE["eerd"]
    # push moraine: podzol, loam on the middle of the eastern flank
    moraine = t.moraine > 0.25
    soil[moraine] = CODE["podzol"]
    flank = (t.moraine > 0.25) & (t.moraine < 0.7) & (Y > 1200) & (Y < 5200) & (n2 > -0.3)
    soil[flank] = CODE["leem"]
    # brook valleys: peaty soils, peat strips where the moraine's water seeps out
    soil[(t.valley > 0.55) & ~moraine] = CODE["moerig"]
    soil[(t.seepage > 0.45) & (n > -0.6)] = CODE["veen"]
    # the lower western edge of the old town: peaty fill of the brook valley
    town_edge = (np.hypot(X - L.TOWN_CENTRE[0], Y - L.TOWN_CENTRE[1]) < 700.0) & (t.stream_distance < 330.0)
    soil[town_edge] = CODE["moerig"]
    soil[(t.wet_spot > 0.45) & (t.polder < 0.5)] = CODE["moerig"]
    # polder: peat, clay on peat along the river, marine clay near the lake
    polder = t.polder > 0.5
    soil[polder] = CODE["veen"]
    soil[polder & (t.river_distance < 650.0 + 150.0 * n)] = CODE["rivierklei"]
    soil[polder & (Y - 250.0 * n2 > 7350.0)] = CODE["zeeklei"]
    soil[t.floodplain | t.dike] = CODE["rivierklei"]
    return soil


def soil_map(geo: np.ndarray, t: Terrain, built_core: np.ndarray, open_water: np.ndarray) -> np.ndarray:
    """The mapped soil: geology with 'bebouwd' under the old town and 'water' for rivers and lakes."""
    soil = geo.copy()
    soil[built_core] = CODE["bebouwd"]
    soil[open_water] = CODE["water"]
    return soil


def coarsen(array: np.ndarray, grid: Grid, step: int) -> tuple[np.ndarray, Grid]:
    """Every ``step``-th cell (centre sample) and the grid of that coarse raster."""
    off = step // 2
    coarse = np.ascontiguousarray(array[off::step, off::step])
    t = grid.transform
    from affine import Affine

    transform = Affine(t.a * step, 0.0, t.c, 0.0, t.e * step, t.f)
    return coarse, Grid(grid.crs, transform, coarse.shape[1], coarse.shape[0])


def polygons(codes: np.ndarray, grid: Grid, names: dict[int, str], column: str,
             clip: BaseGeometry | None = None, min_area: float = 0.0) -> gpd.GeoDataFrame:
    """Polygons of equal code (rasterio.features.shapes) as a GeoDataFrame with ``column``."""
    geoms, values = [], []
    for geom, value in rasterio.features.shapes(codes, mask=codes > 0, transform=grid.transform,
                                                connectivity=4):
        geoms.append(shape(geom))
        values.append(names[int(value)])
    gdf = gpd.GeoDataFrame({column: values}, geometry=geoms, crs=RD_NEW)
    if clip is not None:
        gdf = gdf.clip(clip)
        gdf = gdf[gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if min_area > 0:
        gdf = gdf[gdf.geometry.area >= min_area]
    return gdf.reset_index(drop=True)


def soil_polygons(soil: np.ndarray, grid: Grid) -> gpd.GeoDataFrame:
    step = max(1, round(25.0 / grid.res)) if grid.res < 20 else 1
    coarse, cgrid = coarsen(soil, grid, step)
    return polygons(coarse, cgrid, {v: k for k, v in CODE.items()}, "soil_class")
