"""Public hydrology functions on numpy arrays and xarray DataArrays.

Conventions (shared by all hydrology code):

* arrays are 2-D, row 0 is north;
* ``nodata=None`` means "NaN is nodata" for float arrays (and no nodata for
  integer arrays); otherwise cells equal to ``nodata`` (and NaN) are nodata. For
  a DataArray with ``nodata=None`` its ``_FillValue`` (attrs or encoding) is used;
* nodata cells and the grid edge are outlets: water reaching them leaves; nodata
  cells stay nodata in the outputs;
* 8-connectivity;
* D8 codes (uint8, ESRI): E=1, SE=2, S=4, SW=8, W=16, NW=32, N=64, NE=128,
  0 = no outflow (a pit or an undrained flat), 255 = nodata.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alliantie.hydrology import _fill, _flow
from alliantie.hydrology._xarray import as_array, nodata_mask

__all__ = ["D8_CODES", "D8_NODATA", "fill_depressions", "flow_accumulation", "flow_directions"]

#: D8 codes in the order E, SE, S, SW, W, NW, N, NE.
D8_CODES = (1, 2, 4, 8, 16, 32, 64, 128)
#: Code of nodata cells in a direction grid.
D8_NODATA = 255


def _pad(values: np.ndarray, mask: np.ndarray, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """Padded, C-ordered copies: elevations and the state array (1 = frame or nodata)."""
    nrows, ncols = values.shape
    z = np.empty((nrows + 2, ncols + 2), dtype=dtype)
    z[0, :] = 0
    z[-1, :] = 0
    z[:, 0] = 0
    z[:, -1] = 0
    z[1:-1, 1:-1] = values
    flag = np.ones((nrows + 2, ncols + 2), dtype=np.uint8)
    flag[1:-1, 1:-1] = mask
    return z, flag


def _kernel_dtype(dtype: np.dtype) -> np.dtype:
    if dtype == np.float32 or dtype == np.float64:
        return dtype
    return np.dtype(np.float64)


def fill_depressions(dem: Any, nodata: Any = None, *, epsilon: bool = False) -> Any:
    """Fill the depressions of a DEM so that every cell drains to the edge or to nodata.

    Priority-flood (Zhou, Sun & Fu 2016 one-pass variant of Barnes, Lehman &
    Mulla 2014). Each valid cell gets the lowest level at which water on it can
    leave the grid: the minimum over all 8-connected paths to an outlet (the edge
    or a nodata cell) of the highest elevation along the path, or its own
    elevation if that is higher. The result is bit-identical to TopoToolbox's
    ``fillsinks`` (nodata as NaN) and, without interior nodata, to RichDEM's
    ``FillDepressions(epsilon=False)``.

    Parameters
    ----------
    dem
        2-D numpy array or xarray DataArray of elevations.
    nodata
        Nodata value; ``None``: NaN (float) or the DataArray's ``_FillValue``.
    epsilon
        If true, raise filled cells by the smallest representable steps
        (``np.nextafter``) so that every valid cell that is not on the edge or
        next to nodata has a strictly lower neighbour (float input only).

    Returns
    -------
    The filled DEM, same kind (numpy or DataArray) and dtype as ``dem``; nodata
    cells unchanged.
    """
    values, wrap, meta_nodata = as_array(dem, "dem")
    if nodata is None:
        nodata = meta_nodata
    if epsilon and not np.issubdtype(values.dtype, np.floating):
        raise TypeError("fill_depressions(epsilon=True) needs a float DEM")
    mask = nodata_mask(values, nodata)
    kdtype = _kernel_dtype(values.dtype)
    nrows, ncols = values.shape
    if values.size == 0:
        return wrap(values.copy())
    if epsilon:
        z, flag = _pad(values, mask, kdtype)
        _fill.fill_epsilon_padded(z.reshape(-1), flag.reshape(-1), nrows, ncols, kdtype.type(np.inf))
        out = np.ascontiguousarray(z[1:-1, 1:-1])
    else:
        work = np.ascontiguousarray(values, dtype=kdtype)
        out = np.empty(values.shape, dtype=kdtype)
        _fill.fill_reconstruction(work.reshape(-1), mask.reshape(-1), out.reshape(-1), nrows, ncols)
    if out.dtype != values.dtype:
        out = out.astype(values.dtype)
    return wrap(out)


def flow_directions(dem: Any, nodata: Any = None) -> Any:
    """D8 flow directions (steepest descent) with flats resolved.

    The DEM is used as given: fill it first (:func:`fill_depressions`) so that
    every cell drains. Each valid cell points to the neighbour with the steepest
    drop (drop divided by 1 or sqrt 2; ties go to the first of E, SE, S, SW, W,
    NW, N, NE). A cell without a lower valid neighbour that lies on the grid
    edge points off the grid, one next to nodata points into the nodata cell
    (first of E, S, W, N, SE, SW, NW, NE that is off-grid or nodata; the edge
    wins over nodata). Flats (cells without a lower neighbour inside the grid)
    that touch a lower outlet are drained with the gradients of Barnes, Lehman &
    Mulla (2014, Computers & Geosciences 62): towards lower terrain and away
    from higher terrain. Pits and flats without an outlet keep code 0.

    Returns a uint8 grid of ESRI codes (1 E, 2 SE, 4 S, 8 SW, 16 W, 32 NW,
    64 N, 128 NE, 0 no outflow, 255 nodata), same kind as ``dem``.
    """
    values, wrap, meta_nodata = as_array(dem, "dem")
    if nodata is None:
        nodata = meta_nodata
    mask = nodata_mask(values, nodata)
    kdtype = _kernel_dtype(values.dtype)
    nrows, ncols = values.shape
    if values.size == 0:
        return wrap(np.zeros(values.shape, np.uint8), nodata=D8_NODATA)
    z, flag = _pad(values, mask, kdtype)
    codes = _flow.d8_padded(z.reshape(-1), flag.reshape(-1), nrows, ncols)
    return wrap(codes.reshape(nrows, ncols), nodata=D8_NODATA)


def flow_accumulation(directions: Any, weights: Any = None) -> Any:
    """Upstream cells (or summed weights) draining through each cell, the cell included.

    Parameters
    ----------
    directions
        D8 codes as returned by :func:`flow_directions` (numpy or DataArray).
    weights
        Optional 2-D array of the same shape (e.g. runoff per cell); default 1.

    Returns
    -------
    float64 grid (same kind as ``directions``): the number of cells (or the sum
    of ``weights``) whose flow path passes through the cell, itself included;
    NaN at nodata (code 255). Water that flows into nodata or off the grid
    leaves. Raises ``ValueError`` on codes that are not D8 codes and on
    directions that form a cycle.
    """
    codes, wrap, _ = as_array(directions, "directions")
    codes = np.ascontiguousarray(codes, dtype=np.uint8) if codes.dtype != np.uint8 else np.ascontiguousarray(codes)
    if weights is None:
        acc = np.ones(codes.shape, dtype=np.float64)
    else:
        wvalues, _, _ = as_array(weights, "weights")
        if wvalues.shape != codes.shape:
            raise ValueError(f"weights shape {wvalues.shape} differs from directions shape {codes.shape}")
        acc = np.array(wvalues, dtype=np.float64, order="C", copy=True)
    if codes.size == 0:
        return wrap(acc, nodata=None)
    status = _flow.accumulate(codes, acc)
    if status == 1:
        raise ValueError("directions hold values that are not D8 codes (1, 2, 4, ..., 128, 0, 255)")
    if status == 2:
        raise ValueError("directions form a cycle; flow accumulation needs a drainage tree")
    return wrap(acc, nodata=None)
