"""Expert corrections of the vulnerability map: reading, checking, applying, and their history.

A correction is a polygon drawn by an expert (in QGIS now, later in the web
app) with ``theme`` (flood, pluvial, drought, heat or ``all``), ``action``
(``raise``, ``lower``, ``confirm``, ``remove``), ``reason``, ``author``,
``date`` (ISO, e.g. 2026-03-14) and optionally ``level`` (a class 0-3) and
``scenario`` (one scenario id; empty: every scenario).

The layer is append-only: nothing is edited or deleted, a new row is added.
Corrections are applied in date order (file order on the same date) to the
computed severity classes, before the zones are made:

* ``raise``: one class up (at most 3);
* ``lower``: one class down (at least 0);
* ``confirm``: the class stays; the cells are marked checked (as by every correction);
* ``remove``: class 0 (the effect does not occur there);
* with a ``level``, ``raise``, ``lower`` and ``confirm`` set the class to that level.

Every change is relative to the *computed* class, so a later correction of the
same theme on the same cells replaces an earlier one instead of adding to it:
the earlier one is then *superseded* there (and listed as such). Cells
outside the study area are never changed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import rasterio.features
from shapely.geometry.base import BaseGeometry

from alliantie.climate import CURRENT
from alliantie.contract.theme import HIGH, NONE, SEVERITY_NODATA, THEMES
from alliantie.errors import InputDataError
from alliantie.grid import Grid

ACTIONS: tuple[str, ...] = ("raise", "lower", "confirm", "remove")
ALL_THEMES = "all"
REQUIRED_COLUMNS: tuple[str, ...] = ("theme", "action", "reason", "author", "date")
#: Status of a correction in the history.
ACTIVE, PARTLY_SUPERSEDED, SUPERSEDED, OUTSIDE = "active", "partly_superseded", "superseded", "outside"


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
        import pandas as pd

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
    import pyogrio
    import pyogrio.errors

    from alliantie.io.vector import gdal_detail, read_vector

    file = Path(path)
    if not file.exists():
        raise InputDataError("errors.file_missing", path=str(file), what="inputs.corrections")
    try:
        raw = pyogrio.read_dataframe(file, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InputDataError("errors.vector_unreadable", path=str(file), what="inputs.corrections",
                             detail=gdal_detail(exc)) from None
    raw["_row"] = np.arange(1, len(raw) + 1)
    no_geometry = raw.geometry.isna() | raw.geometry.is_empty
    problems = [InputDataError("vulnerability.errors.geometry", row=int(r), kind="-")
                for r in raw.loc[no_geometry, "_row"]]
    frame = read_vector(raw, target_crs=target_crs, label=str(file))
    return validate_corrections(frame, path=str(file), scenario_ids=scenario_ids, problems=problems)


def validate_corrections(frame: Any, *, path: str, scenario_ids: Sequence[str],
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
                import shapely

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


def apply_action(computed: np.ndarray, action: str, level: int | None) -> np.ndarray:
    """The corrected classes of ``computed`` (uint8 0-3) for one action (see module doc)."""
    c = computed.astype(np.int16)
    if action not in ACTIONS:  # pragma: no cover - validated before
        raise ValueError(action)
    if action == "remove":
        out = np.zeros_like(c)
    elif level is not None:
        out = np.full_like(c, level)
    elif action == "raise":
        out = np.minimum(c + 1, HIGH)
    elif action == "lower":
        out = np.maximum(c - 1, NONE)
    else:  # confirm
        out = c
    return out.astype(np.uint8)


def correction_masks(corrections: Sequence[Correction], grid: Grid) -> list[np.ndarray]:
    """A boolean raster per correction (cells whose centre lies in its polygon)."""
    return [rasterio.features.geometry_mask([c.geometry], out_shape=grid.shape, transform=grid.transform,
                                            invert=True) for c in corrections]


@dataclass
class CorrectionEffect:
    """What one correction did, summed over the themes and scenarios it applies to."""

    covered_cells: int = 0  # cells inside the area under the polygon (all its themes and scenarios)
    owned_cells: int = 0  # of those, the cells where it is the latest correction
    superseded_by: set[int] = field(default_factory=set)  # rows of later corrections that took cells
    #: (from, to) -> cells, counted in its own scenario (or today's climate when it applies to all)
    transitions: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.covered_cells == 0:
            return OUTSIDE
        if self.owned_cells == 0:
            return SUPERSEDED
        if self.owned_cells < self.covered_cells:
            return PARTLY_SUPERSEDED
        return ACTIVE

    @property
    def changed_cells(self) -> int:
        return sum(n for (a, b), n in self.transitions.items() if a != b)


@dataclass
class Corrected:
    """The severities of one scenario after the corrections, and which cells an expert looked at."""

    stack: np.ndarray  # uint8 (4, rows, cols)
    checked: np.ndarray  # bool: a correction (any action) is in force in the cell for at least one theme


def apply_corrections(stack: np.ndarray, corrections: Sequence[Correction], masks: Sequence[np.ndarray],
                      scenario_id: str, effects: Mapping[int, CorrectionEffect] | None = None) -> Corrected:
    """Apply ``corrections`` (in date order, with their ``masks``) to a severity stack of ``scenario_id``.

    ``effects`` (row -> :class:`CorrectionEffect`) is updated with the cells each
    correction covers and owns and, in the correction's own scenario (today's
    climate when it applies to every scenario), the class changes.
    """
    out = np.array(stack, dtype=np.uint8, copy=True)
    checked = np.zeros(out.shape[1:], dtype=bool)
    inside = ~(out == SEVERITY_NODATA).any(axis=0)
    for t, theme in enumerate(THEMES):
        applicable = [k for k, c in enumerate(corrections) if c.applies_to(theme, scenario_id)]
        if not applicable:
            continue
        owner = np.full(out.shape[1:], -1, dtype=np.int32)
        for k in applicable:
            owner[masks[k] & inside] = k
        computed = stack[t]
        for k in applicable:
            c = corrections[k]
            covered = masks[k] & inside
            own = owner == k
            if effects is not None:
                e = effects[c.row]
                e.covered_cells += int(covered.sum())
                e.owned_cells += int(own.sum())
                later = np.unique(owner[covered & ~own])
                e.superseded_by.update(corrections[int(j)].row for j in later if j >= 0)
            if not own.any():
                continue
            before = computed[own]
            after = apply_action(before, c.action, c.level)
            out[t][own] = after
            checked |= own
            if effects is not None and (c.scenario or CURRENT) == scenario_id:
                pairs = before.astype(np.int32) * 4 + after.astype(np.int32)
                for code, n in zip(*np.unique(pairs, return_counts=True), strict=True):
                    key = (int(code) // 4, int(code) % 4)
                    effects[c.row].transitions[key] = effects[c.row].transitions.get(key, 0) + int(n)
    return Corrected(stack=out, checked=checked)


def transitions_text(transitions: Mapping[tuple[int, int], int], cell_area_m2: float, decimal: str = ".") -> str:
    """``"2→3: 1.2 ha; 1→2: 0.4 ha"``: the class changes, largest first (unchanged cells left out)."""
    items = sorted(((n, a, b) for (a, b), n in transitions.items() if a != b), reverse=True)
    parts = []
    for n, a, b in items:
        ha = f"{n * cell_area_m2 / 10_000.0:.2f}".replace(".", decimal)
        parts.append(f"{a}→{b}: {ha} ha")
    return "; ".join(parts)
