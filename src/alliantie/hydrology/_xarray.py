"""The numpy / xarray dispatch shared by the public hydrology functions.

A public function calls :func:`as_array` on its raster argument, runs its kernel
on the plain 2-D numpy array and hands the result to the returned ``wrap``,
which gives back a numpy array for numpy input and a DataArray with the same
dims, coordinates, name and attributes for DataArray input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

_NODATA_ATTRS = ("_FillValue", "nodata", "nodatavals")


def as_array(raster: Any, what: str) -> tuple[np.ndarray, Callable[..., Any], Any]:
    """Return ``(values, wrap, nodata_from_metadata)`` for a numpy array or DataArray.

    ``nodata_from_metadata`` is the DataArray's ``_FillValue`` (attrs or encoding,
    rioxarray style) or ``None``; numpy input has none.
    """
    import xarray as xr

    if isinstance(raster, xr.DataArray):
        if raster.ndim != 2:
            raise ValueError(f"{what} must be 2-D, got dims {raster.dims}")
        values = np.asarray(raster.values)
        meta = _metadata_nodata(raster)

        def wrap(result: np.ndarray, nodata: Any = "keep") -> Any:
            attrs = dict(raster.attrs)
            if nodata != "keep":
                for key in _NODATA_ATTRS:
                    attrs.pop(key, None)
                if nodata is not None:
                    attrs["_FillValue"] = nodata
            return xr.DataArray(result, coords=raster.coords, dims=raster.dims, name=raster.name, attrs=attrs)

        return values, wrap, meta
    values = np.asarray(raster)
    if values.ndim != 2:
        raise ValueError(f"{what} must be a 2-D array, got shape {values.shape}")

    def wrap_numpy(result: np.ndarray, nodata: Any = "keep") -> Any:
        return result

    return values, wrap_numpy, None


def _metadata_nodata(raster: Any) -> Any:
    for source in (raster.attrs, raster.encoding):
        for key in ("_FillValue", "nodata"):
            if key in source and source[key] is not None:
                value = source[key]
                if np.ndim(value) == 0:
                    return value.item() if hasattr(value, "item") else value
    return None


def nodata_mask(values: np.ndarray, nodata: Any) -> np.ndarray:
    """Boolean mask of nodata cells: NaN (float arrays) and cells equal to ``nodata``."""
    if np.issubdtype(values.dtype, np.floating):
        mask = np.isnan(values)
        if nodata is not None and not np.isnan(nodata):
            mask |= values == nodata
        return mask
    if nodata is None or (isinstance(nodata, float) and np.isnan(nodata)):
        return np.zeros(values.shape, dtype=bool)
    return values == nodata
