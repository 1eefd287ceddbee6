"""Runoff of a cloudburst per cell: rain minus infiltration (unpaved part) and sewer capacity (paved part).

Pure numpy on per-cell surface properties::

    runoff = paved * max(rain - sewer, 0) + (1 - paved) * max(rain - infiltration, 0)
    runoff = max(runoff - extra_storage, 0)

``sewer`` is the sewer capacity as an intensity (mm/h) times the event's
duration for sewered land use, and 0 elsewhere (the paved part of unsewered
land runs off entirely). ``extra_storage`` is storage of measures spread over
every land cell. Water cells give no runoff: their rain joins the water system.

:class:`RunoffTables` holds the per-code lookup (land-use code, main soil code);
:func:`surface` turns class rasters into a :class:`Surface` (the per-cell
properties), which the effect engine of :mod:`alliantie.measures` changes where
a measure lies; :func:`runoff_of_surface` is the rule itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True)
class RunoffTables:
    """Per-code lookup tables (index = LGN code or main soil code, 0..255)."""

    paved: np.ndarray  # float32, paved share per LGN code
    sewer_mm_h: np.ndarray  # float32, sewer capacity per LGN code, mm/h (0 where unsewered)
    water: np.ndarray  # bool, LGN codes of open water
    infiltration_mm: np.ndarray  # float32, per main soil code
    default_infiltration_mm: float


@dataclass(frozen=True)
class Surface:
    """What the runoff rule reads per cell (all arrays of the grid's shape)."""

    paved: np.ndarray  #: float32, paved share 0-1
    sewer_mm_h: np.ndarray  #: float32, sewer capacity of the paved part (mm/h; 0 unsewered)
    infiltration_mm: np.ndarray  #: float32, infiltration of the unpaved part during the event (mm)
    water: np.ndarray  #: bool, open water (no runoff)

    def with_changes(self, **arrays: np.ndarray) -> Surface:
        """A copy with some arrays replaced."""
        return replace(self, **arrays)


def surface(landuse: np.ndarray, soil_main: np.ndarray | None, tables: RunoffTables) -> Surface:
    """The per-cell properties of LGN codes and main soil codes (code 0 / None: the cautious defaults)."""
    lu = np.clip(landuse, 0, 255).astype(np.uint8)
    if soil_main is None:
        infil = np.full(lu.shape, tables.default_infiltration_mm, dtype=np.float32)
    else:
        infil = tables.infiltration_mm[np.clip(soil_main, 0, 255).astype(np.uint8)]
    return Surface(paved=tables.paved[lu], sewer_mm_h=tables.sewer_mm_h[lu], infiltration_mm=infil,
                   water=tables.water[lu])


def runoff_of_surface(rain_mm: float, duration_h: float, cells: Surface, *,
                      extra_storage_mm: float = 0.0) -> np.ndarray:
    """Runoff depth (mm, float32) per cell for ``rain_mm`` in ``duration_h`` hours on ``cells``."""
    rain = np.float32(rain_mm)
    sewer = cells.sewer_mm_h * np.float32(duration_h)
    paved = cells.paved
    out = paved * np.maximum(rain - sewer, 0) + (1 - paved) * np.maximum(rain - cells.infiltration_mm, 0)
    if extra_storage_mm > 0:
        out = np.maximum(out - np.float32(extra_storage_mm), 0)
    out = np.asarray(out, dtype=np.float32)
    out[cells.water] = 0
    return out


def runoff_mm(
    rain_mm: float, duration_h: float, landuse: np.ndarray, soil_main: np.ndarray | None, tables: RunoffTables,
    *, extra_storage_mm: float = 0.0,
) -> np.ndarray:
    """Runoff depth (mm, float32) per cell for ``rain_mm`` in ``duration_h`` hours on LGN codes and main soil codes.

    Cells with LGN code 0 (no data) are treated as unpaved; ``soil_main`` None
    means the default (smallest) infiltration everywhere; ``extra_storage_mm`` is
    taken off every cell's runoff (storage measures).
    """
    return runoff_of_surface(rain_mm, duration_h, surface(landuse, soil_main, tables),
                             extra_storage_mm=extra_storage_mm)


def water_cells(landuse: np.ndarray, tables: RunoffTables) -> np.ndarray:
    """True where the land use is open water."""
    return tables.water[np.clip(landuse, 0, 255).astype(np.uint8)]
