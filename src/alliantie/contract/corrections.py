"""The expert corrections layer of the vulnerability map: what an expert hands in, read and checked.

A correction is a polygon drawn by an expert (in QGIS now, later in the web
app) with ``theme`` (flood, pluvial, drought, heat or ``all``), ``action``
(``raise``, ``lower``, ``confirm``, ``remove``), ``reason``, ``author``,
``date`` (ISO, e.g. 2026-03-14) and optionally ``level`` (a class 0-3) and
``scenario`` (one scenario id; empty: every scenario).

The layer is append-only: nothing is edited or deleted, a new row is added.
This module reads the layer and checks every row (``alliantie check`` and the
vulnerability map both use it), so a mistake is reported with the file and the
row before anything is computed. Applying the corrections to the severity
classes, and their history, is the vulnerability map's work
(:mod:`alliantie.method.urgency.vulnerability.corrections`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely
from shapely.geometry.base import BaseGeometry

from alliantie.contract.theme import THEMES
from alliantie.errors import InputDataError
from alliantie.io.vector import read_vector, vector_read_error

ACTIONS: tuple[str, ...] = ("raise", "lower", "confirm", "remove")
ALL_THEMES = "all"
REQUIRED_COLUMNS: tuple[str, ...] = ("theme", "action", "reason", "author", "date")


@dataclass(frozen=True)
class Correction:
    """One validated row of the corrections layer (``row``: 1-based position in the file)."""

    row: int
    theme: str
    action: str
    reason: str
    author: str
    date: dt.date
    geometry: BaseGeometry
    level: int | None = None
    scenario: str | None = None

    @property
    def themes(self) -> tuple[str, ...]:
        return THEMES if self.theme == ALL_THEMES else (self.theme,)

    def applies_to(self, theme: str, scenario_id: str) -> bool:
        return theme in self.themes and (self.scenario is None or self.scenario == scenario_id)


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        if value is pd.NaT or (not isinstance(value, str) and bool(pd.isna(value))):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and not value.strip()


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()  # type: ignore[no-any-return,unused-ignore]
    if isinstance(value, np.datetime64):
        return dt.date.fromisoformat(str(value)[:10])
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text)
    except ValueError:
        return None


def read_corrections_file(path: str | Path, *, layer: str | None, target_crs: str,
                          scenario_ids: Sequence[str]) -> list[Correction]:
    """Read and validate a corrections layer (GeoPackage, Shapefile, GeoJSON); rows are 1-based file order."""
    file = Path(path)
    if not file.exists():
        raise InputDataError("errors.file_missing", path=str(file), what="inputs.corrections")
    try:
        raw = pyogrio.read_dataframe(file, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise vector_read_error(file, "inputs.corrections", layer, exc) from None
    raw["_row"] = np.arange(1, len(raw) + 1)
    no_geometry = raw.geometry.isna() | raw.geometry.is_empty
    problems = [InputDataError("vulnerability.errors.geometry", row=int(r), kind="-")
                for r in raw.loc[no_geometry, "_row"]]
    frame = read_vector(raw, target_crs=target_crs, label=str(file))
    return validate_corrections(frame, path=str(file), scenario_ids=scenario_ids, problems=problems)


def validate_corrections(frame: gpd.GeoDataFrame, *, path: str, scenario_ids: Sequence[str],
                         problems: list[InputDataError] | None = None) -> list[Correction]:
    """Check every row of the corrections layer and return them as :class:`Correction` objects.

    ``frame`` is a GeoDataFrame in the dossier CRS (invalid polygons already
    repaired by :func:`alliantie.io.vector.read_vector`); a column ``_row`` may
    give the 1-based row numbers to report (default: position + 1). All
    problems are collected and raised together as one :class:`InputDataError`
    that names the file, the row and what to do.
    """
    columns = [c for c in frame.columns if c != frame.geometry.name]
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InputDataError("errors.vector_columns", path=path, missing=", ".join(missing),
                             present=", ".join(str(c) for c in columns if c != "_row"))
    problems = list(problems or [])
    out: list[Correction] = []
    rows = frame["_row"].tolist() if "_row" in frame.columns else list(range(1, len(frame) + 1))
    has_level = "level" in frame.columns
    has_scenario = "scenario" in frame.columns
    known_themes = (*THEMES, ALL_THEMES)
    for row, (_, rec) in zip(rows, frame.iterrows(), strict=True):
        n = len(problems)

        def bad(key: str, **params: Any) -> None:
            problems.append(InputDataError(f"vulnerability.errors.{key}", row=row, **params))  # noqa: B023

        theme = "" if _blank(rec["theme"]) else str(rec["theme"]).strip().lower()
        action = "" if _blank(rec["action"]) else str(rec["action"]).strip().lower()
        if theme not in known_themes:
            bad("theme", value=theme or "-", known=", ".join(known_themes))
        if action not in ACTIONS:
            bad("action", value=action or "-", known=", ".join(ACTIONS))
        for col in ("reason", "author", "date"):
            if _blank(rec[col]):
                bad("empty", column=col)
        date = None if _blank(rec["date"]) else _parse_date(rec["date"])
        if date is None and not _blank(rec["date"]):
            bad("date", value=str(rec["date"]))
        level: int | None = None
        if has_level and not _blank(rec["level"]):
            try:
                as_float = float(rec["level"])
            except (TypeError, ValueError):
                as_float = -1.0
            if as_float not in (0.0, 1.0, 2.0, 3.0):
                shown = f"{as_float:g}" if as_float != -1.0 else str(rec["level"])
                bad("level", value=shown)
            else:
                level = int(as_float)
        scenario: str | None = None
        if has_scenario and not _blank(rec["scenario"]):
            scenario = str(rec["scenario"]).strip()
            if scenario not in scenario_ids:
                bad("scenario", value=scenario, known=", ".join(scenario_ids))
        geom = rec[frame.geometry.name]
        if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            bad("geometry", kind=getattr(geom, "geom_type", "-"))
        elif geom.geom_type == "GeometryCollection":
            polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            if not polys:
                bad("geometry", kind=geom.geom_type)
            else:
                geom = shapely.union_all(polys)
        if len(problems) == n and date is not None:
            out.append(Correction(row=int(row), theme=theme, action=action, reason=str(rec["reason"]).strip(),
                                  author=str(rec["author"]).strip(), date=date, geometry=geom, level=level,
                                  scenario=scenario))
    if problems:
        problems.sort(key=lambda p: int(p.params.get("row", 0)))
        raise InputDataError("vulnerability.errors.corrections_invalid", path=path, count=len(problems),
                             details=problems)
    return sorted(out, key=lambda c: (c.date, c.row))
