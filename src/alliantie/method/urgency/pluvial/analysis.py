"""The pluvial analysis: every cloudburst case on the DEM with raised buildings, post-processed.

:func:`analyse` runs the hydrology engine (fill-spill-merge and D8 flow) on a
DEM with raised buildings for every case (event x climate scenario) and turns
the results into bluespots (*blauwe plekken*), water depths, flow paths,
affected buildings and road pieces (:mod:`alliantie.hazards.bluespots`).
:func:`severity_classes` gives the pluvial severity of the vulnerability map.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np

from alliantie.climate.hyetograph import Hyetograph
from alliantie.contract import theme
from alliantie.grid import Grid
from alliantie.hazards import bluespots as bs
from alliantie.hazards.overland_storm import DynamicCase, DynamicEngine, DynamicSettings, shown_water
from alliantie.hydrology.api import flow_accumulation, flow_directions
from alliantie.hydrology.fsm import FillSpillMerge
from alliantie.method.urgency.pluvial.events import Case
from alliantie.parameters.pluvial import PluvialParameters

log = logging.getLogger(__name__)

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
    #: sewer capacity of the runoff rule (mm/h), for the texts only
    sewer_mm_per_h: float | None = None
    #: engine "overland" only: the design hyetograph of a case
    hyetograph: Callable[[Case], Hyetograph] | None = None
    #: engine "overland" only: the loss rate per cell of a case (mm/h: sewer, infiltration, storage of measures)
    loss_mm_h: Callable[[Case], np.ndarray] | None = None
    #: engine "overland" only: the numbers of the runs
    dynamic: DynamicSettings | None = None


@dataclass(frozen=True)
class DynamicStats:
    """What a 2-D run adds to a case (engine "overland")."""

    rain_m3: float
    lost_m3: float
    outflow_m3: float
    storage_m3: float
    balance_error: float
    steps: int
    peak_mm_h: float


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
    #: engine "overland": hours the water stood at or above ``min_depth_m`` per cell (float32, 0 never)
    wet_hours: np.ndarray | None = None
    #: engine "overland": hours per road piece at or above the first road depth class
    road_hours: np.ndarray | None = None
    dynamic: DynamicStats | None = None


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
    sewer_mm_per_h: float | None = None
def analyse(data: PluvialInput, cases: Sequence[Case], params: PluvialParameters,
            progress: Callable[[float], None] | None = None) -> PluvialResult:
    """Run every case on the DEM with raised buildings and post-process the results."""
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
    directions = flow_directions(model)
    accumulation = flow_accumulation(directions)
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
    lowest_ground = None
    if floor is not None and params.engine == "overland":
        lowest_ground = bs.footprint_ground(ids, len(floor), ground)
    pieces = None
    if data.roads is not None and len(data.roads):
        pieces = bs.road_pieces(data.roads.reset_index(drop=True), grid.res)

    t0 = time.perf_counter()
    engine = FillSpillMerge(model, cell_area=cell_area)  # the depression hierarchy, once for every case
    seconds["hierarchy"] = time.perf_counter() - t0
    dynamic_engine = None
    if params.engine == "overland":
        if data.dynamic is None or data.hyetograph is None or data.loss_mm_h is None:
            raise ValueError("engine 'overland' needs the hyetograph, loss rates and settings of PluvialInput")
        dynamic_engine = DynamicEngine(ground, data.outlets, ids > 0, grid.res, data.dynamic)
    # two cases with the same rain in time and the same losses give the same run (e.g. Ln 2050 and Ln 2100)
    runs: dict[tuple[tuple[float, ...], float, bytes], DynamicCase] = {}
    results: list[CaseResult] = []
    spots: bs.Bluespots | None = None
    polygons: gpd.GeoDataFrame | None = None
    for i, case in enumerate(cases):
        t0 = time.perf_counter()
        runoff = np.asarray(data.runoff_mm(case), dtype=np.float32) / np.float32(1000.0)
        runoff[np.isnan(model)] = 0
        fsm = engine.route(runoff) if dynamic_engine is None or spots is None else None
        run: DynamicCase | None = None
        if dynamic_engine is not None:
            assert data.hyetograph is not None and data.loss_mm_h is not None
            hyeto = data.hyetograph(case)
            loss = np.asarray(data.loss_mm_h(case), dtype=np.float64)
            key = (hyeto.intensity_mm_h, hyeto.step_s, loss.tobytes())
            run = runs.get(key)
            if run is None:
                run = runs[key] = dynamic_engine.run(hyeto, loss)
            depth = np.nan_to_num(run.max_depth, nan=0.0)
            rain_m3, outflow_m3 = run.rain_m3, run.outflow_m3
        else:
            assert fsm is not None
            depth = np.asarray(fsm.depth, dtype=np.float32)
            rain_m3, outflow_m3 = float(fsm.inflow_m3), float(fsm.outflow_m3)
        t_engine = time.perf_counter() - t0
        if spots is None:
            assert fsm is not None
            t1 = time.perf_counter()
            hierarchy = fsm.hierarchy
            spots = bs.bluespot_table(hierarchy.table, hierarchy.bluespot, cell_area,
                                      min_depth_m=params.min_depth_m, min_area_m2=params.min_bluespot_area_m2)
            polygons = bs.bluespot_polygons(hierarchy.bluespot, spots, grid)
            bluespot_raster = np.asarray(hierarchy.bluespot)
            seconds["bluespots"] = time.perf_counter() - t1
        wet_hours = None
        if run is not None:  # the 2-D rule of the product and the measures' dynamic check
            shown, wet_hours = shown_water(run, params.min_depth_m, hide)
        else:
            shown = bs.shown_depth(depth, params.min_depth_m, hide=hide)
        stored = bs.stored_per_bluespot(bluespot_raster, depth, spots.id, cell_area)
        count = 0 if buildings is None else len(buildings)
        if count:
            level = ground.astype(np.float64) + np.where(shown >= params.min_depth_m, shown, np.nan)
            f_depth, f_level = bs.facade_water(ids, count, np.where(hide & (ids == 0), np.nan, shown), level)
            assert floor is not None
            if lowest_ground is not None:
                # water in motion: above the floor where the facade depth exceeds the threshold height (floor
                # minus the lowest ground around); the level rule would count sheet flow on the upslope side
                f_level = np.concatenate([[np.nan], lowest_ground + f_depth[1:]])
            classes = bs.building_classes(f_depth[1:], f_level[1:], floor, params.min_depth_m)
            facade_depth = f_depth[1:]
        else:
            classes, facade_depth = np.zeros(0, np.uint8), np.zeros(0)
        road_hours = None
        if pieces is not None:
            road_depth = bs.sample_max(shown, pieces, grid)
            road_class = bs.road_classes(road_depth, params.road_depth_classes_m)
            if run is not None:
                road_hours = bs.sample_max(np.where(hide, 0.0, run.road_hours), pieces, grid)
        else:
            road_depth, road_class = np.zeros(0), np.zeros(0, np.uint8)
            road_hours = None if run is None else np.zeros(0)
        stats = None
        if run is not None:
            stats = DynamicStats(rain_m3=run.rain_m3, lost_m3=run.lost_m3, outflow_m3=run.outflow_m3,
                                 storage_m3=run.storage_m3, balance_error=run.balance_error, steps=run.steps,
                                 peak_mm_h=run.peak_mm_h)
        results.append(CaseResult(
            case=case, depth=shown, stored_m3=stored, building_class=classes, facade_depth_m=facade_depth,
            road_depth_m=road_depth, road_class=road_class, rain_m3=rain_m3,
            outflow_m3=outflow_m3, seconds=time.perf_counter() - t0,
            wet_hours=wet_hours, road_hours=road_hours, dynamic=stats,
        ))
        seconds["cases"] = seconds.get("cases", 0.0) + time.perf_counter() - t0
        seconds["engine"] = seconds.get("engine", 0.0) + t_engine
        log.debug("pluvial %s: %.0f mm, %.1f s", case.id, case.rain_mm, time.perf_counter() - t0)
        if progress is not None:
            progress((i + 1) / (len(cases) + 1))
    assert spots is not None and polygons is not None
    return PluvialResult(grid=grid, spots=spots, spot_polygons=polygons, flow_classes=flow, flow_lines=flow_lines,
                         buildings=buildings,
                         road_pieces=pieces, neighbourhoods=data.neighbourhoods, cases=results, params=params,
                         seconds=seconds, sewer_mm_per_h=data.sewer_mm_per_h)



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

