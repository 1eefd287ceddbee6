"""What every climate-effect theme product of step 1 leaves behind for the vulnerability map and the trend view.

The four themes (``pluvial``, ``heat``, ``drought``, ``flood``) each write, in
their product folder and besides their own maps and files:

* ``severity_<scenario>.tif`` per climate scenario (ids of
  :func:`alliantie.climate.dossier_scenarios`: ``current``, ``Ld2050``, ...):
  uint8 classes :data:`NONE` 0, :data:`LOW` 1, :data:`MODERATE` 2,
  :data:`HIGH` 3 of how severe the theme's effect is in each cell, 255 outside
  the study area. A theme that does not change with the climate may write
  ``current`` only: :func:`read_severity` falls back to it.
* ``theme.json``: the theme, its scenarios, what the severity classes mean
  (``basis``, a text per class), and the indicators it reports (id, unit,
  labels);
* ``indicators.csv``: long table ``scenario, code, name, indicator, value``
  of per-neighbourhood numbers (``code`` "" = the whole study area).

Readers (vulnerability map, trend view, later the web atlas) need nothing else.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from alliantie.contract.spec import Text
from alliantie.grid import Grid
from alliantie.io.atomic import atomic_file

Theme = Literal["pluvial", "heat", "drought", "flood"]
#: The themes in report order.
THEMES: tuple[str, ...] = ("flood", "pluvial", "drought", "heat")

NONE, LOW, MODERATE, HIGH = 0, 1, 2, 3
SEVERITY_NODATA = 255
#: Colours of the severity classes 1-3 (shared by every theme's severity map).
SEVERITY_COLORS = {LOW: "#fee391", MODERATE: "#fe9929", HIGH: "#cc4c02"}

#: Labels of the classes in the QGIS styles (both languages: the files are shared).
SEVERITY_LABELS = {LOW: "laag / low", MODERATE: "matig / moderate", HIGH: "hoog / high"}

THEME_FILE = "theme.json"
INDICATORS_FILE = "indicators.csv"


def severity_file(scenario_id: str) -> str:
    """File name of the severity raster of one scenario."""
    return f"severity_{scenario_id}.tif"


class IndicatorInfo(BaseModel):
    """An indicator a theme reports per neighbourhood (e.g. buildings with water above floor level)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    unit: str
    label: Text
    #: True when a larger value is worse (drives colours in the trend view).
    higher_is_worse: bool = True


class ThemeSummary(BaseModel):
    """Content of ``theme.json``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    theme: Theme
    title: Text
    scenarios: list[str]
    #: What severity classes 1, 2, 3 mean for this theme (keys "1", "2", "3").
    classes: dict[str, Text]
    indicators: list[IndicatorInfo] = Field(default_factory=list)
    #: Climate numbers the theme needed but could not find a source for (variable, scenario id).
    missing: list[tuple[str, str]] = Field(default_factory=list)


@dataclass(frozen=True)
class IndicatorValue:
    """One number of ``indicators.csv``: an indicator in a neighbourhood (``code`` "" = total) and scenario."""

    scenario: str
    code: str
    name: str
    indicator: str
    value: float


def write_severity(folder: Path, scenario_id: str, severity: np.ndarray, grid: Grid,
                   *, area: np.ndarray | None = None, description: str = "") -> Path:
    """Write ``severity_<scenario_id>.tif`` (classes 0-3; 255 outside ``area``)."""
    from alliantie.io.raster import write_raster

    data = np.asarray(severity).astype(np.uint8, copy=True)
    if data.shape != grid.shape:
        raise ValueError(f"severity shape {data.shape} differs from the grid {grid.shape}")
    if (data[data != SEVERITY_NODATA] > HIGH).any():
        raise ValueError("severity classes are 0-3")
    if area is not None:
        data[~area] = SEVERITY_NODATA
    from alliantie.io.styles import StyleClass, hex_rgb, raster_paletted_qml

    colormap = {k: (*hex_rgb(c), 255) for k, c in SEVERITY_COLORS.items()}
    qml = raster_paletted_qml([StyleClass(k, c, SEVERITY_LABELS[k]) for k, c in SEVERITY_COLORS.items()])
    return write_raster(folder / severity_file(scenario_id), data, grid, nodata=SEVERITY_NODATA,
                        colormap=colormap, qml=qml,
                        description=description or f"severity classes 0-3 ({scenario_id})")


def read_severity(folder: Path, scenario_id: str) -> np.ndarray | None:
    """The severity classes of ``scenario_id`` (falling back to ``current``); None when the theme wrote none."""
    import rasterio

    for sid in (scenario_id, "current"):
        path = folder / severity_file(sid)
        if path.exists():
            with rasterio.open(path) as ds:
                return np.asarray(ds.read(1))
    return None


def write_theme(folder: Path, summary: ThemeSummary, values: Iterable[IndicatorValue]) -> None:
    """Write ``theme.json`` and ``indicators.csv`` (atomically)."""
    with atomic_file(folder / THEME_FILE) as tmp:
        tmp.write_text(summary.model_dump_json(indent=2), encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scenario", "code", "name", "indicator", "value"])
    for v in values:
        writer.writerow([v.scenario, v.code, v.name, v.indicator, f"{v.value:.6g}"])
    with atomic_file(folder / INDICATORS_FILE) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8")


def read_theme(folder: Path) -> tuple[ThemeSummary, list[IndicatorValue]] | None:
    """``theme.json`` and ``indicators.csv`` of a theme product folder (None when absent)."""
    path = folder / THEME_FILE
    if not path.exists():
        return None
    summary = ThemeSummary.model_validate(json.loads(path.read_text(encoding="utf-8")))
    values: list[IndicatorValue] = []
    table = folder / INDICATORS_FILE
    if table.exists():
        with table.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                values.append(IndicatorValue(scenario=row["scenario"], code=row["code"], name=row["name"],
                                             indicator=row["indicator"], value=float(row["value"])))
    return summary, values


def zone_totals(zones: np.ndarray, count: int, weights: np.ndarray) -> np.ndarray:
    """Sum of ``weights`` per zone 0..count (zone 0 = outside every neighbourhood)."""
    flat = zones.ravel()
    return np.bincount(flat, weights=np.asarray(weights, dtype=np.float64).ravel(), minlength=count + 1)


def neighbourhood_zones(neighbourhoods: object, grid: Grid) -> np.ndarray:
    """int32 raster: 1 + row number of the neighbourhood covering each cell, 0 elsewhere."""
    import rasterio.features

    frame = neighbourhoods
    zones = np.zeros(grid.shape, dtype=np.int32)
    if frame is None or not len(frame):  # type: ignore[arg-type]
        return zones
    geoms = list(frame.geometry.values)  # type: ignore[attr-defined]
    shapes = [(g, i + 1) for i, g in enumerate(geoms) if g is not None and not g.is_empty]
    if shapes:
        zones = rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform, fill=0,
                                            dtype="int32")
    return zones


def class_labels(summary: ThemeSummary, language: str) -> dict[int, str]:
    """Severity class -> label in ``language``."""
    return {int(k): v.get(language) for k, v in summary.classes.items()}


__all__: Sequence[str] = (
    "HIGH", "INDICATORS_FILE", "LOW", "MODERATE", "NONE", "SEVERITY_COLORS", "SEVERITY_NODATA", "THEMES",
    "THEME_FILE", "IndicatorInfo", "IndicatorValue", "ThemeSummary", "class_labels", "neighbourhood_zones",
    "read_severity", "read_theme", "severity_file", "write_severity", "write_theme", "zone_totals",
)
