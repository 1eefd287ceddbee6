"""The town, the villages and the farms: districts, streets and buildings.

A historic centre on the sand ridge (small old buildings along radial lanes and
rings), a pre-war ring, post-war districts (terraced rows and flats), an
industrial estate (large halls) and a new district in a low, wet spot; two
villages and farms along the country roads.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from alliantie.demo import layout as L
from alliantie.demo.fields import sample
from alliantie.demo.layout import Frame
from alliantie.demo.placement import Footprints, Style, along_streets, drop_conflicts, parallel_streets
from alliantie.demo.soil import CODE, SOFT_SOILS
from alliantie.grid import RD_NEW

SOFT_CODES = np.array(sorted(CODE[s] for s in SOFT_SOILS))

# street styles (real metres)
HISTORIC = Style(frontage=(4.5, 8.5), depth=(9.0, 15.0), gap=(0.0, 0.3), setback=(3.8, 4.4))
PREWAR = Style(frontage=(5.5, 7.0), depth=(8.5, 10.5), gap=(0.0, 0.0), setback=(6.0, 7.0),
               block_break=0.08, block_gap=5.0)
ROWS = Style(frontage=(5.2, 5.8), depth=(8.5, 9.5), gap=(0.0, 0.0), setback=(8.0, 9.0),
             block_break=0.14, block_gap=9.0)
FLATS = Style(frontage=(45.0, 75.0), depth=(10.0, 12.0), gap=(18.0, 30.0), setback=(14.0, 18.0))
HALLS = Style(frontage=(30.0, 90.0), depth=(25.0, 60.0), gap=(12.0, 30.0), setback=(14.0, 20.0))
NEW_ROWS = Style(frontage=(5.5, 7.0), depth=(9.0, 10.5), gap=(0.0, 0.0), setback=(7.0, 9.0),
                 block_break=0.15, block_gap=7.0)
DETACHED = Style(frontage=(8.0, 12.0), depth=(9.0, 12.0), gap=(6.0, 16.0), setback=(8.0, 14.0))

#: a district's streets: (angle from east in degrees, spacing in real metres)
DISTRICT_GRID = {
    "ring": (20.0, 64.0), "west": (-15.0, 85.0), "south": (8.0, 85.0), "east": (70.0, 85.0),
    "industry": (12.0, 140.0), "new": (35.0, 95.0),
}
STREET_WIDTH_M = 7.0


@dataclass
class Town:
    districts: gpd.GeoDataFrame  # key, name, kind, geometry (real)
    villages: gpd.GeoDataFrame  # name, geometry (real)
    streets: gpd.GeoDataFrame  # kind, name, geometry (real)
    parks: gpd.GeoDataFrame  # kind (park|sports|wood), name, geometry (real)
    built_core: BaseGeometry  # historic centre + pre-war ring (soil 'bebouwd')


def _disjoint(geoms: list[BaseGeometry]) -> list[BaseGeometry]:
    out: list[BaseGeometry] = []
    taken: BaseGeometry = Polygon()
    for g in geoms:
        out.append(g.difference(taken))
        taken = taken.union(g)
    return out


PARKS_LAYOUT: list[tuple[str, str, BaseGeometry]] = [
    ("park", "Stadspark", Point(5650, 4150).buffer(110.0)),
    ("wood", "Schothorsterbos", Point(4300, 4750).buffer(140.0)),
    ("sports", "Sportpark Zuid", shapely.box(5650, 3560, 5900, 3700)),
    ("park", "Beekpark", Point(4550, 3950).buffer(90.0)),
    ("sports", "Sportpark Waterrijk", shapely.box(6750, 5150, 6950, 5300)),
]


def make_town(frame: Frame) -> Town:
    river_zone = frame.geom(L.RIVER).buffer(L.FLOODPLAIN_HALF_WIDTH * frame.scale * 0.35 + 20.0)
    keys = [str(d["key"]) for d in L.DISTRICTS]
    geoms = _disjoint([frame.geom(d["poly"]) for d in L.DISTRICTS])
    geoms = [g.difference(river_zone) for g in geoms]
    districts = gpd.GeoDataFrame(
        {"key": keys, "name": [str(d["name"]) for d in L.DISTRICTS],
         "kind": [str(d["kind"]) for d in L.DISTRICTS]}, geometry=geoms, crs=RD_NEW)
    vill = gpd.GeoDataFrame(
        {"name": list(L.VILLAGES)},
        geometry=[frame.geom(Point(p).buffer(L.VILLAGE_RADIUS, quad_segs=12)) for p in L.VILLAGES.values()],
        crs=RD_NEW)
    parks = gpd.GeoDataFrame(
        {"kind": [p[0] for p in PARKS_LAYOUT], "name": [p[1] for p in PARKS_LAYOUT]},
        geometry=[frame.geom(p[2]) for p in PARKS_LAYOUT], crs=RD_NEW)

    streets: list[tuple[str, str, BaseGeometry]] = []
    centre = frame.geom(Point(L.TOWN_CENTRE))
    radius = 330.0 * frame.scale
    for i, ang in enumerate(np.linspace(0, 2 * np.pi, 14, endpoint=False) + 0.2):
        bend = 0.25 * np.sin(3.0 * i)
        pts = [(centre.x + r * np.cos(ang + bend * r / radius), centre.y + r * np.sin(ang + bend * r / radius))
               for r in np.linspace(25.0, radius * 1.02, 6)]
        streets.append(("street", f"Langestraat {i + 1}" if i == 0 else "", LineString(pts)))
    for frac in (0.3, 0.5, 0.7, 0.9):
        streets.append(("street", "", centre.buffer(radius * frac, quad_segs=10).exterior))
    for key, (angle, spacing) in DISTRICT_GRID.items():
        area = districts.geometry[keys.index(key)]
        if area.is_empty:
            continue
        for line in parallel_streets(area, angle, spacing):
            streets.append(("street", "", line))
        cross = spacing * (3.5 if key != "industry" else 2.5)
        for line in parallel_streets(area, angle + 90.0, cross, offset=cross / 3):
            streets.append(("street", "", line))
    for name, geom in zip(vill["name"], vill.geometry, strict=True):
        for line in parallel_streets(geom, 30.0 if name == "Zandhorst" else -10.0, 70.0):
            streets.append(("street", "", line))
    kind, name, geom = zip(*streets, strict=True)
    street_gdf = gpd.GeoDataFrame({"kind": list(kind), "name": list(name)}, geometry=list(geom), crs=RD_NEW)
    built_core = shapely.union_all([geoms[keys.index("centre")], geoms[keys.index("ring")]])
    return Town(districts=districts, villages=vill, streets=street_gdf, parks=parks, built_core=built_core)


def _years(rng: np.random.Generator, n: int, lo: int, hi: int, skew: float = 1.0) -> np.ndarray:
    return (lo + (hi - lo) * rng.beta(skew, 1.0, n)).round().astype(np.int64)


def _pick(rng: np.random.Generator, n: int, choices: dict[str, float]) -> np.ndarray:
    names = list(choices)
    p = np.array(list(choices.values()), dtype=float)
    return np.array(names, dtype=object)[rng.choice(len(names), size=n, p=p / p.sum())]


def buildings(frame: Frame, town: Town, roads: gpd.GeoDataFrame, railways: gpd.GeoDataFrame,
              water_lines: gpd.GeoDataFrame, water_polys: gpd.GeoDataFrame, dem: np.ndarray,
              geology: np.ndarray, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Building footprints with year, height, function, floor level and foundation."""
    d = town.districts.set_index("key")
    st = town.streets
    parts: list[tuple[Footprints, dict[str, np.ndarray]]] = []

    def add(fp: Footprints, area: BaseGeometry, attrs: dict[str, np.ndarray] | None = None,
            **const: object) -> None:
        inside = shapely.contains_xy(area, fp.cx, fp.cy)
        fp = fp.subset(inside)
        n = len(fp)
        cols = {k: (v[inside] if isinstance(v, np.ndarray) else v) for k, v in (attrs or {}).items()}
        for k, v in const.items():
            cols[k] = v(n) if callable(v) else np.full(n, v, dtype=object)
        parts.append((fp, cols))

    def streets_in(area: BaseGeometry) -> list[BaseGeometry]:
        return list(st.geometry[st.geometry.intersects(area)].intersection(area))

    # historic centre: 1300-1900, shops in the heart
    centre = d.geometry["centre"]
    fp = along_streets(streets_in(centre), HISTORIC, rng)
    cxy = frame.xy(*L.TOWN_CENTRE)
    r = np.hypot(fp.cx - cxy[0], fp.cy - cxy[1]) / (330.0 * frame.scale)
    func = np.where(rng.random(len(fp)) < 0.55 - 0.45 * r,
                    _pick(rng, len(fp), {"retail": 0.75, "office": 0.15, "public": 0.10}), "residential")
    add(fp, centre, {"function": func},
        year=lambda n: _years(rng, n, 1300, 1900, skew=2.8),
        height_m=lambda n: np.round(rng.uniform(7.0, 13.0, n), 1))
    # pre-war ring 1900-1939
    fp = along_streets(streets_in(d.geometry["ring"]), PREWAR, rng)
    add(fp, d.geometry["ring"], function=lambda n: _pick(rng, n, {"residential": 0.9, "retail": 0.06,
                                                                 "public": 0.04}),
        year=lambda n: rng.integers(1900, 1940, n), height_m=lambda n: np.round(rng.uniform(8.0, 10.5, n), 1))
    # post-war districts: terraced rows and flats, 1950-1975
    for key in ("west", "south", "east"):
        area = d.geometry[key]
        lines = streets_in(area)
        pick = rng.random(len(lines))
        flats = pick < 0.35
        # about a third of the streets are lined by green strips instead of houses
        rows = (pick > 0.65) | ((np.arange(len(lines)) % 3 == 0) & ~flats)
        rows_fp = along_streets([ln for ln, f in zip(lines, rows, strict=True) if f], ROWS, rng)
        add(rows_fp, area, function=lambda n: _pick(rng, n, {"residential": 0.96, "retail": 0.02,
                                                            "public": 0.02}),
            year=lambda n: rng.integers(1950, 1976, n), height_m=lambda n: np.round(rng.uniform(8.0, 9.5, n), 1))
        flat_fp = along_streets([ln for ln, f in zip(lines, flats, strict=True) if f], FLATS, rng)
        add(flat_fp, area, function="residential", year=lambda n: rng.integers(1955, 1976, n),
            height_m=lambda n: rng.choice([9.0, 12.0, 15.0, 27.0], n, p=[0.2, 0.45, 0.3, 0.05]))
    # industrial estate 1965-2000
    area = d.geometry["industry"]
    fp = along_streets(streets_in(area), HALLS, rng)
    add(fp, area, function=lambda n: _pick(rng, n, {"industrial": 0.8, "office": 0.15, "retail": 0.05}),
        year=lambda n: rng.integers(1965, 2001, n), height_m=lambda n: np.round(rng.uniform(7.0, 15.0, n), 1))
    # new district in the wet spot 2000-2020
    area = d.geometry["new"]
    lines = streets_in(area)
    lined = (rng.random(len(lines)) < 0.55) | (np.arange(len(lines)) % 4 == 0)
    fp = along_streets([ln for ln, f in zip(lines, lined, strict=True) if f], NEW_ROWS, rng)
    add(fp, area, function=lambda n: _pick(rng, n, {"residential": 0.96, "retail": 0.02, "public": 0.02}),
        year=lambda n: rng.integers(2000, 2021, n), height_m=lambda n: np.round(rng.uniform(9.0, 11.5, n), 1))
    # villages: an old core along the main road, later detached houses
    for name, geom in zip(town.villages["name"], town.villages.geometry, strict=True):
        lines = streets_in(geom) + list(roads.geometry[roads.geometry.intersects(geom)].intersection(geom))
        fp = along_streets(lines, DETACHED, rng)
        c = geom.centroid
        old = np.hypot(fp.cx - c.x, fp.cy - c.y) < 0.45 * L.VILLAGE_RADIUS * frame.scale
        years = np.where(old, rng.integers(1850, 1940, len(fp)), rng.integers(1955, 1996, len(fp)))
        add(fp, geom, {"year": years}, function=lambda n: _pick(
            rng, n, {"residential": 0.86, "retail": 0.05, "public": 0.03, "agricultural": 0.06}),
            height_m=lambda n: np.round(rng.uniform(6.5, 9.5, n), 1))
        del name
    # farms along country roads: a farmhouse and a barn behind it
    parts.extend(_farms(frame, town, roads, rng))

    fps = Footprints.concat([p[0] for p in parts])
    cols: dict[str, np.ndarray] = {}
    for key in ("function", "year", "height_m"):
        cols[key] = np.concatenate([np.asarray(p[1][key]) for p in parts])
    polys = fps.polygons()
    # the church in the centre
    church = shapely.affinity.rotate(shapely.box(-12, -28, 12, 28), 20.0)
    church = shapely.affinity.translate(church, *frame.xy(L.TOWN_CENTRE[0] + 40, L.TOWN_CENTRE[1] - 20))
    polys = np.concatenate([[church], polys])
    cols = {"function": np.concatenate([["public"], cols["function"]]),
            "year": np.concatenate([[1420], cols["year"]]),
            "height_m": np.concatenate([[32.0], cols["height_m"]])}
    obstacles = _obstacles(frame, town, roads, railways, water_lines, water_polys)
    keep = drop_conflicts(polys, obstacles)
    keep &= shapely.contains_xy(frame.geom(shapely.box(0, 0, L.LAYOUT_WIDTH, L.LAYOUT_HEIGHT)).buffer(-5.0),
                                *shapely.get_coordinates(shapely.centroid(polys)).T)
    polys = polys[keep]
    cols = {k: v[keep] for k, v in cols.items()}
    ctr = shapely.get_coordinates(shapely.centroid(polys))
    ground = sample(dem, frame.grid, ctr[:, 0], ctr[:, 1]).astype(np.float64)
    soil = sample(geology, frame.grid, ctr[:, 0], ctr[:, 1])
    soft = np.isin(soil, SOFT_CODES)
    year = cols["year"].astype(np.int64)
    foundation = np.where(soft & (year < 1940), "wooden_piles", np.where(soft, "concrete_piles", "shallow"))
    n = len(polys)
    return gpd.GeoDataFrame(
        {"id": np.arange(1, n + 1, dtype=np.int64), "year": year,
         "height_m": cols["height_m"].astype(np.float64).round(1),
         "function": cols["function"].astype(str),
         "floor_level_m": (ground + rng.uniform(0.1, 0.6, n)).round(2),
         "foundation": foundation.astype(str)},
        geometry=polys, crs=RD_NEW)


def _obstacles(frame: Frame, town: Town, roads: gpd.GeoDataFrame, railways: gpd.GeoDataFrame,
               water_lines: gpd.GeoDataFrame, water_polys: gpd.GeoDataFrame) -> list[BaseGeometry]:
    half = {"motorway": 25.0, "main": 9.0, "local": 5.0, "street": STREET_WIDTH_M / 2 + 0.5}
    out: list[BaseGeometry] = []
    for kind, w in half.items():
        sel = roads.geometry[roads["kind"] == kind]
        out.extend(sel.buffer(w))
    out.extend(town.streets.geometry.buffer(3.5))
    out.extend(railways.geometry.buffer(14.0))
    wl = water_lines[water_lines["kind"] != "ditch"]
    out.extend(wl.geometry.buffer(wl["width_m"].to_numpy() / 2 + 4.0))
    out.extend(water_lines.geometry[water_lines["kind"] == "ditch"].buffer(3.0))
    out.extend(water_polys.geometry.buffer(5.0))
    out.extend(town.parks.geometry)
    out.append(frame.geom(L.RIVER).buffer(L.FLOODPLAIN_HALF_WIDTH * frame.scale + L.DIKE_BASE_M))
    return [g for g in out if not g.is_empty]


def _farms(frame: Frame, town: Town, roads: gpd.GeoDataFrame,
           rng: np.random.Generator) -> list[tuple[Footprints, dict[str, np.ndarray]]]:
    rural = roads[roads["kind"].isin(["main", "local"])]
    settled = shapely.union_all([*town.districts.geometry, *town.villages.geometry]).buffer(150.0)
    spacing = 450.0
    fps_house, fps_barn = [], []
    for line in rural.geometry:
        n = int(line.length // spacing)
        if n < 1:
            continue
        at = (np.arange(n) + rng.uniform(0.2, 0.8, n)) * spacing
        pts = shapely.line_interpolate_point(line, at)
        nxt = shapely.line_interpolate_point(line, np.minimum(at + 5.0, line.length))
        p = shapely.get_coordinates(pts)
        q = shapely.get_coordinates(nxt)
        ang = np.arctan2(q[:, 1] - p[:, 1], q[:, 0] - p[:, 0])
        side = rng.choice([-1.0, 1.0], n)
        nx, ny = -np.sin(ang) * side, np.cos(ang) * side
        hx, hy = p[:, 0] + nx * 22.0, p[:, 1] + ny * 22.0
        fps_house.append(Footprints(hx, hy, rng.uniform(11, 15, n), rng.uniform(18, 24, n), ang))
        bx, by = p[:, 0] + nx * 55.0, p[:, 1] + ny * 55.0
        fps_barn.append(Footprints(bx, by, rng.uniform(18, 26, n), rng.uniform(30, 55, n), ang))
    house = Footprints.concat(fps_house)
    barn = Footprints.concat(fps_barn)
    keep = ~shapely.contains_xy(settled, house.cx, house.cy)
    house, barn = house.subset(keep), barn.subset(keep)
    n = len(house)
    return [
        (house, {"function": np.full(n, "residential", dtype=object),
                 "year": rng.integers(1850, 1961, n), "height_m": np.round(rng.uniform(7.0, 10.0, n), 1)}),
        (barn, {"function": np.full(n, "agricultural", dtype=object),
                "year": rng.integers(1950, 2006, n), "height_m": np.round(rng.uniform(6.0, 11.0, n), 1)}),
    ]
