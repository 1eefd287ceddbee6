"""Focal means: the mean over a disc or a square around each cell (NaN = no data).

Numpy cores: :func:`disc` (the kernel), :func:`focal_mean` (disc, FFT
convolution, optionally on blocks of ``coarsen`` x ``coarsen`` cells and
interpolated back: :func:`coarse_convolve`, :func:`coarsening`) and
:func:`box_mean` (square, separable). DataArray faces:
:func:`focal_mean_dataarray` and :func:`box_mean_dataarray`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from scipy import ndimage, signal

from alliantie.raster._dataarray import like, values_and_res

if TYPE_CHECKING:
    import xarray as xr

__all__ = [
    "box_mean",
    "box_mean_dataarray",
    "coarse_convolve",
    "coarsening",
    "disc",
    "focal_mean",
    "focal_mean_dataarray",
]


def disc(res: float, radius_m: float) -> np.ndarray:
    """A disc of ones (cells whose centre lies within ``radius_m``)."""
    r = math.floor(radius_m / res)
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    return ((yy * res) ** 2 + (xx * res) ** 2 <= radius_m ** 2 + 1e-9).astype(np.float64)


def focal_mean(values: np.ndarray, res: float, radius_m: float, valid: np.ndarray | None = None,
               coarsen: int = 1) -> np.ndarray:
    """Mean of ``values`` over the valid, finite cells within ``radius_m`` of each cell (NaN where none).

    ``coarsen`` > 1 sums blocks of ``coarsen`` x ``coarsen`` cells first and
    interpolates the result back (bilinear): for radii of many cells, where the
    mean varies smoothly, at a fraction of the cost.
    """
    v = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(v) if valid is None else (np.asarray(valid, dtype=bool) & np.isfinite(v))
    f = max(1, int(coarsen))
    kernel = disc(res * f, radius_m)
    if kernel.size == 1 and f == 1:
        return np.where(ok, v, np.nan)
    total = coarse_convolve(np.where(ok, v, 0.0), kernel, f)
    count = coarse_convolve(ok.astype(np.float64), kernel, f)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(count > 0.5 / (f * f), total / np.maximum(count, 1e-12), np.nan)
    return np.asarray(out)


def coarsening(res: float, radius_m: float, cells: int = 25) -> int:
    """Block size for a focal operation of ``radius_m``: keep about ``cells`` coarse cells in the radius."""
    return max(1, int(radius_m / (cells * res)))


def _block_sum(a: np.ndarray, f: int) -> np.ndarray:
    rows, cols = a.shape
    pr, pc = (-rows) % f, (-cols) % f
    padded = np.pad(a, ((0, pr), (0, pc)))
    return np.asarray(padded.reshape(padded.shape[0] // f, f, padded.shape[1] // f, f).sum(axis=(1, 3)))


def coarse_convolve(a: np.ndarray, kernel: np.ndarray, f: int) -> np.ndarray:
    """``a`` convolved with ``kernel`` (same shape out); with ``f`` > 1 on blocks of f x f, per fine cell.

    With ``f`` > 1 the kernel is in coarse cells (e.g. ``disc(res * f, radius_m)``)
    and the block sums are divided by ``f * f``, so the result is per fine cell.
    """
    if f == 1:
        return np.asarray(signal.fftconvolve(a, kernel, mode="same"))
    coarse = signal.fftconvolve(_block_sum(a, f), kernel, mode="same") / (f * f)
    return _upsample(coarse, f, a.shape)


def _upsample(coarse: np.ndarray, f: int, shape: tuple[int, ...]) -> np.ndarray:
    """Bilinear interpolation of block values (block centres) back to the cells of ``shape`` (separable)."""
    out = coarse
    for axis, n in enumerate(shape[:2]):
        pos = np.clip((np.arange(n) + 0.5) / f - 0.5, 0.0, coarse.shape[axis] - 1.0)
        i0 = np.minimum(np.floor(pos).astype(np.int64), coarse.shape[axis] - 2) if coarse.shape[axis] > 1 \
            else np.zeros(n, dtype=np.int64)
        w = pos - i0 if coarse.shape[axis] > 1 else np.zeros(n)
        i1 = np.minimum(i0 + 1, coarse.shape[axis] - 1)
        if axis == 0:
            out = out[i0, :] * (1.0 - w)[:, None] + out[i1, :] * w[:, None]
        else:
            out = out[:, i0] * (1.0 - w)[None, :] + out[:, i1] * w[None, :]
    return np.asarray(out)


def box_mean(values: np.ndarray, res: float, half_width_m: float, valid: np.ndarray | None = None) -> np.ndarray:
    """Mean of ``values`` over the valid, finite cells of a square of half-width ``half_width_m`` (fast, separable)."""
    v = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(v) if valid is None else (np.asarray(valid, dtype=bool) & np.isfinite(v))
    size = 2 * math.floor(half_width_m / res) + 1
    total = ndimage.uniform_filter(np.where(ok, v, 0.0), size=size, mode="constant")
    count = ndimage.uniform_filter(ok.astype(np.float64), size=size, mode="constant")
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(count * size * size > 0.5, total / np.maximum(count, 1e-12), np.nan)
    return np.asarray(out)


# --- DataArray faces ----------------------------------------------------------------------------

def focal_mean_dataarray(raster: xr.DataArray, radius_m: float, valid: np.ndarray | xr.DataArray | None = None,
                         coarsen: int = 1) -> xr.DataArray:
    """:func:`focal_mean` of a DataArray (cell size from its coordinates; its nodata value counts as no data)."""
    values, res = values_and_res(raster, "raster")
    ok = None if valid is None else np.asarray(valid, dtype=bool)
    return like(raster, focal_mean(values, res, radius_m, ok, coarsen))


def box_mean_dataarray(raster: xr.DataArray, half_width_m: float,
                       valid: np.ndarray | xr.DataArray | None = None) -> xr.DataArray:
    """:func:`box_mean` of a DataArray (cell size from its coordinates; its nodata value counts as no data)."""
    values, res = values_and_res(raster, "raster")
    ok = None if valid is None else np.asarray(valid, dtype=bool)
    return like(raster, box_mean(values, res, half_width_m, ok))
