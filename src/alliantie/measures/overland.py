"""The dynamic check of a sketch: the 2-D overland-flow engine over the area the measures drain.

The fast and full levels rest on fill-spill-merge, a screening without time.
Here storms of today's climate (the map storm, or the return periods asked for)
run through the pluvial product's 2-D engine twice, without and with the
measures, on a window around them: the bounding box of the cells each measure
that acts on pluvial flooding touches (its own and its drained cells) grown by
``buffer_m`` on every side, overlapping boxes merged into one window
(:func:`windows`), each window run on its own.

**The product's rule** (:mod:`alliantie.measures.overland_water`): each window
runs as ``[parameters.pluvial] engine = "overland"`` runs the whole grid (the
design hyetograph, the loss rates of the runoff rule, the settings of
``pluvial_overland.toml``; :mod:`alliantie.hazards.overland_storm`), and its
water is counted and valued as the damage product values the 2-D water: above
the floor where the largest facade depth exceeds the threshold height, land use
with each cell's hours wet, roads impassable by depth and duration. With the
measures the loss rates follow their surface changes and storage (a wadi is a
cell that takes more, and the cells it drains lose what it stores); lowered
terrain lowers the DEM; thresholds act on the floors.

**Upstream inflow** (:mod:`alliantie.measures.upstream`): the water that flows into a
window from outside comes in on the window's edge cells, in step with the
hyetograph. The volume is the screening's: D8 flow directions on the filled
fill-spill-merge DEM of the whole grid carry, from every cell outside the
window, its runoff minus the water fill-spill-merge leaves at rest on it (so a
depression upstream keeps what it holds); the window's cells stop the flow. Over
the last stretch before the window (the measure catalogue's ``[dynamic_check]
upstream_spread_band_m``, :attr:`~alliantie.measures.pluvial.DynamicInputs.spread_band_m`)
the water spreads by multiple flow directions, so it enters over the edge cells its upstream area drains
through, not at a few D8 points. The same inflow
enters both runs (the measures lie inside the window). Water that leaves a
window over its open edge does not come back. Buildings count when their whole
facade ring lies inside a window.

**Several storms** (``return_periods``): each storm of today's series with one
of those return periods runs without and with the measures; the damage inside
the windows gives an expected annual damage before and after with the damage
product's rule (:func:`~alliantie.damage.risk.expected_annual_damage`) over
those storms: the *dynamic estimate* of the avoided damage (only the windows'
damage and the storms run, so its "before" is not the product's EAD; the
difference is the measures' effect).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from alliantie.damage.risk import DEFAULT_RULE, Rule, expected_annual_damage
from alliantie.hazards.runoff import runoff_of_surface
from alliantie.measures.floodproof import floor_raise
from alliantie.measures.overland_water import (
    BeforeCache,
    Box,
    Water,
    dynamic_inputs,
    loss_with_measures,
    value_water,
    window_water,
)
from alliantie.measures.placement import Placement
from alliantie.measures.pluvial import PluvialBaseline, StormCase, _stores, _surface, _terrain, route_case
from alliantie.measures.upstream import UpstreamWater, d8_of, filled_of, upstream_inflow

__all__ = ["BeforeCache", "Box", "Cancelled", "OverlandEffect", "StormRuns", "d8_of", "moving_water",
           "overland_effect", "upstream_inflow", "windows"]

#: The effect parameters that change pluvial flooding: only measures with one of them set the window.
PLUVIAL_PARAMETERS = frozenset({"storage_mm", "storage_m3_per_piece", "drained_area_ratio", "paved_share",
                                "infiltration_mm", "lower_terrain_m", "floor_raise_m"})

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
    facade_before: np.ndarray | None = None  #: bool per building counted (water at the facade)
    facade_after: np.ndarray | None = None
    roads_impassable_before_m: float = 0.0  #: road length in the windows impassable by depth and duration
    roads_impassable_after_m: float = 0.0


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
    rule: Rule = DEFAULT_RULE  #: the damage product's integration rule of the EAD

    @property
    def main(self) -> StormRuns | None:
        """The runs of ``storm``."""
        return next((s for s in self.storms if s.storm == self.storm), None)

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
        before = float(expected_annual_damage([s.damage_before[amount] for s in runs], rps, self.rule))
        after = float(expected_annual_damage([s.damage_after[amount] for s in runs], rps, self.rule))
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


def overland_effect(base: PluvialBaseline, placements: Sequence[Placement], *, scenario: str = "current",
                    buffer_m: float = 400.0, return_periods: Sequence[float] | None = None, upstream: bool = True,
                    should_stop: Callable[[], bool] | None = None, before_cache: BeforeCache | None = None,
                    boxes: Sequence[Box] | None = None, spread_m: float | None = None,
                    previous: OverlandEffect | None = None) -> OverlandEffect | None:
    """Storms of ``scenario`` without and with ``placements`` through the 2-D engine (None: no storm, or no
    measure on the grid and no ``boxes``).

    ``return_periods``: the storms of the series to run (default: the map storm only); with two or more the
    effect has a dynamic EAD (:meth:`OverlandEffect.ead`). ``upstream``: water from outside comes in over the
    windows' edges (:func:`~alliantie.measures.upstream.upstream_inflow`), spread by multiple flow directions
    over the last ``spread_m`` before a window (None: the catalogue's ``upstream_spread_band_m``,
    ``base.dynamic.spread_band_m``; 0: at the D8 points). ``should_stop`` is asked before every run;
    True raises :class:`Cancelled`. ``before_cache`` keeps the runs without measures between calls. ``boxes``:
    the windows to run instead of those around the measures (a window over the whole grid gives the product's
    2-D water). ``previous``: an effect of the same ``placements`` and settings (the map storm, run first so
    the workshop shows it early); its storms are taken over where its windows are these, not run again.
    The 2-D engine's settings are the pluvial product's (``base.dynamic``).
    """
    dyn = dynamic_inputs(base)
    if spread_m is None:
        spread_m = dyn.spread_band_m
    shown = base.shown_case(scenario)
    if return_periods is None:
        cases = [shown] if shown is not None else []
    else:
        wanted = {float(t) for t in return_periods}
        cases = [c for c in base.series(scenario) if c.return_period is not None and float(c.return_period) in wanted]
    placements = [p for p in placements if p.cells.size and PLUVIAL_PARAMETERS & p.params.keys()]
    if not cases or not (placements or boxes):
        return None
    started = time.perf_counter()
    if boxes is None:
        cells = _surface(base, placements)
        stores = _stores(base, placements, np.asarray(cells.paved).reshape(-1))
        groups = [p.cells for p in placements]
        for store in stores:
            groups[store.placement] = np.concatenate([groups[store.placement], store.drained])
        boxes = windows(base, groups, buffer_m)
    boxes = list(boxes)
    ids = base.buildings.ids
    terrain = _terrain(base, placements)
    grounds = {"before": base.ground, "after": base.ground if terrain is None else terrain[1]}
    outlets = np.isnan(base.model_dem)
    raising = {"before": None, "after": floor_raise(base.buildings.count, placements)}
    counted = _counted(base, boxes)
    in_windows = np.zeros(base.grid.shape, dtype=bool)
    for r0, r1, c0, c1 in boxes:
        in_windows[r0:r1, c0:c1] = True
    valued = {"before": base.area & in_windows, "after": base.area & in_windows}
    basins = [p.ground_cells for p in placements if p.params.get("lower_terrain_m", 0.0) > 0]
    held = None
    if basins:  # as the screening: a water square or pond is meant to hold water
        valued["after"] = valued["after"].copy()
        valued["after"].reshape(-1)[np.concatenate(basins)] = False
        # its footprint blocks no road, in either run (the comparison is over the same road pieces)
        held = np.zeros(base.grid.shape, dtype=bool)
        held.reshape(-1)[np.concatenate(basins)] = True
    if upstream and (base._d8 is None or base._filled is None):
        base._filled = filled_of(base.model_dem)
        base._d8 = d8_of(base.model_dem, base._filled)
    directions = base._d8 if upstream else None
    band = math.ceil(spread_m / base.grid.res) if spread_m > 0 else 0
    done = {r.storm: r for r in previous.storms} if previous is not None and previous.windows == boxes else {}
    runs: list[StormRuns] = [done[c.id] for c in cases if c.id in done]
    for case in (c for c in cases if c.id not in done):
        inflows: dict[Box, UpstreamWater] = {}
        if directions is not None:
            moving = moving_water(base, case)
            for box in boxes:
                r0, r1, c0, c1 = box
                open_cells = (ids[r0:r1, c0:c1] == 0) & ~outlets[r0:r1, c0:c1]
                inflows[box] = upstream_inflow(directions, moving, box, open_cells, filled=base._filled,
                                               band_cells=band)
        water: dict[str, Water] = {}
        stored, inflow_total, balance = 0.0, 0.0, 0.0
        for name, measures in (("before", ()), ("after", placements)):
            loss, taken = loss_with_measures(base, case, measures)
            if name == "after":
                stored = taken
            depth = np.full(base.grid.shape, np.nan, dtype=np.float32)
            hours = np.zeros(base.grid.shape, dtype=np.float32)
            road_hours = np.zeros(base.grid.shape, dtype=np.float32)
            for box in boxes:
                r0, r1, c0, c1 = box
                inflow = inflows.get(box)
                key = (box, case.id, dyn.settings, upstream, spread_m,
                       0.0 if inflow is None else float(inflow.m3.sum()))
                run = before_cache.get(key) if name == "before" and before_cache is not None else None
                if run is None:
                    if should_stop is not None and should_stop():
                        raise Cancelled
                    run = window_water(base, case, box, grounds[name], loss, inflow)
                    if name == "before" and before_cache is not None:
                        before_cache[key] = run
                depth[r0:r1, c0:c1] = run.depth
                hours[r0:r1, c0:c1] = run.hours
                road_hours[r0:r1, c0:c1] = run.road_hours
                balance = max(balance, run.balance_error)
                if name == "before" and inflow is not None:
                    inflow_total += float(inflow.m3.sum())
            water[name] = value_water(base, case, depth, hours, road_hours, grounds[name], counted, valued[name],
                                      in_windows, raising[name], held)
        before, after = water["before"], water["after"]
        runs.append(StormRuns(storm=case.id, return_period=case.return_period, depth_before=before.depth,
                              depth_after=after.depth, above_before=before.above, above_after=after.above,
                              stored_m3=stored, inflow_m3=inflow_total, damage_before=before.damage,
                              damage_after=after.damage, balance_error=balance, facade_before=before.facade,
                              facade_after=after.facade, roads_impassable_before_m=before.roads_impassable_m,
                              roads_impassable_after_m=after.roads_impassable_m))
    order = {c.id: i for i, c in enumerate(cases)}
    runs.sort(key=lambda r: order[r.storm])  # the series' order, whichever storms were taken over
    main = next((r for r in runs if shown is not None and r.storm == shown.id), runs[0])
    return OverlandEffect(storm=main.storm, windows=boxes, depth_before=main.depth_before,
                          depth_after=main.depth_after, above_before=main.above_before,
                          above_after=main.above_after, counted=counted, stored_m3=main.stored_m3,
                          seconds=time.perf_counter() - started, inflow_m3=main.inflow_m3, storms=runs,
                          rule=base.rule)


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
