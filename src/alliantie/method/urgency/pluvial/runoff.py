"""Runoff of a cloudburst per cell: rain minus infiltration (unpaved part) and sewer capacity (paved part).

Rules as pure numpy on class rasters; the numbers come from the knowledge file
``infiltration.toml`` (land-use groups as in ``lgn_classes.toml``, main soil
classes as in ``soil_classes.toml``)::

    runoff = paved * max(rain - sewer, 0) + (1 - paved) * max(rain - infiltration, 0)
    runoff = max(runoff - extra_storage, 0)

``sewer`` is the sewer capacity as an intensity (mm/h) times the event's
duration for sewered land use, and 0 elsewhere (the paved part of unsewered
land runs off entirely). ``extra_storage`` is the storage of measures (mm over
every land cell; parameter ``extra_storage_mm``). Water cells give no runoff:
their rain joins the water system.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alliantie.knowledge.land_use import LgnClasses
from alliantie.knowledge.soil_classes import SoilClasses
from alliantie.method.urgency.pluvial.knowledge import InfiltrationKnowledge


@dataclass(frozen=True)
class RunoffTables:
    """Per-code lookup tables (index = LGN code or main soil code, 0..255)."""

    paved: np.ndarray  # float32, paved share per LGN code
    sewer_mm_h: np.ndarray  # float32, sewer capacity per LGN code, mm/h (0 where unsewered)
    water: np.ndarray  # bool, LGN codes of open water
    infiltration_mm: np.ndarray  # float32, per main soil code
    default_infiltration_mm: float


def runoff_tables(
    infiltration: InfiltrationKnowledge, lgn: LgnClasses, soil_classes: SoilClasses | None = None
) -> RunoffTables:
    """Lookup tables from the knowledge files ``infiltration``, ``lgn_classes`` and ``soil_classes``."""
    groups = {row.group: row for row in infiltration.landuse}
    sewer = infiltration.sewer.capacity_mm_per_h
    paved = np.zeros(256, dtype=np.float32)
    sewer_mm_h = np.zeros(256, dtype=np.float32)
    water = np.zeros(256, dtype=bool)
    for row in lgn.classes:
        code, group = row.code, row.group
        if group not in groups:
            raise ValueError(f"infiltration.toml: no [[landuse]] entry for group {group!r} (LGN {code})")
        entry = groups[group]
        paved[code] = entry.paved_share
        sewer_mm_h[code] = sewer if entry.sewered else 0.0
        water[code] = entry.water
    by_main = {row.main: row.infiltration_mm for row in infiltration.soil}
    infil = np.zeros(256, dtype=np.float32)
    # soil code 0 (no soil polygon) gets the smallest land infiltration: a cautious default
    land = [v for k, v in by_main.items() if k != "water"] or [0.0]
    default = float(min(land))
    infil[:] = default
    if soil_classes is not None:
        for main in soil_classes.main:
            infil[main.code] = by_main.get(main.id, default)
    return RunoffTables(paved, sewer_mm_h, water, infil, default)


def runoff_mm(
    rain_mm: float, duration_h: float, landuse: np.ndarray, soil_main: np.ndarray | None, tables: RunoffTables,
    *, extra_storage_mm: float = 0.0,
) -> np.ndarray:
    """Runoff depth (mm, float32) per cell for ``rain_mm`` in ``duration_h`` hours on LGN codes and main soil codes.

    Cells with LGN code 0 (no data) are treated as unpaved; ``soil_main`` None
    means the default (smallest) infiltration everywhere; ``extra_storage_mm`` is
    taken off every cell's runoff (storage measures).
    """
    lu = np.clip(landuse, 0, 255).astype(np.uint8)
    paved = tables.paved[lu]
    sewer = tables.sewer_mm_h[lu] * np.float32(duration_h)
    if soil_main is None:
        infil = np.full(lu.shape, tables.default_infiltration_mm, dtype=np.float32)
    else:
        infil = tables.infiltration_mm[np.clip(soil_main, 0, 255).astype(np.uint8)]
    rain = np.float32(rain_mm)
    out = paved * np.maximum(rain - sewer, 0) + (1 - paved) * np.maximum(rain - infil, 0)
    if extra_storage_mm > 0:
        out = np.maximum(out - np.float32(extra_storage_mm), 0)
    out[tables.water[lu]] = 0
    return out.astype(np.float32)


def water_cells(landuse: np.ndarray, tables: RunoffTables) -> np.ndarray:
    """True where the land use is open water."""
    return tables.water[np.clip(landuse, 0, 255).astype(np.uint8)]
