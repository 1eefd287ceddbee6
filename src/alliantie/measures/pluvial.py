"""Pluvial flooding with measures: the runoff, fill-spill-merge and damage of step 1, with the measures in them.

The same rules as ``urgency.pluvial`` and the damage product, on the same
arrays, so that zero measures give the baseline exactly:

1. **Surface**: a measure's ``paved_share`` and ``infiltration_mm`` replace the
   cell properties of the runoff rule (:mod:`alliantie.hazards.runoff`) on its
   cells (depaving, permeable paving, a wadi's bed).
2. **Storage**: a measure with ``storage_mm`` (per m² of its area) or
   ``storage_m3_per_piece`` stores up to that volume of the runoff of its
   *drained area*: its own cells and the nearest paved cells around it (roofs
   and streets, nearest first, within :data:`MAX_DRAIN_DISTANCE_M`) until their
   paved area reaches ``drained_area_ratio`` times its own area. The runoff of
   the drained cells is lowered in proportion; what is stored is gone from the
   storm (water is conserved: rain = infiltration and sewer + stored by measures
   + stored on the surface + outflow). Measures act in sketch order, each on
   the runoff the earlier ones left. A measure that removes paving connected
   to the sewer frees that sewer capacity for the paved cells nearest to it
   (the pipes stay), so depaving never adds runoff.
3. **Terrain**: ``lower_terrain_m`` lowers the DEM on the measure's cells (a
   water square, a pond); the depression hierarchy is then rebuilt. Water in
   the lowered basin is what it is built for: its own cells get no land-use damage.
4. **Buildings**: ``floor_raise_m`` raises the level water must reach before it
   enters the touched buildings, as long as the water at the facade stays
   below ``protects_up_to_m``.

Damage per storm with the WaterSchadeSchatter as in step 1, the expected
annual damage per scenario over the event series
(:func:`alliantie.damage.pluvial.annual_damage`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import ndimage

from alliantie.climate.hyetograph import Hyetograph
from alliantie.damage.buildings import Buildings
from alliantie.damage.depth_damage import AMOUNTS, Coefficients
from alliantie.damage.pluvial import (
    CaseDamage,
    DurationCoefficients,
    FacadeRing,
    above_floor,
    annual_damage,
    case_damage,
)
from alliantie.damage.risk import DEFAULT_RULE, Rule
from alliantie.grid import Grid
from alliantie.hazards.bluespots import shown_depth
from alliantie.hazards.overland_storm import DynamicSettings
from alliantie.hazards.runoff import Surface, runoff_of_surface
from alliantie.hydrology.fsm import FillSpillMerge
from alliantie.measures.floodproof import floor_raise, protected
from alliantie.measures.placement import Placement

#: The farthest a measure takes water from (m): a wadi or crate field is fed by the paving of its street block.
MAX_DRAIN_DISTANCE_M = 150.0


@dataclass(frozen=True)
class StormCase:
    """One storm of step 1: a design storm of the series (with its return period) or a stress-test storm."""

    id: str
    event: str
    scenario: str
    rain_mm: float
    duration_h: float
    return_period: float | None  #: None for a stress-test storm (no annual damage)


@dataclass(frozen=True)
class DynamicInputs:
    """What the dynamic check (:mod:`alliantie.measures.overland`) needs to run a storm as the pluvial product's
    2-D engine does and to value it as the damage product does (``urgency.pluvial`` prepared with ``dynamic``)."""

    settings: DynamicSettings
    hyetographs: Mapping[str, Hyetograph]  #: case id -> the storm's design hyetograph
    #: amount level -> the land-use coefficients at each WSS duration node (damage with each cell's duration)
    land_by_duration: Mapping[str, DurationCoefficients]
    road_min_hours: float  #: a road piece under ``settings.road_depth_m`` this long is impassable (h)
    #: the band before a window where the water from upstream spreads by multiple flow directions (m; the
    #: measure catalogue's ``[dynamic_check] upstream_spread_band_m``)
    spread_band_m: float


@dataclass
class PluvialBaseline:
    """The arrays of step 1's pluvial flooding and its damage, on the dossier grid."""

    grid: Grid
    ground: np.ndarray  #: float32 ground level (m NAP)
    model_dem: np.ndarray  #: float32 DEM of fill-spill-merge: buildings raised, open water NaN
    hide: np.ndarray  #: bool, cells whose depth is not shown (buildings, outside the area)
    area: np.ndarray  #: bool, the study area
    surface: Surface  #: the runoff rule's per-cell properties
    landuse: np.ndarray  #: LGN codes (damage)
    cases: list[StormCase]
    buildings: Buildings
    land_coef: Mapping[str, Coefficients]
    building_coef: Mapping[str, Coefficients]
    scenarios: tuple[str, ...]
    price_year: int
    min_depth_m: float = 0.02
    extra_storage_mm: float = 0.0
    shown_return_period: float = 100.0
    rule: Rule = DEFAULT_RULE
    #: saved depths per case id (m, NaN dry; step 1's ``case_depths.npz``): the baseline without recomputing
    saved_depths: Mapping[str, np.ndarray] | None = None
    #: the road pieces of step 1: three sample cells per piece (flat index, -1 outside) and each piece's length (m)
    road_cells: np.ndarray | None = None
    road_length_m: np.ndarray | None = None
    #: water depth from which a road is impassable for cars (m)
    road_depth_m: float = 0.10
    #: the inputs of the dynamic check (the 2-D engine's settings and hyetographs); None: no dynamic check
    dynamic: DynamicInputs | None = None
    #: the engine the saved pluvial product ran (``[parameters.pluvial] engine``). With "overland" its saved depths
    #: are the 2-D engine's, valued by the damage product with the 2-D rule; the fast and full levels compare
    #: fill-spill-merge with fill-spill-merge (their "before" routed here, ``saved_depths`` not used), so the
    #: difference is the measures' and not the engines', and their EAD is the screening's, not the product's
    product_engine: str = "screening"
    _engine: FillSpillMerge | None = field(default=None, repr=False)
    _footprint_ground: np.ndarray | None = field(default=None, repr=False)
    #: cached: the outcome without measures, and the fast level's state of every storm
    _before: PluvialOutcome | None = field(default=None, repr=False)
    _states: dict[str, Any] | None = field(default=None, repr=False)
    #: cached for the dynamic check (:mod:`alliantie.measures.overland`): D8 directions of the filled DEM, and
    #: per case id the water that moves on without measures
    _d8: np.ndarray | None = field(default=None, repr=False)
    _filled: np.ndarray | None = field(default=None, repr=False)
    _moving: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def before(self) -> PluvialOutcome:
        """Every storm without measures (from the saved depths when given), computed once."""
        if self._before is None:
            self._before = evaluate_pluvial(self, [])
        return self._before

    @property
    def engine(self) -> FillSpillMerge:
        """The depression hierarchy of the baseline DEM (built once)."""
        if self._engine is None:
            self._engine = FillSpillMerge(self.model_dem, cell_area=self.grid.cell_area)
        return self._engine

    @property
    def footprint_ground(self) -> np.ndarray:
        """Lowest ground around each building (m NAP)."""
        if self._footprint_ground is None:
            from alliantie.hazards.bluespots import footprint_ground

            self._footprint_ground = footprint_ground(self.buildings.ids, self.buildings.count, self.ground)
        return self._footprint_ground

    def series(self, scenario: str) -> list[StormCase]:
        return [c for c in self.cases if c.scenario == scenario and c.return_period is not None]

    def shown_case(self, scenario: str) -> StormCase | None:
        """The storm of the maps (``shown_return_period``) in ``scenario``."""
        return next((c for c in self.series(scenario) if c.return_period == self.shown_return_period), None)


@dataclass(frozen=True)
class Store:
    """A measure's storage: its capacity and the cells whose runoff it takes."""

    placement: int  #: position in the placements
    capacity_m3: float
    drained: np.ndarray  #: flat cell indices
    #: sewer capacity the measure frees (m³ per hour of storm): paving it removed that drained to the sewer
    sewer_m3_per_h: float = 0.0

    def capacity(self, duration_h: float) -> float:
        """What the store takes in a storm of ``duration_h`` hours (m³)."""
        return self.capacity_m3 + self.sewer_m3_per_h * duration_h


@dataclass
class PluvialOutcome:
    """Pluvial flooding of every storm with (or without) the measures."""

    cases: list[CaseDamage]
    above_floor: dict[str, np.ndarray]  #: case id -> bool per building (water above the floor)
    ead: dict[str, dict[str, float]]  #: scenario -> amount level -> EUR/year
    stored_m3: dict[str, np.ndarray]  #: case id -> water stored per placement (m³)
    runoff_m3: dict[str, float]  #: case id -> runoff put on the surface (m³)
    outflow_m3: dict[str, float]  #: case id -> water that left the grid (m³)
    surface_m3: dict[str, float]  #: case id -> water at rest on the surface (m³)
    depths: dict[str, np.ndarray]  #: shown depth (m, NaN dry) of the map storms (shown return period)
    capacity_m3: np.ndarray  #: storage capacity per placement (m³)
    #: case id -> shown depth at the road pieces' sample cells (``(pieces, 3)``, m, NaN dry) of the map storms
    road_depth: dict[str, np.ndarray] = field(default_factory=dict)
    #: the road sample cells (``(pieces, 3)`` bool) on a measure meant to hold water (a water square, a pond):
    #: their water blocks no road (:func:`road_depths` with ``held``); None: no such measure
    road_held: np.ndarray | None = None
    #: case id -> bool per building: water of at least the shown depth against its facade (map storms)
    facade: dict[str, np.ndarray] = field(default_factory=dict)


def facade_wet(ring_depth: np.ndarray, ring: FacadeRing, min_depth_m: float) -> np.ndarray:
    """True per building where the deepest shown water around its footprint exceeds ``min_depth_m``.

    As step 1 counts buildings with water at the facade (``hazards.bluespots.building_classes``).
    """
    deepest = np.zeros(ring.count + 1)
    d = np.nan_to_num(np.asarray(ring_depth, dtype=np.float64), nan=0.0)
    np.maximum.at(deepest, ring.owners, d)
    return np.asarray(deepest[1:] > min_depth_m)


def road_depths(shown_at: np.ndarray, held: np.ndarray | None = None) -> np.ndarray:
    """Deepest water per road piece from the shown depth at its sample cells (``(pieces, 3)``, NaN dry).

    ``held`` (``(pieces, 3)`` bool): sample cells on a measure meant to hold water, left out (a piece wholly on
    one is dry).
    """
    if not shown_at.size:
        return np.zeros(0)
    depth = np.nan_to_num(shown_at, nan=0.0)
    if held is not None:
        depth = np.where(held, 0.0, depth)
    return np.asarray(depth.max(axis=1))


def basin_cells(placements: Sequence[Placement]) -> list[np.ndarray]:
    """The ground cells of the placements meant to hold water (they lower the terrain: water square, pond)."""
    return [p.ground_cells for p in placements if p.params.get("lower_terrain_m", 0.0) > 0]


def held_road_samples(base: PluvialBaseline, placements: Sequence[Placement]) -> np.ndarray | None:
    """Which road sample cells lie on a measure meant to hold water (``(pieces, 3)`` bool), or None."""
    basins = basin_cells(placements)
    cells = base.road_cells
    if not basins or cells is None or not cells.size:
        return None
    on = np.zeros(base.area.size, dtype=np.bool_)
    on[np.concatenate(basins)] = True
    return np.asarray((cells >= 0) & on[np.maximum(cells, 0)])


def road_samples(base: PluvialBaseline, shown_flat: np.ndarray) -> np.ndarray:
    """The shown depth at the road pieces' sample cells (``(pieces, 3)``; outside the grid dry)."""
    cells = base.road_cells
    if cells is None or not cells.size:
        return np.zeros((0, 3))
    out = np.where(cells >= 0, shown_flat[np.maximum(cells, 0)], np.nan)
    return np.asarray(out, dtype=np.float64)


def drained_cells(cells: np.ndarray, target_m2: float, paved: np.ndarray, grid: Grid,
                  max_distance_m: float = MAX_DRAIN_DISTANCE_M) -> np.ndarray:
    """``cells`` and the nearest cells with paving around them until their paved area reaches ``target_m2``.

    ``paved`` is the paved share per cell (flat); cells of ``cells`` themselves are always included.
    """
    cells = np.asarray(cells, dtype=np.int64)
    if target_m2 <= 0 or not cells.size:
        return cells
    w = grid.width
    rows, cols = cells // w, cells % w
    pad = math.ceil(max_distance_m / grid.res)
    r0, r1 = max(rows.min() - pad, 0), min(rows.max() + pad + 1, grid.height)
    c0, c1 = max(cols.min() - pad, 0), min(cols.max() + pad + 1, w)
    own = np.zeros((r1 - r0, c1 - c0), dtype=bool)
    own[rows - r0, cols - c0] = True
    distance = ndimage.distance_transform_edt(~own) * grid.res
    wr, wc = np.nonzero(~own & (distance <= max_distance_m))
    flat = (wr + r0) * w + (wc + c0)
    share = paved[flat]
    keep = share > 0
    flat, share, dist = flat[keep], share[keep], distance[wr[keep], wc[keep]]
    order = np.lexsort((flat, dist))
    cumulative = np.cumsum(share[order]) * grid.cell_area
    n = int(np.searchsorted(cumulative, target_m2, side="left")) + 1
    return np.unique(np.concatenate([cells, flat[order[:n]]]))


def _stores(base: PluvialBaseline, placements: Sequence[Placement], paved: np.ndarray) -> list[Store]:
    """The storage of each measure, and the sewer capacity a measure frees where it removes connected paving.

    Removing paving disconnects it from the sewer, but the pipes stay: their
    capacity (the rule's mm/h over the removed paved area) serves the nearest
    paved cells around the measure, so depaving never adds runoff to the street.
    """
    stores = []
    before_paved = np.asarray(base.surface.paved).reshape(-1)
    sewer = np.asarray(base.surface.sewer_mm_h).reshape(-1)
    cell_area = base.grid.cell_area
    for i, p in enumerate(placements):
        if not p.cells.size:
            continue
        capacity = p.params.get("storage_mm", 0.0) / 1000.0 * p.area_m2
        capacity += p.params.get("storage_m3_per_piece", 0.0) * (p.count if p.feature.measure.geometry == "point"
                                                                  else 0.0)
        own = p.ground_cells
        removed = np.maximum(before_paved[own] - paved[own], 0.0)
        freed_m3_per_h = float((removed * sewer[own]).sum()) / 1000.0 * cell_area
        if capacity <= 0 and freed_m3_per_h <= 0:
            continue
        target = p.params.get("drained_area_ratio", 0.0) * p.area_m2
        target += float((removed * (sewer[own] > 0)).sum()) * cell_area
        stores.append(Store(i, capacity, drained_cells(p.cells, target, paved, base.grid), freed_m3_per_h))
    return stores


def _surface(base: PluvialBaseline, placements: Sequence[Placement]) -> Surface:
    changes: dict[str, np.ndarray] = {}
    for name, attr in (("paved_share", "paved"), ("infiltration_mm", "infiltration_mm")):
        touched = [p for p in placements if name in p.params and p.ground_cells.size]
        if not touched:
            continue
        array = np.array(getattr(base.surface, attr), copy=True)
        flat = array.reshape(-1)
        for p in touched:
            flat[p.ground_cells] = np.float32(p.params[name])
        changes[attr] = array
    return base.surface.with_changes(**changes) if changes else base.surface


def _terrain(base: PluvialBaseline, placements: Sequence[Placement]) -> tuple[np.ndarray, np.ndarray] | None:
    """(DEM of fill-spill-merge, ground level) with the lowered terrain; None when no measure lowers it.

    Building cells and open water (no data) keep their level.
    """
    lowered = [p for p in placements if p.params.get("lower_terrain_m", 0.0) > 0 and p.ground_cells.size]
    if not lowered:
        return None
    dem = np.array(base.model_dem, copy=True)
    ground = np.array(base.ground, copy=True)
    flat, flat_ground = dem.reshape(-1), ground.reshape(-1)
    for p in lowered:
        cells = p.ground_cells[np.isfinite(flat[p.ground_cells])]
        flat[cells] = base.ground.reshape(-1)[cells] - np.float32(p.params["lower_terrain_m"])
        flat_ground[cells] = flat[cells]
    return dem, ground


def route_case(base: PluvialBaseline, case: StormCase, cells: Surface, stores: Sequence[Store],
               engine: FillSpillMerge, n_placements: int) -> tuple[np.ndarray, np.ndarray, float, float, float]:
    """Depth (m, float32) of one storm with the measures; stored m³ per placement; runoff, outflow, surface m³."""
    area = base.grid.cell_area
    runoff_mm = runoff_of_surface(case.rain_mm, case.duration_h, cells, extra_storage_mm=base.extra_storage_mm)
    runoff = (runoff_mm.astype(np.float64) / 1000.0).reshape(-1)  # m of water per cell
    runoff[np.isnan(base.model_dem.reshape(-1))] = 0.0  # open water and no data: the rain joins the water system
    stored = np.zeros(n_placements)
    for store in stores:
        local = runoff[store.drained]
        available = float(local.sum()) * area
        if available <= 0:
            continue
        caught = min(store.capacity(case.duration_h), available)
        runoff[store.drained] = local * (1.0 - caught / available)
        stored[store.placement] += caught
    runoff = runoff.reshape(base.grid.shape)
    result = engine.route(runoff)
    depth = np.asarray(result.depth, dtype=np.float32)
    return depth, stored, float(result.inflow_m3), float(result.outflow_m3), float(result.stored_total_m3)


def evaluate_pluvial(base: PluvialBaseline, placements: Sequence[Placement]) -> PluvialOutcome:
    """Every storm of the baseline with ``placements`` (none: the baseline itself)."""
    cells = _surface(base, placements)
    stores = _stores(base, placements, np.asarray(cells.paved).reshape(-1))
    terrain = _terrain(base, placements)
    engine = base.engine if terrain is None else FillSpillMerge(terrain[0], cell_area=base.grid.cell_area)
    ground = base.ground if terrain is None else terrain[1]
    raising = floor_raise(base.buildings.count, placements)
    use_saved = base.saved_depths is not None and not placements and base.product_engine != "overland"
    valued = base.area
    basins = basin_cells(placements)
    if basins:  # a water square or pond is meant to hold water: no land-use damage on its own cells
        valued = np.array(base.area, copy=True)
        valued.reshape(-1)[np.concatenate(basins)] = False
    floor = base.buildings.floor_level_m
    cases: list[CaseDamage] = []
    incidents: list[CaseDamage] = []
    above: dict[str, np.ndarray] = {}
    stored: dict[str, np.ndarray] = {}
    runoff: dict[str, float] = {}
    outflow: dict[str, float] = {}
    surface: dict[str, float] = {}
    depths: dict[str, np.ndarray] = {}
    roads: dict[str, np.ndarray] = {}
    facades: dict[str, np.ndarray] = {}
    shown_ids = {c.id for s in base.scenarios if (c := base.shown_case(s)) is not None}
    for case in base.cases:
        if use_saved:
            assert base.saved_depths is not None
            shown = np.asarray(base.saved_depths[case.id], dtype=np.float32)
            stored[case.id] = np.zeros(0)
        else:
            depth, stored[case.id], runoff[case.id], outflow[case.id], surface[case.id] = route_case(
                base, case, cells, stores, engine, len(placements))
            shown = shown_depth(depth, base.min_depth_m, hide=base.hide)
        water = None
        if base.buildings.count:
            water = above_floor(shown, ground, base.buildings.ring, floor)
            if raising is not None:
                water = protected(water, floor, base.footprint_ground, *raising)
            above[case.id] = np.isfinite(water) & (water > 0)
        damage = case_damage(case.event, case.scenario, case.return_period or 0.0, shown, base.landuse,
                             base.land_coef, base.grid.cell_area, water_above_floor=water,
                             building_class=base.buildings.wss_class, floor_area_m2=base.buildings.floor_area_m2,
                             building_coef=base.building_coef, area=valued)
        (cases if case.return_period is not None else incidents).append(damage)
        if case.id in shown_ids:
            depths[case.id] = shown
            roads[case.id] = road_samples(base, shown.reshape(-1))
            if base.buildings.count:
                facades[case.id] = facade_wet(shown.reshape(-1)[base.buildings.ring.cells], base.buildings.ring,
                                              base.min_depth_m)
    result = annual_damage(cases, price_year=base.price_year, rule=base.rule, scenarios=base.scenarios)
    ead: dict[str, dict[str, float]] = {sid: {str(a): float(result.ead[sid][base.rule][a]) for a in AMOUNTS}
                                        for sid in result.ead}
    capacity = np.zeros(len(placements))
    for store in stores:
        capacity[store.placement] += store.capacity_m3  # storage only; freed sewer capacity is not storage
    return PluvialOutcome(cases=cases + incidents, above_floor=above, ead=ead, stored_m3=stored, runoff_m3=runoff,
                          outflow_m3=outflow, surface_m3=surface, depths=depths, capacity_m3=capacity,
                          road_depth=roads, road_held=held_road_samples(base, placements), facade=facades)

