"""The files of the trend view: ``trend.json``, ``trend.png`` and ``tables.json`` (with its tables).

The tables: the share of the area with moderate or high severity per theme ×
scenario, and per theme its key indicator (the first the theme lists) per
neighbourhood × scenario.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from alliantie.contract.spec import Cell, Column, FigureSpec, TableSpec, Text, write_tables
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.theme import MODERATE
from alliantie.i18n import translate
from alliantie.io.atomic import atomic_file
from alliantie.method.urgency.trend.data import TrendData, TrendTheme
from alliantie.method.urgency.trend.figures import draw_small_multiples

TREND_FILE = "trend.json"
FIGURE_FILE = "trend.png"


def decimals_for(values: Sequence[float]) -> int:
    """Decimals that show a column of numbers without false precision: 0 for counts and large numbers."""
    finite = [abs(v) for v in values if math.isfinite(v)]
    if not finite or all(float(v).is_integer() for v in finite):
        return 0
    largest = max(finite)
    return 0 if largest >= 100 else 1 if largest >= 10 else 2


def _scenario_columns(data: TrendData, unit: str, decimals: int) -> list[Column]:
    return [Column(label=s.label, unit=unit, decimals=decimals) for s in data.scenarios]


def overview_table(data: TrendData) -> TableSpec:
    """Share of the area with moderate or high severity, per theme × scenario (%)."""
    rows: list[list[Cell]] = []
    for theme in data.themes:
        row: list[Cell] = [theme.name]
        for s in data.scenarios:
            cell = theme.cell(s.id)
            row.append(100.0 * sum(cell.share[MODERATE:]) if cell is not None and cell.share else None)
        rows.append(row)
    return TableSpec(
        id="trend_overview", theme="trend", title=text("trend.overview.title"),
        description=text("trend.overview.description"),
        columns=[Column(label=text("trend.overview.col_theme")), *_scenario_columns(data, "%", 1)],
        rows=rows, note=_note(data, data.themes),
    )


def key_indicator_table(data: TrendData, theme: TrendTheme) -> TableSpec | None:
    """The theme's key indicator per neighbourhood × scenario with the whole-area total; None without one."""
    key = next((i for i in theme.indicators if i.key), None)
    if key is None:
        return None
    values = dict(theme.values.get(key.id, {}))
    for cell in theme.cells:  # a theme that does not change with the climate: today's numbers hold
        if cell.status == "current_only" and cell.scenario not in values and "current" in values:
            values[cell.scenario] = values["current"]
    decimals = decimals_for([v for per in values.values() for v in per.values()])
    rows: list[list[Cell]] = []
    for n in data.neighbourhoods:
        if not any(n.code in values.get(s.id, {}) for s in data.scenarios):
            continue
        rows.append([n.name or n.code, *(values.get(s.id, {}).get(n.code) for s in data.scenarios)])
    total: list[Cell] | None = None
    if any("" in values.get(s.id, {}) for s in data.scenarios):
        total = [text("trend.table.total"), *(values.get(s.id, {}).get("") for s in data.scenarios)]
    return TableSpec(
        id=f"trend_{theme.theme}_{key.id}", theme="trend",
        title=Text(nl=translate("trend.table.title", "nl", theme=theme.name.nl, indicator=key.label.nl),
                   en=translate("trend.table.title", "en", theme=theme.name.en, indicator=key.label.en)),
        description=text("trend.table.description"),
        columns=[Column(label=text("trend.table.col_neighbourhood")),
                 *_scenario_columns(data, key.unit, decimals)],
        rows=rows, total=total, note=_note(data, [theme]),
    )


def _note(data: TrendData, themes: Sequence[TrendTheme]) -> Text | None:
    """Which themes or scenarios show no data or today's map only, in both languages."""
    labels = {s.id: s.label for s in data.scenarios}
    parts: dict[str, list[str]] = {"nl": [], "en": []}
    for theme in themes:
        for lang in ("nl", "en"):
            title = theme.name.get(lang)
            if not theme.available:
                parts[lang].append(translate("trend.note.not_computed", lang, theme=title))
                continue
            no_data = [labels[c.scenario].get(lang) for c in theme.cells if c.status == "no_data"]
            if no_data:
                variables = sorted({v for c in theme.cells for v in c.missing})
                key = "trend.note.no_data_missing" if variables else "trend.note.no_data"
                parts[lang].append(translate(key, lang, theme=title, scenarios=", ".join(no_data),
                                             variables=", ".join(variables)))
            if any(c.status == "current_only" for c in theme.cells):
                parts[lang].append(translate("trend.note.current_only", lang, theme=title))
    if not parts["nl"]:
        return None
    return Text(nl=" ".join(parts["nl"]), en=" ".join(parts["en"]))


def write_trend(out_dir: Path, data: TrendData, rasters: Mapping[str, Mapping[str, np.ndarray]], language: str,
                area: np.ndarray | None = None) -> None:
    """Write ``trend.json``, ``trend.png`` and ``tables.json`` into ``out_dir``."""
    with atomic_file(out_dir / TREND_FILE) as tmp:
        tmp.write_text(data.model_dump_json(indent=1), encoding="utf-8")
    draw_small_multiples(data, rasters, out_dir / FIGURE_FILE, language, area=area)
    figure = FigureSpec(id="trend", theme="trend", title=text("trend.figure.title"),
                        description=text("trend.figure.description"), file=FIGURE_FILE)
    tables = [overview_table(data)]
    tables += [t for t in (key_indicator_table(data, theme) for theme in data.themes if theme.available) if t]
    write_tables(out_dir, tables, [figure])
