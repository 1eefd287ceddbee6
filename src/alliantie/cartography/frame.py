"""A display frame: the dossier grid reduced for drawing, and the raster work of composing map images.

Rasters are reduced to about :data:`TARGET_WIDTH` cells across (block means for
values, the centre cell for classes); vectors are burnt on a finer grid and
averaged down, which smooths their edges; RGBA images are averaged and stacked
with premultiplied alpha. Used by the *lagenkaart* and any map drawn from a
stack of planes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from affine import Affine
from rasterio.features import rasterize
from scipy.ndimage import distance_transform_edt
from shapely.geometry.base import BaseGeometry

from alliantie.grid import Grid

#: Cells across of the reduced rasters that are drawn.
TARGET_WIDTH = 600
#: Vectors are burnt at this many sub-cells per drawn cell, then averaged.
SUPERSAMPLE = 3


@dataclass(frozen=True)
class Frame:
    """The reduced grid the planes are drawn on: every ``factor`` x ``factor`` dossier cells make one."""

    grid: Grid
    factor: int

    @property
    def shape(self) -> tuple[int, int]:
        return (math.ceil(self.grid.height / self.factor), math.ceil(self.grid.width / self.factor))

    @property
    def transform(self) -> Affine:
        return self.grid.transform @ Affine.scale(self.factor)

    @classmethod
    def for_grid(cls, grid: Grid, target_width: int = TARGET_WIDTH) -> Frame:
        return cls(grid, max(1, round(grid.width / target_width)))


# --------------------------------------------------------------------------- reducing rasters
def _pad(array: np.ndarray, frame: Frame, fill: float | int) -> np.ndarray:
    rows, cols = frame.shape
    f = frame.factor
    out = np.full((rows * f, cols * f), fill, dtype=array.dtype)
    out[: array.shape[0], : array.shape[1]] = array
    return out


def _block_sum(array: np.ndarray, factor: int) -> np.ndarray:
    """Sum over ``factor`` x ``factor`` blocks of the first two axes (shape a multiple of ``factor``)."""
    rows, cols = array.shape[0] // factor, array.shape[1] // factor
    rest = array.shape[2:]
    by_rows = array.reshape(rows, factor, cols * factor, *rest).sum(axis=1)
    return by_rows.reshape(rows, cols, factor, *rest).sum(axis=2)


def block_mean(array: np.ndarray, frame: Frame) -> np.ndarray:
    """Mean of each block of finite values (NaN where a block has none)."""
    a = _pad(array.astype(np.float32), frame, np.nan)
    finite = np.isfinite(a)
    total = _block_sum(np.where(finite, a, np.float32(0.0)), frame.factor)
    count = _block_sum(finite.astype(np.float32), frame.factor)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan).astype(np.float32)


def block_pick(array: np.ndarray, frame: Frame, fill: int) -> np.ndarray:
    """The centre cell of each block (for classes)."""
    f = frame.factor
    return _pad(array, frame, fill)[f // 2 :: f, f // 2 :: f]


def fill_nearest(array: np.ndarray) -> np.ndarray:
    """NaN cells take the value of the nearest finite cell (0 when there is none)."""
    missing = ~np.isfinite(array)
    if not missing.any():
        return array
    if missing.all():
        return np.zeros_like(array)
    _, (rows, cols) = distance_transform_edt(missing, return_indices=True)
    return array[rows, cols]


def block_rgba(rgba: np.ndarray, factor: int) -> np.ndarray:
    """Average an RGBA image over ``factor`` x ``factor`` blocks (premultiplied alpha)."""
    rows, cols = rgba.shape[0] // factor, rgba.shape[1] // factor
    a = rgba[: rows * factor, : cols * factor].astype(np.float32)
    premult = np.concatenate([a[..., :3] * a[..., 3:4], a[..., 3:4]], axis=2)
    return _unpremultiply(_block_sum(premult, factor) / np.float32(factor * factor))


def _unpremultiply(premult: np.ndarray) -> np.ndarray:
    alpha = premult[..., 3:4]
    rgb = np.where(alpha > 0, premult[..., :3] / np.maximum(alpha, 1e-6), 0.0)
    return np.concatenate([rgb, alpha], axis=2).astype(np.float32)


def over(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """``top`` composited over ``bottom`` (both straight-alpha RGBA)."""
    at, ab = top[..., 3:4], bottom[..., 3:4]
    alpha = at + ab * (1.0 - at)
    rgb = (top[..., :3] * at + bottom[..., :3] * ab * (1.0 - at)) / np.maximum(alpha, 1e-6)
    return np.concatenate([np.where(alpha > 0, rgb, 0.0), alpha], axis=2).astype(np.float32)


def burn(frame: Frame, shapes: Sequence[tuple[BaseGeometry, tuple[float, float, float, float]]]) -> np.ndarray:
    """Polygons burnt in order (later on top) on a finer grid, averaged to the frame: RGBA."""
    rows, cols = frame.shape
    fine_shape = (rows * SUPERSAMPLE, cols * SUPERSAMPLE)
    fine_transform = frame.transform @ Affine.scale(1.0 / SUPERSAMPLE)
    colours = np.zeros((len(shapes) + 1, 4), dtype=np.float32)
    pairs = []
    for i, (geom, colour) in enumerate(shapes, start=1):
        if geom is None or geom.is_empty:
            continue
        colours[i] = colour
        pairs.append((geom, i))
    if not pairs:
        return np.zeros((rows, cols, 4), dtype=np.float32)
    index = rasterize(pairs, out_shape=fine_shape, transform=fine_transform, fill=0, dtype="int32")
    premult = np.concatenate([colours[:, :3] * colours[:, 3:4], colours[:, 3:4]], axis=1)
    return _unpremultiply(_block_sum(premult[index], SUPERSAMPLE) / np.float32(SUPERSAMPLE**2))
