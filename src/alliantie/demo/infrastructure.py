"""Roads and railways of the demo region (real coordinates)."""

from __future__ import annotations

import geopandas as gpd
import shapely

from alliantie.demo import layout as L
from alliantie.demo.layout import Frame
from alliantie.demo.town import Town
from alliantie.grid import RD_NEW


def _extent(frame: Frame) -> shapely.Geometry:
    return frame.geom(shapely.box(0, 0, L.LAYOUT_WIDTH, L.LAYOUT_HEIGHT))


def roads(frame: Frame, town: Town) -> gpd.GeoDataFrame:
    """Motorway, main roads between town and villages, country lanes and town streets."""
    rows: list[tuple[str, str, shapely.Geometry]] = [("motorway", "A28", frame.geom(L.MOTORWAY))]
    rows += [("main", name, frame.geom(line)) for name, line in L.MAIN_ROADS]
    rows += [("local", name, frame.geom(line)) for name, line in L.LOCAL_ROADS]
    rows += list(zip(town.streets["kind"], town.streets["name"], town.streets.geometry, strict=True))
    kind, name, geom = zip(*rows, strict=True)
    gdf = gpd.GeoDataFrame({"kind": list(kind), "name": list(name)}, geometry=list(geom), crs=RD_NEW)
    gdf = gdf.clip(_extent(frame))
    gdf = gdf[gdf.geometry.geom_type.isin(["LineString", "MultiLineString"]) & (gdf.length > 1.0)]
    return gdf.explode(index_parts=False).reset_index(drop=True)


def railways(frame: Frame) -> gpd.GeoDataFrame:
    """The railway through the town (like Utrecht - Amersfoort - Zwolle)."""
    gdf = gpd.GeoDataFrame({"kind": ["railway"], "name": ["Spoorlijn Utrecht - Zwolle"]},
                           geometry=[frame.geom(L.RAILWAY)], crs=RD_NEW)
    return gdf.clip(_extent(frame)).reset_index(drop=True)
