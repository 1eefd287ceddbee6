"""Land use raster with LGN codes, consistent with terrain, soil, town and roads."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import rasterio.features

from alliantie.demo.fields import NoiseSource
from alliantie.demo.layout import Frame
from alliantie.demo.terrain import Terrain
from alliantie.demo.town import Town

# LGN codes used by the demo
GRASS, MAIZE, POTATO, BEET, CEREAL, OTHER_CROP, ORCHARD = 1, 2, 3, 4, 5, 6, 9
DECIDUOUS, CONIFER, WATER = 11, 12, 16
BUILT_PRIMARY, BUILT_SECONDARY, WOOD_PRIMARY, WOOD_SECONDARY, GRASS_PRIMARY = 18, 19, 20, 22, 23
INFRA, BUILT_RURAL, GRASS_SECONDARY = 25, 26, 28
HEATH, GRASSY_HEATH, MARSH, REED, SWAMP_FOREST, OPEN_NATURE, NURSERY = 36, 37, 41, 42, 43, 45, 61

#: crop shares of arable parcels on the sand plain (alliantie estimate for a Gelderse Vallei mix)
SAND_CROPS = {GRASS: 0.46, MAIZE: 0.24, CEREAL: 0.11, POTATO: 0.05, BEET: 0.04, OTHER_CROP: 0.04,
              NURSERY: 0.04, ORCHARD: 0.02}


def _parcel_values(X: np.ndarray, Y: np.ndarray, seed: int, angle_deg: float,
                   size: tuple[float, float]) -> np.ndarray:
    """A uniform 0..1 value per rectangular parcel of a rotated parcel grid (layout m)."""
    a = np.deg2rad(angle_deg)
    u = X * np.cos(a) + Y * np.sin(a)
    v = -X * np.sin(a) + Y * np.cos(a)
    table_rng = np.random.default_rng(seed)
    shift = table_rng.uniform(0, size[1], 4096)
    table = table_rng.random(1 << 16)
    i = np.floor(u / size[0]).astype(np.int64)
    j = np.floor((v + shift[i % 4096]) / size[1]).astype(np.int64)
    return table[(i * 7919 + j * 104729) % (1 << 16)].astype(np.float32)


def _burn(frame: Frame, geoms: list, value: int, out: np.ndarray, all_touched: bool = False) -> None:
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if geoms:
        rasterio.features.rasterize([(g, value) for g in geoms], out=out, transform=frame.grid.transform,
                                    all_touched=all_touched)


def make_landuse(frame: Frame, noise: NoiseSource, t: Terrain, town: Town, roads: gpd.GeoDataFrame,
                 railways: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame, seed: int) -> np.ndarray:
    X = t.x[None, :]
    Y = t.y[:, None]
    n_forest = noise.field(400.0)
    n_heath = noise.field(500.0)
    n_small = noise.field(120.0)

    # farmland parcels on the sand plain
    parcels = _parcel_values(X, Y, seed + 1, 12.0, (170.0, 330.0))
    cuts = np.cumsum(list(SAND_CROPS.values()))
    codes = np.array(list(SAND_CROPS), dtype=np.uint8)
    lu = codes[np.minimum(np.searchsorted(cuts, parcels), len(codes) - 1)]
    # woodlots on the sand plain
    lu = np.where(n_small > 1.7, DECIDUOUS, lu).astype(np.uint8)
    # moraine: forest with heath on the plateau (and a large heath like the Leusderheide)
    moraine = t.moraine > 0.35
    forest = np.where(n_forest > -0.1, CONIFER, DECIDUOUS).astype(np.uint8)
    lu = np.where(moraine, forest, lu)
    big_heath = np.hypot(X - 1300.0, Y - 2100.0) < 650.0 + 180.0 * n_heath
    heath = moraine & ((n_heath > 1.0) | big_heath) & (t.moraine > 0.6)
    lu = np.where(heath, np.where(n_small > 0.6, GRASSY_HEATH, HEATH), lu)
    lu = np.where(moraine & (n_small < -1.9), OPEN_NATURE, lu)
    # brook valleys: wet grassland, reed and marsh, alder carr where the water seeps out
    valley = t.valley > 0.6
    lu = np.where(valley, GRASS, lu)
    wet_nature = valley & (t.seepage > 0.35)
    lu = np.where(wet_nature, np.select([n_small > 0.5, n_small > -0.4], [SWAMP_FOREST, REED], MARSH), lu)
    # polder: grassland; floodplain: grassland, open nature and marsh
    lu = np.where(t.polder > 0.5, GRASS, lu)
    fp_parcels = _parcel_values(X, Y, seed + 2, 20.0, (120.0, 200.0))
    fp = t.floodplain
    lu = np.where(fp, np.select([fp_parcels < 0.55, fp_parcels < 0.8], [GRASS, OPEN_NATURE], MARSH), lu)
    lu = np.where(t.dike, GRASS, lu)
    lu = lu.astype(np.uint8)

    # town and villages
    district_kind = dict(zip(town.districts["key"], town.districts["kind"], strict=True))
    for key, geom in zip(town.districts["key"], town.districts.geometry, strict=True):
        _burn(frame, [geom], BUILT_SECONDARY if district_kind[key] == "industrial" else BUILT_PRIMARY, lu)
    _burn(frame, list(town.villages.geometry), BUILT_PRIMARY, lu)
    # town edge green: grass and trees along the districts
    for kind, code in (("park", GRASS_PRIMARY), ("wood", WOOD_PRIMARY), ("sports", GRASS_SECONDARY)):
        _burn(frame, list(town.parks.geometry[town.parks["kind"] == kind]), code, lu)
    park_trees = (lu == GRASS_PRIMARY) & (n_small > 0.3)
    lu[park_trees] = WOOD_PRIMARY
    ind = town.districts.geometry[town.districts["kind"] == "industrial"]
    _burn(frame, list(ind.boundary.buffer(15.0 * max(frame.scale, 0.5)).intersection(ind.union_all())),
          WOOD_SECONDARY, lu)
    # farmyards
    farms = buildings[buildings["function"] == "agricultural"]
    rural = ~farms.geometry.centroid.within(town.villages.union_all())
    _burn(frame, list(farms.geometry[rural].buffer(18.0)), BUILT_RURAL, lu)
    # main roads and railways
    for kind, half in (("motorway", 16.0), ("main", 5.0)):
        _burn(frame, list(roads.geometry[roads["kind"] == kind].buffer(half)), INFRA, lu, all_touched=True)
    _burn(frame, list(railways.geometry.buffer(6.0)), INFRA, lu, all_touched=True)
    # open water last
    lu[t.water] = WATER
    return lu
