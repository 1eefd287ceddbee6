"""The dynamic check's water: one storm in one window through the pluvial product's 2-D engine, and what it does.

:func:`window_water` runs a storm on a window exactly as the pluvial product
runs it on the whole grid (:class:`~alliantie.hazards.overland_storm.DynamicEngine`:
the design hyetograph, the loss rates of the runoff rule, open water an outlet,
buildings walls, the same settings) and keeps what the product saves: the shown
largest depth, the hours wet and the hours over the road depth
(:func:`~alliantie.hazards.overland_storm.shown_water`). :func:`value_water` counts
and values that water with the damage product's rule for moving water
(:func:`~alliantie.damage.pluvial.above_floor_by_depth`, land use with each
cell's duration), so a window that covers the grid without measures gives the
product's 2-D damage of that storm. :func:`loss_with_measures` is the loss rate
with the measures' surface changes and storage.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass

import numpy as np

from alliantie.damage.depth_damage import AMOUNTS
from alliantie.damage.pluvial import above_floor_by_depth, case_damage
from alliantie.hazards.bluespots import footprint_ground
from alliantie.hazards.overland_storm import DynamicEngine, Inflow, loss_rate_mm_h, shown_water
from alliantie.hazards.runoff import runoff_of_surface
from alliantie.measures.floodproof import protected
from alliantie.measures.placement import Placement
from alliantie.measures.pluvial import DynamicInputs, PluvialBaseline, StormCase, _stores, _surface, facade_wet

#: A window: first row, end row, first column, end column on the dossier grid.
Box = tuple[int, int, int, int]


def loss_with_measures(base: PluvialBaseline, case: StormCase,
                       placements: Sequence[Placement]) -> tuple[np.ndarray, float]:
    """Per-cell loss rate (mm/h) of the storm with ``placements``, and what their storage takes (m³).

    The pluvial product's rule (:func:`~alliantie.hazards.overland_storm.loss_rate_mm_h`) on the surface with the
    measures' changes; a measure's storage adds, over the storm's duration, what it takes of the runoff of its
    drained cells (in proportion to each cell's runoff, as the screening takes it:
    :func:`~alliantie.measures.pluvial.route_case`).
    """
    cells = _surface(base, placements)
    loss = loss_rate_mm_h(cells, case.duration_h, base.extra_storage_mm).reshape(-1)
    stores = _stores(base, placements, np.asarray(cells.paved).reshape(-1))
    if not stores:
        return loss.reshape(base.grid.shape), 0.0
    runoff = runoff_of_surface(case.rain_mm, case.duration_h, cells, extra_storage_mm=base.extra_storage_mm)
    flat = runoff.astype(np.float64).reshape(-1) / 1000.0
    flat[np.isnan(base.model_dem.reshape(-1))] = 0.0
    stored = 0.0
    for store in stores:
        local = flat[store.drained]
        available = float(local.sum()) * base.grid.cell_area
        if available <= 0:
            continue
        take = min(store.capacity(case.duration_h), available)
        share = take / available
        flat[store.drained] = local * (1.0 - share)
        loss[store.drained] += local * share * 1000.0 / case.duration_h
        stored += take
    return loss.reshape(base.grid.shape), stored



@dataclass(frozen=True)
class WindowWater:
    """What a 2-D run in a window leaves for the damage: shown largest depth, hours wet, hours over the road depth."""

    depth: np.ndarray  #: float32 m, NaN below the display depth and on hidden cells
    hours: np.ndarray  #: float32 h at or above the display depth (0 where the depth is not shown)
    road_hours: np.ndarray  #: float32 h at or above the road depth (0 on hidden cells)
    balance_error: float  #: the run's relative water-balance residual (absolute value)


#: Cached runs without measures, per (window, storm, inflow, engine settings): an edit that keeps a window
#: reuses its "before" run. Filled by :func:`overland_effect` when given a mapping.
BeforeCache = MutableMapping[tuple[object, ...], WindowWater]


def window_water(base: PluvialBaseline, case: StormCase, box: Box, ground: np.ndarray, loss_mm_h: np.ndarray,
                 inflow: Inflow | None = None) -> WindowWater:
    """One storm in one window, as the pluvial product's 2-D engine runs it on the whole grid
    (:class:`~alliantie.hazards.overland_storm.DynamicEngine`): the storm's hyetograph, ``after_h`` hours
    without rain, ``loss_mm_h`` per cell, open water an outlet, buildings walls; ``ground`` the grid's ground
    level (m NAP, with the measures' terrain), ``inflow`` the water from upstream (cells of the window)."""
    dyn = dynamic_inputs(base)
    r0, r1, c0, c1 = box
    win = (slice(r0, r1), slice(c0, c1))
    engine = DynamicEngine(ground[win], np.isnan(base.model_dem[win]), base.buildings.ids[win] > 0, base.grid.res,
                           dyn.settings)
    run = engine.run(dyn.hyetographs[case.id], loss_mm_h[win], inflow)
    depth, hours = shown_water(run, base.min_depth_m, base.hide[win])
    road = np.where(base.hide[win], np.float32(0.0), run.road_hours).astype(np.float32)
    return WindowWater(depth, hours, road, abs(run.balance_error))


def dynamic_inputs(base: PluvialBaseline) -> DynamicInputs:
    if base.dynamic is None:
        raise ValueError("the dynamic check needs the 2-D engine's inputs (PluvialBaseline.dynamic)")
    return base.dynamic


@dataclass(frozen=True)
class Water:
    """One storm on the windows of the grid (one side of the comparison) and what it does."""

    depth: np.ndarray  #: shown largest depth on the grid (m, NaN dry and outside the windows)
    above: np.ndarray  #: bool per building counted: water above the floor
    facade: np.ndarray  #: bool per building counted: water at the facade (deeper than the display depth)
    roads_impassable_m: float  #: road pieces inside the windows impassable by depth and duration (m)
    damage: dict[str, float]  #: amount level -> damage inside the windows (EUR)
    above_floor_m: np.ndarray  #: water above the floor per building counted (m, NaN dry or not counted)


def value_water(base: PluvialBaseline, case: StormCase, depth: np.ndarray, hours: np.ndarray,
                road_hours: np.ndarray, ground: np.ndarray, counted: np.ndarray, valued: np.ndarray,
                in_windows: np.ndarray, raising: tuple[np.ndarray, np.ndarray] | None = None,
                held: np.ndarray | None = None) -> Water:
    """Buildings, roads and damage of one storm's 2-D water with the damage product's rule for moving water.

    Buildings: water above the floor where the largest facade depth exceeds the threshold height
    (:func:`~alliantie.damage.pluvial.above_floor_by_depth`, the floor level minus the lowest ``ground`` around
    the footprint), behind thresholds ``raising`` (:func:`~alliantie.measures.floodproof.protected`); water at
    the facade as step 1 counts it. Land use valued with each cell's hours wet (the WSS duration factors,
    :func:`~alliantie.damage.pluvial.case_damage` with ``hours``) on ``valued`` cells; buildings only where
    ``counted``. Roads: a piece (all three sample cells ``in_windows``) is impassable where the water
    stood at or above the road depth for at least the knowledge's hours (as ``overland.json`` counts them);
    ``held`` (bool per cell): the footprint of measures meant to hold water (a water square, a pond), whose
    water blocks no road: a piece counts by its sample cells outside it (a piece wholly on it not at all).
    """
    dyn = dynamic_inputs(base)
    b = base.buildings
    lowest = base.footprint_ground if ground is base.ground else footprint_ground(b.ids, b.count, ground)
    water = above_floor_by_depth(depth, b.ring, lowest, b.floor_level_m)
    if raising is not None:
        water = protected(water, b.floor_level_m, lowest, *raising)
    water = np.where(counted, water, np.nan)
    facade = (facade_wet(depth.reshape(-1)[b.ring.cells], b.ring, base.min_depth_m) & counted
              if b.count else np.zeros(0, dtype=bool))
    dmg = case_damage(case.event, case.scenario, case.return_period or 0.0, depth, base.landuse, base.land_coef,
                      base.grid.cell_area, water_above_floor=water, building_class=b.wss_class,
                      floor_area_m2=b.floor_area_m2, building_coef=base.building_coef, area=valued, hours=hours,
                      land_by_duration=dyn.land_by_duration)
    roads = 0.0
    cells = base.road_cells
    if cells is not None and base.road_length_m is not None and cells.size:
        flat = np.maximum(cells, 0)
        inside = ((cells >= 0) & in_windows.reshape(-1)[flat]).all(axis=1)
        sampled = cells >= 0
        if held is not None:
            sampled &= ~held.reshape(-1)[flat]
        piece_hours = np.where(sampled, road_hours.reshape(-1)[flat], 0.0).max(axis=1)
        out = inside & (piece_hours > 0) & (piece_hours >= dyn.road_min_hours)
        roads = float(base.road_length_m[out].sum())
    return Water(depth=depth, above=np.isfinite(water) & (water > 0), facade=facade, roads_impassable_m=roads,
                 damage={str(a): dmg.total(str(a)) for a in AMOUNTS}, above_floor_m=water)
