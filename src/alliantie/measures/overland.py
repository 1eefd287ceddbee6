"""The dynamic check of a sketch: the 2-D overland-flow engine over the area the measures drain.

The fast and full levels rest on fill-spill-merge, a screening without time.
Here the map storm of today's climate runs through
:func:`alliantie.hydrology.overland_flow` (local-inertial, Bates et al. 2010 /
de Almeida et al. 2012) twice, without and with the measures, on a window
around them: the bounding box of the cells each measure that acts on pluvial
flooding touches (its own and its drained cells) grown by ``buffer_m`` on every
side, overlapping boxes merged into one window (:func:`windows`), each window
run on its own. Both runs use the
screening's own water balance, as ``benchmarks/compare_pluvial_engines.py``
does: the storm's rain as a block of its duration, then ``after_h`` hours
without rain, and per cell a loss rate such that the cell loses over the storm
what the screening takes off (``(rain - runoff) / duration``; with the
measures the runoff after their surface changes and their storage, so a wadi
is a cell that takes more, and the cells it drains lose what it stores);
lowered terrain lowers the DEM; open water is an outlet; buildings are walls.
Water from outside the window does not come in (its edges are open): the
difference between the two runs is the measures' effect, the absolute depths
near the edges are too low. Buildings count when their whole facade ring lies
inside a window.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alliantie.damage.pluvial import above_floor
from alliantie.hazards.bluespots import shown_depth
from alliantie.hazards.runoff import runoff_of_surface
from alliantie.hydrology.overland import overland_flow
from alliantie.measures.floodproof import floor_raise, protected
from alliantie.measures.placement import Placement
from alliantie.measures.pluvial import PluvialBaseline, StormCase, _stores, _surface, _terrain

#: The effect parameters that change pluvial flooding: only measures with one of them set the window.
PLUVIAL_PARAMETERS = frozenset({"storage_mm", "storage_m3_per_piece", "drained_area_ratio", "paved_share",
                                "infiltration_mm", "lower_terrain_m", "floor_raise_m"})


@dataclass(frozen=True)
class OverlandEffect:
    """The dynamic check of one storm in a window (rows, columns of the dossier grid)."""

    storm: str
    windows: list[tuple[int, int, int, int]]  #: row0, row1, col0, col1 of each window
    depth_before: np.ndarray  #: shown largest depth on the grid (m, NaN dry and outside the windows)
    depth_after: np.ndarray
    above_before: np.ndarray  #: bool per building counted (water above the floor)
    above_after: np.ndarray
    counted: np.ndarray  #: bool per building: its facade ring lies inside the window
    stored_m3: float  #: what the measures stored in this storm
    seconds: float

    @property
    def kept_dry(self) -> int:
        return int((self.above_before & ~self.above_after & self.counted).sum())

    @property
    def newly_wet(self) -> int:
        return int((self.above_after & ~self.above_before & self.counted).sum())

    @property
    def cells(self) -> int:
        return sum((r1 - r0) * (c1 - c0) for r0, r1, c0, c1 in self.windows)


def _box(base: PluvialBaseline, cells: np.ndarray, buffer_m: float) -> tuple[int, int, int, int]:
    w = base.grid.width
    pad = math.ceil(buffer_m / base.grid.res)
    rows, cols = cells // w, cells % w
    return (max(int(rows.min()) - pad, 0), min(int(rows.max()) + pad + 1, base.grid.height),
            max(int(cols.min()) - pad, 0), min(int(cols.max()) + pad + 1, w))


def windows(base: PluvialBaseline, groups: Sequence[np.ndarray], buffer_m: float) -> list[tuple[int, int, int, int]]:
    """One window per cluster of measures: each group's cells boxed and grown by ``buffer_m``, overlapping boxes
    merged (so a brook restoration far from town gets its own window, not one box over both)."""
    boxes = [_box(base, g, buffer_m) for g in groups if g.size]
    merged = True
    while merged:
        merged = False
        out: list[tuple[int, int, int, int]] = []
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


def overland_effect(base: PluvialBaseline, placements: Sequence[Placement], *, scenario: str = "current",
                    buffer_m: float = 400.0, after_h: float = 1.0, manning: float = 0.03) -> OverlandEffect | None:
    """The map storm of ``scenario`` without and with ``placements`` through the 2-D engine (None: no storm or
    no measure on the grid)."""
    case = base.shown_case(scenario)
    placements = [p for p in placements if p.cells.size and PLUVIAL_PARAMETERS & p.params.keys()]
    touched = [p.cells for p in placements]
    if case is None or not touched:
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
    hours = case.duration_h
    floor = base.buildings.floor_level_m
    raising = floor_raise(base.buildings.count, placements)
    depth: dict[str, np.ndarray] = {}
    above: dict[str, np.ndarray] = {}
    stored = 0.0
    for name, measures in (("before", ()), ("after", placements)):
        loss, taken = _loss_mm_h(base, case, measures)
        if name == "after":
            stored = taken
        dem_all = np.where(outlets, np.nan, grounds[name])
        shown = np.full(base.grid.shape, np.nan, dtype=np.float32)
        for r0, r1, c0, c1 in boxes:
            win = (slice(r0, r1), slice(c0, c1))
            result = overland_flow(dem_all[win], [case.rain_mm / hours], rain_step_s=hours * 3600.0,
                                   cell_size=base.grid.res, duration_s=(hours + after_h) * 3600.0, manning=manning,
                                   buildings=ids[win] > 0, infiltration_mm_h=loss[win])
            shown[win] = shown_depth(np.asarray(result.max_depth, dtype=np.float32), base.min_depth_m,
                                     hide=base.hide[win])
        depth[name] = shown
        water = above_floor(shown, grounds[name], base.buildings.ring, floor)
        if name == "after" and raising is not None:
            water = protected(water, floor, base.footprint_ground, *raising)
        above[name] = np.isfinite(water) & (water > 0)
    ring = base.buildings.ring
    rows, cols = ring.cells // base.grid.width, ring.cells % base.grid.width
    inside = np.zeros(ring.cells.shape, dtype=bool)
    for r0, r1, c0, c1 in boxes:
        inside |= (rows >= r0) & (rows < r1) & (cols >= c0) & (cols < c1)
    spoiled = np.zeros(ring.count + 1, dtype=bool)
    spoiled[ring.owners[~inside]] = True
    counted = ~spoiled[1:]
    return OverlandEffect(storm=case.id, windows=boxes, depth_before=depth["before"],
                          depth_after=depth["after"], above_before=above["before"] & counted,
                          above_after=above["after"] & counted, counted=counted, stored_m3=stored,
                          seconds=time.perf_counter() - started)
