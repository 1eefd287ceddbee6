"""Reading the theme folders for the trend view: which raster stands for each scenario, class shares, values.

:func:`collect` reads every theme product's folder (``theme.json``,
``indicators.csv``, ``severity_<scenario>.tif``; :mod:`alliantie.contract.theme`)
into :class:`~alliantie.method.urgency.trend.data.TrendData`, counting cells per
severity class for the study area and per neighbourhood.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio

from alliantie.climate import ClimateScenario
from alliantie.contract.names import THEME_PRODUCT
from alliantie.contract.spec import Text
from alliantie.contract.spec import catalogue_text as text
from alliantie.contract.theme import (
    HIGH,
    NONE,
    SEVERITY_COLORS,
    THEMES,
    IndicatorInfo,
    IndicatorValue,
    ThemeSummary,
    neighbourhood_zones,
    read_theme,
    severity_file,
)
from alliantie.grid import Grid
from alliantie.method.urgency.trend.data import (
    CLASSES,
    NONE_COLOR,
    Neighbourhood,
    SeverityClass,
    Status,
    TrendCell,
    TrendData,
    TrendIndicator,
    TrendScenario,
    TrendTheme,
)

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
        product = THEME_PRODUCT[theme]
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


def scenario_entries(scenarios: Sequence[ClimateScenario]) -> list[TrendScenario]:
    return [TrendScenario(id=s.id, label=Text(nl=s.label("nl"), en=s.label("en"))) for s in scenarios]


def neighbourhood_layer(frame: gpd.GeoDataFrame | None, grid: Grid) -> tuple[list[Neighbourhood], np.ndarray | None]:
    """Codes and names of the neighbourhoods layer and their zone raster (None without the layer)."""
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
