"""What the flood product writes: depth rasters, LIWO depth classes, severity, a GeoPackage, theme files,
``summary.json`` (:class:`~alliantie.contract.summaries.FloodSummary`), and the maps and tables."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from alliantie.contract import summaries, theme
from alliantie.contract.spec import Column, Layer, LegendEntry, MapSpec, TableSpec, Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.summaries import FloodMode, write_summary
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
from alliantie.method.urgency.flood.analysis import INDICATORS, FloodResult, indicator_values

#: Colours of the building classes (upper storey dry, no dry storey) and of the breach point.
BUILDING_COLORS = {hz.UPPER_FLOOR_DRY: "#f4a000", hz.NO_DRY_FLOOR: "#c00000"}
BREACH_COLOR = "#000000"
GPKG = "flood.gpkg"


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
    """``theme.json``: the scenarios, the severity classes and the indicators."""
    k = result.knowledge.severity
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


def flood_summary(result: FloodResult) -> summaries.FloodSummary:
    """``summary.json``: how the flood was made, and per scenario level, volume and counts; the notes."""
    return summaries.FloodSummary(
        mode=result.mode,
        breach_xy=result.breach_xy,
        entry_xy=result.entry_xy,
        cases=[summaries.FloodCase(
            scenario=c.scenario.id, river_level_m=None if np.isnan(c.level_m) else round(c.level_m, 3),
            rise_m=round(c.rise_m, 3), volume_m3=round(c.volume_m3, 1), capacity_m3=round(c.capacity_m3, 1),
            volume_limited=c.limited,
            max_depth_m=round(float(np.nanmax(c.depth)), 3) if np.isfinite(c.depth).any() else None,
            buildings_flooded=int((c.building_class > 0).sum()),
            buildings_no_dry_floor=int((c.building_class == hz.NO_DRY_FLOOR).sum()))
            for c in result.cases],
        notes=result.notes,
    )


def write_outputs(folder: Path, result: FloodResult, language: str, *,
                  hillshade: Layer | None = None) -> tuple[list[MapSpec], list[TableSpec]]:
    """Write rasters, GeoPackage, theme files and ``summary.json`` into ``folder``; return the maps and tables."""
    grid = result.grid
    k = result.knowledge
    folder.mkdir(parents=True, exist_ok=True)
    class_styles = [StyleClass(i + 1, color, class_label(i + 1, k.depth_classes.upper_m).get(language))
                    for i, color in enumerate(k.depth_classes.colors)]
    colormap = {i + 1: (*hex_rgb(color), 255) for i, color in enumerate(k.depth_classes.colors)}
    for c in result.cases:
        sid = c.scenario.id
        shown = np.where(np.nan_to_num(c.depth, nan=0.0) > 0, c.depth, np.nan).astype(np.float32)
        write_raster(folder / f"depth_{sid}.tif", shown, grid,
                     qml=raster_ramp_qml([(0.0, "#deebf7", "0 m"), (0.8, "#6baed6", "0.8 m"),
                                          (2.0, "#2171b5", "2 m"), (5.0, "#08306b", "5 m")]),
                     description=f"flood depth (m) after a breach ({sid})",
                     tags={"scenario": sid, "river_level_m": f"{c.level_m:.3f}", "mode": result.mode.value})
        dclass = hz.depth_classes(c.depth, k.depth_classes.upper_m)
        write_raster(folder / f"depth_class_{sid}.tif", dclass, grid, nodata=0, colormap=colormap,
                     qml=raster_paletted_qml(class_styles), description=f"LIWO flood depth classes 1-6 ({sid})")
        severity = hz.severity_classes(c.depth, k.severity.moderate_from_m, k.severity.high_from_m)
        theme.write_severity(folder, sid, severity, grid, area=result.area,
                              description=f"flood severity 0-3 ({sid})")

    building_styles = [StyleClass(v, color, translate(f"flood.legend.building_{v}", language))
                       for v, color in BUILDING_COLORS.items()]
    _write_gpkg(folder, result, building_styles)
    values = indicator_values(result)
    theme.write_theme(folder, summary(result), values)
    write_summary(folder, flood_summary(result))
    return _maps(result, class_styles, building_styles, hillshade), _tables(result, values)


def _write_gpkg(folder: Path, result: FloodResult, building_styles: list[StyleClass]) -> None:
    """``flood.gpkg``: the wet buildings (class, water level, depth, refuge per scenario) and the breach point."""
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
        layers.append(("breach", gpd.GeoDataFrame({"kind": kinds}, geometry=points, crs=result.grid.crs), "Point",
                       vector_single_qml(BREACH_COLOR, "point")))
    if layers:
        write_vector_layers(folder / GPKG, layers)


def _maps(result: FloodResult, class_styles: list[StyleClass], building_styles: list[StyleClass],
          hillshade: Layer | None) -> list[MapSpec]:
    base = [hillshade] if hillshade is not None else []
    k = result.knowledge
    legend = [LegendEntry(value=s.value, color=s.color, label=class_label(int(s.value), k.depth_classes.upper_m))
              for s in class_styles]
    storey = f"{k.storey.height_m:g}"
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
        if result.mode is FloodMode.EXTERNAL:
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
                               storey=storey, storey_nl=storey.replace(".", ","),
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
