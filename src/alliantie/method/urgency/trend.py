"""Trend view (step 1): every climate-effect theme in every climate scenario, side by side.

The four theme products (flood, pluvial, drought, heat) each leave severity
rasters (classes 0-3 per scenario) and per-neighbourhood indicators behind
(:mod:`alliantie.contract.theme`). This product only reads them and lays
them out for comparison; it computes no science of its own:

* ``trend.json`` (:class:`TrendData`): the scenarios, the themes with their
  indicators (labels, units), the indicator values per neighbourhood and
  scenario, per theme × scenario the severity raster as a path relative to
  this folder (``../urgency.heat/severity_Hd2050.tif``) and the area share per
  severity class, for the study area and per neighbourhood. A web viewer can
  switch theme and scenario from this file alone.
* ``trend.png``: small multiples, rows = themes, columns = scenarios, each a
  small severity map in the shared colours of :data:`themes.SEVERITY_COLORS`.
* ``tables.json``: the share of the area with moderate or high severity per
  theme × scenario, and per theme its key indicator (the first the theme
  lists) per neighbourhood × scenario.

A theme that was not computed, or a scenario for which a theme had no sourced
climate number (``ThemeSummary.missing``), is shown as "no data", never guessed.
A theme that writes ``current`` only (it does not change with the climate in
its computation) shows today's map in every scenario, marked as such.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from alliantie.climate import ClimateScenario, dossier_scenarios
from alliantie.contract.spec import Cell, Column, FigureSpec, TableSpec, Text, write_tables
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.theme import (
    HIGH,
    LOW,
    MODERATE,
    NONE,
    SEVERITY_COLORS,
    THEMES,
    IndicatorInfo,
    IndicatorValue,
    ThemeSummary,
    read_theme,
    severity_file,
)
from alliantie.i18n import translate

TREND_FILE = "trend.json"
FIGURE_FILE = "trend.png"
#: Product folder of each theme (the dossier's products/<name>).
THEME_PRODUCTS: dict[str, str] = {theme: f"urgency.{theme}" for theme in THEMES}
#: Colour of severity class 0 (none) in the small multiples: a light neutral under the yellow-brown classes.
NONE_COLOR = "#eeeee6"
#: Colour of a panel without data.
NO_DATA_COLOR = "#d9d9d9"
#: The small maps are drawn from at most this many cells along their long side (nearest cell, no smoothing).
PANEL_CELLS = 320
CLASSES = (NONE, LOW, MODERATE, HIGH)

Status = Literal["computed", "current_only", "no_data"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TrendScenario(_Frozen):
    id: str = Field(description="scenario id: current, Ld2050, ... (file names of every step 1 product)")
    label: Text = Field(description="label for maps and tables")


class SeverityClass(_Frozen):
    value: int = Field(description="severity class 0 none, 1 low, 2 moderate, 3 high")
    color: str = Field(description="colour #rrggbb, shared by every theme")
    label: Text


class Neighbourhood(_Frozen):
    code: str
    name: str


class TrendCell(_Frozen):
    """One theme in one scenario."""

    scenario: str = Field(description="scenario id")
    status: Status = Field(description="computed: the theme's raster of this scenario; current_only: the theme "
                                       "does not vary with the climate and today's raster stands for every "
                                       "scenario; no_data: nothing sourced to show")
    file: str | None = Field(None, description="severity raster relative to the trend folder, None without data")
    area_ha: list[float] = Field(default_factory=list, description="ha per severity class 0-3 inside the area")
    share: list[float] = Field(default_factory=list, description="share 0-1 of the assessed area per class 0-3")
    zones: dict[str, list[float]] = Field(default_factory=dict,
                                          description="neighbourhood code -> share 0-1 per class 0-3")
    missing: list[str] = Field(default_factory=list, description="climate variables without a sourced number")


class TrendIndicator(_Frozen):
    id: str
    unit: str
    label: Text
    higher_is_worse: bool = True
    key: bool = Field(False, description="the theme's key indicator (the first it lists), shown in the report")


class TrendTheme(_Frozen):
    theme: str
    product: str
    available: bool = Field(description="False when the theme product left no theme.json and no rasters")
    name: Text = Field(description="short theme name for labels (Hittestress)")
    title: Text = Field(description="the theme product's own title (theme.json)")
    classes: dict[str, Text] = Field(default_factory=dict, description="what severity classes 1-3 mean")
    indicators: list[TrendIndicator] = Field(default_factory=list)
    cells: list[TrendCell] = Field(default_factory=list, description="one per scenario, in scenario order")
    #: indicator id -> scenario id -> neighbourhood code ("" = the whole area) -> value in the indicator's unit.
    values: dict[str, dict[str, dict[str, float]]] = Field(default_factory=dict)

    def cell(self, scenario_id: str) -> TrendCell | None:
        return next((c for c in self.cells if c.scenario == scenario_id), None)


class TrendData(_Frozen):
    """Content of ``trend.json``."""

    version: int = 1
    scenarios: list[TrendScenario]
    classes: list[SeverityClass]
    neighbourhoods: list[Neighbourhood] = Field(default_factory=list)
    themes: list[TrendTheme]


# --------------------------------------------------------------------------------------------------- counting


def class_counts(severity: np.ndarray, zones: np.ndarray | None = None, count: int = 0) -> np.ndarray:
    """Cells per severity class 0-3, per zone 0..count (row 0 = outside every zone); 255 is not counted.

    Returns an int64 array of shape ``(count + 1, 4)``.
    """
    sev = np.asarray(severity)
    valid = sev <= HIGH
    cls = sev[valid].astype(np.int64)
    zone = np.zeros(cls.shape, dtype=np.int64) if zones is None else np.asarray(zones)[valid].astype(np.int64)
    flat = np.bincount(zone * 4 + cls, minlength=(count + 1) * 4)
    return flat[: (count + 1) * 4].reshape(count + 1, 4)


def shares(counts: np.ndarray) -> list[float]:
    """Share of each class in a row of counts (all zero when there is nothing)."""
    total = float(counts.sum())
    return [float(c) / total if total else 0.0 for c in counts]


# ------------------------------------------------------------------------------------------------ reading themes


def _read_raster(path: Path) -> np.ndarray:
    import rasterio

    with rasterio.open(path) as ds:
        return np.asarray(ds.read(1))


def theme_cells(
    folder: Path,
    product: str,
    summary: ThemeSummary | None,
    scenarios: Sequence[str],
    *,
    cell_area: float,
    zones: np.ndarray | None = None,
    codes: Sequence[str] = (),
    base: Path | None = None,
) -> tuple[list[TrendCell], dict[str, np.ndarray]]:
    """Per scenario: which raster stands for it and its class shares; also the rasters read (by scenario id).

    ``zones`` (1 + index into ``codes``, 0 outside) gives the per-neighbourhood shares. Raster paths are
    relative to ``base`` (the trend product's folder), or ``../<product>/`` when products are siblings.
    """
    cells: list[TrendCell] = []
    rasters: dict[str, np.ndarray] = {}
    cache: dict[str, np.ndarray] = {}
    listed = set(summary.scenarios) if summary is not None else set()
    current_only = listed <= {"current"} and (folder / severity_file("current")).exists()
    for sid in scenarios:
        missing = sorted({var for var, s in (summary.missing if summary else []) if s == sid})
        source: str | None = None
        status: Status = "no_data"
        if (folder / severity_file(sid)).exists():
            source, status = sid, "computed"
        elif current_only and not missing:
            source, status = "current", "current_only"
        if source is None:
            cells.append(TrendCell(scenario=sid, status="no_data", missing=missing))
            continue
        if source not in cache:
            cache[source] = _read_raster(folder / severity_file(source))
        severity = cache[source]
        rasters[sid] = severity
        usable_zones = zones if zones is not None and zones.shape == severity.shape else None
        counts = class_counts(severity, usable_zones, len(codes) if usable_zones is not None else 0)
        total = counts.sum(axis=0)
        zone_shares = {code: shares(counts[i + 1]) for i, code in enumerate(codes)
                       if usable_zones is not None and counts[i + 1].sum()}
        cells.append(TrendCell(
            scenario=sid, status=status, file=_relative(folder / severity_file(source), product, base),
            area_ha=[float(c) * cell_area / 1e4 for c in total], share=shares(total), zones=zone_shares,
            missing=missing,
        ))
    return cells, rasters


def _relative(path: Path, product: str, base: Path | None) -> str:
    if base is None:
        return f"../{product}/{path.name}"
    return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()


def indicator_values(values: Sequence[IndicatorValue]) -> dict[str, dict[str, dict[str, float]]]:
    """``indicators.csv`` rows as indicator -> scenario -> code -> value (non-finite values left out)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for v in values:
        if math.isfinite(v.value):
            out.setdefault(v.indicator, {}).setdefault(v.scenario, {})[v.code] = v.value
    return out


def _indicator(info: IndicatorInfo, key: bool) -> TrendIndicator:
    return TrendIndicator(id=info.id, unit=info.unit, label=info.label, higher_is_worse=info.higher_is_worse,
                          key=key)


def collect(
    theme_dirs: Mapping[str, Path],
    scenarios: Sequence[TrendScenario],
    *,
    cell_area: float,
    zones: np.ndarray | None = None,
    neighbourhoods: Sequence[Neighbourhood] = (),
    base: Path | None = None,
) -> tuple[TrendData, dict[str, dict[str, np.ndarray]]]:
    """Read every theme folder (theme -> folder; a missing folder is a theme not computed) into :class:`TrendData`.

    Returns the data and the severity rasters per theme and scenario (for the figure).
    ``zones`` numbers the ``neighbourhoods`` (1 + index, 0 outside); ``base`` is the trend product's final
    folder that raster paths are relative to (default: products side by side, ``../urgency.heat/...``).
    """
    ids = [s.id for s in scenarios]
    themes: list[TrendTheme] = []
    rasters: dict[str, dict[str, np.ndarray]] = {}
    known = {n.code: n for n in neighbourhoods}
    order = [n.code for n in neighbourhoods]
    for theme in THEMES:
        folder = theme_dirs.get(theme)
        product = THEME_PRODUCTS[theme]
        read = read_theme(folder) if folder is not None and folder.exists() else None
        summary, values = read if read is not None else (None, [])
        cells, theme_rasters = (theme_cells(folder, product, summary, ids, cell_area=cell_area, zones=zones,
                                            codes=order, base=base)
                                if folder is not None and folder.exists() else
                                ([TrendCell(scenario=sid, status="no_data") for sid in ids], {}))
        for v in values:
            if v.code and v.code not in known:
                known[v.code] = Neighbourhood(code=v.code, name=v.name or v.code)
                order.append(v.code)
        rasters[theme] = theme_rasters
        themes.append(TrendTheme(
            theme=theme, product=product, available=summary is not None or bool(theme_rasters),
            name=text(f"report.themes.{theme}"),
            title=summary.title if summary is not None else text(f"report.themes.{theme}"),
            classes=dict(summary.classes) if summary is not None else {},
            indicators=[_indicator(info, i == 0) for i, info in enumerate(summary.indicators)] if summary else [],
            cells=cells, values=indicator_values(values),
        ))
    classes = [SeverityClass(value=c, color=NONE_COLOR if c == NONE else SEVERITY_COLORS[c],
                             label=text(f"trend.classes.{c}")) for c in CLASSES]
    data = TrendData(scenarios=list(scenarios), classes=classes,
                     neighbourhoods=[known[code] for code in order], themes=themes)
    return data, rasters


# ---------------------------------------------------------------------------------------------------- tables


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


# ---------------------------------------------------------------------------------------------------- figure


def _crop(area: np.ndarray | None, shape: tuple[int, int]) -> tuple[slice, slice]:
    """Rows and columns of the study area's bounding box (the whole raster without an area)."""
    if area is None or area.shape != shape or not area.any():
        return slice(0, shape[0]), slice(0, shape[1])
    rows = np.flatnonzero(area.any(axis=1))
    cols = np.flatnonzero(area.any(axis=0))
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def _rgba(severity: np.ndarray) -> np.ndarray:
    from matplotlib.colors import to_rgba

    lut = np.zeros((256, 4), dtype=np.float32)  # everything else (255 outside the area) transparent
    lut[NONE] = to_rgba(NONE_COLOR)
    for c, color in SEVERITY_COLORS.items():
        lut[c] = to_rgba(color)
    return lut[severity]


def draw_small_multiples(
    data: TrendData,
    rasters: Mapping[str, Mapping[str, np.ndarray]],
    path: Path,
    language: str,
    *,
    area: np.ndarray | None = None,
    dpi: int = 200,
) -> Path:
    """Rows = themes, columns = scenarios: a small severity map each, one legend; readable at A4 width."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    themes = list(data.themes)  # a theme not computed keeps its row: grey panels say so
    n_rows, n_cols = len(themes), max(1, len(data.scenarios))
    shape = next((r.shape for per in rasters.values() for r in per.values()), None)
    ys, xs = _crop(area, shape) if shape is not None else (slice(0, 1), slice(0, 1))
    height, width = ys.stop - ys.start, xs.stop - xs.start
    step = max(1, math.ceil(max(height, width) / PANEL_CELLS))
    aspect = height / width if width else 1.0
    fig_w = 7.4
    label_w = 0.75  # inches for the theme labels on the left
    panel_w = (fig_w - label_w - 0.1) / n_cols
    panel_h = panel_w * aspect
    title_h, legend_h = 0.3, 0.55
    fig_h = title_h + n_rows * (panel_h + 0.08) + legend_h
    fig = Figure(figsize=(fig_w, fig_h), dpi=dpi)
    FigureCanvasAgg(fig)
    area_view = area[ys, xs][::step, ::step] if area is not None and shape == area.shape else None
    for r, theme in enumerate(themes):
        for c, scenario in enumerate(data.scenarios):
            left = (label_w + c * panel_w) / fig_w
            bottom = (legend_h + (n_rows - 1 - r) * (panel_h + 0.08)) / fig_h
            ax = fig.add_axes((left + 0.03 / fig_w, bottom, (panel_w - 0.06) / fig_w, panel_h / fig_h))
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_color("#9aa3a8")
                spine.set_linewidth(0.5)
            raster = rasters.get(theme.theme, {}).get(scenario.id)
            cell = theme.cell(scenario.id)
            if raster is not None and raster.shape == shape:
                ax.imshow(_rgba(raster[ys, xs][::step, ::step]), interpolation="nearest")
                if area_view is not None:
                    ax.contour(area_view.astype(np.uint8), levels=[0.5], colors="#333333", linewidths=0.4)
                if cell is not None and cell.share:
                    share = 100.0 * sum(cell.share[MODERATE:])
                    label = translate("trend.figure.share", language, share=_pct(share))
                    if cell.status == "current_only":
                        label += " *"
                    ax.text(0.03, 0.04, label, transform=ax.transAxes, fontsize=5.8, va="bottom", ha="left",
                            bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
            else:
                ax.set_facecolor(NO_DATA_COLOR)
                ax.set_xlim(-0.5, math.ceil(width / step) - 0.5)  # the same frame as the maps
                ax.set_ylim(math.ceil(height / step) - 0.5, -0.5)
                ax.set_aspect("equal")
                ax.text(0.5, 0.5, translate("trend.figure.no_data", language), ha="center", va="center",
                        fontsize=6.5, color="#555555", transform=ax.transAxes)
            if r == 0:
                ax.set_title(scenario.label.get(language), fontsize=7, pad=3)
            if c == 0:
                ax.set_ylabel(_wrap(theme.name.get(language), 16), fontsize=7, rotation=90, labelpad=4)
    handles = [Patch(facecolor=cls.color, edgecolor="#777777", linewidth=0.4, label=cls.label.get(language))
               for cls in data.classes]
    handles.append(Patch(facecolor=NO_DATA_COLOR, edgecolor="#777777", linewidth=0.4,
                         label=translate("trend.figure.no_data", language)))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=6.5, frameon=False,
               bbox_to_anchor=(0.5 + label_w / fig_w / 2, 0.2 / fig_h), handlelength=1.2, columnspacing=1.2)
    if any(c.status == "current_only" for t in themes for c in t.cells):
        footnote = translate("trend.figure.footnote", language)
        fig.text(0.5 + label_w / fig_w / 2, 0.04 / fig_h, footnote, ha="center", va="bottom", fontsize=5.5,
                 color="#5b6770")
    fig.savefig(path, dpi=dpi, facecolor="white")
    return path


def _pct(value: float) -> str:
    return f"{value:.0f} %"


def _wrap(label: str, width: int) -> str:
    """Break a theme label over two lines at the space nearest the middle when it is long."""
    if len(label) <= width or " " not in label:
        return label
    middle = len(label) // 2
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return f"{label[:cut]}\n{label[cut + 1:]}"


# ---------------------------------------------------------------------------------------------------- product


def scenario_entries(scenarios: Sequence[ClimateScenario]) -> list[TrendScenario]:
    return [TrendScenario(id=s.id, label=Text(nl=s.label("nl"), en=s.label("en"))) for s in scenarios]


def neighbourhood_layer(frame: Any, grid: Any) -> tuple[list[Neighbourhood], np.ndarray | None]:
    """Codes and names of the neighbourhoods layer and their zone raster (None without the layer)."""
    from alliantie.contract.theme import neighbourhood_zones

    if frame is None or not len(frame):
        return [], None
    codes = [str(c) for c in (frame["code"] if "code" in frame.columns else range(1, len(frame) + 1))]
    names = [str(n) for n in frame["name"]] if "name" in frame.columns else codes
    zones = neighbourhood_zones(frame, grid)  # 1 + row number
    # one entry per code (two rows with one code count as one neighbourhood), zone = 1 + its index
    unique: list[Neighbourhood] = []
    index: dict[str, int] = {}
    dense = np.zeros(len(frame) + 1, dtype=np.int32)
    for i, code in enumerate(codes):
        if code not in index:
            unique.append(Neighbourhood(code=code, name=names[i]))
            index[code] = len(unique)
        dense[i + 1] = index[code]
    return unique, dense[zones]


def write_trend(out_dir: Path, data: TrendData, rasters: Mapping[str, Mapping[str, np.ndarray]], language: str,
                area: np.ndarray | None = None) -> None:
    """Write ``trend.json``, ``trend.png`` and ``tables.json`` into ``out_dir``."""
    from alliantie.io.atomic import atomic_file

    with atomic_file(out_dir / TREND_FILE) as tmp:
        tmp.write_text(data.model_dump_json(indent=1), encoding="utf-8")
    draw_small_multiples(data, rasters, out_dir / FIGURE_FILE, language, area=area)
    figure = FigureSpec(id="trend", theme="trend", title=text("trend.figure.title"),
                        description=text("trend.figure.description"), file=FIGURE_FILE)
    tables = [overview_table(data)]
    tables += [t for t in (key_indicator_table(data, theme) for theme in data.themes if theme.available) if t]
    write_tables(out_dir, tables, [figure])


def trend(ctx: Any) -> None:
    """Themes × scenarios: small multiples, per-neighbourhood numbers and a JSON for a web viewer."""
    from alliantie.contract.names import THEME_PRODUCTS as DEPENDS

    scenarios = scenario_entries(dossier_scenarios(ctx.param("scenarios")))
    theme_dirs = {name.split(".", 1)[1]: ctx.upstream(name) for name in DEPENDS}
    neighbourhoods, zones = neighbourhood_layer(ctx.vector("neighbourhoods"), ctx.grid)
    ctx.progress(0.1)
    product, dossier = getattr(ctx, "product", None), getattr(ctx, "dossier", None)
    base = product.output_dir(dossier) if product is not None and dossier is not None else None
    data, rasters = collect(theme_dirs, scenarios, cell_area=ctx.grid.cell_area, zones=zones,
                            neighbourhoods=neighbourhoods, base=base)
    ctx.progress(0.6)
    write_trend(ctx.out_dir, data, rasters, ctx.language, area=ctx.mask)
    ctx.progress(1.0)


__all__ = [
    "FIGURE_FILE", "TREND_FILE", "Neighbourhood", "SeverityClass", "TrendCell", "TrendData", "TrendIndicator",
    "TrendScenario", "TrendTheme", "class_counts", "collect", "decimals_for", "draw_small_multiples",
    "key_indicator_table", "neighbourhood_layer", "overview_table", "scenario_entries", "shares", "theme_cells",
    "trend", "write_trend",
]
