"""Cooling by green and water: the InVEST Urban Cooling Model and the distance to a cool place.

* :func:`cooling_capacity`, :func:`evapotranspiration_index`: the cooling
  capacity index ``CC = w_shade*shade + w_albedo*albedo + w_eti*ETI``.
* :func:`park_cooling`: the cooling of large green areas spread over distance
  (the heat mitigation index).
* :func:`cool_places`, :func:`distance_to_cool_place`: the cool places of at
  least a minimum area, and the distance (m) to the nearest.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from alliantie.raster.distance import distance_to
from alliantie.raster.focal import coarse_convolve, disc

__all__ = ["cool_places", "cooling_capacity", "distance_to_cool_place", "evapotranspiration_index", "park_cooling"]


def cooling_capacity(shade: np.ndarray, albedo: np.ndarray, eti: np.ndarray,
                     weights: tuple[float, float, float] = (0.6, 0.2, 0.2)) -> np.ndarray:
    """Cooling capacity index (0-1): ``w_shade*shade + w_albedo*albedo + w_eti*ETI`` (InVEST Urban Cooling)."""
    if abs(sum(weights) - 1.0) > 1e-6 or min(weights) < 0:
        raise ValueError("the three weights must be non-negative and add up to 1")
    ws, wa, we = weights
    return np.asarray(ws * np.asarray(shade, dtype=np.float64) + wa * np.asarray(albedo, dtype=np.float64)
                      + we * np.asarray(eti, dtype=np.float64))


def evapotranspiration_index(kc: np.ndarray, et0_mm: float, et_max_mm: float) -> np.ndarray:
    """InVEST's ETI = Kc * ET0 / ETmax (0-1)."""
    if not et_max_mm > 0:
        raise ValueError("et_max_mm must be positive")
    return np.clip(np.asarray(kc, dtype=np.float64) * et0_mm / et_max_mm, 0.0, 1.0)


def park_cooling(cc: np.ndarray, green: np.ndarray, res: float, cooling_distance_m: float,
                 min_green_area_ha: float = 2.0, coarsen: int = 1) -> np.ndarray:
    """Heat mitigation index: the cooling capacity with the cooling of large green areas spread over distance.

    ``CC_park`` is the mean of the green cells' cooling capacity within
    ``cooling_distance_m`` weighted by ``exp(-d / cooling_distance_m)`` (all
    cells of the disc in the denominator, so a little green cools little);
    where the green area within the distance is at least ``min_green_area_ha``
    and ``CC_park`` exceeds the cell's own ``cc``, the index is ``CC_park``,
    elsewhere ``cc`` (InVEST Urban Cooling Model). ``coarsen`` as in
    :func:`~alliantie.raster.focal.focal_mean`.
    """
    c = np.asarray(cc, dtype=np.float64)
    g = np.asarray(green, dtype=bool) & np.isfinite(c)
    f = max(1, int(coarsen))
    base = disc(res * f, cooling_distance_m)
    r = base.shape[0] // 2
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    weights = base * np.exp(-np.hypot(yy, xx) * res * f / cooling_distance_m)
    cc_park = coarse_convolve(np.where(g, c, 0.0), weights, f) / weights.sum()
    green_ha = coarse_convolve(g.astype(np.float64), base, f) * (res * f) ** 2 / 10_000.0
    use_park = (green_ha >= min_green_area_ha) & (cc_park > c)
    return np.asarray(np.where(use_park, cc_park, c))


def cool_places(cool: np.ndarray, res: float, min_area_ha: float) -> np.ndarray:
    """bool: the cells of the connected patches (8 neighbours) of ``cool`` of at least ``min_area_ha``."""
    mask = np.asarray(cool, dtype=bool)
    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    if count == 0:
        return np.zeros(mask.shape, dtype=bool)
    sizes = np.bincount(labels.ravel())[1:] * res * res / 10_000.0
    keep = np.concatenate([[False], sizes >= min_area_ha])
    return np.asarray(keep[labels])


def distance_to_cool_place(cool: np.ndarray, res: float, min_area_ha: float) -> np.ndarray:
    """Distance (m) from each cell to the nearest cool place: a connected patch of ``cool`` >= ``min_area_ha``.

    Infinite everywhere when there is no such place.
    """
    places = cool_places(cool, res, min_area_ha)
    if not places.any():
        return np.full(places.shape, np.inf)
    return distance_to(places, res)

