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
from alliantie.method.urgency.pluvial.analysis import PluvialResult, severity_classes
from alliantie.method.urgency.pluvial.events import Case
from alliantie.method.urgency.pluvial.outputs import case_label

#: Indicators of the pluvial theme per neighbourhood (count columns of :func:`neighbourhood_counts`).
INDICATORS: tuple[tuple[str, str, float], ...] = (
    ("buildings_above_floor", "buildings", 1.0),
    ("buildings_facade", "buildings", 1.0),
    ("road_m_no_cars", "km", 1e-3),
    ("road_m_no_traffic", "km", 1e-3),
)


def write_theme_outputs(folder: Path, result: PluvialResult, counts: Sequence[PluvialNeighbourhood],
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
        theme.IndicatorValue(scenario=row.scenario, code=row.code, name=row.name,
                              indicator=f"{name.replace('road_m', 'road_km')}_{row.event}",
                              value=float(getattr(row, name)) * factor)
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


def count_tables(result: PluvialResult, counts: Sequence[PluvialNeighbourhood],
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
        by_key = {(r.code, r.scenario): r for r in counts if r.event == event_id}
        codes = list(dict.fromkeys((r.code, r.name) for r in counts if r.event == event_id and r.code))
        rows: list[list[Cell]] = []
        for code, name in codes:
            rows.append([name or code, *[_above_floor(by_key, code, sid) for sid in scenario_cases]])
        total: list[Cell] = [text("pluvial.tables.total"),
                             *[_above_floor(by_key, "", sid) for sid in scenario_cases]]
        tables.append(TableSpec(
            id=f"pluvial_above_floor_{event_id}", theme="pluvial",
            title=text("pluvial.tables.above_floor.title", event_nl=event.nl, event_en=event.en),
            description=text("pluvial.tables.above_floor.description"),
            columns=[Column(label=text("pluvial.tables.neighbourhood")), *columns_scen],
            rows=rows, total=total, note=missing_note,
        ))
    summary_rows: list[list[Cell]] = []
    for c in result.cases:
        row = next(r for r in counts if r.case == c.case.id and not r.code)
        summary_rows.append([case_label(c.case), round(c.case.rain_mm, 1), row.buildings_facade,
                             row.buildings_above_floor, row.road_m_no_cars / 1000,
                             row.road_m_no_traffic / 1000])
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


def _above_floor(by_key: dict[tuple[str, str], PluvialNeighbourhood], code: str, scenario: str) -> int | None:
    """Buildings with water above floor level in neighbourhood ``code`` ("" = total) and ``scenario``, if counted."""
    row = by_key.get((code, scenario))
    return None if row is None else row.buildings_above_floor


def _scenario_label(case: Case) -> Text:
    if case.scenario.year is None:
        return text("pluvial.tables.today")
    return Text(nl=f"{case.scenario.name or case.scenario.id} {case.scenario.year}",
                en=f"{case.scenario.name or case.scenario.id} {case.scenario.year}")

