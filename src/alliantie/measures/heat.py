"""Heat with measures: the step 1 heat chain rerun in windows around the measures, and the heat damage after them.

A measure changes the land-use properties of ``heat.toml`` on its ground cells
(:attr:`~alliantie.measures.placement.Placement.ground_cells`; roofs for
building measures), from the catalogue's effect parameters:

* ``shade_share``: the cell's tree-crown share (``shade``) becomes at least it;
* ``canopy_height_m``: the crowns that cast shadows on the neighbours reach at
  least that height; the shaded person stays at the height of the step 1
  surface (:func:`~alliantie.hazards.heat.radiation.cast_shadow` ``receiver``);
* ``vegetation_share``: the vegetated share (the heat island's ``f_veg``)
  becomes at least it; the part that turns green takes the surface heating and
  crop factor of ``heat.toml``'s ``urban_green`` group (the ground never gets
  hotter, nor evaporates less); on roofs a green roof counts in ``f_veg``;
* ``albedo``: the ground's (or the roof's) albedo becomes it;
* ``cool_place``: the ground counts as a cool place when shaded enough
  (``cool``), and as a green area of the InVEST cooling model.

What the properties feed is then recomputed with the very functions of
``urgency.heat`` (:mod:`alliantie.hazards.heat.afternoon`): the heat island
(Theeuwes), shade and radiation, cooling, cool places, PET per scenario and
the PET around the homes. The sky view factor of the buildings is kept.

**The window rule.** A change reaches no further than the largest distance of
the step it feeds: shade and PET ``reach_r`` = the shadow search distance plus
the home radius (cells); the heat island and cooling their radius plus two
coarse blocks. Around the changed cells' bounding box (one per measure, boxes
whose grown boxes overlap merged) the results are pasted back within that reach
and computed on a window twice the reach wide, aligned to the coarse blocks of
the focal means, so every pasted cell sees all it depends on; outside the
pasted boxes the baseline arrays stand. Cool places are relabelled on the whole
grid and the distance is measured from the residents' homes only.

Heat damage: as the damage product (:func:`alliantie.damage.heat.annual_damage`)
on the heat product's saved indicators, with the residents' mean PET around the
homes (``pet_home_mean``) and the jobs' mean PET around the workplaces
(``pet_work_mean``, where the heat product counts jobs) moved by the change the
measures make to them: shade or green near offices lowers the labour loss counted
at the workplace.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from alliantie.climate import ClimateTable
from alliantie.contract.theme import IndicatorValue, ThemeSummary
from alliantie.damage import heat as heat_damage
from alliantie.damage.heat import HeatDamageFile
from alliantie.damage.npv import EconomicsFile
from alliantie.grid import Grid
from alliantie.hazards.heat.afternoon import (
    Radiation,
    Surface,
    cool_place_cells,
    cooling,
    felt_temperature,
    heat_island,
    person_wind,
    radiant_temperature,
    shadow_surface,
    sun_and_shade,
)
from alliantie.hazards.heat.cooling import cool_places
from alliantie.hazards.heat.numbers import HeatKnowledge
from alliantie.hazards.heat.pet import PetTable, classify, home_pet, pet_table, tmrt_axis
from alliantie.measures.placement import Placement
from alliantie.measures.theme_model import ThemeOutcome
from alliantie.parameters.heat import HeatParameters
from alliantie.raster.distance import distance_from_cells
from alliantie.raster.focal import coarsening

#: PET drop around a home (degC) from which its residents count as cooled (or their PET class drops): alliantie
#: estimate, five times the 0.1 degC to which PET is computed and a twelfth of the 6 degC width of a PET class, so
#: that a change counts that a map of felt temperature shows and no rounding makes.
COOLED_PET_DROP_C = 0.5
#: Steps of the PET table beyond the step 1 mean radiant temperatures on both sides (a cooler or hotter cell after
#: a measure is looked up, not clamped, within this margin).
TABLE_MARGIN_STEPS = 2
#: The heat.toml group whose surface heating and crop factor the part of a measure that turns green takes.
GREEN_GROUP = "urban_green"

#: The properties that feed each step (``roof_*``: of building cells).
RADIATION = ("shade", "canopy_height_m", "albedo", "surface_excess_k", "cool")
ISLAND = ("vegetated", "roof_vegetation")
COOLING = ("shade", "albedo", "roof_albedo", "kc", "green_area")

Box = tuple[int, int, int, int]  #: row0, row1, col0, col1 (end exclusive)


@dataclass
class HeatValuation:
    """The heat damage of step 1: the heat product's saved indicators and what the damage product values them with."""

    summary: ThemeSummary
    values: list[IndicatorValue]
    knowledge: HeatDamageFile
    economics: EconomicsFile
    climate: ClimateTable
    price_year: int

    def ead(self, pet_home_shift_c: Mapping[str, float],
            pet_work_shift_c: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        """EUR/year per scenario and amount with the mean PET around the homes (and workplaces) shifted per scenario."""
        local = self.knowledge.local_heat
        labour = self.knowledge.labour
        shifts: dict[str, Mapping[str, float]] = {}
        if local is not None and any(pet_home_shift_c.values()):
            shifts[local.indicator] = pet_home_shift_c
        if labour is not None and labour.workplace is not None and pet_work_shift_c and any(pet_work_shift_c.values()):
            shifts[labour.workplace.pet_indicator] = pet_work_shift_c
        values = self.values
        if shifts:
            values = [IndicatorValue(v.scenario, v.code, v.name, v.indicator,
                                     v.value + shifts[v.indicator].get(v.scenario, 0.0))
                      if v.code == "" and v.indicator in shifts else v for v in self.values]
        damage = heat_damage.annual_damage(self.summary, values, self.knowledge, price_year=self.price_year,
                                           economics=self.economics, climate=self.climate)
        return {sid: {"low": r.low, "mean": r.mean, "high": r.high} for sid, r in damage.annual.items()}


@dataclass
class HeatBaseline:
    """The arrays and numbers of step 1's heat, on the dossier grid."""

    grid: Grid
    knowledge: HeatKnowledge
    params: HeatParameters
    surface: Surface
    svf: np.ndarray  #: sky view factor of the surface model (buildings), float64
    residents: np.ndarray  #: persons per cell
    air_temperatures: Mapping[str, float]  #: scenario -> air temperature of the hot afternoon (degC)
    valuation: HeatValuation
    #: property -> value that the share of a measure's ground that turns green takes (``surface_excess_k``, ``kc``)
    green: Mapping[str, float] = field(default_factory=dict)
    #: persons employed per cell at the workplaces (as the heat product's ``jobs``); None or all zero: none
    jobs: np.ndarray | None = None


@dataclass
class _Edits:
    """The changed properties: name -> (flat cells, new values), and the boxes of the measures per step."""

    values: dict[str, tuple[np.ndarray, np.ndarray]]
    boxes: dict[str, list[Box]]


@dataclass
class _Window:
    paste: Box
    compute: Box

    def inner(self) -> tuple[slice, slice]:
        """The paste box within the computed window."""
        r0, r1, c0, c1 = self.paste
        return slice(r0 - self.compute[0], r1 - self.compute[0]), slice(c0 - self.compute[2], c1 - self.compute[2])


def _slices(box: Box) -> tuple[slice, slice]:
    return slice(box[0], box[1]), slice(box[2], box[3])


def windows(boxes: Sequence[Box], reach: int, shape: tuple[int, int], align: int = 1) -> list[_Window]:
    """Paste boxes (``boxes`` grown by ``reach`` cells, overlapping ones merged) and their computed windows.

    A window is its paste box grown by ``reach`` again, widened to multiples of
    ``align`` (the block size of coarse focal means) and clipped to the grid.
    """
    h, w = shape
    grown = [(max(0, r0 - reach), min(h, r1 + reach), max(0, c0 - reach), min(w, c1 + reach))
             for r0, r1, c0, c1 in boxes]
    merged = True
    while merged and len(grown) > 1:
        merged = False
        out: list[Box] = []
        for box in grown:
            for k, other in enumerate(out):
                if box[0] < other[1] and other[0] < box[1] and box[2] < other[3] and other[2] < box[3]:
                    out[k] = (min(box[0], other[0]), max(box[1], other[1]), min(box[2], other[2]),
                              max(box[3], other[3]))
                    merged = True
                    break
            else:
                out.append(box)
        grown = out
    a = max(1, align)
    result = []
    for r0, r1, c0, c1 in grown:
        compute = ((max(0, r0 - reach) // a) * a, min(h, -(-(r1 + reach) // a) * a),
                   (max(0, c0 - reach) // a) * a, min(w, -(-(c1 + reach) // a) * a))
        result.append(_Window((r0, r1, c0, c1), compute))
    return result


def _focal_reach(res: float, radius_m: float) -> tuple[int, int]:
    """(reach in cells, block size) of a coarse focal mean: its radius plus two blocks (bilinear back)."""
    f = coarsening(res, radius_m)
    return (math.floor(radius_m / (res * f)) + 2) * f, f


@dataclass
class _Results:
    """Full-grid arrays of one state (the baseline, or after the measures)."""

    uhi: np.ndarray
    cooling: np.ndarray
    shade: np.ndarray
    cool: np.ndarray  #: cells of a cool place (before the minimum area)
    pet: dict[str, np.ndarray]
    home: dict[str, np.ndarray]


class HeatModel:
    """The heat effect model (:class:`~alliantie.measures.theme_model.ThemeModel`): ``outcome([])`` is step 1."""

    theme = "heat"

    def __init__(self, base: HeatBaseline) -> None:
        self.base = base
        kn, params, surface = base.knowledge, base.params, base.surface
        self.res = res = float(base.grid.res)
        self.shape = base.svf.shape
        self.wind = person_wind(surface, kn, params)
        radiation = sun_and_shade(base.svf, surface, res, kn, params.shadow_max_distance_m)
        self.tables: dict[str, PetTable] = {}
        pet: dict[str, np.ndarray] = {}
        home: dict[str, np.ndarray] = {}
        for sid, ta in base.air_temperatures.items():
            tmrt = radiant_temperature(ta, radiation, surface, kn)
            axis = tmrt_axis(tmrt, ta, params.pet_tmrt_step_c, TABLE_MARGIN_STEPS)
            self.tables[sid] = pet_table(ta, kn.relative_humidity_pct, axis, params.pet_wind_ms, kn.person)
            pet[sid] = felt_temperature(ta, radiation, self.wind, surface, kn, params, self.tables[sid])
            home[sid] = home_pet(pet[sid], surface.building, surface.outdoor, res, kn.home_radius_m).astype(np.float32)
        self.before = _Results(uhi=heat_island(base.svf, surface, res, kn), cooling=cooling(surface, res, kn),
                               shade=radiation.shade, cool=cool_place_cells(surface, radiation.shade, kn),
                               pet=pet, home=home)
        self.lived = np.flatnonzero(base.residents.reshape(-1) > 0)
        self.people = base.residents.reshape(-1)[self.lived]
        jobs = np.zeros(self.shape) if base.jobs is None else np.asarray(base.jobs, dtype=np.float64)
        self.worked = np.flatnonzero(jobs.reshape(-1) > 0)  #: cells of the workplaces
        self.jobs = jobs.reshape(-1)[self.worked]
        width = self.shape[1]
        self.places_before = cool_places(self.before.cool, res, kn.cool_min_area_m2 / 10_000.0)
        #: the patches of step 1's cool cells (8 neighbours) and their boxes: a new cool place is found near them
        self.cool_labels, _ = ndimage.label(self.before.cool, structure=np.ones((3, 3)))
        self.cool_boxes = ndimage.find_objects(self.cool_labels)
        #: per home cell: the distance to the nearest cool place (m) without measures
        self.distance_before = distance_from_cells(self.places_before, self.lived // width, self.lived % width, res)
        self.far_before = float(self.people[self.distance_before > kn.cool_max_distance_m].sum())
        self.reach_r = max(1, math.ceil(params.shadow_max_distance_m / res)) + math.floor(kn.home_radius_m / res)
        self.reach_u, self.block_u = _focal_reach(res, kn.uhi_radius_m)
        self.reach_c, self.block_c = _focal_reach(res, kn.cooling_distance_m)
        self.baseline = self._outcome(self.before)

    # --- the properties a measure changes -------------------------------------------------------------

    def _edits(self, placements: Sequence[Placement]) -> _Edits | None:
        base, kn = self.base, self.base.knowledge
        props = {k: v.reshape(-1) for k, v in base.surface.props.items()}
        outdoor = base.surface.outdoor.reshape(-1)
        building = base.surface.building.reshape(-1)
        steps: dict[str, list[tuple[np.ndarray, float, bool]]] = {}  # name -> (cells, value, keep the maximum)
        boxes: dict[str, list[Box]] = {"radiation": [], "island": [], "cooling": []}
        width = self.shape[1]
        for p in placements:
            prm = p.params
            ground = p.ground_cells[outdoor[p.ground_cells]]
            roofs = p.ground_cells[building[p.ground_cells]]
            names: list[str] = []
            if "shade_share" in prm:
                names.append(_add(steps, "shade", ground, prm["shade_share"], True))
            if "canopy_height_m" in prm:
                names.append(_add(steps, "canopy_height_m", ground, prm["canopy_height_m"], True))
            if "vegetation_share" in prm:
                names += [_add(steps, "vegetated", ground, prm["vegetation_share"], True),
                          _add(steps, "roof_vegetation", roofs, prm["vegetation_share"], True)]
                if ground.size:
                    names += ["surface_excess_k", "kc"]
            if "albedo" in prm:
                names += [_add(steps, "albedo", ground, prm["albedo"], False),
                          _add(steps, "roof_albedo", roofs, prm["albedo"], False)]
            if p.feature.measure.effect.cool_place:
                names += [_add(steps, "cool", ground, 1.0, False), _add(steps, "green_area", ground, 1.0, False)]
            cells = np.concatenate([ground, roofs])
            if not names or not cells.size:
                continue
            rows, cols = cells // width, cells % width
            box = (int(rows.min()), int(rows.max()) + 1, int(cols.min()), int(cols.max()) + 1)
            for step, feeds in (("radiation", RADIATION), ("island", ISLAND), ("cooling", COOLING)):
                if any(n in feeds for n in names):
                    boxes[step].append(box)
        if not any(boxes.values()):
            return None
        values: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name, changes in steps.items():
            cells = np.unique(np.concatenate([c for c, _v, _m in changes]))
            if not cells.size:
                continue
            if name == "roof_vegetation":
                now = np.zeros(cells.size)
            elif name == "roof_albedo":
                now = np.full(cells.size, kn.building_albedo)
            else:
                now = props[name][cells].astype(np.float64)
            for c, value, keep_max in changes:
                at = np.searchsorted(cells, c)
                now[at] = np.maximum(now[at], value) if keep_max else value
            values[name] = (cells, now.astype(bool) if name in ("cool", "green_area") else now)
        if "vegetated" in values:  # the part that turns green takes the surface properties of urban green
            cells, now = values["vegetated"]
            gain = np.clip(now - props["vegetated"][cells].astype(np.float64), 0.0, 1.0)
            for name, pick in (("surface_excess_k", np.minimum), ("kc", np.maximum)):
                if name not in base.green:
                    continue
                old = props[name][cells].astype(np.float64)
                values[name] = (cells, pick(old, old + gain * (base.green[name] - old)))
        return _Edits(values=values, boxes=boxes)

    def _surface(self, box: Box, edits: _Edits) -> Surface:
        """The baseline surface on ``box`` with the edits in it (copies of the edited arrays only)."""
        rs, cs = _slices(box)
        window = self.base.surface.window(rs, cs)
        props = dict(window.props)
        shape = (box[1] - box[0], box[3] - box[2])
        roof_veg = np.zeros(shape) if "roof_vegetation" in edits.values else None
        roof_alb = np.full(shape, self.base.knowledge.building_albedo) if "roof_albedo" in edits.values else None
        width = self.shape[1]
        for name, (cells, values) in edits.values.items():
            rows, cols = cells // width, cells % width
            inside = (rows >= box[0]) & (rows < box[1]) & (cols >= box[2]) & (cols < box[3])
            if not inside.any():
                continue
            at = (rows[inside] - box[0], cols[inside] - box[2])
            if name == "roof_vegetation":
                assert roof_veg is not None
                roof_veg[at] = values[inside]
            elif name == "roof_albedo":
                assert roof_alb is not None
                roof_alb[at] = values[inside]
            else:
                array = props[name]
                if name == "vegetated" and array.dtype == bool:
                    array = array.astype(np.float64)
                else:
                    array = np.array(array, copy=True)
                array[at] = values[inside]
                props[name] = array
        return Surface(dsm=window.dsm, valid=window.valid, building=window.building, props=props,
                       roof_vegetation=roof_veg, roof_albedo=roof_alb)

    # --- the steps in windows -------------------------------------------------------------------------

    def results(self, placements: Sequence[Placement], *, windowed: bool = True) -> _Results:
        """Full-grid arrays after ``placements``: in windows (:func:`windows`), or on the whole grid."""
        edits = self._edits(placements)
        before = self.before
        after = _Results(uhi=before.uhi, cooling=before.cooling, shade=before.shade, cool=before.cool,
                         pet=dict(before.pet), home=dict(before.home))
        if edits is None:
            return after
        whole = [_Window((0, self.shape[0], 0, self.shape[1]), (0, self.shape[0], 0, self.shape[1]))]
        if edits.boxes["radiation"]:
            wins = windows(edits.boxes["radiation"], self.reach_r, self.shape) if windowed else whole
            after.shade, after.cool = before.shade.copy(), before.cool.copy()
            after.pet = {k: v.copy() for k, v in before.pet.items()}
            after.home = {k: v.copy() for k, v in before.home.items()}
            for win in wins:
                self._radiation(win, edits, after)
            if np.array_equal(after.cool, before.cool):
                after.cool = before.cool  # no cool place changed: the distances stand
        if edits.boxes["island"]:
            after.uhi = before.uhi.copy()
            for win in windows(edits.boxes["island"], self.reach_u, self.shape, self.block_u) if windowed else whole:
                surface = self._surface(win.compute, edits)
                rs, cs = _slices(win.compute)
                uhi = heat_island(self.base.svf[rs, cs], surface, self.res, self.base.knowledge)
                after.uhi[_slices(win.paste)] = uhi[win.inner()]
        if edits.boxes["cooling"]:
            after.cooling = before.cooling.copy()
            for win in windows(edits.boxes["cooling"], self.reach_c, self.shape, self.block_c) if windowed else whole:
                surface = self._surface(win.compute, edits)
                after.cooling[_slices(win.paste)] = cooling(surface, self.res, self.base.knowledge)[win.inner()]
        return after

    def _radiation(self, win: _Window, edits: _Edits, after: _Results) -> None:
        base, kn, params = self.base, self.base.knowledge, self.base.params
        rs, cs = _slices(win.compute)
        surface = self._surface(win.compute, edits)
        receiver = shadow_surface(base.surface.window(rs, cs))  # the person stands where step 1 put it
        radiation: Radiation = sun_and_shade(base.svf[rs, cs], surface, self.res, kn, params.shadow_max_distance_m,
                                             receiver=receiver)
        inner, paste = win.inner(), _slices(win.paste)
        after.shade[paste] = radiation.shade[inner]
        after.cool[paste] = cool_place_cells(surface, radiation.shade, kn)[inner]
        wind = self.wind[rs, cs]
        for sid, ta in base.air_temperatures.items():
            pet = felt_temperature(ta, radiation, wind, surface, kn, params, self.tables[sid])
            home = home_pet(pet, surface.building, surface.outdoor, self.res, kn.home_radius_m)
            after.pet[sid][paste] = pet[inner]
            after.home[sid][paste] = home[inner].astype(np.float32)

    # --- indicators and damage ------------------------------------------------------------------------

    def _far(self, cool: np.ndarray) -> float:
        """Residents farther than the walking distance from a cool place (all places measured again)."""
        kn = self.base.knowledge
        places = cool_places(cool, self.res, kn.cool_min_area_m2 / 10_000.0)
        width = self.shape[1]
        distance = distance_from_cells(places, self.lived // width, self.lived % width, self.res)
        return float(self.people[distance > kn.cool_max_distance_m].sum())

    def _far_after(self, cool: np.ndarray) -> float:
        """:meth:`_far` of ``cool``, measured only from the new cool places to the homes that were far.

        Measures only add cool cells; the places they add are the patches (8 neighbours, of at least the minimum
        area) that hold a new cool cell, less the places of step 1. A home's distance is the smaller of its step 1
        distance and its distance to the new places, so only homes farther than the walking distance are
        measured, and only from the edge cells of the new places. Where a cool cell was lost (no measure does
        that) every place is measured again.
        """
        before = self.before.cool
        added = cool & ~before
        if (before & ~cool).any():
            return self._far(cool)
        if not added.any():
            return self.far_before
        kn = self.base.knowledge
        # the patches holding a new cool cell: the new cells and the step 1 patches they touch, all inside the
        # box of the new cells grown by one cell and by the boxes of those patches
        rows, cols = np.nonzero(added)
        r0, r1 = max(int(rows.min()) - 1, 0), min(int(rows.max()) + 2, self.shape[0])
        c0, c1 = max(int(cols.min()) - 1, 0), min(int(cols.max()) + 2, self.shape[1])
        ring = ndimage.binary_dilation(added[r0:r1, c0:c1], structure=np.ones((3, 3), dtype=bool))
        for label in np.unique(self.cool_labels[r0:r1, c0:c1][ring]):
            if label:
                box = self.cool_boxes[label - 1]
                r0, r1 = min(r0, box[0].start), max(r1, box[0].stop)
                c0, c1 = min(c0, box[1].start), max(c1, box[1].stop)
        labels, count = ndimage.label(cool[r0:r1, c0:c1], structure=np.ones((3, 3)))
        touched = np.zeros(count + 1, dtype=bool)
        touched[labels[added[r0:r1, c0:c1]]] = True
        touched[0] = False
        sizes = np.bincount(labels.ravel(), minlength=count + 1) * self.res * self.res / 10_000.0
        touched &= sizes >= kn.cool_min_area_m2 / 10_000.0  # as cool_places compares
        new = np.zeros(self.shape, dtype=bool)
        new[r0:r1, c0:c1] = touched[labels] & ~self.places_before[r0:r1, c0:c1]
        limit = kn.cool_max_distance_m
        far = self.distance_before > limit
        if not new.any() or not far.any():
            return self.far_before
        rows, cols = np.nonzero(new)
        r0, r1 = max(int(rows.min()) - 1, 0), min(int(rows.max()) + 2, self.shape[0])
        c0, c1 = max(int(cols.min()) - 1, 0), min(int(cols.max()) + 2, self.shape[1])
        crop = new[r0:r1, c0:c1]
        edge = crop & ~ndimage.binary_erosion(crop, structure=np.ones((3, 3), dtype=bool), border_value=1)
        er, ec = np.nonzero(edge)
        width = self.shape[1]
        hr, hc = self.lived[far] // width, self.lived[far] % width
        tree = cKDTree(np.column_stack([er + r0, ec + c0]).astype(np.float64))
        d, _ = tree.query(np.column_stack([hr, hc]).astype(np.float64), distance_upper_bound=limit / self.res + 1.0)
        d = np.asarray(d, dtype=np.float64) * self.res
        d = np.where(new[hr, hc], 0.0, d)
        still = np.ones(self.people.shape, dtype=bool)
        still[~far] = False
        still[np.flatnonzero(far)] = d > limit
        return float(self.people[still].sum())

    def _outcome(self, after: _Results) -> ThemeOutcome:
        kn, before = self.base.knowledge, self.before
        people, lived = self.people, self.lived
        extreme = kn.pet_classes[-1].lower_c
        far_after = self.far_before if after.cool is before.cool else self._far_after(after.cool)
        uhi_b = float(people[np.nan_to_num(before.uhi.reshape(-1)[lived]) >= kn.uhi_high_k].sum())
        uhi_a = float(people[np.nan_to_num(after.uhi.reshape(-1)[lived]) >= kn.uhi_high_k].sum())
        cool_b, cool_a = (_mean(people, r.cooling.reshape(-1)[lived]) for r in (before, after))
        indicators: dict[str, dict[str, float]] = {}

        def put(name: str, sid: str, value: float) -> None:
            indicators.setdefault(name, {})[sid] = value

        shift: dict[str, float] = {}
        work_shift: dict[str, float] = {}
        for sid in self.base.air_temperatures:
            if self.jobs.size:  # the jobs' mean PET around the workplaces: moves the labour loss at the workplace
                wb, wa = (_mean(self.jobs, r.home[sid].reshape(-1)[self.worked]) for r in (before, after))
                work_shift[sid] = wa - wb if math.isfinite(wb) and math.isfinite(wa) else 0.0
                put("pet_work_mean_before", sid, wb)
                put("pet_work_mean_after", sid, wa)
            hb, ha = before.home[sid].reshape(-1)[lived], after.home[sid].reshape(-1)[lived]
            mean_b, mean_a = _mean(people, hb), _mean(people, ha)
            shift[sid] = mean_a - mean_b if math.isfinite(mean_b) and math.isfinite(mean_a) else 0.0
            with np.errstate(invalid="ignore"):
                drop = hb.astype(np.float64) - ha.astype(np.float64)
                lower_class = classify(ha, kn.pet_bounds) < classify(hb, kn.pet_bounds)
                cooled = (drop >= COOLED_PET_DROP_C - 1e-6) | lower_class
            put("residents_cooled", sid, float(people[cooled & np.isfinite(drop)].sum()))
            put("residents_extreme_heat_before", sid, float(people[np.nan_to_num(hb, nan=-np.inf) >= extreme].sum()))
            put("residents_extreme_heat_after", sid, float(people[np.nan_to_num(ha, nan=-np.inf) >= extreme].sum()))
            put("residents_far_from_cool_place_before", sid, self.far_before)
            put("residents_far_from_cool_place_after", sid, far_after)
            put("residents_uhi_high_before", sid, uhi_b)
            put("residents_uhi_high_after", sid, uhi_a)
            put("pet_home_mean_before", sid, mean_b)
            put("pet_home_mean_after", sid, mean_a)
            put("cooling_home_mean_before", sid, cool_b)
            put("cooling_home_mean_after", sid, cool_a)
        return ThemeOutcome(ead=self.base.valuation.ead(shift, work_shift), indicators=indicators)

    def outcome(self, placements: Sequence[Placement]) -> ThemeOutcome:
        """EAD per scenario and the indicators with ``placements``; none (or none with a heat effect): step 1."""
        if not placements or self._edits(placements) is None:
            return ThemeOutcome(ead={s: dict(v) for s, v in self.baseline.ead.items()},
                                indicators={k: dict(v) for k, v in self.baseline.indicators.items()})
        return self._outcome(self.results(placements))


def _add(steps: dict[str, list[tuple[np.ndarray, float, bool]]], name: str, cells: np.ndarray, value: float,
         keep_max: bool) -> str:
    if cells.size:
        steps.setdefault(name, []).append((cells, float(value), keep_max))
    return name


def _mean(people: np.ndarray, values: np.ndarray) -> float:
    """Mean of ``values`` weighted by ``people`` over the finite values (NaN when none): as ``pet_home_mean``."""
    finite = np.isfinite(values)
    weight = float(people[finite].sum())
    return float((people[finite] * values[finite].astype(np.float64)).sum() / weight) if weight > 0 else math.nan
