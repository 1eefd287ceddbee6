"""2-D overland flow (wateroverlast op maaiveld) with the local-inertial scheme.

Rain falls on a DEM and flows over the surface in time: the local-inertial
approximation of the shallow-water equations (Bates, Horritt & Fewtrell 2010,
J. Hydrol. 387:33-45) in the stable q-centred form with theta weighting and
semi-implicit friction of de Almeida, Bates, Freer & Souvignet (2012, Water
Resour. Res. 48, W05528). The kernels are in :mod:`alliantie.hydrology._overland`;
the method, its boundaries and its tests are described in ``docs/overland.md``.

Boundaries and obstacles:

* nodata cells (open water in AHN) and, with ``boundary="open"``, the grid edge
  are outlets: a wet cell next to one drains as into an empty cell at its own
  ground level (surface slope ``h / dx``, outward only); what leaves is counted
  in ``outflow_m3``. ``boundary="closed"`` makes the grid edge a wall;
* building cells (``buildings`` mask) are walls: no flux crosses their faces.
  Rain on a building runs off its roof onto the nearest open cell (Euclidean
  distance, ties as ``scipy.ndimage.distance_transform_edt`` breaks them), so no
  rain is lost or held on a roof.

Units: rain, infiltration and sink capacities in mm/h; depth in m; time in s.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from alliantie.hydrology import _overland
from alliantie.hydrology._xarray import as_array, nodata_mask

__all__ = ["OverlandResult", "overland_flow"]

_MM_H = 1.0 / 3.6e6  # mm/h -> m/s
#: Let dry tiles without net rain sleep (exact; False only to test that it changes nothing).
_SKIP_DRY_TILES = True
#: Run the tile kernels' passes in parallel on grids of at least ``_overland.PARALLEL_MIN_CELLS`` cells
#: (every value is written by one thread; docs/overland.md, "Determinism"). False only to compare.
_TILES_PARALLEL = True


@dataclass(frozen=True)
class OverlandResult:
    """Outcome of :func:`overland_flow`.

    Rasters are float64 numpy arrays (DataArrays when the DEM is one), NaN on
    nodata cells, 0 on buildings.

    Attributes:
        max_depth: largest depth (m) reached in each cell.
        time_of_max_s: model time (s) at which ``max_depth`` was first reached (0 if never wet).
        depth: depth (m) at the end.
        velocity_max: largest cell-centred speed (m/s) in cells deeper than 1 cm.
        rain_m3, inflow_m3: water put on the grid by rain and by point inflows.
        infiltrated_m3, sink_m3, outflow_m3: water that left by infiltration,
            into the sewer (sink) and over the outlets.
        storage_m3: water on the grid at the end (initial water included).
        initial_m3: water on the grid at the start.
        steps: number of time steps (of the finest level); model_time_s: time simulated (s).
        output_times_s, depth_series, outflow_series_m3: snapshots every
            ``output_every_s`` (times, depths, cumulative outflow); empty without it.
        duration_above_s: per threshold of ``duration_thresholds_m`` a raster (shape
            (thresholds, rows, cols), float64, NaN on nodata): the seconds of model time
            the cell spent deeper than the threshold, counted as the length of each of
            the cell's own time steps at whose end its depth exceeded it (exact to
            within one step at each crossing).
        cell_updates: cell updates computed (a cell stepping once counts one; sleeping
            tiles and the coarser steps of local time stepping count less than
            ``cells x steps``).
    """

    max_depth: Any
    time_of_max_s: Any
    depth: Any
    velocity_max: Any
    outflow_m3: float
    rain_m3: float
    inflow_m3: float
    infiltrated_m3: float
    sink_m3: float
    storage_m3: float
    initial_m3: float
    steps: int
    model_time_s: float
    output_times_s: np.ndarray
    depth_series: np.ndarray
    outflow_series_m3: np.ndarray
    duration_above_s: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros((0, 0, 0)))
    duration_thresholds_m: tuple[float, ...] = ()
    cell_updates: int = 0

    @property
    def balance_error(self) -> float:
        """(in - out - change in storage) / in, with in = rain + inflow + initial water."""
        water_in = self.rain_m3 + self.inflow_m3 + self.initial_m3
        water_out = self.outflow_m3 + self.infiltrated_m3 + self.sink_m3
        if water_in <= 0.0:
            return 0.0
        return (water_in - water_out - self.storage_m3) / water_in


def _cell_field(value: Any, shape: tuple[int, int], what: str) -> np.ndarray:
    if hasattr(value, "dims") and hasattr(value, "values"):
        value = value.values
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        arr = np.full(shape, float(arr))
    if arr.shape != shape:
        raise ValueError(f"{what} must be a number or an array of shape {shape}, got {arr.shape}")
    return np.ascontiguousarray(arr)


def _rain_weights(kind: np.ndarray) -> np.ndarray:
    """Rain multiplier per cell: 1 on open cells, plus the roofs that drain to them; 0 elsewhere."""
    weight = (kind == _overland.OPEN).astype(np.float64)
    roofs = kind == _overland.BUILDING
    if roofs.any() and weight.any():
        from scipy import ndimage  # only needed when there are buildings

        _, (ri, ci) = ndimage.distance_transform_edt(kind != _overland.OPEN, return_indices=True)
        np.add.at(weight, (ri[roofs], ci[roofs]), 1.0)
    return weight


def overland_flow(
    dem: Any,
    rain_mm_h: Any,
    *,
    cell_size: float,
    duration_s: float,
    manning: Any = 0.03,
    rain_step_s: float | None = None,
    nodata: Any = None,
    buildings: Any = None,
    infiltration_mm_h: Any = None,
    sink_mm_h: Any = None,
    initial_depth: Any = None,
    inflow_cells: Any = None,
    inflow_m3_s: Any = None,
    inflow_step_s: float | None = None,
    output_every_s: float | None = None,
    boundary: Literal["open", "closed"] = "open",
    theta: float = 0.7,
    alpha: float = 0.5,
    min_depth: float = 1e-6,
    max_dt_s: float = 10.0,
    local_time_steps: bool = False,
    duration_thresholds_m: tuple[float, ...] = (),
) -> OverlandResult:
    """Run rain over ``dem`` for ``duration_s`` seconds with the local-inertial scheme.

    Args:
        dem: 2-D ground elevation (m), numpy array or DataArray; row 0 north.
        rain_mm_h: rain intensity (mm/h): one number (constant) or a 1-D hyetograph
            with one intensity per ``rain_step_s`` seconds (no rain after its end).
        cell_size: cell width (m), square cells.
        duration_s: model time to simulate (s).
        manning: Manning's n (s m^-1/3), a number or a per-cell array; a face takes
            the mean of its two cells.
        nodata: nodata value of ``dem`` (None: NaN, or the DataArray's _FillValue).
        buildings: boolean mask of building cells (walls; rain on roofs goes to the
            nearest open cell).
        infiltration_mm_h, sink_mm_h: infiltration and sewer (sink) capacity per
            cell (mm/h), a number or an array; limited by the water present.
        initial_depth: water depth (m) at the start (number or array).
        inflow_cells, inflow_m3_s, inflow_step_s: point inflows: a list of
            ``(row, col)`` and a (steps, sources) array of discharges (m³/s) per
            ``inflow_step_s`` seconds (a 1-D array for one source).
        output_every_s: keep a depth snapshot and the cumulative outflow every so
            many seconds.
        boundary: "open" (the grid edge is an outlet) or "closed" (a wall).
        theta: de Almeida's weighting (1 = Bates et al. 2010; 0.7 recommended).
        alpha: CFL factor in ``dt = alpha dx / sqrt(g h_max)``. The default 0.5 is below
            the 0.7 of Bates et al. (2010): with theta = 0.7 and alpha = 0.7 a closed
            2-D pond on rough ground grew a checkerboard oscillation (docs/overland.md).
        min_depth: faces with a flow depth below this (m) carry no water.
        max_dt_s: largest time step (s), used while the grid is (almost) dry.
        local_time_steps: let tiles of shallow water step with 2, 4, 8 or 16 times the
            step of the deepest cell and skip dry tiles without net rain (docs/overland.md,
            "Tiles and local time steps"; fewer cell updates, but the tile kernels are
            slower per update, so not yet faster in wall time). False (default): one
            step for the whole grid (the row kernels; the tile kernels with one level
            when ``duration_thresholds_m`` is given).
        duration_thresholds_m: depths (m) for ``duration_above_s``.

    Returns:
        An :class:`OverlandResult`.
    """
    values, wrap, meta_nodata = as_array(dem, "dem")
    if nodata is None:
        nodata = meta_nodata
    if cell_size <= 0 or not np.isfinite(cell_size):
        raise ValueError(f"cell_size must be positive, got {cell_size}")
    if duration_s < 0 or not np.isfinite(duration_s):
        raise ValueError(f"duration_s must be >= 0, got {duration_s}")
    if not 0.0 <= theta <= 1.0:
        raise ValueError(f"theta must lie in [0, 1], got {theta}")
    if not 0.0 < alpha <= 1.0:
        raise ValueError(f"alpha must lie in (0, 1], got {alpha}")
    if boundary not in ("open", "closed"):
        raise ValueError(f"boundary must be 'open' or 'closed', got {boundary!r}")
    shape = (int(values.shape[0]), int(values.shape[1]))
    mask = nodata_mask(values, nodata)
    z = np.where(mask, 0.0, values.astype(np.float64))
    kind = np.where(mask, _overland.OUTLET, _overland.OPEN).astype(np.int8)
    if buildings is not None:
        roofs = np.asarray(getattr(buildings, "values", buildings), dtype=bool)
        if roofs.shape != shape:
            raise ValueError(f"buildings must have shape {shape}, got {roofs.shape}")
        kind[roofs & ~mask] = _overland.BUILDING
    open_cells = kind == _overland.OPEN

    rain = np.atleast_1d(np.asarray(getattr(rain_mm_h, "values", rain_mm_h), dtype=np.float64))
    if rain.ndim != 1 or not np.isfinite(rain).all() or (rain < 0).any():
        raise ValueError("rain_mm_h must be a non-negative number or 1-D hyetograph")
    if np.ndim(rain_mm_h) == 0:
        rain_step = 0.0
    else:
        if rain_step_s is None or rain_step_s <= 0:
            raise ValueError("a hyetograph needs a positive rain_step_s")
        rain_step = float(rain_step_s)
    rain_series = rain * _MM_H

    n = _cell_field(manning, shape, "manning")
    if (n[open_cells] <= 0).any() or not np.isfinite(n[open_cells]).all():
        raise ValueError("manning must be positive on every open cell")
    n = np.where(open_cells, n, 0.0)
    zero = np.zeros(shape, dtype=np.float64)
    infil = zero if infiltration_mm_h is None else _cell_field(infiltration_mm_h, shape, "infiltration_mm_h") * _MM_H
    sink = zero if sink_mm_h is None else _cell_field(sink_mm_h, shape, "sink_mm_h") * _MM_H
    for name, field in (("infiltration_mm_h", infil), ("sink_mm_h", sink)):
        if (field[open_cells] < 0).any() or not np.isfinite(field[open_cells]).all():
            raise ValueError(f"{name} must be finite and >= 0 on every open cell")
    infil = np.where(open_cells, infil, 0.0)
    sink = np.where(open_cells, sink, 0.0)
    h = np.zeros(shape) if initial_depth is None else _cell_field(initial_depth, shape, "initial_depth").copy()
    if (h[open_cells] < 0).any() or not np.isfinite(h[open_cells]).all():
        raise ValueError("initial_depth must be finite and >= 0 on every open cell")
    h[~open_cells] = 0.0  # no water on buildings or outlets

    if inflow_cells is None:
        src_rows = np.zeros(0, dtype=np.int64)
        src_cols = np.zeros(0, dtype=np.int64)
        src_series = np.zeros((0, 0))
        src_step = 1.0
    else:
        cells = np.asarray(inflow_cells, dtype=np.int64).reshape(-1, 2)
        src_rows, src_cols = np.ascontiguousarray(cells[:, 0]), np.ascontiguousarray(cells[:, 1])
        src_series = np.asarray(inflow_m3_s, dtype=np.float64)
        if src_series.ndim == 1:
            src_series = src_series[:, None]
        if src_series.ndim != 2 or src_series.shape[1] != cells.shape[0]:
            raise ValueError("inflow_m3_s must have one column per inflow cell")
        if inflow_step_s is None or inflow_step_s <= 0:
            raise ValueError("point inflows need a positive inflow_step_s")
        if not open_cells[src_rows, src_cols].all():
            raise ValueError("inflow cells must be open cells (not nodata or buildings)")
        src_series = np.ascontiguousarray(src_series)
        src_step = float(inflow_step_s)

    dx = float(cell_size)
    area = dx * dx
    initial_m3 = float(h.sum() * area)
    qx = np.zeros((shape[0], shape[1] + 1))
    qy = np.zeros((shape[0] + 1, shape[1]))
    hmax = h.copy()
    tmax = np.zeros(shape)
    vmax = np.zeros(shape)
    totals = np.zeros(5)
    weights = _rain_weights(kind)

    if output_every_s is not None and output_every_s > 0:
        ends = [*np.arange(output_every_s, duration_s, output_every_s), float(duration_s)]
    else:
        ends = [float(duration_s)]
    thresholds = np.asarray(duration_thresholds_m, dtype=np.float64).reshape(-1)
    if not np.isfinite(thresholds).all() or (thresholds < 0).any():
        raise ValueError("duration_thresholds_m must be finite depths >= 0")
    above = np.zeros((thresholds.size, *shape))
    src_by_source = np.ascontiguousarray(src_series.T) if src_series.size else np.zeros((src_rows.size, 0))
    open_edges = boundary == "open"
    ground = _overland.Ground(z, kind, n, _overland.outlet_faces(kind, open_edges), weights, infil, sink)
    forcing = _overland.Forcing(rain_series, float(rain_step), src_rows, src_cols, src_by_source, float(src_step))
    record = _overland.Record(hmax, tmax, vmax, thresholds, above, totals)
    scheme = _overland.Scheme(dx, float(theta), float(alpha), float(min_depth), float(max_dt_s), open_edges)
    times, series, outflows = [], [], []
    t = 0.0
    steps = 0
    updates = 0
    # only the kernel used is compiled (the first run of each costs seconds to minutes; docs/overland.md)
    parallel = values.size >= _overland.PARALLEL_MIN_CELLS
    for end in ends:
        if not local_time_steps and thresholds.size == 0:  # the row kernels: fastest per cell update
            rows = _overland.advance_rows_parallel if parallel else _overland.advance_rows_serial
            t, k = rows(h, qx, qy, ground, forcing, record, scheme, t, float(end), _overland.row_chunks(parallel))
            t = float(end)
            steps += int(k)
            updates += int(k) * values.size
            if output_every_s is not None and output_every_s > 0:
                times.append(t)
                series.append(np.where(mask, np.nan, h))
                outflows.append(float(totals[3]))
            continue
        tiles = _overland.advance_tiles_parallel if parallel and _TILES_PARALLEL else _overland.advance_tiles_serial
        level = _overland.MAX_LEVEL if local_time_steps else 0
        t, k, u = tiles(h, qx, qy, ground, forcing, record, scheme, t, float(end), level, _SKIP_DRY_TILES)
        t = float(end)
        steps += int(k)
        updates += int(u)
        if output_every_s is not None and output_every_s > 0:
            times.append(t)
            series.append(np.where(mask, np.nan, h))
            outflows.append(float(totals[3]))

    def out(field: np.ndarray) -> Any:
        return wrap(np.where(mask, np.nan, field), nodata=np.nan)

    return OverlandResult(
        max_depth=out(hmax),
        time_of_max_s=out(tmax),
        depth=out(h),
        velocity_max=out(vmax),
        outflow_m3=float(totals[3]),
        rain_m3=float(totals[0]),
        inflow_m3=float(totals[4]),
        infiltrated_m3=float(totals[1]),
        sink_m3=float(totals[2]),
        storage_m3=float(h.sum() * area),
        initial_m3=initial_m3,
        steps=steps,
        model_time_s=t,
        output_times_s=np.asarray(times, dtype=np.float64),
        depth_series=np.asarray(series, dtype=np.float64).reshape(len(series), *shape),
        outflow_series_m3=np.asarray(outflows, dtype=np.float64),
        duration_above_s=np.where(mask, np.nan, above),
        duration_thresholds_m=tuple(float(v) for v in thresholds),
        cell_updates=updates,
    )
