"""Sky view factor of a surface model (numba): the share of the sky a cell sees, from its horizon angles.

:func:`sky_view_factor`: ``SVF = 1 - mean(sin^2(horizon angle))`` over the
directions (horizontal surface, isotropic sky), the horizon searched along rays
(:func:`ray_steps`) and skipped where an upper bound (:func:`horizon_bound`)
shows open sky; :func:`canyon_svf`: the analytic value in a street canyon, for
tests.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange
from scipy import ndimage

__all__ = ["canyon_svf", "horizon_bound", "ray_steps", "sky_view_factor"]


@njit(cache=True, parallel=True)
def _svf_kernel(dsm: np.ndarray, res: float, dirs: int, steps: np.ndarray,
                bound: np.ndarray, skip_tan: float) -> np.ndarray:  # pragma: no cover - numba
    rows, cols = dsm.shape
    out = np.full((rows, cols), np.nan, dtype=np.float32)
    dy = np.empty(dirs)
    dx = np.empty(dirs)
    for d in range(dirs):
        phi = 2.0 * math.pi * d / dirs
        dy[d] = -math.cos(phi)
        dx[d] = math.sin(phi)
    for i in prange(rows):
        for j in range(cols):
            z0 = dsm[i, j]
            if not np.isfinite(z0):
                continue
            if bound[i, j] < skip_tan:  # no horizon above atan(skip_tan) anywhere: open sky
                out[i, j] = 1.0
                continue
            total = 0.0
            for d in range(dirs):
                best = 0.0
                for k in steps:
                    ii = int(np.floor(i + k * dy[d] + 0.5))
                    jj = int(np.floor(j + k * dx[d] + 0.5))
                    if ii < 0 or jj < 0 or ii >= rows or jj >= cols:
                        break
                    z = dsm[ii, jj]
                    if not np.isfinite(z):
                        continue
                    t = (z - z0) / (k * res)
                    if t > best:
                        best = t
                total += best * best / (1.0 + best * best)  # sin^2 of the horizon angle
            out[i, j] = 1.0 - total / dirs
    return out


def ray_steps(res: float, max_distance_m: float, dense_cells: int = 10, growth: float = 1.15) -> np.ndarray:
    """Distances along a ray (in cells): every cell up to ``dense_cells``, then growing by ``growth``."""
    limit = max(1.0, max_distance_m / res)
    out: list[float] = []
    k = 1.0
    while k <= limit + 1e-9:
        out.append(k)
        k = k + 1.0 if k < dense_cells else k * growth
    return np.asarray(out, dtype=np.float64)


def horizon_bound(dsm: np.ndarray, res: float, max_distance_m: float) -> np.ndarray:
    """Upper bound of the tangent of the horizon angle of each cell within ``max_distance_m``.

    From two local maxima: the 5 x 5 window (obstacles at least one cell away)
    and the whole search window (obstacles outside the 5 x 5 window are at
    least three cells away).
    """
    z = np.where(np.isfinite(dsm), dsm, -np.inf)
    near = ndimage.maximum_filter(z, size=5, mode="nearest")
    size = 2 * math.ceil(max_distance_m / res) + 1
    far = ndimage.maximum_filter(z, size=size, mode="nearest")
    with np.errstate(invalid="ignore"):
        bound = np.maximum((near - z) / res, (far - z) / (3.0 * res))
    return np.asarray(np.where(np.isfinite(bound), bound, np.inf))


def sky_view_factor(dsm: np.ndarray, res: float, directions: int = 16, max_distance_m: float = 100.0,
                    skip_below: float = 0.005) -> np.ndarray:
    """Sky view factor (0-1) of every cell of a surface model (m) with cell size ``res`` (m).

    The horizon angle is searched along ``directions`` rays up to
    ``max_distance_m`` (every cell for the first ten, then in steps growing by
    15 %, which keeps the cost down on fine grids); ``SVF = 1 - mean(sin^2
    horizon)`` (horizontal surface, isotropic sky). Cells whose horizon can
    lower the SVF by at most ``skip_below`` (see :func:`horizon_bound`) get 1
    without a search: flat open land costs nothing. NaN cells give NaN and do
    not block the view.
    """
    if directions < 4:
        raise ValueError("use at least 4 directions")
    if not res > 0 or not max_distance_m > 0:
        raise ValueError("res and max_distance_m must be positive")
    if not 0 <= skip_below < 1:
        raise ValueError("skip_below must lie in [0, 1)")
    z = np.asarray(dsm, dtype=np.float64)
    steps = ray_steps(res, max_distance_m)
    bound = horizon_bound(z, res, max_distance_m) if skip_below > 0 else np.full(z.shape, np.inf)
    skip_tan = math.sqrt(skip_below / (1.0 - skip_below))  # sin^2 = t^2 / (1 + t^2) = skip_below
    return np.asarray(_svf_kernel(z, float(res), int(directions), steps, bound, skip_tan))


def canyon_svf(height_m: float, width_m: float) -> float:
    """Analytic sky view factor in the middle of the floor of an infinitely long street canyon."""
    return math.cos(math.atan(2.0 * height_m / width_m))
