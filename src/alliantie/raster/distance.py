"""Distance (m) to the nearest cell of a mask (Euclidean distance transform), numpy core and DataArray face."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import ndimage

from alliantie.raster._dataarray import like, values_and_res

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["distance_to", "distance_to_dataarray", "within_distance"]


def distance_to(mask: np.ndarray, res: float) -> np.ndarray:
    """Distance (m) from every cell to the nearest True cell of ``mask`` (inf when there is none)."""
    m = np.asarray(mask, dtype=bool)
    if not m.any():
        return np.full(m.shape, np.inf)
    return np.asarray(ndimage.distance_transform_edt(~m) * res)


def within_distance(mask: np.ndarray, res: float, distance_m: float) -> np.ndarray:
    """True on the cells within ``distance_m`` (m) of a True cell of ``mask`` (a buffer; all False without one)."""
    return np.asarray(distance_to(mask, res) <= distance_m)


def distance_to_dataarray(mask: xr.DataArray) -> xr.DataArray:
    """:func:`distance_to` of a boolean DataArray (cell size from its coordinates)."""
    values, res = values_and_res(mask, "mask", as_float=False)
    return like(mask, distance_to(values, res), units="m")
