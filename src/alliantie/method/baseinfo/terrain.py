"""Terrain kernels on plain arrays: NaN-aware focal statistics, relief and hillshade.

No I/O here; rasters are 2-D ``float32`` arrays with ``NaN`` for no data and a
cell size in metres. Neighbourhoods are square windows of ``2 * round(radius /
cell) + 1`` cells (box filters, computed with running sums, so their cost does
not grow with the radius).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

#: Sun position of the hillshade (degrees): the cartographic convention of light from the north-west.
HILLSHADE_AZIMUTH_DEG = 315.0
HILLSHADE_ALTITUDE_DEG = 45.0


def window_cells(radius_m: float, cell_m: float) -> int:
    """Width in cells of the square window of ``radius_m`` (odd, at least 1)."""
    return 2 * max(0, round(radius_m / cell_m)) + 1


def focal_mean(values: np.ndarray, radius_m: float, cell_m: float) -> np.ndarray:
    """Mean of the valid (non-NaN) cells within ``radius_m`` (square window); NaN where none."""
    size = window_cells(radius_m, cell_m)
    valid = np.isfinite(values)
    filled = np.where(valid, values, 0.0).astype(np.float64)
    total = ndimage.uniform_filter(filled, size=size, mode="constant", cval=0.0)
    count = ndimage.uniform_filter(valid.astype(np.float64), size=size, mode="constant", cval=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    mean[count < 0.5 / (size * size)] = np.nan
    return mean.astype(np.float32)


def focal_max(values: np.ndarray, radius_m: float, cell_m: float) -> np.ndarray:
    """Maximum of the valid cells within ``radius_m`` (square window); NaN where none."""
    size = window_cells(radius_m, cell_m)
    filled = np.where(np.isfinite(values), values, -np.inf).astype(np.float32)
    out = ndimage.maximum_filter(filled, size=size, mode="constant", cval=-np.inf)
    out[~np.isfinite(out)] = np.nan
    return out


def focal_min(values: np.ndarray, radius_m: float, cell_m: float) -> np.ndarray:
    """Minimum of the valid cells within ``radius_m`` (square window); NaN where none."""
    size = window_cells(radius_m, cell_m)
    filled = np.where(np.isfinite(values), values, np.inf).astype(np.float32)
    out = ndimage.minimum_filter(filled, size=size, mode="constant", cval=np.inf)
    out[~np.isfinite(out)] = np.nan
    return out


def height_above_low(elevation: np.ndarray, radius_m: float, cell_m: float) -> np.ndarray:
    """How much higher a cell lies than the lowest ground within ``radius_m`` (m, >= 0)."""
    out = elevation - focal_min(elevation, radius_m, cell_m)
    out[~np.isfinite(elevation)] = np.nan
    return out.astype(np.float32)


def relief(elevation: np.ndarray, radius_m: float, cell_m: float) -> np.ndarray:
    """Relative elevation: elevation minus the mean elevation within ``radius_m`` (m)."""
    out = elevation - focal_mean(elevation, radius_m, cell_m)
    out[~np.isfinite(elevation)] = np.nan
    return out.astype(np.float32)


def rise(elevation: np.ndarray, radius_m: float, cell_m: float) -> np.ndarray:
    """How much higher the highest ground within ``radius_m`` lies (m, >= 0)."""
    out = focal_max(elevation, radius_m, cell_m) - elevation
    out[~np.isfinite(elevation)] = np.nan
    return out.astype(np.float32)


def hillshade(
    elevation: np.ndarray,
    cell_m: float,
    *,
    azimuth_deg: float = HILLSHADE_AZIMUTH_DEG,
    altitude_deg: float = HILLSHADE_ALTITUDE_DEG,
    z_factor: float = 1.0,
) -> np.ndarray:
    """Shaded relief as ``uint8`` 1..255 (0 = no data), light from ``azimuth_deg``."""
    valid = np.isfinite(elevation)
    if not valid.any():
        return np.zeros(elevation.shape, dtype=np.uint8)
    z = np.where(valid, elevation, np.float32(np.nanmean(elevation))).astype(np.float32) * np.float32(z_factor)
    # gradients per metre: gx eastward (columns), gr southward (rows)
    gr, gx = np.gradient(z, np.float32(cell_m))
    az, alt = np.radians(azimuth_deg), np.radians(altitude_deg)
    # unit normal (-gx, gr, 1)/|.| (x east, y north) dotted with the unit vector towards the sun
    shade = (np.float32(-np.sin(az) * np.cos(alt)) * gx + np.float32(np.cos(az) * np.cos(alt)) * gr
             + np.float32(np.sin(alt))) / np.sqrt(1.0 + gx * gx + gr * gr, dtype=np.float32)
    out = (1.0 + 254.0 * np.clip(shade, 0.0, 1.0)).astype(np.uint8)
    out[~valid] = 0
    return out
