"""The flood of every scenario: river levels, the breach (or a given depth map), buildings, refuges, counts.

:func:`scenario_levels` gives the river level per climate scenario;
:func:`analyse` computes the inundation after a breach at the configured dike
point (kernels in :mod:`alliantie.hazards.flood`), or takes an external flood
depth raster (LIWO-like) instead, then per building whether its floor stays dry,
whether an upper storey stays dry, and the nearest refuge of each building
without a dry storey; :func:`indicator_values` counts per neighbourhood.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import rasterio.features

from alliantie.climate import ClimateScenario
from alliantie.contract import theme
from alliantie.contract.spec import Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.summaries import FloodMode
from alliantie.errors import ConfigError
from alliantie.grid import Grid
from alliantie.hazards import flood as hz
from alliantie.hazards.bluespots import building_ids, cell_of, footprint_ground
from alliantie.method.urgency.flood.knowledge import FloodKnowledge
from alliantie.parameters.flood import FloodParameters

log = logging.getLogger(__name__)

#: Indicators of theme.json / indicators.csv (id, unit).
#: Indicators (id, unit; counts have no unit: the label says what is counted), the key indicator first.
INDICATORS = (("residents_flooded", ""), ("area_flooded_ha", "ha"), ("buildings_flooded", ""),
              ("buildings_no_dry_floor", ""), ("residents_no_dry_floor", ""))


# --- scenarios ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LevelCase:
    """The river level of one climate scenario."""

    scenario: ClimateScenario
    level_m: float
    rise_m: float


def scenario_levels(params: FloodParameters, scenarios: Sequence[ClimateScenario],
                    sea_level_change_cm: Mapping[str, float | None] | None = None
                    ) -> tuple[list[LevelCase], list[tuple[str, str]]]:
    """River level per scenario: today's level, plus each scenario with a configured or KNMI rise.

    ``sea_level_change_cm`` maps scenario id to the KNMI sea-level change (cm,
    None when not sourced); used only with ``use_knmi_sea_level``. Returns the
    cases and the (variable, scenario id) pairs that had no sourced number.
    """
    assert params.river_level_m is not None
    known = {s.id for s in scenarios}
    unknown = sorted(set(params.level_rise_m) - known)
    if unknown:
        raise ConfigError("flood.errors.unknown_scenario", unknown=", ".join(unknown), known=", ".join(sorted(known)))
    cases: list[LevelCase] = []
    missing: list[tuple[str, str]] = []
    for s in scenarios:
        if s.is_current:
            cases.append(LevelCase(s, params.river_level_m, 0.0))
            continue
        rise: float | None = None
        if s.id in params.level_rise_m:
            rise = float(params.level_rise_m[s.id])
        if params.use_knmi_sea_level:
            change = (sea_level_change_cm or {}).get(s.id)
            if change is None:
                missing.append(("sea_level", s.id))
                continue
            rise = (rise or 0.0) + float(change) / 100.0
        if rise is not None:
            cases.append(LevelCase(s, params.river_level_m + rise, rise))
    return cases, missing


# --- analysis ----------------------------------------------------------------------------------------

@dataclass
class FloodInput:
    """What the analysis needs, on one grid (``dem`` m NAP, NaN no data)."""

    grid: Grid
    dem: np.ndarray
    buildings: gpd.GeoDataFrame | None = None
    neighbourhoods: gpd.GeoDataFrame | None = None
    waterbodies: gpd.GeoDataFrame | None = None
    area: np.ndarray | None = None
    external_depth: np.ndarray | None = None


@dataclass
class FloodCase:
    """The flood of one scenario."""

    scenario: ClimateScenario
    level_m: float
    rise_m: float
    depth: np.ndarray  # float32 m, 0 dry, NaN no data
    volume_m3: float
    capacity_m3: float
    limited: bool
    building_class: np.ndarray  # uint8 per building
    building_level_m: np.ndarray  # water level at the building (NaN dry)
    building_depth_m: np.ndarray  # largest depth on the footprint (NaN dry)
    refuges: hz.Refuges


@dataclass
class FloodResult:
    grid: Grid
    mode: FloodMode
    cases: list[FloodCase]
    buildings: gpd.GeoDataFrame | None
    neighbourhoods: gpd.GeoDataFrame | None
    knowledge: FloodKnowledge
    params: FloodParameters
    breach_xy: tuple[float, float] | None = None
    entry_xy: tuple[float, float] | None = None
    missing: list[tuple[str, str]] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    #: Notes on one scenario's map (scenario id -> text), e.g. when the water bypasses the dike.
    case_notes: dict[str, Text] = field(default_factory=dict)
    residents: np.ndarray = field(default_factory=lambda: np.zeros(0))
    area: np.ndarray | None = None


#: One scenario's water before the buildings are looked at: level case, depth, volume, capacity, limited.
_Run = tuple[LevelCase, np.ndarray, float, float, bool]


def river_cells(waterbodies: gpd.GeoDataFrame | None, grid: Grid) -> np.ndarray | None:
    """Cells touched by the water bodies of kind river or floodplain lake (all water bodies without a kind)."""
    if waterbodies is None or not len(waterbodies):
        return None
    frame = waterbodies
    if "kind" in frame.columns:
        frame = frame[frame["kind"].isin(["river", "floodplain_lake"])]
    shapes = [(g, 1) for g in frame.geometry.values if g is not None and not g.is_empty]
    if not shapes:
        return None
    burnt = rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform, fill=0,
                                        all_touched=True, dtype="uint8")
    return np.asarray(burnt, dtype=bool)


def _centres(buildings: gpd.GeoDataFrame, grid: Grid
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """x, y of each building's representative point, its cell (row, column) and whether that lies in the grid."""
    pts = buildings.geometry.representative_point()
    x, y = pts.x.to_numpy(), pts.y.to_numpy()
    rows, cols = cell_of(x, y, grid)
    inside = (rows >= 0) & (rows < grid.height) & (cols >= 0) & (cols < grid.width)
    return x, y, rows, cols, inside


def _residents_per_building(buildings: gpd.GeoDataFrame, hoods: gpd.GeoDataFrame | None,
                            zone: np.ndarray) -> np.ndarray:
    """Residents per building: the neighbourhood's residents spread evenly over its residential buildings."""
    n = len(buildings)
    out = np.zeros(n)
    if hoods is None or not len(hoods) or "residents" not in hoods.columns:
        return out
    residential = np.ones(n, dtype=bool)
    if "function" in buildings.columns:
        residential = (buildings["function"].astype(str) == "residential").to_numpy()
    residents = np.nan_to_num(hoods["residents"].to_numpy(dtype=np.float64), nan=0.0)
    for z in range(1, len(hoods) + 1):
        inside = zone == z
        homes = inside & residential
        if not homes.any():
            homes = inside
        if homes.any():
            out[homes] = residents[z - 1] / homes.sum()
    return out


def _dry(valid: np.ndarray) -> np.ndarray:
    """float32 depth of no water at all: 0 on ground with data, NaN elsewhere."""
    return np.where(valid, 0.0, np.nan).astype(np.float32)


def _breach_runs(data: FloodInput, params: FloodParameters, levels: Sequence[LevelCase], ground: np.ndarray,
                 result: FloodResult) -> list[_Run]:
    """The water of each scenario after the breach; notes (and the entry cell) go into ``result``."""
    grid = data.grid
    assert params.breach_x is not None and params.breach_y is not None
    result.breach_xy = (params.breach_x, params.breach_y)
    rows, cols = cell_of(np.array([params.breach_x]), np.array([params.breach_y]), grid)
    rc = (int(rows[0]), int(cols[0]))
    if not (0 <= rc[0] < grid.height and 0 <= rc[1] < grid.width):
        raise ConfigError("flood.errors.breach_outside", x=params.breach_x, y=params.breach_y, crs=grid.crs)
    river = river_cells(data.waterbodies, grid)
    runs: list[_Run] = []
    for case in levels:
        blocked = hz.outside_water(ground, river, case.level_m)
        entry = hz.entry_cell(ground, rc, case.level_m, params.breach_search_m / grid.res, blocked)
        labels = {"scenario_nl": case.scenario.label("nl"), "scenario_en": case.scenario.label("en"),
                  "level": f"{case.level_m:.2f}", "level_nl": f"{case.level_m:.2f}".replace(".", ","),
                  "search": f"{params.breach_search_m:g}"}
        if entry is None and blocked is not None and river is not None and \
                hz.entry_cell(ground, rc, case.level_m, params.breach_search_m / grid.res, river) is not None:
            # the land behind the breach is reached around the dike: everything connected to the river floods
            result.notes.append(text("flood.notes.bypass", **labels))
            result.case_notes[case.scenario.id] = result.notes[-1]
            depth = hz.standing_water(ground, blocked & ~river, case.level_m)
            volume = float(np.nansum(depth) * grid.cell_area)
            runs.append((case, depth, volume, volume, False))
            continue
        if entry is None:
            result.notes.append(text("flood.notes.no_entry", **labels))
            result.case_notes[case.scenario.id] = result.notes[-1]
            runs.append((case, _dry(np.isfinite(ground)), 0.0, 0.0, False))
            continue
        if case.scenario.is_current:
            t = grid.transform
            result.entry_xy = (t.c + (entry[1] + 0.5) * t.a, t.f + (entry[0] + 0.5) * t.e)
        flood_ = hz.breach_inundation(ground, entry, case.level_m, volume_m3=params.volume_m3,
                                      cell_area=grid.cell_area, blocked=blocked)
        runs.append((case, flood_.depth, flood_.volume_m3, flood_.capacity_m3, flood_.limited))
    return runs


def analyse(data: FloodInput, params: FloodParameters, knowledge: FloodKnowledge,
            levels: Sequence[LevelCase]) -> FloodResult:
    """The flood of every scenario in ``levels`` (or the external depth), with buildings and refuges.

    Without a breach and without an external depth (:attr:`FloodMode.NONE`) the
    result holds one dry case for today's climate and a note that says why.
    """
    grid = data.grid
    ground = hz.valid_ground(data.dem)
    valid = np.isfinite(ground)
    buildings = data.buildings.reset_index(drop=True) if data.buildings is not None else None
    hoods = data.neighbourhoods.reset_index(drop=True) if data.neighbourhoods is not None else None
    result = FloodResult(grid=grid, mode=FloodMode.NONE, cases=[], buildings=buildings, neighbourhoods=hoods,
                         knowledge=knowledge, params=params, area=data.area)
    count = 0 if buildings is None else len(buildings)
    ids = building_ids(buildings, grid)
    floor = np.zeros(count)
    height = np.full(count, np.nan)
    bx = by = np.zeros(count)
    b_rows = b_cols = np.zeros(count, dtype=np.int64)
    if buildings is not None and count:
        floor = np.full(count, np.nan)
        if "floor_level_m" in buildings.columns:
            floor = buildings["floor_level_m"].to_numpy(dtype=np.float64)
        if np.isnan(floor).any():
            around = footprint_ground(ids, count, ground)
            floor = np.where(np.isnan(floor), around + knowledge.floor.height_m, floor)
        if "height_m" in buildings.columns:
            height = buildings["height_m"].to_numpy(dtype=np.float64)
        bx, by, b_rows, b_cols, inside = _centres(buildings, grid)
        zones = theme.neighbourhood_zones(hoods, grid)
        b_zone = np.zeros(count, dtype=np.int64)
        b_zone[inside] = zones[b_rows[inside], b_cols[inside]]
        result.residents = _residents_per_building(buildings, hoods, b_zone)
    min_cells = int(np.ceil(params.refuge_min_area_m2 / grid.cell_area))

    runs: list[_Run] = []
    if data.external_depth is not None:
        result.mode = FloodMode.EXTERNAL
        depth = hz.given_depth(data.external_depth, ground)
        current = ClimateScenario()
        volume = float(np.nansum(depth) * grid.cell_area)
        runs.append((LevelCase(current, float("nan"), 0.0), depth, volume, volume, False))
        result.notes.append(text("flood.notes.external"))
    elif params.has_breach and levels:
        result.mode = FloodMode.BREACH
        runs = _breach_runs(data, params, levels, ground, result)
    for case, depth, volume, capacity, limited in runs:
        b = hz.flooded_buildings(depth, ground, ids, floor, height, knowledge.storey.height_m, bx, by,
                                 b_rows, b_cols, grid.res, min_cells)
        result.cases.append(FloodCase(
            scenario=case.scenario, level_m=case.level_m, rise_m=case.rise_m, depth=depth, volume_m3=volume,
            capacity_m3=capacity, limited=limited, building_class=b.classes, building_level_m=b.level_m,
            building_depth_m=b.depth_m, refuges=b.refuges))
        log.info("flood %s: level %.2f m NAP, %.0f m3, %d buildings wet", case.scenario.id, case.level_m, volume,
                 int((b.classes > 0).sum()))
    if result.mode is FloodMode.NONE:
        result.notes.append(text("flood.notes.nothing"))
        result.cases.append(FloodCase(
            scenario=ClimateScenario(), level_m=float("nan"), rise_m=0.0, depth=_dry(valid), volume_m3=0.0,
            capacity_m3=0.0, limited=False, building_class=np.zeros(count, np.uint8),
            building_level_m=np.full(count, np.nan), building_depth_m=np.full(count, np.nan),
            refuges=hz.Refuges(kind=np.zeros(count, np.uint8), distance_m=np.full(count, np.nan),
                               building=np.full(count, -1, np.int64))))
    return result


# --- counts ------------------------------------------------------------------------------------------

def indicator_values(result: FloodResult) -> list[theme.IndicatorValue]:
    """Per scenario and neighbourhood (code "" = the whole grid) the indicators of :data:`INDICATORS`."""
    grid = result.grid
    hoods = result.neighbourhoods
    n = 0 if hoods is None else len(hoods)
    zones = theme.neighbourhood_zones(hoods, grid)
    area = result.area if result.area is not None else np.ones(grid.shape, dtype=bool)
    b_zone = np.zeros(0, dtype=np.int64)
    b_area = np.zeros(0)
    if result.buildings is not None and len(result.buildings):
        _x, _y, rows, cols, inside = _centres(result.buildings, grid)
        b_zone = np.zeros(len(rows), dtype=np.int64)
        b_zone[inside] = zones[rows[inside], cols[inside]]
        b_area = np.zeros(len(rows))
        b_area[inside] = area[rows[inside], cols[inside]]
    out: list[theme.IndicatorValue] = []
    for c in result.cases:
        wet = (np.nan_to_num(c.depth, nan=0.0) > 0) & area
        area_ha = theme.zone_totals(zones, n, wet * (grid.cell_area / 1e4))
        flooded = (c.building_class > 0) * b_area
        no_dry = (c.building_class == hz.NO_DRY_FLOOR) * b_area
        values = {
            "area_flooded_ha": area_ha,
            "buildings_flooded": np.bincount(b_zone, weights=flooded, minlength=n + 1)[: n + 1],
            "buildings_no_dry_floor": np.bincount(b_zone, weights=no_dry, minlength=n + 1)[: n + 1],
            "residents_flooded": np.bincount(b_zone, weights=result.residents * flooded, minlength=n + 1)[: n + 1],
            "residents_no_dry_floor": np.bincount(b_zone, weights=result.residents * no_dry,
                                                  minlength=n + 1)[: n + 1],
        }
        for z in range(1, n + 1):
            assert hoods is not None
            row = hoods.iloc[z - 1]
            for ind, _unit in INDICATORS:
                out.append(theme.IndicatorValue(c.scenario.id, str(row.get("code", z)), str(row.get("name", "")),
                                                 ind, float(values[ind][z])))
        for ind, _unit in INDICATORS:
            total = float(values[ind].sum()) if ind != "area_flooded_ha" else float(wet.sum() * grid.cell_area / 1e4)
            out.append(theme.IndicatorValue(c.scenario.id, "", "", ind, total))
    return out
