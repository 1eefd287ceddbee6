"""Damage of pluvial flooding (*wateroverlast*) from the saved depth rasters: per event, EAD per scenario.

The step 1 pluvial product leaves one depth raster per case (event x climate
scenario; ``depth_<event>_<scenario>.tif``, m, NaN where dry or below its
display threshold). Per case this module values, with the STOWA
WaterSchadeSchatter table (:mod:`alliantie.damage.depth_damage`):

* the land use of every wet cell (:func:`land_damage`: the per-cell WSS kernel on the wet
  cells only, LGN codes mapped to WSS classes); built-up cells take the WSS terrain rate;
* every building with water above its floor level
  (:func:`~alliantie.damage.depth_damage.object_damage`): the water above the
  floor is the highest water level in the cells touching the footprint
  (ground + depth) minus the floor level, the area its footprint, the class
  its function mapped to a WSS building class.

With the 2-D engine (``[parameters.pluvial] engine = "overland"``) the pluvial
product also says how long the water stood in every wet cell; the land use is
then valued with that duration (:func:`land_damage_timed`): the WSS duration
factor is piecewise linear between the table's duration nodes, so the damage at
``h`` hours is the mix of the damages at the two nodes around ``h`` with the
weights of linear interpolation (exact, one kernel pass per node). Buildings are
valued from the water above their floor as before (the WSS building classes have
a duration factor of 1 at every node).

The expected annual damage per scenario integrates the design storms of the
event series of that scenario over their return periods
(:func:`~alliantie.damage.risk.expected_annual_damage`; default the
WaterSchadeSchatter trapezoid on the exceedance frequency ``1/T`` with the tail
``D(T_max) / T_max`` and no damage more often than the most frequent storm, by
default once in 2 years). In a future climate each storm keeps its return
period and brings the scenario's rain of the KNMI'23 statistics, so the climate
share ``EAD(scenario) - EAD(today)`` follows those statistics. A stress-test
storm of today's climate (e.g. 140 mm in 2 hours) is reported as an incident.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from alliantie.damage.amounts import DamageRange, Incident, ThemeDamage
from alliantie.damage.depth_damage import AMOUNTS, Coefficients, object_damage
from alliantie.damage.risk import DEFAULT_RULE, RULES, Rule, expected_annual_damage

__all__ = [
    "CaseDamage",
    "DurationCoefficients",
    "FacadeRing",
    "PluvialDamage",
    "above_floor",
    "above_floor_at",
    "above_floor_by_depth",
    "annual_damage",
    "case_damage",
    "facade_ring",
    "land_damage",
    "land_damage_timed",
]


@dataclass(frozen=True)
class CaseDamage:
    """The damage of one case (event in one scenario) per amount level, EUR at the coefficients' price level."""

    event: str
    scenario: str
    return_period: float
    land: dict[str, float]  #: amount level -> EUR (land use, raster)
    buildings: dict[str, float]  #: amount level -> EUR (buildings with water above floor level)
    buildings_above_floor: int

    def total(self, amount: str) -> float:
        return self.land[amount] + self.buildings[amount]


@dataclass
class PluvialDamage:
    """Everything the product reports on pluvial damage."""

    theme: ThemeDamage
    cases: list[CaseDamage]
    #: scenario id -> rule -> amount level -> EAD (EUR per year)
    ead: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    rule: Rule = DEFAULT_RULE


#: The 8 neighbours of a cell (row, column offsets).
_OFFSETS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


@dataclass(frozen=True)
class FacadeRing:
    """The cells touching each building's footprint: pairs of a flat cell index and a building number 1..count."""

    cells: NDArray[np.int64]
    owners: NDArray[np.int64]
    count: int


def facade_ring(ids: NDArray[np.integer], count: int) -> FacadeRing:
    """Cells (8-neighbours) touching each footprint that are not part of that footprint, from building ids 1..count.

    Computed once per run from the footprint cells only; :func:`above_floor` then reads one
    event's water levels at these cells (as ``bluespots.facade_water`` does over the whole raster).
    """
    h, w = ids.shape
    rows, cols = np.nonzero(ids > 0)
    own = ids[rows, cols].astype(np.int64)
    cells: list[NDArray[np.int64]] = []
    owners: list[NDArray[np.int64]] = []
    for dr, dc in _OFFSETS:
        nr, nc = rows + dr, cols + dc
        inside = (nr >= 0) & (nr < h) & (nc >= 0) & (nc < w)
        nr, nc, o = nr[inside], nc[inside], own[inside]
        keep = ids[nr, nc] != o
        cells.append((nr[keep] * w + nc[keep]).astype(np.int64))
        owners.append(o[keep])
    return FacadeRing(np.concatenate(cells), np.concatenate(owners), int(count))


def above_floor(depth: NDArray[np.floating], ground: NDArray[np.floating], ring: FacadeRing,
                floor_level: NDArray[np.floating]) -> NDArray[np.float64]:
    """Water above floor level (m) per building: highest level around the footprint minus the floor (NaN dry).

    ``depth`` (m, NaN or 0 dry) and ``ground`` (m NAP) are rasters; ``ring`` the cells
    touching each footprint (:func:`facade_ring`); ``floor_level`` (m NAP) per building.
    """
    d = np.asarray(depth).reshape(-1)[ring.cells]
    return above_floor_at(d, np.asarray(ground).reshape(-1)[ring.cells], ring, floor_level)


def above_floor_at(ring_depth: NDArray[np.floating], ring_ground: NDArray[np.floating], ring: FacadeRing,
                   floor_level: NDArray[np.floating]) -> NDArray[np.float64]:
    """:func:`above_floor` from the depth and ground at the ring's cells only (``ring.cells`` order)."""
    d = np.asarray(ring_depth, dtype=np.float64)
    level = np.asarray(ring_ground, dtype=np.float64) + d
    wet = (d > 0) & np.isfinite(level)
    highest = np.full(ring.count + 1, -np.inf)
    np.maximum.at(highest, ring.owners[wet], level[wet])
    highest[~np.isfinite(highest)] = np.nan
    return np.asarray(highest[1:] - np.asarray(floor_level, dtype=np.float64), dtype=np.float64)


def above_floor_by_depth(depth: NDArray[np.floating], ring: FacadeRing, lowest_ground: NDArray[np.floating],
                         floor_level: NDArray[np.floating]) -> NDArray[np.float64]:
    """Water above floor level (m) per building from the largest depth at its facade (NaN dry).

    The rule for water in motion (the 2-D engine): the water is above the floor where the largest
    depth in the cells touching the footprint exceeds the building's threshold height, the floor
    level minus the lowest ground around the footprint (``lowest_ground``, m NAP, per building;
    ``bluespots.footprint_ground``). For water at rest (a flat level) it equals :func:`above_floor`;
    on a slope, :func:`above_floor` would count a film of water flowing past the upslope wall as
    water above the floor, because the ground there is already higher than the floor.
    """
    d = np.asarray(depth, dtype=np.float64).reshape(-1)[ring.cells]
    wet = np.isfinite(d) & (d > 0)
    deepest = np.full(ring.count + 1, -np.inf)
    np.maximum.at(deepest, ring.owners[wet], d[wet])
    deepest[~np.isfinite(deepest)] = np.nan
    threshold = np.asarray(floor_level, dtype=np.float64) - np.asarray(lowest_ground, dtype=np.float64)
    return np.asarray(deepest[1:] - threshold, dtype=np.float64)


def _wet_cells(depth: NDArray[np.floating], landuse: NDArray[np.floating], area: NDArray[np.bool_] | None,
               ) -> tuple[NDArray[np.floating], NDArray[np.int64], NDArray[np.floating]]:
    """The flat depths, the flat indices of the wet cells (NaN is dry; outside ``area`` left out) and their land use."""
    d = np.asarray(depth).reshape(-1)
    with np.errstate(invalid="ignore"):
        wet = d > 0
    if area is not None:
        wet &= np.asarray(area, dtype=bool).reshape(-1)
    idx = np.flatnonzero(wet)
    return d, idx, np.asarray(landuse).reshape(-1)[idx]


def land_damage(depth: NDArray[np.floating], landuse: NDArray[np.floating], coef: Coefficients, cell_area_m2: float,
                area: NDArray[np.bool_] | None = None) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Damage (EUR) of the wet cells only: their flat indices and damage (NaN where the land use is missing).

    A depth raster of a cloudburst is mostly dry; valuing only the wet cells keeps the
    product fast on large grids. NaN depth is dry; cells outside ``area`` are left out.
    """
    d, idx, lu = _wet_cells(depth, landuse, area)
    return idx, object_damage(d[idx], lu, float(cell_area_m2), coef, unknown="zero")


@dataclass(frozen=True)
class DurationCoefficients:
    """The land-use coefficients of one amount level at each duration node of the WSS table (hours)."""

    nodes: tuple[float, ...]
    at_node: tuple[Coefficients, ...]


def duration_weights(hours: NDArray[np.floating], nodes: tuple[float, ...]) -> NDArray[np.float64]:
    """(nodes, cells) weights of linear interpolation in ``nodes`` (clamped beyond the first and last node).

    >>> duration_weights(np.array([0.5, 6.5, 30.0]), (1.0, 12.0, 24.0)).round(2).tolist()
    [[1.0, 0.5, 0.0], [0.0, 0.5, 0.0], [0.0, 0.0, 1.0]]
    """
    h = np.asarray(hours, dtype=np.float64)
    eye = np.eye(len(nodes))
    return np.stack([np.interp(h, nodes, eye[k]) for k in range(len(nodes))])


def land_damage_timed(depth: NDArray[np.floating], hours: NDArray[np.floating], landuse: NDArray[np.floating],
                      coef: DurationCoefficients, cell_area_m2: float,
                      area: NDArray[np.bool_] | None = None) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """:func:`land_damage` with a duration (h) per cell: the WSS duration factor of each cell's own duration.

    ``hours`` NaN or 0 takes the first duration node (the table's shortest duration).
    """
    d, idx, lu = _wet_cells(depth, landuse, area)
    h = np.nan_to_num(np.asarray(hours, dtype=np.float64).reshape(-1)[idx], nan=0.0)
    weights = duration_weights(h, coef.nodes)
    out = np.zeros(idx.size)
    for k, at in enumerate(coef.at_node):
        use = weights[k] > 0
        if use.any():
            out[use] += weights[k][use] * object_damage(d[idx][use], lu[use], float(cell_area_m2), at,
                                                        unknown="zero")
    return idx, out


def case_damage(
    event: str,
    scenario: str,
    return_period: float,
    depth: NDArray[np.floating],
    landuse: NDArray[np.floating],
    land_coef: Mapping[str, Coefficients],
    cell_area_m2: float,
    *,
    water_above_floor: NDArray[np.floating] | None = None,
    building_class: NDArray[np.integer] | None = None,
    floor_area_m2: NDArray[np.floating] | None = None,
    building_coef: Mapping[str, Coefficients] | None = None,
    area: NDArray[np.bool_] | None = None,
    hours: NDArray[np.floating] | None = None,
    land_by_duration: Mapping[str, DurationCoefficients] | None = None,
) -> CaseDamage:
    """Land-use and building damage of one depth raster for each amount level in ``land_coef``.

    NaN depth counts as dry; cells outside ``area`` (or without land use) are left out.
    Buildings: ``water_above_floor`` (m, NaN dry), WSS ``building_class`` and footprint ``floor_area_m2``.
    ``hours`` (h per cell, from the 2-D engine) with ``land_by_duration`` values the land use with each
    cell's duration (:func:`land_damage_timed`) instead of the fixed duration of ``land_coef``.
    """
    land: dict[str, float] = {}
    buildings: dict[str, float] = {}
    n_above = 0
    for amount, coef in land_coef.items():
        if hours is not None and land_by_duration is not None:
            _, per_cell = land_damage_timed(depth, hours, landuse, land_by_duration[amount], cell_area_m2, area)
        else:
            _, per_cell = land_damage(depth, landuse, coef, cell_area_m2, area)
        land[amount] = float(np.nansum(per_cell))
        buildings[amount] = 0.0
    if water_above_floor is not None and building_class is not None and floor_area_m2 is not None \
            and building_coef is not None and len(water_above_floor):
        above = np.asarray(water_above_floor, dtype=np.float64)
        wet = np.isfinite(above) & (above > 0)
        n_above = int(wet.sum())
        above = np.where(wet, above, 0.0)
        for amount, coef in building_coef.items():
            per_b = object_damage(above, np.asarray(building_class), floor_area_m2, coef, unknown="zero")
            buildings[amount] = float(np.nansum(per_b))
    return CaseDamage(event=event, scenario=scenario, return_period=float(return_period), land=land,
                      buildings=buildings, buildings_above_floor=n_above)


def _range(values: Mapping[str, float], price_year: int, sources: tuple[str, ...]) -> DamageRange:
    low, mean, high = (float(values[a]) for a in AMOUNTS)
    # the amount levels are monotone per class; guard against rounding
    mean = max(mean, low)
    high = max(high, mean)
    return DamageRange(low, mean, high, price_year, sources)


def annual_damage(
    cases: Sequence[CaseDamage],
    *,
    price_year: int,
    sources: tuple[str, ...] = (),
    rule: Rule = DEFAULT_RULE,
    rules: Sequence[Rule] = RULES,
    incident_event: str | None = None,
    event_labels: Mapping[str, tuple[str, str]] | None = None,
    scenarios: Sequence[str] | None = None,
    incident_cases: Sequence[CaseDamage] | None = None,
) -> PluvialDamage:
    """EAD per scenario (each rule, each amount level) over ``cases``, and the incident of ``incident_event`` today.

    ``cases`` are the storms of the event series (each with its return period).
    ``scenarios`` lists every scenario id the dossier asked for: one without
    cases (or with fewer than all events of today's climate) is listed in
    ``missing`` and gets no annual damage. The incident is taken from
    ``incident_cases`` (the stress-test storms), else from ``cases``.
    """
    by_scenario: dict[str, list[CaseDamage]] = {}
    for c in cases:
        by_scenario.setdefault(c.scenario, []).append(c)
    events_today = {c.event for c in by_scenario.get("current", [])}
    theme = ThemeDamage(theme="pluvial")
    out = PluvialDamage(theme=theme, cases=list(cases), rule=rule)
    wanted = list(scenarios) if scenarios is not None else list(by_scenario)
    for sid in wanted:
        group = by_scenario.get(sid, [])
        if not group or (events_today and {c.event for c in group} != events_today):
            theme.missing.append(("pluvial_depth", sid))
            continue
        rps = [c.return_period for c in group]
        per_rule: dict[str, dict[str, float]] = {}
        for r in dict.fromkeys([rule, *rules]):
            per_rule[r] = {a: float(expected_annual_damage([c.total(a) for c in group], rps, r)) for a in AMOUNTS}
        out.ead[sid] = per_rule
        theme.annual[sid] = _range(per_rule[rule], price_year, sources)
    if incident_event is not None:
        labels = (event_labels or {}).get(incident_event, (incident_event, incident_event))
        pool = incident_cases if incident_cases is not None else by_scenario.get("current", [])
        for c in pool:
            if c.event == incident_event and c.scenario == "current":
                totals: dict[str, float] = {a: c.total(a) for a in AMOUNTS}
                theme.incidents.append(Incident(id=f"pluvial_{incident_event}", scenario="current",
                                                label_nl=labels[0], label_en=labels[1],
                                                damage=_range(totals, price_year, sources)))
    return out

