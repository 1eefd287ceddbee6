"""The depression hierarchy of an elevation model (Barnes, Callaghan & Wickert 2021, part 2).

Every local minimum (pit) of the DEM is a *leaf* depression (ook: *bluespot* /
*laagte*). Filling a depression with water, the level rises until it reaches the
lowest saddle on its rim, the *spill elevation*; there it overflows into a
neighbouring depression or to the edge of the grid (or nodata, e.g. open water in
AHN). Two neighbouring depressions that are both full merge into a
*meta-depression* whose lake covers both; the merges form a binary tree. See
:mod:`alliantie.hydrology._depressions` for the algorithm (one priority-flood,
O(n log n)).

Conventions (shared by the hydrology package): 2-D arrays, row 0 = north,
8-connectivity; ``nodata=None`` means NaN is nodata; nodata cells and the grid edge
are outlets ("ocean", id 0). Edge cells and cells next to nodata never hold water.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from alliantie.errors import InputDataError
from alliantie.hydrology._depressions import _nodata_mask as _nodata_mask_kernel
from alliantie.hydrology._depressions import bluespot_kernel, depression_hierarchy_kernel, float32_keys

__all__ = ["DepressionHierarchy", "depression_hierarchy"]


@dataclass(frozen=True)
class DepressionHierarchy:
    """Depressions of a DEM, their catchments and how they spill and merge.

    Attributes:
        labels: int32 per cell: id of the leaf depression whose catchment the cell
            drains to (priority-flood labelling: a cell takes the label of its
            lowest neighbour, i.e. D8 towards the lowest neighbour; cells on a flat
            without a lower neighbour form a zero-capacity leaf of their own);
            0 = drains to the edge or nodata; -1 = nodata.
        bluespot: int32 per cell: the leaf id where the cell lies strictly below
            its leaf depression's spill elevation (inside the depression), else 0
            (also on nodata).
        table: one entry per depression (leaves and meta-depressions); row ``i``
            is id ``i + 1``. Columns: ``id``; ``parent`` (0 = top level: spills to
            the edge/nodata or into another top-level depression); ``is_leaf``;
            ``pit_elevation`` and ``spill_elevation`` (m); ``capacity_m3`` (volume
            below the spill elevation, including children for meta-depressions);
            ``flooded_cells`` (cells strictly below the spill elevation, children
            included); ``catchment_cells`` (cells draining to it, children
            included); ``max_depth_m`` (spill - pit); ``outlet`` (the leaf
            depression on the other side of its spill saddle, into which its
            overflow runs; 0 = edge or nodata); ``lchild`` and ``rchild``
            (children of a meta-depression, 0 for leaves).
    """

    labels: Any
    bluespot: Any
    table: dict[str, np.ndarray]

    @property
    def n_depressions(self) -> int:
        return int(self.table["id"].shape[0])


@dataclass(frozen=True)
class _Tree:
    """Raw kernel output shared by :func:`depression_hierarchy` and fill-spill-merge."""

    dem: np.ndarray
    labels: np.ndarray
    parent: np.ndarray
    lchild: np.ndarray
    rchild: np.ndarray
    odep: np.ndarray
    pit_elev: np.ndarray
    spill: np.ndarray
    n_below: np.ndarray
    sum_below: np.ndarray
    catchment: np.ndarray
    n_leaves: int
    capacity: np.ndarray  # m³ per node, inclusive of children (index 0 = ocean, 0)


def _as_array(dem: Any) -> tuple[np.ndarray, Any]:
    """The numpy values of ``dem`` and the DataArray to copy coords from (or None)."""
    template = None
    if hasattr(dem, "dims") and hasattr(dem, "coords") and hasattr(dem, "values"):
        template = dem
        values = np.asarray(dem.values)
    else:
        values = np.asarray(dem)
    if values.ndim != 2:
        raise InputDataError("errors.fsm.dem_not_2d", ndim=values.ndim, shape=tuple(values.shape))
    if not (np.issubdtype(values.dtype, np.floating) or np.issubdtype(values.dtype, np.integer)):
        raise InputDataError("errors.fsm.dem_not_numeric", dtype=str(values.dtype))
    return values, template


def _prepare(dem: Any, nodata: float | None) -> tuple[np.ndarray, np.ndarray, Any]:
    values, template = _as_array(dem)
    if values.dtype not in (np.float32, np.float64):
        arr = np.ascontiguousarray(values, dtype=np.float64)
    else:
        arr = np.ascontiguousarray(values)
    nan_is_nodata = nodata is None
    mask = _nodata_mask_kernel(arr, 0.0 if nodata is None else float(nodata), nan_is_nodata)
    return arr, mask, template


def _check_cell_area(cell_area: float) -> float:
    value = float(cell_area)
    if not np.isfinite(value) or value <= 0.0:
        raise InputDataError("errors.fsm.cell_area", value=cell_area)
    return value


def _order_keys(arr: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, bool]:
    """uint32 per cell with the order and ties of the elevations (for the packed heap).

    float32 elevations (or float64 ones that are exact float32 values) map to their
    order-preserving bit pattern (``True`` returned with it); other float64 elevations
    to their rank (``False``).
    """
    if arr.size >= 2**32:
        raise InputDataError("errors.fsm.dem_too_large", cells=arr.size)
    if arr.dtype == np.float64:
        as32 = arr.astype(np.float32)
        same = (as32.astype(np.float64) == arr) | mask
        if bool(same.all()):
            return float32_keys(as32, mask), True
        keys = np.zeros(arr.shape, dtype=np.uint32)
        _, inverse = np.unique(arr[~mask], return_inverse=True)
        keys[~mask] = inverse.astype(np.uint32)
        return keys, False
    return float32_keys(arr, mask), True


def _build_tree(arr: np.ndarray, mask: np.ndarray, cell_area: float) -> _Tree:
    keys, key_is_bits = _order_keys(arr, mask)
    (
        labels,
        parent,
        lchild,
        rchild,
        odep,
        pit_elev,
        spill,
        n_below,
        sum_below,
        catchment,
        n_leaves,
        _n_nodes,
    ) = depression_hierarchy_kernel(arr, keys, mask, key_is_bits)
    capacity = np.zeros(spill.shape[0], dtype=np.float64)
    has = n_below > 0
    has[0] = False
    capacity[has] = np.maximum(n_below[has] * spill[has] - sum_below[has], 0.0) * cell_area
    return _Tree(
        dem=arr,
        labels=labels,
        parent=parent,
        lchild=lchild,
        rchild=rchild,
        odep=odep,
        pit_elev=pit_elev,
        spill=spill,
        n_below=n_below,
        sum_below=sum_below,
        catchment=catchment,
        n_leaves=int(n_leaves),
        capacity=capacity,
    )


def _wrap(values: np.ndarray, template: Any, name: str) -> Any:
    if template is None:
        return values
    return template.copy(data=values).rename(name)


def _hierarchy_from_tree(tree: _Tree, template: Any) -> DepressionHierarchy:
    ids = np.arange(1, tree.parent.shape[0], dtype=np.int32)
    table: dict[str, np.ndarray] = {
        "id": ids,
        "parent": tree.parent[1:].astype(np.int32),
        "is_leaf": ids <= tree.n_leaves,
        "pit_elevation": tree.pit_elev[1:].astype(np.float64),
        "spill_elevation": tree.spill[1:].astype(np.float64),
        "capacity_m3": tree.capacity[1:].copy(),
        "flooded_cells": tree.n_below[1:].astype(np.int64),
        "catchment_cells": tree.catchment[1:].astype(np.int64),
        "max_depth_m": (tree.spill[1:] - tree.pit_elev[1:]).astype(np.float64),
        "outlet": tree.odep[1:].astype(np.int32),
        "lchild": tree.lchild[1:].astype(np.int32),
        "rchild": tree.rchild[1:].astype(np.int32),
    }
    bluespot = bluespot_kernel(tree.dem, tree.labels, tree.spill)
    return DepressionHierarchy(
        labels=_wrap(tree.labels, template, "depression"),
        bluespot=_wrap(bluespot, template, "bluespot"),
        table=table,
    )


def depression_hierarchy(dem: Any, nodata: float | None = None, *, cell_area: float = 1.0) -> DepressionHierarchy:
    """Depressions (bluespots) of ``dem``, their catchments, spill elevations and capacities.

    Args:
        dem: 2-D elevation model (m), numpy array or xarray DataArray.
        nodata: value marking nodata cells; ``None`` = NaN is nodata.
        cell_area: area of one cell (m²), for the capacities.

    Returns:
        A :class:`DepressionHierarchy`; its rasters are DataArrays when ``dem`` is one.

    Example:
        >>> import numpy as np
        >>> dem = np.full((5, 5), 10.0)
        >>> dem[1:4, 1:4] = 9.0          # a square pit of 3 x 3 cells, 1 m deep
        >>> h = depression_hierarchy(dem, cell_area=4.0)
        >>> h.table["capacity_m3"].tolist(), h.table["spill_elevation"].tolist()
        ([36.0], [10.0])
    """
    area = _check_cell_area(cell_area)
    arr, mask, template = _prepare(dem, nodata)
    tree = _build_tree(arr, mask, area)
    return _hierarchy_from_tree(tree, template)
