"""Fill-spill-merge: where runoff ends up on an elevation model (Barnes, Callaghan & Wickert 2021, part 3).

Runoff (rain minus infiltration and sewer capacity, in m of water per cell) runs
over the surface into the depressions (bluespots) of the DEM. A depression that
overfills spills its excess over its lowest saddle into the depression beyond;
two neighbouring depressions that are both full merge and fill further as one
lake; water reaching the grid edge or nodata (open water in AHN) leaves the model.
The result is the water depth per cell once everything has come to rest
(a steady state: no time, no flow velocities).

Algorithm (O(n log n)): build the depression hierarchy with one priority-flood
(:mod:`alliantie.hydrology.depressions`); add each cell's runoff to the leaf whose
catchment it lies in (the cell's label); move water through the tree with a jump
table (:mod:`alliantie.hydrology._fsm`); then solve the water level of every lake
that is partly filled from the sorted elevations of its cells, and take
``depth = max(level - dem, 0)`` over each lake's cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from alliantie.errors import InputDataError
from alliantie.hydrology._fsm import (
    leaf_delta_kernel,
    leaf_depths_kernel,
    leaf_inflow_kernel,
    levels_kernel,
    relevel_kernel,
    route_water_kernel,
    stored_kernel,
)
from alliantie.hydrology.depressions import (
    DepressionHierarchy,
    _build_tree,
    _check_cell_area,
    _hierarchy_from_tree,
    _prepare,
    _wrap,
)

__all__ = ["FillSpillMerge", "FillSpillMergeResult", "FsmState", "Rerouted", "fill_spill_merge"]


@dataclass(frozen=True)
class FillSpillMergeResult:
    """Outcome of :func:`fill_spill_merge`.

    Attributes:
        depth: float32 water depth (m) per cell; 0 dry; NaN on nodata.
        water_level: float32 water surface (m) = dem + depth (NaN on nodata).
        stored_m3: float64 per depression (row ``i`` = id ``i + 1``, as in
            ``hierarchy.table``): water stored in the depression, children
            included (like ``capacity_m3``). Water conservation therefore reads
            ``inflow_m3 == stored_m3[table["parent"] == 0].sum() + outflow_m3``
            (see :attr:`stored_total_m3`).
        hierarchy: the :class:`DepressionHierarchy` used.
        inflow_m3: total runoff put on the grid (cells with data only).
        outflow_m3: water that left the grid at the edge or into nodata.
    """

    depth: Any
    water_level: Any
    stored_m3: np.ndarray
    hierarchy: DepressionHierarchy
    inflow_m3: float
    outflow_m3: float

    @property
    def stored_total_m3(self) -> float:
        """Water stored on the grid (sum over the top-level depressions), m³."""
        top = self.hierarchy.table["parent"] == 0
        return float(self.stored_m3[top].sum())


@dataclass(frozen=True)
class FsmState:
    """Where the water of one runoff field rests, per node of the hierarchy: what :meth:`FillSpillMerge.reroute`
    starts from (a few arrays of the number of depressions, not of the grid)."""

    leaf_inflow: np.ndarray  #: m³ per node (leaves only)
    to_ocean: float  #: m³ that ran straight to the edge or open water
    total: float  #: m³ put on the grid
    layer: np.ndarray  #: m³ in each node's own layer
    full: np.ndarray  #: bool per node
    routed_out: float  #: m³ that spilled to the ocean
    own: np.ndarray  #: own water level per node (m; -inf dry)
    eff: np.ndarray  #: level of the lake a node's cells belong to (m; -inf dry)

    @property
    def inflow_m3(self) -> float:
        return self.total

    @property
    def outflow_m3(self) -> float:
        return self.to_ocean + self.routed_out


@dataclass(frozen=True)
class Rerouted:
    """A re-routing: the new state, and the cells whose depth may have changed with their new depth (m)."""

    state: FsmState
    cells: np.ndarray  #: flat cell indices (row-major)
    depth: np.ndarray  #: float32, 0 dry


def _runoff(runoff_m: Any, shape: tuple[int, ...], mask: np.ndarray) -> tuple[np.ndarray, float, bool]:
    """(array, scalar, use_scalar) for the kernel; validates shape and values."""
    if hasattr(runoff_m, "dims") and hasattr(runoff_m, "values"):
        runoff_m = runoff_m.values
    values = np.asarray(runoff_m, dtype=np.float64)
    if values.ndim == 0:
        scalar = float(values)
        if not np.isfinite(scalar) or scalar < 0.0:
            raise InputDataError("errors.fsm.runoff_invalid", value=scalar)
        return np.zeros((1, 1), dtype=np.float64), scalar, True
    if values.shape != shape:
        raise InputDataError("errors.fsm.runoff_shape", shape=tuple(values.shape), expected=tuple(shape))
    data = values[~mask]
    if data.size and (np.isnan(data).any() or data.min() < 0.0):
        raise InputDataError("errors.fsm.runoff_invalid", value=float(np.nanmin(data)) if data.size else 0.0)
    return np.ascontiguousarray(values), 0.0, False


class FillSpillMerge:
    """Fill-spill-merge on one DEM, for many runoff fields: the depression hierarchy is built once.

    ``FillSpillMerge(dem, cell_area=25.0)(runoff_m)`` equals
    ``fill_spill_merge(dem, runoff_m, cell_area=25.0)``; building the hierarchy
    (one priority-flood) is most of the work, so a series of events on the same
    DEM calls :meth:`route` once per event on one instance.
    """

    def __init__(self, dem: Any, nodata: float | None = None, *, cell_area: float = 1.0) -> None:
        self.cell_area = _check_cell_area(cell_area)
        self._arr, self._mask, self._template = _prepare(dem, nodata)
        self._tree = _build_tree(self._arr, self._mask, self.cell_area)
        tree = self._tree
        cap = tree.capacity
        layer_cap = cap.copy()
        meta = tree.lchild > 0
        layer_cap[meta] = cap[meta] - cap[tree.lchild[meta]] - cap[tree.rchild[meta]]
        np.maximum(layer_cap, 0.0, out=layer_cap)
        layer_cap[0] = 0.0
        self._layer_cap = layer_cap
        self.hierarchy = _hierarchy_from_tree(tree, self._template)

    def state(self, runoff_m: Any) -> tuple[FsmState, np.ndarray]:
        """The resting state of ``runoff_m`` (m per cell) and its depth raster (float32 numpy, NaN on nodata)."""
        arr, tree, area = self._arr, self._tree, self.cell_area
        runoff, scalar, use_scalar = _runoff(runoff_m, arr.shape, self._mask)
        k = tree.parent.shape[0]
        leaf_in, to_ocean, total = leaf_inflow_kernel(tree.labels, runoff, scalar, use_scalar, k - 1, area)
        layer, full, routed_out = route_water_kernel(
            leaf_in, tree.parent, tree.lchild, tree.rchild, tree.odep, self._layer_cap
        )
        depth, eff, own = levels_kernel(
            arr, tree.labels, tree.parent, tree.lchild, tree.rchild, tree.spill, full, layer, tree.capacity, area
        )
        state = FsmState(leaf_in, float(to_ocean), float(total), layer, full, float(routed_out), own, eff)
        return state, depth

    @property
    def labels_flat(self) -> np.ndarray:
        """The leaf label of every cell, row-major (-1 no data, 0 runs to the edge)."""
        return np.asarray(self._tree.labels).reshape(-1)

    @property
    def dem_flat(self) -> np.ndarray:
        """The DEM the hierarchy was built on, row-major (float64)."""
        return np.asarray(self._arr).reshape(-1)

    def _cells_by_leaf(self) -> tuple[np.ndarray, np.ndarray]:
        if not hasattr(self, "_order"):
            labels = self._tree.labels.reshape(-1)
            order = np.argsort(labels, kind="stable").astype(np.int64)
            starts = np.searchsorted(labels[order], np.arange(self._tree.parent.shape[0] + 1)).astype(np.int64)
            self._order, self._starts = order, starts
        return self._order, self._starts

    def reroute(self, state: FsmState, cells: np.ndarray, delta_m: np.ndarray) -> Rerouted:
        """The state after the runoff of ``cells`` (flat indices) changed by ``delta_m`` (m, same length).

        Only the tree is routed again (a few operations per depression) and only
        the lakes whose water changed get new levels and depths; equals
        :meth:`state` of the changed runoff field (tested).
        """
        tree, area = self._tree, self.cell_area
        k = tree.parent.shape[0]
        cells = np.asarray(cells, dtype=np.int64)
        delta = np.asarray(delta_m, dtype=np.float64)
        labels = tree.labels.reshape(-1)
        d_leaf, d_ocean, d_total = leaf_delta_kernel(labels, cells, delta, k - 1, area)
        leaf_in = state.leaf_inflow + d_leaf
        layer, full, routed_out = route_water_kernel(
            leaf_in, tree.parent, tree.lchild, tree.rchild, tree.odep, self._layer_cap
        )
        order, starts = self._cells_by_leaf()
        dem = self._arr.reshape(-1)
        own, eff, leaves = relevel_kernel(
            dem,
            order,
            starts,
            tree.parent,
            tree.lchild,
            tree.rchild,
            tree.spill,
            tree.capacity,
            area,
            state.full,
            state.layer,
            state.own,
            state.eff,
            full,
            layer,
        )
        changed_cells, depth = leaf_depths_kernel(dem, order, starts, leaves, eff)
        new = FsmState(
            leaf_in,
            state.to_ocean + float(d_ocean),
            state.total + float(d_total),
            layer,
            full,
            float(routed_out),
            own,
            eff,
        )
        return Rerouted(new, changed_cells, depth)

    def __call__(self, runoff_m: Any) -> FillSpillMergeResult:
        return self.route(runoff_m)

    def route(self, runoff_m: Any) -> FillSpillMergeResult:
        """Route ``runoff_m`` (m per cell, one number or an array of the DEM's shape) over the DEM."""
        arr, tree, area = self._arr, self._tree, self.cell_area
        runoff, scalar, use_scalar = _runoff(runoff_m, arr.shape, self._mask)
        k = tree.parent.shape[0]
        leaf_in, to_ocean, total = leaf_inflow_kernel(tree.labels, runoff, scalar, use_scalar, k - 1, area)
        layer, full, routed_out = route_water_kernel(
            leaf_in, tree.parent, tree.lchild, tree.rchild, tree.odep, self._layer_cap
        )
        stored = stored_kernel(layer, tree.parent)
        depth, _levels, _own = levels_kernel(
            arr, tree.labels, tree.parent, tree.lchild, tree.rchild, tree.spill, full, layer, tree.capacity, area
        )
        level = (arr + depth).astype(np.float32)
        template = self._template
        return FillSpillMergeResult(
            depth=_wrap(depth, template, "depth"),
            water_level=_wrap(level, template, "water_level"),
            stored_m3=stored[1:],
            hierarchy=self.hierarchy,
            inflow_m3=float(total),
            outflow_m3=float(to_ocean + routed_out),
        )


def fill_spill_merge(
    dem: Any, runoff_m: Any, nodata: float | None = None, *, cell_area: float = 1.0
) -> FillSpillMergeResult:
    """Route ``runoff_m`` over ``dem`` into its depressions: fill, spill and merge.

    Args:
        dem: 2-D elevation model (m), numpy array or xarray DataArray.
        runoff_m: water put on each cell (m): one number or an array/DataArray of
            the DEM's shape. The caller has already subtracted infiltration and
            sewer capacity. Runoff on nodata cells is ignored.
        nodata: value marking nodata cells in ``dem``; ``None`` = NaN is nodata.
        cell_area: area of one cell (m²).

    Returns:
        A :class:`FillSpillMergeResult`; depth and water level are DataArrays when
        ``dem`` is one (coords and attrs kept).

    Example:
        >>> import numpy as np
        >>> dem = np.full((5, 5), 10.0)
        >>> dem[1:4, 1:4] = 9.0          # a square pit of 3 x 3 cells, 1 m deep
        >>> r = fill_spill_merge(dem, 0.1)   # 25 cells x 0.1 m = 2.5 m³
        >>> round(float(r.depth[2, 2]), 6), round(r.inflow_m3, 6), round(r.outflow_m3, 6)
        (0.1, 2.5, 1.6)
    """
    return FillSpillMerge(dem, nodata, cell_area=cell_area).route(runoff_m)
