"""The files of the pluvial product: depth rasters, flow paths, ``bluespots.gpkg``, counts, summary and maps.

:func:`write_outputs` writes the results of
:func:`~alliantie.method.urgency.pluvial.analysis.analyse` as standard files
(GeoTIFF and GeoPackage with QGIS styles, ``neighbourhoods.csv``, the typed
``summary.json``) and returns the maps to draw: the bluespots (*blauwe
plekken*) coloured by the rain needed to fill them, and the water depth of the
cases the report shows. The dossier product and the standalone ``alliantie
bluespots`` command write the same files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from alliantie.contract.pluvial_depths import DURATIONS_FILE, write_case_depths
from alliantie.contract.spec import Layer, LegendEntry, MapSpec, Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.summaries import (
    OVERLAND_FILE,
    PluvialCase,
    PluvialNeighbourhood,
    PluvialOverlandCase,
    PluvialOverlandSummary,
    PluvialSummary,
    write_summary,
)
from alliantie.hazards import bluespots as bs
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
from alliantie.method.urgency.pluvial.analysis import CaseResult, PluvialResult
from alliantie.method.urgency.pluvial.counts import neighbourhood_counts
from alliantie.method.urgency.pluvial.events import SERIES, Case
from alliantie.method.urgency.pluvial.knowledge import OverlandKnowledge

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



def case_label(case: Case) -> Text:
    """Label of a case for maps and tables: the storm (return period or stress-test event), climate and rain."""
    rain = f"{case.rain_mm:.0f}"
    event = case.event
    if event.kind == SERIES and event.return_period_years is not None:
        common = {"hours": f"{event.duration_h:g}", "period": f"{event.return_period_years:g}", "rain": rain}
        if case.scenario.year is None:
            return text("pluvial.case.series_current", **common)
        return text("pluvial.case.series_future", scenario=case.scenario.name or case.scenario.id,
                    year=case.scenario.year, **common)
    if case.scenario.year is None:
        return text("pluvial.case.current", event_nl=event.nl, event_en=event.en)
    return text("pluvial.case.future", event_nl=event.nl, event_en=event.en,
                scenario=case.scenario.name or case.scenario.id, year=case.scenario.year, rain=rain)


def event_label(case: Case) -> tuple[str, str]:
    """(nl, en) label of a case's event, without the climate."""
    event = case.event
    if event.kind == SERIES and event.return_period_years is not None:
        label = text("pluvial.case.series_event", hours=f"{event.duration_h:g}",
                     period=f"{event.return_period_years:g}")
        return label.nl, label.en
    return event.nl, event.en


def depth_file(case: Case) -> str:
    """File name of the depth raster of a shown case."""
    return f"depth_{case.id}.tif"


def write_outputs(
    folder: Path, result: PluvialResult, language: str, *, hillshade: Layer | None = None,
    counts: list[PluvialNeighbourhood] | None = None,
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
    shown = [c for c in result.cases if c.case.shown]
    write_case_depths(folder, ((c.case.id, c.depth) for c in result.cases), grid.shape)
    for c in shown:
        write_raster(folder / depth_file(c.case), c.depth, grid, qml=depth_qml,
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
    for c in shown:
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
        for c in shown:
            frame[f"class_{c.case.id}"] = c.building_class.astype(np.int64)
            frame[f"facade_depth_m_{c.case.id}"] = np.round(c.facade_depth_m, 3)
            wet |= c.building_class > 0
        first = f"class_{shown[0].case.id}"
        layers.append(("buildings", frame[wet].reset_index(drop=True), "MultiPolygon",
                       vector_categorized_qml(first, building_styles, "polygon")))
    road_styles = [StyleClass(k, c, translate(f"pluvial.legend.road_{k}", language,
                                              depth=f"{result.params.road_depth_classes_m[k - 1]:g}"))
                   for k, c in ROAD_COLORS.items()]
    if result.road_pieces is not None:
        r = result.road_pieces.copy()
        wet = np.zeros(len(r), dtype=bool)
        for c in shown:
            r[f"class_{c.case.id}"] = c.road_class.astype(np.int64)
            r[f"depth_m_{c.case.id}"] = np.round(c.road_depth_m, 3)
            wet |= c.road_class > 0
        first = f"class_{shown[0].case.id}"
        layers.append(("roads", r[wet].reset_index(drop=True), "LineString",
                       vector_categorized_qml(first, road_styles, "line")))
    write_vector_layers(folder / "bluespots.gpkg", layers)

    counts = neighbourhood_counts(result) if counts is None else counts
    pd.DataFrame([row.model_dump() for row in counts]).to_csv(folder / "neighbourhoods.csv", index=False)
    write_summary(folder, pluvial_summary(result, counts))
    return _maps(result, hillshade, fill_styles_legend(), building_styles, road_styles, flow_classes)



def pluvial_summary(result: PluvialResult, counts: list[PluvialNeighbourhood]) -> PluvialSummary:
    """``summary.json``: every case with its water balance and counts, the bluespots, the counts per neighbourhood."""
    return PluvialSummary(
        cases=[
            PluvialCase(
                id=c.case.id, event=c.case.event.id, scenario=c.case.scenario.id,
                year=c.case.scenario.year, kind=c.case.event.kind,
                return_period_years=c.case.event.return_period_years, duration_h=c.case.event.duration_h,
                depth_file=depth_file(c.case) if c.case.shown else None,
                rain_mm=round(c.case.rain_mm, 2), label=case_label(c.case),
                rain_m3=round(c.rain_m3, 1), outflow_m3=round(c.outflow_m3, 1),
                stored_bluespots_m3=round(float(c.stored_m3.sum()), 1),
                buildings_facade=int((c.building_class >= bs.FACADE).sum()),
                buildings_above_floor=int((c.building_class >= bs.ABOVE_FLOOR).sum()),
            )
            for c in result.cases
        ],
        bluespots=len(result.spots),
        neighbourhoods=counts,
    )


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
        label = case_label(c.case)
        hours = f"{c.case.event.duration_h:g}"
        common = {"rain": f"{c.case.rain_mm:.0f}", "hours": hours, "min_cm": f"{100 * result.params.min_depth_m:g}",
                  "case_nl": label.nl, "case_en": label.en}
        suffix = ""
        if result.params.engine == "overland":
            suffix = "_overland"
            common["after"] = f"{result.params.overland_after_h:g}"
        if c.case.event.kind == SERIES:
            climate = (text("pluvial.maps.depth.climate_current") if c.case.scenario.year is None else
                       Text(nl=f"{c.case.scenario.name or c.case.scenario.id} {c.case.scenario.year}",
                            en=f"{c.case.scenario.name or c.case.scenario.id} {c.case.scenario.year}"))
            title = Text(
                nl=text("pluvial.maps.depth.title_series", hours=hours, climate=climate.nl, rain=common["rain"],
                        period=f"{c.case.event.return_period_years:g}").nl,
                en=text("pluvial.maps.depth.title_series", hours=hours, climate=climate.en, rain=common["rain"],
                        period=f"{c.case.event.return_period_years:g}").en)
            description = text(f"pluvial.maps.depth.description{suffix}", **common)
        else:
            title = text("pluvial.maps.depth.title_current", event_mm=f"{c.case.event.rain_mm:g}", hours=hours)
            description = text(f"pluvial.maps.depth.description_stress{suffix}", **common)
        maps.append(MapSpec(
            id=f"pluvial_depth_{c.case.id}", theme="pluvial", title=title, description=description, layers=layers,
        ))
    return maps


def _mapped_cases(cases: Sequence[CaseResult]) -> list[CaseResult]:
    """The cases drawn as depth maps: of the shown cases, today's climate and the wettest scenario of each horizon.

    Every shown case is written as a raster and listed in the tables; the report draws these.
    """
    shown = [c for c in cases if c.case.shown]
    wettest: dict[int, tuple[float, str]] = {}
    for c in shown:
        year = c.case.scenario.year
        if year is not None and (year not in wettest or c.case.rain_mm > wettest[year][0]):
            wettest[year] = (c.case.rain_mm, c.case.scenario.id)
    keep = {sid for _rain, sid in wettest.values()}
    return [c for c in shown if c.case.scenario.year is None or c.case.scenario.id in keep]


def overland_summary(result: PluvialResult, knowledge: OverlandKnowledge) -> PluvialOverlandSummary:
    """The 2-D runs of ``result`` (engine "overland"): balance, wet cells and hours, roads by depth and duration."""
    params = result.params
    min_hours = knowledge.roads.min_duration_h
    lengths = np.zeros(0)
    if result.road_pieces is not None and len(result.road_pieces):
        lengths = result.road_pieces.geometry.length.to_numpy(dtype=np.float64) / 1000.0
    cases: list[PluvialOverlandCase] = []
    for c in result.cases:
        run = c.dynamic
        if run is None:
            continue
        hours = c.road_hours if c.road_hours is not None and c.road_hours.size == lengths.size else np.zeros(0)
        no_cars = c.road_class >= bs.NO_CARS if c.road_class.size == lengths.size else np.zeros(0, bool)
        wet = np.isfinite(c.depth)
        wet_hours = c.wet_hours if c.wet_hours is not None else np.zeros(c.depth.shape, np.float32)
        cases.append(PluvialOverlandCase(
            id=c.case.id, rain_mm=round(c.case.rain_mm, 3), peak_mm_h=round(run.peak_mm_h, 3), steps=run.steps,
            rain_m3=round(run.rain_m3, 1), lost_m3=round(run.lost_m3, 1), outflow_m3=round(run.outflow_m3, 1),
            storage_end_m3=round(run.storage_m3, 1), balance_error=float(f"{run.balance_error:.3g}"),
            wet_cells=int(wet.sum()), wet_cell_hours=round(float(wet_hours[wet].sum(dtype=np.float64)), 2),
            buildings_facade=int(np.count_nonzero(c.building_class >= bs.FACADE)),
            buildings_above_floor=int(np.count_nonzero(c.building_class == bs.ABOVE_FLOOR)),
            road_km_no_cars=round(float(lengths[no_cars].sum()), 3),
            road_km_impassable=round(float(lengths[(hours >= min_hours) & (hours > 0)].sum()) if hours.size else 0.0,
                                     3),
            road_km_hours=round(float((lengths * hours).sum()) if hours.size else 0.0, 3),
            road_max_hours=round(float(hours.max()) if hours.size else 0.0, 3),
        ))
    return PluvialOverlandSummary(
        hyetograph=knowledge.hyetograph.method, hyetograph_step_min=knowledge.hyetograph.step_min,
        sub_hour_exponent=round(knowledge.hyetograph.sub_hour_exponent(params.map_return_period), 4),
        manning_n=knowledge.roughness.manning_n,
        after_h=params.overland_after_h, output_every_s=params.overland_output_every_s,
        road_depth_m=params.road_depth_classes_m[0], road_min_duration_h=min_hours, cases=cases)


def write_overland_outputs(folder: Path, result: PluvialResult, knowledge: OverlandKnowledge) -> None:
    """``case_durations.npz`` (hours wet per case and cell) and ``overland.json`` of a run with engine "overland"."""
    write_case_depths(folder, ((c.case.id, c.wet_hours) for c in result.cases if c.wet_hours is not None),
                      result.grid.shape, filename=DURATIONS_FILE)
    write_summary(folder, overland_summary(result, knowledge), OVERLAND_FILE)
