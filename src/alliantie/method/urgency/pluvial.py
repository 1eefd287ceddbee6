"""Pluvial flooding (*wateroverlast*, step 1 *Urgentie*): cloudbursts on the elevation model.

:func:`analyse` runs the hydrology engine (fill-spill-merge and D8 flow) on a
DEM with raised buildings for every case (event x climate scenario) and turns
the results into bluespots, water depths, flow paths, affected buildings, road
pieces and counts per neighbourhood. :func:`write_outputs` writes them as
standard files; :func:`pluvial` is the dossier product, and the ``alliantie
bluespots`` command uses the same two functions outside a dossier.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import rasterio.features

from alliantie.contract import theme
from alliantie.contract.spec import (
    Cell,
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
from alliantie.grid import Grid
from alliantie.i18n import translate
from alliantie.io.raster import write_raster
from alliantie.io.styles import (
    StyleClass,
    hex_rgb,
    raster_paletted_qml,
    raster_ramp_qml,
    vector_categorized_qml,
)
from alliantie.io.vector import write_vector_layers
from alliantie.method.urgency import bluespots as bs
from alliantie.method.urgency.events import Case
from alliantie.parameters.pluvial import PluvialParameters

log = logging.getLogger(__name__)

#: Colours of the building classes (facade, above floor), road classes (no cars, no traffic), flow paths.
BUILDING_COLORS = {bs.FACADE: "#f4a000", bs.ABOVE_FLOOR: "#c00000"}
ROAD_COLORS = {bs.NO_CARS: "#e377c2", bs.NO_TRAFFIC: "#7b0062"}
FLOW_COLORS = {1: "#9ecae1", 2: "#4292c6", 3: "#08306b"}
#: Classes of the rain needed to fill a bluespot (mm): upper bounds and colours.
FILL_CLASSES: tuple[tuple[float, str], ...] = ((20.0, "#b2182b"), (70.0, "#ef8a62"), (140.0, "#fddbc7"),
                                              (float("inf"), "#d9d9d9"))
#: Depth ramp of the maps and QGIS styles (m).
DEPTH_MAX_M = 0.5
DEPTH_CMAP = "YlGnBu"


@dataclass
class PluvialInput:
    """What the analysis needs, already on one grid.

    ``dem`` is ground level (float32, NaN = no data); ``runoff_mm`` gives the
    runoff depth per cell for a case; ``outlets`` marks cells where water leaves
    (open water); ``area`` marks the study area (outside it depths are hidden).
    """

    grid: Grid
    dem: np.ndarray
    runoff_mm: Callable[[Case], np.ndarray]
    buildings: gpd.GeoDataFrame | None = None
    roads: gpd.GeoDataFrame | None = None
    neighbourhoods: gpd.GeoDataFrame | None = None
    outlets: np.ndarray | None = None
    area: np.ndarray | None = None


@dataclass
class CaseResult:
    case: Case
    depth: np.ndarray  # shown depth, float32 m, NaN = not shown
    stored_m3: np.ndarray  # per kept bluespot
    building_class: np.ndarray  # per building
    facade_depth_m: np.ndarray  # per building (NaN dry)
    road_depth_m: np.ndarray  # per road piece
    road_class: np.ndarray  # per road piece
    rain_m3: float
    outflow_m3: float
    seconds: float


@dataclass
class PluvialResult:
    grid: Grid
    spots: bs.Bluespots
    spot_polygons: gpd.GeoDataFrame
    flow_classes: np.ndarray
    flow_lines: gpd.GeoDataFrame
    buildings: gpd.GeoDataFrame | None
    road_pieces: gpd.GeoDataFrame | None
    neighbourhoods: gpd.GeoDataFrame | None
    cases: list[CaseResult]
    params: PluvialParameters
    seconds: dict[str, float] = field(default_factory=dict)


def _hydrology() -> Any:
    from alliantie import hydrology

    return hydrology


def analyse(data: PluvialInput, cases: Sequence[Case], params: PluvialParameters,
            progress: Callable[[float], None] | None = None) -> PluvialResult:
    """Run every case on the DEM with raised buildings and post-process the results."""
    hydro = _hydrology()
    grid = data.grid
    cell_area = grid.cell_area
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    buildings = data.buildings.reset_index(drop=True) if data.buildings is not None else None
    ids = bs.building_ids(buildings, grid)
    ground = np.asarray(data.dem, dtype=np.float32)
    model = bs.raise_buildings(ground, ids, params.building_raise_m)
    if data.outlets is not None:
        model[data.outlets] = np.nan
    seconds["prepare"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    directions = hydro.flow_directions(model)
    accumulation = hydro.flow_accumulation(directions)
    flow = bs.flow_path_classes(np.asarray(accumulation), cell_area, params.flow_path_min_area_ha)
    if data.area is not None:
        flow[~data.area] = 0
    flow_lines = bs.flow_path_lines(np.asarray(directions), flow, grid)
    seconds["flow_paths"] = time.perf_counter() - t0

    hide = ids > 0
    if data.area is not None:
        hide = hide | ~data.area
    floor = None
    if buildings is not None and len(buildings):
        floor = bs.floor_levels(buildings, ground, ids, params.floor_height_m)
    pieces = None
    if data.roads is not None and len(data.roads):
        pieces = bs.road_pieces(data.roads.reset_index(drop=True), grid.res)

    results: list[CaseResult] = []
    spots: bs.Bluespots | None = None
    polygons: gpd.GeoDataFrame | None = None
    for i, case in enumerate(cases):
        t0 = time.perf_counter()
        runoff = np.asarray(data.runoff_mm(case), dtype=np.float32) / np.float32(1000.0)
        runoff[np.isnan(model)] = 0
        fsm = hydro.fill_spill_merge(model, runoff, cell_area=cell_area)
        depth = np.asarray(fsm.depth, dtype=np.float32)
        t_engine = time.perf_counter() - t0
        if spots is None:
            t1 = time.perf_counter()
            hierarchy = fsm.hierarchy
            spots = bs.bluespot_table(hierarchy.table, hierarchy.bluespot, cell_area,
                                      min_depth_m=params.min_depth_m, min_area_m2=params.min_bluespot_area_m2)
            polygons = bs.bluespot_polygons(hierarchy.bluespot, spots, grid)
            bluespot_raster = np.asarray(hierarchy.bluespot)
            seconds["bluespots"] = time.perf_counter() - t1
        shown = bs.shown_depth(depth, params.min_depth_m, hide=hide)
        stored = bs.stored_per_bluespot(bluespot_raster, depth, spots.id, cell_area)
        count = 0 if buildings is None else len(buildings)
        if count:
            level = ground.astype(np.float64) + np.where(shown >= params.min_depth_m, shown, np.nan)
            f_depth, f_level = bs.facade_water(ids, count, np.where(hide & (ids == 0), np.nan, shown), level)
            assert floor is not None
            classes = bs.building_classes(f_depth[1:], f_level[1:], floor, params.min_depth_m)
            facade_depth = f_depth[1:]
        else:
            classes, facade_depth = np.zeros(0, np.uint8), np.zeros(0)
        if pieces is not None:
            road_depth = bs.sample_max(shown, pieces, grid)
            road_class = bs.road_classes(road_depth, params.road_depth_classes_m)
        else:
            road_depth, road_class = np.zeros(0), np.zeros(0, np.uint8)
        results.append(CaseResult(
            case=case, depth=shown, stored_m3=stored, building_class=classes, facade_depth_m=facade_depth,
            road_depth_m=road_depth, road_class=road_class, rain_m3=float(fsm.inflow_m3),
            outflow_m3=float(fsm.outflow_m3), seconds=time.perf_counter() - t0,
        ))
        seconds[f"case {case.id}"] = time.perf_counter() - t0
        seconds[f"engine {case.id}"] = t_engine
        log.info("pluvial %s: %.0f mm, %.1f s", case.id, case.rain_mm, time.perf_counter() - t0)
        if progress is not None:
            progress((i + 1) / (len(cases) + 1))
    assert spots is not None and polygons is not None
    return PluvialResult(grid=grid, spots=spots, spot_polygons=polygons, flow_classes=flow, flow_lines=flow_lines,
                         buildings=buildings,
                         road_pieces=pieces, neighbourhoods=data.neighbourhoods, cases=results, params=params,
                         seconds=seconds)


# --- counts -----------------------------------------------------------------------------------------

def neighbourhood_counts(result: PluvialResult) -> list[dict[str, Any]]:
    """Per neighbourhood and case: buildings with water at the facade / above floor, road length impassable.

    Rows with ``code`` "" hold the totals over the whole grid. A building
    counts in the neighbourhood of its representative point, a road piece in
    that of its midpoint. Buildings above floor level also count at the facade.
    """
    grid = result.grid
    hoods = result.neighbourhoods
    n = 0 if hoods is None else len(hoods)
    zones = np.zeros(grid.shape, dtype=np.int32)
    if hoods is not None and n:
        hoods = hoods.reset_index(drop=True)
        zones = rasterio.features.rasterize(
            [(g, i + 1) for i, g in enumerate(hoods.geometry.values) if g is not None and not g.is_empty],
            out_shape=grid.shape, transform=grid.transform, fill=0, dtype="int32",
        )
    b_zone = np.zeros(0, dtype=np.int64)
    if result.buildings is not None and len(result.buildings):
        pts = result.buildings.geometry.representative_point()
        b_zone = bs.zone_of_points(zones, pts.x.to_numpy(), pts.y.to_numpy(), grid)
    r_zone = np.zeros(0, dtype=np.int64)
    r_len = np.zeros(0)
    if result.road_pieces is not None and len(result.road_pieces):
        mid = result.road_pieces.geometry.interpolate(0.5, normalized=True)
        r_zone = bs.zone_of_points(zones, mid.x.to_numpy(), mid.y.to_numpy(), grid)
        r_len = result.road_pieces.geometry.length.to_numpy()
    rows: list[dict[str, Any]] = []
    for c in result.cases:
        facade = bs.count_by_zone(b_zone, n, (c.building_class >= bs.FACADE).astype(np.float64))
        above = bs.count_by_zone(b_zone, n, (c.building_class >= bs.ABOVE_FLOOR).astype(np.float64))
        no_cars = bs.count_by_zone(r_zone, n, r_len * (c.road_class >= bs.NO_CARS))
        no_traffic = bs.count_by_zone(r_zone, n, r_len * (c.road_class >= bs.NO_TRAFFIC))
        for z in range(1, n + 1):
            assert hoods is not None
            row = hoods.iloc[z - 1]
            rows.append(_count_row(c, str(row.get("code", z)), str(row.get("name", "")), facade[z], above[z],
                                   no_cars[z], no_traffic[z]))
        rows.append(_count_row(c, "", "", facade.sum(), above.sum(), no_cars.sum(), no_traffic.sum()))
    return rows


def _count_row(c: CaseResult, code: str, name: str, facade: float, above: float, no_cars: float,
               no_traffic: float) -> dict[str, Any]:
    return {
        "case": c.case.id, "event": c.case.event.id, "scenario": c.case.scenario.id,
        "rain_mm": round(c.case.rain_mm, 1), "code": code, "name": name,
        "buildings_facade": round(float(facade)), "buildings_above_floor": round(float(above)),
        "road_m_no_cars": round(float(no_cars), 1), "road_m_no_traffic": round(float(no_traffic), 1),
    }


# --- writing ----------------------------------------------------------------------------------------

def _fill_class(rain_to_fill_mm: np.ndarray) -> np.ndarray:
    out = np.zeros(rain_to_fill_mm.shape, dtype=np.int64)
    lower = 0.0
    for i, (upper, _color) in enumerate(FILL_CLASSES):
        out[(rain_to_fill_mm >= lower) & (rain_to_fill_mm < upper)] = i + 1
        lower = upper
    return out


def _fill_label(i: int) -> Text:
    lower = 0.0 if i == 0 else FILL_CLASSES[i - 1][0]
    upper = FILL_CLASSES[i][0]
    if i == 0:
        return text("pluvial.legend.fill_below", upper=f"{upper:g}")
    if upper == float("inf"):
        return text("pluvial.legend.fill_above", lower=f"{lower:g}")
    return text("pluvial.legend.fill_between", lower=f"{lower:g}", upper=f"{upper:g}")


def _case_label(case: Case) -> Text:
    if case.scenario.year is None:
        return text("pluvial.case.current", event_nl=case.event.nl, event_en=case.event.en)
    delta_t = f"{case.scenario.delta_t_c:.1f}"
    return text("pluvial.case.future", event_nl=case.event.nl, event_en=case.event.en,
                scenario=case.scenario.name or case.scenario.id, year=case.scenario.year, rain=f"{case.rain_mm:.0f}",
                delta_t=delta_t, delta_t_nl=delta_t.replace(".", ","))


def write_outputs(
    folder: Path, result: PluvialResult, language: str, *, hillshade: Layer | None = None,
    counts: list[dict[str, Any]] | None = None,
) -> list[MapSpec]:
    """Write the rasters, GeoPackage, CSV and JSON of ``result`` into ``folder``; return the maps to draw.

    ``counts``: :func:`neighbourhood_counts` of ``result`` when the caller has them already.
    """
    grid = result.grid
    folder.mkdir(parents=True, exist_ok=True)
    depth_qml = raster_ramp_qml([
        (result.params.min_depth_m, "#ffffd9", f"{result.params.min_depth_m:g} m"),
        (0.1, "#7fcdbb", "0.1 m"), (0.3, "#1d91c0", "0.3 m"), (DEPTH_MAX_M, "#081d58", f"{DEPTH_MAX_M:g} m"),
    ])
    for c in result.cases:
        write_raster(folder / f"depth_{c.case.id}.tif", c.depth, grid, qml=depth_qml,
                     description=f"water depth (m) after {c.case.rain_mm:.1f} mm ({c.case.id})",
                     tags={"rain_mm": f"{c.case.rain_mm:.2f}", "event": c.case.event.id,
                           "scenario": c.case.scenario.id, "min_depth_m": f"{result.params.min_depth_m:g}"})
    flow_classes = [
        StyleClass(k, color, translate(f"pluvial.legend.flow_{k}", language,
                                       area=f"{result.params.flow_path_min_area_ha * 10 ** (k - 1):g}"))
        for k, color in FLOW_COLORS.items()
    ]
    write_raster(folder / "flow_paths.tif", result.flow_classes, grid, nodata=0,
                 colormap={k: (*hex_rgb(c), 255) for k, c in FLOW_COLORS.items()},
                 qml=raster_paletted_qml(flow_classes), description="flow paths: class of upstream area")

    spots = result.spot_polygons.copy()
    spots["fill_class"] = _fill_class(spots["rain_to_fill_mm"].to_numpy())
    for c in result.cases:
        spots[f"stored_m3_{c.case.id}"] = np.round(c.stored_m3, 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(spots["capacity_m3"] > 0, 100.0 * c.stored_m3 / spots["capacity_m3"], 0.0)
        spots[f"filled_pct_{c.case.id}"] = np.round(np.clip(share, 0, 100), 1)
    fill_styles = [StyleClass(i + 1, color, _fill_label(i).get(language)) for i, (_u, color) in enumerate(FILL_CLASSES)]
    layers: list[tuple[str, gpd.GeoDataFrame, str | None, str | None]] = [
        ("bluespots", spots, "MultiPolygon", vector_categorized_qml("fill_class", fill_styles, "polygon")),
        ("flow_paths", result.flow_lines, "LineString", vector_categorized_qml("class", flow_classes, "line")),
    ]
    building_styles = [StyleClass(k, c, translate(f"pluvial.legend.building_{k}", language))
                       for k, c in BUILDING_COLORS.items()]
    if result.buildings is not None:
        b = result.buildings
        keep_cols = [col for col in ("id", "function", "floor_level_m") if col in b.columns]
        frame = gpd.GeoDataFrame(b[keep_cols].copy(), geometry=b.geometry.values, crs=b.crs)
        wet = np.zeros(len(b), dtype=bool)
        for c in result.cases:
            frame[f"class_{c.case.id}"] = c.building_class.astype(np.int64)
            frame[f"facade_depth_m_{c.case.id}"] = np.round(c.facade_depth_m, 3)
            wet |= c.building_class > 0
        first = f"class_{result.cases[0].case.id}"
        layers.append(("buildings", frame[wet].reset_index(drop=True), "MultiPolygon",
                       vector_categorized_qml(first, building_styles, "polygon")))
    road_styles = [StyleClass(k, c, translate(f"pluvial.legend.road_{k}", language,
                                              depth=f"{result.params.road_depth_classes_m[k - 1]:g}"))
                   for k, c in ROAD_COLORS.items()]
    if result.road_pieces is not None:
        r = result.road_pieces.copy()
        wet = np.zeros(len(r), dtype=bool)
        for c in result.cases:
            r[f"class_{c.case.id}"] = c.road_class.astype(np.int64)
            r[f"depth_m_{c.case.id}"] = np.round(c.road_depth_m, 3)
            wet |= c.road_class > 0
        first = f"class_{result.cases[0].case.id}"
        layers.append(("roads", r[wet].reset_index(drop=True), "LineString",
                       vector_categorized_qml(first, road_styles, "line")))
    write_vector_layers(folder / "bluespots.gpkg", layers)

    counts = neighbourhood_counts(result) if counts is None else counts
    gpd.pd.DataFrame(counts).to_csv(folder / "neighbourhoods.csv", index=False)
    summary = {
        "cases": [
            {"id": c.case.id, "event": c.case.event.id, "scenario": c.case.scenario.id,
             "year": c.case.scenario.year, "delta_t_c": c.case.scenario.delta_t_c,
             "rain_mm": round(c.case.rain_mm, 2), "label": _case_label(c.case).model_dump(),
             "rain_m3": round(c.rain_m3, 1), "outflow_m3": round(c.outflow_m3, 1),
             "stored_bluespots_m3": round(float(c.stored_m3.sum()), 1),
             "buildings_facade": int((c.building_class >= bs.FACADE).sum()),
             "buildings_above_floor": int((c.building_class >= bs.ABOVE_FLOOR).sum()),
             "seconds": round(c.seconds, 2)}
            for c in result.cases
        ],
        "bluespots": len(result.spots),
        "neighbourhoods": counts,
        "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
    }
    import json

    (folder / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    return _maps(result, hillshade, fill_styles_legend(), building_styles, road_styles, flow_classes)


def fill_styles_legend() -> list[LegendEntry]:
    return [LegendEntry(value=i + 1, color=color, label=_fill_label(i)) for i, (_u, color) in enumerate(FILL_CLASSES)]


def _maps(result: PluvialResult, hillshade: Layer | None, fill_legend: list[LegendEntry],
          building_styles: list[StyleClass], road_styles: list[StyleClass],
          flow_styles: list[StyleClass]) -> list[MapSpec]:
    base = [hillshade] if hillshade is not None else []
    flow_legend = [LegendEntry(value=s.value, color=s.color,
                               label=text(f"pluvial.legend.flow_{s.value}",
                                          area=f"{result.params.flow_path_min_area_ha * 10 ** (int(s.value) - 1):g}"))
                   for s in flow_styles]
    maps = [MapSpec(
        id="pluvial_bluespots", theme="pluvial",
        title=text("pluvial.maps.bluespots.title"),
        description=text("pluvial.maps.bluespots.description", count=len(result.spots)),
        layers=[*base,
                Layer(file="bluespots.gpkg", layer="bluespots", type="vector", column="fill_class",
                      legend=fill_legend, alpha=0.9),
                Layer(file="flow_paths.tif", type="raster_classes", legend=flow_legend)],
    )]
    for c in _mapped_cases(result.cases):
        layers = [*base,
                  Layer(file=f"depth_{c.case.id}.tif", type="raster_continuous", cmap=DEPTH_CMAP,
                        vmin=0.0, vmax=DEPTH_MAX_M, unit="m", label=text("pluvial.legend.depth"))]
        if result.buildings is not None:
            layers.append(Layer(
                file="bluespots.gpkg", layer="buildings", type="vector", column=f"class_{c.case.id}",
                legend=[LegendEntry(value=s.value, color=s.color, label=text(f"pluvial.legend.building_{s.value}"))
                        for s in building_styles]))
        if result.road_pieces is not None:
            layers.append(Layer(
                file="bluespots.gpkg", layer="roads", type="vector", column=f"class_{c.case.id}", linewidth=1.6,
                legend=[LegendEntry(value=s.value, color=s.color,
                                    label=text(f"pluvial.legend.road_{s.value}",
                                               depth=f"{result.params.road_depth_classes_m[int(s.value) - 1]:g}"))
                        for s in road_styles]))
        label = _case_label(c.case)
        event = {"event_mm": f"{c.case.event.rain_mm:g}", "hours": f"{c.case.event.duration_h:g}",
                 "rain": f"{c.case.rain_mm:.0f}", "year": c.case.scenario.year}
        event["scenario"] = c.case.scenario.name or c.case.scenario.id
        title_key = "title_current" if c.case.scenario.year is None else "title_future"
        maps.append(MapSpec(
            id=f"pluvial_depth_{c.case.id}", theme="pluvial",
            title=text(f"pluvial.maps.depth.{title_key}", **event),
            description=text("pluvial.maps.depth.description", rain=f"{c.case.rain_mm:.0f}",
                             min_cm=f"{100 * result.params.min_depth_m:g}", case_nl=label.nl, case_en=label.en),
            layers=layers,
        ))
    return maps


def _mapped_cases(cases: Sequence[CaseResult]) -> list[CaseResult]:
    """The cases drawn as depth maps: today's climate and the warmest scenario of each horizon year.

    Every case is written as a raster and listed in the tables; the report draws these.
    """
    warmest: dict[int, tuple[float, str]] = {}
    for c in cases:
        year = c.case.scenario.year
        if year is not None and (year not in warmest or c.case.scenario.delta_t_c > warmest[year][0]):
            warmest[year] = (c.case.scenario.delta_t_c, c.case.scenario.id)
    keep = {sid for _dt, sid in warmest.values()}
    return [c for c in cases if c.case.scenario.year is None or c.case.scenario.id in keep]


def severity_classes(depth: np.ndarray, params: PluvialParameters) -> np.ndarray:
    """Pluvial severity per cell from a shown water depth (NaN = dry or hidden).

    1: water of at least ``min_depth_m`` (2 cm) on the ground; 2: at least the
    first road class (0.10 m: impassable for cars); 3: at least the second
    (0.30 m: impassable for all traffic).
    """
    d = np.nan_to_num(np.asarray(depth, dtype=np.float32), nan=0.0)
    low, high = params.road_depth_classes_m
    out = np.zeros(d.shape, dtype=np.uint8)
    out[d >= params.min_depth_m] = theme.LOW
    out[d >= low] = theme.MODERATE
    out[d >= high] = theme.HIGH
    return out


#: Indicators of the pluvial theme per neighbourhood (count columns of :func:`neighbourhood_counts`).
INDICATORS: tuple[tuple[str, str, float], ...] = (
    ("buildings_above_floor", "buildings", 1.0),
    ("buildings_facade", "buildings", 1.0),
    ("road_m_no_cars", "km", 1e-3),
    ("road_m_no_traffic", "km", 1e-3),
)


def write_theme_outputs(folder: Path, result: PluvialResult, counts: list[dict[str, Any]],
                        missing: Sequence[tuple[str, str]], area: np.ndarray | None) -> None:
    """Severity per scenario (from the severity event), ``theme.json``, ``indicators.csv`` and ``tables.json``."""
    params = result.params
    for c in result.cases:
        if c.case.event.id == params.severity_event:
            theme.write_severity(folder, c.case.scenario.id, severity_classes(c.depth, params), result.grid,
                                  area=area, description=f"pluvial severity after {c.case.rain_mm:.0f} mm")
    scenario_ids = list(dict.fromkeys(c.case.scenario.id for c in result.cases))
    events = list(dict.fromkeys(c.case.event.id for c in result.cases))
    event_labels = {c.case.event.id: (c.case.event.nl, c.case.event.en) for c in result.cases}
    infos = [
        theme.IndicatorInfo(id=f"{name.replace('road_m', 'road_km')}_{event}", unit=unit,
                             label=text(f"pluvial.indicators.{name}", event_nl=event_labels[event][0],
                                        event_en=event_labels[event][1]))
        for event in events for name, unit, _f in INDICATORS
    ]
    values = [
        theme.IndicatorValue(scenario=str(row["scenario"]), code=str(row["code"]), name=str(row["name"]),
                              indicator=f"{name.replace('road_m', 'road_km')}_{row['event']}",
                              value=float(row[name]) * factor)
        for row in counts for name, _unit, factor in INDICATORS
    ]
    low, high = params.road_depth_classes_m
    summary = theme.ThemeSummary(
        theme="pluvial", title=text("products.urgency.pluvial"), scenarios=scenario_ids,
        classes={str(theme.LOW): text("pluvial.severity.1", min_cm=f"{100 * params.min_depth_m:g}"),
                 str(theme.MODERATE): text("pluvial.severity.2", depth=f"{low:g}"),
                 str(theme.HIGH): text("pluvial.severity.3", depth=f"{high:g}")},
        indicators=infos, missing=list(missing),
    )
    theme.write_theme(folder, summary, values)
    write_tables(folder, count_tables(result, counts, missing))


def count_tables(result: PluvialResult, counts: list[dict[str, Any]],
                 missing: Sequence[tuple[str, str]]) -> list[TableSpec]:
    """Per event: buildings with water above floor level per neighbourhood and scenario; totals per case."""
    cases = [c.case for c in result.cases]
    scenario_cases: dict[str, Case] = {}
    for case in cases:
        scenario_cases.setdefault(case.scenario.id, case)
    columns_scen = [Column(label=_scenario_label(case), decimals=0) for case in scenario_cases.values()]
    tables: list[TableSpec] = []
    missing_note = None
    if missing:
        missing_note = text("pluvial.tables.missing", scenarios=", ".join(sorted({sid for _v, sid in missing})))
    for event_id in dict.fromkeys(c.event.id for c in cases):
        event = next(c.event for c in cases if c.event.id == event_id)
        by_key = {(r["code"], r["scenario"]): r for r in counts if r["event"] == event_id}
        codes = list(dict.fromkeys((r["code"], r["name"]) for r in counts if r["event"] == event_id and r["code"]))
        rows: list[list[Cell]] = []
        for code, name in codes:
            rows.append([name or code, *[by_key.get((code, sid), {}).get("buildings_above_floor")
                                         for sid in scenario_cases]])
        total: list[Cell] = [text("pluvial.tables.total"),
                             *[by_key.get(("", sid), {}).get("buildings_above_floor") for sid in scenario_cases]]
        tables.append(TableSpec(
            id=f"pluvial_above_floor_{event_id}", theme="pluvial",
            title=text("pluvial.tables.above_floor.title", event_nl=event.nl, event_en=event.en),
            description=text("pluvial.tables.above_floor.description"),
            columns=[Column(label=text("pluvial.tables.neighbourhood")), *columns_scen],
            rows=rows, total=total, note=missing_note,
        ))
    summary_rows: list[list[Cell]] = []
    for c in result.cases:
        row = next(r for r in counts if r["case"] == c.case.id and not r["code"])
        summary_rows.append([_case_label(c.case), round(c.case.rain_mm, 1), row["buildings_facade"],
                             row["buildings_above_floor"], row["road_m_no_cars"] / 1000,
                             row["road_m_no_traffic"] / 1000])
    low, high = result.params.road_depth_classes_m
    tables.append(TableSpec(
        id="pluvial_cases", theme="pluvial", title=text("pluvial.tables.cases.title"),
        description=text("pluvial.tables.cases.description"),
        columns=[Column(label=text("pluvial.tables.case")), Column(label=text("pluvial.tables.rain"), decimals=0,
                                                                    unit="mm"),
                 Column(label=text("pluvial.tables.facade")), Column(label=text("pluvial.tables.above_floor_col")),
                 Column(label=text("pluvial.tables.no_cars", depth=f"{low:g}"), decimals=2, unit="km"),
                 Column(label=text("pluvial.tables.no_traffic", depth=f"{high:g}"), decimals=2, unit="km")],
        rows=summary_rows, note=missing_note,
    ))
    return tables


def _scenario_label(case: Case) -> Text:
    if case.scenario.year is None:
        return text("pluvial.tables.today")
    return Text(nl=f"{case.scenario.name or case.scenario.id} {case.scenario.year}",
                en=f"{case.scenario.name or case.scenario.id} {case.scenario.year}")


def water_mask(layers: Sequence[gpd.GeoDataFrame | None], grid: Grid) -> np.ndarray:
    """True in cells touched by the water courses (lines) and water bodies (polygons) given."""
    shapes = [g for layer in layers if layer is not None for g in layer.geometry.values
              if g is not None and not g.is_empty]
    if not shapes:
        return np.zeros(grid.shape, dtype=bool)
    burnt = rasterio.features.rasterize([(g, 1) for g in shapes], out_shape=grid.shape, transform=grid.transform,
                                        fill=0, all_touched=True, dtype="uint8")
    return np.asarray(burnt, dtype=bool)


# --- the dossier product ----------------------------------------------------------------------------

def pluvial(ctx: Any) -> None:
    """Water depth, bluespots, flow paths, buildings, roads and counts per neighbourhood per event and scenario."""
    from alliantie.climate import dossier_scenarios, load_climate_table
    from alliantie.errors import ConfigError
    from alliantie.method.baseinfo.output import hillshade_layer
    from alliantie.method.baseinfo.soil import classify_soil, rasterize_codes, soil_tables
    from alliantie.method.urgency import events as ev
    from alliantie.method.urgency.runoff import runoff_mm, runoff_tables, water_cells

    params = ctx.params(PluvialParameters)
    knowledge = ctx.knowledge("rain_events")
    table = load_climate_table(ctx.knowledge("knmi_scenarios"))
    if params.temperature_variable not in table.variables:
        raise ConfigError("pluvial.errors.unknown_variable", value=params.temperature_variable,
                          known=", ".join(table.variables))
    if params.severity_event not in params.events:
        raise ConfigError("pluvial.errors.severity_event", value=params.severity_event,
                          events=", ".join(params.events))
    climates, missing = ev.climate_scenarios(table, dossier_scenarios(ctx.param("scenarios")),
                                             params.temperature_variable)
    cases = ev.cases(knowledge, params.events, climates, label="parameters.pluvial.events")
    soil_knowledge = ctx.knowledge("soil_classes")
    tables = runoff_tables(ctx.knowledge("infiltration"), ctx.knowledge("lgn_classes"), soil_knowledge)
    landuse = ctx.raster("landuse").array
    soil_frame = ctx.vector("soil")
    soil_main = None
    if soil_frame is not None and len(soil_frame):
        classified = classify_soil(soil_frame, soil_knowledge, path=str(ctx.dossier.input_file("soil").path))
        _, mains, _ = soil_tables(soil_knowledge)
        main_code = {m.id: m.code for m in mains}
        soil_main = rasterize_codes(classified, np.array([main_code[m] for m in classified["main_class"]]), ctx.grid)
    dem = ctx.raster("dem").array.astype(np.float32)
    outlets = None
    if params.water_as_outlet:
        outlets = water_cells(landuse, tables) | water_mask(
            [ctx.vector("watercourses"), ctx.vector("waterbodies")], ctx.grid)

    def runoff(case: Case) -> np.ndarray:
        return runoff_mm(case.rain_mm, landuse, soil_main, tables)

    data = PluvialInput(
        grid=ctx.grid, dem=dem, runoff_mm=runoff, buildings=ctx.vector("buildings"), roads=ctx.vector("roads"),
        neighbourhoods=ctx.vector("neighbourhoods"), outlets=outlets, area=ctx.mask,
    )
    result = analyse(data, cases, params, progress=ctx.progress)
    counts = neighbourhood_counts(result)
    maps = write_outputs(ctx.out_dir, result, ctx.language, hillshade=hillshade_layer(), counts=counts)
    write_maps(ctx.out_dir, maps)
    write_theme_outputs(ctx.out_dir, result, counts, missing, ctx.mask)


# --- outside a dossier ------------------------------------------------------------------------------

def bluespots_on_dem(
    dem_path: str | Path,
    rain_mm: float,
    out: str | Path,
    *,
    buildings_path: str | Path | None = None,
    loss_mm: float = 0.0,
    params: PluvialParameters | None = None,
    language: str = "nl",
) -> PluvialResult:
    """Bluespots and water depth for ``rain_mm`` on any GeoTIFF DEM (the ``alliantie bluespots`` command).

    The DEM is used on its own grid (reprojected to RD New when in another CRS);
    ``loss_mm`` (infiltration plus sewer capacity) is subtracted uniformly.
    Writes the same files as the dossier product into ``out``.
    """
    from alliantie.errors import ConfigError
    from alliantie.io.raster import read_raster
    from alliantie.io.vector import read_vector
    from alliantie.method.urgency.events import custom_case

    if not rain_mm > 0:
        raise ConfigError("pluvial.errors.bad_rain", value=rain_mm)
    params = params or PluvialParameters()
    dem = read_raster(dem_path, label="DEM")
    grid = dem.grid
    buildings = None
    if buildings_path is not None:
        buildings = read_vector(buildings_path, target_crs=grid.crs, bbox=grid.bounds, label="buildings")
    runoff_depth = np.float32(max(rain_mm - loss_mm, 0.0))

    def runoff(case: Case) -> np.ndarray:
        return np.full(grid.shape, runoff_depth, dtype=np.float32)

    data = PluvialInput(grid=grid, dem=dem.array.astype(np.float32), runoff_mm=runoff, buildings=buildings)
    result = analyse(data, [custom_case(rain_mm)], params)
    folder = Path(out)
    maps = write_outputs(folder, result, language)
    write_maps(folder, maps)
    return result
