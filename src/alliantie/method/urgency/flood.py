"""Flood safety (*waterveiligheid*, step 1 *Urgentie*): the water depth after a dike breach, buildings and refuges.

:func:`analyse` computes, per climate scenario, the inundation after a breach at
the configured dike point and river level (kernels in
:mod:`alliantie.hazards.flood`), or takes an external flood depth raster
(LIWO-like) instead; then per building whether its floor stays dry, whether an
upper storey stays dry, and the nearest refuge of each building without a dry
storey. :func:`write_outputs` writes depth rasters, LIWO depth classes, the
severity rasters, a GeoPackage, ``theme.json``/``indicators.csv``, ``maps.json``
and ``tables.json``; :func:`flood` is the dossier product.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely

from alliantie.climate import ClimateScenario, dossier_scenarios
from alliantie.contract import theme
from alliantie.contract.spec import Column, Layer, LegendEntry, MapSpec, TableSpec, Text, write_maps, write_tables
from alliantie.contract.spec import catalogue_text as text
from alliantie.errors import ConfigError, InputDataError
from alliantie.grid import Grid
from alliantie.hazards import flood as hz
from alliantie.i18n import translate
from alliantie.io.raster import write_raster
from alliantie.io.styles import (
    StyleClass,
    hex_rgb,
    raster_paletted_qml,
    raster_ramp_qml,
    vector_categorized_qml,
    vector_single_qml,
)
from alliantie.io.vector import write_vector_layers
from alliantie.method.urgency.bluespots import building_ids, cell_of, footprint_ground
from alliantie.parameters.flood import FloodParameters

log = logging.getLogger(__name__)

#: Colours of the building classes (upper storey dry, no dry storey) and of the breach point.
BUILDING_COLORS = {hz.UPPER_FLOOR_DRY: "#f4a000", hz.NO_DRY_FLOOR: "#c00000"}
BREACH_COLOR = "#000000"
GPKG = "flood.gpkg"
#: Indicators of theme.json / indicators.csv (id, unit).
#: Indicators (id, unit; counts have no unit: the label says what is counted), the key indicator first.
INDICATORS = (("residents_flooded", ""), ("area_flooded_ha", "ha"), ("buildings_flooded", ""),
              ("buildings_no_dry_floor", ""), ("residents_no_dry_floor", ""))


# --- knowledge --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FloodKnowledge:
    """The numbers of knowledge file ``flood.toml`` (units and sources there)."""

    depth_upper_m: tuple[float, ...]
    depth_colors: tuple[str, ...]
    storey_height_m: float
    floor_height_m: float
    moderate_from_m: float
    high_from_m: float

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: str = "flood.toml") -> FloodKnowledge:
        try:
            upper = tuple(float(v) for v in data["depth_classes"]["upper_m"])
            colors = tuple(str(c) for c in data["depth_classes"]["colors"])
            out = cls(depth_upper_m=upper, depth_colors=colors,
                      storey_height_m=float(data["storey"]["height_m"]),
                      floor_height_m=float(data["floor"]["height_m"]),
                      moderate_from_m=float(data["severity"]["moderate_from_m"]),
                      high_from_m=float(data["severity"]["high_from_m"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError("flood.errors.knowledge", path=path, detail=str(exc)) from None
        if (len(colors) != len(upper) + 1 or list(upper) != sorted(upper) or upper[0] <= 0
                or not 0 < out.moderate_from_m < out.high_from_m or out.storey_height_m <= 0):
            raise ConfigError("flood.errors.knowledge", path=path,
                              detail="depth classes must increase from above 0 with one colour more than bounds; "
                                     "0 < moderate_from_m < high_from_m; storey height > 0")
        return out


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
    mode: str  # "breach", "external" or "none"
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


def outside_water(ground: np.ndarray, river: np.ndarray | None, level: float) -> np.ndarray | None:
    """The river cells and all lower ground connected to them at ``level``: the water outside the dike.

    The breach floods the land behind the dike, not the floodplain. None without river cells.
    """
    if river is None:
        return None
    return np.asarray(river | hz.connected_below(ground, river, level), dtype=bool)


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


def analyse(data: FloodInput, params: FloodParameters, knowledge: FloodKnowledge,
            levels: Sequence[LevelCase]) -> FloodResult:
    """The flood of every scenario in ``levels`` (or the external depth), with buildings and refuges."""
    grid = data.grid
    ground = hz.valid_ground(data.dem)
    valid = np.isfinite(ground)
    buildings = data.buildings.reset_index(drop=True) if data.buildings is not None else None
    hoods = data.neighbourhoods.reset_index(drop=True) if data.neighbourhoods is not None else None
    result = FloodResult(grid=grid, mode="none", cases=[], buildings=buildings, neighbourhoods=hoods,
                         knowledge=knowledge, params=params, area=data.area)
    count = 0 if buildings is None else len(buildings)
    ids = building_ids(buildings, grid)
    floor = np.zeros(count)
    height = np.full(count, np.nan)
    bx = by = np.zeros(count)
    if buildings is not None and count:
        floor = np.full(count, np.nan)
        if "floor_level_m" in buildings.columns:
            floor = buildings["floor_level_m"].to_numpy(dtype=np.float64)
        if np.isnan(floor).any():
            around = footprint_ground(ids, count, ground)
            floor = np.where(np.isnan(floor), around + knowledge.floor_height_m, floor)
        if "height_m" in buildings.columns:
            height = buildings["height_m"].to_numpy(dtype=np.float64)
        pts = buildings.geometry.representative_point()
        bx, by = pts.x.to_numpy(), pts.y.to_numpy()
        zones = theme.neighbourhood_zones(hoods, grid)
        b_rows, b_cols = cell_of(bx, by, grid)
        inside = (b_rows >= 0) & (b_rows < grid.height) & (b_cols >= 0) & (b_cols < grid.width)
        b_zone = np.zeros(count, dtype=np.int64)
        b_zone[inside] = zones[b_rows[inside], b_cols[inside]]
        result.residents = _residents_per_building(buildings, hoods, b_zone)
    min_cells = int(np.ceil(params.refuge_min_area_m2 / grid.cell_area))

    runs: list[tuple[LevelCase, np.ndarray, float, float, bool]] = []
    if data.external_depth is not None:
        result.mode = "external"
        depth = np.nan_to_num(np.asarray(data.external_depth, dtype=np.float64), nan=0.0)
        depth = np.where(valid, np.maximum(depth, 0.0), np.nan).astype(np.float32)
        current = ClimateScenario()
        volume = float(np.nansum(depth) * grid.cell_area)
        runs.append((LevelCase(current, float("nan"), 0.0), depth, volume, volume, False))
        result.notes.append(text("flood.notes.external"))
    elif params.has_breach and levels:
        result.mode = "breach"
        assert params.breach_x is not None and params.breach_y is not None
        result.breach_xy = (params.breach_x, params.breach_y)
        rows, cols = cell_of(np.array([params.breach_x]), np.array([params.breach_y]), grid)
        rc = (int(rows[0]), int(cols[0]))
        if not (0 <= rc[0] < grid.height and 0 <= rc[1] < grid.width):
            raise ConfigError("flood.errors.breach_outside", x=params.breach_x, y=params.breach_y)
        river = river_cells(data.waterbodies, grid)
        for case in levels:
            blocked = outside_water(ground, river, case.level_m)
            entry = hz.entry_cell(ground, rc, case.level_m, params.breach_search_m / grid.res, blocked)
            labels = {"scenario_nl": case.scenario.label("nl"), "scenario_en": case.scenario.label("en"),
                      "level": f"{case.level_m:.2f}", "level_nl": f"{case.level_m:.2f}".replace(".", ","),
                      "search": f"{params.breach_search_m:g}"}
            if entry is None and blocked is not None and river is not None and \
                    hz.entry_cell(ground, rc, case.level_m, params.breach_search_m / grid.res, river) is not None:
                # the land behind the breach is reached around the dike: everything connected to the river floods
                result.notes.append(text("flood.notes.bypass", **labels))
                result.case_notes[case.scenario.id] = result.notes[-1]
                wet = blocked & ~river
                depth = np.where(wet, case.level_m - np.nan_to_num(ground, nan=case.level_m), 0.0)
                depth = np.where(valid, depth, np.nan).astype(np.float32)
                volume = float(np.nansum(depth) * grid.cell_area)
                runs.append((case, depth, volume, volume, False))
                continue
            if entry is None:
                result.notes.append(text("flood.notes.no_entry", **labels))
                result.case_notes[case.scenario.id] = result.notes[-1]
                depth = np.where(valid, 0.0, np.nan).astype(np.float32)
                runs.append((case, depth, 0.0, 0.0, False))
                continue
            if case.scenario.is_current:
                t = grid.transform
                result.entry_xy = (t.c + (entry[1] + 0.5) * t.a, t.f + (entry[0] + 0.5) * t.e)
            flood_ = hz.breach_inundation(ground, entry, case.level_m, volume_m3=params.volume_m3,
                                          cell_area=grid.cell_area, blocked=blocked)
            runs.append((case, flood_.depth, flood_.volume_m3, flood_.capacity_m3, flood_.limited))
    for case, depth, volume, capacity, limited in runs:
        wet = np.nan_to_num(depth, nan=0.0) > 0
        level_map = np.where(wet, ground + depth, np.nan)
        b_level = hz.per_building_max(ids, count, level_map)
        b_depth = hz.per_building_max(ids, count, np.where(wet, depth, np.nan))
        classes = hz.building_classes(b_level, floor, height, knowledge.storey_height_m)
        per_b = np.full(count, np.inf)
        need = classes == hz.NO_DRY_FLOOR
        if need.any():
            refuge_ground = hz.dry_refuge_ground(wet, valid, min_cells)
            b_rows, b_cols = cell_of(bx[need], by[need], grid)
            per_b[need] = hz.distance_to(refuge_ground, b_rows, b_cols, grid.res)
        refuges = hz.nearest_refuges(classes, bx, by, per_b)
        result.cases.append(FloodCase(
            scenario=case.scenario, level_m=case.level_m, rise_m=case.rise_m, depth=depth, volume_m3=volume,
            capacity_m3=capacity, limited=limited, building_class=classes, building_level_m=b_level,
            building_depth_m=b_depth, refuges=refuges))
        log.info("flood %s: level %.2f m NAP, %.0f m3, %d buildings wet", case.scenario.id, case.level_m, volume,
                 int((classes > 0).sum()))
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
        pts = result.buildings.geometry.representative_point()
        rows, cols = cell_of(pts.x.to_numpy(), pts.y.to_numpy(), grid)
        inside = (rows >= 0) & (rows < grid.height) & (cols >= 0) & (cols < grid.width)
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


# --- writing -----------------------------------------------------------------------------------------

def class_label(k: int, upper: Sequence[float]) -> Text:
    """Label of depth class ``k`` (1-based)."""
    def nl(v: float) -> str:
        return f"{v:g}".replace(".", ",")

    if k == 1:
        return Text(nl=translate("flood.legend.depth_below", "nl", upper=nl(upper[0])),
                    en=translate("flood.legend.depth_below", "en", upper=f"{upper[0]:g}"))
    if k == len(upper) + 1:
        return Text(nl=translate("flood.legend.depth_above", "nl", lower=nl(upper[-1])),
                    en=translate("flood.legend.depth_above", "en", lower=f"{upper[-1]:g}"))
    lo, hi = upper[k - 2], upper[k - 1]
    return Text(nl=translate("flood.legend.depth_between", "nl", lower=nl(lo), upper=nl(hi)),
                en=translate("flood.legend.depth_between", "en", lower=f"{lo:g}", upper=f"{hi:g}"))


def summary(result: FloodResult) -> theme.ThemeSummary:
    k = result.knowledge
    m, h = f"{k.moderate_from_m:g}", f"{k.high_from_m:g}"
    classes = {
        "1": text("flood.severity.low", upper=m, upper_nl=m.replace(".", ",")),
        "2": text("flood.severity.moderate", lower=m, upper=h, lower_nl=m.replace(".", ","),
                  upper_nl=h.replace(".", ",")),
        "3": text("flood.severity.high", lower=h, lower_nl=h.replace(".", ",")),
    }
    indicators = [theme.IndicatorInfo(id=i, unit=u, label=text(f"flood.indicators.{i}"),) for i, u in INDICATORS]
    return theme.ThemeSummary(theme="flood", title=text("products.urgency.flood"),
                               scenarios=[c.scenario.id for c in result.cases], classes=classes,
                               indicators=indicators, missing=result.missing)


def write_outputs(folder: Path, result: FloodResult, language: str, *,
                  hillshade: Layer | None = None) -> tuple[list[MapSpec], list[TableSpec]]:
    """Write rasters, GeoPackage, theme files and ``summary.json`` into ``folder``; return the maps and tables."""
    grid = result.grid
    k = result.knowledge
    folder.mkdir(parents=True, exist_ok=True)
    class_styles = [StyleClass(i + 1, color, class_label(i + 1, k.depth_upper_m).get(language))
                    for i, color in enumerate(k.depth_colors)]
    colormap = {i + 1: (*hex_rgb(color), 255) for i, color in enumerate(k.depth_colors)}
    for c in result.cases:
        sid = c.scenario.id
        shown = np.where(np.nan_to_num(c.depth, nan=0.0) > 0, c.depth, np.nan).astype(np.float32)
        write_raster(folder / f"depth_{sid}.tif", shown, grid,
                     qml=raster_ramp_qml([(0.0, "#deebf7", "0 m"), (0.8, "#6baed6", "0.8 m"),
                                          (2.0, "#2171b5", "2 m"), (5.0, "#08306b", "5 m")]),
                     description=f"flood depth (m) after a breach ({sid})",
                     tags={"scenario": sid, "river_level_m": f"{c.level_m:.3f}", "mode": result.mode})
        dclass = hz.depth_classes(c.depth, k.depth_upper_m)
        write_raster(folder / f"depth_class_{sid}.tif", dclass, grid, nodata=0, colormap=colormap,
                     qml=raster_paletted_qml(class_styles), description=f"LIWO flood depth classes 1-6 ({sid})")
        severity = hz.severity_classes(c.depth, k.moderate_from_m, k.high_from_m)
        theme.write_severity(folder, sid, severity, grid, area=result.area,
                              description=f"flood severity 0-3 ({sid})")

    building_styles = [StyleClass(v, color, translate(f"flood.legend.building_{v}", language))
                       for v, color in BUILDING_COLORS.items()]
    layers: list[tuple[str, gpd.GeoDataFrame, str | None, str | None]] = []
    if result.buildings is not None:
        b = result.buildings
        keep_cols = [col for col in ("id", "function", "floor_level_m", "height_m") if col in b.columns]
        frame = gpd.GeoDataFrame(b[keep_cols].copy(), geometry=b.geometry.values, crs=b.crs)
        frame["residents_est"] = np.round(result.residents, 2)
        wet = np.zeros(len(b), dtype=bool)
        for c in result.cases:
            sid = c.scenario.id
            frame[f"class_{sid}"] = c.building_class.astype(np.int64)
            frame[f"water_level_m_{sid}"] = np.round(c.building_level_m, 3)
            frame[f"depth_m_{sid}"] = np.round(c.building_depth_m, 3)
            frame[f"refuge_{sid}"] = c.refuges.kind.astype(np.int64)
            frame[f"refuge_m_{sid}"] = np.round(c.refuges.distance_m, 1)
            ref = c.refuges.building
            ids = b["id"].to_numpy() if "id" in b.columns else np.arange(len(b))
            frame[f"refuge_building_{sid}"] = np.where(ref >= 0, ids[np.maximum(ref, 0)], -1).astype(np.int64)
            wet |= c.building_class > 0
        first = f"class_{result.cases[0].scenario.id}" if result.cases else "id"
        layers.append(("buildings", frame[wet].reset_index(drop=True), "MultiPolygon",
                       vector_categorized_qml(first, building_styles, "polygon")))
    if result.breach_xy is not None:
        points = [shapely.Point(*result.breach_xy)]
        kinds = ["breach"]
        if result.entry_xy is not None:
            points.append(shapely.Point(*result.entry_xy))
            kinds.append("entry")
        layers.append(("breach", gpd.GeoDataFrame({"kind": kinds}, geometry=points, crs=grid.crs), "Point",
                       vector_single_qml(BREACH_COLOR, "point")))
    if layers:
        write_vector_layers(folder / GPKG, layers)

    values = indicator_values(result)
    theme.write_theme(folder, summary(result), values)
    info = {
        "mode": result.mode,
        "breach_xy": result.breach_xy,
        "entry_xy": result.entry_xy,
        "cases": [{"scenario": c.scenario.id, "river_level_m": None if np.isnan(c.level_m) else round(c.level_m, 3),
                   "rise_m": round(c.rise_m, 3), "volume_m3": round(c.volume_m3, 1),
                   "capacity_m3": round(c.capacity_m3, 1), "volume_limited": c.limited,
                   "max_depth_m": round(float(np.nanmax(c.depth)), 3) if np.isfinite(c.depth).any() else None,
                   "buildings_flooded": int((c.building_class > 0).sum()),
                   "buildings_no_dry_floor": int((c.building_class == hz.NO_DRY_FLOOR).sum())}
                  for c in result.cases],
        "notes": [n.model_dump() for n in result.notes],
    }
    (folder / "summary.json").write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
    return _maps(result, class_styles, building_styles, hillshade), _tables(result, values)


def _maps(result: FloodResult, class_styles: list[StyleClass], building_styles: list[StyleClass],
          hillshade: Layer | None) -> list[MapSpec]:
    base = [hillshade] if hillshade is not None else []
    k = result.knowledge
    legend = [LegendEntry(value=s.value, color=s.color, label=class_label(int(s.value), k.depth_upper_m))
              for s in class_styles]
    maps: list[MapSpec] = []
    for c in result.cases:
        sid = c.scenario.id
        layers = [*base, Layer(file=f"depth_class_{sid}.tif", type="raster_classes", legend=legend, alpha=0.85)]
        if result.buildings is not None:
            layers.append(Layer(file=GPKG, layer="buildings", type="vector", column=f"class_{sid}",
                                legend=[LegendEntry(value=s.value, color=s.color,
                                                    label=text(f"flood.legend.building_{s.value}"))
                                        for s in building_styles]))
        if result.breach_xy is not None:
            layers.append(Layer(file=GPKG, layer="breach", type="vector", color=BREACH_COLOR,
                                label=text("flood.legend.breach")))
        scenario = text("flood.scenario", scenario_nl=c.scenario.label("nl"), scenario_en=c.scenario.label("en"))
        if result.mode == "external":
            title = text("flood.maps.depth.title_external")
            description = text("flood.maps.depth.description_external")
        else:
            level = f"{c.level_m:.2f}"
            title = text("flood.maps.depth.title", level=level, level_nl=level.replace(".", ","),
                         scenario_nl=scenario.nl, scenario_en=scenario.en)
            volume = (text("flood.maps.depth.volume_limited", volume=f"{c.volume_m3 / 1e6:.2f}",
                           volume_nl=f"{c.volume_m3 / 1e6:.2f}".replace(".", ","))
                      if c.limited else text("flood.maps.depth.volume_unlimited"))
            description = text("flood.maps.depth.description", level=level, level_nl=level.replace(".", ","),
                               storey=f"{k.storey_height_m:g}", storey_nl=f"{k.storey_height_m:g}".replace(".", ","),
                               volume_nl=volume.nl, volume_en=volume.en,
                               flooded=int((c.building_class > 0).sum()),
                               no_dry=int((c.building_class == hz.NO_DRY_FLOOR).sum()))
        note = result.case_notes.get(sid)
        if note is not None:
            description = Text(nl=f"{description.nl} {note.nl}", en=f"{description.en} {note.en}")
        maps.append(MapSpec(id=f"flood_depth_{sid}", theme="flood", title=title, description=description,
                            layers=layers))
    return maps


def _tables(result: FloodResult, values: list[theme.IndicatorValue]) -> list[TableSpec]:
    if not result.cases:
        return []
    columns = [Column(label=text("flood.tables.col_neighbourhood")),
               *[Column(label=text(f"flood.indicators.{i}"), decimals=1 if i == "area_flooded_ha" else 0, unit=u
                        if u == "ha" else "") for i, u in INDICATORS]]
    tables: list[TableSpec] = []
    for c in result.cases[:1]:
        by_code: dict[str, dict[str, float]] = {}
        names: dict[str, str] = {}
        for v in values:
            if v.scenario != c.scenario.id:
                continue
            by_code.setdefault(v.code, {})[v.indicator] = v.value
            names[v.code] = v.name
        rows = [[names[code] or code, *[by_code[code][i] for i, _u in INDICATORS]]
                for code in by_code if code != ""]
        total = [text("flood.tables.total"), *[by_code.get("", {}).get(i, 0.0) for i, _u in INDICATORS]]
        tables.append(TableSpec(id=f"flood_neighbourhoods_{c.scenario.id}", theme="flood",
                                title=text("flood.tables.neighbourhoods_title",
                                           scenario_nl=c.scenario.label("nl"), scenario_en=c.scenario.label("en")),
                                description=text("flood.tables.neighbourhoods_description"),
                                columns=columns, rows=rows, total=total, note=text("flood.tables.note")))
    if len(result.cases) > 1:
        rows_s: list[list[Any]] = []
        totals = {(v.scenario, v.indicator): v.value for v in values if v.code == ""}
        for c in result.cases:
            label = Text(nl=c.scenario.label("nl"), en=c.scenario.label("en"))
            rows_s.append([label, round(c.level_m, 2), *[totals.get((c.scenario.id, i), 0.0) for i, _u in INDICATORS]])
        tables.append(TableSpec(
            id="flood_scenarios", theme="flood", title=text("flood.tables.scenarios_title"),
            columns=[Column(label=text("flood.tables.col_scenario")),
                     Column(label=text("flood.tables.col_level"), decimals=2, unit="m NAP"), *columns[1:]],
            rows=rows_s))
    return tables


# --- the dossier product -----------------------------------------------------------------------------

def flood(ctx: Any) -> None:
    """Flood depth after a breach (or from an external raster), buildings with a dry floor, refuges, per scenario."""
    from alliantie.method.baseinfo.output import hillshade_layer

    params = ctx.params(FloodParameters)
    knowledge = FloodKnowledge.from_dict(ctx.knowledge("flood"))
    scenarios = dossier_scenarios(ctx.param("scenarios"))
    dem = ctx.raster("dem").array.astype(np.float32)
    external = None
    if ctx.dossier.input_file("flood_depth") is not None:
        external = ctx.raster("flood_depth").array
        if external.shape != dem.shape:  # pragma: no cover - read_raster aligns on the grid
            raise InputDataError("errors.input_unreadable", path="flood_depth")
    levels: list[LevelCase] = []
    missing: list[tuple[str, str]] = []
    if external is None and params.has_breach:
        sea: dict[str, float | None] = {}
        if params.use_knmi_sea_level:
            from alliantie.climate import load_climate_table

            table = load_climate_table(ctx.knowledge("knmi_scenarios"))
            sea = {s.id: table.change("sea_level", s) for s in scenarios}
        levels, missing = scenario_levels(params, scenarios, sea)
    data = FloodInput(grid=ctx.grid, dem=dem, buildings=ctx.vector("buildings"),
                      neighbourhoods=ctx.vector("neighbourhoods"), waterbodies=ctx.vector("waterbodies"),
                      area=ctx.mask, external_depth=external)
    result = analyse(data, params, knowledge, levels)
    result.missing = missing
    if result.mode == "none":
        result.notes.append(text("flood.notes.nothing"))
        depth = np.where(np.isfinite(dem), 0.0, np.nan).astype(np.float32)
        count = 0 if result.buildings is None else len(result.buildings)
        result.cases.append(FloodCase(
            scenario=ClimateScenario(), level_m=float("nan"), rise_m=0.0, depth=depth, volume_m3=0.0,
            capacity_m3=0.0, limited=False, building_class=np.zeros(count, np.uint8),
            building_level_m=np.full(count, np.nan), building_depth_m=np.full(count, np.nan),
            refuges=hz.Refuges(kind=np.zeros(count, np.uint8), distance_m=np.full(count, np.nan),
                               building=np.full(count, -1, np.int64))))
    ctx.progress(0.8)
    maps, tables = write_outputs(ctx.out_dir, result, ctx.language, hillshade=hillshade_layer())
    if result.mode == "none":
        maps, tables = [], []
    write_maps(ctx.out_dir, maps)
    write_tables(ctx.out_dir, tables)
