"""Drought (*droogte*, step 1 *Urgentie*): deficit, drought sensitivity, subsidence, foundations and wildfire.

:func:`analyse` combines the KNMI precipitation deficit of every climate scenario with the soil map,
the GLG, the land use, the nature areas and the buildings into five sub-hazards (kernels in
:mod:`alliantie.hazards.drought`):

* drought sensitivity of farmland and nature (design deficit against root-zone water plus capillary rise);
* the GLG lowering the larger deficit of a scenario causes (the same in every sub-hazard below);
* peat subsidence (cm from the base year to the horizon; rate class for the severity);
* foundation risk per building (wooden piles falling dry; shallow foundations on clay and peat);
* wildfire susceptibility near buildings (fuel x dryness x nearness) and candidate firebreak zones.

The theme severity of a cell is the highest class of the sub-hazards that apply there
(sensitivity, subsidence rate, wildfire, and the foundation class on a building's footprint).
:func:`write_outputs` writes the files; :func:`drought` is the dossier product.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import rasterio.features

from alliantie.climate import ClimateScenario, ClimateTable
from alliantie.contract import theme
from alliantie.contract.spec import (
    Column,
    Layer,
    LegendEntry,
    MapSpec,
    TableSpec,
    Text,
    write_maps,
    write_tables,
)
from alliantie.contract.spec import catalogue_text as text
from alliantie.errors import ConfigError
from alliantie.grid import Grid
from alliantie.hazards import drought as hz
from alliantie.i18n import translate
from alliantie.io.raster import write_raster
from alliantie.io.styles import StyleClass, hex_rgb, raster_paletted_qml, raster_ramp_qml, vector_categorized_qml
from alliantie.io.vector import write_vector_layers
from alliantie.parameters.drought import DroughtParameters

log = logging.getLogger(__name__)

#: Climate variables the product reads (the design deficit is one of them).
DEFICIT_VARIABLES = ("precip_deficit_mean", "precip_deficit_10y")
#: Colours of the classes 1-3 of each sub-hazard map.
SENSITIVITY_COLORS = {1: "#fee8c8", 2: "#fdbb84", 3: "#d7301f"}
WILDFIRE_COLORS = {1: "#ffeda0", 2: "#feb24c", 3: "#e31a1c"}
FOUNDATION_COLORS = {1: "#fff7bc", 2: "#fe9929", 3: "#993404"}
FIREBREAK_COLOR = "#6a3d9a"
SUBSIDENCE_CMAP = "YlOrBr"
WILDFIRE_CMAP = "YlOrRd"
#: No data of the wildfire raster (uint8 percent 0-100).
WILDFIRE_NODATA = 255
USE_NONE, USE_FARMLAND, USE_NATURE = 0, 1, 2
_USES = {"none": USE_NONE, "farmland": USE_FARMLAND, "nature": USE_NATURE}


# --- knowledge ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SoilTable:
    """Soil water and subsidence properties per soil class code (index 0..255; 0 = unknown soil, all NaN)."""

    paw_mm: np.ndarray
    root_depth_m: np.ndarray
    critical_distance_m: np.ndarray
    specific_yield: np.ndarray
    peat_factor: np.ndarray
    soft: np.ndarray  # 0 firm, 1 soft clay, 2 soft peat (hz.FIRM / SOFT_CLAY / SOFT_PEAT)
    flux_mm_per_day: float
    season_days: float
    decay_m: float
    slope: float
    intercept: float
    glg_max_m: float


def soil_table(drought_kn: Mapping[str, Any], soil_kn: Mapping[str, Any]) -> SoilTable:
    """The properties of ``drought.toml`` for every soil class of ``soil_classes.toml`` (by its code)."""
    rows = (drought_kn.get("soil") or {}).get("class") or {}
    arrays = {k: np.full(256, np.nan) for k in ("paw_mm", "root_depth_m", "critical_distance_m", "specific_yield")}
    peat = np.zeros(256)
    soft = np.zeros(256, dtype=np.uint8)
    for entry in soil_kn.get("class", []):
        cid, code = str(entry["id"]), int(entry["code"])
        row = rows.get(cid)
        if row is None:
            raise ConfigError("drought.errors.soil_class_missing", soil_class=cid, path="drought.toml")
        try:
            for key, arr in arrays.items():
                arr[code] = float(row[key])
            peat[code] = float(row["peat_factor"])
        except KeyError as exc:
            raise ConfigError("drought.errors.soil_key_missing", soil_class=cid, key=str(exc.args[0]),
                              path="drought.toml") from None
        if bool(row.get("soft", False)):
            soft[code] = hz.SOFT_PEAT if (str(entry.get("main")) == "peat" or peat[code] > 0) else hz.SOFT_CLAY
    cap = drought_kn.get("capillary") or {}
    sub = drought_kn.get("subsidence") or {}
    try:
        return SoilTable(**arrays, peat_factor=peat, soft=soft,
                         flux_mm_per_day=float(cap["flux_mm_per_day"]), season_days=float(cap["season_days"]),
                         decay_m=float(cap["decay_m"]), slope=float(sub["slope_mm_per_year_per_m"]),
                         intercept=float(sub["intercept_mm_per_year"]), glg_max_m=float(sub["glg_max_m"]))
    except KeyError as exc:
        raise ConfigError("drought.errors.knowledge_key_missing", key=str(exc.args[0]), path="drought.toml") from None


@dataclass(frozen=True)
class LandTable:
    """Use (none/farmland/nature) and fuel per LGN code (index 0..255)."""

    use: np.ndarray
    fuel: np.ndarray
    nature_fuel: dict[str, float]
    root_depth_m: np.ndarray  # NaN = the root depth of the soil class


def land_table(drought_kn: Mapping[str, Any], lgn_kn: Mapping[str, Any]) -> LandTable:
    """Use and fuel of every LGN class from its vegetation group (``drought.toml`` [vegetation])."""
    groups = (drought_kn.get("vegetation") or {}).get("group") or {}
    use = np.zeros(256, dtype=np.uint8)
    fuel = np.zeros(256)
    root = np.full(256, np.nan)
    for entry in lgn_kn.get("class", []):
        group = str(entry["group"])
        row = groups.get(group)
        if row is None:
            raise ConfigError("drought.errors.group_missing", group=group, path="drought.toml")
        if str(row.get("use", "none")) not in _USES:
            raise ConfigError("drought.errors.bad_use", group=group, value=str(row.get("use")), path="drought.toml")
        use[int(entry["code"])] = _USES[str(row.get("use", "none"))]
        fuel[int(entry["code"])] = float(row.get("fuel", 0.0))
        if row.get("root_depth_m") is not None:
            root[int(entry["code"])] = float(row["root_depth_m"])
    kinds = (drought_kn.get("nature_kind") or {}).get("kind") or {}
    return LandTable(use=use, fuel=fuel, nature_fuel={str(k): float(v.get("fuel", 0.0)) for k, v in kinds.items()},
                     root_depth_m=root)


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
    scenario: ClimateScenario
    deficit: Deficit
    glg_drop_m: np.ndarray
    sensitivity: np.ndarray
    subsidence_cm: np.ndarray
    subsidence_rate: np.ndarray
    subsidence_class: np.ndarray
    wildfire: np.ndarray
    wildfire_class: np.ndarray
    building_class: np.ndarray
    severity: np.ndarray
    years: float


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


def _sample(array: np.ndarray, x: np.ndarray, y: np.ndarray, grid: Grid, fill: float = np.nan) -> np.ndarray:
    t = grid.transform  # north-up grid without rotation
    c = np.floor((np.asarray(x, dtype=np.float64) - t.c) / t.a).astype(np.int64)
    r = np.floor((np.asarray(y, dtype=np.float64) - t.f) / t.e).astype(np.int64)
    inside = (r >= 0) & (r < grid.height) & (c >= 0) & (c < grid.width)
    out = np.full(r.shape, fill, dtype=np.float64)
    out[inside] = array[r[inside], c[inside]]
    return out


def _nature_overlay(nature: gpd.GeoDataFrame | None, land: LandTable, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
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


def _building_raster(buildings: gpd.GeoDataFrame | None, grid: Grid) -> np.ndarray:
    """1 + row number of the building covering each cell (0 = none; all touched cells)."""
    if buildings is None or not len(buildings):
        return np.zeros(grid.shape, dtype=np.int32)
    shapes = [(g, i + 1) for i, g in enumerate(buildings.geometry.values) if g is not None and not g.is_empty]
    return rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform, fill=0,
                                       dtype="int32", all_touched=True)


def firebreak_polygons(cells: np.ndarray, grid: Grid, min_area_m2: float, worst_class: np.ndarray) -> gpd.GeoDataFrame:
    """Polygons of the candidate firebreak cells (pieces smaller than ``min_area_m2`` dropped)."""
    from shapely.geometry import shape

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


def analyse(data: DroughtInput, scenarios: Sequence[ClimateScenario], table: ClimateTable, params: DroughtParameters,
            soil: SoilTable, land: LandTable, progress: Callable[[float], None] | None = None) -> DroughtResult:
    """Every sub-hazard for every scenario with a sourced design deficit (others are listed as missing)."""
    t_start = time.perf_counter()
    seconds: dict[str, float] = {}
    grid = data.grid
    area = np.ones(grid.shape, dtype=bool) if data.area is None else np.asarray(data.area, dtype=bool)
    codes = np.asarray(data.soil, dtype=np.uint8)
    glg = np.asarray(data.glg, dtype=np.float32)
    # groundwater depth that feeds capillary rise over the season: halfway between GHG and GLG
    season_depth = glg if data.ghg is None else np.float32(0.5) * (np.asarray(data.ghg, dtype=np.float32) + glg)
    landuse = np.asarray(data.landuse)
    lu = np.clip(np.nan_to_num(landuse.astype(np.float64), nan=0.0), 0, 255).astype(np.uint8)
    use = land.use[lu].copy()
    fuel = land.fuel[lu].copy()
    in_nature, nature_fuel = _nature_overlay(data.nature, land, grid)
    natural_ground = in_nature & (land.fuel[lu] > 0) & (use != USE_NONE)
    use[natural_ground] = USE_NATURE
    fuel = np.where(natural_ground, np.maximum(fuel, nature_fuel), fuel)
    use[~area] = USE_NONE
    fuel[~area] = 0.0

    paw = soil.paw_mm.astype(np.float32)[codes]
    root = soil.root_depth_m.astype(np.float32)[codes]
    # deeper-rooting vegetation (forest) reaches more of the soil's water: scale the root-zone store
    veg_root = land.root_depth_m.astype(np.float32)[lu]
    deeper = np.isfinite(veg_root) & (root > 0)
    paw = np.where(deeper, paw * veg_root / np.where(root > 0, root, np.float32(1.0)), paw)
    root = np.where(deeper, veg_root, root)
    crit = soil.critical_distance_m.astype(np.float32)[codes]
    sy = soil.specific_yield.astype(np.float32)[codes]
    peat = soil.peat_factor.astype(np.float32)[codes]
    peat = np.where(area, peat, np.float32(0.0))

    def supply(glg_s: np.ndarray) -> np.ndarray:
        cap = hz.capillary_supply_mm(glg_s, root, crit, flux_mm_per_day=soil.flux_mm_per_day,
                                     season_days=soil.season_days, decay_m=soil.decay_m)
        return hz.water_supply_mm(paw, cap)

    buildings = data.buildings.reset_index(drop=True) if data.buildings is not None else None
    ids = _building_raster(buildings, grid)
    distance = hz.distance_to(ids > 0, grid.res)
    near = hz.nearness(distance, near_m=params.near_buildings_m, far_m=params.far_from_buildings_m)
    on_peat = peat > 0
    seconds["prepare"] = time.perf_counter() - t_start

    n_b = 0 if buildings is None else len(buildings)
    kind = np.zeros(n_b, dtype=np.uint8)
    if buildings is not None and n_b:
        pts = buildings.geometry.representative_point()
        bx, by = pts.x.to_numpy(), pts.y.to_numpy()
        b_code = _sample(codes, bx, by, grid, fill=0).astype(np.uint8)
        b_soft = soil.soft[b_code]
        b_ground = _sample(np.asarray(data.dem, dtype=np.float64), bx, by, grid)
        b_glg = _sample(glg, bx, by, grid)
        year = buildings["year"].to_numpy(dtype=np.float64) if "year" in buildings.columns else np.full(n_b, np.nan)
        foundation = buildings["foundation"].to_numpy() if "foundation" in buildings.columns else None
        kind = hz.foundation_kind(foundation, year, b_soft > 0, wooden_until_year=params.wooden_until_year)
        floor = (buildings["floor_level_m"].to_numpy(dtype=np.float64) if "floor_level_m" in buildings.columns
                 else np.full(n_b, np.nan))
        floor = np.where(np.isnan(floor), b_ground, floor)
        pile_head = floor - params.pile_head_below_floor_m

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
        drop = hz.glg_drop_m(d.design_change_mm, sy, groundwater_share=params.groundwater_share,
                             max_drop_m=params.max_glg_drop_m)
        drop = np.where(np.isnan(drop), np.float32(0.0), drop).astype(np.float32)
        glg_s = glg + drop
        sens = hz.sensitivity_classes(d.design_mm, supply(season_depth + drop), use != USE_NONE,
                                      params.shortage_limits_mm)
        sl = params.subsidence_limits_mm_per_year
        years = (float(params.current_period_years) if s.is_current
                 else float(max((s.horizon or 0) - params.base_year, 0)))
        cum = np.zeros(grid.shape, dtype=np.float32)
        rate = np.zeros(grid.shape, dtype=np.float32)
        cum[on_peat] = hz.cumulative_subsidence_cm(glg[on_peat], drop[on_peat], peat[on_peat], years,
                                                   slope=soil.slope, intercept=soil.intercept,
                                                   glg_max_m=soil.glg_max_m)
        rate[on_peat] = hz.subsidence_rate_mm_per_year(glg_s[on_peat], peat[on_peat], slope=soil.slope,
                                                       intercept=soil.intercept, glg_max_m=soil.glg_max_m)
        sub_class = hz.classify(rate, sl, valid=peat > 0)
        dry = hz.dryness(glg_s, d.design_mm, glg_wet_m=params.glg_wet_m, glg_dry_m=params.glg_dry_m,
                         wet_floor=params.wet_floor, deficit_full_mm=params.deficit_full_dryness_mm)
        dry = np.where(np.isnan(dry), params.wet_floor * min(d.design_mm / params.deficit_full_dryness_mm, 1.0), dry)
        fire = hz.wildfire_index(fuel, dry, near)
        fire_class = hz.classify(fire, params.wildfire_limits)
        b_class = np.zeros(n_b, dtype=np.uint8)
        if buildings is not None and n_b:
            b_drop = _sample(drop, bx, by, grid, fill=0.0)
            b_water = b_ground - (b_glg + b_drop)
            b_class = hz.foundation_risk(kind, b_soft, pile_head, b_water, b_drop,
                                         pile_margin_m=params.pile_margin_m,
                                         settlement_drop_m=params.settlement_drop_m)
        b_raster = np.concatenate([[0], b_class]).astype(np.uint8)[ids]
        severity = hz.combine_severity(sens, sub_class, fire_class, b_raster)
        severity[~area] = theme.SEVERITY_NODATA
        results.append(ScenarioResult(
            scenario=s, deficit=d, glg_drop_m=drop.astype(np.float32), sensitivity=sens,
            subsidence_cm=cum.astype(np.float32), subsidence_rate=rate.astype(np.float32),
            subsidence_class=sub_class, wildfire=fire.astype(np.float32), wildfire_class=fire_class,
            building_class=b_class,
            severity=severity, years=years))
        seconds[s.id] = time.perf_counter() - t0
        if progress is not None:
            progress((i + 1) / (len(wanted) + 1))
    if current is None or current.design_mm is None:
        log.warning("drought: no sourced %s for today's climate; sub-hazards not computed", params.deficit_variable)
    worst = np.zeros(grid.shape, dtype=np.uint8)
    for r in results:
        worst = np.maximum(worst, np.where(r.wildfire_class == hz.NODATA, 0, r.wildfire_class))
    t0 = time.perf_counter()
    cells = hz.firebreak_cells(fuel, distance, fire_prone_fuel=params.fire_prone_fuel,
                               width_m=params.firebreak_width_m) & area
    breaks = firebreak_polygons(cells, grid, params.firebreak_min_area_m2, worst)
    seconds["firebreaks"] = time.perf_counter() - t0
    base_supply = supply(season_depth)
    seconds["total"] = time.perf_counter() - t_start
    return DroughtResult(
        grid=grid, area=area, use=use, fuel=fuel, peat=peat, supply_mm=base_supply, building_distance_m=distance,
        firebreaks=breaks, buildings=buildings, building_kind=kind, neighbourhoods=data.neighbourhoods,
        deficits=table_rows, scenarios=results, missing=missing, params=params, seconds=seconds)


# --- indicators -----------------------------------------------------------------------------------------------------

INDICATORS = ("buildings_foundation_risk", "buildings_foundation_high", "farmland_sensitive_ha",
              "nature_sensitive_ha", "wildfire_high_ha", "subsidence_ha", "subsidence_mean_cm")
UNITS = {"buildings_foundation_risk": "", "buildings_foundation_high": "", "farmland_sensitive_ha": "ha",
         "nature_sensitive_ha": "ha", "wildfire_high_ha": "ha", "subsidence_ha": "ha", "subsidence_mean_cm": "cm"}


def indicator_values(result: DroughtResult) -> list[theme.IndicatorValue]:
    """Indicators per neighbourhood (and total, code "") and scenario."""
    grid = result.grid
    hoods = result.neighbourhoods.reset_index(drop=True) if result.neighbourhoods is not None else None
    n = 0 if hoods is None else len(hoods)
    zones = theme.neighbourhood_zones(hoods, grid)
    zones = np.where(result.area, zones, 0)
    b_zone = np.zeros(0, dtype=np.int64)
    if result.buildings is not None and len(result.buildings):
        pts = result.buildings.geometry.representative_point()
        b_zone = _sample(zones, pts.x.to_numpy(), pts.y.to_numpy(), grid, fill=0).astype(np.int64)
    ha = grid.cell_area / 1e4
    peat_cells = (result.peat > 0) & result.area
    peat_count = theme.zone_totals(zones, n, peat_cells)
    inside = result.area
    out: list[theme.IndicatorValue] = []
    for r in result.scenarios:
        sens2 = (r.sensitivity >= 2) & (r.sensitivity != hz.NODATA)
        per: dict[str, np.ndarray] = {
            "buildings_foundation_risk": np.bincount(b_zone, weights=(r.building_class >= 2).astype(np.float64),
                                                     minlength=n + 1),
            "buildings_foundation_high": np.bincount(b_zone, weights=(r.building_class >= 3).astype(np.float64),
                                                     minlength=n + 1),
            "farmland_sensitive_ha": theme.zone_totals(zones, n, sens2 & (result.use == USE_FARMLAND)) * ha,
            "nature_sensitive_ha": theme.zone_totals(zones, n, sens2 & (result.use == USE_NATURE)) * ha,
            "wildfire_high_ha": theme.zone_totals(zones, n, (r.wildfire_class == 3) & inside) * ha,
            "subsidence_ha": theme.zone_totals(
                zones, n, inside & (np.nan_to_num(r.subsidence_rate) > result.params.subsidence_limits_mm_per_year[1])
            ) * ha,
        }
        cm_sum = theme.zone_totals(zones, n, np.where(peat_cells, np.nan_to_num(r.subsidence_cm), 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            per["subsidence_mean_cm"] = np.where(peat_count > 0, cm_sum / np.maximum(peat_count, 1), 0.0)
        total_peat = peat_count.sum()
        for name in INDICATORS:
            values = per[name]
            for z in range(1, n + 1):
                assert hoods is not None
                row = hoods.iloc[z - 1]
                out.append(theme.IndicatorValue(scenario=r.scenario.id, code=str(row.get("code", z)),
                                                 name=str(row.get("name", "")), indicator=name,
                                                 value=float(values[z])))
            if name == "subsidence_mean_cm":
                total = float(cm_sum.sum() / total_peat) if total_peat > 0 else 0.0
            elif name.startswith("buildings"):
                total = float(values.sum())  # buildings outside every neighbourhood count in the total
            else:
                total = float(values.sum())
            out.append(theme.IndicatorValue(scenario=r.scenario.id, code="", name="", indicator=name, value=total))
    return out


# --- writing --------------------------------------------------------------------------------------------------------

def _legend(prefix: str, colors: Mapping[int, str], **params: Any) -> list[LegendEntry]:
    return [LegendEntry(value=k, color=c, label=text(f"{prefix}_{k}", **params)) for k, c in colors.items()]


def _styles(prefix: str, colors: Mapping[int, str], language: str, **params: Any) -> list[StyleClass]:
    return [StyleClass(k, c, translate(f"{prefix}_{k}", language, **params)) for k, c in colors.items()]


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def write_outputs(folder: Path, result: DroughtResult, language: str, *, hillshade: Layer | None = None,
                  wildfire_reference: Mapping[str, Any] | None = None) -> None:
    """Write rasters, GeoPackage, severity, theme files, maps.json and tables.json of ``result`` into ``folder``."""
    grid = result.grid
    p = result.params
    folder.mkdir(parents=True, exist_ok=True)
    limits = {"l1": _fmt(p.shortage_limits_mm[1]), "l2": _fmt(p.shortage_limits_mm[2])}
    sens_qml = raster_paletted_qml(_styles("drought.legend.sensitivity", SENSITIVITY_COLORS, language, **limits))
    fire_qml = raster_ramp_qml([(0.0, "#ffffcc", "0"), (100 * p.wildfire_limits[1], "#fd8d3c",
                                                         _fmt(100 * p.wildfire_limits[1])), (100.0, "#800026", "100")])
    supply = np.where(result.area & (result.use != USE_NONE), result.supply_mm, np.nan).astype(np.float32)
    write_raster(folder / "water_supply_mm.tif", supply, grid,
                 qml=raster_ramp_qml([(0.0, "#d7301f", "0 mm"), (150.0, "#fee8c8", "150 mm"),
                                      (400.0, "#2b8cbe", "400 mm")]),
                 description="water supply of farmland and nature in the growing season today (mm)")
    cm_max = 5.0
    for r in result.scenarios:
        finite = r.subsidence_cm[result.peat > 0]
        if finite.size:
            cm_max = max(cm_max, float(np.nanpercentile(finite, 99)))
    cm_max = float(math.ceil(cm_max / 5.0) * 5.0)
    sub_qml = raster_ramp_qml([(0.0, "#fff7bc", "0 cm"), (cm_max / 2, "#ec7014", f"{cm_max / 2:g} cm"),
                               (cm_max, "#662506", f"{cm_max:g} cm")])
    for r in result.scenarios:
        sid = r.scenario.id
        write_raster(folder / f"sensitivity_{sid}.tif", r.sensitivity, grid, nodata=hz.NODATA,
                     colormap={k: (*hex_rgb(c), 255) for k, c in SENSITIVITY_COLORS.items()}, qml=sens_qml,
                     description=f"drought sensitivity of farmland and nature, classes 0-3 ({sid})",
                     tags={"deficit_mm": f"{r.deficit.design_mm:g}", "variable": p.deficit_variable})
        cm = np.where((result.peat > 0) & result.area, r.subsidence_cm, np.nan).astype(np.float32)
        write_raster(folder / f"subsidence_{sid}.tif", cm, grid, qml=sub_qml,
                     description=f"peat subsidence (cm) over {r.years:g} years ({sid}); no data = no peat",
                     tags={"years": f"{r.years:g}", "base_year": str(p.base_year)})
        fire = np.where(result.area, np.round(100.0 * np.nan_to_num(r.wildfire)), WILDFIRE_NODATA).astype(np.uint8)
        write_raster(folder / f"wildfire_{sid}.tif", fire, grid, nodata=WILDFIRE_NODATA, qml=fire_qml,
                     description=f"wildfire susceptibility near buildings, percent of the maximum 0-100 ({sid})")
        if not r.scenario.is_current:
            drop = np.where(result.area, r.glg_drop_m, np.nan).astype(np.float32)
            write_raster(folder / f"glg_drop_{sid}.tif", drop, grid,
                         qml=raster_ramp_qml([(0.0, "#f7fbff", "0 m"), (0.25, "#6baed6", "0.25 m"),
                                              (0.5, "#08306b", "0.5 m")]),
                         description=f"estimated GLG lowering (m, positive = deeper) ({sid})")
        theme.write_severity(folder, sid, r.severity, grid, area=result.area,
                              description=f"drought severity classes 0-3 ({sid})")

    layers: list[tuple[str, gpd.GeoDataFrame, str | None, str | None]] = []
    first = result.scenarios[0].scenario.id if result.scenarios else None
    fb = result.firebreaks
    layers.append(("firebreaks", fb, "Polygon",
                   vector_categorized_qml("wildfire_class", _styles("drought.legend.wildfire", WILDFIRE_COLORS,
                                                                    language), "polygon")))
    b_frame = None
    if result.buildings is not None and len(result.buildings):
        b = result.buildings
        keep = [c for c in ("id", "year", "function", "foundation", "floor_level_m") if c in b.columns]
        b_frame = gpd.GeoDataFrame(b[keep].copy(), geometry=b.geometry.values, crs=b.crs)
        b_frame["foundation_kind"] = np.array(["other", "wooden_piles", "shallow"])[result.building_kind]
        any_risk = np.zeros(len(b), dtype=bool)
        for r in result.scenarios:
            b_frame[f"risk_{r.scenario.id}"] = r.building_class.astype(np.int64)
            any_risk |= r.building_class > 0
        b_frame = b_frame[any_risk].reset_index(drop=True)
        if first is not None:
            layers.append(("buildings", b_frame, "MultiPolygon",
                           vector_categorized_qml(f"risk_{first}", _styles("drought.legend.foundation",
                                                                           FOUNDATION_COLORS, language), "polygon")))
    write_vector_layers(folder / "drought.gpkg", layers)

    summary = theme.ThemeSummary(
        theme="drought", title=text("products.urgency.drought"),
        scenarios=[r.scenario.id for r in result.scenarios],
        classes={str(k): text(f"drought.severity.{k}", sub2=_fmt(p.subsidence_limits_mm_per_year[1]),
                              sub3=_fmt(p.subsidence_limits_mm_per_year[2])) for k in (1, 2, 3)},
        indicators=[theme.IndicatorInfo(id=i, unit=UNITS[i], label=text(f"drought.indicators.{i}"))
                    for i in INDICATORS],
        missing=result.missing,
    )
    values = indicator_values(result)
    theme.write_theme(folder, summary, values)
    write_maps(folder, _maps(result, hillshade, b_frame is not None, cm_max))
    write_tables(folder, _tables(result, values, wildfire_reference))


def _scenario_label(s: ClimateScenario) -> Text:
    return Text(nl=s.label("nl"), en=s.label("en"))


def _mapped_scenarios(scenarios: list[ScenarioResult]) -> list[ScenarioResult]:
    """The scenarios drawn as maps: today's climate and the driest future (every scenario is written as files)."""
    future = [r for r in scenarios if not r.scenario.is_current]
    keep = [r for r in scenarios if r.scenario.is_current]
    if future:
        keep.append(max(future, key=lambda r: r.deficit.design_mm or 0.0))
    return keep


def _maps(result: DroughtResult, hillshade: Layer | None, with_buildings: bool, cm_max: float) -> list[MapSpec]:
    p = result.params
    base = [hillshade] if hillshade is not None else []
    limits = {"l1": _fmt(p.shortage_limits_mm[1]), "l2": _fmt(p.shortage_limits_mm[2])}
    maps: list[MapSpec] = []
    mapped = _mapped_scenarios(result.scenarios)
    for r in mapped:
        sid, label = r.scenario.id, _scenario_label(r.scenario)
        deficit = _fmt(round(r.deficit.design_mm or 0.0))
        maps.append(MapSpec(
            id=f"drought_sensitivity_{sid}", theme="drought",
            title=text("drought.maps.sensitivity.title", scenario_nl=label.nl, scenario_en=label.en),
            description=text("drought.maps.sensitivity.description", deficit=deficit,
                             variable_nl=translate(f"drought.variable.{p.deficit_variable}", "nl"),
                             variable_en=translate(f"drought.variable.{p.deficit_variable}", "en"), **limits),
            layers=[*base, Layer(file=f"sensitivity_{sid}.tif", type="raster_classes",
                                 legend=_legend("drought.legend.sensitivity", SENSITIVITY_COLORS, **limits))],
        ))
    for r in mapped:
        sid, label = r.scenario.id, _scenario_label(r.scenario)
        key = "description_current" if r.scenario.is_current else "description_future"
        maps.append(MapSpec(
            id=f"drought_subsidence_{sid}", theme="drought",
            title=text("drought.maps.subsidence.title", scenario_nl=label.nl, scenario_en=label.en),
            description=text(f"drought.maps.subsidence.{key}", years=_fmt(r.years), base=p.base_year,
                             horizon=r.scenario.horizon or "",
                             drop=_fmt(round(100 * _mean_drop(result, r), 1))),
            layers=[*base, Layer(file=f"subsidence_{sid}.tif", type="raster_continuous", cmap=SUBSIDENCE_CMAP,
                                 vmin=0.0, vmax=cm_max, unit="cm", label=text("drought.legend.subsidence"))],
        ))
    for r in mapped:
        sid, label = r.scenario.id, _scenario_label(r.scenario)
        maps.append(MapSpec(
            id=f"drought_wildfire_{sid}", theme="drought",
            title=text("drought.maps.wildfire.title", scenario_nl=label.nl, scenario_en=label.en),
            description=text("drought.maps.wildfire.description", near=_fmt(p.near_buildings_m),
                             far=_fmt(p.far_from_buildings_m), width=_fmt(p.firebreak_width_m),
                             count=len(result.firebreaks)),
            layers=[*base,
                    Layer(file=f"wildfire_{sid}.tif", type="raster_continuous", cmap=WILDFIRE_CMAP, vmin=0.0,
                          vmax=100.0, label=text("drought.legend.wildfire_index")),
                    Layer(file="drought.gpkg", layer="firebreaks", type="vector", color=FIREBREAK_COLOR,
                          label=text("drought.legend.firebreak"), alpha=0.8)],
        ))
    if with_buildings:
        for r in mapped:
            sid, label = r.scenario.id, _scenario_label(r.scenario)
            maps.append(MapSpec(
                id=f"drought_foundation_{sid}", theme="drought",
                title=text("drought.maps.foundation.title", scenario_nl=label.nl, scenario_en=label.en),
                description=text("drought.maps.foundation.description", head=_fmt(p.pile_head_below_floor_m),
                                 year=p.wooden_until_year, count=int((r.building_class >= 2).sum())),
                layers=[*base, Layer(file="drought.gpkg", layer="buildings", type="vector", column=f"risk_{sid}",
                                     legend=_legend("drought.legend.foundation", FOUNDATION_COLORS))],
            ))
    return maps


def _mean_drop(result: DroughtResult, r: ScenarioResult) -> float:
    cells = result.area & (result.use != USE_NONE)
    if not cells.any():
        cells = result.area
    return float(np.nanmean(r.glg_drop_m[cells])) if cells.any() else 0.0


def _tables(result: DroughtResult, values: Sequence[theme.IndicatorValue],
            wildfire_reference: Mapping[str, Any] | None) -> list[TableSpec]:
    missing_note = ""
    if result.missing:
        missing_note = ", ".join(f"{v} ({s})" for v, s in result.missing)
    sources = sorted({src for d in result.deficits for src in d.sources})
    deficit_rows: list[list[Any]] = []
    for d in result.deficits:
        deficit_rows.append([_scenario_label(d.scenario), d.mean_mm, d.mean_change_mm, d.dry_mm, d.dry_change_mm])
    note_keys = {"sources": "; ".join(sources) or "–", "missing": missing_note or "–"}
    tables = [TableSpec(
        id="drought_deficit", theme="drought", title=text("drought.tables.deficit.title"),
        description=text("drought.tables.deficit.description"),
        columns=[Column(label=text("drought.tables.scenario")),
                 Column(label=text("drought.tables.deficit.mean"), unit="mm"),
                 Column(label=text("drought.tables.deficit.change"), unit="mm"),
                 Column(label=text("drought.tables.deficit.dry"), unit="mm"),
                 Column(label=text("drought.tables.deficit.change"), unit="mm")],
        rows=deficit_rows,
        note=text("drought.tables.deficit.note", **note_keys),
    )]
    totals = {(v.scenario, v.indicator): v.value for v in values if v.code == ""}
    decimals = {"": 0, "ha": 1, "cm": 1}
    rows: list[list[Any]] = []
    for r in result.scenarios:
        rows.append([_scenario_label(r.scenario), *[totals.get((r.scenario.id, i)) for i in INDICATORS]])
    note = None
    if wildfire_reference:  # the seed report's wildfire reference (drought.toml [wildfire_reference])
        note = text("drought.tables.indicators.note", period=_fmt(wildfire_reference.get("return_period_years")),
                    low=_fmt(wildfire_reference.get("increase_low")),
                    high=_fmt(wildfire_reference.get("increase_high")))
    tables.append(TableSpec(
        id="drought_indicators", theme="drought", title=text("drought.tables.indicators.title"),
        description=text("drought.tables.indicators.description"),
        columns=[Column(label=text("drought.tables.scenario")),
                 *[Column(label=text(f"drought.indicators.{i}"), unit=UNITS[i],
                          decimals=decimals[UNITS[i]]) for i in INDICATORS]],
        rows=rows,
        note=note,
    ))
    hoods = result.neighbourhoods
    if hoods is not None and len(hoods) and result.buildings is not None and result.scenarios:
        per = {(v.scenario, v.code): v.value for v in values if v.indicator == "buildings_foundation_risk"}
        names = {v.code: v.name for v in values if v.code}
        codes = list(dict.fromkeys(v.code for v in values if v.code))
        hood_rows = [[names[c] or c, *[per.get((r.scenario.id, c)) for r in result.scenarios]] for c in codes]
        total = [text("drought.tables.total"), *[per.get((r.scenario.id, "")) for r in result.scenarios]]
        tables.append(TableSpec(
            id="drought_foundation_neighbourhoods", theme="drought",
            title=text("drought.tables.foundation.title"), description=text("drought.tables.foundation.description"),
            columns=[Column(label=text("drought.tables.neighbourhood")),
                     *[Column(label=_scenario_label(r.scenario)) for r in result.scenarios]],
            rows=hood_rows, total=total,
        ))
    return tables


# --- the dossier product ---------------------------------------------------------------------------------------

def drought(ctx: Any) -> None:
    """Sensitivity, subsidence, foundation risk, wildfire, severity and indicators for every climate scenario."""
    from alliantie.climate import dossier_scenarios, load_climate_table
    from alliantie.method.baseinfo.output import hillshade_layer
    from alliantie.method.baseinfo.soil import classify_soil, rasterize_codes

    params = ctx.params(DroughtParameters)
    scenarios = dossier_scenarios(ctx.param("scenarios"))
    table = load_climate_table(ctx.knowledge("knmi_scenarios"))
    drought_kn = ctx.knowledge("drought")
    soil_kn = ctx.knowledge("soil_classes")
    soil = soil_table(drought_kn, soil_kn)
    land = land_table(drought_kn, ctx.knowledge("lgn_classes"))
    soil_frame = ctx.vector("soil")
    codes = np.zeros(ctx.grid.shape, dtype=np.uint8)
    if soil_frame is not None and len(soil_frame):
        classified = classify_soil(soil_frame, soil_kn, path=str(ctx.dossier.input_file("soil").path))
        codes = rasterize_codes(classified, classified["code"].to_numpy(), ctx.grid)
    data = DroughtInput(
        grid=ctx.grid, dem=ctx.raster("dem").array, glg=ctx.raster("glg").array, ghg=ctx.raster("ghg").array,
        landuse=ctx.raster("landuse").array,
        soil=codes, area=ctx.mask, buildings=ctx.vector("buildings"), neighbourhoods=ctx.vector("neighbourhoods"),
        nature=ctx.vector("nature"),
    )
    result = analyse(data, scenarios, table, params, soil, land, progress=ctx.progress)
    write_outputs(ctx.out_dir, result, ctx.language, hillshade=hillshade_layer(),
                  wildfire_reference=drought_kn.get("wildfire_reference"))
    log.info("drought: %s", ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items()))
