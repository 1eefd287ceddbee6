"""Drought outputs: rasters with QGIS styles, the GeoPackage (firebreaks, buildings at risk), the theme files
(severity, ``theme.json``, ``indicators.csv``), ``maps.json`` and ``tables.json``.

Every scenario is written as files; the maps show today's climate and the driest future.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from alliantie.climate import ClimateScenario
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
from alliantie.hazards.drought import kernels as hz
from alliantie.hazards.drought.chain import USE_NONE
from alliantie.i18n import translate
from alliantie.io.raster import write_raster
from alliantie.io.styles import StyleClass, hex_rgb, raster_paletted_qml, raster_ramp_qml, vector_categorized_qml
from alliantie.io.vector import write_vector_layers
from alliantie.method.urgency.drought.analysis import DroughtResult, ScenarioResult
from alliantie.method.urgency.drought.indicators import INDICATORS, UNITS, indicator_values
from alliantie.method.urgency.drought.knowledge import WildfireReference

#: Colours of the classes 1-3 of each sub-hazard map.
SENSITIVITY_COLORS = {1: "#fee8c8", 2: "#fdbb84", 3: "#d7301f"}
WILDFIRE_COLORS = {1: "#ffeda0", 2: "#feb24c", 3: "#e31a1c"}
FOUNDATION_COLORS = {1: "#fff7bc", 2: "#fe9929", 3: "#993404"}
FIREBREAK_COLOR = "#6a3d9a"
SUBSIDENCE_CMAP = "YlOrBr"
WILDFIRE_CMAP = "YlOrRd"
#: No data of the wildfire raster (uint8 percent 0-100).
WILDFIRE_NODATA = 255


def _legend(prefix: str, colors: Mapping[int, str], **params: Any) -> list[LegendEntry]:
    return [LegendEntry(value=k, color=c, label=text(f"{prefix}_{k}", **params)) for k, c in colors.items()]


def _styles(prefix: str, colors: Mapping[int, str], language: str, **params: Any) -> list[StyleClass]:
    return [StyleClass(k, c, translate(f"{prefix}_{k}", language, **params)) for k, c in colors.items()]


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def write_outputs(folder: Path, result: DroughtResult, language: str, *, hillshade: Layer | None = None,
                  wildfire_reference: WildfireReference | None = None) -> None:
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
        finite = r.hazard.subsidence_cm[result.peat > 0]
        if finite.size:
            cm_max = max(cm_max, float(np.nanpercentile(finite, 99)))
    cm_max = float(math.ceil(cm_max / 5.0) * 5.0)
    sub_qml = raster_ramp_qml([(0.0, "#fff7bc", "0 cm"), (cm_max / 2, "#ec7014", f"{cm_max / 2:g} cm"),
                               (cm_max, "#662506", f"{cm_max:g} cm")])
    for r in result.scenarios:
        sid = r.scenario.id
        write_raster(folder / f"sensitivity_{sid}.tif", r.hazard.sensitivity, grid, nodata=hz.NODATA,
                     colormap={k: (*hex_rgb(c), 255) for k, c in SENSITIVITY_COLORS.items()}, qml=sens_qml,
                     description=f"drought sensitivity of farmland and nature, classes 0-3 ({sid})",
                     tags={"deficit_mm": f"{r.deficit.design_mm:g}", "variable": p.deficit_variable})
        cm = np.where((result.peat > 0) & result.area, r.hazard.subsidence_cm, np.nan).astype(np.float32)
        write_raster(folder / f"subsidence_{sid}.tif", cm, grid, qml=sub_qml,
                     description=f"peat subsidence (cm) over {r.hazard.years:g} years ({sid}); no data = no peat",
                     tags={"years": f"{r.hazard.years:g}", "base_year": str(p.base_year)})
        fire = np.where(result.area, np.round(100.0 * np.nan_to_num(r.hazard.wildfire)),
                        WILDFIRE_NODATA).astype(np.uint8)
        write_raster(folder / f"wildfire_{sid}.tif", fire, grid, nodata=WILDFIRE_NODATA, qml=fire_qml,
                     description=f"wildfire susceptibility near buildings, percent of the maximum 0-100 ({sid})")
        if not r.scenario.is_current:
            drop = np.where(result.area, r.hazard.glg_drop_m, np.nan).astype(np.float32)
            write_raster(folder / f"glg_drop_{sid}.tif", drop, grid,
                         qml=raster_ramp_qml([(0.0, "#f7fbff", "0 m"), (0.25, "#6baed6", "0.25 m"),
                                              (0.5, "#08306b", "0.5 m")]),
                         description=f"estimated GLG lowering (m, positive = deeper) ({sid})")
        theme.write_severity(folder, sid, r.hazard.severity, grid, area=result.area,
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
            b_frame[f"risk_{r.scenario.id}"] = r.hazard.building_class.astype(np.int64)
            any_risk |= r.hazard.building_class > 0
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
            description=text(f"drought.maps.subsidence.{key}", years=_fmt(r.hazard.years), base=p.base_year,
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
                                 year=p.wooden_until_year, count=int((r.hazard.building_class >= 2).sum())),
                layers=[*base, Layer(file="drought.gpkg", layer="buildings", type="vector", column=f"risk_{sid}",
                                     legend=_legend("drought.legend.foundation", FOUNDATION_COLORS))],
            ))
    return maps


def _mean_drop(result: DroughtResult, r: ScenarioResult) -> float:
    cells = result.area & (result.use != USE_NONE)
    if not cells.any():
        cells = result.area
    return float(np.nanmean(r.hazard.glg_drop_m[cells])) if cells.any() else 0.0


def _tables(result: DroughtResult, values: Sequence[theme.IndicatorValue],
            wildfire_reference: WildfireReference | None) -> list[TableSpec]:
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
    note = text("drought.tables.indicators.note_no_reference")
    if wildfire_reference is not None:  # a dossier's own sourced reference (drought.toml [wildfire_reference])
        note = text("drought.tables.indicators.note", period=_fmt(wildfire_reference.return_period_years),
                    low=_fmt(wildfire_reference.increase_low), high=_fmt(wildfire_reference.increase_high))
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
