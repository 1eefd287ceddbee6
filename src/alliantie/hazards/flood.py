"""Flood safety (*waterveiligheid*) kernels: inundation after a dike breach, depth classes, buildings and refuges.

Pure numpy in, numpy out; no files, no dossier. Conventions: ``dem`` is ground
level in m NAP (float, NaN or ``nodata`` = no data); depths are m of water
above ground (0 dry, NaN no data); water levels are m NAP.

The breach model is static (no time, no flow velocities), the way the
*maximale overstromingsdiepte* maps of LIWO show the end state of a breach:

* **unlimited volume** (the river keeps flowing in): the water stands at the
  river level on every cell that is 8-connected to the breach cell over ground
  below that level; a ridge at or above the level stops it;
* **limited volume** ``volume_m3``: the water runs downhill from the breach and
  fills the basin from its lowest point (fill, spill and merge of the sub-basins,
  :func:`alliantie.hydrology.fill_spill_merge`), never above the river level:
  when the volume exceeds what the connected basin holds at the river level,
  the answer is the unlimited one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from alliantie.raster.distance import distance_from_cells

#: Building classes: 0 water below the floor (or no water), 1 ground floor wet but an upper storey dry,
#: 2 no dry storey.
DRY, UPPER_FLOOR_DRY, NO_DRY_FLOOR = 0, 1, 2
#: Nearest refuge kinds per flooded building.
REFUGE_NONE, REFUGE_OWN_BUILDING, REFUGE_BUILDING, REFUGE_GROUND = 0, 1, 2, 3

_EIGHT = np.ones((3, 3), dtype=bool)


@dataclass(frozen=True)
class BreachFlood:
    """Outcome of :func:`breach_inundation`.

    Attributes:
        depth: float32 water depth (m): 0 dry, NaN no data.
        flooded: bool, True where ``depth > 0``.
        level_m: the highest water level (m NAP) reached; NaN when nothing floods.
        volume_m3: water on the ground (m3).
        capacity_m3: what the basin connected to the breach holds at the river level (m3).
        limited: True when the volume limit, not the river level, set the water level.
    """

    depth: np.ndarray
    flooded: np.ndarray
    level_m: float
    volume_m3: float
    capacity_m3: float
    limited: bool


def valid_ground(dem: np.ndarray, nodata: float | None = None) -> np.ndarray:
    """float64 copy of ``dem`` with ``nodata`` (and any non-finite value) set to NaN."""
    ground = np.array(dem, dtype=np.float64, copy=True)
    if nodata is not None and not np.isnan(nodata):
        ground[ground == nodata] = np.nan
    ground[~np.isfinite(ground)] = np.nan
    return ground


def connected_below(ground: np.ndarray, seeds: np.ndarray, level: float,
                    blocked: np.ndarray | None = None) -> np.ndarray:
    """Cells with ground below ``level`` that are 8-connected to a seed cell over such cells.

    ``seeds`` is a bool mask; seed cells at or above the level connect nothing.
    ``blocked`` cells are never entered (they count as high ground).
    """
    with np.errstate(invalid="ignore"):
        low = ground < level
    if blocked is not None:
        low &= ~blocked
    labels, count = ndimage.label(low, structure=_EIGHT)
    if count == 0:
        return np.zeros(ground.shape, dtype=bool)
    hit = np.unique(labels[seeds & low])
    hit = hit[hit > 0]
    if hit.size == 0:
        return np.zeros(ground.shape, dtype=bool)
    keep = np.zeros(count + 1, dtype=bool)
    keep[hit] = True
    return np.asarray(keep[labels], dtype=bool)


def outside_water(ground: np.ndarray, river: np.ndarray | None, level: float) -> np.ndarray | None:
    """The river cells and all lower ground connected to them at ``level``: the water outside the dike.

    The breach floods the land behind the dike, not the floodplain. None without river cells.
    """
    if river is None:
        return None
    return np.asarray(river | connected_below(ground, river, level), dtype=bool)


def standing_water(ground: np.ndarray, wet: np.ndarray, level: float) -> np.ndarray:
    """float32 depth (m) of water standing at ``level`` (m NAP) on the ``wet`` cells: 0 elsewhere, NaN no data.

    For water that reaches the land around the end of a dike: every ``wet`` cell
    fills up to the outside level.
    """
    depth = np.where(wet, level - np.nan_to_num(ground, nan=level), 0.0)
    return np.where(np.isfinite(ground), depth, np.nan).astype(np.float32)


def given_depth(depth: np.ndarray, ground: np.ndarray) -> np.ndarray:
    """float32 copy of a given flood depth map (m): no data and negative depths 0, NaN where ``ground`` has none."""
    d = np.nan_to_num(np.asarray(depth, dtype=np.float64), nan=0.0)
    return np.where(np.isfinite(ground), np.maximum(d, 0.0), np.nan).astype(np.float32)


def breach_inundation(
    dem: np.ndarray,
    breach_rc: tuple[int, int],
    water_level: float,
    *,
    volume_m3: float | None = None,
    cell_area: float,
    nodata: float | None = None,
    blocked: np.ndarray | None = None,
) -> BreachFlood:
    """Water depth after a breach at cell ``breach_rc`` with the outside water at ``water_level`` (m NAP).

    Water spreads from the breach cell over 8-connected cells whose ground is
    below ``water_level`` (a ridge at or above the level stops it; a breach
    cell whose ground is at or above the level floods nothing). ``blocked``
    cells are never entered (e.g. the river and floodplain outside the dike).
    With ``volume_m3`` only that volume enters: it runs downhill from the breach
    and fills the connected basin from its lowest point (fill-spill-merge),
    up to ``water_level`` at most.
    """
    if cell_area <= 0:
        raise ValueError("cell_area must be positive (m2)")
    if volume_m3 is not None and volume_m3 < 0:
        raise ValueError("volume_m3 must not be negative")
    ground = valid_ground(dem, nodata)
    shape = ground.shape
    r, c = int(breach_rc[0]), int(breach_rc[1])
    nothing = BreachFlood(depth=np.where(np.isnan(ground), np.nan, 0.0).astype(np.float32),
                          flooded=np.zeros(shape, dtype=bool), level_m=float("nan"), volume_m3=0.0,
                          capacity_m3=0.0, limited=False)
    if not (0 <= r < shape[0] and 0 <= c < shape[1]):
        return nothing
    if not (ground[r, c] < water_level) or (blocked is not None and blocked[r, c]):
        return nothing
    seed = np.zeros(shape, dtype=bool)
    seed[r, c] = True
    basin = connected_below(ground, seed, water_level, blocked)
    full_depth = np.where(basin, water_level - np.nan_to_num(ground, nan=water_level), 0.0)
    capacity = float(full_depth.sum() * cell_area)
    if volume_m3 is None or volume_m3 >= capacity:
        depth = np.where(np.isnan(ground), np.nan, full_depth).astype(np.float32)
        return BreachFlood(depth=depth, flooded=basin.copy(), level_m=float(water_level), volume_m3=capacity,
                           capacity_m3=capacity, limited=False)
    if volume_m3 == 0:
        return BreachFlood(depth=nothing.depth, flooded=nothing.flooded, level_m=float("nan"), volume_m3=0.0,
                           capacity_m3=capacity, limited=True)
    depth_in_basin = _fill_from_point(ground, basin, (r, c), float(volume_m3), water_level, cell_area)
    depth_in_basin = np.minimum(depth_in_basin, full_depth)
    depth = np.where(np.isnan(ground), np.nan, depth_in_basin).astype(np.float32)
    flooded = depth_in_basin > 0
    level = float(np.max((ground + depth_in_basin)[flooded])) if flooded.any() else float("nan")
    return BreachFlood(depth=depth, flooded=flooded, level_m=level, volume_m3=float(depth_in_basin.sum() * cell_area),
                       capacity_m3=capacity, limited=True)


def _fill_from_point(ground: np.ndarray, basin: np.ndarray, rc: tuple[int, int], volume_m3: float,
                     water_level: float, cell_area: float) -> np.ndarray:
    """Depth (float64) when ``volume_m3`` poured at ``rc`` fills the walled ``basin`` (fill-spill-merge).

    The basin is cut out with a one-cell margin; every cell outside it becomes a
    wall above ``water_level``, so the water stays in the basin (the volume is
    less than the basin holds at that level, so it never reaches a wall).
    """
    from alliantie.hydrology import fill_spill_merge

    rows = np.flatnonzero(basin.any(axis=1))
    cols = np.flatnonzero(basin.any(axis=0))
    r0, r1 = int(rows[0]), int(rows[-1]) + 1
    c0, c1 = int(cols[0]), int(cols[-1]) + 1
    sub_basin = np.pad(basin[r0:r1, c0:c1], 1, constant_values=False)
    sub_ground = np.pad(ground[r0:r1, c0:c1], 1, constant_values=np.nan)
    wall = water_level + 1.0 + max(0.0, water_level - float(np.nanmin(sub_ground[sub_basin])))
    model = np.where(sub_basin, sub_ground, wall)
    runoff = np.zeros(model.shape, dtype=np.float64)
    runoff[rc[0] - r0 + 1, rc[1] - c0 + 1] = volume_m3 / cell_area
    result = fill_spill_merge(model, runoff, cell_area=cell_area)
    sub_depth = np.where(sub_basin, np.nan_to_num(np.asarray(result.depth, dtype=np.float64), nan=0.0), 0.0)
    out = np.zeros(ground.shape, dtype=np.float64)
    out[r0:r1, c0:c1] = sub_depth[1:-1, 1:-1]
    return out


def entry_cell(ground: np.ndarray, rc: tuple[int, int], water_level: float, max_cells: float,
               blocked: np.ndarray | None = None) -> tuple[int, int] | None:
    """The cell where the water enters the land: ``rc`` itself or the nearest cell below the level.

    A breach point drawn on the dike crest (ground at or above the level) or on
    the outside water (``blocked``) is moved to the nearest cell within
    ``max_cells`` (cell widths) whose ground is below ``water_level`` and that is
    not blocked: the land-side toe of the dike. None when there is none.
    """
    h, w = ground.shape
    r, c = rc
    if not (0 <= r < h and 0 <= c < w):
        return None
    reach = int(np.ceil(max_cells))
    r0, r1 = max(0, r - reach), min(h, r + reach + 1)
    c0, c1 = max(0, c - reach), min(w, c + reach + 1)
    with np.errstate(invalid="ignore"):
        ok = ground[r0:r1, c0:c1] < water_level
    if blocked is not None:
        ok &= ~blocked[r0:r1, c0:c1]
    rr, cc = np.nonzero(ok)
    if rr.size == 0:
        return None
    dist2 = (rr + r0 - r) ** 2 + (cc + c0 - c) ** 2
    best = int(np.argmin(dist2))
    if dist2[best] > max_cells**2:
        return None
    return int(rr[best] + r0), int(cc[best] + c0)


def depth_classes(depth: np.ndarray, bounds: Sequence[float]) -> np.ndarray:
    """uint8 depth class: 0 dry or no data, 1 below ``bounds[0]``, k + 1 from ``bounds[k-1]`` to ``bounds[k]``.

    ``bounds`` are the increasing upper bounds (m) of every class but the last
    (the LIWO classes: 0.2, 0.5, 0.8, 2, 5 give classes 1-6).
    """
    d = np.nan_to_num(np.asarray(depth, dtype=np.float64), nan=0.0)
    out = (np.searchsorted(np.asarray(bounds, dtype=np.float64), d, side="right") + 1).astype(np.uint8)
    out[d <= 0] = 0
    return out


def severity_classes(depth: np.ndarray, moderate_from_m: float, high_from_m: float) -> np.ndarray:
    """uint8 severity: 0 dry, 1 below ``moderate_from_m``, 2 up to ``high_from_m``, 3 from ``high_from_m``."""
    d = np.nan_to_num(np.asarray(depth, dtype=np.float64), nan=0.0)
    out = np.zeros(d.shape, dtype=np.uint8)
    out[d > 0] = 1
    out[d >= moderate_from_m] = 2
    out[d >= high_from_m] = 3
    return out


def per_building_max(ids: np.ndarray, count: int, values: np.ndarray) -> np.ndarray:
    """Largest finite value of ``values`` over each building's footprint cells (index 0..count-1; NaN none)."""
    if count == 0:
        return np.zeros(0)
    v = np.asarray(values, dtype=np.float64)
    sel = (ids > 0) & np.isfinite(v)
    out = np.full(count + 1, -np.inf)
    np.maximum.at(out, ids[sel], v[sel])
    out[~np.isfinite(out)] = np.nan
    return out[1:]


def per_building_min(ids: np.ndarray, count: int, values: np.ndarray) -> np.ndarray:
    """Smallest finite value of ``values`` over each building's footprint cells (NaN none)."""
    if count == 0:
        return np.zeros(0)
    v = np.asarray(values, dtype=np.float64)
    sel = (ids > 0) & np.isfinite(v)
    out = np.full(count + 1, np.inf)
    np.minimum.at(out, ids[sel], v[sel])
    out[~np.isfinite(out)] = np.nan
    return out[1:]


def storeys(height_m: np.ndarray, storey_height_m: float) -> np.ndarray:
    """Number of storeys of a building of ``height_m`` (at least 1; NaN height gives 1)."""
    h = np.nan_to_num(np.asarray(height_m, dtype=np.float64), nan=0.0)
    return np.maximum(np.floor(h / storey_height_m + 1e-9), 1.0).astype(np.int64)


def building_classes(water_level_m: np.ndarray, floor_level_m: np.ndarray, height_m: np.ndarray,
                     storey_height_m: float) -> np.ndarray:
    """uint8 per building: :data:`DRY`, :data:`UPPER_FLOOR_DRY` or :data:`NO_DRY_FLOOR`.

    Wet: the water level at the building (NaN = no water) is above its floor
    level. A wet building keeps a dry storey when the floor of its top storey
    (floor level + (storeys - 1) x storey height) lies above the water level.
    """
    level = np.asarray(water_level_m, dtype=np.float64)
    floor = np.asarray(floor_level_m, dtype=np.float64)
    n = storeys(height_m, storey_height_m)
    top_floor = floor + (n - 1) * storey_height_m
    out = np.zeros(level.shape, dtype=np.uint8)
    with np.errstate(invalid="ignore"):
        wet = level > floor
        out[wet] = NO_DRY_FLOOR
        out[wet & (top_floor > level)] = UPPER_FLOOR_DRY
    return out


def dry_refuge_ground(flooded: np.ndarray, valid: np.ndarray, min_cells: int) -> np.ndarray:
    """Dry cells with data that belong to a dry patch (8-connected) of at least ``min_cells`` cells."""
    dry = valid & ~flooded
    if min_cells <= 1:
        return dry
    labels, count = ndimage.label(dry, structure=_EIGHT)
    if count == 0:
        return dry
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    big = sizes >= min_cells
    big[0] = False
    return np.asarray(big[labels], dtype=bool)


@dataclass(frozen=True)
class Refuges:
    """Nearest refuge per building (NaN / -1 for buildings that need none)."""

    kind: np.ndarray  # uint8 REFUGE_* per building
    distance_m: np.ndarray  # float64, 0 for the own building
    building: np.ndarray  # int64 index of the refuge building, -1 none


def nearest_refuges(classes: np.ndarray, x: np.ndarray, y: np.ndarray, ground_distance_m: np.ndarray) -> Refuges:
    """The nearest refuge of every wet building.

    A building with a dry upper storey is its own refuge (distance 0). For a
    building without a dry storey the refuge is the nearest building that is
    dry or has a dry upper storey (centre to centre) or the nearest dry ground
    (``ground_distance_m``: per building, distance from its centre to dry ground,
    inf when none), whichever is nearer.
    """
    from scipy.spatial import cKDTree

    n = len(classes)
    kind = np.full(n, REFUGE_NONE, dtype=np.uint8)
    distance = np.full(n, np.nan)
    building = np.full(n, -1, dtype=np.int64)
    own = classes == UPPER_FLOOR_DRY
    kind[own] = REFUGE_OWN_BUILDING
    distance[own] = 0.0
    need = np.flatnonzero(classes == NO_DRY_FLOOR)
    if need.size == 0:
        return Refuges(kind=kind, distance_m=distance, building=building)
    shelters = np.flatnonzero(classes != NO_DRY_FLOOR)
    d_building = np.full(need.size, np.inf)
    which = np.full(need.size, -1, dtype=np.int64)
    if shelters.size:
        tree = cKDTree(np.column_stack([x[shelters], y[shelters]]))
        d_building, k = tree.query(np.column_stack([x[need], y[need]]))
        which = shelters[np.asarray(k, dtype=np.int64)]
    d_ground = np.asarray(ground_distance_m, dtype=np.float64)[need]
    use_building = d_building <= d_ground
    finite = np.isfinite(np.minimum(d_building, d_ground))
    kind[need[finite & use_building]] = REFUGE_BUILDING
    kind[need[finite & ~use_building]] = REFUGE_GROUND
    distance[need[finite]] = np.minimum(d_building, d_ground)[finite]
    building[need[finite & use_building]] = which[finite & use_building]
    return Refuges(kind=kind, distance_m=distance, building=building)



@dataclass(frozen=True)
class BuildingFlood:
    """Outcome of :func:`flooded_buildings`, one entry per building."""

    level_m: np.ndarray  # float64 highest water level (m NAP) on the footprint, NaN dry
    depth_m: np.ndarray  # float64 largest depth (m) on the footprint, NaN dry
    classes: np.ndarray  # uint8 DRY, UPPER_FLOOR_DRY or NO_DRY_FLOOR
    refuges: Refuges


def flooded_buildings(depth: np.ndarray, ground: np.ndarray, ids: np.ndarray, floor_level_m: np.ndarray,
                      height_m: np.ndarray, storey_height_m: float, x: np.ndarray, y: np.ndarray,
                      rows: np.ndarray, cols: np.ndarray, res: float, min_refuge_cells: int) -> BuildingFlood:
    """Water level and depth at every building, whether it keeps a dry storey, and its nearest refuge.

    ``depth`` (m, 0 dry, NaN no data) over ``ground`` (m NAP); ``ids`` the raster of
    building numbers (row position + 1, 0 none); ``x, y`` the building centres and
    ``rows, cols`` their cells; dry ground to flee to is a dry patch of at least
    ``min_refuge_cells`` cells (:func:`dry_refuge_ground`).
    """
    count = len(floor_level_m)
    wet = np.nan_to_num(depth, nan=0.0) > 0
    level_map = np.where(wet, ground + depth, np.nan)
    b_level = per_building_max(ids, count, level_map)
    b_depth = per_building_max(ids, count, np.where(wet, depth, np.nan))
    classes = building_classes(b_level, floor_level_m, height_m, storey_height_m)
    per_b = np.full(count, np.inf)
    need = classes == NO_DRY_FLOOR
    if need.any():
        refuge_ground = dry_refuge_ground(wet, np.isfinite(ground), min_refuge_cells)
        per_b[need] = distance_from_cells(refuge_ground, rows[need], cols[need], res)
    refuges = nearest_refuges(classes, x, y, per_b)
    return BuildingFlood(level_m=b_level, depth_m=b_depth, classes=classes, refuges=refuges)

__all__ = [
    "DRY", "NO_DRY_FLOOR", "REFUGE_BUILDING", "REFUGE_GROUND", "REFUGE_NONE", "REFUGE_OWN_BUILDING",
    "UPPER_FLOOR_DRY", "BreachFlood", "BuildingFlood", "Refuges", "breach_inundation", "building_classes",
    "connected_below", "depth_classes", "dry_refuge_ground", "entry_cell", "flooded_buildings",
    "given_depth", "nearest_refuges", "outside_water", "per_building_max", "per_building_min", "severity_classes",
    "standing_water", "storeys", "valid_ground",
]
