"""Drought kernels (*droogte*): soil water supply, drought sensitivity, groundwater drop, peat subsidence,
foundation risk and wildfire susceptibility.

Numpy in, numpy out; no files and no dossier. Conventions:

* depths of groundwater (GLG) in m below surface, positive down; NaN = no data;
* class rasters are uint8 with 0 none, 1 low, 2 moderate, 3 high and :data:`NODATA` (255) where a
  class applies but an input is missing;
* the numbers of the relations come from the caller (knowledge file ``drought.toml`` and
  :class:`~alliantie.parameters.drought.DroughtParameters`); see ``docs/drought.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

NODATA = 255
#: Foundation kinds of :func:`foundation_kind`.
OTHER_FOUNDATION, WOODEN_PILES, SHALLOW = 0, 1, 2
#: Subsoil classes under a building for :func:`foundation_risk`.
FIRM, SOFT_CLAY, SOFT_PEAT = 0, 1, 2


def _f(a: np.ndarray | float) -> np.ndarray:
    """A float array (float32 kept as float32 to save memory and time on large grids)."""
    arr = np.asarray(a)
    return arr if arr.dtype in (np.float32, np.float64) else arr.astype(np.float64)


def classify(values: np.ndarray, limits: Sequence[float], *, valid: np.ndarray | None = None) -> np.ndarray:
    """Classes 0-3 of ``values`` against three ascending ``limits``: 1 above limits[0], 2 above [1], 3 above [2].

    NaN values give :data:`NODATA` inside ``valid`` (all cells when None) and 0 outside it.
    """
    if len(limits) != 3 or not (limits[0] <= limits[1] <= limits[2]):
        raise ValueError(f"limits must be three ascending numbers, got {list(limits)}")
    v = _f(values)
    with np.errstate(invalid="ignore"):
        out = (v > limits[0]).astype(np.uint8) + (v > limits[1]) + (v > limits[2])
    out = out.astype(np.uint8)
    if valid is not None:
        out[~valid] = 0
        out[np.isnan(v) & valid] = NODATA
    else:
        out[np.isnan(v)] = NODATA
    return out


# --- soil water supply and drought sensitivity ----------------------------------------------------------------

def capillary_supply_mm(glg_m: np.ndarray, root_depth_m: np.ndarray, critical_distance_m: np.ndarray, *,
                        flux_mm_per_day: float, season_days: float, decay_m: float) -> np.ndarray:
    """Capillary rise into the root zone over the growing season (mm), from the depth of the lowest groundwater.

    ``d = max(GLG - root depth, 0)`` is the distance between the bottom of the root zone and the
    lowest groundwater. Up to the critical distance the full ``flux_mm_per_day`` is delivered every
    day of the season; beyond it the supply falls off as ``exp(-(d - critical)/decay)``.
    """
    if decay_m <= 0 or season_days < 0 or flux_mm_per_day < 0:
        raise ValueError("decay_m must be > 0, season_days and flux_mm_per_day >= 0")
    d = np.maximum(_f(glg_m) - _f(root_depth_m), 0.0)
    excess = np.maximum(d - _f(critical_distance_m), 0.0)
    return flux_mm_per_day * season_days * np.exp(-excess / decay_m)


def water_supply_mm(paw_mm: np.ndarray, capillary_mm: np.ndarray) -> np.ndarray:
    """Water available to the vegetation in the season (mm): root-zone store plus capillary rise."""
    return _f(paw_mm) + _f(capillary_mm)


def sensitivity_classes(deficit_mm: float, supply_mm: np.ndarray, target: np.ndarray,
                        shortage_limits_mm: Sequence[float]) -> np.ndarray:
    """Drought sensitivity of farmland and nature cells (``target``): classes of the shortage deficit - supply.

    A cell is short of water when the precipitation deficit exceeds its supply; the shortage (mm) is
    classified by ``shortage_limits_mm`` (three ascending numbers). Cells outside ``target`` are 0;
    target cells without a supply (NaN) are :data:`NODATA`.
    """
    shortage = float(deficit_mm) - _f(supply_mm)
    return classify(shortage, shortage_limits_mm, valid=np.asarray(target, dtype=bool))


def glg_drop_m(delta_deficit_mm: float | np.ndarray, specific_yield: np.ndarray, *, groundwater_share: float,
               max_drop_m: float) -> np.ndarray:
    """Lowering of the GLG (m, positive = deeper) caused by a larger precipitation deficit.

    The part ``groundwater_share`` of the extra deficit (mm) is taken from groundwater storage; a
    water-table drop of ``share * delta / 1000 / specific_yield`` m releases it. Limited to
    ``[-max_drop_m, max_drop_m]`` (a smaller deficit raises the groundwater). Cells with a specific
    yield of 0 or less (open water) get 0. ``delta_deficit_mm`` may be one number or one per cell (the
    effect engine: extra recharge is a smaller deficit).
    """
    sy = _f(specific_yield)
    delta = float(delta_deficit_mm) if np.ndim(delta_deficit_mm) == 0 else _f(delta_deficit_mm)
    with np.errstate(divide="ignore", invalid="ignore"):
        drop = np.where(sy > 0, groundwater_share * delta / 1000.0 / sy, 0.0)
    return np.clip(drop, -max_drop_m, max_drop_m)


# --- peat subsidence ------------------------------------------------------------------------------------------

def subsidence_rate_mm_per_year(glg_m: np.ndarray, peat_factor: np.ndarray, *, slope: float,
                                intercept: float, glg_max_m: float = np.inf) -> np.ndarray:
    """Subsidence rate (mm/year) of peat soils: ``peat_factor * max(0, slope * min(GLG, glg_max_m) + intercept)``.

    ``glg_max_m`` keeps the empirical relation inside the range it was fitted on. Zero where
    ``peat_factor`` is 0 (no peat), NaN where peat has no GLG.
    """
    factor = _f(peat_factor)
    rate = factor * np.maximum(slope * np.minimum(_f(glg_m), glg_max_m) + intercept, 0.0)
    return np.where(factor > 0, rate, 0.0)


def cumulative_subsidence_cm(glg_m: np.ndarray, drop_m: np.ndarray | float, peat_factor: np.ndarray,
                             years: float, *, slope: float, intercept: float, glg_max_m: float = np.inf,
                             steps: int = 20) -> np.ndarray:
    """Subsidence (cm) over ``years`` while the GLG deepens linearly from today's to today's + ``drop_m``.

    The climate changes gradually, so the drop grows from 0 to ``drop_m`` over the period; the
    rate is integrated with the midpoint rule in ``steps`` steps (exact while the rate is positive,
    where it is linear in the GLG: then the total is ``years * rate(GLG + drop/2)``).
    """
    if years < 0 or steps < 1:
        raise ValueError("years must be >= 0 and steps >= 1")
    glg = _f(glg_m)
    drop = _f(drop_m)
    total = np.zeros(np.broadcast_shapes(glg.shape, drop.shape, np.shape(peat_factor)), dtype=np.float64)
    for k in range(steps):
        t = (k + 0.5) / steps
        total += subsidence_rate_mm_per_year(glg + t * drop, peat_factor, slope=slope, intercept=intercept,
                                             glg_max_m=glg_max_m)
    return total * (years / steps) / 10.0


# --- foundations ----------------------------------------------------------------------------------------------

def foundation_kind(foundation: Sequence[object] | np.ndarray | None, year: np.ndarray, soft: np.ndarray,
                    *, wooden_until_year: int) -> np.ndarray:
    """Foundation kind per building: :data:`WOODEN_PILES`, :data:`SHALLOW` or :data:`OTHER_FOUNDATION`.

    A recorded ``foundation`` (``wooden_piles``, ``shallow``, anything else = other, e.g. concrete
    piles) wins. Where it is unknown (None, empty, ``unknown``) the kind is inferred: on soft soil a
    building from before ``wooden_until_year`` stands on wooden piles, a later one on other (concrete)
    piles; on firm soil it has a shallow foundation.
    """
    y = np.asarray(year, dtype=np.float64)
    n = y.shape[0]
    s = np.asarray(soft, dtype=bool)
    inferred = np.where(s, np.where(y < wooden_until_year, WOODEN_PILES, OTHER_FOUNDATION), SHALLOW)
    if foundation is None:
        return inferred.astype(np.uint8)
    text = np.array(["" if f is None or (isinstance(f, float) and np.isnan(f)) else str(f).strip().lower()
                     for f in foundation], dtype=object)
    if text.shape[0] != n:
        raise ValueError("foundation and year differ in length")
    known = np.where(text == "wooden_piles", WOODEN_PILES, np.where(text == "shallow", SHALLOW, OTHER_FOUNDATION))
    unknown = np.isin(text, ["", "unknown", "onbekend"])
    return np.where(unknown, inferred, known).astype(np.uint8)


def foundation_risk(kind: np.ndarray, subsoil: np.ndarray, pile_head_nap: np.ndarray, groundwater_nap: np.ndarray,
                    drop_m: np.ndarray, *, pile_margin_m: float, settlement_drop_m: float) -> np.ndarray:
    """Foundation risk class per building (0 none, 1 low, 2 moderate, 3 high).

    * Wooden piles (any subsoil): 3 when the lowest groundwater (``groundwater_nap``, m NAP at GLG)
      lies below the pile heads (``pile_head_nap``), so the wood falls dry and rots; 2 when it lies
      less than ``pile_margin_m`` above them; 1 otherwise (wood under water, watch). Without a
      groundwater level: 1.
    * Shallow foundations on clay (:data:`SOFT_CLAY`) 1, on peat (:data:`SOFT_PEAT`) 2: lowering
      groundwater compresses the subsoil unevenly; one class more when the GLG drops by
      ``settlement_drop_m`` or more. Shallow on firm soil: 0.
    * Other foundations (concrete piles): 0.
    """
    k = np.asarray(kind)
    sub = np.asarray(subsoil)
    free = _f(groundwater_nap) - _f(pile_head_nap)  # water above the pile heads, m
    with np.errstate(invalid="ignore"):
        wooden = np.where(free < 0, 3, np.where(free < pile_margin_m, 2, 1))
    wooden = np.where(np.isnan(free), 1, wooden)
    base = np.where(sub == SOFT_PEAT, 2, np.where(sub == SOFT_CLAY, 1, 0))
    with np.errstate(invalid="ignore"):
        extra = (_f(drop_m) >= settlement_drop_m) & (base > 0)
    shallow = np.minimum(base + extra, 3)
    out = np.where(k == WOODEN_PILES, wooden, np.where(k == SHALLOW, shallow, 0))
    return out.astype(np.uint8)


# --- wildfire -------------------------------------------------------------------------------------------------

def dryness(glg_m: np.ndarray, deficit_mm: float, *, glg_wet_m: float, glg_dry_m: float, wet_floor: float,
            deficit_full_mm: float) -> np.ndarray:
    """How dry the vegetation gets in a dry year, 0-1: a groundwater factor times a deficit factor.

    Groundwater factor: ``wet_floor`` where the GLG is at most ``glg_wet_m`` (wet soils), rising
    linearly to 1 at ``glg_dry_m`` and deeper. Deficit factor: ``deficit_mm / deficit_full_mm`` (at
    most 1). NaN GLG gives NaN.
    """
    if glg_dry_m <= glg_wet_m or deficit_full_mm <= 0:
        raise ValueError("glg_dry_m must exceed glg_wet_m and deficit_full_mm must be positive")
    g = np.clip((_f(glg_m) - glg_wet_m) / (glg_dry_m - glg_wet_m), 0.0, 1.0)
    ground = wet_floor + (1.0 - wet_floor) * g
    return ground * min(max(float(deficit_mm), 0.0) / deficit_full_mm, 1.0)


def nearness(distance_m: np.ndarray, *, near_m: float, far_m: float) -> np.ndarray:
    """Weight of the distance to buildings: 1 up to ``near_m``, linearly down to 0 at ``far_m``."""
    if far_m <= near_m:
        raise ValueError("far_m must exceed near_m")
    return np.clip((far_m - _f(distance_m)) / (far_m - near_m), 0.0, 1.0)


def wildfire_index(fuel: np.ndarray, dryness_: np.ndarray, nearness_: np.ndarray) -> np.ndarray:
    """Wildfire susceptibility near buildings, 0-1: fuel x dryness x nearness (0 without fuel, even if NaN)."""
    f = _f(fuel)
    value = f * _f(dryness_) * _f(nearness_)
    return np.where(f > 0, value, 0.0)


def firebreak_cells(fuel: np.ndarray, building_distance_m: np.ndarray, *, fire_prone_fuel: float,
                    width_m: float) -> np.ndarray:
    """Candidate firebreak zone: fire-prone vegetation (fuel >= ``fire_prone_fuel``) within ``width_m`` of buildings.

    The band where thinning the vegetation (a *brandgang*, deciduous trees, grazed open ground)
    keeps a fire away from the buildings. Building cells themselves (distance 0) are excluded.
    """
    d = _f(building_distance_m)
    return (_f(fuel) >= fire_prone_fuel) & (d > 0) & (d <= width_m)


# --- theme severity -------------------------------------------------------------------------------------------

def combine_severity(*classes: np.ndarray) -> np.ndarray:
    """Severity per cell: the highest class of the sub-hazards (:data:`NODATA` counts as 0)."""
    if not classes:
        raise ValueError("no classes to combine")
    out = np.zeros(np.shape(classes[0]), dtype=np.uint8)
    for c in classes:
        a = np.asarray(c, dtype=np.uint8)
        out = np.maximum(out, np.where(a == NODATA, 0, a).astype(np.uint8))
    return out
