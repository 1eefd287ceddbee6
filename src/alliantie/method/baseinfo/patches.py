"""Raster kernels for class maps: majority filter, merging small patches, buffers, polygons.

Plain arrays in, plain arrays (or shapely geometries) out; no I/O.
"""

from __future__ import annotations

import numpy as np
import rasterio.features
from affine import Affine
from scipy import ndimage
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from alliantie.raster.polygons import valid_polygonal

EIGHT = np.ones((3, 3), dtype=bool)


def majority(classes: np.ndarray, size: int) -> np.ndarray:
    """Mode filter: the most frequent non-zero class in a ``size`` x ``size`` window.

    Cells with class 0 (no data) stay 0; ties go to the lowest code.
    """
    if size <= 1:
        return classes.copy()
    present = [int(c) for c in np.unique(classes) if c != 0]
    if len(present) <= 1:
        return classes.copy()
    best = np.zeros(classes.shape, dtype=np.float32)
    out = classes.copy()
    for code in present:
        share = ndimage.uniform_filter((classes == code).astype(np.float32), size=size, mode="nearest")
        better = share > best + 1e-6
        out[better] = code
        best[better] = share[better]
    out[classes == 0] = 0
    return out


def fill_nearest(classes: np.ndarray, holes: np.ndarray) -> np.ndarray:
    """Give cells in ``holes`` the class of the nearest cell outside ``holes`` with a class."""
    source = (classes != 0) & ~holes
    if not source.any() or not holes.any():
        return classes.copy()
    _, (rows, cols) = ndimage.distance_transform_edt(~source, return_indices=True)
    out = classes.copy()
    out[holes] = classes[rows[holes], cols[holes]]
    return out


def small_patches(classes: np.ndarray, min_cells: int) -> np.ndarray:
    """Cells of connected patches (8-connected, per class) smaller than ``min_cells``."""
    small = np.zeros(classes.shape, dtype=bool)
    if min_cells <= 1:
        return small
    for code in np.unique(classes):
        if code == 0:
            continue
        labels, count = ndimage.label(classes == code, structure=EIGHT)
        if count == 0:
            continue
        sizes = np.bincount(labels.ravel())
        too_small = sizes < min_cells
        too_small[0] = False
        small |= too_small[labels]
    return small


def merge_small_patches(classes: np.ndarray, min_cells: int) -> np.ndarray:
    """Merge patches smaller than ``min_cells`` into the nearest larger patch (one pass)."""
    small = small_patches(classes, min_cells)
    return fill_nearest(classes, small) if small.any() else classes.copy()


def drop_small(mask: np.ndarray, min_cells: int) -> np.ndarray:
    """``mask`` without its 8-connected components smaller than ``min_cells``."""
    if min_cells <= 1 or not mask.any():
        return mask.copy()
    labels, _ = ndimage.label(mask, structure=EIGHT)
    sizes = np.bincount(labels.ravel())
    keep = sizes >= min_cells
    keep[0] = False
    return keep[labels]


def _window(mask: np.ndarray, pad: int) -> tuple[slice, slice]:
    """Rows and columns of the bounding box of ``mask`` widened by ``pad`` cells."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return (
        slice(max(0, rows[0] - pad), min(mask.shape[0], rows[-1] + pad + 1)),
        slice(max(0, cols[0] - pad), min(mask.shape[1], cols[-1] + pad + 1)),
    )


def _disk(radius_cells: float) -> np.ndarray:
    r = int(np.floor(radius_cells))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    return np.asarray(yy * yy + xx * xx <= radius_cells * radius_cells)


#: Up to this radius (cells) buffers use a disk structuring element, beyond it a distance transform.
SMALL_RADIUS_CELLS = 3.0


def dilate(mask: np.ndarray, distance_m: float, cell_m: float) -> np.ndarray:
    """Cells within ``distance_m`` (Euclidean, cell centres) of ``mask``."""
    if distance_m <= 0 or not mask.any():
        return mask.copy()
    radius = distance_m / cell_m
    window = _window(mask, int(np.ceil(radius)) + 1)
    part = mask[window]
    if radius <= SMALL_RADIUS_CELLS:
        grown = ndimage.binary_dilation(part, structure=_disk(radius))
    else:
        grown = ndimage.distance_transform_edt(~part) <= radius
    out = np.zeros(mask.shape, dtype=bool)
    out[window] = grown
    return out


def erode(mask: np.ndarray, distance_m: float, cell_m: float) -> np.ndarray:
    """Cells of ``mask`` farther than ``distance_m`` from its outside (outside the array counts as outside)."""
    if distance_m <= 0 or not mask.any():
        return mask.copy()
    radius = distance_m / cell_m
    window = _window(mask, 1)
    part = np.pad(mask[window], 1)
    if radius <= SMALL_RADIUS_CELLS:
        kept = ndimage.binary_erosion(part, structure=_disk(radius))
    else:
        kept = ndimage.distance_transform_edt(part) > radius
    out = np.zeros(mask.shape, dtype=bool)
    out[window] = kept[1:-1, 1:-1]
    return out


def close(mask: np.ndarray, distance_m: float, cell_m: float) -> np.ndarray:
    """Morphological closing: join parts of ``mask`` less than ``2 * distance_m`` apart."""
    return erode(dilate(mask, distance_m, cell_m), distance_m, cell_m) | mask


def polygons(
    classes: np.ndarray, transform: Affine, mask: np.ndarray | None = None
) -> list[tuple[BaseGeometry, int]]:
    """Polygons of the connected areas of equal non-zero class (8-connected, made valid where a ring touches
    itself at a corner), with their class."""
    valid = classes != 0 if mask is None else mask & (classes != 0)
    return [
        (valid_polygonal(shape(geom)), int(value))
        for geom, value in rasterio.features.shapes(
            classes.astype(np.uint8), mask=valid, transform=transform, connectivity=8
        )
    ]
