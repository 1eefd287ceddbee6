"""The drought analysis of a study area: the KNMI deficits per scenario, the maps on the grid and the chain.

:func:`analyse` takes the design deficit of every scenario from the KNMI table (:func:`deficits`),
rasterises the nature areas and the buildings, samples the ground under every building and runs
the chain of :mod:`alliantie.hazards.drought.chain` per scenario; the candidate firebreak cells
become polygons (:func:`firebreak_polygons`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import rasterio.enums
import rasterio.features
from shapely.geometry import shape

from alliantie.climate import ClimateScenario, ClimateTable
from alliantie.grid import Grid
from alliantie.hazards.drought import chain
from alliantie.hazards.drought.chain import LandTable, ScenarioHazard, SoilTable
from alliantie.parameters.drought import DroughtParameters

log = logging.getLogger(__name__)

#: Climate variables the product reads (the design deficit is one of them).
DEFICIT_VARIABLES = ("precip_deficit_mean", "precip_deficit_10y")


# --- inputs and results ---------------------------------------------------------------------------------------------

@dataclass
class DroughtInput:
    """Everything on one grid: ``soil`` holds soil class codes (0 = unknown); ``glg`` and ``ghg`` m below surface
    (NaN = none; without ``ghg`` the capillary supply uses the GLG alone)."""

    grid: Grid
    dem: np.ndarray
    glg: np.ndarray
    landuse: np.ndarray
    soil: np.ndarray
    area: np.ndarray | None = None
    ghg: np.ndarray | None = None
    buildings: gpd.GeoDataFrame | None = None
    neighbourhoods: gpd.GeoDataFrame | None = None
    nature: gpd.GeoDataFrame | None = None


@dataclass
class Deficit:
    """The KNMI deficit numbers of one scenario (None = not sourced)."""

    scenario: ClimateScenario
    mean_mm: float | None
    mean_change_mm: float | None
    dry_mm: float | None
    dry_change_mm: float | None
    design_mm: float | None
    design_change_mm: float | None
    sources: list[str]


@dataclass
class ScenarioResult:
    """The sub-hazards (``hazard``) of one scenario with its deficit."""

    scenario: ClimateScenario
    deficit: Deficit
    hazard: ScenarioHazard


@dataclass
class DroughtResult:
    grid: Grid
    area: np.ndarray
    use: np.ndarray
    fuel: np.ndarray
    peat: np.ndarray
    supply_mm: np.ndarray
    building_distance_m: np.ndarray
    firebreaks: gpd.GeoDataFrame
    buildings: gpd.GeoDataFrame | None
    building_kind: np.ndarray
    neighbourhoods: gpd.GeoDataFrame | None
    deficits: list[Deficit]
    scenarios: list[ScenarioResult]
    missing: list[tuple[str, str]]
    params: DroughtParameters
    seconds: dict[str, float] = field(default_factory=dict)


# --- the KNMI deficits ------------------------------------------------------------------------------------------

def _deficit_change(table: ClimateTable, variable: str, s: ClimateScenario, level: float | None) -> float | None:
    """Level of ``s`` minus the reference level (0 for today's climate; None when either is not sourced)."""
    if level is None:
        return None
    if s.is_current:
        return 0.0
    ref = table.get(variable, ClimateScenario(set=s.set)) if variable in table.variables else None
    return None if ref is None or ref.value is None else level - ref.value


def deficits(table: ClimateTable, scenarios: Sequence[ClimateScenario], design: str) -> list[Deficit]:
    """The mean and once-in-10-years deficit (level and change, mm) of every scenario."""
    out = []
    for s in scenarios:
        values = {v: table.get(v, s) if v in table.variables else None for v in DEFICIT_VARIABLES}
        sources = sorted({c.source for c in values.values() if c is not None})
        levels = {v: (None if c is None else c.value) for v, c in values.items()}
        changes = {v: _deficit_change(table, v, s, levels[v]) for v in DEFICIT_VARIABLES}
        out.append(Deficit(scenario=s, mean_mm=levels["precip_deficit_mean"],
                           mean_change_mm=changes["precip_deficit_mean"], dry_mm=levels["precip_deficit_10y"],
                           dry_change_mm=changes["precip_deficit_10y"], design_mm=levels[design],
                           design_change_mm=changes[design], sources=sources))
    return out


# --- vectors on the grid ----------------------------------------------------------------------------------------

def nature_overlay(nature: gpd.GeoDataFrame | None, land: LandTable, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """(cells inside a nature polygon, fuel of the polygon's kind) rasterised."""
    inside = np.zeros(grid.shape, dtype=bool)
    fuel = np.zeros(grid.shape, dtype=np.float64)
    if nature is None or not len(nature):
        return inside, fuel
    kinds = nature["kind"].astype(str).str.lower().to_numpy() if "kind" in nature.columns else None
    shapes = []
    for i, geom in enumerate(nature.geometry.values):
        if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        kind_fuel = land.nature_fuel.get(str(kinds[i]), 0.0) if kinds is not None else 0.0
        shapes.append((geom, round(kind_fuel * 1000) + 1))
    if not shapes:
        return inside, fuel
    burnt = rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform, fill=0,
                                        dtype="int32", merge_alg=rasterio.enums.MergeAlg.replace)
    inside = burnt > 0
    fuel = np.where(inside, (burnt - 1) / 1000.0, 0.0)
    return inside, fuel


def building_raster(buildings: gpd.GeoDataFrame | None, grid: Grid) -> np.ndarray:
    """1 + row number of the building covering each cell (0 = none; all touched cells)."""
    if buildings is None or not len(buildings):
        return np.zeros(grid.shape, dtype=np.int32)
    shapes = [(g, i + 1) for i, g in enumerate(buildings.geometry.values) if g is not None and not g.is_empty]
    return rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform, fill=0,
                                       dtype="int32", all_touched=True)


def _buildings_on_ground(buildings: gpd.GeoDataFrame, g: chain.Ground, soil_codes: np.ndarray, dem: np.ndarray,
                         grid: Grid, soil: SoilTable, params: DroughtParameters) -> chain.Buildings:
    """The columns of the buildings layer (year, foundation, floor level; absent = unknown) on the ground."""
    n_b = len(buildings)
    pts = buildings.geometry.representative_point()
    year = buildings["year"].to_numpy(dtype=np.float64) if "year" in buildings.columns else np.full(n_b, np.nan)
    foundation = buildings["foundation"].to_numpy() if "foundation" in buildings.columns else None
    floor = (buildings["floor_level_m"].to_numpy(dtype=np.float64) if "floor_level_m" in buildings.columns
             else np.full(n_b, np.nan))
    return chain.buildings_on_ground(pts.x.to_numpy(), pts.y.to_numpy(), year, foundation, floor, soil_codes, dem,
                                     g.glg, grid, soil, params)


def firebreak_polygons(cells: np.ndarray, grid: Grid, min_area_m2: float, worst_class: np.ndarray) -> gpd.GeoDataFrame:
    """Polygons of the candidate firebreak cells (pieces smaller than ``min_area_m2`` dropped)."""
    geoms, areas, classes = [], [], []
    mask = np.asarray(cells, dtype=bool)
    if mask.any():
        for geom, _value in rasterio.features.shapes(mask.astype(np.uint8), mask=mask, transform=grid.transform):
            poly = shape(geom)
            if poly.area < min_area_m2:
                continue
            geoms.append(poly)
            areas.append(round(poly.area / 1e4, 3))
        if geoms:
            labels = rasterio.features.rasterize([(g, i + 1) for i, g in enumerate(geoms)], out_shape=grid.shape,
                                                 transform=grid.transform, fill=0, dtype="int32")
            best = np.zeros(len(geoms) + 1, dtype=np.int64)
            np.maximum.at(best, labels.ravel(), np.where(mask, worst_class, 0).ravel().astype(np.int64))
            classes = [int(v) for v in best[1:]]
    return gpd.GeoDataFrame({"area_ha": areas, "wildfire_class": classes}, geometry=geoms, crs=grid.crs)


@dataclass
class Setup:
    """What every scenario of the chain shares: the ground, the buildings on it and their nearness."""

    area: np.ndarray
    ground: chain.Ground
    buildings: gpd.GeoDataFrame | None
    ids: np.ndarray  #: 1 + row number of the building covering each cell (0 none)
    distance: np.ndarray  #: distance to the nearest building cell, m
    near: np.ndarray  #: nearness weight 0-1
    on_ground: chain.Buildings | None  #: None without buildings


def setup(data: DroughtInput, params: DroughtParameters, soil: SoilTable, land: LandTable) -> Setup:
    """The ground of every cell and the buildings on it (the same in every scenario)."""
    grid = data.grid
    area = np.ones(grid.shape, dtype=bool) if data.area is None else np.asarray(data.area, dtype=bool)
    codes = np.asarray(data.soil, dtype=np.uint8)
    in_nature, nature_fuel = nature_overlay(data.nature, land, grid)
    g = chain.ground(codes, data.landuse, data.glg, data.ghg, area, in_nature, nature_fuel, soil, land)
    buildings = data.buildings.reset_index(drop=True) if data.buildings is not None else None
    ids = building_raster(buildings, grid)
    distance, near = chain.building_nearness(ids > 0, grid.res, params)
    on_ground = None
    if buildings is not None and len(buildings):
        on_ground = _buildings_on_ground(buildings, g, codes, data.dem, grid, soil, params)
    return Setup(area=area, ground=g, buildings=buildings, ids=ids, distance=distance, near=near,
                 on_ground=on_ground)


# --- the analysis -----------------------------------------------------------------------------------------------

def analyse(data: DroughtInput, scenarios: Sequence[ClimateScenario], table: ClimateTable, params: DroughtParameters,
            soil: SoilTable, land: LandTable, progress: Callable[[float], None] | None = None) -> DroughtResult:
    """Every sub-hazard for every scenario with a sourced design deficit (others are listed as missing)."""
    t_start = time.perf_counter()
    seconds: dict[str, float] = {}
    grid = data.grid
    ready = setup(data, params, soil, land)
    g, area, buildings, ids, distance, near = ready.ground, ready.area, ready.buildings, ready.ids, ready.distance, \
        ready.near
    seconds["prepare"] = time.perf_counter() - t_start
    on_ground = ready.on_ground
    kind = on_ground.kind if on_ground is not None else np.zeros(0 if buildings is None else len(buildings), np.uint8)

    table_rows = deficits(table, scenarios, params.deficit_variable)
    missing = [(v, sc.id) for v in DEFICIT_VARIABLES for sc in scenarios
               if v not in table.variables or table.get(v, sc) is None]
    current = next((d for d in table_rows if d.scenario.is_current), None)
    results: list[ScenarioResult] = []
    wanted = [d for d in table_rows if d.design_mm is not None and d.design_change_mm is not None]
    for i, d in enumerate(wanted):
        t0 = time.perf_counter()
        s = d.scenario
        assert d.design_mm is not None and d.design_change_mm is not None
        hazard = chain.scenario_hazard(
            g, soil, params, design_mm=d.design_mm, design_change_mm=d.design_change_mm,
            years=chain.subsidence_years(s.is_current, s.horizon, params), near=near, building_ids=ids,
            buildings=on_ground, grid=grid)
        results.append(ScenarioResult(scenario=s, deficit=d, hazard=hazard))
        seconds[s.id] = time.perf_counter() - t0
        if progress is not None:
            progress((i + 1) / (len(wanted) + 1))
    if current is None or current.design_mm is None:
        log.warning("drought: no sourced %s for today's climate; sub-hazards not computed", params.deficit_variable)
    worst = chain.worst_wildfire_class([r.hazard for r in results], grid.shape)
    t0 = time.perf_counter()
    cells = chain.firebreak_zone(g, distance, params)
    breaks = firebreak_polygons(cells, grid, params.firebreak_min_area_m2, worst)
    seconds["firebreaks"] = time.perf_counter() - t0
    base_supply = chain.water_supply(g, soil, g.season_depth)
    seconds["total"] = time.perf_counter() - t_start
    return DroughtResult(
        grid=grid, area=area, use=g.use, fuel=g.fuel, peat=g.peat_factor, supply_mm=base_supply,
        building_distance_m=distance, firebreaks=breaks, buildings=buildings, building_kind=kind,
        neighbourhoods=data.neighbourhoods, deficits=table_rows, scenarios=results, missing=missing, params=params,
        seconds=seconds)
