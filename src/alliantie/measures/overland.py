"""The dynamic check of a sketch: the 2-D overland-flow engine over the area the measures drain.

The fast and full levels rest on fill-spill-merge, a screening without time.
Here storms of today's climate (the map storm, or the return periods asked for)
run through :func:`alliantie.hydrology.overland_flow` (local-inertial, Bates et
al. 2010 / de Almeida et al. 2012) twice, without and with the measures, on a
window around them: the bounding box of the cells each measure that acts on
pluvial flooding touches (its own and its drained cells) grown by ``buffer_m``
on every side, overlapping boxes merged into one window (:func:`windows`), each
window run on its own. Both runs use the screening's own water balance, as
``benchmarks/compare_pluvial_engines.py`` does: the storm's rain as a block of
its duration, then ``after_h`` hours without rain, and per cell a loss rate such
that the cell loses over the storm what the screening takes off (``(rain -
runoff) / duration``; with the measures the runoff after their surface changes
and their storage, so a wadi is a cell that takes more, and the cells it drains
lose what it stores); lowered terrain lowers the DEM; open water is an outlet;
buildings are walls.

**Upstream inflow** (:func:`upstream_inflow`): the water that flows into a
window from outside comes in as point inflows on the window's edge cells, spread
evenly over the storm's rain. The volume is the screening's: D8 flow directions
on the filled fill-spill-merge DEM of the whole grid carry, from every cell
outside the window, its runoff minus the water fill-spill-merge leaves at rest
on it (so a depression upstream keeps what it holds); the window's cells stop the
flow, and what the last outside cell passes to a window cell enters there. The
same inflow enters both runs (the measures lie inside the window). Water that
leaves a window over its open edge does not come back. Buildings count when
their whole facade ring lies inside a window.

**Several storms** (``return_periods``): each storm of today's series with one
of those return periods runs without and with the measures; the damage inside
the windows (the damage product's :func:`~alliantie.damage.pluvial.case_damage`
on the counted buildings and the windows' land) gives an expected annual damage
before and after with the damage product's rule
(:func:`~alliantie.damage.risk.expected_annual_damage`) over those storms: the
*dynamic estimate* of the avoided damage (only the windows' damage, so its
"before" is not the product's EAD; the difference is the measures' effect).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import ndimage

from alliantie.damage.depth_damage import AMOUNTS
from alliantie.damage.pluvial import above_floor, case_damage
from alliantie.damage.risk import expected_annual_damage
from alliantie.hazards.bluespots import shown_depth
from alliantie.hazards.runoff import runoff_of_surface
from alliantie.hydrology.api import fill_depressions, flow_accumulation, flow_directions
from alliantie.hydrology.overland import overland_flow
from alliantie.measures.floodproof import floor_raise, protected
from alliantie.measures.placement import Placement
from alliantie.measures.pluvial import PluvialBaseline, StormCase, _stores, _surface, _terrain, route_case

#: The effect parameters that change pluvial flooding: only measures with one of them set the window.
PLUVIAL_PARAMETERS = frozenset({"storage_mm", "storage_m3_per_piece", "drained_area_ratio", "paved_share",
                                "infiltration_mm", "lower_terrain_m", "floor_raise_m"})

#: D8 codes (ESRI) -> (row, column) step.
_D8 = {1: (0, 1), 2: (1, 1), 4: (1, 0), 8: (1, -1), 16: (0, -1), 32: (-1, -1), 64: (-1, 0), 128: (-1, 1)}

Box = tuple[int, int, int, int]


class Cancelled(Exception):
    """The dynamic check was stopped between two runs (``should_stop`` said so: the sketches changed)."""


@dataclass(frozen=True)
class StormRuns:
    """One storm in every window, without and with the measures."""

    storm: str
    return_period: float | None
    depth_before: np.ndarray  #: shown largest depth on the grid (m, NaN dry and outside the windows)
    depth_after: np.ndarray
    above_before: np.ndarray  #: bool per building counted (water above the floor)
    above_after: np.ndarray
    stored_m3: float  #: what the measures stored in this storm
    inflow_m3: float  #: water that came in from upstream over the windows' edges (each run)
    damage_before: dict[str, float]  #: amount level -> damage inside the windows (EUR)
    damage_after: dict[str, float]
    balance_error: float  #: the largest relative water-balance residual of the runs


@dataclass(frozen=True)
class OverlandEffect:
    """The dynamic check in windows (rows, columns of the dossier grid): the map storm, and every storm run."""

    storm: str  #: the map storm (or the first storm run when the map storm was not asked for)
    windows: list[Box]  #: row0, row1, col0, col1 of each window
    depth_before: np.ndarray  #: shown largest depth on the grid of ``storm`` (m, NaN dry and outside the windows)
    depth_after: np.ndarray
    above_before: np.ndarray  #: bool per building counted (water above the floor) in ``storm``
    above_after: np.ndarray
    counted: np.ndarray  #: bool per building: its facade ring lies inside the window
    stored_m3: float  #: what the measures stored in ``storm``
    seconds: float
    inflow_m3: float = 0.0  #: upstream inflow of ``storm`` into the windows
    storms: list[StormRuns] = field(default_factory=list)

    @property
    def kept_dry(self) -> int:
        return int((self.above_before & ~self.above_after & self.counted).sum())

    @property
    def newly_wet(self) -> int:
        return int((self.above_after & ~self.above_before & self.counted).sum())

    @property
    def cells(self) -> int:
        return sum((r1 - r0) * (c1 - c0) for r0, r1, c0, c1 in self.windows)

    @property
    def return_periods(self) -> list[float]:
        return [s.return_period for s in self.storms if s.return_period is not None]

    def ead(self, amount: str = "mean") -> tuple[float, float] | None:
        """Expected annual damage inside the windows before and after (EUR/year) over the storms run, with the
        damage product's rule; None with fewer than two return periods (no curve to integrate)."""
        runs = [s for s in self.storms if s.return_period is not None]
        if len({s.return_period for s in runs}) < 2:
            return None
        rps = [float(s.return_period or 0.0) for s in runs]
        before = float(expected_annual_damage([s.damage_before[amount] for s in runs], rps))
        after = float(expected_annual_damage([s.damage_after[amount] for s in runs], rps))
        return before, after

    def avoided_ead(self, amount: str = "mean") -> float | None:
        """The dynamic estimate of the avoided pluvial EAD (EUR/year); None with fewer than two storms."""
        ead = self.ead(amount)
        return None if ead is None else ead[0] - ead[1]


def _box(base: PluvialBaseline, cells: np.ndarray, buffer_m: float) -> Box:
    w = base.grid.width
    pad = math.ceil(buffer_m / base.grid.res)
    rows, cols = cells // w, cells % w
    return (max(int(rows.min()) - pad, 0), min(int(rows.max()) + pad + 1, base.grid.height),
            max(int(cols.min()) - pad, 0), min(int(cols.max()) + pad + 1, w))


def windows(base: PluvialBaseline, groups: Sequence[np.ndarray], buffer_m: float) -> list[Box]:
    """One window per cluster of measures: each group's cells boxed and grown by ``buffer_m``, overlapping boxes
    merged (so a brook restoration far from town gets its own window, not one box over both)."""
    boxes = [_box(base, g, buffer_m) for g in groups if g.size]
    merged = True
    while merged:
        merged = False
        out: list[Box] = []
        for box in boxes:
            for i, other in enumerate(out):
                if box[0] < other[1] and other[0] < box[1] and box[2] < other[3] and other[2] < box[3]:
                    out[i] = (min(box[0], other[0]), max(box[1], other[1]), min(box[2], other[2]),
                              max(box[3], other[3]))
                    merged = True
                    break
            else:
                out.append(box)
        boxes = out
    return sorted(boxes)


def d8_of(model_dem: np.ndarray) -> np.ndarray:
    """D8 flow directions (ESRI codes, 255 no data) of the filled ``model_dem`` (NaN: open water, an outlet)."""
    dem = np.asarray(model_dem, dtype=np.float64)
    return np.asarray(flow_directions(fill_depressions(dem)), dtype=np.uint8)


def upstream_inflow(directions: np.ndarray, moving_m3: np.ndarray, box: Box,
                    open_cells: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The water that flows into ``box`` from outside: ``(cells, m3)``, cells as (row, col) inside the box.

    ``directions``: D8 codes of the whole grid; ``moving_m3``: per cell the water that moves on (runoff minus
    what comes to rest there, m³; may be negative where a depression holds water); ``open_cells``: bool of the
    box, where an inflow may enter (not a building, not open water; default all). The box's cells stop the flow
    (code 0), so water is counted once, where it first reaches the window; a sum that is negative (a depression
    that holds all that reaches it) brings nothing. Inflow aimed at a closed cell enters at the nearest open
    cell; inflow into open water (code 255) joins the water system and is dropped.
    """
    r0, r1, c0, c1 = box
    codes = np.array(directions, dtype=np.uint8, copy=True)
    inside = np.zeros(codes.shape, dtype=bool)
    inside[r0:r1, c0:c1] = True
    codes[inside & (codes != 255)] = 0
    weights = np.where(inside, 0.0, np.nan_to_num(np.asarray(moving_m3, dtype=np.float64)))
    acc = np.asarray(flow_accumulation(codes, weights), dtype=np.float64)
    height, width = codes.shape
    # the ring of cells just outside the box: only they can pass water into it
    rr0, rr1, cc0, cc1 = max(r0 - 1, 0), min(r1 + 1, height), max(c0 - 1, 0), min(c1 + 1, width)
    ring = np.zeros(codes.shape, dtype=bool)
    ring[rr0:rr1, cc0:cc1] = True
    ring &= ~inside
    rows, cols = np.nonzero(ring)
    total: dict[tuple[int, int], float] = {}
    for code, (dr, dc) in _D8.items():
        pick = (directions[rows, cols] == code)
        tr, tc = rows[pick] + dr, cols[pick] + dc
        ok = (tr >= r0) & (tr < r1) & (tc >= c0) & (tc < c1)
        for r, c, v in zip(tr[ok], tc[ok], acc[rows[pick][ok], cols[pick][ok]], strict=True):
            if v > 0 and directions[r, c] != 255:
                total[(int(r) - r0, int(c) - c0)] = total.get((int(r) - r0, int(c) - c0), 0.0) + float(v)
    if not total:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    cells = np.array(list(total), dtype=np.int64)
    m3 = np.array(list(total.values()))
    if open_cells is not None and not open_cells[cells[:, 0], cells[:, 1]].all():
        if not open_cells.any():
            return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
        _, (nr, nc) = ndimage.distance_transform_edt(~open_cells, return_indices=True)
        cells = np.stack([nr[cells[:, 0], cells[:, 1]], nc[cells[:, 0], cells[:, 1]]], axis=1)
        merged: dict[tuple[int, int], float] = {}
        for (r, c), v in zip(cells.tolist(), m3.tolist(), strict=True):
            merged[(r, c)] = merged.get((r, c), 0.0) + v
        cells, m3 = np.array(list(merged), dtype=np.int64), np.array(list(merged.values()))
    return cells, m3


def _loss_mm_h(base: PluvialBaseline, case: StormCase, placements: Sequence[Placement]) -> tuple[np.ndarray, float]:
    """Per-cell loss rate (mm/h) of the storm with ``placements``, and what their storage takes (m³)."""
    cells = _surface(base, placements)
    runoff = runoff_of_surface(case.rain_mm, case.duration_h, cells, extra_storage_mm=base.extra_storage_mm)
    flat = runoff.astype(np.float64).reshape(-1) / 1000.0
    stored = 0.0
    for store in _stores(base, placements, np.asarray(cells.paved).reshape(-1)):
        local = flat[store.drained]
        available = float(local.sum()) * base.grid.cell_area
        if available <= 0:
            continue
        take = min(store.capacity(case.duration_h), available)
        flat[store.drained] = local * (1.0 - take / available)
        stored += take
    runoff_mm = flat.reshape(base.grid.shape) * 1000.0
    return np.clip(case.rain_mm - runoff_mm, 0.0, None) / case.duration_h, stored


def moving_water(base: PluvialBaseline, case: StormCase) -> np.ndarray:
    """Per cell the screening's water that moves on in ``case`` without measures (m³): runoff minus the water
    fill-spill-merge leaves at rest on the cell; 0 on open water. Kept on ``base`` per storm."""
    if case.id not in base._moving:
        base._moving[case.id] = _moving_water(base, case)
    return base._moving[case.id]


def _moving_water(base: PluvialBaseline, case: StormCase) -> np.ndarray:
    cells = _surface(base, [])
    runoff = runoff_of_surface(case.rain_mm, case.duration_h, cells, extra_storage_mm=base.extra_storage_mm)
    depth, *_ = route_case(base, case, cells, [], base.engine, 0)
    moving = (np.asarray(runoff, dtype=np.float64) / 1000.0 - np.nan_to_num(depth.astype(np.float64)))
    moving *= base.grid.cell_area
    moving[np.isnan(base.model_dem)] = 0.0
    return moving


#: Cached runs without measures, per (window, storm, inflow, engine settings): an edit that keeps a window
#: reuses its "before" run. Filled by :func:`overland_effect` when given a mapping.
BeforeCache = MutableMapping[tuple[object, ...], tuple[np.ndarray, float]]


def overland_effect(base: PluvialBaseline, placements: Sequence[Placement], *, scenario: str = "current",
                    buffer_m: float = 400.0, after_h: float = 1.0, manning: float = 0.03,
                    return_periods: Sequence[float] | None = None, upstream: bool = True,
                    should_stop: Callable[[], bool] | None = None,
                    before_cache: BeforeCache | None = None) -> OverlandEffect | None:
    """Storms of ``scenario`` without and with ``placements`` through the 2-D engine (None: no storm or no
    measure on the grid).

    ``return_periods``: the storms of the series to run (default: the map storm only); with two or more the
    effect has a dynamic EAD (:meth:`OverlandEffect.ead`). ``upstream``: water from outside comes in over the
    windows' edges (:func:`upstream_inflow`). ``should_stop`` is asked before every run; True raises
    :class:`Cancelled`. ``before_cache`` keeps the runs without measures between calls.
    """
    shown = base.shown_case(scenario)
    if return_periods is None:
        cases = [shown] if shown is not None else []
    else:
        wanted = {float(t) for t in return_periods}
        cases = [c for c in base.series(scenario) if c.return_period is not None and float(c.return_period) in wanted]
    placements = [p for p in placements if p.cells.size and PLUVIAL_PARAMETERS & p.params.keys()]
    if not cases or not placements:
        return None
    started = time.perf_counter()
    cells = _surface(base, placements)
    stores = _stores(base, placements, np.asarray(cells.paved).reshape(-1))
    groups = [p.cells for p in placements]
    for store in stores:
        groups[store.placement] = np.concatenate([groups[store.placement], store.drained])
    boxes = windows(base, groups, buffer_m)
    ids = base.buildings.ids
    terrain = _terrain(base, placements)
    grounds = {"before": np.asarray(base.ground, dtype=np.float64),
               "after": np.asarray(base.ground if terrain is None else terrain[1], dtype=np.float64)}
    outlets = np.isnan(base.model_dem)
    floor = base.buildings.floor_level_m
    raising = floor_raise(base.buildings.count, placements)
    counted = _counted(base, boxes)
    in_windows = np.zeros(base.grid.shape, dtype=bool)
    for r0, r1, c0, c1 in boxes:
        in_windows[r0:r1, c0:c1] = True
    valued = {"before": base.area & in_windows, "after": base.area & in_windows}
    basins = [p.ground_cells for p in placements if p.params.get("lower_terrain_m", 0.0) > 0]
    if basins:  # as the screening: a water square or pond is meant to hold water
        valued["after"] = valued["after"].copy()
        valued["after"].reshape(-1)[np.concatenate(basins)] = False
    if upstream and base._d8 is None:
        base._d8 = d8_of(base.model_dem)
    directions = base._d8 if upstream else None
    runs: list[StormRuns] = []
    for case in cases:
        hours = case.duration_h
        inflows: dict[Box, tuple[np.ndarray, np.ndarray]] = {}
        if directions is not None:
            moving = moving_water(base, case)
            for box in boxes:
                r0, r1, c0, c1 = box
                open_cells = (ids[r0:r1, c0:c1] == 0) & ~outlets[r0:r1, c0:c1]
                inflows[box] = upstream_inflow(directions, moving, box, open_cells)
        depth: dict[str, np.ndarray] = {}
        above: dict[str, np.ndarray] = {}
        damage: dict[str, dict[str, float]] = {}
        stored, inflow_total, balance = 0.0, 0.0, 0.0
        for name, measures in (("before", ()), ("after", placements)):
            loss, taken = _loss_mm_h(base, case, measures)
            if name == "after":
                stored = taken
            dem_all = np.where(outlets, np.nan, grounds[name])
            shown_grid = np.full(base.grid.shape, np.nan, dtype=np.float32)
            for box in boxes:
                r0, r1, c0, c1 = box
                win = (slice(r0, r1), slice(c0, c1))
                src, m3 = inflows.get(box, (np.zeros((0, 2), dtype=np.int64), np.zeros(0)))
                key = (box, case.id, buffer_m, after_h, manning, upstream, float(m3.sum()))
                if name == "before" and before_cache is not None and key in before_cache:
                    window_depth, error = before_cache[key]
                else:
                    if should_stop is not None and should_stop():
                        raise Cancelled
                    extra: dict[str, Any] = {}
                    if src.size:
                        extra = {"inflow_cells": [tuple(x) for x in src.tolist()],
                                 "inflow_m3_s": (m3 / (hours * 3600.0)).reshape(1, -1),
                                 "inflow_step_s": hours * 3600.0}
                    result = overland_flow(dem_all[win], [case.rain_mm / hours], rain_step_s=hours * 3600.0,
                                           cell_size=base.grid.res, duration_s=(hours + after_h) * 3600.0,
                                           manning=manning, buildings=ids[win] > 0, infiltration_mm_h=loss[win],
                                           **extra)
                    window_depth = shown_depth(np.asarray(result.max_depth, dtype=np.float32), base.min_depth_m,
                                               hide=base.hide[win])
                    error = abs(float(result.balance_error))
                    if name == "before" and before_cache is not None:
                        before_cache[key] = (window_depth, error)
                shown_grid[win] = window_depth
                balance = max(balance, error)
                if name == "before":
                    inflow_total += float(m3.sum())
            depth[name] = shown_grid
            water = above_floor(shown_grid, grounds[name], base.buildings.ring, floor)
            if name == "after" and raising is not None:
                water = protected(water, floor, base.footprint_ground, *raising)
            water = np.where(counted, water, np.nan)
            above[name] = np.isfinite(water) & (water > 0)
            dmg = case_damage(case.event, case.scenario, case.return_period or 0.0, shown_grid, base.landuse,
                              base.land_coef, base.grid.cell_area, water_above_floor=water,
                              building_class=base.buildings.wss_class, floor_area_m2=base.buildings.floor_area_m2,
                              building_coef=base.building_coef, area=valued[name])
            damage[name] = {str(a): dmg.total(str(a)) for a in AMOUNTS}
        runs.append(StormRuns(storm=case.id, return_period=case.return_period, depth_before=depth["before"],
                              depth_after=depth["after"], above_before=above["before"], above_after=above["after"],
                              stored_m3=stored, inflow_m3=inflow_total, damage_before=damage["before"],
                              damage_after=damage["after"], balance_error=balance))
    main = next((r for r in runs if shown is not None and r.storm == shown.id), runs[0])
    return OverlandEffect(storm=main.storm, windows=boxes, depth_before=main.depth_before,
                          depth_after=main.depth_after, above_before=main.above_before,
                          above_after=main.above_after, counted=counted, stored_m3=main.stored_m3,
                          seconds=time.perf_counter() - started, inflow_m3=main.inflow_m3, storms=runs)


def _counted(base: PluvialBaseline, boxes: Sequence[Box]) -> np.ndarray:
    """Bool per building: its whole facade ring lies inside a window."""
    ring = base.buildings.ring
    rows, cols = ring.cells // base.grid.width, ring.cells % base.grid.width
    inside = np.zeros(ring.cells.shape, dtype=bool)
    for r0, r1, c0, c1 in boxes:
        inside |= (rows >= r0) & (rows < r1) & (cols >= c0) & (cols < c1)
    spoiled = np.zeros(ring.count + 1, dtype=bool)
    spoiled[ring.owners[~inside]] = True
    return ~spoiled[1:]
