"""Numerical building blocks for the demo fields: smooth noise, ramps, distance to lines.

Plain numpy/scipy on arrays; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import rasterio.features
from scipy import ndimage
from shapely.geometry import LineString

from alliantie.grid import Grid

#: cell size (layout m) of the coarse lattice on which noise is drawn
NOISE_CELL = 50.0


def sigmoid(x: np.ndarray) -> np.ndarray:
    return (1.0 / (1.0 + np.exp(-np.clip(x, -30.0, 30.0)))).astype(np.float32)


def smoothstep(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    t = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    return (t * t * (3.0 - 2.0 * t)).astype(np.float32)


class NoiseSource:
    """Seeded smooth random fields drawn on a coarse lattice over the layout frame.

    Each field is white noise filtered with a Gaussian of ``scale`` layout metres
    (optionally anisotropic), standardised to mean 0 and standard deviation 1,
    then interpolated bilinearly onto the target grid. Because the lattice lives
    in the layout frame, the small and the default demo get the same landscape.
    """

    def __init__(self, seed: int, layout_shape: tuple[int, int], out_shape: tuple[int, int]) -> None:
        self._rng = np.random.default_rng(seed)
        self.layout_shape = layout_shape
        self.out_shape = out_shape
        self._rows = _interpolation_matrix(layout_shape[0], out_shape[0])
        self._cols = _interpolation_matrix(layout_shape[1], out_shape[1])

    def field(self, scale: float, scale_y: float | None = None) -> np.ndarray:
        white = self._rng.standard_normal(self.layout_shape)
        sigma = (scale_y if scale_y is not None else scale, scale)
        smooth = ndimage.gaussian_filter(white, [s / NOISE_CELL for s in sigma], mode="reflect")
        smooth = ((smooth - smooth.mean()) / max(float(smooth.std()), 1e-12)).astype(np.float32)
        # bilinear upsampling as two matrix products (much faster than ndimage.zoom)
        return np.ascontiguousarray(self._rows @ smooth @ self._cols.T)


def _interpolation_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) weights of linear interpolation between cell centres (edges clamped)."""
    pos = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
    pos = np.clip(pos, 0.0, n_in - 1.0)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, n_in - 1)
    frac = (pos - lo).astype(np.float32)
    m = np.zeros((n_out, n_in), dtype=np.float32)
    m[np.arange(n_out), lo] += 1.0 - frac
    m[np.arange(n_out), hi] += frac
    return m


def line_field(
    lines: Sequence[tuple[LineString, np.ndarray]], grid: Grid
) -> tuple[np.ndarray, np.ndarray]:
    """Distance (m) of every cell to the nearest line, and the value carried by that line there.

    Each line comes with one value per vertex (e.g. bed level or chainage); the
    value of a segment is the mean of its two vertices.
    """
    shapes = []
    for line, values in lines:
        coords = np.asarray(line.coords)
        for i in range(len(coords) - 1):
            shapes.append((LineString(coords[i : i + 2]), float(0.5 * (values[i] + values[i + 1]))))
    burnt = rasterio.features.rasterize(
        shapes, out_shape=grid.shape, transform=grid.transform, fill=np.nan,
        all_touched=True, dtype="float32",
    )
    empty = np.isnan(burnt)
    dist, (iy, ix) = ndimage.distance_transform_edt(empty, return_indices=True)
    return (dist * grid.res).astype(np.float32), burnt[iy, ix]


def distance_to(mask: np.ndarray, res: float) -> np.ndarray:
    """Distance (m) of every cell to the nearest True cell of ``mask``."""
    return (ndimage.distance_transform_edt(~mask) * res).astype(np.float32)


def chainage(line: LineString) -> np.ndarray:
    """Distance along ``line`` of each vertex."""
    coords = np.asarray(line.coords)
    steps = np.hypot(*np.diff(coords, axis=0).T)
    return np.concatenate([[0.0], np.cumsum(steps)])


def sample(array: np.ndarray, grid: Grid, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Nearest-cell values of ``array`` at real coordinates (clamped to the grid)."""
    t = grid.transform
    col = np.clip(((x - t.c) / t.a).astype(np.int64), 0, grid.width - 1)
    row = np.clip(((y - t.f) / t.e).astype(np.int64), 0, grid.height - 1)
    return array[row, col]
