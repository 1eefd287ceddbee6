"""The drought chain on the rasters of a study area: ground properties, then per climate scenario the GLG
lowering, drought sensitivity, peat subsidence, wildfire susceptibility, foundation risk and severity.

The caller (the product :mod:`alliantie.method.urgency.drought`) rasterises the soil map, the land use,
the nature areas and the buildings onto one grid and takes the design deficit of every scenario from
the KNMI table; here is the rest, on arrays:

1. :func:`ground`: per cell the use (farmland, nature, none), the fuel of the vegetation and the soil
   water properties of its soil class (root-zone store scaled for deeper-rooting vegetation);
2. :func:`scenario_hazard`: the GLG lowering a larger deficit causes (the same in every sub-hazard),
   the drought sensitivity (design deficit against root-zone water plus capillary rise), the peat
   subsidence from the base year to the horizon, the wildfire susceptibility near buildings, the
   foundation risk of every building and the theme severity (the highest class per cell);
3. :func:`firebreak_zone` and :func:`worst_wildfire_class`: candidate firebreak cells and their class.

The relations are the kernels of :mod:`alliantie.hazards.drought.kernels` (imported as ``hz``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alliantie.contract.theme import SEVERITY_NODATA
from alliantie.grid import Grid
from alliantie.hazards.drought import kernels as hz
from alliantie.parameters.drought import DroughtParameters
from alliantie.raster.distance import distance_to

#: Use of a cell: drought sensitivity is mapped for farmland and nature.
USE_NONE, USE_FARMLAND, USE_NATURE = 0, 1, 2


# --- property tables per class code ---------------------------------------------------------------------------

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


@dataclass(frozen=True)
class LandTable:
    """Use (none/farmland/nature) and fuel per LGN code (index 0..255)."""

    use: np.ndarray
    fuel: np.ndarray
    nature_fuel: dict[str, float]
    root_depth_m: np.ndarray  # NaN = the root depth of the soil class


def cell_index(x: np.ndarray, y: np.ndarray, grid: Grid) -> np.ndarray:
    """Flat index (row-major) of the cell of each point (``x``, ``y``), as :func:`sample` finds it; -1 outside."""
    t = grid.transform  # north-up grid without rotation
    c = np.floor((np.asarray(x, dtype=np.float64) - t.c) / t.a).astype(np.int64)
    r = np.floor((np.asarray(y, dtype=np.float64) - t.f) / t.e).astype(np.int64)
    inside = (r >= 0) & (r < grid.height) & (c >= 0) & (c < grid.width)
    return np.where(inside, r * grid.width + c, -1)


def sample(array: np.ndarray, x: np.ndarray, y: np.ndarray, grid: Grid, fill: float = np.nan) -> np.ndarray:
    """Values of ``array`` in the cells of the points (``x``, ``y``); ``fill`` outside the grid."""
    t = grid.transform  # north-up grid without rotation
    c = np.floor((np.asarray(x, dtype=np.float64) - t.c) / t.a).astype(np.int64)
    r = np.floor((np.asarray(y, dtype=np.float64) - t.f) / t.e).astype(np.int64)
    inside = (r >= 0) & (r < grid.height) & (c >= 0) & (c < grid.width)
    out = np.full(r.shape, fill, dtype=np.float64)
    out[inside] = array[r[inside], c[inside]]
    return out


# --- ground: the same in every scenario ----------------------------------------------------------------------

@dataclass
class Ground:
    """Per cell: what grows there and what the soil holds (the same in every scenario)."""

    area: np.ndarray  # bool, the study area
    use: np.ndarray  # USE_NONE / USE_FARMLAND / USE_NATURE (uint8)
    fuel: np.ndarray  # relative flammability 0-1
    glg: np.ndarray  # m below surface (float32, NaN = none)
    season_depth: np.ndarray  # groundwater depth that feeds capillary rise over the season, m
    paw_mm: np.ndarray
    root_depth_m: np.ndarray
    critical_distance_m: np.ndarray
    specific_yield: np.ndarray
    peat_factor: np.ndarray  # 0 outside the study area

    def at(self, cells: np.ndarray) -> Ground:
        """The same properties on the flat cell indices ``cells`` only (1-D arrays)."""
        return Ground(**{name: np.asarray(value).reshape(-1)[cells] for name, value in vars(self).items()})


def ground(soil_codes: np.ndarray, landuse: np.ndarray, glg: np.ndarray, ghg: np.ndarray | None, area: np.ndarray,
           in_nature: np.ndarray, nature_fuel: np.ndarray, soil: SoilTable, land: LandTable) -> Ground:
    """Use, fuel and soil water properties of every cell.

    ``soil_codes`` are soil class codes (0 = unknown), ``landuse`` LGN codes, ``glg`` and ``ghg`` m
    below surface (without ``ghg`` the capillary supply uses the GLG alone); ``in_nature`` and
    ``nature_fuel`` are the nature areas and the fuel of their kind. Cells in a nature area with
    burnable farmland or nature count as nature with at least the fuel of the area's kind.
    """
    codes = np.asarray(soil_codes, dtype=np.uint8)
    glg = np.asarray(glg, dtype=np.float32)
    # groundwater depth that feeds capillary rise over the season: halfway between GHG and GLG
    season_depth = glg if ghg is None else np.float32(0.5) * (np.asarray(ghg, dtype=np.float32) + glg)
    landuse = np.asarray(landuse)
    lu = np.clip(np.nan_to_num(landuse.astype(np.float64), nan=0.0), 0, 255).astype(np.uint8)
    use = land.use[lu].copy()
    fuel = land.fuel[lu].copy()
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
    return Ground(area=area, use=use, fuel=fuel, glg=glg, season_depth=season_depth, paw_mm=paw, root_depth_m=root,
                  critical_distance_m=crit, specific_yield=sy, peat_factor=peat)


def water_supply(g: Ground, soil: SoilTable, depth_m: np.ndarray) -> np.ndarray:
    """Water available to the vegetation in the season (mm) with the groundwater at ``depth_m``."""
    cap = hz.capillary_supply_mm(depth_m, g.root_depth_m, g.critical_distance_m, flux_mm_per_day=soil.flux_mm_per_day,
                                 season_days=soil.season_days, decay_m=soil.decay_m)
    return hz.water_supply_mm(g.paw_mm, cap)


def building_nearness(building_cells: np.ndarray, res: float, params: DroughtParameters
                      ) -> tuple[np.ndarray, np.ndarray]:
    """(distance to the nearest building cell in m, its weight 0-1 of :func:`kernels.nearness`)."""
    distance = distance_to(building_cells, res)
    near = hz.nearness(distance, near_m=params.near_buildings_m, far_m=params.far_from_buildings_m)
    return distance, near


# --- buildings -----------------------------------------------------------------------------------------------

@dataclass
class Buildings:
    """Per building: a point inside it, its subsoil, ground level (m NAP), GLG (m below surface), foundation kind
    and pile-head level (m NAP)."""

    x: np.ndarray
    y: np.ndarray
    soft: np.ndarray
    ground_m: np.ndarray
    glg_m: np.ndarray
    kind: np.ndarray
    pile_head_m: np.ndarray

    def at(self, index: np.ndarray) -> Buildings:
        """The buildings of ``index`` (positions) only."""
        return Buildings(**{name: np.asarray(value)[index] for name, value in vars(self).items()})


def buildings_on_ground(x: np.ndarray, y: np.ndarray, year: np.ndarray, foundation: np.ndarray | None,
                        floor_level_m: np.ndarray, soil_codes: np.ndarray, dem: np.ndarray, glg: np.ndarray,
                        grid: Grid, soil: SoilTable, params: DroughtParameters) -> Buildings:
    """The ground under every building (a point inside it) and its foundation kind; a floor level of NaN is the
    ground level."""
    b_code = sample(soil_codes, x, y, grid, fill=0).astype(np.uint8)
    b_soft = soil.soft[b_code]
    b_ground = sample(np.asarray(dem, dtype=np.float64), x, y, grid)
    b_glg = sample(glg, x, y, grid)
    kind = hz.foundation_kind(foundation, year, b_soft > 0, wooden_until_year=params.wooden_until_year)
    floor = np.where(np.isnan(floor_level_m), b_ground, floor_level_m)
    pile_head = floor - params.pile_head_below_floor_m
    return Buildings(x=x, y=y, soft=b_soft, ground_m=b_ground, glg_m=b_glg, kind=kind, pile_head_m=pile_head)


# --- one scenario --------------------------------------------------------------------------------------------

@dataclass
class CellHazard:
    """The sub-hazards of one climate scenario on cells (any shape: the grid, or the cells a measure touches)."""

    glg_drop_m: np.ndarray
    sensitivity: np.ndarray
    subsidence_cm: np.ndarray
    subsidence_rate: np.ndarray
    subsidence_class: np.ndarray
    wildfire: np.ndarray
    wildfire_class: np.ndarray


@dataclass
class ScenarioHazard(CellHazard):
    """The sub-hazards of one climate scenario (rasters on the grid, ``building_class`` per building)."""

    building_class: np.ndarray
    severity: np.ndarray
    years: float


def subsidence_years(is_current: bool, horizon: int | None, params: DroughtParameters) -> float:
    """Years of subsidence: today's climate over ``current_period_years``, a future one from the base year."""
    return (float(params.current_period_years) if is_current
            else float(max((horizon or 0) - params.base_year, 0)))


def cell_hazard(g: Ground, soil: SoilTable, params: DroughtParameters, *, design_mm: float,
                design_change_mm: float, years: float, near: np.ndarray) -> CellHazard:
    """Every sub-hazard of the cells of ``g`` (arrays of one shape) in a scenario; element by element.

    The cell part of :func:`scenario_hazard`: the same on the grid or on any subset of its cells, so the
    effect engine recomputes only the cells its measures touch.
    """
    drop = hz.glg_drop_m(design_change_mm, g.specific_yield, groundwater_share=params.groundwater_share,
                         max_drop_m=params.max_glg_drop_m)
    drop = np.where(np.isnan(drop), np.float32(0.0), drop).astype(np.float32)
    glg = g.glg
    peat = g.peat_factor
    glg_s = glg + drop
    sens = hz.sensitivity_classes(design_mm, water_supply(g, soil, g.season_depth + drop), g.use != USE_NONE,
                                  params.shortage_limits_mm)
    sl = params.subsidence_limits_mm_per_year
    on_peat = peat > 0
    cum = np.zeros(glg.shape, dtype=np.float32)
    rate = np.zeros(glg.shape, dtype=np.float32)
    cum[on_peat] = hz.cumulative_subsidence_cm(glg[on_peat], drop[on_peat], peat[on_peat], years,
                                               slope=soil.slope, intercept=soil.intercept,
                                               glg_max_m=soil.glg_max_m)
    rate[on_peat] = hz.subsidence_rate_mm_per_year(glg_s[on_peat], peat[on_peat], slope=soil.slope,
                                                   intercept=soil.intercept, glg_max_m=soil.glg_max_m)
    sub_class = hz.classify(rate, sl, valid=peat > 0)
    dry = hz.dryness(glg_s, design_mm, glg_wet_m=params.glg_wet_m, glg_dry_m=params.glg_dry_m,
                     wet_floor=params.wet_floor, deficit_full_mm=params.deficit_full_dryness_mm)
    dry = np.where(np.isnan(dry), params.wet_floor * min(design_mm / params.deficit_full_dryness_mm, 1.0), dry)
    fire = hz.wildfire_index(g.fuel, dry, near)
    fire_class = hz.classify(fire, params.wildfire_limits)
    return CellHazard(glg_drop_m=drop.astype(np.float32), sensitivity=sens, subsidence_cm=cum.astype(np.float32),
                      subsidence_rate=rate.astype(np.float32), subsidence_class=sub_class,
                      wildfire=fire.astype(np.float32), wildfire_class=fire_class)


def building_classes(buildings: Buildings, drop_m: np.ndarray, params: DroughtParameters) -> np.ndarray:
    """Foundation risk class of every building of ``buildings`` with the GLG deeper by ``drop_m`` (per building)."""
    b_water = buildings.ground_m - (buildings.glg_m + drop_m)
    return hz.foundation_risk(buildings.kind, buildings.soft, buildings.pile_head_m, b_water, drop_m,
                              pile_margin_m=params.pile_margin_m, settlement_drop_m=params.settlement_drop_m)


def scenario_hazard(g: Ground, soil: SoilTable, params: DroughtParameters, *, design_mm: float,
                    design_change_mm: float, years: float, near: np.ndarray, building_ids: np.ndarray,
                    buildings: Buildings | None, grid: Grid) -> ScenarioHazard:
    """Every sub-hazard of a scenario with design deficit ``design_mm`` (``design_change_mm`` more than today).

    ``near`` is the nearness weight of :func:`building_nearness`, ``building_ids`` 1 + the number of the
    building covering each cell (0 = none) of ``buildings``.
    """
    cells = cell_hazard(g, soil, params, design_mm=design_mm, design_change_mm=design_change_mm, years=years,
                        near=near)
    n_b = 0 if buildings is None else len(buildings.kind)
    b_class = np.zeros(n_b, dtype=np.uint8)
    if buildings is not None and n_b:
        b_drop = sample(cells.glg_drop_m, buildings.x, buildings.y, grid, fill=0.0)
        b_class = building_classes(buildings, b_drop, params)
    b_raster = np.concatenate([[0], b_class]).astype(np.uint8)[building_ids]
    severity = hz.combine_severity(cells.sensitivity, cells.subsidence_class, cells.wildfire_class, b_raster)
    severity[~g.area] = SEVERITY_NODATA
    return ScenarioHazard(**vars(cells), building_class=b_class, severity=severity, years=years)


# --- firebreaks ----------------------------------------------------------------------------------------------

def worst_wildfire_class(hazards: Sequence[ScenarioHazard], shape: tuple[int, int]) -> np.ndarray:
    """The highest wildfire class of every cell over the scenarios (no data counts as 0)."""
    worst = np.zeros(shape, dtype=np.uint8)
    for r in hazards:
        worst = np.maximum(worst, np.where(r.wildfire_class == hz.NODATA, 0, r.wildfire_class))
    return worst


def firebreak_zone(g: Ground, building_distance_m: np.ndarray, params: DroughtParameters) -> np.ndarray:
    """Candidate firebreak cells in the study area (:func:`kernels.firebreak_cells`)."""
    return hz.firebreak_cells(g.fuel, building_distance_m, fire_prone_fuel=params.fire_prone_fuel,
                              width_m=params.firebreak_width_m) & g.area
