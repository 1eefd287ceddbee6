"""The DataArray face shared by the raster operations: read values and cell size, wrap a result alike.

``xarray`` is imported here only (lazily, inside the functions): the numpy cores
never need it, and the engines call the cores.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import xarray as xr


def values_and_res(raster: xr.DataArray, what: str, *, as_float: bool = True) -> tuple[np.ndarray, float]:
    """The 2-D values of ``raster`` and its (square) cell size in the units of its coordinates.

    With ``as_float`` the values come as float64 with NaN where they equal the
    DataArray's nodata value (``_FillValue`` or ``nodata`` in attrs or encoding);
    without, as they are (a mask). The cell size is ``attrs["res"]`` (rioxarray
    and xarray-spatial style, a number or an (x, y) pair) or else the spacing of
    the coordinates of the two dims.
    """
    if raster.ndim != 2:
        raise ValueError(f"{what} must be 2-D, got dims {raster.dims}")
    res = raster.attrs.get("res")
    if res is not None:
        sizes = [abs(float(r)) for r in np.atleast_1d(res)]
    else:
        sizes = []
        for dim in raster.dims:
            if dim not in raster.coords or raster.sizes[dim] < 2:
                raise ValueError(f"{what}: cell size unknown (no attrs['res'] and no coordinates along {dim!r})")
            coord = np.asarray(raster.coords[dim].values, dtype=np.float64)
            sizes.append(abs(float(coord[1] - coord[0])))
    if not all(math.isclose(s, sizes[0], rel_tol=1e-9) for s in sizes) or not sizes[0] > 0:
        raise ValueError(f"{what} needs square cells of positive size, got {sizes}")
    values = np.asarray(raster.values)
    if not as_float:
        return values, sizes[0]
    out = values.astype(np.float64)
    nodata = _nodata(raster)
    if nodata is not None and not np.isnan(nodata):
        out[values == nodata] = np.nan
    return out, sizes[0]


def _nodata(raster: xr.DataArray) -> float | None:
    for source in (raster.attrs, raster.encoding):
        for key in ("_FillValue", "nodata"):
            value = source.get(key)
            if value is not None and np.ndim(value) == 0:
                return float(value)
    return None


#: Attributes that name a nodata value: dropped from results, which mark no data with NaN.
NODATA_ATTRS = ("_FillValue", "nodata", "nodatavals")


def like(raster: xr.DataArray, values: np.ndarray, **attrs: Any) -> xr.DataArray:
    """``values`` as a DataArray with the dims, coordinates, name and attributes of ``raster`` (plus ``attrs``).

    A nodata value of ``raster`` (:data:`NODATA_ATTRS`) is not carried over: the
    results of the raster operations are float with NaN for no data.
    """
    import xarray as xr

    kept = {k: v for k, v in raster.attrs.items() if k not in NODATA_ATTRS}
    return xr.DataArray(values, coords=raster.coords, dims=raster.dims, name=raster.name, attrs={**kept, **attrs})
