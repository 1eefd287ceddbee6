"""The fast level of the pluvial effect: the same answer as :func:`~alliantie.measures.pluvial.evaluate_pluvial`
for storage, surface and threshold measures, from the cells the measures touch only.

Per storm of the baseline the resting state of fill-spill-merge is kept (a few
arrays per depression, :class:`~alliantie.hydrology.fsm.FsmState`), with the
depth at every building's facade ring and the land-use damage. A sketch then
changes the runoff of the cells it touches (its surface cells and the drained
cells of its stores); :meth:`~alliantie.hydrology.fsm.FillSpillMerge.reroute`
routes the tree again and re-levels only the lakes whose water changed; the
land-use damage changes by the difference on the re-levelled cells, and the
buildings are valued again from their facade rings. No grid-sized array is
touched per storm.

Terrain changes (a water square, a pond) would need a new depression hierarchy:
at this level they count as storage of their area times their depth, taking the
runoff of their own cells and the nearest paved cells (``approximate`` is set;
the full level rebuilds the hierarchy).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alliantie.damage.depth_damage import AMOUNTS, object_damage
from alliantie.damage.pluvial import CaseDamage, above_floor_at, annual_damage, land_damage
from alliantie.hazards.runoff import Surface, runoff_of_surface
from alliantie.hydrology.fsm import FsmState
from alliantie.measures.floodproof import floor_raise, protected
from alliantie.measures.placement import Placement
from alliantie.measures.pluvial import (
    PluvialBaseline,
    PluvialOutcome,
    Store,
    _stores,
    _surface,
    drained_cells,
    facade_wet,
    held_road_samples,
    road_samples,
)


@dataclass(frozen=True)
class CaseState:
    """One storm of the baseline, kept for the fast level."""

    state: FsmState
    ring_depth: np.ndarray  #: shown depth at the facade ring's cells (m, NaN dry)
    land: dict[str, float]  #: land-use damage per amount level (EUR)
    road: np.ndarray | None = None  #: shown depth at the road pieces' sample cells (map storms only)


def case_states(base: PluvialBaseline) -> dict[str, CaseState]:
    """The resting state of every storm of ``base`` (computed once; about one full routing per storm)."""
    states: dict[str, CaseState] = {}
    cells = base.surface
    nodata = np.isnan(base.model_dem)
    ring = base.buildings.ring
    shown_ids = {c.id for s in base.scenarios if (c := base.shown_case(s)) is not None}
    for case in base.cases:
        runoff = runoff_of_surface(case.rain_mm, case.duration_h, cells,
                                   extra_storage_mm=base.extra_storage_mm).astype(np.float64) / 1000.0
        runoff[nodata] = 0.0
        state, depth = base.engine.state(runoff)
        shown = _shown(depth.reshape(-1), base.min_depth_m, base.hide.reshape(-1))
        land = {str(a): float(np.nansum(land_damage(shown, base.landuse, coef, base.grid.cell_area, base.area)[1]))
                for a, coef in base.land_coef.items()}
        road = road_samples(base, shown) if case.id in shown_ids else None
        states[case.id] = CaseState(state, shown[ring.cells], land, road)
    return states


def _shown(depth: np.ndarray, min_depth_m: float, hide: np.ndarray) -> np.ndarray:
    out = np.array(depth, dtype=np.float32, copy=True)
    with np.errstate(invalid="ignore"):
        out[~(out >= np.float32(min_depth_m))] = np.nan
    out[hide] = np.nan
    return out


def _basin_stores(base: PluvialBaseline, placements: Sequence[Placement], paved: np.ndarray) -> list[Store]:
    """Lowered terrain as storage (the fast level's approximation)."""
    out = []
    for i, p in enumerate(placements):
        lower = p.params.get("lower_terrain_m", 0.0)
        if lower > 0 and p.ground_cells.size:
            capacity = lower * p.ground_cells.size * base.grid.cell_area
            target = p.params.get("drained_area_ratio", 0.0) * p.area_m2
            out.append(Store(i, capacity, drained_cells(p.ground_cells, target, paved, base.grid)))
    return out


def evaluate_pluvial_fast(base: PluvialBaseline, placements: Sequence[Placement],
                          states: dict[str, CaseState]) -> tuple[PluvialOutcome, bool]:
    """Every storm with ``placements`` at the fast level; True when terrain changes were approximated."""
    cells = _surface(base, placements)
    paved = np.asarray(cells.paved).reshape(-1)
    stores = _stores(base, placements, paved) + _basin_stores(base, placements, paved)
    approximate = any(p.params.get("lower_terrain_m", 0.0) > 0 for p in placements)
    touched = [p.ground_cells for p in placements
               if ("paved_share" in p.params or "infiltration_mm" in p.params) and p.ground_cells.size]
    touched += [s.drained for s in stores]
    affected = np.unique(np.concatenate(touched)) if touched else np.zeros(0, dtype=np.int64)
    model = base.model_dem.reshape(-1)
    sub_base = _subset(base.surface, affected)
    sub_new = _subset(cells, affected)
    nodata = np.isnan(model[affected])
    where = [np.searchsorted(affected, s.drained) for s in stores]
    raising = floor_raise(base.buildings.count, placements)
    ring = base.buildings.ring
    ring_order = np.argsort(ring.cells, kind="stable")
    ring_sorted = ring.cells[ring_order]
    ring_ground = base.ground.reshape(-1)[ring.cells]
    hide, area = base.hide.reshape(-1), base.area.reshape(-1)
    engine = base.engine
    labels = engine.labels_flat
    dem = engine.dem_flat
    cases: list[CaseDamage] = []
    incidents: list[CaseDamage] = []
    above: dict[str, np.ndarray] = {}
    stored: dict[str, np.ndarray] = {}
    roads: dict[str, np.ndarray] = {}
    facades: dict[str, np.ndarray] = {}
    for case in base.cases:
        kept = states[case.id]
        old = runoff_of_surface(case.rain_mm, case.duration_h, sub_base, extra_storage_mm=base.extra_storage_mm)
        new = runoff_of_surface(case.rain_mm, case.duration_h, sub_new, extra_storage_mm=base.extra_storage_mm)
        old = np.where(nodata, 0.0, old.astype(np.float64) / 1000.0)
        new = np.where(nodata, 0.0, new.astype(np.float64) / 1000.0)
        caught = np.zeros(len(placements))
        for store, idx in zip(stores, where, strict=True):
            local = new[idx]
            available = float(local.sum()) * base.grid.cell_area
            if available <= 0:
                continue
            take = min(store.capacity(case.duration_h), available)
            new[idx] = local * (1.0 - take / available)
            caught[store.placement] += take
        stored[case.id] = caught
        rerouted = engine.reroute(kept.state, affected, new - old)
        changed = rerouted.cells
        shown_new = _shown(rerouted.depth, base.min_depth_m, hide[changed])
        base_depth = np.maximum(kept.state.eff[labels[changed]] - dem[changed], 0.0).astype(np.float32)
        shown_old = _shown(base_depth, base.min_depth_m, hide[changed])
        land: dict[str, float] = {}
        for a, coef in base.land_coef.items():
            gained = np.nansum(land_damage(shown_new, base.landuse.reshape(-1)[changed], coef,
                                           base.grid.cell_area, area[changed])[1])
            lost = np.nansum(land_damage(shown_old, base.landuse.reshape(-1)[changed], coef,
                                         base.grid.cell_area, area[changed])[1])
            land[str(a)] = kept.land[str(a)] + float(gained - lost)
        ring_depth = kept.ring_depth.copy()
        if changed.size and ring.cells.size:
            # the ring entries of the re-levelled cells (a cell can touch several buildings)
            lo = np.searchsorted(ring_sorted, changed, side="left")
            hi = np.searchsorted(ring_sorted, changed, side="right")
            counts = hi - lo
            if counts.any():
                which = np.repeat(np.arange(changed.size), counts)
                starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
                entries = starts + np.arange(which.size)
                ring_depth[ring_order[entries]] = shown_new[which]
        if kept.road is not None:
            roads[case.id] = _patched(kept.road, base.road_cells, changed, shown_new)
            if base.buildings.count:
                facades[case.id] = facade_wet(ring_depth, ring, base.min_depth_m)
        floor = base.buildings.floor_level_m
        water = above_floor_at(ring_depth, ring_ground, ring, floor) if base.buildings.count else None
        if water is not None and raising is not None:
            water = protected(water, floor, base.footprint_ground, *raising)
        buildings = {str(a): 0.0 for a in AMOUNTS}
        n_above = 0
        if water is not None:
            wet = np.isfinite(water) & (water > 0)
            above[case.id] = wet
            n_above = int(wet.sum())
            for a, coef in base.building_coef.items():
                buildings[str(a)] = float(np.nansum(object_damage(
                    np.where(wet, water, 0.0), base.buildings.wss_class, base.buildings.floor_area_m2, coef,
                    unknown="zero")))
        damage = CaseDamage(event=case.event, scenario=case.scenario, return_period=float(case.return_period or 0.0),
                            land=land, buildings=buildings, buildings_above_floor=n_above)
        (cases if case.return_period is not None else incidents).append(damage)
    result = annual_damage(cases, price_year=base.price_year, rule=base.rule, scenarios=base.scenarios)
    ead = {sid: {str(a): float(result.ead[sid][base.rule][a]) for a in AMOUNTS} for sid in result.ead}
    capacity = np.zeros(len(placements))
    for store in stores:
        capacity[store.placement] += store.capacity_m3
    return PluvialOutcome(cases=cases + incidents, above_floor=above, ead=ead, stored_m3=stored, runoff_m3={},
                          outflow_m3={}, surface_m3={}, depths={}, capacity_m3=capacity,
                          road_depth=roads, road_held=held_road_samples(base, placements),
                          facade=facades), approximate


def _patched(samples: np.ndarray, cells: np.ndarray | None, changed: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``samples`` (shown depth at ``cells``) with the values of the re-levelled ``changed`` cells."""
    if cells is None or not changed.size or not samples.size:
        return samples
    order = np.argsort(changed)
    sorted_changed = changed[order]
    flat = cells.reshape(-1)
    pos = np.minimum(np.searchsorted(sorted_changed, flat), sorted_changed.size - 1)
    hit = (sorted_changed[pos] == flat) & (flat >= 0)
    out = samples.copy().reshape(-1)
    out[hit] = values[order[pos[hit]]]
    return out.reshape(samples.shape)


def _subset(cells: Surface, index: np.ndarray) -> Surface:
    return Surface(paved=np.asarray(cells.paved).reshape(-1)[index],
                   sewer_mm_h=np.asarray(cells.sewer_mm_h).reshape(-1)[index],
                   infiltration_mm=np.asarray(cells.infiltration_mm).reshape(-1)[index],
                   water=np.asarray(cells.water).reshape(-1)[index])
