"""The files of the heat theme: rasters with QGIS styles, severity, theme files, maps and the table.

:func:`write_outputs` writes the sky view factor, heat island, cooling and
distance rasters, PET and its classes per scenario, the severity rasters,
``theme.json`` and ``indicators.csv`` (:func:`neighbourhood_indicators`,
:func:`theme_summary`), ``maps.json`` (:func:`build_maps`: PET now and in the
warmest scenario, heat island, cooling, distance to a cool place) and
``tables.json`` (:func:`build_table`: residents per neighbourhood).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from alliantie.contract.spec import Column, Layer, LegendEntry, MapSpec, TableSpec, Text, write_maps, write_tables
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.theme import (
    IndicatorInfo,
    IndicatorValue,
    ThemeSummary,
    write_severity,
    write_theme,
    zone_totals,
)
from alliantie.i18n import translate
from alliantie.io.raster import write_raster
from alliantie.io.styles import StyleClass, hex_rgb, raster_paletted_qml, raster_ramp_qml
from alliantie.method.urgency.heat.analysis import HeatResult, ScenarioResult

#: Ramp limits of the continuous maps.
UHI_MAX_K = 5.0
DISTANCE_MAX_M = 600.0
#: The indicators of ``indicators.csv`` and their units.
INDICATORS: tuple[tuple[str, str], ...] = (
    ("residents_pet_extreme", ""),
    ("over65_pet_extreme", ""),
    ("residents_pet_strong", ""),
    ("residents_uhi_high", ""),
    ("over65_uhi_high", ""),
    ("share_far_from_cool", "%"),
    ("tropical_nights", ""),
    ("residents", ""),
    ("pet_home_mean", "degC"),
    ("jobs", ""),
    ("pet_work_mean", "degC"),
)


def neighbourhood_indicators(result: HeatResult) -> list[IndicatorValue]:
    """IndicatorValue rows per scenario and neighbourhood (code "" = the whole area)."""
    kn = result.knowledge
    hoods = result.neighbourhoods
    n = 0 if hoods is None else len(hoods)
    lived = result.residents > 0  # only cells with residents count: a small part of the grid
    zones, residents, over65 = result.zones[lived], result.residents[lived], result.over65[lived]
    codes = [""] + ([str(c) for c in hoods["code"]] if hoods is not None and n and "code" in hoods
                    else [str(i + 1) for i in range(n)])
    names = [""] + ([str(c) for c in hoods["name"]] if hoods is not None and n and "name" in hoods
                    else ["" for _ in range(n)])
    extreme, strong = kn.pet_classes[4].lower_c, kn.pet_classes[3].lower_c
    people = zone_totals(zones, n, residents)
    hot_island = np.nan_to_num(result.uhi[lived]) >= kn.uhi_high_k
    uhi_high = zone_totals(zones, n, residents * hot_island)
    uhi_high_65 = zone_totals(zones, n, over65 * hot_island)
    far = zone_totals(zones, n, residents * (result.distance_cool_m[lived] > kn.cool_max_distance_m))
    with np.errstate(invalid="ignore", divide="ignore"):
        far_share = np.where(people > 0, 100.0 * far / np.maximum(people, 1e-12), 0.0)
    jobs = np.zeros(result.grid.shape) if result.jobs is None else result.jobs
    worked = jobs > 0  # cells of the workplaces, inside or outside the neighbourhoods
    work_zones, work_jobs = result.zones[worked], jobs[worked]
    total_people = people[1:].sum()
    far_total = 100.0 * far[1:].sum() / total_people if total_people > 0 else 0.0
    rows: list[IndicatorValue] = []
    for s in result.scenarios:
        home = np.nan_to_num(s.home_pet[lived], nan=-np.inf)
        values = {
            "residents_pet_extreme": zone_totals(zones, n, residents * (home >= extreme)),
            "over65_pet_extreme": zone_totals(zones, n, over65 * (home >= extreme)),
            "residents_pet_strong": zone_totals(zones, n, residents * (home >= strong)),
            "residents_uhi_high": uhi_high,
            "over65_uhi_high": uhi_high_65,
            "residents": people,
        }
        felt = np.isfinite(home)  # residents with a felt temperature around their home
        weight = zone_totals(zones, n, residents * felt)
        weighted = zone_totals(zones, n, np.where(felt, residents * home, 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_pet = np.where(weight > 0, weighted / np.maximum(weight, 1e-12), np.nan)
        sid = s.scenario.id
        for z in range(1, n + 1):
            for ind, per_zone in values.items():
                rows.append(IndicatorValue(sid, codes[z], names[z], ind, float(per_zone[z])))
            rows.append(IndicatorValue(sid, codes[z], names[z], "share_far_from_cool", float(far_share[z])))
            if weight[z] > 0:
                rows.append(IndicatorValue(sid, codes[z], names[z], "pet_home_mean", float(mean_pet[z])))
        for ind, per_zone in values.items():
            rows.append(IndicatorValue(sid, "", "", ind, float(per_zone[1:].sum())))
        rows.append(IndicatorValue(sid, "", "", "share_far_from_cool", float(far_total)))
        if weight[1:].sum() > 0:  # the residents' mean felt temperature around their homes (degC)
            rows.append(IndicatorValue(sid, "", "", "pet_home_mean",
                                       float(weighted[1:].sum() / weight[1:].sum())))
        rows.extend(_workplace_rows(sid, codes, names, work_zones, work_jobs, s.home_pet[worked], n))
        nights = result.tropical_nights.get(sid)
        if nights is not None:
            rows.append(IndicatorValue(sid, "", "", "tropical_nights", float(nights)))
    return rows


def _workplace_rows(sid: str, codes: Sequence[str], names: Sequence[str], zones: np.ndarray, jobs: np.ndarray,
                    pet: np.ndarray, n: int) -> list[IndicatorValue]:
    """``jobs`` and ``pet_work_mean`` (the jobs' mean outdoor PET around their workplaces) per zone and in all.

    The whole area counts every job of the study area, also outside the neighbourhoods.
    """
    home = np.asarray(pet, dtype=np.float64)
    felt = np.isfinite(home)
    per_zone = zone_totals(zones, n, jobs)
    weight = zone_totals(zones, n, jobs * felt)
    weighted = zone_totals(zones, n, np.where(felt, jobs * home, 0.0))
    rows = [IndicatorValue(sid, codes[z], names[z], "jobs", float(per_zone[z])) for z in range(1, n + 1)]
    rows += [IndicatorValue(sid, codes[z], names[z], "pet_work_mean", float(weighted[z] / weight[z]))
             for z in range(1, n + 1) if weight[z] > 0]
    rows.append(IndicatorValue(sid, "", "", "jobs", float(jobs.sum())))
    total_weight = float((jobs * felt).sum())
    if total_weight > 0:  # the mean felt temperature around the workplaces, weighted by jobs (degC)
        rows.append(IndicatorValue(sid, "", "", "pet_work_mean",
                                   float(np.where(felt, jobs * home, 0.0).sum() / total_weight)))
    return rows


def theme_summary(result: HeatResult) -> ThemeSummary:
    """The ``theme.json`` content of the heat theme."""
    kn = result.knowledge
    params = {"residents_uhi_high": {"threshold": f"{kn.uhi_high_k:g}"},
              "over65_uhi_high": {"threshold": f"{kn.uhi_high_k:g}"},
              "share_far_from_cool": {"distance": f"{kn.cool_max_distance_m:g}"}}
    return ThemeSummary(
        theme="heat", title=text("products.urgency.heat"),
        scenarios=[s.scenario.id for s in result.scenarios],
        classes={str(k): text(f"heat.severity.{k}") for k in (1, 2, 3)},
        indicators=[IndicatorInfo(id=i, unit=u, label=text(f"heat.indicators.{i}", **params.get(i, {})))
                    for i, u in INDICATORS],
        missing=result.missing,
    )


# --- writing ----------------------------------------------------------------------------------------

def warmest(result: HeatResult) -> ScenarioResult | None:
    """The scenario with the warmest hot afternoon (None when there is only today's climate)."""
    future = [s for s in result.scenarios if not s.scenario.is_current]
    return max(future, key=lambda s: s.air_temperature_c) if future else None


def mapped_scenarios(result: HeatResult) -> list[ScenarioResult]:
    """The scenarios drawn as PET maps: the first (today's climate) and the warmest."""
    shown = [s for s in (result.scenarios[0] if result.scenarios else None, warmest(result)) if s is not None]
    return list({s.scenario.id: s for s in shown}.values())


def write_outputs(folder: Path, result: HeatResult, language: str, area: np.ndarray | None = None) -> None:
    """Rasters, severity, theme files, ``maps.json`` and ``tables.json`` of ``result`` into ``folder``."""
    grid, kn = result.grid, result.knowledge
    folder.mkdir(parents=True, exist_ok=True)
    inside = np.ones(grid.shape, dtype=bool) if area is None else np.asarray(area, dtype=bool)

    def hide(a: np.ndarray, decimals: int) -> np.ndarray:  # rounded values compress (and write) faster
        return np.round(np.where(inside, a, np.nan), decimals).astype(np.float32)

    write_raster(folder / "svf.tif", hide(result.svf, 3), grid, nodata=np.nan,
                 qml=raster_ramp_qml([(0.3, "#2b1d0e", "0.3"), (0.7, "#9e9ac8", "0.7"), (1.0, "#f7fbff", "1")]),
                 description="sky view factor (0-1) of the surface model (DEM + buildings)")
    write_raster(folder / "uhi_max.tif", hide(result.uhi, 2), grid, nodata=np.nan,
                 qml=raster_ramp_qml([(0.0, "#ffffb2", "0 K"), (2.0, "#fd8d3c", "2 K"),
                                      (UHI_MAX_K, "#bd0026", f"{UHI_MAX_K:g} K")]),
                 description="maximum urban heat island of a summer day (K), Theeuwes et al. 2017")
    write_raster(folder / "cooling_capacity.tif", hide(result.cooling, 3), grid, nodata=np.nan,
                 qml=raster_ramp_qml([(0.0, "#f7fcf5", "0"), (0.5, "#74c476", "0.5"), (1.0, "#00441b", "1")]),
                 description="heat mitigation index 0-1 (InVEST Urban Cooling: cooling capacity and park cooling)")
    distance = np.where(np.isfinite(result.distance_cool_m), result.distance_cool_m, np.nan)
    write_raster(folder / "distance_cool_m.tif", hide(distance, 0), grid, nodata=np.nan,
                 qml=raster_ramp_qml([(0.0, "#2c7bb6", "0 m"), (kn.cool_max_distance_m, "#ffffbf",
                                      f"{kn.cool_max_distance_m:g} m"), (DISTANCE_MAX_M, "#d7191c",
                                                                          f"{DISTANCE_MAX_M:g} m")]),
                 description="distance (m) to the nearest cool place")
    class_styles = [StyleClass(i + 1, c.color, c.label.get(language)) for i, c in enumerate(kn.pet_classes)]
    colormap = {i + 1: (*hex_rgb(c.color), 255) for i, c in enumerate(kn.pet_classes)}
    uppers = [*kn.pet_bounds, 99.0]  # a discrete QGIS ramp colours values up to each stop
    pet_stops = [(u, c.color, c.label.get(language)) for u, c in zip(uppers, kn.pet_classes, strict=True)]
    mapped = {s.scenario.id for s in mapped_scenarios(result)}
    for s in result.scenarios:
        sid = s.scenario.id
        write_raster(folder / f"pet_{sid}.tif", hide(s.pet, 1), grid, nodata=np.nan,
                     qml=raster_ramp_qml(pet_stops, discrete=True),
                     description=f"felt temperature PET (degC), hot afternoon, {sid}",
                     tags={"air_temperature_c": f"{s.air_temperature_c:.2f}"})
        if sid in mapped:  # the classes of the mapped scenarios; the others are one QGIS style away
            classes = np.where(inside, s.pet_class, 0).astype(np.uint8)
            write_raster(folder / f"pet_class_{sid}.tif", classes, grid, nodata=0, colormap=colormap,
                         qml=raster_paletted_qml(class_styles), description=f"PET heat stress classes 1-5, {sid}")
        write_severity(folder, sid, s.severity, grid, area=area,
                       description=f"heat severity 0-3 (PET class at homes and workplaces), {sid}")
    indicators = neighbourhood_indicators(result)
    write_theme(folder, theme_summary(result), indicators)
    write_maps(folder, build_maps(result))
    write_tables(folder, [build_table(result, indicators)])


def build_maps(result: HeatResult) -> list[MapSpec]:
    """The maps of the heat section: PET now and in the warmest scenario, heat island, cooling, distance."""
    kn = result.knowledge
    legend = [LegendEntry(value=i + 1, color=c.color, label=c.label) for i, c in enumerate(kn.pet_classes)]
    maps: list[MapSpec] = []
    for s in mapped_scenarios(result):
        label = Text(nl=s.scenario.label("nl"), en=s.scenario.label("en"))
        maps.append(MapSpec(
            id=f"heat_pet_{s.scenario.id}", theme="heat",
            title=Text(nl=translate("heat.maps.pet.title", "nl", scenario=label.nl),
                       en=translate("heat.maps.pet.title", "en", scenario=label.en)),
            description=text("heat.maps.pet.description", ta=f"{s.air_temperature_c:.1f}",
                             rh=f"{kn.relative_humidity_pct:g}", wind=f"{kn.wind_10m_ms:g}"),
            layers=[Layer(file=f"pet_class_{s.scenario.id}.tif", type="raster_classes", legend=legend)],
        ))
    maps.append(MapSpec(
        id="heat_uhi", theme="heat", title=text("heat.maps.uhi.title"),
        description=text("heat.maps.uhi.description", radius=f"{kn.uhi_radius_m:g}"),
        layers=[Layer(file="uhi_max.tif", type="raster_continuous", cmap="YlOrRd", vmin=0.0, vmax=UHI_MAX_K,
                      unit="K", label=text("heat.legend.uhi"))],
    ))
    maps.append(MapSpec(
        id="heat_cooling", theme="heat", title=text("heat.maps.cooling.title"),
        description=text("heat.maps.cooling.description", area=f"{kn.min_green_area_ha:g}",
                         distance=f"{kn.cooling_distance_m:g}"),
        layers=[Layer(file="cooling_capacity.tif", type="raster_continuous", cmap="Greens", vmin=0.0, vmax=1.0,
                      label=text("heat.legend.cooling"))],
    ))
    maps.append(MapSpec(
        id="heat_distance_cool", theme="heat", title=text("heat.maps.distance.title"),
        description=text("heat.maps.distance.description", area=f"{kn.cool_min_area_m2:g}",
                         distance=f"{kn.cool_max_distance_m:g}"),
        layers=[Layer(file="distance_cool_m.tif", type="raster_continuous", cmap="RdYlBu_r", vmin=0.0,
                      vmax=DISTANCE_MAX_M, unit="m", label=text("heat.maps.distance.title"))],
    ))
    return maps


def build_table(result: HeatResult, indicators: Sequence[IndicatorValue] | None = None) -> TableSpec:
    """Residents per neighbourhood: extreme PET now and in the warmest scenario, high UHI, far from a cool place."""
    kn = result.knowledge
    hot = warmest(result)
    values: dict[tuple[str, str, str], float] = {}
    for v in (indicators if indicators is not None else neighbourhood_indicators(result)):
        values[(v.scenario, v.code, v.indicator)] = v.value
    current = result.scenarios[0].scenario.id if result.scenarios else None
    hoods = result.neighbourhoods
    n = 0 if hoods is None else len(hoods)
    lived = result.residents > 0
    people = np.bincount(result.zones[lived], weights=result.residents[lived], minlength=n + 1)
    columns = [Column(label=text("heat.table.neighbourhood")), Column(label=text("heat.table.residents"))]
    columns.append(Column(label=text("heat.table.extreme_current")))
    if hot is not None:
        columns.append(Column(label=Text(
            nl=translate("heat.table.extreme_warmest", "nl", scenario=hot.scenario.label("nl")),
            en=translate("heat.table.extreme_warmest", "en", scenario=hot.scenario.label("en")))))
    columns += [Column(label=text("heat.table.over65_current")),
                Column(label=text("heat.table.uhi_high", threshold=f"{kn.uhi_high_k:g}")),
                Column(label=text("heat.table.far_from_cool", distance=f"{kn.cool_max_distance_m:g}"), unit="%")]

    def row(code: str, name: str | Text, residents: float) -> list[Any]:
        cells: list[Any] = [name, round(residents)]
        for sid in ([current] + ([hot.scenario.id] if hot is not None else [])):
            cells.append(values.get((sid, code, "residents_pet_extreme")) if sid is not None else None)
        ref = current or ""
        cells += [values.get((ref, code, "over65_pet_extreme")), values.get((ref, code, "residents_uhi_high")),
                  values.get((ref, code, "share_far_from_cool"))]
        return cells

    rows: list[list[Any]] = []
    for z in range(1, n + 1):
        assert hoods is not None
        r = hoods.iloc[z - 1]
        rows.append(row(str(r.get("code", z)), str(r.get("name", "")), float(people[z])))
    total = row("", text("heat.table.total"), float(people[1:].sum()))
    nights = {lang: "; ".join(f"{s.scenario.label(lang)}: {_number(result.tropical_nights.get(s.scenario.id), lang)}"
                              for s in result.scenarios) for lang in ("nl", "en")}
    items = ", ".join(f"{v} ({sid})" for v, sid in result.missing)
    note = Text(
        nl=translate("heat.table.note", "nl", nights=nights["nl"],
                     missing=translate("heat.table.missing", "nl", items=items) if items else ""),
        en=translate("heat.table.note", "en", nights=nights["en"],
                     missing=translate("heat.table.missing", "en", items=items) if items else ""),
    )
    return TableSpec(id="heat_neighbourhoods", theme="heat", title=text("heat.table.title"),
                     description=text("heat.table.description", radius=f"{kn.home_radius_m:g}"),
                     columns=columns, rows=rows, total=total, note=note)


def _number(value: float | None, language: str) -> str:
    """A count of nights for a sentence: one decimal below 10, a decimal comma in Dutch; "no data" for None."""
    if value is None:
        return translate("heat.table.no_data", language)
    out = f"{value:.1f}" if abs(value) < 10 else f"{value:.0f}"
    return out.replace(".", ",") if language == "nl" else out

