"""One storm through the 2-D engine, as the pluvial product and the measures' dynamic check both run it.

The pluvial product (``[parameters.pluvial] engine = "overland"``,
:mod:`alliantie.method.urgency.pluvial.analysis`) runs every storm through
:func:`alliantie.hydrology.overland_flow` on the whole grid; the dynamic check
of the measure engine (:mod:`alliantie.measures.overland`) runs the same storm,
with the same rule, on windows around the measures. One implementation, here:

* the DEM with open water (and the DEM's nodata) as outlets and the grid edge
  open; buildings are walls (their roof rain goes to the nearest open cell);
* the rain as a design hyetograph (:func:`alliantie.climate.hyetograph.alternating_block`);
* a loss rate per cell (:func:`loss_rate_mm_h`): the capacity the screening takes
  off over the storm (sewer on the sewered paved part, infiltration on the
  unpaved part, the storage of measures), spread evenly over the storm's
  duration, in mm/h; it goes on after the rain (the sewer keeps pumping, the
  soil keeps infiltrating) and never takes more water than the cell holds;
* Manning's n of ``pluvial_overland.toml`` on every open cell;
* optionally water from outside (a window's upstream inflow), entering at given
  cells with the time shape of the hyetograph.

What it keeps of a run: the largest depth of every cell, and how long the water
stood: the number of depth snapshots (every ``output_every_s`` seconds) at or
above a depth, times that interval, plus, for water still standing at the end,
its remaining depth divided by the cell's loss rate (an estimate, at most
``drain_max_h``; see ``pluvial_overland.toml``). Durations therefore have the
resolution of the snapshots. :func:`shown_water` turns a run into what the
product saves and the damage reads: the shown depth (NaN below the display
threshold and where hidden) and the hours wet where it is shown.

Threads: grids under :data:`ONE_THREAD_BELOW` cells run with one numba thread.
The kernels run such grids on one thread anyway, but with the thread pool
started a step still waits on it: on the shared 2-core machine under load a
2-hour storm on the small demo (128 000 cells) took 629 s wall (157 s CPU) with
the default threads and 43 s (17 s CPU) with one (measured with
``NUMBA_NUM_THREADS=1``). One thread count also keeps the runs bit-for-bit
repeatable (the balance totals differed in the 15th digit between the two).
Those figures were measured while the engine's serial kernels still loaded the
parallel kernels' cached code (found and fixed in December 2026, docs/overland.md,
"Compile time"); grids this small now run the serial kernels whatever the thread
count, and the setting stays as a guard, not re-measured.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

from alliantie.climate.hyetograph import Hyetograph
from alliantie.hazards.bluespots import shown_depth
from alliantie.hazards.runoff import Surface, runoff_of_surface
from alliantie.hydrology import overland_flow

log = logging.getLogger(__name__)

#: grids with fewer cells run with one numba thread (see the module docs)
ONE_THREAD_BELOW = 200_000


@dataclass(frozen=True)
class DynamicSettings:
    """The numbers of a 2-D run (parameters and ``pluvial_overland.toml``)."""

    after_h: float  #: hours simulated after the rain
    output_every_s: float  #: seconds between depth snapshots (duration resolution)
    manning_n: float  #: s m^-1/3
    min_depth_m: float  #: a cell is wet from this depth (the product's display threshold)
    road_depth_m: float  #: a road piece is impassable for cars from this depth
    drain_max_h: float  #: longest duration given to water still standing at the end


@dataclass(frozen=True)
class Inflow:
    """Water from outside the grid: ``m3`` per cell entering at ``cells`` ((row, col) pairs) over the rain."""

    cells: np.ndarray  #: int, (n, 2) rows and columns
    m3: np.ndarray  #: float, (n,) volume per cell over the storm


@dataclass(frozen=True)
class DynamicCase:
    """What one 2-D run gives the product."""

    max_depth: np.ndarray  #: float32, largest depth (m); NaN on outlets
    wet_hours: np.ndarray  #: float32, hours at or above ``min_depth_m`` (0 where never)
    road_hours: np.ndarray  #: float32, hours at or above ``road_depth_m`` (0 where never)
    rain_m3: float
    lost_m3: float  #: infiltration, sewer and the storage of measures
    outflow_m3: float
    storage_m3: float  #: water on the grid at the end
    balance_error: float
    steps: int
    peak_mm_h: float  #: the largest intensity of the hyetograph
    inflow_m3: float = 0.0  #: water that came in from outside (:class:`Inflow`)


def _hours(series: np.ndarray, end_depth: np.ndarray, threshold: float, every_s: float,
           loss_m_h: np.ndarray, cap_h: float) -> np.ndarray:
    """Hours at or above ``threshold``: snapshots x interval, plus the drain-down of water left at the end."""
    count = np.zeros(end_depth.shape, dtype=np.float64)
    for snap in series:
        count += np.nan_to_num(snap, nan=0.0) >= threshold
    hours = count * (every_s / 3600.0)
    left = np.nan_to_num(end_depth, nan=0.0) - threshold
    still = left >= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        drain = np.where(loss_m_h > 0, left / np.where(loss_m_h > 0, loss_m_h, 1.0), cap_h)
    hours = np.where(still, hours + drain, hours)
    return np.minimum(hours, cap_h).astype(np.float32)


class DynamicEngine:
    """The fixed inputs of the 2-D runs of one product run: ground, outlets, buildings, cell size, settings."""

    def __init__(self, ground: np.ndarray, outlets: np.ndarray | None, buildings: np.ndarray, cell_size: float,
                 settings: DynamicSettings) -> None:
        dem = np.asarray(ground, dtype=np.float64).copy()
        if outlets is not None:
            dem[np.asarray(outlets, dtype=bool)] = np.nan
        self.dem = dem
        self.buildings = np.asarray(buildings, dtype=bool) & np.isfinite(dem)
        self.cell_size = float(cell_size)
        self.settings = settings

    def run(self, hyetograph: Hyetograph, loss_mm_h: np.ndarray, inflow: Inflow | None = None) -> DynamicCase:
        """One storm: the hyetograph, then ``after_h`` hours without rain, with ``loss_mm_h`` per cell.

        ``inflow``: water from outside, entering in step with the hyetograph (each block brings the share of
        the volume that its rain is of the storm's rain).
        """
        s = self.settings
        loss = np.where(np.isfinite(loss_mm_h), np.maximum(loss_mm_h, 0.0), 0.0).astype(np.float64)
        duration_s = hyetograph.duration_h * 3600.0 + s.after_h * 3600.0
        t0 = time.perf_counter()
        threads = numba.get_num_threads()
        if self.dem.size < ONE_THREAD_BELOW:
            numba.set_num_threads(1)
        try:
            result = overland_flow(
                self.dem, np.asarray(hyetograph.intensity_mm_h), rain_step_s=hyetograph.step_s,
                cell_size=self.cell_size, duration_s=duration_s, manning=s.manning_n, buildings=self.buildings,
                infiltration_mm_h=loss, output_every_s=s.output_every_s, **_inflow_args(hyetograph, inflow),
            )
        finally:
            numba.set_num_threads(threads)
        log.debug("overland: %d steps, %.1f s", result.steps, time.perf_counter() - t0)
        max_depth = np.asarray(result.max_depth, dtype=np.float64)
        end = np.asarray(result.depth, dtype=np.float64)
        series = np.asarray(result.depth_series)
        loss_m_h = loss / 1000.0
        wet = _hours(series, end, s.min_depth_m, s.output_every_s, loss_m_h, s.drain_max_h)
        road = _hours(series, end, s.road_depth_m, s.output_every_s, loss_m_h, s.drain_max_h)
        return DynamicCase(
            max_depth=max_depth.astype(np.float32), wet_hours=wet, road_hours=road,
            rain_m3=float(result.rain_m3), lost_m3=float(result.infiltrated_m3 + result.sink_m3),
            outflow_m3=float(result.outflow_m3), storage_m3=float(result.storage_m3),
            balance_error=float(result.balance_error), steps=int(result.steps),
            peak_mm_h=float(max(hyetograph.intensity_mm_h, default=0.0)),
            inflow_m3=float(result.inflow_m3),
        )


def _inflow_args(hyetograph: Hyetograph, inflow: Inflow | None) -> dict[str, Any]:
    """The keywords of :func:`overland_flow` for ``inflow``, in step with the hyetograph's blocks (m³/s)."""
    if inflow is None or not len(inflow.m3):
        return {}
    rain = np.asarray(hyetograph.intensity_mm_h, dtype=np.float64)
    share = rain / rain.sum() if rain.sum() > 0 else np.full(rain.size, 1.0 / rain.size)
    rate = share[:, None] * np.asarray(inflow.m3, dtype=np.float64)[None, :] / hyetograph.step_s
    return {"inflow_cells": [tuple(c) for c in np.asarray(inflow.cells).tolist()], "inflow_m3_s": rate,
            "inflow_step_s": hyetograph.step_s}


def loss_rate_mm_h(cells: Surface, duration_h: float, extra_storage_mm: float = 0.0) -> np.ndarray:
    """Loss rate per cell (mm/h, float64): the capacity the screening's runoff rule takes off over a storm of
    ``duration_h`` hours (sewer, infiltration, ``extra_storage_mm``), spread over that duration.

    The capacity is what a storm far larger than any capacity loses
    (:func:`~alliantie.hazards.runoff.runoff_of_surface`); open water loses all (it is an outlet anyway).
    """
    big = 1.0e4
    taken = big - runoff_of_surface(big, duration_h, cells, extra_storage_mm=extra_storage_mm).astype(np.float64)
    return np.asarray(np.clip(taken, 0.0, big) / duration_h, dtype=np.float64)


def shown_water(run: DynamicCase, min_depth_m: float, hide: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """What the product saves of a run and the damage reads: the shown largest depth (m, float32; NaN below
    ``min_depth_m`` and where ``hide``) and the hours wet (float32, 0 where the depth is not shown)."""
    shown = shown_depth(np.nan_to_num(run.max_depth, nan=0.0), min_depth_m, hide=hide)
    hours = np.where(np.isfinite(shown), run.wet_hours, np.float32(0.0)).astype(np.float32)
    return shown, hours
