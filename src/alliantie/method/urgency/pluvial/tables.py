"""Theme files and tables of the pluvial product, for the vulnerability map, the trend view and the report.

Per scenario the severity raster of the severity event
(:func:`~alliantie.method.urgency.pluvial.analysis.severity_classes`),
``theme.json`` and ``indicators.csv`` (:mod:`alliantie.contract.theme`), and
``tables.json``: buildings with water above floor level per neighbourhood and
the totals per case.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from alliantie.contract import theme
from alliantie.contract.spec import Cell, Column, TableSpec, Text, write_tables
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.summaries import PluvialNeighbourhood
from alliantie.method.urgency.pluvial.analysis import CaseResult, PluvialResult, severity_classes
from alliantie.method.urgency.pluvial.events import SERIES, Case
from alliantie.method.urgency.pluvial.outputs import case_label, event_label

#: Indicators of the pluvial theme per neighbourhood (count columns of :func:`neighbourhood_counts`).
INDICATORS: tuple[tuple[str, str, float], ...] = (
    ("buildings_above_floor", "", 1.0),  # a count, as the other themes write it
    ("buildings_facade", "", 1.0),
    ("road_m_no_cars", "km", 1e-3),
    ("road_m_no_traffic", "km", 1e-3),
)


def _indicator_cases(result: PluvialResult) -> list[CaseResult]:
    """The cases of the indicators: the series storm of ``map_return_period`` in every scenario, the stress events."""
    return [c for c in result.cases if c.case.shown]


def write_theme_outputs(folder: Path, result: PluvialResult, counts: Sequence[PluvialNeighbourhood],
                        missing: Sequence[tuple[str, str]], area: np.ndarray | None) -> None:
    """Severity per scenario (from the shown series storm), ``theme.json``, ``indicators.csv`` and ``tables.json``.

    The stress-test events are computed in today's climate only; their depth is
    fixed (70 mm is 70 mm in any climate), so their indicators are repeated for
    every scenario, and the stress test reads them in its reference scenario.
    """
    params = result.params
    for c in result.cases:
        if c.case.event.kind == SERIES and c.case.shown:
            theme.write_severity(folder, c.case.scenario.id, severity_classes(c.depth, params), result.grid,
                                  area=area, description=f"pluvial severity after {c.case.rain_mm:.0f} mm")
    scenario_ids = list(dict.fromkeys(c.case.scenario.id for c in result.cases))
    shown = _indicator_cases(result)
    events = list(dict.fromkeys(c.case.event.id for c in shown))
    event_labels = {c.case.event.id: event_label(c.case) for c in shown}
    infos = [
        theme.IndicatorInfo(id=f"{name.replace('road_m', 'road_km')}_{event}", unit=unit,
                             label=text(f"pluvial.indicators.{name}", event_nl=event_labels[event][0],
                                        event_en=event_labels[event][1]))
        for event in events for name, unit, _f in INDICATORS
    ]
    stress = {c.case.id for c in shown if c.case.event.kind != SERIES}
    series = {c.case.id for c in shown if c.case.event.kind == SERIES}
    values: list[theme.IndicatorValue] = []
    for row in counts:
        if row.case in series:
            targets = [row.scenario]
        elif row.case in stress:
            targets = scenario_ids
        else:
            continue
        for sid in targets:
            values += [theme.IndicatorValue(scenario=sid, code=row.code, name=row.name,
                                            indicator=f"{name.replace('road_m', 'road_km')}_{row.event}",
                                            value=float(getattr(row, name)) * factor)
                       for name, _unit, factor in INDICATORS]
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


def count_tables(result: PluvialResult, counts: Sequence[PluvialNeighbourhood],
                 missing: Sequence[tuple[str, str]]) -> list[TableSpec]:
    """The series (rain and buildings above floor per return period and climate); per shown event the
    buildings above floor level per neighbourhood and scenario; totals of the shown cases."""
    cases = [c.case for c in result.cases]
    scenario_cases: dict[str, Case] = {}
    for case in cases:
        scenario_cases.setdefault(case.scenario.id, case)
    tables: list[TableSpec] = []
    missing_note = None
    if missing:
        missing_note = text("pluvial.tables.missing", scenarios=", ".join(sorted({sid for _v, sid in missing})))
    tables += _series_tables(result, counts, scenario_cases, missing_note)
    shown = [c for c in result.cases if c.case.shown]
    for event_id in dict.fromkeys(c.case.event.id for c in shown):
        first = next(c.case for c in shown if c.case.event.id == event_id)
        label = event_label(first)
        by_key = {(r.code, r.scenario): r for r in counts if r.event == event_id}
        scen = [sid for sid in scenario_cases if (("", sid) in by_key)]
        codes = list(dict.fromkeys((r.code, r.name) for r in counts if r.event == event_id and r.code))
        rows: list[list[Cell]] = []
        for code, name in codes:
            rows.append([name or code, *[_above_floor(by_key, code, sid) for sid in scen]])
        total: list[Cell] = [text("pluvial.tables.total"), *[_above_floor(by_key, "", sid) for sid in scen]]
        tables.append(TableSpec(
            id=f"pluvial_above_floor_{event_id}", theme="pluvial",
            title=text("pluvial.tables.above_floor.title", event_nl=label[0], event_en=label[1]),
            description=text("pluvial.tables.above_floor.description"),
            columns=[Column(label=text("pluvial.tables.neighbourhood")),
                     *[Column(label=_scenario_label(scenario_cases[sid]), decimals=0) for sid in scen]],
            rows=rows, total=total, note=missing_note if len(scen) > 1 else None,
        ))
    summary_rows: list[list[Cell]] = []
    for c in shown:
        row = next(r for r in counts if r.case == c.case.id and not r.code)
        summary_rows.append([case_label(c.case), round(c.case.rain_mm, 1), row.buildings_facade,
                             row.buildings_above_floor, row.road_m_no_cars / 1000,
                             row.road_m_no_traffic / 1000])
    low, high = result.params.road_depth_classes_m
    tables.append(TableSpec(
        id="pluvial_cases", theme="pluvial", title=text("pluvial.tables.cases.title"),
        description=text("pluvial.tables.cases.description", period=f"{result.params.map_return_period:g}"),
        columns=[Column(label=text("pluvial.tables.case")), Column(label=text("pluvial.tables.rain"), decimals=0,
                                                                    unit="mm"),
                 Column(label=text("pluvial.tables.facade")), Column(label=text("pluvial.tables.above_floor_col")),
                 Column(label=text("pluvial.tables.no_cars", depth=f"{low:g}"), decimals=2, unit="km"),
                 Column(label=text("pluvial.tables.no_traffic", depth=f"{high:g}"), decimals=2, unit="km")],
        rows=summary_rows, note=missing_note,
    ))
    return tables


def _series_tables(result: PluvialResult, counts: Sequence[PluvialNeighbourhood],
                   scenario_cases: dict[str, Case], note: Text | None) -> list[TableSpec]:
    """Rain (mm) and buildings with water above floor level per return period (rows) and climate (columns)."""
    series = [c.case for c in result.cases if c.case.event.kind == SERIES]
    if not series:
        return []
    totals = {r.case: r for r in counts if not r.code}
    periods = sorted({c.event.return_period_years for c in series if c.event.return_period_years is not None})
    by_key = {(c.event.return_period_years, c.scenario.id): c for c in series}
    scen = [sid for sid in scenario_cases if any(c.scenario.id == sid for c in series)]
    hours = f"{series[0].event.duration_h:g}"
    columns = [Column(label=text("pluvial.tables.return_period")),
               *[Column(label=_scenario_label(scenario_cases[sid]), decimals=0) for sid in scen]]
    rain_rows: list[list[Cell]] = []
    building_rows: list[list[Cell]] = []
    for t in periods:
        label = text("pluvial.tables.years", period=f"{t:g}")
        rain_rows.append([label, *[round(by_key[(t, sid)].rain_mm, 1) if (t, sid) in by_key else None
                                   for sid in scen]])
        building_rows.append([label, *[totals[by_key[(t, sid)].id].buildings_above_floor
                                       if (t, sid) in by_key and by_key[(t, sid)].id in totals else None
                                       for sid in scen]])
    sewer = f"{result.sewer_mm_per_h:g}" if result.sewer_mm_per_h is not None else "–"
    return [
        TableSpec(id="pluvial_series_rain", theme="pluvial",
                  title=text("pluvial.tables.series_rain.title", hours=hours, regime=result.params.regime),
                  description=text("pluvial.tables.series_rain.description", hours=hours),
                  columns=columns, rows=rain_rows, note=note),
        TableSpec(id="pluvial_series_buildings", theme="pluvial",
                  title=text("pluvial.tables.series_buildings.title"),
                  description=text("pluvial.tables.series_buildings.description", sewer=sewer),
                  columns=columns, rows=building_rows, note=note),
    ]


def _above_floor(by_key: dict[tuple[str, str], PluvialNeighbourhood], code: str, scenario: str) -> int | None:
    """Buildings with water above floor level in neighbourhood ``code`` ("" = total) and ``scenario``, if counted."""
    row = by_key.get((code, scenario))
    return None if row is None else row.buildings_above_floor


def _scenario_label(case: Case) -> Text:
    if case.scenario.year is None:
        return text("pluvial.tables.today")
    return Text(nl=f"{case.scenario.name or case.scenario.id} {case.scenario.year}",
                en=f"{case.scenario.name or case.scenario.id} {case.scenario.year}")

