"""Distance (m) to the nearest cell of a mask, numpy core and DataArray face.

:func:`distance_to` gives it for every cell (Euclidean distance transform);
:func:`distance_from_cells` for a few given cells (a k-d tree on the mask's
edge, for thousands of buildings on a large grid).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from alliantie.raster._dataarray import like, values_and_res

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["distance_from_cells", "distance_to", "distance_to_dataarray", "within_distance"]

_EIGHT = np.ones((3, 3), dtype=bool)


def distance_to(mask: np.ndarray, res: float, dtype: type[np.floating] = np.float64) -> np.ndarray:
    """Distance (m) from every cell to the nearest True cell of ``mask`` (inf when there is none), as ``dtype``."""
    m = np.asarray(mask, dtype=bool)
    if not m.any():
        return np.full(m.shape, np.inf, dtype=dtype)
    return np.asarray(ndimage.distance_transform_edt(~m) * res).astype(dtype, copy=False)


def distance_from_cells(mask: np.ndarray, rows: np.ndarray, cols: np.ndarray, res: float) -> np.ndarray:
    """Distance (m) from the centres of cells ``rows, cols`` to the nearest cell centre of ``mask``.

    0 for a cell in the mask, inf when the mask is empty or the cell lies
    outside the grid. Only the edge cells of the mask are searched (the nearest
    cell of a set seen from outside it is always on its edge), with a k-d tree.
    """
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    out = np.full(rows.shape, np.inf)
    h, w = mask.shape
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    if not mask.any() or not inside.any():
        return out
    edge = mask & ~ndimage.binary_erosion(mask, structure=_EIGHT, border_value=1)
    er, ec = np.nonzero(edge)
    tree = cKDTree(np.column_stack([er, ec]).astype(np.float64))
    d, _ = tree.query(np.column_stack([rows[inside], cols[inside]]).astype(np.float64))
    out[inside] = np.asarray(d, dtype=np.float64) * res
    out[inside] = np.where(mask[rows[inside], cols[inside]], 0.0, out[inside])
    return out


def within_distance(mask: np.ndarray, res: float, distance_m: float) -> np.ndarray:
    """True on the cells within ``distance_m`` (m) of a True cell of ``mask`` (a buffer; all False without one)."""
    return np.asarray(distance_to(mask, res) <= distance_m)


def distance_to_dataarray(mask: xr.DataArray) -> xr.DataArray:
    """:func:`distance_to` of a boolean DataArray (cell size from its coordinates)."""
    values, res = values_and_res(mask, "mask", as_float=False)
    return like(mask, distance_to(values, res), units="m")
