"""Nature areas of the demo region, polygonised from the land use raster."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from alliantie.demo import landuse as LU
from alliantie.demo import layout as L
from alliantie.demo.layout import Frame
from alliantie.demo.soil import coarsen, polygons
from alliantie.demo.terrain import Terrain
from alliantie.demo.town import Town
from alliantie.grid import RD_NEW

KIND_CODES = {
    "forest": (LU.DECIDUOUS, LU.CONIFER),
    "heath": (LU.HEATH, LU.GRASSY_HEATH),
    "wetland": (LU.MARSH, LU.REED, LU.SWAMP_FOREST),
    "grassland": (LU.OPEN_NATURE,),
}
KIND_INDEX = {kind: i + 1 for i, kind in enumerate(KIND_CODES)}
MIN_AREA_M2 = 10_000.0


def nature_areas(frame: Frame, landuse: np.ndarray, t: Terrain, town: Town) -> gpd.GeoDataFrame:
    """Polygons of forest, heath, wetland and natural grassland, with their network membership."""
    kinds = np.zeros(landuse.shape, dtype=np.uint8)
    for kind, codes in KIND_CODES.items():
        kinds[np.isin(landuse, codes)] = KIND_INDEX[kind]
    grid = frame.grid
    step = max(1, round(20.0 / grid.res))
    coarse, cgrid = coarsen(kinds, grid, step)
    gdf = polygons(coarse, cgrid, {v: k for k, v in KIND_INDEX.items()}, "kind",
                   min_area=MIN_AREA_M2 * frame.scale**2)
    # which zone each area lies in decides its name and network membership
    zone = np.zeros(landuse.shape, dtype=np.uint8)
    zone[t.moraine > 0.35] = 1
    zone[(t.valley > 0.5) & (zone == 0)] = 2
    zone[t.floodplain] = 3
    zc, _ = coarsen(zone, grid, step)
    pts = gdf.geometry.representative_point()
    col = np.clip(((pts.x - cgrid.transform.c) / cgrid.transform.a).astype(int), 0, cgrid.width - 1)
    row = np.clip(((pts.y - cgrid.transform.f) / cgrid.transform.e).astype(int), 0, cgrid.height - 1)
    z = zc[row.to_numpy(), col.to_numpy()]
    names = np.array(["", "Heuvelrug", "Valleibeek", "Eemuiterwaard"], dtype=object)
    gdf["name"] = names[z].astype(str)
    gdf["network"] = z > 0
    gdf.loc[gdf["kind"] == "heath", "network"] = True
    # a planned ecological link along the tributary (Natuurnetwerk Nederland)
    link = frame.geom(L.TRIBUTARY).buffer(60.0 * frame.scale + 20.0).difference(
        shapely.union_all(list(town.districts.geometry)))
    extra = gpd.GeoDataFrame({"kind": ["nature_network"], "name": ["Ecologische verbinding Veldbeek"],
                              "network": [True]}, geometry=[link], crs=RD_NEW)
    out = gpd.GeoDataFrame(pd.concat([gdf, extra], ignore_index=True), crs=RD_NEW)
    return out[["kind", "name", "network", "geometry"]].reset_index(drop=True)

