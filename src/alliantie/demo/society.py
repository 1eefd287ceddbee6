"""Neighbourhoods (with residents) and planned projects of the demo region."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from alliantie.demo import layout as L
from alliantie.demo.layout import Frame
from alliantie.demo.town import Town
from alliantie.grid import RD_NEW

#: Gross floor area per resident, m². Assumption of the demo (not a method parameter): a
#: Dutch dwelling of roughly 100 m² gross floor area houses about 2.2 people, i.e. ~45 m²
#: per resident. Floors are counted as height / 3 m.
FLOOR_AREA_PER_RESIDENT_M2 = 45.0
STOREY_HEIGHT_M = 3.0

#: share of residents aged 65+ per district kind (older districts higher; demo assumption)
SHARE_65PLUS = {"historic": 0.21, "prewar": 0.23, "postwar": 0.27, "industrial": 0.10,
                "new": 0.08, "village": 0.25, "rural": 0.22}

#: rural neighbourhoods: seed point (layout m) for the split of the countryside
RURAL = [("Buitengebied Heuvelrug", (1000.0, 3500.0)), ("Buitengebied Eempolder", (6500.0, 7000.0)),
         ("Buitengebied Vallei", (7000.0, 1800.0))]

MUNICIPALITY_CODE = "0999"  # fictitious CBS municipality code of the demo


def boundary(frame: Frame) -> BaseGeometry:
    """The study area: the demo extent with two corners cut off, like a municipal border."""
    shape = shapely.Polygon([(0, 0), (8700, 0), (10000, 900), (10000, 8000), (1200, 8000), (0, 7100)])
    return frame.geom(shape)


def neighbourhoods(frame: Frame, town: Town, buildings: gpd.GeoDataFrame,
                   rng: np.random.Generator) -> gpd.GeoDataFrame:
    area = boundary(frame)
    names, kinds, geoms = [], [], []
    for name, kind, geom in zip(town.districts["name"], town.districts["kind"], town.districts.geometry,
                                strict=True):
        names.append(name)
        kinds.append(kind)
        geoms.append(geom.intersection(area))
    for name, geom in zip(town.villages["name"], town.villages.geometry, strict=True):
        names.append(name)
        kinds.append("village")
        geoms.append(geom.buffer(120.0 * frame.scale).intersection(area))
    taken = shapely.union_all(geoms)
    # the countryside between them, split among the rural seeds (Voronoi cells)
    seeds = shapely.MultiPoint([frame.geom(Point(p)) for _, p in RURAL])
    cells = shapely.voronoi_polygons(seeds, extend_to=area)
    rest = area.difference(taken)
    for name, seed in zip([n for n, _ in RURAL], seeds.geoms, strict=True):
        cell = next(c for c in cells.geoms if c.contains(seed))
        names.append(name)
        kinds.append("rural")
        geoms.append(rest.intersection(cell))
    # residents from the residential floor area of the buildings they contain
    res = buildings[buildings["function"] == "residential"]
    floors = np.maximum(1.0, np.round(res["height_m"].to_numpy() / STOREY_HEIGHT_M))
    floor_area = res.geometry.area.to_numpy() * floors
    pts = res.geometry.centroid
    residents = []
    for geom in geoms:
        inside = shapely.contains_xy(geom, pts.x.to_numpy(), pts.y.to_numpy())
        residents.append(round(float(floor_area[inside].sum()) / FLOOR_AREA_PER_RESIDENT_M2))
    share = np.array([SHARE_65PLUS[k] for k in kinds]) + rng.uniform(-0.02, 0.02, len(kinds))
    share = np.where(np.array(residents) > 0, share, 0.0)
    codes = [f"BU{MUNICIPALITY_CODE}{i // 4:02d}{i % 4:02d}" for i in range(len(names))]
    return gpd.GeoDataFrame(
        {"code": codes, "name": names, "residents": np.array(residents, dtype=np.int64),
         "share_65plus": np.round(share, 3)},
        geometry=[shapely.make_valid(g) for g in geoms], crs=RD_NEW)


def projects(frame: Frame, town: Town) -> gpd.GeoDataFrame:
    """Planned projects 2026-2035: chances to combine with climate adaptation."""
    f = frame.geom
    s = frame.scale
    d = town.districts.set_index("key").geometry
    river = f(L.RIVER)
    dike_line = shapely.ops.substring(river, 0.25 * river.length, 0.65 * river.length).offset_curve(
        L.FLOODPLAIN_HALF_WIDTH * s + L.DIKE_BASE_M / 2)
    main = dict(L.MAIN_ROADS)
    rows: list[tuple[str, str, int, str, BaseGeometry]] = [
        ("Waterrijk-Noord", "housing", 2028, "developer",
         f(shapely.Polygon([(6200, 5450), (7000, 5480), (7250, 5900), (6400, 6000)]))),
        ("Herinrichting N221", "road_maintenance", 2026, "province",
         f(shapely.ops.substring(main["N221"], 300, 2600)).buffer(20.0)),
        ("Rioolvervanging Zuidwijk", "sewer_replacement", 2027, "municipality", d["south"]),
        ("Dijkversterking Eemdijk", "dike_reinforcement", 2030, "water_board", dike_line.buffer(40.0)),
        ("Heideherstel Heuvelrug", "nature_development", 2029, "province",
         f(Point(1500, 3000).buffer(450.0))),
        ("Beekherstel Valleibeek", "stream_restoration", 2027, "water_board",
         f(shapely.ops.substring(L.STREAM, 900, 3200)).buffer(120.0 * s + 10.0)),
        ("Uitbreiding De Hoef", "business_park", 2031, "developer",
         f(shapely.Polygon([(7450, 3650), (8100, 3800), (8150, 4300), (7700, 4200)]))),
        ("Renovatie Westwijk", "housing", 2032, "housing_corporation", d["west"]),
        ("Verbreding A28", "road_maintenance", 2034, "rijkswaterstaat",
         f(L.MOTORWAY).buffer(45.0)),
        ("Klimaatbuffer Eempolder", "nature_development", 2035, "water_board",
         f(Point(7800, 6900).buffer(500.0))),
    ]
    name, kind, year, owner, geom = zip(*rows, strict=True)
    gdf = gpd.GeoDataFrame({"name": list(name), "kind": list(kind),
                            "year": np.array(year, dtype=np.int64), "owner": list(owner)},
                           geometry=list(geom), crs=RD_NEW)
    return gdf.clip(boundary(frame)).reset_index(drop=True)
